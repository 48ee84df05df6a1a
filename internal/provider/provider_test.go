package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const (
	testOrg   = "acme"
	testToken = "ghp_testtoken0123456789abcdefABCDEF"
)

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ghsecrets": providerserver.NewProtocol6WithError(New("test")()),
}

// providerFactoriesWithEnv serves a provider whose settings fall back to
// env, as if the process's environment held exactly those variables, so a
// test that configures the provider through the environment, as users do,
// can run in parallel with the others.
func providerFactoriesWithEnv(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	p := &ghsecretsProvider{version: "test", getenv: func(name string) string { return env[name] }}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ghsecrets": providerserver.NewProtocol6WithError(p),
	}
}

// TestMain makes the hermetic acceptance tests run with a plain `go test`:
// they need no account, only the terraform CLI, so they are never skipped
// (see acctest.Run); the tests below Terraform need nothing at all.
func TestMain(m *testing.M) {
	// The token comes from the environment, as users are told to pass it, so
	// no configuration (and so no plan JSON) holds it.
	os.Setenv(envToken, testToken)
	acctest.Watch("the token", testToken)
	// Configurations name the provider by its real source address.
	os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "ghsecrets")
	acctest.SetMatrix(everyCLI)
	os.Exit(acctest.Run(m))
}

// testEnv is one fake GitHub organization served on loopback for one test.
type testEnv struct {
	fake   *fakegithub.Server
	served *acctest.Served
	url    string
	repos  []fakegithub.Repository
	clock  *acctest.Clock
	// row, when set, is the row of a kind table this environment's
	// scenario runs as, together with the other rows (see rows_test.go).
	row *rowRun
}

// interceptWith makes f answer in place of the fake (a proxy or a broken
// server) where it returns true; nil restores the fake.
func (e *testEnv) interceptWith(f func(http.ResponseWriter, *http.Request) bool) {
	e.served.Intercept(f)
}

// later moves the fake's clock a minute on, so a change made out of band
// next happens well after Terraform's last write, as a person's edit would.
func (e *testEnv) later() { e.clock.Advance(time.Minute) }

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvFor(t, testOrg)
}

// newTestEnvFor serves a fake organization named org with three repositories.
func newTestEnvFor(t *testing.T, org string) *testEnv {
	t.Helper()
	return serveFake(t, fakegithub.Options{Orgs: []string{org}}, []string{"api", "web", "worker"}, nil)
}

// serveFake serves a fake built from opts (token and clock are filled in,
// and the first org by default) with the named repositories in its first
// org. wrap, when not nil, sits between the API description check and the
// fake, so a test can shape the traffic.
func serveFake(t *testing.T, opts fakegithub.Options, repoNames []string, wrap func(http.Handler) http.Handler) *testEnv {
	t.Helper()
	clock := &acctest.Clock{}
	if len(opts.Orgs) == 0 {
		opts.Orgs = []string{testOrg}
	}
	opts.Token, opts.Now = testToken, clock.Now
	fake := fakegithub.New(opts)
	var repos []fakegithub.Repository
	for _, name := range repoNames {
		repos = append(repos, fake.AddRepository(opts.Orgs[0], name))
	}
	acctest.WatchFake(fake)
	var h http.Handler = fake
	if wrap != nil {
		h = wrap(h)
	}
	served := acctest.Serve(t, h)
	return &testEnv{fake: fake, served: served, url: served.URL, repos: repos, clock: clock}
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
	if e.row != nil {
		return e.row.body(body)
	}
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
	acctest.Watch("a configured plaintext", v)
	return v
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
	acctest.Test(t, resource.TestCase{
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
