package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

const (
	benchOrg   = "bench-org"
	benchToken = "bench-token"
	orgRepos   = 20
)

type limitMode string

const (
	limitsOff    limitMode = "off"
	limitsOn     limitMode = "on"
	limitsStrict limitMode = "strict"
)

func parseLimitMode(s string) (limitMode, error) {
	switch m := limitMode(s); m {
	case limitsOff, limitsOn, limitsStrict:
		return m, nil
	}
	return "", fmt.Errorf("-limits: %q is not one of off, on, strict", s)
}

// fakeOptions configures the fake for a limit mode: "off" is GitHub
// Enterprise Server's default (no rate limits, no rate-limit headers); "on"
// enforces GitHub's documented secondary limits; "strict" adds a limit
// stricter than documented, 80 writes a minute in all, and answers every
// rejection with Retry-After: 5, shorter than its window.
func fakeOptions(m limitMode, latency time.Duration) fakegithub.Options {
	opts := fakegithub.Options{
		Token:   benchToken,
		Orgs:    []string{benchOrg},
		Latency: latency,
	}
	switch m {
	case limitsOff:
		opts.RateLimitsOff = true
	case limitsOn:
		opts.PrimaryLimit = 15000 // a GitHub App installation on GitHub Enterprise Cloud
		opts.Secondary = &fakegithub.SecondaryLimits{}
	case limitsStrict:
		opts.PrimaryLimit = 15000
		opts.Secondary = &fakegithub.SecondaryLimits{WritesPerMinute: 80, RetryAfter: 5 * time.Second}
	}
	return opts
}

// listMode is where the configuration keeps each secret's repository list.
type listMode string

const (
	// listsInline sets selected_repository_ids on the secret itself.
	listsInline listMode = "inline"
	// listsResource gives every secret a ghsecrets_org_actions_secret_repositories.
	listsResource listMode = "resource"
)

func parseListMode(s string) (listMode, error) {
	switch m := listMode(s); m {
	case listsInline, listsResource:
		return m, nil
	}
	return "", fmt.Errorf("-lists: %q is not one of inline, resource", s)
}

type scenario struct {
	terraform, cliConfig, dir string
	secrets, reposPerSecret   int
	latency                   time.Duration
	limits                    limitMode
	lists                     listMode
	pacing                    variant
	parallelism               int
	// kinds are the kinds of organization secret; each has secrets of its own.
	kinds []string
	// layout, when set, makes this a run of its configuration instead of
	// organization secrets: secrets is its number of secrets, and kinds,
	// lists and reposPerSecret do not apply.
	layout layout
	// gap is a pause before each command after the first, so that it meets
	// a server whose sliding minute no longer holds the previous command's
	// requests; 0 runs the commands back to back.
	gap time.Duration
}

// layout is a configuration other than the -n rows' organization secrets:
// repository and environment secrets, or registries and user secrets.
type layout interface {
	setUp(fake *fakegithub.Server)
	config() string
	steps(limits limitMode) []step
	label() string // the report's lists column
	describe() string
}

type phase struct {
	name        string
	wall        time.Duration
	byMethod    map[string]int
	total       int
	notModified int // 304 answers: GitHub does not count them against the rate limit
	rejected    int
	minimum     int // requests the rate limit counts, at least
	minNote     string
	bound       time.Duration // least wall time the secondary limits allow; 0 when they do not bind
	peakRSSKB   int64
	// byRoute counts a layout's requests by endpoint, as routeCounts.
	byRoute map[string]routeCount
	// failed is the end of the output of a command that failed; the
	// scenario's later commands are not run.
	failed string
}

// total is the number of secrets of the configuration.
func (sc scenario) total() int {
	if sc.layout != nil {
		return sc.secrets
	}
	return sc.secrets * len(sc.kinds)
}

// charged is what the rate limit counts: every request but the 304s.
func (p phase) charged() int { return p.total - p.notModified }

func (sc scenario) run(ctx context.Context) ([]phase, error) {
	fake := fakegithub.New(fakeOptions(sc.limits, sc.latency))
	var config string
	steps := sc.steps()
	if sc.layout != nil {
		sc.layout.setUp(fake)
		config, steps = sc.layout.config(), sc.layout.steps(sc.limits)
	} else {
		var ids []int64
		for i := range orgRepos {
			ids = append(ids, fake.AddRepository(benchOrg, fmt.Sprintf("repo-%02d", i)).ID)
		}
		config = sc.config(ids)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	if err := os.MkdirAll(sc.dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(sc.dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	value := make([]byte, 16)
	if _, err := rand.Read(value); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+sc.cliConfig,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"GITHUB_OWNER="+benchOrg, "GITHUB_TOKEN="+benchToken, "GITHUB_BASE_URL="+srv.URL,
		"TF_VAR_value=bench-"+hex.EncodeToString(value),
	)

	var out []phase
	for i, st := range steps {
		if i > 0 && sc.gap > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(sc.gap):
			}
		}
		fake.ResetRequests()
		args := append(st.args, "-no-color", fmt.Sprintf("-parallelism=%d", sc.parallelism))
		cmd := exec.CommandContext(ctx, sc.terraform, args...)
		cmd.Dir, cmd.Env = sc.dir, env
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("terraform %s: %w", st.name, err)
		}
		mem := watchPeakRSS("terraform-provider-ghsecrets", cmd.Process.Pid)
		err := cmd.Wait()
		wall := time.Since(start)
		peak := mem()
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		stats := fake.Stats()
		p := phase{
			name: st.name, wall: wall, byMethod: map[string]int{}, minimum: st.minimum, minNote: st.note,
			bound: st.bound, peakRSSKB: peak, notModified: stats.NotModified,
			rejected: stats.SecondaryRejected + stats.PrimaryRejected,
		}
		for method, n := range stats.ByMethod {
			p.byMethod[method] = n
			p.total += n
		}
		if sc.layout != nil {
			p.byRoute = routeCounts(fake.Requests())
		}
		if err != nil {
			tail := log.String()
			if len(tail) > 4000 {
				tail = tail[len(tail)-4000:]
			}
			p.failed = fmt.Sprintf("terraform %s: %v\n%s", st.name, err, tail)
		}
		out = append(out, p)
		if err != nil {
			break
		}
	}
	return out, nil
}

// routeCount is the requests of one endpoint and how many were answered 304.
type routeCount struct{ requests, notModified int }

// routeCounts counts requests by method and route template, which says
// what each request was for where the method alone does not.
func routeCounts(reqs []fakegithub.Request) map[string]routeCount {
	out := map[string]routeCount{}
	for _, r := range reqs {
		key := r.Method + " " + r.Path
		if rts, _ := routes.Find(r.Path); len(rts) > 0 {
			key = r.Method + " " + rts[0].Template
		}
		c := out[key]
		c.requests++
		if r.Status == http.StatusNotModified {
			c.notModified++
		}
		out[key] = c
	}
	return out
}

type step struct {
	name    string
	args    []string
	minimum int
	note    string
	bound   time.Duration
}

// steps are the commands a team runs over a configuration's life: create it;
// a refresh (any later apply does one) that reads each list for the first
// time and keeps its ETag in state; a plan that changes nothing; destroy.
// Minimums count what the rate limit counts (a 304 is free).
func (sc scenario) steps() []step {
	// Each kind has its own endpoints, key and listing: its own minute for
	// the per-endpoint limits, one more key read and listing per run.
	kinds := len(sc.kinds)
	n, pages := sc.secrets*kinds, kinds*((sc.secrets+99)/100)
	perEndpoint := sc.secrets
	// What an endpoint (method + path template) allows in a sliding minute.
	writes, reads := 180, 900
	if sc.limits == limitsStrict {
		writes = 80
	}
	bound := func(requests, perMinute int) time.Duration {
		if sc.limits == limitsOff || requests <= 0 {
			return 0
		}
		// The first perMinute go at once, each further perMinute a minute later.
		return time.Duration((requests-1)/perMinute) * time.Minute
	}
	// Terraform orders whole resources: every list write follows every
	// secret write, so the two endpoints' minutes add up.
	apply := step{"apply", []string{"apply", "-auto-approve", "-input=false"}, kinds + n,
		"1 key read per kind + 1 PUT per secret, carrying its list", bound(perEndpoint, writes)}
	destroy := step{"destroy", []string{"destroy", "-auto-approve", "-input=false"}, n,
		fmt.Sprintf("1 DELETE per secret (its refresh adds %d list pages; lists answer 304)", pages),
		bound(perEndpoint, reads) + bound(perEndpoint, writes)}
	if sc.limits == limitsStrict {
		apply.bound, destroy.bound = bound(n, writes), bound(perEndpoint, reads)+bound(n, writes) // 80 writes a minute in all
	}
	if sc.lists == listsResource {
		apply.minimum, apply.note = kinds+2*n, "1 key read per kind + 1 secret PUT and 1 list PUT per secret"
		apply.bound = 2 * bound(perEndpoint, writes)
		if sc.limits == limitsStrict {
			apply.bound = bound(2*n, writes)
		}
		destroy.minimum = 2 * n
		destroy.note = "1 list PUT (destroying an authoritative list revokes access) + 1 DELETE per secret"
		destroy.bound = bound(perEndpoint, reads) + 2*bound(perEndpoint, writes)
		if sc.limits == limitsStrict {
			destroy.bound = bound(perEndpoint, reads) + bound(2*n, writes)
		}
	}
	return []step{
		apply,
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"}, pages + n,
			fmt.Sprintf("%d list pages + the first read of each list", pages), bound(perEndpoint, reads)},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false"}, pages,
			fmt.Sprintf("%d list pages; every list answers 304", pages), bound(perEndpoint, reads)},
		destroy,
	}
}

// configHead names the provider and declares the ephemeral variable every
// secret's value comes from.
const configHead = `terraform {
  required_providers {
    ghsecrets = { source = "ghsecrets/ghsecrets" }
  }
}

provider "ghsecrets" {}

variable "value" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

// config is N selected secrets, each with an authoritative list of a few of
// the org's repositories, on the secret or in a resource of its own.
func (sc scenario) config(ids []int64) string {
	var b strings.Builder
	b.WriteString(configHead + "\n")
	sc.writeSecretsLocal(&b, ids)
	b.WriteString("\n")
	for _, kind := range sc.kinds {
		secret := "ghsecrets_org_" + kind + "_secret"
		if sc.lists == listsInline {
			fmt.Fprintf(&b, `
resource %q "bench" {
  for_each                = local.secrets
  secret_name             = each.key
  visibility              = "selected"
  value_wo                = var.value
  value_wo_version        = 1
  selected_repository_ids = each.value
}
`, secret)
			continue
		}
		fmt.Fprintf(&b, `
resource %[1]q "bench" {
  for_each         = local.secrets
  secret_name      = each.key
  visibility       = "selected"
  value_wo         = var.value
  value_wo_version = 1
}

resource "%[1]s_repositories" "bench" {
  for_each                = local.secrets
  secret_name             = %[1]s.bench[each.key].secret_name
  selected_repository_ids = each.value
}
`, secret)
	}
	return b.String()
}

// parseKinds reads -kinds: kinds of organization secret, each once.
func parseKinds(s string) ([]string, error) {
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		switch {
		case !slices.Contains([]string{"actions", "dependabot", "codespaces", "agents"}, k):
			return nil, fmt.Errorf("-kinds: %q is not one of actions, dependabot, codespaces, agents", k)
		case slices.Contains(out, k):
			return nil, fmt.Errorf("-kinds: %q is named twice", k)
		}
		out = append(out, k)
	}
	return out, nil
}

// watchPeakRSS samples, every 50 ms until the returned function is called,
// the peak resident memory (VmHWM) of the running processes named name that
// parent started (so benchmarks running side by side do not mix), and
// returns the largest in KiB. Terraform starts the provider more than once
// per command; the figure is the largest of them.
func watchPeakRSS(name string, parent int) func() int64 {
	var (
		mu   sync.Mutex
		peak int64
		stop = make(chan struct{})
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := sampleHWM(name, parent); kb > 0 {
				mu.Lock()
				peak = max(peak, kb)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

func sampleHWM(name string, parent int) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var best int64
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		comm := strings.TrimSpace(string(raw))
		// The kernel cuts comm to 15 bytes.
		if err != nil || (comm != name && (len(comm) != 15 || !strings.HasPrefix(name, comm))) {
			continue
		}
		f, err := os.Open(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		var ppid, kb int64
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "PPid:"); ok {
				ppid, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			}
			if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				kb, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			}
		}
		f.Close()
		if ppid == int64(parent) {
			best = max(best, kb)
		}
	}
	return best
}

// nullConfig is the configuration of a floor run's null provider: one
// null_resource per secret of config (a block per kind), with the same
// for_each and the secret's list as a trigger.
func (sc scenario) nullConfig(ids []int64) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    null = { source = "hashicorp/null" }
  }
}

`)
	sc.writeSecretsLocal(&b, ids)
	b.WriteString(`
`)
	for _, kind := range sc.kinds {
		fmt.Fprintf(&b, `
resource "null_resource" %q {
  for_each = local.secrets
  triggers = {
    name         = each.key
    repositories = join(",", each.value)
  }
}
`, kind)
	}
	return b.String()
}

// writeSecretsLocal writes local.secrets: each secret's name and the
// repositories it is given, reposPerSecret of ids in turn.
func (sc scenario) writeSecretsLocal(b *strings.Builder, ids []int64) {
	b.WriteString("locals {\n  secrets = {\n")
	for i := range sc.secrets {
		var sel []string
		for k := range sc.reposPerSecret {
			sel = append(sel, strconv.FormatInt(ids[(i+k)%len(ids)], 10))
		}
		fmt.Fprintf(b, "    BENCH_%04d = [%s]\n", i, strings.Join(sel, ", "))
	}
	b.WriteString("  }\n}\n")
}
