package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const (
	testOrg   = "acme"
	testToken = "ghp_testtoken0123456789abcdefABCDEF"
)

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ghsecrets": providerserver.NewProtocol6WithError(New("test")()),
}

// accTempDir holds every Terraform working directory of this run, so tests
// can scan the raw state files Terraform writes.
var accTempDir string

// TestMain makes the hermetic acceptance tests run with a plain `go test`:
// they need no account, only the terraform CLI, so they are never skipped.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		os.Setenv("TF_ACC", "1")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "the acceptance tests need the terraform CLI (>= 1.11) on PATH or in TF_ACC_TERRAFORM_PATH")
			os.Exit(1)
		}
		os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	// The token comes from the environment, as users are told to pass it, so
	// no configuration (and so no plan JSON) holds it.
	os.Setenv(envToken, testToken)
	// Configurations name the provider by its real source address.
	os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "ghsecrets")
	dir, err := os.MkdirTemp("", "ghsecrets-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TF_ACC_TEMP_DIR", dir)
	accTempDir = dir
	// Every run logs at TRACE (the CLI and the provider), and every log is
	// scanned afterwards: a value or token in any log fails the run.
	if os.Getenv("TF_LOG_PATH_MASK") == "" && os.Getenv("TF_ACC_LOG_PATH") == "" {
		os.Setenv("TF_ACC_LOG", "TRACE")
		os.Setenv("TF_LOG", "TRACE")
		os.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "logs", "%s.log"))
		if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if code == 0 {
		problems, logs, states := scanRunFiles(dir)
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "leak check:", p)
		}
		switch {
		case len(problems) > 0:
			code = 1
		case os.Getenv("TF_LOG_PATH_MASK") == filepath.Join(dir, "logs", "%s.log") && logs == 0 && states > 0:
			// Terraform wrote state but no log: the logs are not where the scan looks.
			fmt.Fprintf(os.Stderr, "leak check: found %d TRACE logs beside %d state files; the scan would prove nothing\n", logs, states)
			code = 1
		default:
			fmt.Fprintf(os.Stderr, "leak check: no value, ciphertext or token in %d TRACE logs and %d state files\n", logs, states)
		}
	}
	os.RemoveAll(dir)
	for _, f := range cleanups {
		f()
	}
	os.Exit(code)
}

// cleanups run once every test has finished.
var cleanups []func()

// testEnv is one fake GitHub organization served on loopback for one test.
type testEnv struct {
	fake  *fakegithub.Server
	url   string
	repos []fakegithub.Repository
	clock *testClock
	// intercept, when set, answers a request in place of the fake (a proxy
	// or a broken server) when it returns true.
	intercept atomic.Pointer[func(http.ResponseWriter, *http.Request) bool]
}

// interceptWith makes f answer in place of the fake; nil restores the fake.
func (e *testEnv) interceptWith(f func(http.ResponseWriter, *http.Request) bool) {
	if f == nil {
		e.intercept.Store(nil)
		return
	}
	e.intercept.Store(&f)
}

// testClock is the fake's clock: real time plus an offset tests move forward.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// later moves the fake's clock a minute on, so a change made out of band
// next happens well after Terraform's last write, as a person's edit would.
func (e *testEnv) later() { e.clock.offset.Add(int64(time.Minute)) }

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvFor(t, testOrg)
}

// newTestEnvFor serves a fake organization named org with three repositories.
func newTestEnvFor(t *testing.T, org string) *testEnv {
	t.Helper()
	clock := &testClock{}
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{org}, Now: clock.now})
	var repos []fakegithub.Repository
	for _, name := range []string{"api", "web", "worker"} {
		repos = append(repos, fake.AddRepository(org, name))
	}
	watched.addFake(fake)
	// Every request the provider sends and every answer the fake gives is
	// checked against GitHub's OpenAPI description.
	spec, err := apispec.New()
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{fake: fake, repos: repos, clock: clock}
	validated := spec.Middleware(fake)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := env.intercept.Load(); f != nil && (*f)(w, r) {
			return
		}
		validated.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, f := range spec.Failures() {
			t.Errorf("traffic does not match the API description: %s", f)
		}
	})
	env.url = srv.URL
	return env
}

// requiredProviders names the provider by its real source address.
const requiredProviders = `
terraform {
  required_providers {
    ghsecrets = { source = "ghsecrets/ghsecrets" }
  }
}
`

// config prefixes body with the provider configuration for this fake and the
// ephemeral variable "value" that tests pass secret values through.
func (e *testEnv) config(body string) string {
	return requiredProviders + providerBlock(testOrg, "", e.url) + `
variable "value" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}
` + body
}

// repoID returns the id of the i-th repository of the fake organization.
func (e *testEnv) repoID(i int) int64 { return e.repos[i].ID }

// secretPuts counts the value writes (PUT of the secret itself) the fake saw for name.
func (e *testEnv) secretPuts(name string) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == "PUT" && strings.EqualFold(r.Path, "/orgs/"+testOrg+"/actions/secrets/"+name) {
			n++
		}
	}
	return n
}

// checkValue asserts the plaintext GitHub holds for a secret.
func (e *testEnv) checkValue(name, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := e.fake.SecretValue(testOrg, name)
		if !ok {
			return fmt.Errorf("secret %s does not exist on the fake GitHub", name)
		}
		if string(got) != want {
			return fmt.Errorf("secret %s holds a value of %d bytes that is not the configured one", name, len(got))
		}
		return nil
	}
}

// checkSecret asserts the visibility and repository list GitHub holds for a secret.
func (e *testEnv) checkSecret(name, visibility string, repoIDs ...int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s, ok := e.fake.Secret(testOrg, name)
		if !ok {
			return fmt.Errorf("secret %s does not exist on the fake GitHub", name)
		}
		if s.Visibility != visibility {
			return fmt.Errorf("secret %s has visibility %q, want %q", name, s.Visibility, visibility)
		}
		want := slices.Clone(repoIDs)
		slices.Sort(want)
		if !slices.Equal(s.SelectedRepositoryIDs, want) && (len(want) != 0 || len(s.SelectedRepositoryIDs) != 0) {
			return fmt.Errorf("secret %s has repositories %v, want %v", name, s.SelectedRepositoryIDs, want)
		}
		return nil
	}
}

// checkSecretGone asserts that GitHub no longer holds a secret, as after destroy.
func (e *testEnv) checkSecretGone(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, ok := e.fake.Secret(testOrg, name); ok {
			return fmt.Errorf("secret %s still exists after destroy", name)
		}
		return nil
	}
}

// checkSecretPuts asserts how many value writes the fake has seen for a secret.
func (e *testEnv) checkSecretPuts(name string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.secretPuts(name); got != want {
			return fmt.Errorf("the fake saw %d PUTs of secret %s, want %d", got, name, want)
		}
		return nil
	}
}

// testPlaintext returns a value unique to the test, so a leak scan cannot
// match anything but this test's value.
func testPlaintext(t *testing.T, label string) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	v := "plaintext-" + label + "-" + hex.EncodeToString(b)
	watched.add(v)
	return v
}

// noLeak asserts that none of the values appear in the state Terraform
// reports (`terraform show -json`), in the plan JSON, or in any raw state file
// Terraform wrote.
type noLeak struct {
	values []string
}

var (
	_ statecheck.StateCheck = noLeak{}
	_ plancheck.PlanCheck   = noLeak{}
)

func (n noLeak) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if len(raw) < 100 {
		resp.Error = fmt.Errorf("state JSON unexpectedly small (%d bytes): nothing to scan", len(raw))
		return
	}
	resp.Error = n.scan("state JSON", raw)
}

func (n noLeak) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = n.scan("plan JSON", raw)
}

// stateFiles is a TestCheckFunc that scans every raw state file of the run.
func (n noLeak) stateFiles() resource.TestCheckFunc {
	return func(*terraform.State) error {
		found := 0
		err := filepath.WalkDir(accTempDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "terraform.tfstate") {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			found++
			return n.scan(p, raw)
		})
		if err != nil {
			return err
		}
		if found == 0 {
			return fmt.Errorf("no state file found under %s: the scan would prove nothing", accTempDir)
		}
		return nil
	}
}

func (n noLeak) scan(what string, raw []byte) error {
	for _, v := range n.values {
		if v != "" && strings.Contains(string(raw), v) {
			return fmt.Errorf("%s contains a configured secret value", what)
		}
	}
	return nil
}

func TestNoLeakFindsPlantedValue(t *testing.T) {
	t.Parallel()
	n := noLeak{values: []string{"planted-value"}}
	if err := n.scan("x", []byte(`{"a":"planted-value"}`)); err == nil {
		t.Fatal("scan did not find a planted value")
	}
	if err := n.scan("x", []byte(`{"a":"other"}`)); err != nil {
		t.Fatalf("scan found a value that is not there: %v", err)
	}
}

// providerBlock writes a provider block that sets only the non-empty attributes.
func providerBlock(owner, token, baseURL string) string {
	var b strings.Builder
	b.WriteString("provider \"ghsecrets\" {\n")
	for _, kv := range [][2]string{{"owner", owner}, {"token", token}, {"base_url", baseURL}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "  %s = %q\n", kv[0], kv[1])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func TestAccProvider_badToken(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: strings.Replace(env.config(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name = "BAD_TOKEN"
  visibility  = "all"
  value_wo    = "x"
}`), providerBlock(testOrg, "", env.url), providerBlock(testOrg, "ghp_not_the_right_one", env.url), 1),
			ExpectError: regexp.MustCompile(`(?s)BAD_TOKEN.*401.*Bad\s+credentials`),
		}},
	})
	if env.fake.CountWrites() != 0 {
		t.Fatal("a rejected token still wrote to the API")
	}
}
