package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

func TestAccOrgActionsPublicKeyDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	keyID, key := env.fake.PublicKey(testOrg)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`data "ghsecrets_org_actions_public_key" "org" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghsecrets_org_actions_public_key.org", tfjsonpath.New("key_id"), knownvalue.StringExact(keyID)),
				statecheck.ExpectKnownValue("data.ghsecrets_org_actions_public_key.org", tfjsonpath.New("key"), knownvalue.StringExact(key)),
			},
		}},
	})
}
