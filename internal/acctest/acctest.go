// Package acctest is what the hermetic acceptance tests share: the run's
// set-up (TRACE logs to a temporary folder, the terraform CLI), the one leak
// scanner every state, plan, log and command output passes through, a
// driver for the terraform CLI itself, and the fake GitHub API served with
// every exchange checked against GitHub's API description.
//
// It knows the fake and the API description, never the provider, so any
// provider package's tests can use it.
package acctest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

var (
	tempDir  string
	cleanups []func()
	mu       sync.Mutex
)

// TempDir is the folder of this run's Terraform working directories and
// TRACE logs, scanned for leaks once every test has finished.
func TempDir() string { return tempDir }

// onExit runs f once every test has finished.
func onExit(f func()) {
	mu.Lock()
	defer mu.Unlock()
	cleanups = append(cleanups, f)
}

// Run runs the tests of a package that holds acceptance tests, and returns
// its exit code: TF_ACC is set, so they are never skipped; Terraform and the
// provider log at TRACE into the run's folder; and afterwards every state
// file and log there is scanned for watched values, any of which fails the
// run. The terraform CLI is found on PATH unless TF_ACC_TERRAFORM_PATH names
// it; without it, the tests that need it fail and the others run.
func Run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		os.Setenv("TF_ACC", "1")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if tf, err := exec.LookPath("terraform"); err == nil {
			os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
		}
	}
	// A CLI configuration file that is named but absent is no configuration
	// to Terraform, but OpenTofu warns about it in every command's output,
	// which terraform-plugin-testing then fails to parse (`tofu version`).
	if rc := os.Getenv("TF_CLI_CONFIG_FILE"); rc != "" {
		if _, err := os.Stat(rc); errors.Is(err, fs.ErrNotExist) {
			os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	if err := useOpenTofuRegistry(os.Getenv("TF_ACC_TERRAFORM_PATH")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "ghsecrets-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tempDir = dir
	os.Setenv("TF_ACC_TEMP_DIR", dir)
	if err := useShim(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	logs := filepath.Join(dir, "logs", "%s.log")
	if os.Getenv("TF_LOG_PATH_MASK") == "" && os.Getenv("TF_ACC_LOG_PATH") == "" {
		os.Setenv("TF_ACC_LOG", "TRACE")
		os.Setenv("TF_LOG", "TRACE")
		os.Setenv("TF_LOG_PATH_MASK", logs)
		if err := os.MkdirAll(filepath.Dir(logs), 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}

	code := m.Run()
	if code == 0 {
		problems, nlogs, states := ScanFiles(dir)
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "leak check:", p)
		}
		switch {
		case len(problems) > 0:
			code = 1
		case os.Getenv("TF_LOG_PATH_MASK") == logs && nlogs == 0 && states > 0:
			// Terraform wrote state but no log: the logs are not where the scan looks.
			fmt.Fprintf(os.Stderr, "leak check: found %d TRACE logs beside %d state files; the scan would prove nothing\n", nlogs, states)
			code = 1
		default:
			fmt.Fprintf(os.Stderr, "leak check: no value, ciphertext or token in %d TRACE logs and %d state files\n", nlogs, states)
		}
	}
	os.RemoveAll(dir)
	mu.Lock()
	defer mu.Unlock()
	for _, f := range cleanups {
		f()
	}
	return code
}

// Terraform returns the terraform CLI the tests run, and fails the test when
// there is none: acceptance tests are never skipped.
func Terraform(t testing.TB) string {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Fatal("this test needs the terraform CLI (>= 1.11): put it on PATH or name it in TF_ACC_TERRAFORM_PATH")
	}
	return tf
}

// Test runs an acceptance test case. Every command it runs goes through the
// CLI shim, which has its output, the state and every saved plan scanned for
// watched values (see useShim); LeakCheck is added to the plan the harness
// shows after each apply anyway, where it costs no command.
func Test(t *testing.T, tc resource.TestCase) {
	t.Helper()
	skipOtherTests(t)
	Terraform(t)
	for i := range tc.Steps {
		st := &tc.Steps[i]
		if st.Config == "" || st.ImportState || st.RefreshState || st.PlanOnly {
			continue
		}
		post := st.ConfigPlanChecks.PostApplyPostRefresh
		st.ConfigPlanChecks.PostApplyPostRefresh = append(post[:len(post):len(post)], LeakCheck{})
	}
	resource.Test(t, tc)
}
