//go:build unix

package provider

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// soakSecrets is how many secrets the soak test manages: enough that every
// kind of fault lands many times, few enough for well under a minute and a half.
const soakSecrets = 200

// keyWatch counts the org key rotations the fake performed, by comparing the
// key after each answered value write with the one before.
type keyWatch struct {
	fake *fakegithub.Server
	mu   sync.Mutex
	last string
	n    int
}

func newKeyWatch(fake *fakegithub.Server) *keyWatch {
	id, _ := fake.PublicKey(testOrg)
	return &keyWatch{fake: fake, last: id}
}

// observe is a request hook.
func (k *keyWatch) observe(r fakegithub.Request) {
	if r.Method != "PUT" || strings.Count(r.Path, "/") != 5 { // a value write: /orgs/{org}/actions/secrets/{name}
		return
	}
	id, _ := k.fake.PublicKey(testOrg)
	k.mu.Lock()
	defer k.mu.Unlock()
	if id != k.last {
		k.last = id
		k.n++
	}
}

func (k *keyWatch) rotations() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.n
}

// TestAccSoak_faults applies a few hundred secrets with their repository lists
// against a GitHub that fails requests with server errors and dropped
// connections, answers a key read with a secondary rate limit, and rotates the
// org key halfway through. The apply must converge (one failed attempt is
// tolerated), after which the fake, state and configuration agree on every
// secret and a plan is empty; out-of-band changes are then repaired.
func TestAccSoak_faults(t *testing.T) {
	t.Parallel()
	faults := fakegithub.Faults{ServerErrorRate: 0.05, DropRate: 0.02, Seed: time.Now().UnixNano()}
	secondary := &secondaryInjector{}
	env := newSoakEnv(t, fakegithub.Options{
		// With limits advertised, the client keeps to GitHub's 900 points a
		// minute per endpoint: 180 value writes a minute, so 200 secrets
		// take over a minute by design. Pacing has tests of its own.
		RateLimitsOff: true,
		Latency:       2 * time.Millisecond,
		LatencyJitter: 3 * time.Millisecond,
		Faults:        faults,
	}, secondary.wrap)
	set := newSoakSet(t, "SOAK", soakSecrets, env.repos)
	keys := newKeyWatch(env.fake)
	env.fake.SetRequestHook(keys.observe)
	env.fake.RotatePublicKeyAfterWrites(testOrg, soakSecrets/2)
	t.Logf("fault seed %d", faults.Seed)

	cfg := set.config(fmt.Sprintf("owner = %q", testOrg), fmt.Sprintf("base_url = %q", env.url), "max_retries = 8")
	names := set.names()
	changed, deleted := names[7], names[len(names)*2/3]
	agree := []statecheck.StateCheck{soakStateCheck{set: set}}
	fakeAgrees := func(*terraform.State) error { return set.checkFake(env.fake) }

	var (
		tolerate atomic.Bool // the first apply under faults may fail once
		failed   atomic.Bool
		faulty   fakegithub.Stats
		// Injected in front of the fake, so not in its Stats.
		faultySecondary int64
		start           = time.Now()
		lastPhase       = start
	)
	phase := func(name string) {
		now := time.Now()
		t.Logf("%s after %s (previous phase %s)", name, now.Sub(start).Round(time.Millisecond), now.Sub(lastPhase).Round(time.Millisecond))
		lastPhase = now
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		ErrorCheck: func(err error) error {
			if tolerate.Load() && !failed.Swap(true) {
				t.Logf("the first apply under faults failed; the second attempt must succeed: %v", err)
				return nil
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					tolerate.Store(true)
					secondary.arm()
				},
				Config:          cfg,
				ConfigVariables: set.variables(),
			},
			{
				// Faults stay on: converging from wherever the first attempt
				// stopped, or refreshing everything under faults.
				PreConfig: func() {
					tolerate.Store(false)
					if failed.Load() {
						phase("first apply failed")
					} else {
						phase("first apply succeeded")
					}
				},
				Config:          cfg,
				ConfigVariables: set.variables(),
			},
			{
				PreConfig: func() {
					phase("second apply under faults done")
					faulty = env.fake.Stats()
					faultySecondary = secondary.rejected.Load()
					env.fake.SetFaults(fakegithub.Faults{})
				},
				Config:          cfg,
				ConfigVariables: set.variables(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: agree,
				Check:             fakeAgrees,
			},
			{
				PreConfig: func() {
					phase("checked without faults")
					secondary.arm()
					env.later()
					env.fake.PutSecretOutOfBand(testOrg, changed, []byte("changed in the GitHub UI"), "selected", set.repos[changed])
					env.fake.DeleteSecretOutOfBand(testOrg, deleted)
				},
				Config:          cfg,
				ConfigVariables: set.variables(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(set.secretAddr(changed), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(set.listAddr(changed), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(set.secretAddr(deleted), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(set.listAddr(deleted), plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: agree,
				Check:             fakeAgrees,
			},
		},
		CheckDestroy: func(*terraform.State) error {
			phase("out-of-band changes repaired, destroyed")
			if left := env.fake.Secrets(testOrg); len(left) != 0 {
				return fmt.Errorf("%d secrets are left after destroy", len(left))
			}
			return nil
		},
	})

	stats := env.fake.Stats()
	t.Logf("under faults: %d requests, %d server errors, %d dropped connections, %d secondary-limit rejections, "+
		"%d key rotations, %d writes refused for a stale key; whole test: %d requests, %d secondary-limit rejections, took %s",
		countAll(faulty), faulty.ServerErrors, faulty.Dropped, faultySecondary,
		keys.rotations(), faulty.ByStatus[422], countAll(stats), secondary.rejected.Load(), time.Since(start).Round(time.Millisecond))
	if n := secondary.rejected.Load(); n != 2 {
		t.Errorf("%d public key reads were rejected, want one in the first apply and one in the repair", n)
	}
	for what, n := range map[string]int{
		"server errors":                 faulty.ServerErrors,
		"dropped connections":           faulty.Dropped,
		"secondary-limit rejections":    int(faultySecondary),
		"key rotations":                 keys.rotations(),
		"value writes with a stale key": faulty.ByStatus[422],
	} {
		if n == 0 {
			t.Errorf("the soak test injected no %s: it proves nothing about them", what)
		}
	}
}

// countAll is the number of requests Stats covers.
func countAll(s fakegithub.Stats) int {
	n := 0
	for _, c := range s.ByMethod {
		n += c
	}
	return n
}

// TestAccInterruptedApply stops terraform apply in the middle, once gracefully
// (SIGINT, as Ctrl-C sends it to the terminal's process group) and once
// abruptly (SIGKILL to terraform and the provider, as when a CI runner dies),
// and checks that the next apply converges: every configured secret on
// GitHub as configured, nothing else left behind, state listing exactly the
// configuration, an empty plan, and a destroy that removes everything.
func TestAccInterruptedApply(t *testing.T) {
	t.Parallel()
	bin := acctest.BuildProvider(t)
	for name, sig := range map[string]syscall.Signal{"SIGINT": syscall.SIGINT, "SIGKILL": syscall.SIGKILL} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testInterruptedApply(t, bin, sig)
		})
	}
}

const (
	interruptSecrets = 60
	// interruptAfter is how many value writes are answered before the signal.
	interruptAfter = 10
)

func testInterruptedApply(t *testing.T, providerDir string, sig syscall.Signal) {
	env := newTestEnv(t)
	// Slow enough that the signal lands with most of the apply still to do.
	env.fake.SetLatency(30*time.Millisecond, 20*time.Millisecond)
	set := newSoakSet(t, "INTERRUPTED", interruptSecrets, env.repos)
	cli := acctest.NewCLI(t, providerDir, set.config(),
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url,
		"TF_VAR_values="+hclMap(set.values))

	apply := cli.Command("apply", "-auto-approve", "-input=false", "-no-color")
	// A group of its own, so the signal reaches terraform and the provider
	// and no other process.
	apply.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	apply.Stdout, apply.Stderr = &out, &out
	var (
		pgid       atomic.Int64
		writes     atomic.Int64
		landed     = make(chan int, 1) // secrets on GitHub when the signal was sent
		signalOnce sync.Once
	)
	env.fake.SetRequestHook(func(r fakegithub.Request) {
		if r.Method != "PUT" || strings.Count(r.Path, "/") != 5 || r.Status >= 300 {
			return
		}
		if writes.Add(1) == interruptAfter {
			signalOnce.Do(func() {
				landed <- len(env.fake.Secrets(testOrg))
				if err := syscall.Kill(-int(pgid.Load()), sig); err != nil {
					t.Errorf("sending %v to terraform: %v", sig, err)
				}
			})
		}
	})
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	pgid.Store(int64(apply.Process.Pid))
	done := make(chan error, 1)
	go func() { done <- apply.Wait() }()
	var exitErr error
	select {
	case exitErr = <-done:
	case <-time.After(2 * time.Minute):
		_ = syscall.Kill(-int(pgid.Load()), syscall.SIGKILL)
		if err := <-done; err != nil {
			t.Logf("terraform after SIGKILL: %v", err)
		}
		t.Fatalf("terraform apply did not stop within 2 minutes:\n%s", acctest.Tail(out.String()))
	}
	env.fake.SetRequestHook(nil)
	cli.CheckNoLeak("the output of the interrupted apply", out.Bytes())
	var atSignal int
	select {
	case atSignal = <-landed:
	default:
		t.Fatalf("the apply ended (%v) before %d value writes:\n%s", exitErr, interruptAfter, acctest.Tail(out.String()))
	}
	if exitErr == nil {
		t.Fatalf("terraform apply succeeded although it was sent %v", sig)
	}
	listed, code := cli.Run("state", "list")
	inState := 0
	if code == 0 {
		inState = len(strings.Fields(listed))
	}
	t.Logf("%v landed with %d of %d secrets on GitHub; terraform ended with %v, leaving %d secrets on GitHub and %d resources in state",
		sig, atSignal, interruptSecrets, exitErr, len(env.fake.Secrets(testOrg)), inState)
	cli.CheckStateFiles()

	again := cli.MustRun("apply", "-auto-approve", "-input=false")
	t.Logf("the next apply converged; its warnings: %q", warnings(again))
	if err := set.checkFake(env.fake); err != nil {
		t.Error(err)
	}
	var want []string
	for _, name := range set.names() {
		want = append(want, set.secretAddr(name), set.listAddr(name))
	}
	slices.Sort(want)
	got := strings.Fields(cli.MustRun("state", "list"))
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("state lists %d resources, want the %d configured ones: %v", len(got), len(want), got)
	}
	if plan, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("the plan after convergence exited with %d, want 0 (no changes):\n%s", code, acctest.Tail(plan))
	}
	cli.CheckStateFiles()

	cli.MustRun("destroy", "-auto-approve", "-input=false")
	if left := env.fake.Secrets(testOrg); len(left) != 0 {
		t.Errorf("%d secrets are left on GitHub after destroy", len(left))
	}
	cli.CheckStateFiles()
}

// warnings lists the distinct warning titles in terraform output, but for
// the one every command prints about dev_overrides.
func warnings(out string) []string {
	var titles []string
	for _, line := range strings.Split(out, "\n") {
		title, ok := strings.CutPrefix(strings.TrimLeft(line, "│ "), "Warning: ")
		if ok && !strings.Contains(title, "development overrides") && !slices.Contains(titles, title) {
			titles = append(titles, title)
		}
	}
	return titles
}
