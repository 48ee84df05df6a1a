package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// TestAccOrgActionsSecret_adoptingKeepsAccess: creating over a selected
// secret that already exists, with its list left to the companion
// resources, keeps the repositories that had access (GitHub clears the list
// of a selected secret whose PUT omits it).
func TestAccOrgActionsSecret_adoptingKeepsAccess(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "adopted")
	env.fake.PutSecretOutOfBand(testOrg, "ADOPTED", []byte("made by hand"), "selected", []int64{env.repoID(0), env.repoID(1)})
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{{
			Config: env.config(secretConfig("ADOPTED", "selected", 1) + fmt.Sprintf(`
resource "ghsecrets_org_actions_secret_repository" "worker" {
  secret_name   = ghsecrets_org_actions_secret.test.secret_name
  repository_id = %d
}
`, env.repoID(2))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkValue("ADOPTED", value),
				env.checkSecret("ADOPTED", "selected", env.repoID(0), env.repoID(1), env.repoID(2)),
			),
		}}),
	})
}

// TestAccOrgActionsSecret_writtenButNotReadBack: when the value is written
// and reading the secret back then fails, the apply still records the
// secret (with a warning), so nothing is tainted and the next plan is empty.
func TestAccOrgActionsSecret_writtenButNotReadBack(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "overwritten")
	env.fake.PutSecretOutOfBand(testOrg, "OVERWRITTEN", []byte("made by hand"), "all", nil)
	refuseReads := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/actions/secrets/OVERWRITTEN") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`))
		return true
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{
				PreConfig: func() { env.interceptWith(refuseReads) },
				Config:    env.config(secretConfig("OVERWRITTEN", "all", 1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("id"), knownvalue.StringExact("OVERWRITTEN")),
				},
				Check: env.checkValue("OVERWRITTEN", value),
			},
			{
				PreConfig: func() { env.interceptWith(nil) },
				Config:    env.config(secretConfig("OVERWRITTEN", "all", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.checkSecretPuts("OVERWRITTEN", 1),
			},
		}),
	})
}
