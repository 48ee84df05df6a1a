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

// scopeTable is every repository kind and environment secrets, one row each.
var scopeTable = rowTable[scopeKind, scopeEnv]{
	rows: scopeKinds, name: func(k scopeKind) string { return k.name }, types: scopeKind.types,
	prefix: func(k scopeKind) string { return "ghsecrets_" + k.name + "_" }, newEnv: newScopeEnv,
}

// forEachScope runs a scenario for every repository kind and for
// environment secrets, the rows together (see rowTable).
func forEachScope(t *testing.T, scenario func(t *testing.T, e scopeEnv)) {
	t.Helper()
	scopeTable.run(t, scenario)
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
		e.test(t, resource.TestCase{
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
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+Environment\s+Name.*environment\s+""\s+is\s+empty.*1\s+to\s+255\s+characters`),
			})
		}
		e.test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: withValue("v", steps)}, func(t *testing.T) {
			if n := e.fake.CountRequests(""); n != 0 {
				t.Errorf("%d requests reached the API", n)
			}
		})
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
		e.test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: withValue(testPlaintext(t, e.k.name), steps)})
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
		e.test(t, resource.TestCase{
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
		e.test(t, resource.TestCase{
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
		e.test(t, resource.TestCase{
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

// TestAccScopes_repositoryRenamed: a repository renamed outside Terraform
// keeps its secrets, but the configuration names it by a name GitHub only
// redirects: the plan creates the secret, the apply writes nothing and names
// the repository's new name, and with the new name configured the secret is
// written there and the plan is empty.
func TestAccScopes_repositoryRenamed(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		value := testPlaintext(t, e.k.name)
		renamed := e.fake.Repo(string(e.k.kind), testOrg, "api-v2")
		if e.k.env {
			renamed = e.fake.Env(testOrg, "api-v2", testEnvironment)
		}
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(value, []resource.TestStep{
				{Config: e.config(e.secret("api", testEnvironment, "TOKEN", 1))},
				{
					PreConfig: func() {
						e.fake.RenameRepositoryOutOfBand(testOrg, e.repoID(0), "api-v2")
						e.fake.ResetRequests()
					},
					Config: e.config(e.secret("api", testEnvironment, "TOKEN", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(e.addr(), plancheck.ResourceActionCreate)},
					},
					ExpectError: regexp.MustCompile(`(?s)repository\s+acme/api\s+has\s+been\s+renamed\s+or\s+transferred:\s+it\s+is\s+now\s+acme/api-v2.*repository\s+=\s+"api-v2"`),
				},
				{
					PreConfig: func() {
						if n := e.fake.CountWrites(); n != 0 {
							e.errorf(t, "%d writes to a repository's former name, want 0", n)
						}
					},
					Config: e.config(e.secret("api-v2", testEnvironment, "TOKEN", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(*terraform.State) error {
						if got, ok := renamed.SecretValue("TOKEN"); !ok || string(got) != value {
							return fmt.Errorf("%s secret TOKEN of the renamed repository does not hold the configured value", e.k.name)
						}
						return nil
					},
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
		e.test(t, resource.TestCase{
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

// TestAccScopes_keyRotation: every repository, environment and kind has its
// own public key. Secrets in two repositories (and their environments) are
// sealed each for its own scope's key, read once per scope per run; a key
// that rotates halfway through an apply is read again and the refused write
// sealed anew; a key rotated between runs seals the next value write.
func TestAccScopes_keyRotation(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		if e.k.env {
			e.fake.AddEnvironment(testOrg, "web", testEnvironment)
		}
		web := e.fake.Repo(string(e.k.kind), testOrg, "web")
		if e.k.env {
			web = e.fake.Env(testOrg, "web", testEnvironment)
		}
		names := []string{"ONE", "TWO", "THREE"}
		cfg := func(version int) string {
			var b strings.Builder
			for _, repo := range []string{"api", "web"} {
				for _, name := range names {
					b.WriteString(strings.Replace(e.secret(repo, testEnvironment, name, version), `"test"`,
						fmt.Sprintf("%q", repo+"_"+strings.ToLower(name)), 1))
				}
			}
			return e.config(b.String())
		}
		holdAll := func(value string) resource.TestCheckFunc {
			var checks []resource.TestCheckFunc
			for _, name := range names {
				checks = append(checks, e.checkHolds(name, value), func(*terraform.State) error {
					if got, ok := web.SecretValue(name); !ok || string(got) != value {
						return fmt.Errorf("%s secret %s in web does not hold the configured value", e.k.name, name)
					}
					return nil
				})
			}
			return resource.ComposeAggregateTestCheckFunc(checks...)
		}
		// keyReads counts the public-key reads of each repository since the
		// last reset of the fake's request log.
		keyReads := func(want map[string]int) resource.TestCheckFunc {
			return func(*terraform.State) error {
				got := map[string]int{}
				for _, r := range e.fake.Requests() {
					if r.Method == "GET" && strings.HasSuffix(r.Path, "/public-key") {
						got[strings.Split(r.Path, "/")[3]]++
					}
				}
				for repo, n := range want {
					if got[repo] != n {
						return fmt.Errorf("%s: %d public-key reads in %s, want %d (all: %v)", e.k.name, got[repo], repo, n, got)
					}
				}
				return nil
			}
		}
		first, second := testPlaintext(t, e.k.name+"-first"), testPlaintext(t, e.k.name+"-second")
		var apiKey, webKey string
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(first, []resource.TestStep{
				{
					// api's key rotates right after its first accepted
					// write: the two writes still sealed for the old key
					// are refused and sealed again for the new one.
					PreConfig: func() {
						apiKey, _ = e.secrets().PublicKey()
						webKey, _ = web.PublicKey()
						e.secrets().RotatePublicKeyAfterWrites(1)
						e.fake.ResetRequests()
					},
					Config: cfg(1),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeAggregateTestCheckFunc(holdAll(first), keyReads(map[string]int{"api": 2, "web": 1}),
						func(*terraform.State) error {
							if now, _ := e.secrets().PublicKey(); now == apiKey {
								return fmt.Errorf("%s: api's key did not rotate during the apply", e.k.name)
							}
							if now, _ := web.PublicKey(); now != webKey {
								return fmt.Errorf("%s: web's key rotated with api's", e.k.name)
							}
							return nil
						}),
				},
				{
					// Rotated between runs: the next value write reads the
					// new key, once per scope.
					PreConfig: func() {
						web.RotatePublicKey()
						e.fake.ResetRequests()
					},
					Config:          cfg(2),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.LeakCheck{}},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{acctest.LeakCheck{}},
					Check:             resource.ComposeAggregateTestCheckFunc(holdAll(second), keyReads(map[string]int{"api": 1, "web": 1})),
				},
			}),
		})
	})
}

// TestAccScopes_identity runs the identity scenario (testIdentity) for
// every repository kind and for environment secrets.
func TestAccScopes_identity(t *testing.T) {
	t.Parallel()
	scopeTable.importing().run(t, func(t *testing.T, e scopeEnv) {
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
