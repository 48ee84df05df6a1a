package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// userSecret declares the token's user's Codespaces secret dev_token; ids nil leaves
// the list to the companions.
func userSecret(version int, ids []int64) string {
	list := ""
	if ids != nil {
		list = fmt.Sprintf("  selected_repository_ids = %s\n", hclInts(ids))
	}
	return fmt.Sprintf(`
resource "ghsecrets_user_codespaces_secret" "test" {
  secret_name      = "dev_token"
  value_wo         = var.value
  value_wo_version = %d
%s}
`, version, list)
}

// checkUserHolds asserts what GitHub holds for the user's secret DEV_TOKEN: the
// plaintext its key opens to and the list; and that no organization or
// repository Codespaces secret of that name was written instead.
func checkUserHolds(env *testEnv, value string, ids ...int64) resource.TestCheckFunc {
	const name = "DEV_TOKEN"
	return func(*terraform.State) error {
		got, ok := env.fake.User().SecretValue(name)
		if !ok {
			return fmt.Errorf("the user has no Codespaces secret %s on the fake", name)
		}
		if string(got) != value {
			return fmt.Errorf("user secret %s holds a value of %d bytes that is not the configured one", name, len(got))
		}
		info, _ := env.fake.User().Secret(name)
		want := slices.Clone(ids)
		slices.Sort(want)
		if info.Visibility != visibilitySelected || (len(want)+len(info.SelectedRepositoryIDs) > 0 && !slices.Equal(info.SelectedRepositoryIDs, want)) {
			return fmt.Errorf("user secret %s: visibility %q list %v, want selected %v", name, info.Visibility, info.SelectedRepositoryIDs, want)
		}
		if _, ok := env.fake.Kind("codespaces").Secret(testOrg, name); ok {
			return fmt.Errorf("an organization Codespaces secret %s exists: the user resource wrote to the organization", name)
		}
		return nil
	}
}

// userValueWrites asserts how many times the user's secret name was written.
func userValueWrites(env *testEnv, name string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range env.fake.Requests() {
			if r.Method == "PUT" && strings.EqualFold(r.Path, "/user/codespaces/secrets/"+name) {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d writes of the value of %s, want %d", n, name, want)
		}
		return nil
	}
}

// TestAccUserCodespaces_lifecycle: the token's user's Codespaces secret is
// created with its list (repositories of more than one organization),
// restored after a change of value outside Terraform, rotated by version,
// its list changed alone, imported by name, its list handed to the
// authoritative companion and then to single accesses; the data sources read
// its key and its listing; destroy removes it. The plaintext on the fake is
// always the configured one, and nothing secret reaches state, plan or logs.
func TestAccUserCodespaces_lifecycle(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	elsewhere := env.fake.AddRepository("other-org", "tools").ID
	first, second := testPlaintext(t, "user-first"), testPlaintext(t, "user-second")
	a, c := env.repoID(0), env.repoID(2)
	addr := "ghsecrets_user_codespaces_secret.test"
	list := fmt.Sprintf(`
resource "ghsecrets_user_codespaces_secret_repositories" "test" {
  secret_name             = ghsecrets_user_codespaces_secret.test.secret_name
  selected_repository_ids = [%d]
}
`, a)
	grant := fmt.Sprintf(`
resource "ghsecrets_user_codespaces_secret_repository" "test" {
  secret_name   = ghsecrets_user_codespaces_secret.test.secret_name
  repository_id = %d
}
`, c)
	data := `
data "ghsecrets_user_codespaces_public_key" "key" {}
data "ghsecrets_user_codespaces_secrets" "all" {
  depends_on = [ghsecrets_user_codespaces_secret.test]
}
`
	keyID, _ := env.fake.User().PublicKey()
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := env.fake.User().Secrets(); len(got) != 0 {
				return fmt.Errorf("the user still has %v", got)
			}
			return nil
		},
		Steps: withValue(first, []resource.TestStep{
			{
				Config: env.config(userSecret(1, []int64{a, elsewhere})),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate), acctest.LeakCheck{}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("DEV_TOKEN")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("visibility"), knownvalue.StringExact(visibilitySelected)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated_at"), knownvalue.StringRegexp(rfc3339)),
					acctest.LeakCheck{},
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkUserHolds(env, first, a, elsewhere), acctest.StateFilesClean()),
			},
			{
				// Someone sets another value in their settings: the plan
				// writes the configured one again, list and all.
				PreConfig: func() {
					env.later()
					env.fake.User().PutSecretOutOfBand("DEV_TOKEN", []byte("set elsewhere"))
					env.fake.User().SetSelectedRepositoriesOutOfBand("DEV_TOKEN", []int64{a, elsewhere})
				},
				Config: env.config(userSecret(1, []int64{a, elsewhere})),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkUserHolds(env, first, a, elsewhere),
			},
			{
				Config:          env.config(userSecret(2, []int64{a, elsewhere})),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.LeakCheck{}},
				},
				Check: checkUserHolds(env, second, a, elsewhere),
			},
			{
				// A repository removed outside Terraform shows as drift and
				// is put back; then the list alone changes, the value untouched.
				PreConfig: func() {
					env.later()
					env.fake.User().SetSelectedRepositoriesOutOfBand("DEV_TOKEN", []int64{a})
				},
				Config:          env.config(userSecret(2, []int64{c})),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkUserHolds(env, second, c),
			},
			{
				ResourceName:            addr,
				Config:                  env.config(userSecret(2, []int64{c})),
				ConfigVariables:         valueVar(second),
				ImportState:             true,
				ImportStateId:           "dev_token",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value_wo_version", "secret_name", "selected_repository_ids"},
			},
			{
				// The list moves to the authoritative companion.
				Config:          env.config(userSecret(2, nil) + list),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkUserHolds(env, second, a),
			},
			{
				// Destroying the companion empties the list; the secret stays.
				Config:          env.config(userSecret(2, nil)),
				ConfigVariables: valueVar(second),
				Check:           checkUserHolds(env, second),
			},
			{
				Config:          env.config(userSecret(2, nil) + grant + data),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ghsecrets_user_codespaces_public_key.key", tfjsonpath.New("key_id"), knownvalue.StringExact(keyID)),
					statecheck.ExpectKnownValue("data.ghsecrets_user_codespaces_secrets.all", tfjsonpath.New("secrets"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"name":       knownvalue.StringExact("DEV_TOKEN"),
							"visibility": knownvalue.StringExact(visibilitySelected),
						}),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkUserHolds(env, second, c), userValueWrites(env, "DEV_TOKEN", 3)),
			},
		}),
	})
}

// TestAccUserCodespaces_identity runs the identity scenario (testIdentity)
// for the user's secret, its list and a single access: the identity has no
// owner, since GitHub names the user by the token.
func TestAccUserCodespaces_identity(t *testing.T) {
	t.Parallel()
	k := userCodespacesKind
	for _, suffix := range []string{"", "_repositories", "_repository"} {
		t.Run(k.typeName(suffix), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			c := identityCase{
				env:    env,
				config: "resource \"ghsecrets_user_codespaces_secret\" \"test\" {\n  secret_name = \"REGISTRY_TOKEN\"\n  value_wo    = var.value\n}\n",
				addr:   k.typeName(suffix) + ".test", importID: "REGISTRY_TOKEN",
				identity: map[string]knownvalue.Check{
					"kind":        knownvalue.StringExact("codespaces"),
					"secret_name": knownvalue.StringExact("REGISTRY_TOKEN"),
				},
				required: `secret_name = "REGISTRY_TOKEN"`,
				wrong:    `kind = "actions", secret_name = "REGISTRY_TOKEN"`,
				// No owner to name: the user is the token's.
				wrongError: regexp.MustCompile(`(?s)Import Identity Names Another Kind`),
			}
			switch suffix {
			case "_repositories":
				c.config += fmt.Sprintf("resource %q \"test\" {\n  secret_name             = ghsecrets_user_codespaces_secret.test.secret_name\n  selected_repository_ids = [%d]\n}\n",
					k.typeName(suffix), env.repoID(0))
			case "_repository":
				c.config += fmt.Sprintf("resource %q \"test\" {\n  secret_name   = ghsecrets_user_codespaces_secret.test.secret_name\n  repository_id = %d\n}\n",
					k.typeName(suffix), env.repoID(0))
				c.identity["repository_id"] = knownvalue.Int64Exact(env.repoID(0))
				c.required += fmt.Sprintf(", repository_id = %d", env.repoID(0))
				c.wrong += fmt.Sprintf(", repository_id = %d", env.repoID(0))
				c.importID += fmt.Sprintf(":%d", env.repoID(0))
			}
			testIdentity(t, c)
		})
	}
}

// TestAccUserCodespaces_notOnServer: GitHub Enterprise Server has no user
// Codespaces secrets, and a GitHub App installation is no user: both fail at
// plan with an error that says so, and no request; the provider's owner
// plays no part.
func TestAccUserCodespaces_notOnServer(t *testing.T) {
	t.Parallel()
	keyFile := appKeyFile(t)
	env := newTestEnv(t)
	secret := "resource \"ghsecrets_user_codespaces_secret\" \"test\" {\n  secret_name = \"X\"\n  value_wo = \"v\"\n}\n" +
		"data \"ghsecrets_user_codespaces_secrets\" \"all\" {}\n"
	acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: []resource.TestStep{
		{
			Config:      requiredProviders + providerBlock(testOrg, "", "https://ghes.example.invalid/api/v3/") + secret,
			ExpectError: regexp.MustCompile(`(?s)User\s+Codespaces\s+Secrets\s+Are\s+Not\s+On\s+GitHub\s+Enterprise\s+Server`),
		},
		{
			Config:      appAuthConfig(env.url, keyFile) + secret,
			ExpectError: regexp.MustCompile(`(?s)User\s+Secrets\s+Need\s+A\s+User's\s+Token`),
		},
	}})
	if n := env.fake.CountRequests(""); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
}
