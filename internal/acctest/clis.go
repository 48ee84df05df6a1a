package acctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// CLI returns the path of a cached command-line binary, name being its file
// name in the cache (terraform-1.15.9, tofu-1.12.6,
// terraform-provider-github): $GHSECRETS_CLI_DIR/name, the folder defaulting
// to .cache/clis in the module root (`make clis` fills it). A missing binary
// skips the test, with the reason, except in CI (CI=true), where it fails.
func CLI(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("GHSECRETS_CLI_DIR")
	if dir == "" {
		gomod, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			t.Fatalf("go env GOMOD: %v", err)
		}
		dir = filepath.Join(filepath.Dir(strings.TrimSpace(string(gomod))), ".cache", "clis")
	}
	path := filepath.Join(dir, name)
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		msg := name + " is not in " + dir + ": run `make clis`, or set GHSECRETS_CLI_DIR to a folder holding it"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}
