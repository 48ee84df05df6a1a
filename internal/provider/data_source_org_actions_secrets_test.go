package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

func TestAccOrgActionsSecretsDataSource_listsEveryPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	// More than one page of 100, created outside Terraform.
	for i := range 105 {
		env.fake.PutSecretOutOfBand(testOrg, secretNameN(i), []byte("v"), "private", nil)
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`data "ghsecrets_org_actions_secrets" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghsecrets_org_actions_secrets.all", tfjsonpath.New("id"), knownvalue.StringExact(testOrg)),
				statecheck.ExpectKnownValue("data.ghsecrets_org_actions_secrets.all", tfjsonpath.New("secrets"), knownvalue.ListSizeExact(105)),
				statecheck.ExpectKnownValue("data.ghsecrets_org_actions_secrets.all",
					tfjsonpath.New("secrets").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"name":       knownvalue.StringExact(secretNameN(0)),
						"visibility": knownvalue.StringExact("private"),
						"created_at": knownvalue.StringRegexp(rfc3339),
						"updated_at": knownvalue.StringRegexp(rfc3339),
					})),
			},
		}},
	})
}

func secretNameN(i int) string {
	return "S" + string(rune('A'+i/26%26)) + string(rune('A'+i%26))
}
