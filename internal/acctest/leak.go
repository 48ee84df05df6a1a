package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// watched holds every value that must never surface in state, plan, logs,
// errors or a command's output: the tests' plaintexts and tokens, every
// ciphertext any fake of the run was sent, and every spelling of those a
// hostile fake echoed.
var watched watchList

type watchList struct {
	mu     sync.Mutex
	values map[string]string // value -> what it is, for messages that never repeat it
	fakes  []*fakegithub.Server
}

// Watch adds values of a kind ("a configured plaintext", "the token") to
// what the scanner looks for.
func Watch(kind string, values ...string) {
	watched.mu.Lock()
	defer watched.mu.Unlock()
	if watched.values == nil {
		watched.values = map[string]string{}
	}
	for _, v := range values {
		if _, ok := watched.values[v]; !ok && v != "" {
			watched.values[v] = kind
		}
	}
}

// WatchFake adds every ciphertext f receives, and every secret a hostile f
// echoes, to what the scanner looks for.
func WatchFake(f *fakegithub.Server) {
	watched.mu.Lock()
	defer watched.mu.Unlock()
	watched.fakes = append(watched.fakes, f)
}

func (w *watchList) snapshot() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]string, len(w.values))
	for v, kind := range w.values {
		out[v] = kind
	}
	for _, f := range w.fakes {
		for _, c := range f.Ciphertexts() {
			out[c] = "a ciphertext the provider sent"
		}
		for _, e := range f.Echoed() {
			if _, ok := out[e]; !ok {
				out[e] = "secret material a hostile server echoed"
			}
		}
	}
	return out
}

// Leaked reports what kind of watched value raw holds, or "" for none.
func Leaked(raw []byte) string {
	return newFinder(watched.snapshot()).find(raw)
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

// LeakCheck is a state and plan check that scans `terraform show -json` of
// the state and of each plan for every watched value. Test adds it to every
// step.
type LeakCheck struct{}

var (
	_ statecheck.StateCheck = LeakCheck{}
	_ plancheck.PlanCheck   = LeakCheck{}
)

func (LeakCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = scanJSON("state JSON", req.State)
}

func (LeakCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = scanJSON("plan JSON", req.Plan)
}

func scanJSON(what string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if kind := Leaked(raw); kind != "" {
		return fmt.Errorf("%s contains %s", what, kind)
	}
	return nil
}

// ScanFiles scans what Terraform and the provider wrote under root (raw
// state files, saved plans, TRACE logs; not the configurations, which are the
// tests' input) for every watched value. It returns the problems found and
// how many logs and state files it read.
func ScanFiles(root string) (problems []string, logs, states int) {
	f := newFinder(watched.snapshot())
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

// StateFilesClean is a check, for a step's Check, that scans every raw state
// file the run's Terraform has written so far (its TRACE logs wait for the
// end of the run) for watched values.
func StateFilesClean() func(*terraform.State) error {
	return func(*terraform.State) error {
		f := newFinder(watched.snapshot())
		found := 0
		err := filepath.WalkDir(TempDir(), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "terraform.tfstate") {
				return nil //nolint:nilerr // Terraform may be removing files as the walk goes
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return nil //nolint:nilerr // as above
			}
			found++
			if kind := f.find(raw); kind != "" {
				return fmt.Errorf("%s contains %s", p, kind)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if found == 0 {
			return fmt.Errorf("no state file found under %s: the scan would prove nothing", TempDir())
		}
		return nil
	}
}
