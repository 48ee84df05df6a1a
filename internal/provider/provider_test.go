package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	// Configurations name the provider by its real source address.
	os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "ghsecrets")
	dir, err := os.MkdirTemp("", "ghsecrets-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TF_ACC_TEMP_DIR", dir)
	accTempDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testEnv is one fake GitHub organization served on loopback for one test.
type testEnv struct {
	fake  *fakegithub.Server
	url   string
	repos []fakegithub.Repository
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvFor(t, testOrg)
}

// newTestEnvFor serves a fake organization named org with three repositories.
func newTestEnvFor(t *testing.T, org string) *testEnv {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{org}})
	var repos []fakegithub.Repository
	for _, name := range []string{"api", "web", "worker"} {
		repos = append(repos, fake.AddRepository(org, name))
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &testEnv{fake: fake, url: srv.URL, repos: repos}
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
	return requiredProviders + providerBlock(testOrg, testToken, e.url) + `
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
	return "plaintext-" + label + "-" + hex.EncodeToString(b)
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

func TestAccProvider_configurationErrors(t *testing.T) {
	env := newTestEnv(t)
	for _, v := range []string{envOwner, envToken, envGHToken, envBaseURL} {
		t.Setenv(v, "")
	}
	secret := `
resource "ghsecrets_org_actions_secret" "test" {
  secret_name = "CONFIG_TEST"
  visibility  = "all"
  value_wo    = "x"
}`
	cases := []struct {
		name     string
		provider string
		want     string
	}{
		{"missing owner", providerBlock("", testToken, env.url), `(?s)Missing GitHub Organization.*GITHUB_OWNER`},
		{"missing token", providerBlock(testOrg, "", env.url), `(?s)Missing GitHub Token.*GITHUB_TOKEN.*GH_TOKEN`},
		{"http to a public host", providerBlock(testOrg, testToken, "http://ghe.example.com"), `(?s)Invalid GitHub API Base URL.*base_url.*loopback\s+addresses`},
		{"not a URL scheme", providerBlock(testOrg, testToken, "ftp://ghe.example.com"), `(?s)Invalid GitHub API Base URL.*base_url`},
		{"owner not a login", providerBlock("acme/corp", testToken, env.url), `(?s)owner.*GitHub\s+organization\s+login`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      requiredProviders + tc.provider + secret,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	if n := env.fake.CountRequests(""); n != 0 {
		t.Fatalf("invalid provider configurations sent %d requests to the API, want 0", n)
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: strings.Replace(env.config(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name = "BAD_TOKEN"
  visibility  = "all"
  value_wo    = "x"
}`), testToken, "ghp_not_the_right_one", 1),
			ExpectError: regexp.MustCompile(`(?s)BAD_TOKEN.*401.*Bad\s+credentials`),
		}},
	})
	if env.fake.CountWrites() != 0 {
		t.Fatal("a rejected token still wrote to the API")
	}
}
