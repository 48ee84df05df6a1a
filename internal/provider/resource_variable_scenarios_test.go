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
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// variableEnvironment is the environment of the environment row's variables.
const variableEnvironment = "prod"

// variableEnv is one variable row's scenario in its own fake.
type variableEnv struct {
	*testEnv
	row variableRow
}

func newVariableEnv(t *testing.T, row variableRow) variableEnv {
	t.Helper()
	env := newTestEnv(t)
	env.fake.AddEnvironment(testOrg, "api", variableEnvironment)
	return variableEnv{env, row}
}

// addr is the address of the row's resource "test".
func (e variableEnv) addr() string { return e.row.typeName() + ".test" }

// place is the row's attributes that name where the variable is, as HCL.
func (e variableEnv) place(repo, env string) string {
	switch e.row.level {
	case client.RepoLevel:
		return fmt.Sprintf("  repository    = %q\n", repo)
	case client.EnvLevel:
		return fmt.Sprintf("  repository    = %q\n  environment   = %q\n", repo, env)
	}
	return "  visibility    = \"all\"\n"
}

// block declares the row's variable called name with value, in repository
// api (and environment prod).
func (e variableEnv) block(local, name, value string) string {
	return e.blockIn(local, "api", variableEnvironment, name, value)
}

func (e variableEnv) blockIn(local, repo, env, name, value string) string {
	return fmt.Sprintf("resource %q %q {\n%s  variable_name = %q\n  value         = %q\n}\n",
		e.row.typeName(), local, e.place(repo, env), name, value)
}

// held is the variable GitHub holds, by its stored name.
func (e variableEnv) held(name string) (fakegithub.VariableInfo, bool) {
	repo, env := "", ""
	if e.row.level != client.OrgLevel {
		repo = "api"
	}
	if e.row.level == client.EnvLevel {
		env = variableEnvironment
	}
	return e.fake.Variable(string(e.row.kind), testOrg, repo, env, name)
}

func (e variableEnv) holds(name, value string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		v, ok := e.held(name)
		if !ok || v.Value != value {
			return fmt.Errorf("variable %s: %+v, %v; want %q", name, v, ok, value)
		}
		return nil
	}
}

func (e variableEnv) gone(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if v, ok := e.held(name); ok {
			return fmt.Errorf("variable %s still exists: %+v", name, v)
		}
		return nil
	}
}

func (e variableEnv) outOfBand(name, value string) {
	repo, env := "", ""
	if e.row.level != client.OrgLevel {
		repo = "api"
	}
	if e.row.level == client.EnvLevel {
		env = variableEnvironment
	}
	v := fakegithub.VariableInfo{Name: name, Value: value}
	if e.row.level == client.OrgLevel {
		v.Visibility = "all"
	}
	e.fake.PutVariableOutOfBand(string(e.row.kind), testOrg, repo, env, v)
}

// importID is the id of the row's variable called name in api (and prod).
func (e variableEnv) importID(name string) string {
	switch e.row.level {
	case client.RepoLevel:
		return "api:" + name
	case client.EnvLevel:
		return "api:" + variableEnvironment + ":" + name
	}
	return name
}

// variableTable is the variable rows as the row harness runs them: every
// row's resources in one configuration, each row with its own provider and
// fake (see rows_test.go).
func variableTable() rowTable[variableRow, variableEnv] {
	return rowTable[variableRow, variableEnv]{
		rows:   variableRows,
		name:   func(r variableRow) string { return r.name },
		types:  func(r variableRow) []string { return []string{r.typeName()} },
		prefix: func(r variableRow) string { return r.typeName() },
		newEnv: newVariableEnv,
	}
}

// eachVariableRow runs scenario for every variable row, the rows together.
func eachVariableRow(t *testing.T, scenario func(*testing.T, variableEnv)) {
	t.Helper()
	variableTable().run(t, scenario)
}

// TestAccVariables_lifecycle: every variable row is created, its value
// changed outside Terraform is planned back (drift is exact), it is renamed
// in place, imported by id, and destroyed.
func TestAccVariables_lifecycle(t *testing.T) {
	t.Parallel()
	eachVariableRow(t, func(t *testing.T, e variableEnv) {
		addr := e.addr()
		cfg := func(name, value string) string { return e.config(e.block("test", name, value)) }
		update := resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
		e.test(t, resource.TestCase{
			CheckDestroy: resource.ComposeTestCheckFunc(e.gone("REGISTRY_URL"), e.gone("NPM_REGISTRY_URL")),
			Steps: []resource.TestStep{
				{
					Config: cfg("npm_registry_url", "https://npm.example.com/"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeTestCheckFunc(e.holds("NPM_REGISTRY_URL", "https://npm.example.com/"),
						resource.TestCheckResourceAttr(addr, "id", e.importID("NPM_REGISTRY_URL"))),
				},
				{
					PreConfig: func() {
						e.later()
						e.outOfBand("NPM_REGISTRY_URL", "elsewhere")
					},
					Config:           cfg("npm_registry_url", "https://npm.example.com/"),
					ConfigPlanChecks: update,
					Check:            e.holds("NPM_REGISTRY_URL", "https://npm.example.com/"),
				},
				{
					Config:           cfg("registry_url", "https://npm.example.com/"),
					ConfigPlanChecks: update,
					Check: resource.ComposeTestCheckFunc(e.holds("REGISTRY_URL", "https://npm.example.com/"), e.gone("NPM_REGISTRY_URL"),
						resource.TestCheckResourceAttr(addr, "id", e.importID("REGISTRY_URL"))),
				},
				{
					ResourceName:      addr,
					Config:            cfg("registry_url", "https://npm.example.com/"),
					ImportState:       true,
					ImportStateId:     e.importID("registry_url"),
					ImportStateVerify: true,
					// The import takes the name as GitHub stores it.
					ImportStateVerifyIgnore: []string{"variable_name"},
				},
			},
		})
	})
}

// TestAccVariables_identity: every variable row returns its identity and is
// imported by it (Terraform 1.12 and later), by id, and not when the
// identity names another owner and kind.
func TestAccVariables_identity(t *testing.T) {
	t.Parallel()
	variableTable().importing().run(t, func(t *testing.T, e variableEnv) {
		other := client.Agents
		if e.row.kind == other {
			other = client.Actions
		}
		owner, place := "owner", ""
		identity := map[string]knownvalue.Check{
			"kind":          knownvalue.StringExact(string(e.row.kind)),
			"variable_name": knownvalue.StringExact("REGISTRY_TOKEN"),
		}
		if e.row.level == client.OrgLevel {
			owner = "organization"
		} else {
			place = `repository = "api", `
			identity["repository"] = knownvalue.StringExact("api")
		}
		if e.row.level == client.EnvLevel {
			place += fmt.Sprintf("environment = %q, ", variableEnvironment)
			identity["environment"] = knownvalue.StringExact(variableEnvironment)
		}
		identity[owner] = knownvalue.StringExact(testOrg)
		testIdentity(t, identityCase{
			env:      e.testEnv,
			config:   e.block("test", "REGISTRY_TOKEN", "https://registry.example.com/"),
			addr:     e.addr(),
			identity: identity,
			required: place + `variable_name = "REGISTRY_TOKEN"`,
			wrong:    fmt.Sprintf(`%s = "other-org", kind = %q, %svariable_name = "REGISTRY_TOKEN"`, owner, other, place),
			importID: e.importID("REGISTRY_TOKEN"),
		})
	})
}

// TestAccVariables_refusedAtPlan: a name GitHub refuses, a repository list
// on a variable that is not selected, two resources of one variable (names
// that differ in case), and agents variables on GitHub Enterprise Server are
// refused at plan, before any request; a secret and a variable of one name
// are no clash.
func TestAccVariables_refusedAtPlan(t *testing.T) {
	t.Parallel()
	eachVariableRow(t, func(t *testing.T, e variableEnv) {
		steps := []resource.TestStep{
			{Config: e.config(e.block("test", "GITHUB_TOKEN", "v")), ExpectError: regexp.MustCompile(`GITHUB_`)},
			{Config: e.config(e.block("test", "1ST", "v")), ExpectError: regexp.MustCompile(`(?i)variable_name|digit`)},
			{Config: e.config(e.block("test", "has-dash", "v")), ExpectError: regexp.MustCompile(`(?i)variable_name|underscore`)},
			{
				Config:      e.config(e.block("one", "dup_name", "v") + e.block("two", "DUP_NAME", "v")),
				ExpectError: regexp.MustCompile(`(?s)Two\s+Resources\s+Manage\s+One\s+Variable`),
			},
		}
		if e.row.level == client.OrgLevel {
			steps = append(steps, resource.TestStep{
				Config: e.config(strings.Replace(e.block("test", "LISTED", "v"), "  visibility    = \"all\"\n",
					"  visibility    = \"private\"\n  selected_repository_ids = [1]\n", 1)),
				ExpectError: regexp.MustCompile(`(?s)Repository\s+List\s+Needs\s+Selected\s+Visibility`),
			})
		}
		e.test(t, resource.TestCase{Steps: steps}, func(t *testing.T) {
			if n := e.fake.CountRequests(""); n != 0 {
				t.Errorf("refused plans sent %d requests: %v", n, e.fake.Requests())
			}
		})
	})
}

// TestAccVariables_secretBeside: a secret and a variable of one name are
// different things, and both are planned.
func TestAccVariables_secretBeside(t *testing.T) {
	t.Parallel()
	e := newVariableEnv(t, actionsVariableRow(client.RepoLevel))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(e.block("test", "SAME_NAME", "v") +
				"resource \"ghsecrets_repository_actions_secret\" \"test\" {\n  repository = \"api\"\n  secret_name = \"SAME_NAME\"\n" +
				"  value_wo = \"s\"\n  value_wo_version = 1\n}\n"),
			Check: e.holds("SAME_NAME", "v"),
		}},
	})
}

// TestAccVariables_ghes: on GitHub Enterprise Server, agents variables are
// refused at plan, before any request (the server's address cannot be
// reached: a request would fail otherwise); on a loopback server, which may
// be either, GitHub's answer says why. Actions variables are served.
func TestAccVariables_ghes(t *testing.T) {
	t.Parallel()
	for _, row := range variableRows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			env := serveFake(t, fakegithub.Options{GHES: true}, []string{"api"}, nil)
			env.fake.AddEnvironment(testOrg, "api", variableEnvironment)
			e := variableEnv{env, row}
			served := requiredProviders + providerBlock(testOrg, "", env.url+"/api/v3/") + e.block("test", "X", "v")
			steps := []resource.TestStep{{Config: served, Check: e.holds("X", "v")}}
			if !row.kind.OnGHES() {
				steps = []resource.TestStep{
					{
						Config: requiredProviders + providerBlock(testOrg, "", "https://ghes.example.invalid/api/v3/") +
							e.block("test", "X", "v"),
						ExpectError: regexp.MustCompile(`(?s)Copilot\s+coding\s+agent\s+Variables\s+Are\s+Not\s+On\s+GitHub\s+Enterprise\s+Server`),
					},
					{
						PreConfig: func() {
							if n := env.fake.CountRequests(""); n != 0 {
								t.Errorf("%d requests reached the fake", n)
							}
						},
						Config:      served,
						ExpectError: regexp.MustCompile(`(?s)GitHub\s+Enterprise\s+Server\s+3\.19\.0\s+has\s+no\s+Copilot\s+coding\s+agent`),
					},
				}
			}
			acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
		})
	}
}

// TestAccVariables_missingPlace: a variable of a repository or environment
// that does not exist fails naming which one is missing.
func TestAccVariables_missingPlace(t *testing.T) {
	t.Parallel()
	eachVariableRow(t, func(t *testing.T, e variableEnv) {
		if e.row.level == client.OrgLevel {
			return // an organization variable has no repository or environment
		}
		steps := []resource.TestStep{{
			Config:      e.config(e.blockIn("test", "nowhere", variableEnvironment, "X", "v")),
			ExpectError: regexp.MustCompile(`(?s)repository\s+acme/nowhere\s+does\s+not\s+exist`),
		}}
		if e.row.level == client.EnvLevel {
			steps = append(steps, resource.TestStep{
				Config:      e.config(e.blockIn("test", "api", "staging", "X", "v")),
				ExpectError: regexp.MustCompile(`(?s)environment\s+staging\s+of\s+repository\s+acme/api\s+does\s+not\s+exist`),
			})
		}
		e.test(t, resource.TestCase{Steps: steps})
	})
}

// TestAccVariables_existingName: a variable made outside Terraform under the
// name a resource creates is never overwritten: the create fails naming the
// variable, GitHub's 409 and its message, and says how to adopt it.
func TestAccVariables_existingName(t *testing.T) {
	t.Parallel()
	eachVariableRow(t, func(t *testing.T, e variableEnv) {
		e.outOfBand("REGISTRY_URL", "theirs")
		e.test(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config: e.config(e.block("test", "registry_url", "ours")),
				ExpectError: regexp.MustCompile(`(?s)Variable Already Exists.*REGISTRY_URL.*409.*Variable already exists.*` +
					`import\s+block\s+\(id\s+"` + regexp.QuoteMeta(e.importID("REGISTRY_URL")) + `"\)`),
			}},
		}, func(t *testing.T) {
			if err := e.holds("REGISTRY_URL", "theirs")(nil); err != nil {
				t.Error(err)
			}
		})
	})
}

// variableMoveCases are the variable sources of integrations/github at every
// schema version, for TestMoveResourceState: the value moves, as it is no
// secret, and nothing warns.
func variableMoveCases() []moveCase {
	times := `"created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"`
	want := func(m map[string]any) map[string]any {
		m["created_at"], m["updated_at"] = "2026-11-23T21:18:49Z", "2026-11-23T21:18:52Z"
		return m
	}
	return []moveCase{
		{
			source: "github_actions_variable", version: 0, target: "ghsecrets_repository_actions_variable",
			raw:  `{"id":"api:REGISTRY","repository":"api","variable_name":"REGISTRY","value":"https://r.example.com/",` + times + `}`,
			want: want(map[string]any{"id": "api:REGISTRY", "repository": "api", "variable_name": "REGISTRY", "value": "https://r.example.com/"}),
		},
		{
			source: "github_actions_variable", version: 1, target: "ghsecrets_repository_actions_variable",
			raw: `{"id":"api:registry","repository":"api","repository_id":1296269,"variable_name":"registry","value":"v",` +
				times + `}`,
			want: want(map[string]any{"id": "api:REGISTRY", "repository": "api", "variable_name": "registry", "value": "v"}),
		},
		{
			source: "github_actions_environment_variable", version: 0, target: "ghsecrets_environment_actions_variable",
			raw: `{"id":"api:prod eu:REGION","repository":"api","environment":"prod eu","variable_name":"REGION","value":"eu",` +
				times + `}`,
			want: want(map[string]any{"id": "api:prod eu:REGION", "repository": "api", "environment": "prod eu",
				"variable_name": "REGION", "value": "eu"}),
		},
		{
			source: "github_actions_environment_variable", version: 1, target: "ghsecrets_environment_actions_variable",
			raw: `{"id":"api:prod%20eu:REGION","repository":"api","repository_id":1296269,"environment":"prod eu",` +
				`"variable_name":"REGION","value":"eu",` + times + `}`,
			want: want(map[string]any{"id": "api:prod eu:REGION", "repository": "api", "environment": "prod eu",
				"variable_name": "REGION", "value": "eu"}),
		},
		{
			source: "github_actions_organization_variable", version: 0, target: "ghsecrets_org_actions_variable",
			raw: `{"id":"REGION","variable_name":"REGION","visibility":"selected","selected_repository_ids":[1296270,1296269],` +
				`"value":"eu",` + times + `}`,
			want: want(map[string]any{"id": "REGION", "variable_name": "REGION", "visibility": "selected", "value": "eu",
				"selected_repository_ids": []any{int64(1296269), int64(1296270)}}),
		},
		{
			source: "github_actions_organization_variable_repositories", version: 0, target: "ghsecrets_org_actions_variable_repositories",
			raw:  `{"id":"region","variable_name":"region","selected_repository_ids":[1296271,1296269]}`,
			want: map[string]any{"id": "REGION", "variable_name": "region", "selected_repository_ids": []any{int64(1296269), int64(1296271)}},
		},
		{
			source: "github_actions_organization_variable_repository", version: 0, target: "ghsecrets_org_actions_variable_repository",
			raw:  `{"id":"REGION:1296271","variable_name":"REGION","repository_id":1296271}`,
			want: map[string]any{"id": "REGION:1296271", "variable_name": "REGION", "repository_id": int64(1296271)},
		},
	}
}

// TestAccOrgVariables_settingsDrift: an organization variable's inline list
// and visibility changed outside Terraform show in the plan and are put
// back; a visibility changed in configuration is changed in place.
func TestAccOrgVariables_settingsDrift(t *testing.T) {
	t.Parallel()
	for _, row := range variableRows {
		if row.level != client.OrgLevel {
			continue
		}
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			e := newVariableEnv(t, row)
			a, b, c := e.repoID(0), e.repoID(1), e.repoID(2)
			addr := e.addr()
			cfg := func(visibility string, ids ...int64) string {
				list := ""
				if ids != nil {
					list = "  selected_repository_ids = " + hclInts(ids) + "\n"
				}
				return e.config(fmt.Sprintf("resource %q \"test\" {\n  variable_name = \"REGION\"\n  value = \"eu\"\n  visibility = %q\n%s}\n",
					row.typeName(), visibility, list))
			}
			holds := func(visibility string, ids ...int64) resource.TestCheckFunc {
				return func(*terraform.State) error {
					v, ok := e.held("REGION")
					if !ok || v.Value != "eu" || v.Visibility != visibility || !slices.Equal(v.SelectedRepositoryIDs, ids) {
						return fmt.Errorf("variable REGION: %+v, %v; want %s %v", v, ok, visibility, ids)
					}
					return nil
				}
			}
			put := func(visibility string, ids ...int64) func() {
				return func() {
					e.later()
					e.fake.PutVariableOutOfBand(string(row.kind), testOrg, "", "", fakegithub.VariableInfo{
						Name: "REGION", Value: "eu", Visibility: visibility, SelectedRepositoryIDs: ids})
				}
			}
			update := resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			}
			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg(visibilitySelected, a, b), Check: holds(visibilitySelected, a, b)},
					{PreConfig: put(visibilitySelected, a, c), Config: cfg(visibilitySelected, a, b), ConfigPlanChecks: update,
						Check: holds(visibilitySelected, a, b)},
					{PreConfig: put(visibilityAll), Config: cfg(visibilitySelected, a, b), ConfigPlanChecks: update,
						Check: holds(visibilitySelected, a, b)},
					{Config: cfg(visibilityPrivate), ConfigPlanChecks: update, Check: holds(visibilityPrivate)},
				},
			})
		})
	}
}
