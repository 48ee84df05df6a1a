package acctest

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// BuildProvider returns a folder holding the provider binary, built from the
// module root once per test binary run and shared by the tests that drive
// the terraform CLI themselves.
func BuildProvider(t testing.TB) string {
	t.Helper()
	dir, err := providerBuild()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var providerBuild = sync.OnceValues(func() (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	bin, err := os.MkdirTemp("", "ghsecrets-provider-")
	if err != nil {
		return "", err
	}
	onExit(func() { os.RemoveAll(bin) })
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-ghsecrets"), ".")
	build.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return bin, nil
})

// Workdir runs the terraform CLI in one working directory against the provider
// binary in a folder, through dev_overrides, as a user would. Every output
// is scanned for watched values.
type Workdir struct {
	t testing.TB
	// Dir is the working directory; Env is added to each command's
	// environment.
	Dir  string
	Env  []string
	runs int
}

// NewCLI prepares a working directory with config as its main.tf, under the
// run's folder so the run's leak scan reads its state files and logs too.
// env is added to the environment (owner, token, base URL, variables).
func NewCLI(t testing.TB, providerDir, config string, env ...string) *Workdir {
	t.Helper()
	return NewCLIProviders(t, map[string]string{"ghsecrets/ghsecrets": providerDir}, config, env...)
}

// NewCLIProviders is NewCLI for several providers, each source address
// ("integrations/github") loaded from its folder through dev_overrides.
func NewCLIProviders(t testing.TB, providerDirs map[string]string, config string, env ...string) *Workdir {
	t.Helper()
	var lines strings.Builder
	for _, source := range slices.Sorted(maps.Keys(providerDirs)) {
		fmt.Fprintf(&lines, "    %q = %q\n", source, providerDirs[source])
	}
	overrides := "provider_installation {\n  dev_overrides {\n" + lines.String() + "  }\n  direct {}\n}\n"
	// The commands' output is scanned here (Run), and their state files at
	// the end of the run; the shim leaves it to them, since a test may read
	// on purpose what a command printed (another provider's state).
	return newWorkdir(t, overrides, config, append([]string{"GHSECRETS_SHIM_SCAN=off"}, env...))
}

// newWorkdir prepares a working directory with config as its main.tf and
// rc as its CLI configuration, under the run's folder so the run's leak
// scan reads its state files and logs too; env is added to the
// environment.
func newWorkdir(t testing.TB, rc, config string, env []string) *Workdir {
	t.Helper()
	skipOtherTests(t)
	Terraform(t)
	// Not t.TempDir: the directory must stay under the run's folder, whose
	// files the leak scan reads after all tests.
	dir, err := os.MkdirTemp(TempDir(), "cli-") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	rcFile := filepath.Join(dir, "terraformrc")
	for name, body := range map[string]string{rcFile: rc, filepath.Join(dir, "main.tf"): config} {
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	base := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "TF_LOG_PATH=") || strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") || strings.HasPrefix(kv, "TF_REATTACH_PROVIDERS=")
	})
	env = append(base, append([]string{"TF_CLI_CONFIG_FILE=" + rcFile, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"}, env...)...)
	return &Workdir{t: t, Dir: dir, Env: env}
}

// WriteConfig replaces the working directory's configuration.
func (c *Workdir) WriteConfig(config string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(config), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// Command prepares one terraform command. A TF_LOG from the environment
// (TRACE in acceptance runs) goes to a log file of its own under the run's
// log folder rather than to the output.
func (c *Workdir) Command(args ...string) *exec.Cmd {
	c.t.Helper()
	c.runs++
	cmd := exec.Command(Terraform(c.t), args...)
	cmd.Dir, cmd.Env = c.Dir, slices.Clone(c.Env)
	if os.Getenv("TF_LOG") != "" {
		logs := filepath.Join(TempDir(), "logs")
		if err := os.MkdirAll(logs, 0o700); err != nil {
			c.t.Fatal(err)
		}
		name := fmt.Sprintf("%s-%s-%d.log", strings.ReplaceAll(c.t.Name(), "/", "_"), args[0], c.runs)
		cmd.Env = append(cmd.Env, "TF_LOG_PATH="+filepath.Join(logs, name))
	}
	return cmd
}

// Run runs a terraform command to its end and returns its output and exit
// code; output holding a watched value fails the test.
func (c *Workdir) Run(args ...string) (string, int) {
	c.t.Helper()
	cmd := c.Command(append(args, "-no-color")...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			c.t.Fatalf("terraform %s: %v", args[0], err)
		}
		code = exit.ExitCode()
	}
	c.CheckNoLeak("the output of terraform "+args[0], out)
	return string(out), code
}

// MustRun runs a terraform command that must succeed.
func (c *Workdir) MustRun(args ...string) string {
	c.t.Helper()
	out, code := c.Run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited with %d:\n%s", args[0], code, Tail(out))
	}
	return out
}

// CheckNoLeak fails the test when raw holds a watched value.
func (c *Workdir) CheckNoLeak(what string, raw []byte) {
	c.t.Helper()
	if kind := Leaked(raw); kind != "" {
		c.t.Errorf("%s contains %s", what, kind)
	}
}

// CheckStateFiles scans the state file and its backup for watched values.
func (c *Workdir) CheckStateFiles() {
	c.t.Helper()
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		raw, err := os.ReadFile(filepath.Join(c.Dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			c.t.Fatal(err)
		}
		c.CheckNoLeak(name, raw)
	}
}

// Tail is the end of s, at most 4000 bytes: enough of Terraform's output to
// see why it failed.
func Tail(s string) string {
	const n = 4000
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
