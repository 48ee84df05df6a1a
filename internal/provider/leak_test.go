package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// watched holds every value that must never surface in state, plan, logs or
// errors: each test's plaintexts, the token, every ciphertext any fake of
// this run was sent, and every spelling of those a hostile fake echoed.
var watched = &watchList{plain: []string{testToken}}

type watchList struct {
	mu    sync.Mutex
	plain []string
	fakes []*fakegithub.Server
}

func (w *watchList) add(v string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.plain = append(w.plain, v)
}

func (w *watchList) addFake(f *fakegithub.Server) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fakes = append(w.fakes, f)
}

// values returns what to look for, each with the kind it is, for messages
// that never repeat the value itself.
func (w *watchList) values() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]string)
	for _, v := range w.plain {
		kind := "a configured plaintext"
		if v == testToken {
			kind = "the token"
		}
		out[v] = kind
	}
	for _, f := range w.fakes {
		for _, c := range f.Ciphertexts() {
			out[c] = "a ciphertext the provider sent"
		}
		// A hostile fake's echoes of a token or ciphertext, in every spelling.
		for _, e := range f.Echoed() {
			if _, ok := out[e]; !ok {
				out[e] = "secret material a hostile server echoed"
			}
		}
	}
	return out
}

// find reports the kind of the first watched value in raw, or "".
func (w *watchList) find(raw []byte) string {
	return newFinder(w.values()).find(raw)
}

// finder looks for many values in one pass: every value is indexed by its
// first probeLen bytes, and each offset of the input is looked up once, so a
// run's hundreds of megabytes of TRACE logs are scanned in seconds rather
// than once per value.
type finder struct {
	byProbe map[string][]string
	short   []string // values shorter than a probe, searched one by one
	kinds   map[string]string
}

const probeLen = 12

func newFinder(values map[string]string) *finder {
	f := &finder{byProbe: map[string][]string{}, kinds: values}
	for v := range values {
		switch {
		case v == "":
		case len(v) < probeLen:
			f.short = append(f.short, v)
		default:
			f.byProbe[v[:probeLen]] = append(f.byProbe[v[:probeLen]], v)
		}
	}
	return f
}

func (f *finder) find(raw []byte) string {
	for _, v := range f.short {
		if bytes.Contains(raw, []byte(v)) {
			return f.kinds[v]
		}
	}
	for i := 0; i+probeLen <= len(raw); i++ {
		if vs, ok := f.byProbe[string(raw[i:i+probeLen])]; ok {
			for _, v := range vs {
				if bytes.HasPrefix(raw[i:], []byte(v)) {
					return f.kinds[v]
				}
			}
		}
	}
	return ""
}

// leakCheck is a state and plan check that scans `terraform show -json` of the
// state and of each plan for every watched value. accTest adds it to every step.
type leakCheck struct{}

var (
	_ statecheck.StateCheck = leakCheck{}
	_ plancheck.PlanCheck   = leakCheck{}
)

func (leakCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = scanJSON("state JSON", req.State)
}

func (leakCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = scanJSON("plan JSON", req.Plan)
}

func scanJSON(what string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if kind := watched.find(raw); kind != "" {
		return fmt.Errorf("%s contains %s", what, kind)
	}
	return nil
}

// accTest runs an acceptance test case with the leak check added to every
// step that applies or plans a configuration.
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	for i := range tc.Steps {
		st := &tc.Steps[i]
		if st.Config == "" || st.ImportState || st.RefreshState {
			continue
		}
		st.ConfigStateChecks = append(slices.Clone(st.ConfigStateChecks), leakCheck{})
		if !st.PlanOnly {
			st.ConfigPlanChecks.PreApply = append(slices.Clone(st.ConfigPlanChecks.PreApply), leakCheck{})
			st.ConfigPlanChecks.PostApplyPostRefresh = append(slices.Clone(st.ConfigPlanChecks.PostApplyPostRefresh), leakCheck{})
		}
	}
	resource.Test(t, tc)
}

// scanRunFiles scans what Terraform and the provider wrote during the run (raw
// state files, saved plans, TF_LOG=TRACE logs; not the configurations, which
// are the tests' input) for every watched value. It returns the problems
// found and how many logs and state files it read.
func scanRunFiles(root string) (problems []string, logs, states int) {
	f := newFinder(watched.values())
	// A file that vanished or cannot be read mid-walk is skipped, not fatal:
	// Terraform may still be cleaning up its working directories.
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil || d.IsDir() || strings.HasSuffix(d.Name(), ".tf") || strings.Contains(p, string(filepath.Separator)+".terraform"+string(filepath.Separator)) {
			return nil //nolint:nilerr // see above
		}
		raw, readErr := os.ReadFile(p)
		if readErr != nil {
			return nil //nolint:nilerr // see above
		}
		switch {
		case strings.HasSuffix(d.Name(), ".log"):
			logs++
		case strings.HasPrefix(d.Name(), "terraform.tfstate"):
			states++
		}
		if kind := f.find(raw); kind != "" {
			problems = append(problems, fmt.Sprintf("%s contains %s", p, kind))
		}
		return nil
	})
	return problems, logs, states
}

func TestLeakScanFindsPlantedValues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := testPlaintext(t, "planted")
	for name, body := range map[string]string{
		"clean.log":              "nothing to see",
		"main.tf":                "token = \"" + testToken + "\"", // input, not scanned
		"terraform.tfstate":      `{"a":"` + plain + `"}`,
		"leaky-TRACE-output.log": "Authorization: Bearer " + testToken,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	problems, logs, states := scanRunFiles(dir)
	if logs != 2 || states != 1 {
		t.Errorf("read %d logs and %d state files, want 2 and 1", logs, states)
	}
	if len(problems) != 2 {
		t.Fatalf("problems = %q, want the state file and the leaky log", problems)
	}
	for _, p := range problems {
		if strings.Contains(p, plain) || strings.Contains(p, testToken) {
			t.Errorf("a problem report repeats the value: %s", p)
		}
	}
}

func TestFinderFindsEveryValueAnywhere(t *testing.T) {
	t.Parallel()
	values := map[string]string{"short": "a short value", "a-much-longer-value-0123456789": "a long value", "a-much-longer-other": "another"}
	f := newFinder(values)
	for v, kind := range values {
		for _, at := range []string{"%s", "prefix %s", "%s suffix", "x%sy"} {
			if got := f.find([]byte(fmt.Sprintf(at, v))); got != kind {
				t.Errorf("find(%q) = %q, want %q", fmt.Sprintf(at, v), got, kind)
			}
		}
	}
	if got := f.find([]byte("a-much-longer-valu and shor")); got != "" {
		t.Errorf("find of near misses = %q, want nothing", got)
	}
}
