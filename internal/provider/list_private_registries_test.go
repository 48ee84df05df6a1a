package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestAccPrivateRegistries_list runs terraform query on the private
// registry list resource: name_prefix (any case), limit, include_resource
// with the state an import reads, the identity of each result, and the
// list resource's example.
func TestAccPrivateRegistries_list(t *testing.T) {
	t.Parallel()
	acctest.ForType(t, privateRegistryType)
	env := newTestEnv(t)
	npm, maven := putTestRegistries(t, env)
	npm2 := env.fake.PutRegistryOutOfBand(testOrg, fakegithub.RegistryInfo{
		RegistryType: "npm_registry", URL: "https://registry.example.org/npm/", Visibility: visibilityAll,
	}, []byte(testPlaintext(t, "registry-2")))
	example, err := os.ReadFile("../../examples/list-resources/ghsecrets_org_private_registry/list-resource.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	const at = privateRegistryType + "."
	identity := func(r fakegithub.RegistryInfo) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			identityOrganization: knownvalue.StringExact(testOrg),
			identityRegistryName: knownvalue.StringExact(r.Name),
		}
	}
	// The state an import and a read leave: no credential, no repository
	// list, the default drift setting.
	imported := func(r fakegithub.RegistryInfo, oidc map[string]string) []querycheck.KnownValueCheck {
		checks := []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(r.Name)},
			{Path: tfjsonpath.New("selected_repository_ids"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("key_id"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("value_wo_version"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("on_value_drift"), KnownValue: knownvalue.StringExact("restore")},
		}
		for attr, check := range registryChecks(r, oidc) {
			checks = append(checks, querycheck.KnownValueCheck{Path: tfjsonpath.New(attr), KnownValue: check})
		}
		return checks
	}
	blocks := `
list "ghsecrets_org_private_registry" "all" {
  provider         = ghsecrets
  include_resource = true
}
list "ghsecrets_org_private_registry" "prefix" {
  provider = ghsecrets
  config {
    name_prefix = "maven_"
  }
}
list "ghsecrets_org_private_registry" "one" {
  provider = ghsecrets
  limit    = 1
}
` + string(example)
	acctest.Test(t, resource.TestCase{
		TerraformVersionChecks:   queryVersion,
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config("")},
			{Query: true, Config: blocks, QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(at+"all", 3),
				querycheck.ExpectIdentity(at+"all", identity(maven)),
				querycheck.ExpectIdentity(at+"all", identity(npm)),
				querycheck.ExpectIdentity(at+"all", identity(npm2)),
				querycheck.ExpectResourceDisplayName(at+"all", queryfilter.ByResourceIdentity(identity(npm)),
					knownvalue.StringExact(npm.Name)),
				querycheck.ExpectResourceKnownValues(at+"all", queryfilter.ByResourceIdentity(identity(maven)), imported(maven, awsChecks)),
				querycheck.ExpectResourceKnownValues(at+"all", queryfilter.ByResourceIdentity(identity(npm)), imported(npm, nil)),
				querycheck.ExpectLength(at+"prefix", 1),
				querycheck.ExpectIdentity(at+"prefix", identity(maven)),
				querycheck.ExpectLength(at+"one", 1),
				querycheck.ExpectIdentity(at+"one", identity(maven)),
				// The example: NPM_ finds both npm registries.
				querycheck.ExpectLength(at+"npm", 2),
				querycheck.ExpectIdentity(at+"npm", identity(npm)),
				querycheck.ExpectIdentity(at+"npm", identity(npm2)),
			}},
		},
	})
	if n := env.fake.CountWrites(); n != 0 {
		t.Errorf("listing wrote %d times", n)
	}
}
