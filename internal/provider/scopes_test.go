package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// testEnvironment is the environment the scope suite writes into: its name
// needs escaping in a URL path.
const testEnvironment = "staging/eu west"

// scopeEnv is a test environment seen through one row of scopeKinds, with
// repository api (and its environment testEnvironment).
type scopeEnv struct {
	*testEnv
	k scopeKind
}

func newScopeEnv(t *testing.T, k scopeKind) scopeEnv {
	t.Helper()
	env := newTestEnv(t)
	if k.env {
		env.fake.AddEnvironment(testOrg, "api", testEnvironment)
	}
	return scopeEnv{testEnv: env, k: k}
}

func (e scopeEnv) addr() string { return e.k.typeName("_secret") + ".test" }

// secrets is the fake's view of the row's scope in repository api.
func (e scopeEnv) secrets() fakegithub.ScopeSecrets {
	if e.k.env {
		return e.fake.Env(testOrg, "api", testEnvironment)
	}
	return e.fake.Repo(string(e.k.kind), testOrg, "api")
}

// importID is the id of secret name in the row's scope.
func (e scopeEnv) importID(name string) string {
	if e.k.env {
		return "api:" + testEnvironment + ":" + name
	}
	return "api:" + name
}

// secret declares the row's secret in repository repo (and environment env).
func (e scopeEnv) secret(repo, env, name string, version int) string {
	envLine := ""
	if e.k.env {
		envLine = fmt.Sprintf("  environment      = %q\n", env)
	}
	return fmt.Sprintf(`
resource %q "test" {
  repository       = %q
%s  secret_name      = %q
  value_wo         = var.value
  value_wo_version = %d
}
`, e.k.typeName("_secret"), repo, envLine, name, version)
}

// checkHolds asserts the plaintext GitHub holds for the secret in the scope.
func (e scopeEnv) checkHolds(name, value string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := e.secrets().SecretValue(name)
		if !ok {
			return fmt.Errorf("%s secret %s does not exist on the fake", e.k.name, name)
		}
		if string(got) != value {
			return fmt.Errorf("%s secret %s holds a value of %d bytes that is not the configured one", e.k.name, name, len(got))
		}
		return nil
	}
}

// forEachScope runs a scenario for every repository kind and for
// environment secrets.
func forEachScope(t *testing.T, scenario func(t *testing.T, e scopeEnv)) {
	t.Helper()
	forEachRow(t, scopeKinds, func(k scopeKind) string { return k.name }, newScopeEnv, scenario)
}

// TestAccScopes_lifecycle: for every repository kind and for environment
// secrets, create, restore a value changed outside Terraform, rotate by
// version, import by id and destroy; the plaintext on the fake is always the
// configured one, and nothing secret reaches state or plan.
func TestAccScopes_lifecycle(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		first, second := testPlaintext(t, e.k.name+"-first"), testPlaintext(t, e.k.name+"-second")
		addr := e.addr()
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(first, []resource.TestStep{
				{
					Config: e.config(e.secret("api", testEnvironment, "registry_token", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate), acctest.LeakCheck{}},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(e.importID("REGISTRY_TOKEN"))),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated_at"), knownvalue.StringRegexp(rfc3339)),
						acctest.LeakCheck{},
					},
					Check: resource.ComposeAggregateTestCheckFunc(e.checkHolds("REGISTRY_TOKEN", first), acctest.StateFilesClean()),
				},
				{
					// Someone sets another value in GitHub's UI: the plan
					// writes the configured one again.
					PreConfig: func() {
						e.later()
						e.secrets().PutSecretOutOfBand("REGISTRY_TOKEN", []byte("set elsewhere"))
					},
					Config: e.config(e.secret("api", testEnvironment, "registry_token", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.LeakCheck{}},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", first),
				},
				{
					Config:          e.config(e.secret("api", testEnvironment, "registry_token", 2)),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.LeakCheck{}},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{acctest.LeakCheck{}},
					Check:             e.checkHolds("REGISTRY_TOKEN", second),
				},
				{
					ResourceName:      addr,
					Config:            e.config(e.secret("api", testEnvironment, "registry_token", 2)),
					ConfigVariables:   valueVar(second),
					ImportState:       true,
					ImportStateId:     e.importID("registry_token"),
					ImportStateVerify: true,
					// The version lives in configuration only.
					ImportStateVerifyIgnore: []string{"value_wo_version"},
				},
			}),
			CheckDestroy: func(*terraform.State) error {
				if _, ok := e.secrets().Secret("REGISTRY_TOKEN"); ok {
					return fmt.Errorf("%s secret still exists after destroy", e.k.name)
				}
				return nil
			},
		})
	})
}

// TestAccScopes_badInput: a repository given as owner/name, an empty
// environment and a name breaking GitHub's rules fail at plan, with no
// request.
func TestAccScopes_badInput(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		steps := []resource.TestStep{
			{
				Config:      e.config(e.secret(testOrg+"/api", testEnvironment, "TOKEN", 1)),
				ExpectError: regexp.MustCompile(`(?s)Invalid Repository Name.*repository.*no\s+` + "`/`"),
			},
			{
				Config:      e.config(e.secret("api", testEnvironment, "GITHUB_TOKEN", 1)),
				ExpectError: regexp.MustCompile(`(?s)secret_name`),
			},
		}
		if e.k.env {
			steps = append(steps, resource.TestStep{
				Config:      e.config(e.secret("api", "", "TOKEN", 1)),
				ExpectError: regexp.MustCompile(`(?s)environment.*length\s+must\s+be\s+between\s+1\s+and\s+255`),
			})
		}
		acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: withValue("v", steps)})
		if n := e.fake.CountRequests(""); n != 0 {
			t.Errorf("%d requests reached the API", n)
		}
	})
}

// TestAccScopes_missingPlace: a secret in a repository, or an environment,
// that does not exist fails at apply with an error that names it and says
// what to do.
func TestAccScopes_missingPlace(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		steps := []resource.TestStep{{
			Config:      e.config(e.secret("gone", testEnvironment, "TOKEN", 1)),
			ExpectError: regexp.MustCompile(`(?s)repository\s+acme/gone\s+does\s+not\s+exist.*create\s+the\s+repository`),
		}}
		envLine := ""
		if e.k.env {
			envLine = fmt.Sprintf("environment = %q", testEnvironment)
		}
		steps = append(steps, resource.TestStep{
			Config:      e.config(fmt.Sprintf("data %q \"k\" {\n  repository = \"gone\"\n  %s\n}\n", e.k.typeName("_public_key"), envLine)),
			ExpectError: regexp.MustCompile(`(?s)repository\s+acme/gone\s+does\s+not\s+exist`),
		})
		if e.k.env {
			steps = append(steps, resource.TestStep{
				Config: e.config(e.secret("api", "production", "TOKEN", 1)),
				ExpectError: regexp.MustCompile(`(?s)environment\s+production\s+of\s+repository\s+acme/api\s+does\s+not\s+exist.*` +
					`Create\s+the\s+environment\s+first`),
			})
		}
		acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: withValue(testPlaintext(t, e.k.name), steps)})
	})
}

// TestAccScopes_dataSources: for every row, the public key data source reads
// the scope's own key, and the listing its own secrets.
func TestAccScopes_dataSources(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		keyID, _ := e.secrets().PublicKey()
		e.secrets().PutSecretOutOfBand("ELSEWHERE", []byte("other"))
		place := `repository = "api"`
		if e.k.env {
			place += fmt.Sprintf("\n  environment = %q", testEnvironment)
		}
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(testPlaintext(t, e.k.name), []resource.TestStep{{
				Config: e.config(e.secret("api", testEnvironment, "SHARED", 1) + fmt.Sprintf(`
data %[1]q "k" {
  %[3]s
}

data %[2]q "all" {
  %[3]s
  depends_on = [%[4]s]
}
`, e.k.typeName("_public_key"), e.k.typeName("_secrets"), place, e.addr())),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data."+e.k.typeName("_public_key")+".k", tfjsonpath.New("key_id"), knownvalue.StringExact(keyID)),
					statecheck.ExpectKnownValue("data."+e.k.typeName("_secrets")+".all", tfjsonpath.New("secrets"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("ELSEWHERE")}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("SHARED")}),
					})),
					acctest.LeakCheck{},
				},
			}}),
		})
	})
}

// refreshCost is a plan check that counts the requests a refresh of the
// scope made: one listing, and no read of single secrets.
type refreshCost struct{ e scopeEnv }

func (c refreshCost) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	listings, reads := 0, 0
	for _, r := range c.e.fake.Requests() {
		switch {
		case r.Method != "GET" || !strings.HasPrefix(r.Path, "/repos/"+testOrg+"/api/"):
		case strings.HasSuffix(r.Path, "/secrets"):
			listings++
		case strings.Contains(r.Path, "/secrets/"):
			reads++
		}
	}
	if listings != 1 || reads != 0 {
		resp.Error = fmt.Errorf("the refresh of three %s secrets read %d listings and %d secrets, want 1 and 0", c.e.k.name, listings, reads)
	}
}

// TestAccScopes_refreshCost: refreshing the secrets of one scope costs one
// listing, however many secrets it holds.
func TestAccScopes_refreshCost(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		var cfg strings.Builder
		for _, name := range []string{"ONE", "TWO", "THREE"} {
			cfg.WriteString(strings.Replace(e.secret("api", testEnvironment, name, 1), `"test"`, `"`+strings.ToLower(name)+`"`, 1))
		}
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(testPlaintext(t, e.k.name), []resource.TestStep{
				{Config: e.config(cfg.String())},
				{
					PreConfig: e.fake.ResetRequests,
					Config:    e.config(cfg.String()),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), refreshCost{e}},
					},
				},
			}),
		})
	})
}

// TestAccScopes_repositoryDeleted: a repository deleted outside Terraform
// takes its secrets with it; the plan creates the secret again, and the
// apply names the missing repository.
func TestAccScopes_repositoryDeleted(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(testPlaintext(t, e.k.name), []resource.TestStep{
				{Config: e.config(e.secret("api", testEnvironment, "TOKEN", 1))},
				{
					PreConfig:   func() { e.fake.DeleteRepositoryOutOfBand(testOrg, e.repoID(0)) },
					Config:      e.config(e.secret("api", testEnvironment, "TOKEN", 1)),
					ExpectError: regexp.MustCompile(`(?s)repository\s+acme/api\s+does\s+not\s+exist`),
				},
			}),
		})
	})
}

// TestAccScopes_acceptDrift: with on_value_drift = "accept" a value changed
// outside Terraform is kept and the plan stays empty.
func TestAccScopes_acceptDrift(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		cfg := e.config(strings.Replace(e.secret("api", testEnvironment, "TOKEN", 1), "  value_wo_version", "  on_value_drift   = \"accept\"\n  value_wo_version", 1))
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(testPlaintext(t, e.k.name), []resource.TestStep{
				{Config: cfg},
				{
					PreConfig: func() {
						e.later()
						e.secrets().PutSecretOutOfBand("TOKEN", []byte("rotated elsewhere"))
					},
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("TOKEN", "rotated elsewhere"),
				},
			}),
		})
	})
}

// TestAccScopes_identity runs the identity scenario (testIdentity) for
// every repository kind and for environment secrets.
func TestAccScopes_identity(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		other := client.Dependabot
		if e.k.kind == other {
			other = client.Actions
		}
		place := `repository = "api"`
		identity := map[string]knownvalue.Check{
			"owner":       knownvalue.StringExact(testOrg),
			"kind":        knownvalue.StringExact(string(e.k.kind)),
			"repository":  knownvalue.StringExact("api"),
			"secret_name": knownvalue.StringExact("REGISTRY_TOKEN"),
		}
		if e.k.env {
			place += fmt.Sprintf(", environment = %q", testEnvironment)
			identity["environment"] = knownvalue.StringExact(testEnvironment)
		}
		testIdentity(t, identityCase{
			env:      e.testEnv,
			config:   strings.Replace(e.secret("api", testEnvironment, "REGISTRY_TOKEN", 1), "  value_wo_version = 1\n", "", 1),
			addr:     e.addr(),
			identity: identity,
			required: place + `, secret_name = "REGISTRY_TOKEN"`,
			wrong:    fmt.Sprintf(`owner = "other-org", kind = %q, %s, secret_name = "REGISTRY_TOKEN"`, other, place),
			importID: e.importID("REGISTRY_TOKEN"),
		})
	})
}
