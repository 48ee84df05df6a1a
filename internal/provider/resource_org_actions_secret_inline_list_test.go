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

// inlineListConfig is a selected secret that manages its own repository list.
func inlineListConfig(name string, version int, ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name             = %q
  visibility              = "selected"
  value_wo                = var.value
  value_wo_version        = %d
  selected_repository_ids = [%s]
}
`, name, version, strings.Join(parts, ", "))
}

// writeCounter asserts the value and list writes the fake saw since mark()
// was last called; its tests hold one secret each.
type writeCounter struct {
	env  *testEnv
	from int
}

func (w *writeCounter) mark() { w.from = len(w.env.fake.Requests()) }

func (w *writeCounter) check(wantValues, wantLists int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		kinds := requestKinds(w.env.fake.Requests()[w.from:])
		if values, lists := kinds["PUT secret"], kinds["PUT list"]; values != wantValues || lists != wantLists {
			return fmt.Errorf("%d value writes and %d list writes, want %d and %d", values, lists, wantValues, wantLists)
		}
		return nil
	}
}

func TestAccOrgActionsSecret_inlineList(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	w := &writeCounter{env: env}
	ids := func(id ...int64) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("selected_repository_ids"), idsValue(id...))
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{
				// The list travels with the value: one write in all.
				PreConfig:         w.mark,
				Config:            env.config(inlineListConfig("INLINE", 1, env.repoID(0), env.repoID(1))),
				ConfigStateChecks: []statecheck.StateCheck{ids(env.repoID(0), env.repoID(1))},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(0), env.repoID(1)),
					env.checkValue("INLINE", value),
					w.check(1, 0),
				),
			},
			{
				// A change to the list alone is one list write, and no value write.
				PreConfig: w.mark,
				Config:    env.config(inlineListConfig("INLINE", 1, env.repoID(2))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{ids(env.repoID(2))},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(2)),
					env.checkValue("INLINE", value),
					w.check(0, 1),
				),
			},
			{
				// A repository added outside Terraform is drift the plan takes away again.
				PreConfig: func() {
					env.later()
					env.fake.SetSelectedRepositoriesOutOfBand(testOrg, "INLINE", []int64{env.repoID(0), env.repoID(2)})
					w.mark()
				},
				Config: env.config(inlineListConfig("INLINE", 1, env.repoID(2))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate),
						// A list change outside Terraform is not a value change.
						plancheck.ExpectKnownValue(secretAddr, tfjsonpath.New("value_wo_version"), knownvalue.Int64Exact(1)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(2)),
					w.check(0, 1),
				),
			},
			{
				// A new value carries the managed list; nothing reads the list to keep it.
				PreConfig: w.mark,
				Config:    env.config(inlineListConfig("INLINE", 2, env.repoID(1), env.repoID(2))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(1), env.repoID(2)),
					env.checkValue("INLINE", value),
					w.check(1, 0),
				),
			},
			{
				// Unsetting the attribute hands the list over without touching it.
				PreConfig: w.mark,
				Config:    env.config(secretConfig("INLINE", "selected", 2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(1), env.repoID(2)),
					w.check(0, 0),
				),
			},
			{
				// Taking the same list back over (as after an import) reads it and writes nothing.
				PreConfig: w.mark,
				Config:    env.config(inlineListConfig("INLINE", 2, env.repoID(2), env.repoID(1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{ids(env.repoID(1), env.repoID(2))},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("INLINE", "selected", env.repoID(1), env.repoID(2)),
					w.check(0, 0),
				),
			},
		}),
		CheckDestroy: env.checkSecretGone("INLINE"),
	})
}

// TestAccOrgActionsSecret_inlineListReadsConditionally checks that a refresh
// asks for the list with the ETag of the last read, so an unchanged list
// costs a 304, and that a repository deleted from the organization (which
// does not move the secret's updated_at) still shows as drift.
func TestAccOrgActionsSecret_inlineListReadsConditionally(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(inlineListConfig("COND", 1, env.repoID(0), env.repoID(1)))
	var from int
	conditional := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if n := requestKinds(env.fake.Requests()[from:])["GET list 304"]; n < want {
				return fmt.Errorf("%d list reads answered 304, want at least %d", n, want)
			}
			return nil
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("unused", []resource.TestStep{
			{Config: cfg},
			// This apply's refresh records the ETag in state.
			{Config: cfg, PreConfig: func() { from = len(env.fake.Requests()) }},
			{
				Config:    cfg,
				PreConfig: func() { from = len(env.fake.Requests()) },
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: conditional(1),
			},
			{
				PreConfig: func() { env.fake.DeleteRepositoryOutOfBand(testOrg, env.repoID(1)) },
				Config:    cfg,
				// The repository is gone, so the plan cannot put it back: GitHub refuses the id.
				ExpectError: regexp.MustCompile(`(?s)COND.*` + regexp.QuoteMeta(fmt.Sprint(env.repoID(1)))),
			},
		}),
	})
}

func TestAccOrgActionsSecret_inlineListNeedsSelected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("unused", []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name             = "EVERYWHERE"
  visibility              = "all"
  value_wo                = var.value
  selected_repository_ids = [%d]
}
`, env.repoID(0))),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)selected_repository_ids.*only\s+allowed\s+with\s+visibility\s+=\s+"selected".*"all"`),
			Check: func(*terraform.State) error {
				if n := len(env.fake.Requests()); n != 0 {
					return fmt.Errorf("%d requests reached the fake", n)
				}
				return nil
			},
		}}),
	})
	if n := len(env.fake.Requests()); n != 0 {
		t.Fatalf("%d requests reached the fake before validation failed", n)
	}
}
