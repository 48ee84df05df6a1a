package provider

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// invalidConfig is one configuration that must fail at plan, before any
// request, with a message naming the attribute and the rule it breaks.
type invalidConfig struct {
	name   string
	config string
	want   string // regexp over the error output
}

// TestAccInvalidConfigurations is the catalogue of resource and data source
// configurations the provider refuses before it talks to GitHub. Every case
// runs the real terraform CLI; the fake must see no request at all.
func TestAccInvalidConfigurations(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	runInvalidConfigs(t, env, resourceInvalidConfigs(env), testProviderFactories)
}

// TestAccInvalidProviderConfigurations is the catalogue's provider part: its
// provider sees none of the environment variables it falls back to.
func TestAccInvalidProviderConfigurations(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	runInvalidConfigs(t, env, providerInvalidConfigs(t, env), providerFactoriesWithEnv(nil))
}

func TestInvalidConfigurationCatalogueSize(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if n := len(resourceInvalidConfigs(env)) + len(providerInvalidConfigs(t, env)); n < 30 {
		t.Errorf("the catalogue holds %d configurations, want at least 30", n)
	}
}

func runInvalidConfigs(t *testing.T, env *testEnv, cases []invalidConfig, factories map[string]func() (tfprotov6.ProviderServer, error)) {
	t.Run("catalogue", func(t *testing.T) {
		for _, tc := range batchInvalidConfigs(t, env, cases, factories) {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				acctest.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: factories,
					Steps: []resource.TestStep{{
						Config:      tc.config,
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(tc.want),
					}},
				})
			})
		}
	})
	if n := env.fake.CountRequests(""); n != 0 {
		t.Fatalf("invalid configurations sent %d requests to the API, want 0", n)
	}
}

// batchInvalidConfigs plans the cases that share the provider block of env
// together, each under a resource name of its own, and returns the cases
// that remain to be run alone: those whose error was not found among the
// diagnostics that name their resource. Terraform reports every
// validation error of a configuration at once, and the plan-time errors
// once nothing fails validation, so the cases that fail later come out in a
// later round; a case passes only on an error of its own, with the message
// it wants.
func batchInvalidConfigs(t *testing.T, env *testEnv, cases []invalidConfig, factories map[string]func() (tfprotov6.ProviderServer, error)) []invalidConfig {
	t.Helper()
	header := env.config("")
	var pending, alone []int
	for i, tc := range cases {
		if strings.HasPrefix(tc.config, header) && strings.Count(tc.config, `"test"`) == 1 {
			pending = append(pending, i)
		} else {
			alone = append(alone, i)
		}
	}
	name := func(i int) string { return fmt.Sprintf("case_%d", i) }
	var cli *acctest.Workdir
	for len(pending) > 1 {
		var body strings.Builder
		body.WriteString(header)
		for _, i := range pending {
			b := strings.TrimPrefix(cases[i].config, header)
			b = strings.Replace(b, `"test"`, `"`+name(i)+`"`, 1)
			body.WriteString("\n" + b + "\n")
		}
		if cli == nil {
			cli = acctest.NewCLIInProcess(t, factories, body.String())
			cli.MustRun("init", "-input=false")
		} else {
			cli.WriteConfig(body.String())
		}
		out, code := cli.Run("plan", "-input=false")
		if code == 0 {
			t.Fatalf("a configuration of %d invalid cases planned:\n%s", len(pending), acctest.Tail(out))
		}
		blocks := diagnosticBlocks(out)
		var next []int
		for _, i := range pending {
			var own []string
			for _, b := range blocks {
				if strings.Contains(b, `"`+name(i)+`"`) || strings.Contains(b, "."+name(i)+",") {
					own = append(own, b)
				}
			}
			if regexp.MustCompile(cases[i].want).MatchString(strings.Join(own, "\n")) {
				t.Logf("%s: refused with the error it wants (batched)", cases[i].name)
				continue
			}
			next = append(next, i)
		}
		if len(next) == len(pending) {
			break
		}
		pending = next
	}
	var rest []invalidConfig
	for _, i := range append(alone, pending...) {
		rest = append(rest, cases[i])
	}
	return rest
}

// diagnosticBlocks splits the CLI's human-readable output into its
// diagnostics, leaving out the one-claimant errors, which name two
// resources and a batch of cases makes on purpose.
func diagnosticBlocks(out string) []string {
	var blocks []string
	for _, b := range regexp.MustCompile(`(?m)^(?:│ |\s*)?(?:Error|Warning): `).Split(out, -1)[1:] {
		if !strings.HasPrefix(b, "Two Resources Manage One Secret") {
			blocks = append(blocks, b)
		}
	}
	return blocks
}

// literalToken stands in a provider block of a configuration that must fail
// before any request. Terraform quotes configuration lines in its
// diagnostics, so the run's real token is never written into one.
const literalToken = "ghp_literal_in_configuration_only"

const badName = `(?s)Invalid Secret Name.*secret_name`

func resourceInvalidConfigs(env *testEnv) []invalidConfig {
	sealed, keyID := env.fake.Seal(testOrg, []byte("x"))
	secret := func(attrs string) string {
		return env.config("resource \"ghsecrets_org_actions_secret\" \"test\" {\n" + attrs + "\n}")
	}
	named := func(name string) string {
		return secret(fmt.Sprintf("secret_name = %q\nvisibility = \"all\"\nvalue_wo = \"x\"", name))
	}
	return []invalidConfig{
		// Secret names: GitHub's rule.
		{"name empty", named(""), badName + `.*empty`},
		{"name with a leading digit", named("1PASSWORD"), badName + `.*starts\s+with\s+a\s+digit`},
		{"name with GITHUB_ prefix", named("GITHUB_TOKEN"), badName + `.*reserved\s+prefix`},
		{"name with github_ prefix", named("github_token"), badName + `.*reserved\s+prefix`},
		{"name with GitHub_ prefix in mixed case", named("GitHub_Token"), badName + `.*reserved\s+prefix`},
		{"name with a space", named("MY SECRET"), badName},
		{"name with a hyphen", named("MY-SECRET"), badName},
		{"name with a dot", named("MY.SECRET"), badName},
		{"name with a non-ASCII letter", named("CLÉ"), badName},
		{"name with a newline", named("MY\nSECRET"), badName},

		// Visibility.
		{"visibility unknown word", secret("secret_name = \"OK\"\nvisibility = \"public\"\nvalue_wo = \"x\""), `(?s)visibility.*must\s+be\s+one\s+of`},
		{"visibility in upper case", secret("secret_name = \"OK\"\nvisibility = \"Selected\"\nvalue_wo = \"x\""), `(?s)visibility.*must\s+be\s+one\s+of`},
		{"visibility empty", secret("secret_name = \"OK\"\nvisibility = \"\"\nvalue_wo = \"x\""), `(?s)visibility.*must\s+be\s+one\s+of`},
		{"repository list on a private secret", secret("secret_name = \"OK\"\nvisibility = \"private\"\nvalue_wo = \"x\"\nselected_repository_ids = [1]"),
			`(?s)selected_repository_ids.*only\s+allowed\s+with\s+visibility\s+=\s+"selected"`},
		{"repository list with id 0", secret("secret_name = \"OK\"\nvisibility = \"selected\"\nvalue_wo = \"x\"\nselected_repository_ids = [0]"),
			`(?s)selected_repository_ids.*at\s+least\s+1`},

		// Values.
		{"no value", secret("secret_name = \"OK\"\nvisibility = \"all\""), `(?s)Missing Attribute Configuration.*value_wo,encrypted_value_wo`},
		{"value_wo_version without a value", secret("secret_name = \"OK\"\nvisibility = \"all\"\nvalue_wo_version = 2"),
			`(?s)Missing Attribute Configuration.*value_wo,encrypted_value_wo`},
		{"both values", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nvalue_wo = \"x\"\nencrypted_value_wo = %q\nkey_id = %q", sealed, keyID)),
			`(?s)Invalid Attribute Combination.*value_wo,encrypted_value_wo`},
		{"encrypted value not base64", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = \"not base64!\"\nkey_id = %q", keyID)),
			`(?s)Invalid Encrypted Value.*encrypted_value_wo.*base64`},
		{"encrypted value base64 without padding", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = %q\nkey_id = %q", strings.TrimRight(sealed, "=")+"A", keyID)),
			`(?s)Invalid Encrypted Value.*encrypted_value_wo`},
		{"encrypted value too short for a sealed box", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = %q\nkey_id = %q", base64.StdEncoding.EncodeToString(make([]byte, 47)), keyID)),
			`(?s)Invalid Encrypted Value.*encrypted_value_wo.*fewer\s+than\s+the\s+48\s+bytes`},
		{"encrypted value over 48 KB", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = %q\nkey_id = %q", base64.StdEncoding.EncodeToString(make([]byte, 48*1024+49)), keyID)),
			`(?s)Invalid Encrypted Value.*encrypted_value_wo.*limit\s+of\s+49152`},
		{"encrypted value without key_id", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = %q", sealed)),
			`(?s)key_id.*must\s+be\s+specified`},
		{"key_id with a plaintext value", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nvalue_wo = \"x\"\nkey_id = %q", keyID)),
			`(?s)encrypted_value_wo.*must\s+be\s+specified`},
		{"key_id empty", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nencrypted_value_wo = %q\nkey_id = \"\"", sealed)),
			`(?s)key_id.*at\s+least\s+1`},
		{"value over 48 KB", secret(fmt.Sprintf("secret_name = \"OK\"\nvisibility = \"all\"\nvalue_wo = %q", strings.Repeat("a", 48*1024+1))),
			`(?s)value_wo.*at\s+most\s+49152`},

		// Repository lists and single repository access.
		{"list with repository id zero", env.config(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = "OK"
  selected_repository_ids = [0]
}`), `(?s)selected_repository_ids.*at\s+least\s+1`},
		{"list with a negative repository id", env.config(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = "OK"
  selected_repository_ids = [-5]
}`), `(?s)selected_repository_ids.*at\s+least\s+1`},
		{"list for a bad secret name", env.config(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = "GITHUB_X"
  selected_repository_ids = []
}`), badName + `.*reserved\s+prefix`},
		{"single access with repository id zero", env.config(`
resource "ghsecrets_org_actions_secret_repository" "test" {
  secret_name   = "OK"
  repository_id = 0
}`), `(?s)repository_id.*at\s+least\s+1`},
		{"single access for a bad secret name", env.config(`
resource "ghsecrets_org_actions_secret_repository" "test" {
  secret_name   = "9LIVES"
  repository_id = 1
}`), badName + `.*starts\s+with\s+a\s+digit`},
		{"repository name with its owner", env.config(`
data "ghsecrets_org_repositories" "test" {
  names = ["acme/api"]
}`), `(?s)names.*repository\s+name\s+without\s+its\s+owner`},
	}
}

func providerInvalidConfigs(t *testing.T, env *testEnv) []invalidConfig {
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	withProvider := func(provider string) string {
		return requiredProviders + provider + `
resource "ghsecrets_org_actions_secret" "test" {
  secret_name = "CONFIG_TEST"
  visibility  = "all"
  value_wo    = "x"
}`
	}
	provider := func(attrs string) string {
		return withProvider(fmt.Sprintf("provider \"ghsecrets\" {\n  owner = %q\n  base_url = %q\n%s\n}\n", testOrg, env.url, attrs))
	}
	return []invalidConfig{
		// Provider settings.
		{"owner missing", withProvider(providerBlock("", literalToken, env.url)), `(?s)Missing GitHub Organization.*owner.*GITHUB_OWNER`},
		{"owner not a login", withProvider(providerBlock("acme/corp", literalToken, env.url)), `(?s)owner.*GitHub\s+organization\s+login`},
		{"token missing", withProvider(providerBlock(testOrg, "", env.url)), `(?s)Missing GitHub Token.*token.*GITHUB_TOKEN.*GH_TOKEN`},
		{"base_url http to a public host", withProvider(providerBlock(testOrg, literalToken, "http://ghe.example.com")),
			`(?s)Invalid GitHub API Base URL.*base_url.*loopback\s+addresses`},
		{"base_url with an ftp scheme", withProvider(providerBlock(testOrg, literalToken, "ftp://ghe.example.com")), `(?s)Invalid GitHub API Base URL.*base_url`},
		{"base_url with credentials", withProvider(providerBlock(testOrg, literalToken, "https://user:pw@ghe.example.com")), `(?s)Invalid GitHub API Base URL.*base_url`},
		{"base_url not a URL", withProvider(providerBlock(testOrg, literalToken, "ghe example com")), `(?s)Invalid GitHub API Base URL.*base_url`},
		{"token and app_auth together", provider(fmt.Sprintf("  token = %q\n  app_auth {\n    id = \"1\"\n    installation_id = \"2\"\n    pem_file = %q\n  }", literalToken, notPEM)),
			`(?s)Invalid Attribute Combination.*token`},
		{"app_auth without installation_id", provider("  app_auth {\n    id = \"1\"\n    pem_file = \"-----BEGIN RSA PRIVATE KEY-----\"\n  }"),
			`(?s)Missing GitHub App Setting.*app_auth.installation_id.*GITHUB_APP_INSTALLATION_ID`},
		{"app_auth installation_id not a number", provider("  app_auth {\n    id = \"1\"\n    installation_id = \"abc\"\n    pem_file = \"-----BEGIN RSA PRIVATE KEY-----\"\n  }"),
			`(?s)installation_id.*positive\s+number`},
		{"app_auth pem_file missing", provider("  app_auth {\n    id = \"1\"\n    installation_id = \"2\"\n    pem_file = \"/nonexistent/app.pem\"\n  }"),
			`(?s)Invalid GitHub App Private Key.*pem_file.*no\s+such\s+file`},
		{"ca_cert_file missing", provider(`  token = "` + literalToken + `"` + "\n  ca_cert_file = \"/nonexistent/ca.pem\""),
			`(?s)Invalid CA Certificate File.*ca_cert_file.*no\s+such\s+file`},
		{"ca_cert_file without a certificate", provider(`  token = "` + literalToken + `"` + fmt.Sprintf("\n  ca_cert_file = %q", notPEM)),
			`(?s)Invalid CA Certificate File.*ca_cert_file.*no\s+PEM\s+certificate`},
		{"ca_cert_pem without a certificate", provider(`  token = "` + literalToken + `"` + "\n  ca_cert_pem = \"hello\""),
			`(?s)Invalid CA Certificates.*ca_cert_pem.*no\s+PEM\s+certificate`},
		{"ca_cert_file and ca_cert_pem together", provider(`  token = "` + literalToken + `"` + fmt.Sprintf("\n  ca_cert_file = %q\n  ca_cert_pem = \"x\"", notPEM)),
			`(?s)Invalid Attribute Combination.*ca_cert_pem`},
		{"max_retries too high", provider(`  token = "` + literalToken + `"` + "\n  max_retries = 99"), `(?s)max_retries.*between\s+0\s+and\s+10`},
		{"max_rate_limit_wait not a duration", provider(`  token = "` + literalToken + `"` + "\n  max_rate_limit_wait = \"soon\""),
			`(?s)Invalid Duration.*max_rate_limit_wait.*duration`},
	}
}
