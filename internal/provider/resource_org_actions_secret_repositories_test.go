package provider

import (
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
)

const repositoriesAddr = "ghsecrets_org_actions_secret_repositories.test"

func repositoriesConfig(ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [%s]
}
`, strings.Join(parts, ", "))
}

// listValue checks a list of ids, in order.
func listValue(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.Int64Exact(id)
	}
	return knownvalue.ListExact(checks)
}

func idsValue(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.Int64Exact(id)
	}
	return knownvalue.SetExact(checks)
}

func TestAccOrgActionsSecretRepositories_setChangeEmpty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	secret := secretConfig("SHARED", "selected", 1)
	step := func(secretAction, action plancheck.ResourceActionType, ids ...int64) resource.TestStep {
		return resource.TestStep{
			Config: env.config(secret + repositoriesConfig(ids...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(repositoriesAddr, action),
					plancheck.ExpectResourceAction(secretAddr, secretAction),
				},
				// The list writes move the secret's updated_at; that is not value drift.
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(repositoriesAddr, tfjsonpath.New("selected_repository_ids"), listValue(ids...)),
				statecheck.ExpectKnownValue(repositoriesAddr, tfjsonpath.New("id"), knownvalue.StringExact("SHARED")),
				acctest.LeakCheck{},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkSecret("SHARED", "selected", ids...),
				// The value is written once, at create, and never by list changes.
				env.checkSecretPuts("SHARED", 1),
				env.checkValue("SHARED", value),
			),
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			step(plancheck.ResourceActionCreate, plancheck.ResourceActionCreate, env.repoID(0), env.repoID(1)),
			step(plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate, env.repoID(1), env.repoID(2)),
			step(plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate),
			step(plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate, env.repoID(2)),
			{
				ResourceName:      repositoriesAddr,
				ImportState:       true,
				ImportStateId:     "shared",
				ImportStateVerify: true,
				// The import spells the name as given; the rest must match.
				ImportStateVerifyIgnore:              []string{"secret_name"},
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{
				// Removing the resource empties the list and keeps the secret.
				Config: env.config(secret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(repositoriesAddr, plancheck.ResourceActionDestroy)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("SHARED", "selected"),
					env.checkSecretPuts("SHARED", 1),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecretRepositories_notSelected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("unused", []resource.TestStep{{
			Config:      env.config(secretConfig("EVERYWHERE", "all", 1) + repositoriesConfig(env.repoID(0))),
			ExpectError: regexp.MustCompile(`(?s)Secret Is Not Selected.*EVERYWHERE.*visibility\s+is\s+"all".*visibility\s+=\s+"selected"`),
		},
		}),
	})
}

func TestAccOrgActionsSecretRepositories_secretDeletedOutside(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(secretConfig("SHORT_LIVED", "selected", 1) + repositoriesConfig(env.repoID(0)))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("unused", []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { env.fake.DeleteSecretOutOfBand(testOrg, "SHORT_LIVED") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(repositoriesAddr, plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkSecret("SHORT_LIVED", "selected", env.repoID(0)),
			},
		}),
		CheckDestroy: env.checkSecretGone("SHORT_LIVED"),
	})
}

func TestAccOrgActionsSecretRepositories_morePagesThanOne(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ids := make([]int64, 0, 150)
	for i := range 150 {
		ids = append(ids, env.fake.AddRepository(testOrg, fmt.Sprintf("service-%03d", i)).ID)
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("v", []resource.TestStep{{
			Config: env.config(secretConfig("MANY", "selected", 1) + repositoriesConfig(ids...)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(repositoriesAddr, tfjsonpath.New("selected_repository_ids"), listValue(ids...)),
			},
			// The post-apply plans read the list back: 150 ids take two pages of 100.
			Check: env.checkSecret("MANY", "selected", ids...),
		}}),
	})
	pages := 0
	for _, r := range env.fake.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/MANY/repositories") && strings.Contains(r.Query, "page=2") {
			pages++
		}
	}
	if pages == 0 {
		t.Fatal("the repository list was never read past its first page")
	}
}

// A list read once is read conditionally afterwards: while it is unchanged,
// GitHub answers 304 (free of rate limit); once changed, in full.
func TestAccOrgActionsSecretRepositories_conditionalRead(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	cfg := env.config(secretConfig("CONDITIONAL", "selected", 1) + repositoriesConfig(env.repoID(0)))
	notModified := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := env.fake.Stats().NotModified; got < want {
				return fmt.Errorf("%d list reads answered 304 Not Modified, want at least %d", got, want)
			}
			return nil
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			// A refresh records the list with its ETag.
			{RefreshState: true},
			{
				PreConfig: func() { env.fake.ResetRequests() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: notModified(1),
			},
			{
				// Changed outside: the conditional read gets the new list.
				PreConfig: func() {
					env.later()
					env.fake.SetSelectedRepositoriesOutOfBand(testOrg, "CONDITIONAL", []int64{env.repoID(2)})
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		}),
	})
}

// The list is a list in the schema (a set cost time in the square of its
// length) held to a set's rules: its order is no change, and a repository
// named twice is an error that names it.
func TestAccOrgActionsSecretRepositories_listRules(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	secret := secretConfig("RULES", "selected", 1)
	r0, r1, r2 := env.repoID(0), env.repoID(1), env.repoID(2)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("v", []resource.TestStep{
			{
				Config:      env.config(secret + repositoriesConfig(r1, r0, r1)),
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Duplicate Repository ID.*selected_repository_ids.*repository\s+%d\s+more\s+than\s+once`, r1)),
			},
			{
				Config: env.config(secret + repositoriesConfig(r2, r0, r1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(repositoriesAddr, tfjsonpath.New("selected_repository_ids"), listValue(r2, r0, r1)),
				},
				Check: env.checkSecret("RULES", "selected", r0, r1, r2),
			},
			{
				// The same repositories in another order: nothing to do.
				Config:   env.config(secret + repositoriesConfig(r0, r1, r2)),
				PlanOnly: true,
			},
			{
				// A refresh keeps the order it finds in state.
				RefreshState: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		}),
	})
}
