package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestAccOrgVariableCompanions_lifecycle: for each organization variable
// row, the authoritative list and one repository's access are set on
// selected variables, the list is changed, both are imported, and destroy
// empties the list and takes the access away; nothing reaches the secrets.
func TestAccOrgVariableCompanions_lifecycle(t *testing.T) {
	t.Parallel()
	orgVariableTable().run(t, func(t *testing.T, e variableEnv) {
		env, row := e.testEnv, e.row
		kind := string(row.kind)
		a, b, c := env.repoID(0), env.repoID(1), env.repoID(2)
		list, grant := row.typeName()+"_repositories", row.typeName()+"_repository"
		cfg := func(ids []int64) string {
			return env.config(fmt.Sprintf(`
resource %[1]q "listed" {
  variable_name = "listed"
  value         = "one"
  visibility    = "selected"
}

resource %[1]q "granted" {
  variable_name = "GRANTED"
  value         = "two"
  visibility    = "selected"
}

resource %[2]q "test" {
  variable_name           = %[1]s.listed.variable_name
  selected_repository_ids = %[4]s
}

resource %[3]q "test" {
  variable_name = %[1]s.granted.variable_name
  repository_id = %[5]d
}
`, row.typeName(), list, grant, hclInts(ids), c))
		}
		holds := func(name string, ids ...int64) resource.TestCheckFunc {
			return func(*terraform.State) error {
				v, ok := env.fake.Variable(kind, testOrg, "", "", name)
				want := slices.Clone(ids)
				slices.Sort(want)
				if !ok || v.Visibility != "selected" || !slices.Equal(v.SelectedRepositoryIDs, want) {
					return fmt.Errorf("variable %s: %+v, %v; want selected %v", name, v, ok, want)
				}
				if n := len(env.fake.Kind(kind).Secrets(testOrg)); n != 0 {
					return fmt.Errorf("%d %s secrets exist: a companion wrote a secret's list", n, kind)
				}
				return nil
			}
		}
		env.test(t, resource.TestCase{
			Steps: []resource.TestStep{
				{
					Config: cfg([]int64{a, b}),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(list+".test", tfjsonpath.New("id"), knownvalue.StringExact("LISTED")),
						statecheck.ExpectKnownValue(grant+".test", tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("GRANTED:%d", c))),
					},
					Check: resource.ComposeAggregateTestCheckFunc(holds("LISTED", a, b), holds("GRANTED", c)),
				},
				{
					// Access given outside Terraform: drift for the list,
					// none for the single access.
					PreConfig: func() {
						env.later()
						env.fake.PutVariableOutOfBand(kind, testOrg, "", "", fakegithub.VariableInfo{
							Name: "LISTED", Value: "one", Visibility: "selected", SelectedRepositoryIDs: []int64{a, b, c}})
						env.fake.PutVariableOutOfBand(kind, testOrg, "", "", fakegithub.VariableInfo{
							Name: "GRANTED", Value: "two", Visibility: "selected", SelectedRepositoryIDs: []int64{a, c}})
					},
					Config: cfg([]int64{b}),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(list+".test", plancheck.ResourceActionUpdate),
							plancheck.ExpectResourceAction(grant+".test", plancheck.ResourceActionNoop),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeAggregateTestCheckFunc(holds("LISTED", b), holds("GRANTED", a, c)),
				},
				{
					Config: cfg([]int64{b}), ResourceName: list + ".test", ImportState: true, ImportStateId: "listed",
					ImportStateVerify: true, ImportStateVerifyIgnore: []string{"variable_name"},
				},
				{
					Config: cfg([]int64{b}), ResourceName: grant + ".test", ImportState: true,
					ImportStateId: fmt.Sprintf("GRANTED:%d", c), ImportStateVerify: true,
				},
				{
					// The companions go; the variables stay, their lists emptied.
					Config: env.config(fmt.Sprintf(`
resource %[1]q "listed" {
  variable_name = "listed"
  value         = "one"
  visibility    = "selected"
}

resource %[1]q "granted" {
  variable_name = "GRANTED"
  value         = "two"
  visibility    = "selected"
}
`, row.typeName())),
					Check: resource.ComposeAggregateTestCheckFunc(holds("LISTED"), holds("GRANTED", a)),
				},
			},
			CheckDestroy: func(*terraform.State) error {
				if vs := env.fake.Variables(kind, testOrg, "", ""); len(vs) != 0 {
					return fmt.Errorf("variables left after destroy: %+v", vs)
				}
				return nil
			},
		})
	})
}

// orgVariableTable is the organization variable rows, run together.
func orgVariableTable() rowTable[variableRow, variableEnv] {
	tb := variableTable()
	tb.rows = slices.DeleteFunc(slices.Clone(variableRows), func(r variableRow) bool { return r.level != client.OrgLevel })
	tb.types = func(r variableRow) []string {
		return []string{r.typeName(), r.typeName() + "_repositories", r.typeName() + "_repository"}
	}
	return tb
}

// TestAccOrgVariableCompanions_identity: each organization variable row's
// companions carry the identity they import by (the variable's, and the
// repository's id for the single access), and the identity scenarios hold
// for them as for every type.
func TestAccOrgVariableCompanions_identity(t *testing.T) {
	t.Parallel()
	type companion struct {
		row    variableRow
		suffix string
	}
	type companionEnv struct {
		variableEnv
		suffix string
	}
	var rows []companion
	for _, row := range orgVariableTable().rows {
		for _, suffix := range []string{"_repositories", "_repository"} {
			rows = append(rows, companion{row, suffix})
		}
	}
	// Each row's companions declare the row's variable: the kinds run
	// together, one run for each type of companion.
	rowTable[companion, companionEnv]{
		rows:   rows,
		name:   func(c companion) string { return c.row.name + c.suffix },
		types:  func(c companion) []string { return []string{c.row.typeName() + c.suffix} },
		prefix: func(c companion) string { return c.row.typeName() },
		group:  func(c companion) string { return "variable" + c.suffix },
		newEnv: func(t *testing.T, c companion) companionEnv {
			return companionEnv{newVariableEnv(t, c.row), c.suffix}
		},
		importsByIdentity: true,
	}.run(t, func(t *testing.T, e companionEnv) {
		row, suffix := e.row, e.suffix
		other := client.Agents
		if row.kind == other {
			other = client.Actions
		}
		repo := e.repoID(0)
		c := identityCase{
			env: e.testEnv, addr: row.typeName() + suffix + ".test", importID: "DEPLOY_URL",
			config: strings.Replace(e.block("test", "DEPLOY_URL", "https://deploy.example.com/"),
				`visibility    = "all"`, `visibility    = "selected"`, 1),
			identity: map[string]knownvalue.Check{
				"organization":  knownvalue.StringExact(testOrg),
				"kind":          knownvalue.StringExact(string(row.kind)),
				"variable_name": knownvalue.StringExact("DEPLOY_URL"),
			},
			required: `variable_name = "DEPLOY_URL"`,
			wrong:    fmt.Sprintf(`organization = "other-org", kind = %q, variable_name = "DEPLOY_URL"`, other),
		}
		if suffix == "_repositories" {
			c.config += fmt.Sprintf("resource %q \"test\" {\n  variable_name           = %s.variable_name\n  selected_repository_ids = [%d]\n}\n",
				row.typeName()+suffix, e.addr(), repo)
		} else {
			c.config += fmt.Sprintf("resource %q \"test\" {\n  variable_name = %s.variable_name\n  repository_id = %d\n}\n",
				row.typeName()+suffix, e.addr(), repo)
			c.identity["repository_id"] = knownvalue.Int64Exact(repo)
			c.required += fmt.Sprintf(", repository_id = %d", repo)
			c.wrong += fmt.Sprintf(", repository_id = %d", repo)
			c.importID += fmt.Sprintf(":%d", repo)
		}
		testIdentity(t, c)
	})
}

// TestAccVariables_dataSources: every row's listing reads the variables of
// its own place and kind, values included, by name.
func TestAccVariables_dataSources(t *testing.T) {
	t.Parallel()
	eachVariableRow(t, func(t *testing.T, e variableEnv) {
		env, row := e.testEnv, e.row
		kind := string(row.kind)
		repo, envName, where := "", "", ""
		visibility := "all"
		switch row.level {
		case client.RepoLevel:
			repo, visibility, where = "api", "", `
  repository = "api"`
		case client.EnvLevel:
			env.fake.AddEnvironment(testOrg, "api", "prod")
			repo, envName, visibility, where = "api", "prod", "", `
  repository  = "api"
  environment = "prod"`
		}
		put := func(name, value string) {
			env.fake.PutVariableOutOfBand(kind, testOrg, repo, envName, fakegithub.VariableInfo{Name: name, Value: value, Visibility: visibility})
		}
		put("ZETA", "last")
		put("ALPHA", "first")
		// Neighbours the listing must not show: the other kind's
		// variables, and the same kind's secrets.
		if row.level != client.EnvLevel {
			other := map[string]string{"actions": "agents", "agents": "actions"}[kind]
			env.fake.PutVariableOutOfBand(other, testOrg, repo, "", fakegithub.VariableInfo{Name: "OTHER", Value: "x", Visibility: visibility})
		}
		item := func(name, value string) knownvalue.Check {
			want := map[string]knownvalue.Check{
				"name": knownvalue.StringExact(name), "value": knownvalue.StringExact(value),
				"created_at": knownvalue.StringRegexp(rfc3339), "updated_at": knownvalue.StringRegexp(rfc3339),
			}
			if row.level == client.OrgLevel {
				want["visibility"] = knownvalue.StringExact("all")
			}
			return knownvalue.ObjectExact(want)
		}
		id := map[client.Level]string{client.OrgLevel: testOrg, client.RepoLevel: "api", client.EnvLevel: "api:prod"}[row.level]
		addr := "data.ghsecrets_" + row.name + "_variables.all"
		env.test(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config: env.config(fmt.Sprintf("data %q \"all\" {%s\n}\n", "ghsecrets_"+row.name+"_variables", where)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("variables"), knownvalue.ListExact([]knownvalue.Check{
						item("ALPHA", "first"), item("ZETA", "last"),
					})),
				},
			}},
		})
	})
}

// TestAccVariableList_rows: every variable row's list resource finds the
// row's variables (not the other kind's), filters them by name prefix, and
// gives each with the identity the resource imports by and, with
// include_resource, its value.
func TestAccVariableList_rows(t *testing.T) {
	t.Parallel()
	for _, row := range variableRows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			kind := string(row.kind)
			repos, envName, visibility := []string{""}, "", "all"
			if row.level != client.OrgLevel {
				repos, visibility = []string{"api", "web"}, ""
			}
			if row.level == client.EnvLevel {
				envName = "prod"
				env.fake.AddEnvironment(testOrg, "api", envName)
				env.fake.AddEnvironment(testOrg, "web", envName)
			}
			for _, repo := range repos {
				for _, name := range []string{"DEPLOY_" + strings.ToUpper(repo), "OTHER_" + strings.ToUpper(repo)} {
					env.fake.PutVariableOutOfBand(kind, testOrg, repo, envName, fakegithub.VariableInfo{Name: name, Value: "v-" + name, Visibility: visibility})
				}
				if row.level != client.EnvLevel {
					other := map[string]string{"actions": "agents", "agents": "actions"}[kind]
					env.fake.PutVariableOutOfBand(other, testOrg, repo, "", fakegithub.VariableInfo{Name: "DEPLOY_NOT", Value: "x", Visibility: visibility})
				}
			}
			identity := func(repo, name string) map[string]knownvalue.Check {
				id := map[string]knownvalue.Check{"kind": knownvalue.StringExact(kind), "variable_name": knownvalue.StringExact(name)}
				if row.level == client.OrgLevel {
					id["organization"] = knownvalue.StringExact(testOrg)
					return id
				}
				id["owner"], id["repository"] = knownvalue.StringExact(testOrg), knownvalue.StringExact(repo)
				if row.level == client.EnvLevel {
					id["environment"] = knownvalue.StringExact(envName)
				}
				return id
			}
			typ := row.typeName()
			first := strings.ToUpper(repos[0])
			checks := []querycheck.QueryResultCheck{
				querycheck.ExpectLength(typ+".all", 2*len(repos)),
				querycheck.ExpectLength(typ+".prefix", len(repos)),
				querycheck.ExpectIdentity(typ+".prefix", identity(repos[0], "DEPLOY_"+first)),
				querycheck.ExpectResourceKnownValues(typ+".all", queryfilter.ByResourceIdentity(identity(repos[0], "OTHER_"+first)),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("variable_name"), KnownValue: knownvalue.StringExact("OTHER_" + first)},
						{Path: tfjsonpath.New("value"), KnownValue: knownvalue.StringExact("v-OTHER_" + first)},
						{Path: tfjsonpath.New("updated_at"), KnownValue: knownvalue.StringRegexp(rfc3339)},
					}),
			}
			blocks := strings.ReplaceAll(`
list "TYPE" "all" {
  provider         = ghsecrets
  include_resource = true
}
list "TYPE" "prefix" {
  provider = ghsecrets
  config {
    name_prefix = "deploy_"
  }
}
`, "TYPE", typ)
			acctest.Test(t, resource.TestCase{
				TerraformVersionChecks:   queryVersion,
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.config("")},
					{Query: true, Config: blocks, QueryResultChecks: checks},
				},
			})
		})
	}
}

// TestAccVariableListQueryAdopt: terraform query finds the variables of
// every row and generates their configuration, values included; the apply
// imports every one of them without a write, and the next plan is empty.
func TestAccVariableListQueryAdopt(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	env := newTestEnv(t)
	env.fake.AddEnvironment(testOrg, "api", "prod")
	var blocks strings.Builder
	seeded := 0
	for _, row := range variableRows {
		kind, repo, envName := string(row.kind), "", ""
		switch row.level {
		case client.RepoLevel:
			repo = "api"
		case client.EnvLevel:
			repo, envName = "api", "prod"
		}
		for i, v := range []fakegithub.VariableInfo{{Name: "FIRST", Value: "one"}, {Name: "SECOND", Value: "two\nlines"}} {
			if row.level == client.OrgLevel {
				v.Visibility = []string{visibilityAll, visibilitySelected}[i]
				if v.Visibility == visibilitySelected {
					v.SelectedRepositoryIDs = []int64{env.repoID(1)}
				}
			}
			env.fake.PutVariableOutOfBand(kind, testOrg, repo, envName, v)
			seeded++
		}
		fmt.Fprintf(&blocks, "list %q \"all\" {\n  provider         = ghsecrets\n  include_resource = true\n}\n", row.typeName())
	}
	cli := acctest.NewCLIInProcess(t, providerFactoriesWithEnv(map[string]string{envOwner: testOrg, envToken: testToken, envBaseURL: env.url}),
		requiredProviders)
	cli.MustRun("init", "-input=false")
	if err := os.WriteFile(filepath.Join(cli.Dir, "find.tfquery.hcl"), []byte(blocks.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cli.MustRun("query", "-generate-config-out=generated.tf")
	raw, err := os.ReadFile(filepath.Join(cli.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resourceBlock.FindAllString(string(raw), -1)); n != seeded {
		t.Fatalf("generated %d resource blocks, want %d:\n%s", n, seeded, acctest.Tail(string(raw)))
	}
	if err := os.Remove(filepath.Join(cli.Dir, "find.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	env.fake.ResetRequests()
	out := cli.MustRun("apply", "-auto-approve", "-input=false")
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", seeded)) {
		t.Errorf("the apply did not import exactly the %d variables:\n%s", seeded, acctest.Tail(out))
	}
	if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("the plan after the import exited %d, want 0 (empty):\n%s", code, acctest.Tail(out))
	}
	if n := env.fake.CountWrites(); n != 0 {
		t.Errorf("importing and planning wrote %d times; want none", n)
	}
	if v, _ := env.fake.Variable("actions", testOrg, "", "", "SECOND"); !slices.Equal(v.SelectedRepositoryIDs, []int64{env.repoID(1)}) {
		t.Errorf("the selected variable's list is now %v", v.SelectedRepositoryIDs)
	}
}
