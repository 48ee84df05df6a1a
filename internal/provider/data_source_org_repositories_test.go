package provider

import (
	"fmt"
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

const orgReposAddr = "data.ghsecrets_org_repositories.test"

func orgReposConfig(attrs string) string {
	return fmt.Sprintf(`
data "ghsecrets_org_repositories" "test" {
%s
}
`, attrs)
}

func repoObject(r fakegithub.Repository, visibility string, archived bool) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":         knownvalue.Int64Exact(r.ID),
		"name":       knownvalue.StringExact(r.Name),
		"full_name":  knownvalue.StringExact(r.FullName),
		"visibility": knownvalue.StringExact(visibility),
		"archived":   knownvalue.Bool(archived),
	})
}

func TestAccOrgRepositoriesDataSource_everyPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for i := range 150 {
		env.fake.AddRepository(testOrg, fmt.Sprintf("svc-%03d", i))
	}
	last := env.fake.AddRepositoryWith(testOrg, fakegithub.Repository{Name: "zz-Vault", Visibility: "internal", Archived: true})
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(orgReposConfig("")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("id"), knownvalue.StringExact(testOrg)),
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("ids"), knownvalue.MapSizeExact(154)),
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("ids").AtMapKey("svc-149"), knownvalue.Int64Exact(last.ID-1)),
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("ids").AtMapKey("zz-Vault"), knownvalue.Int64Exact(last.ID)),
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("repositories"), knownvalue.ListSizeExact(154)),
				// Ordered by name.
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("repositories").AtSliceIndex(0), repoObject(env.repos[0], "public", false)),
				statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("repositories").AtSliceIndex(153), repoObject(last, "internal", true)),
			},
		}},
	})
	secondPages := 0
	for _, r := range env.fake.Requests() {
		if r.Method == "GET" && r.Path == "/orgs/"+testOrg+"/repos" && strings.Contains(r.Query, "page=2") {
			secondPages++
		}
	}
	if secondPages == 0 {
		t.Fatal("the repository list was never read past its first page")
	}
}

func TestAccOrgRepositoriesDataSource_names(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api, worker := env.repos[0], env.repos[2]
	archived := env.fake.AddRepositoryWith(testOrg, fakegithub.Repository{Name: "Legacy", Private: true, Archived: true})
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// Matched case-insensitively; keyed by the names as written.
				Config: env.config(orgReposConfig(`  names = ["API", "worker", "legacy"]`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("ids"), knownvalue.MapExact(map[string]knownvalue.Check{
						"API":    knownvalue.Int64Exact(api.ID),
						"worker": knownvalue.Int64Exact(worker.ID),
						"legacy": knownvalue.Int64Exact(archived.ID),
					})),
					statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("repositories"), knownvalue.ListExact([]knownvalue.Check{
						repoObject(api, "public", false),
						repoObject(archived, "private", true),
						repoObject(worker, "public", false),
					})),
				},
			},
			{
				Config: env.config(orgReposConfig(`  include_archived = false`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgReposAddr, tfjsonpath.New("ids"), knownvalue.MapExact(map[string]knownvalue.Check{
						"api":    knownvalue.Int64Exact(api.ID),
						"web":    knownvalue.Int64Exact(env.repos[1].ID),
						"worker": knownvalue.Int64Exact(worker.ID),
					})),
				},
			},
		},
	})
}

func TestAccOrgRepositoriesDataSource_unknownNames(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.fake.AddRepositoryWith(testOrg, fakegithub.Repository{Name: "legacy", Archived: true})
	tests := []struct {
		name  string
		attrs string
		want  string
	}{
		{"one", `  names = ["api", "nope"]`, `(?s)Repository Not Found.*no repository named "nope"`},
		{"several", `  names = ["Missing", "api", "nope"]`, `(?s)Repository Not Found.*no repositories named "Missing", "nope"`},
		{"archived left out", "  names = [\"legacy\"]\n  include_archived = false",
			`(?s)Repository Not Found.*"legacy".*include_archived\s+is\s+false`},
		{"empty name", `  names = [""]`, `(?s)names.*repository\s+name\s+without\s+its\s+owner`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.config(orgReposConfig(tt.attrs)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
}

func TestAccOrgRepositoriesDataSource_feedsRepositoryList(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("v", []resource.TestStep{{
			Config: env.config(secretConfig("FED", "selected", 1) + orgReposConfig(`  names = ["Web", "worker"]`) + `
variable "repos" {
  type    = list(string)
  default = ["worker", "Web"]
}

resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [for n in var.repos : data.ghsecrets_org_repositories.test.ids[n]]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(repositoriesAddr, tfjsonpath.New("selected_repository_ids"), listValue(env.repoID(2), env.repoID(1))),
			},
			Check: env.checkSecret("FED", "selected", env.repoID(1), env.repoID(2)),
		}}),
	})
}
