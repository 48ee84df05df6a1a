package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// registryBlock declares a private registry called label with body.
func registryBlock(label, body string) string {
	return fmt.Sprintf("resource \"ghsecrets_org_private_registry\" %q {\n%s\n}\n", label, body)
}

// checkRegistry asserts what GitHub holds for registry name: the settings
// want says (a nil list for a registry that is not selected) and the
// credential value ("" for none: an OIDC registry).
func checkRegistry(env *testEnv, name string, want fakegithub.RegistryInfo, value string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := env.fake.Registry(testOrg, name)
		if !ok {
			return fmt.Errorf("no private registry %s on the fake; it has %v", name, env.fake.Registries(testOrg))
		}
		want.Name, want.CreatedAt, want.UpdatedAt, want.KeyID = got.Name, got.CreatedAt, got.UpdatedAt, got.KeyID
		if want.Visibility == visibilitySelected && want.SelectedRepositoryIDs == nil {
			want.SelectedRepositoryIDs = []int64{}
		}
		slices.Sort(want.SelectedRepositoryIDs)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("registry %s\n got %+v\nwant %+v", name, got, want)
		}
		held, sealed := env.fake.RegistryValue(testOrg, name)
		switch {
		case value == "" && sealed:
			return fmt.Errorf("registry %s holds a credential; its auth type takes none", name)
		case value != "" && string(held) != value:
			return fmt.Errorf("registry %s holds a credential of %d bytes that is not the configured one", name, len(held))
		}
		return nil
	}
}

// TestAccPrivateRegistry_lifecycle: a token registry is created with its
// list, restored after its credential changed outside Terraform, rotated
// by version, changed in place (URL, visibility), put back after a change
// GitHub shows, made again after a deletion outside Terraform, imported by
// name, and destroyed. State and plan hold no
// credential, and nothing secret reaches logs.
func TestAccPrivateRegistry_lifecycle(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first, second := testPlaintext(t, "registry-first"), testPlaintext(t, "registry-second")
	a, b := env.repoID(0), env.repoID(1)
	addr := "ghsecrets_org_private_registry.npm"
	selected := func(version int) string {
		return env.config(registryBlock("npm", fmt.Sprintf(`  registry_type           = "npm_registry"
  url                     = "https://npm.pkg.example.com/"
  visibility              = "selected"
  selected_repository_ids = [%d, %d]
  value_wo                = var.value
  value_wo_version        = %d`, a, b, version)))
	}
	private := env.config(registryBlock("npm", `  registry_type    = "npm_registry"
  url              = "https://npm.mirror.example.com/"
  replaces_base    = true
  visibility       = "private"
  value_wo         = var.value
  value_wo_version = 2`))
	npm := func(url, visibility string, replaces bool, ids ...int64) fakegithub.RegistryInfo {
		return fakegithub.RegistryInfo{RegistryType: "npm_registry", URL: url, Visibility: visibility, AuthType: "token",
			ReplacesBase: replaces, SelectedRepositoryIDs: ids}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := env.fake.Registries(testOrg); len(got) != 0 {
				return fmt.Errorf("registries left: %v", got)
			}
			return nil
		},
		Steps: withValue(first, []resource.TestStep{
			{
				Config: selected(1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate), acctest.LeakCheck{}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("NPM_REGISTRY_SECRET")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("auth_type"), knownvalue.StringExact("token")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated_at"), knownvalue.StringRegexp(rfc3339)),
					acctest.LeakCheck{},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.pkg.example.com/", "selected", false, a, b), first),
					acctest.StateFilesClean()),
			},
			{
				// Someone sets another token in GitHub's settings: GitHub shows
				// nothing but the time, and the plan writes the configured one.
				PreConfig: func() {
					env.later()
					env.fake.SetRegistryValueOutOfBand(testOrg, "NPM_REGISTRY_SECRET", []byte("set elsewhere"))
				},
				Config: selected(1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.pkg.example.com/", "selected", false, a, b), first),
			},
			{
				Config:          selected(2),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.LeakCheck{}},
				},
				Check: checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.pkg.example.com/", "selected", false, a, b), second),
			},
			{
				// Settings alone: in place, the credential left as it is.
				Config:          private,
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.mirror.example.com/", "private", true), second),
			},
			{
				// A URL changed in GitHub's settings shows in the plan, which puts it back.
				PreConfig: func() {
					env.later()
					env.fake.UpdateRegistry(testOrg, "NPM_REGISTRY_SECRET", func(r *fakegithub.RegistryInfo) { r.URL = "https://elsewhere.example.com/" })
				},
				Config:          private,
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("url"), knownvalue.StringExact("https://npm.mirror.example.com/")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.mirror.example.com/", "private", true), second),
			},
			{
				// Deleted in GitHub's settings: the plan makes it again.
				PreConfig:       func() { env.fake.DeleteRegistry(testOrg, "NPM_REGISTRY_SECRET") },
				Config:          private,
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkRegistry(env, "NPM_REGISTRY_SECRET", npm("https://npm.mirror.example.com/", "private", true), second),
			},
			{
				ResourceName:            addr,
				Config:                  private,
				ConfigVariables:         valueVar(second),
				ImportState:             true,
				ImportStateId:           "npm_registry_secret",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value_wo_version"},
			},
		}),
	})
}

// registryCase is one registry of every auth type, visibility and value form.
type registryCase struct {
	label, body, name string
	want              fakegithub.RegistryInfo
	value             string
}

// TestAccPrivateRegistry_authTypes: every auth type, every visibility and
// every value form (value_wo, encrypted_value_wo sealed outside Terraform
// for the private-registries key, none for OIDC) is created as configured,
// refreshes to an empty plan, and is destroyed.
func TestAccPrivateRegistry_authTypes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	a := env.repoID(0)
	plain, sealedPlain := testPlaintext(t, "registry-plain"), testPlaintext(t, "registry-sealed")
	sealed, keyID := sealForRegistries(t, env, sealedPlain)
	cases := []registryCase{
		{label: "token", name: "MAVEN_REPOSITORY_SECRET", value: plain,
			body: `registry_type = "maven_repository"
url = "https://maven.example.com/repo"
visibility = "all"
value_wo = var.value
value_wo_version = 1`,
			want: fakegithub.RegistryInfo{RegistryType: "maven_repository", URL: "https://maven.example.com/repo", Visibility: "all", AuthType: "token"}},
		{label: "sealed", name: "NUGET_FEED_SECRET", value: sealedPlain,
			body: fmt.Sprintf(`registry_type = "nuget_feed"
url = "https://nuget.example.com/v3/index.json"
auth_type = "token"
visibility = "selected"
selected_repository_ids = [%d]
encrypted_value_wo = var.sealed
key_id = %q
value_wo_version = 1`, a, keyID),
			want: fakegithub.RegistryInfo{RegistryType: "nuget_feed", URL: "https://nuget.example.com/v3/index.json", Visibility: "selected",
				SelectedRepositoryIDs: []int64{a}, AuthType: "token"}},
		{label: "password", name: "DOCKER_REGISTRY_SECRET", value: plain,
			body: `registry_type = "docker_registry"
url = "https://registry.example.com"
auth_type = "username_password"
username = "robot"
visibility = "private"
value_wo = var.value
value_wo_version = 1`,
			want: fakegithub.RegistryInfo{RegistryType: "docker_registry", URL: "https://registry.example.com", Username: "robot",
				Visibility: "private", AuthType: "username_password"}},
		{label: "azure", name: "NPM_REGISTRY_SECRET",
			body: `registry_type = "npm_registry"
url = "https://pkgs.dev.azure.com/acme/_packaging/feed/npm/registry/"
auth_type = "oidc_azure"
tenant_id = "tenant"
client_id = "client"
visibility = "selected"
selected_repository_ids = []`,
			want: fakegithub.RegistryInfo{RegistryType: "npm_registry", URL: "https://pkgs.dev.azure.com/acme/_packaging/feed/npm/registry/",
				Visibility: "selected", AuthType: "oidc_azure", OIDC: fakegithub.RegistryOIDC{TenantID: "tenant", ClientID: "client"}}},
		{label: "aws", name: "PYTHON_INDEX_SECRET",
			body: `registry_type = "python_index"
url = "https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/pypi/simple/"
auth_type = "oidc_aws"
aws_region = "eu-west-1"
account_id = "111122223333"
role_name = "dependabot"
domain = "acme"
domain_owner = "111122223333"
audience = "sts.amazonaws.com"
visibility = "all"`,
			want: fakegithub.RegistryInfo{RegistryType: "python_index", URL: "https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/pypi/simple/",
				Visibility: "all", AuthType: "oidc_aws", OIDC: fakegithub.RegistryOIDC{AWSRegion: "eu-west-1", AccountID: "111122223333",
					RoleName: "dependabot", Domain: "acme", DomainOwner: "111122223333", Audience: "sts.amazonaws.com"}}},
		{label: "jfrog", name: "HELM_REGISTRY_SECRET",
			body: `registry_type = "helm_registry"
url = "https://acme.jfrog.io/artifactory/api/helm/charts"
auth_type = "oidc_jfrog"
jfrog_oidc_provider_name = "github"
identity_mapping_name = "dependabot"
visibility = "private"`,
			want: fakegithub.RegistryInfo{RegistryType: "helm_registry", URL: "https://acme.jfrog.io/artifactory/api/helm/charts",
				Visibility: "private", AuthType: "oidc_jfrog", OIDC: fakegithub.RegistryOIDC{JFrogOIDCProviderName: "github", IdentityMappingName: "dependabot"}}},
		{label: "cloudsmith", name: "CARGO_REGISTRY_SECRET",
			body: `registry_type = "cargo_registry"
url = "https://cargo.cloudsmith.io/acme/crates/"
auth_type = "oidc_cloudsmith"
namespace = "acme"
service_slug = "dependabot"
audience = "cloudsmith"
visibility = "all"`,
			want: fakegithub.RegistryInfo{RegistryType: "cargo_registry", URL: "https://cargo.cloudsmith.io/acme/crates/",
				Visibility: "all", AuthType: "oidc_cloudsmith", OIDC: fakegithub.RegistryOIDC{Namespace: "acme", ServiceSlug: "dependabot", Audience: "cloudsmith"}}},
		{label: "gcp", name: "TERRAFORM_REGISTRY_SECRET",
			body: `registry_type = "terraform_registry"
url = "https://europe-west1-terraform.pkg.dev/acme/modules"
auth_type = "oidc_gcp"
workload_identity_provider = "projects/1/locations/global/workloadIdentityPools/gh/providers/gh"
visibility = "all"`,
			want: fakegithub.RegistryInfo{RegistryType: "terraform_registry", URL: "https://europe-west1-terraform.pkg.dev/acme/modules",
				Visibility: "all", AuthType: "oidc_gcp", OIDC: fakegithub.RegistryOIDC{WorkloadIdentityProvider: "projects/1/locations/global/workloadIdentityPools/gh/providers/gh"}}},
	}
	var body strings.Builder
	var checks []resource.TestCheckFunc
	for _, c := range cases {
		body.WriteString(registryBlock(c.label, c.body))
		checks = append(checks, checkRegistry(env, c.name, c.want, c.value))
	}
	cfg := env.config(body.String()) + "variable \"sealed\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n"
	vars := config.Variables{"value": config.StringVariable(plain), "sealed": config.StringVariable(sealed)}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := env.fake.Registries(testOrg); len(got) != 0 {
				return fmt.Errorf("registries left: %v", got)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: vars,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{acctest.LeakCheck{}},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("ghsecrets_org_private_registry.sealed", tfjsonpath.New("encrypted_value_wo"), knownvalue.Null()),
				acctest.LeakCheck{},
			},
			Check: resource.ComposeAggregateTestCheckFunc(append(checks, acctest.StateFilesClean())...),
		}},
	})
}

// sealForRegistries seals plaintext for the organization's private
// registries key.
func sealForRegistries(t *testing.T, env *testEnv, plaintext string) (sealed, keyID string) {
	t.Helper()
	t.Helper()
	return env.fake.SealForRegistries(testOrg, []byte(plaintext))
}

// TestAccPrivateRegistry_invalid: every rule GitHub's description states of
// a registry's configuration fails at plan, naming the attribute, with no
// request; a change of auth_type, which GitHub does not allow, plans a
// replacement.
func TestAccPrivateRegistry_invalid(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := "registry_type = \"npm_registry\"\nurl = \"https://npm.example.com/\"\nvisibility = \"all\"\n"
	var steps []resource.TestStep
	for _, c := range []struct{ body, want string }{
		{base + `auth_type = "oidc_azure"` + "\ntenant_id = \"t\"\nclient_id = \"c\"\nvalue_wo = \"v\"", `OIDC Registry Takes No Credential`},
		{base, `Registry Needs A Credential`},
		{base + `auth_type = "username_password"` + "\nvalue_wo = \"v\"", `Registry Needs A Username`},
		{base + `auth_type = "oidc_aws"` + "\naws_region = \"r\"\naccount_id = \"1\"\nrole_name = \"n\"\ndomain_owner = \"1\"", `(?s)Missing OIDC Setting.*requires\s+domain`},
		{base + `value_wo = "v"` + "\ntenant_id = \"t\"", `(?s)OIDC Setting Of Another Auth Type.*tenant_id`},
		{base + `value_wo = "v"` + "\nselected_repository_ids = [1]", `Repository List Needs Selected Visibility`},
		{strings.Replace(base, `"all"`, `"selected"`, 1) + `value_wo = "v"`, `Selected Registry Needs Its Repository List`},
		{strings.Replace(base, "https://npm.example.com/", "npm.example.com", 1) + `value_wo = "v"`, `Invalid Registry URL`},
		{strings.Replace(base, "npm_registry", "npm", 1) + `value_wo = "v"`, `(?s)registry_type.*value must be one of`},
		{base + `value_wo = "v"` + "\nencrypted_value_wo = \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"\nkey_id = \"1\"", `Two Values Given`},
	} {
		steps = append(steps, resource.TestStep{
			Config: env.config(registryBlock("bad", c.body)), PlanOnly: true, ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps,
		resource.TestStep{Config: env.config(registryBlock("bad", base+`value_wo = "v"`))},
		resource.TestStep{
			Config: env.config(registryBlock("bad", base+`auth_type = "oidc_gcp"`+"\nworkload_identity_provider = \"p\"")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("ghsecrets_org_private_registry.bad", plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: checkRegistry(env, "NPM_REGISTRY_SECRET", fakegithub.RegistryInfo{RegistryType: "npm_registry", URL: "https://npm.example.com/",
				Visibility: "all", AuthType: "oidc_gcp", OIDC: fakegithub.RegistryOIDC{WorkloadIdentityProvider: "p"}}, ""),
		})
	steps[len(steps)-2].PreConfig = func() {
		if n := env.fake.CountRequests(""); n != 0 {
			t.Errorf("invalid configurations sent %d requests", n)
		}
	}
	acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// TestAccPrivateRegistry_retriedCreate: GitHub makes the registry but its
// answer is lost; the provider looks before it sends again, adopts the
// registry it made, and leaves exactly one.
func TestAccPrivateRegistry_retriedCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.fake.DropAnswerAfterCreate(1)
	addr := "ghsecrets_org_private_registry.gems"
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(registryBlock("gems", `registry_type = "rubygems_server"
url = "https://gems.example.com/"
visibility = "all"
value_wo = "gem-credential"
value_wo_version = 1`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("RUBYGEMS_SERVER_SECRET")),
			},
			Check: func(s *terraform.State) error {
				if got := env.fake.Registries(testOrg); len(got) != 1 {
					return fmt.Errorf("%d registries after a retried create, want 1: %v", len(got), got)
				}
				posts := 0
				for _, r := range env.fake.Requests() {
					if r.Method == "POST" {
						posts++
					}
				}
				if posts != 1 {
					return fmt.Errorf("%d creates sent, want 1: the lost answer's registry is adopted, not made again", posts)
				}
				return checkRegistry(env, "RUBYGEMS_SERVER_SECRET", fakegithub.RegistryInfo{RegistryType: "rubygems_server",
					URL: "https://gems.example.com/", Visibility: "all", AuthType: "token"}, "gem-credential")(s)
			},
		}},
	})
}

// TestAccPrivateRegistry_ghes: GitHub Enterprise Server 3.19 has private
// registries: one is created, refreshed and destroyed under /api/v3.
func TestAccPrivateRegistry_ghes(t *testing.T) {
	t.Parallel()
	env := serveFake(t, fakegithub.Options{GHES: true}, []string{"api"}, nil)
	cfg := requiredProviders + providerBlock(testOrg, "", env.url+"/api/v3/") + registryBlock("go", `registry_type = "goproxy_server"
url = "https://goproxy.example.com/"
visibility = "private"
value_wo = "go-credential"
value_wo_version = 1`)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: checkRegistry(env, "GOPROXY_SERVER_SECRET", fakegithub.RegistryInfo{RegistryType: "goproxy_server",
				URL: "https://goproxy.example.com/", Visibility: "private", AuthType: "token"}, "go-credential"),
		}},
	})
}

// TestAccPrivateRegistry_identity runs the identity scenario: import by
// identity (whole, required attributes only) and by name plan no change.
func TestAccPrivateRegistry_identity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	testIdentity(t, identityCase{
		env: env,
		config: registryBlock("test", `registry_type = "composer_repository"
url = "https://repo.packagist.example.com"
visibility = "all"
auth_type = "oidc_azure"
tenant_id = "t"
client_id = "c"`),
		addr: "ghsecrets_org_private_registry.test", importID: "COMPOSER_REPOSITORY_SECRET",
		identity: map[string]knownvalue.Check{
			"organization": knownvalue.StringExact(testOrg),
			"name":         knownvalue.StringExact("COMPOSER_REPOSITORY_SECRET"),
		},
		required:   `name = "COMPOSER_REPOSITORY_SECRET"`,
		wrong:      `organization = "other-org", name = "COMPOSER_REPOSITORY_SECRET"`,
		wrongError: regexp.MustCompile(`(?s)Import Identity Names Another Owner.*organization is "other-org"`),
	})
}
