package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScanFilesFindsPlantedValues(t *testing.T) {
	t.Parallel()
	const plain, token = "plaintext-planted-0123456789", "ghp_planted0123456789abcdef"
	Watch("a configured plaintext", plain)
	Watch("the token", token)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"clean.log":              "nothing to see",
		"main.tf":                "token = \"" + token + "\"", // input, not scanned
		"terraform.tfstate":      `{"a":"` + plain + `"}`,
		"leaky-TRACE-output.log": "Authorization: Bearer " + token,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	problems, logs, states := ScanFiles(dir)
	if logs != 2 || states != 1 {
		t.Errorf("read %d logs and %d state files, want 2 and 1", logs, states)
	}
	if len(problems) != 2 {
		t.Fatalf("problems = %q, want the state file and the leaky log", problems)
	}
	for _, p := range problems {
		if strings.Contains(p, plain) || strings.Contains(p, token) {
			t.Errorf("a problem report repeats the value: %s", p)
		}
	}
	if kind := Leaked([]byte("x " + token + " y")); kind != "the token" {
		t.Errorf("Leaked = %q, want the token", kind)
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
