package provider

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// putTestRegistries creates, out of band, a token npm registry with a
// credential and a username, and an oidc_aws maven repository for one
// repository; they list maven first.
func putTestRegistries(t *testing.T, env *testEnv) (npm, maven fakegithub.RegistryInfo) {
	t.Helper()
	npm = env.fake.PutRegistryOutOfBand(testOrg, fakegithub.RegistryInfo{
		RegistryType: "npm_registry", URL: "https://npm.pkg.example.com/", Username: "ci-bot", Visibility: visibilityPrivate,
	}, []byte(testPlaintext(t, "registry")))
	maven = env.fake.PutRegistryOutOfBand(testOrg, fakegithub.RegistryInfo{
		RegistryType: "maven_repository", URL: "https://libs-123456789012.d.codeartifact.eu-west-1.amazonaws.com/maven/libs/",
		ReplacesBase: true, Visibility: visibilitySelected, SelectedRepositoryIDs: []int64{env.repoID(0)}, AuthType: "oidc_aws",
		OIDC: fakegithub.RegistryOIDC{AWSRegion: "eu-west-1", AccountID: "123456789012", RoleName: "dependabot",
			Domain: "libs", DomainOwner: "123456789012"},
	}, nil)
	return npm, maven
}

// registryChecks are the checks of a registry's settings as GitHub holds
// them: every OIDC field null but those of oidc.
func registryChecks(r fakegithub.RegistryInfo, oidc map[string]string) map[string]knownvalue.Check {
	var username knownvalue.Check = knownvalue.Null()
	if r.Username != "" {
		username = knownvalue.StringExact(r.Username)
	}
	m := map[string]knownvalue.Check{
		"name":          knownvalue.StringExact(r.Name),
		"registry_type": knownvalue.StringExact(r.RegistryType),
		"url":           knownvalue.StringExact(r.URL),
		"username":      username,
		"replaces_base": knownvalue.Bool(r.ReplacesBase),
		"visibility":    knownvalue.StringExact(r.Visibility),
		"auth_type":     knownvalue.StringExact(r.AuthType),
		"created_at":    knownvalue.StringExact(formatTime(r.CreatedAt)),
		"updated_at":    knownvalue.StringExact(formatTime(r.UpdatedAt)),
	}
	for _, f := range oidcFields {
		m[f.attr] = knownvalue.Null()
		if v, ok := oidc[f.attr]; ok {
			m[f.attr] = knownvalue.StringExact(v)
		}
	}
	return m
}

var awsChecks = map[string]string{
	"aws_region": "eu-west-1", "account_id": "123456789012", "role_name": "dependabot", "domain": "libs", "domain_owner": "123456789012",
}

// TestAccPrivateRegistries_dataSources: the data sources read what GitHub
// holds, never a credential; a refused listing names the organization,
// the status and GitHub's message.
func TestAccPrivateRegistries_dataSources(t *testing.T) {
	t.Parallel()
	acctest.ForType(t, privateRegistryKeyType, privateRegistryListType)
	env := newTestEnv(t)
	npm, maven := putTestRegistries(t, env)
	keyID, key := env.fake.RegistryPublicKey(testOrg)
	cfg := env.config(`
data "ghsecrets_org_private_registries_public_key" "org" {}
data "ghsecrets_org_private_registries" "all" {}
`)
	const keyAddr, listAddr = "data.ghsecrets_org_private_registries_public_key.org", "data.ghsecrets_org_private_registries.all"
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(keyAddr, tfjsonpath.New("id"), knownvalue.StringExact(keyID)),
					statecheck.ExpectKnownValue(keyAddr, tfjsonpath.New("key_id"), knownvalue.StringExact(keyID)),
					statecheck.ExpectKnownValue(keyAddr, tfjsonpath.New("key"), knownvalue.StringExact(key)),
					statecheck.ExpectKnownValue(listAddr, tfjsonpath.New("id"), knownvalue.StringExact(testOrg)),
					statecheck.ExpectKnownValue(listAddr, tfjsonpath.New("registries"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(registryChecks(maven, awsChecks)),
						knownvalue.ObjectExact(registryChecks(npm, nil)),
					})),
					acctest.LeakCheck{},
				},
			},
			{
				PreConfig: func() {
					env.interceptWith(func(w http.ResponseWriter, r *http.Request) bool {
						if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/orgs/"+testOrg+"/private-registries") {
							return false
						}
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusForbidden)
						_, _ = w.Write([]byte(`{"message":"Resource not accessible by personal access token","status":"403"}`))
						return true
					})
				},
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Error Listing Private Registries.*organization\s+acme.*403\s+Forbidden.*` +
					`Resource\s+not\s+accessible\s+by\s+personal\s+access\s+token.*Organization\s+private\s+registries`),
			},
			{
				PreConfig: func() { env.interceptWith(nil) },
				Config:    cfg,
			},
		},
	})
	if n := env.fake.CountWrites(); n != 0 {
		t.Errorf("reading the data sources wrote %d times", n)
	}
}
