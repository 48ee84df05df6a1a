package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// queryVersion skips a test under a Terraform without terraform query
// (before 1.14), through the framework's own version check.
var queryVersion = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// skipBelowQuery skips the test, the framework's way, when the CLI under
// test has no terraform query; for tests that drive the CLI themselves.
func skipBelowQuery(t *testing.T) {
	t.Helper()
	ran := false
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   queryVersion,
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: requiredProviders + "\n",
			Check:  func(*terraform.State) error { ran = true; return nil },
		}},
	})
	if !ran {
		t.Fatal("the version check neither skipped nor ran")
	}
}

// listedSecret is one secret the fake holds, and where.
type listedSecret struct {
	kind, repo, env, name string
	value                 string
}

// seedMixed fills the fake with n secrets of every kind and scope: most of
// them organization Actions secrets (more than a page), the rest spread over
// the other organization kinds, the repository kinds and two environments.
func seedMixed(env *testEnv, n int) []listedSecret {
	var out []listedSecret
	add := func(s listedSecret) {
		s.value = fmt.Sprintf("untouched-%d-%s", len(out), s.name)
		switch {
		case s.env != "":
			env.fake.Env(testOrg, s.repo, s.env).PutSecretOutOfBand(s.name, []byte(s.value))
		case s.repo != "":
			env.fake.Repo(s.kind, testOrg, s.repo).PutSecretOutOfBand(s.name, []byte(s.value))
		default:
			vis := []string{visibilityAll, visibilityPrivate, visibilitySelected}[len(out)%3]
			var ids []int64
			if vis == visibilitySelected {
				ids = []int64{env.repoID(len(out) % len(env.repos))}
			}
			env.fake.Kind(s.kind).PutSecretOutOfBand(testOrg, s.name, []byte(s.value), vis, ids)
		}
		out = append(out, s)
	}
	env.fake.AddEnvironment(testOrg, "api", "production")
	env.fake.AddEnvironment(testOrg, "web", "staging eu/1")
	env.fake.AddEnvironment(testOrg, "worker", "empty")
	spread := []listedSecret{
		{kind: "dependabot"}, {kind: "codespaces"}, {kind: "agents"},
		{kind: "actions", repo: "api"}, {kind: "dependabot", repo: "web"}, {kind: "codespaces", repo: "worker"},
		{kind: "agents", repo: "api"}, {kind: "actions", repo: "web"},
		{kind: "actions", repo: "api", env: "production"}, {kind: "actions", repo: "web", env: "staging eu/1"},
	}
	const each = 4
	for i, s := range spread {
		for j := range each {
			s.name = fmt.Sprintf("S%d_%s_%d", i, strings.ToUpper(s.kind), j)
			add(s)
		}
	}
	for i := 0; len(out) < n; i++ {
		add(listedSecret{kind: "actions", name: fmt.Sprintf("ORG_%03d", i)})
	}
	return out
}

// typeOf is the resource type of a seeded secret.
func (s listedSecret) typeOf() string {
	switch {
	case s.env != "":
		return "ghsecrets_environment_actions_secret"
	case s.repo != "":
		return "ghsecrets_repository_" + s.kind + "_secret"
	}
	return "ghsecrets_org_" + s.kind + "_secret"
}

// everyListBlock is one list block per list resource, all results with
// their metadata.
func everyListBlock() string {
	var b strings.Builder
	for _, typ := range listTypes() {
		fmt.Fprintf(&b, "list %q \"all\" {\n  provider         = ghsecrets\n  include_resource = true\n  limit            = 1000\n}\n", typ)
	}
	return b.String()
}

func listTypes() []string {
	var types []string
	for _, k := range orgKinds {
		types = append(types, k.resourceType())
	}
	for _, k := range scopeKinds {
		types = append(types, k.resourceType())
	}
	return types
}

// resourceBlock matches a generated resource block's first line.
var resourceBlock = regexp.MustCompile(`(?m)^resource "ghsecrets_\w+" "[^"]+" \{\n`)

// nullValue matches the value_wo line of a generated resource block.
var nullValue = regexp.MustCompile(`(?m)^ +value_wo += null # sensitive$`)

// TestAccListQueryAdopt runs the whole path of adopting existing secrets with
// the real CLI: terraform query finds 150 secrets of every kind and scope,
// -generate-config-out writes their resource and import blocks, a value is
// added to each, and the apply imports them all without writing anything;
// the next plan is empty.
func TestAccListQueryAdopt(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	env := newTestEnv(t)
	seeded := seedMixed(env, 150)
	value := testPlaintext(t, "adopt")

	cli := acctest.NewCLI(t, acctest.BuildProvider(t), env.config(""),
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url, "TF_VAR_value="+value)
	if err := os.WriteFile(filepath.Join(cli.Dir, "find.tfquery.hcl"), []byte(everyListBlock()), 0o600); err != nil {
		t.Fatal(err)
	}
	env.fake.ResetRequests()
	start := time.Now()
	out := cli.MustRun("query", "-generate-config-out=generated.tf")
	took := time.Since(start)
	queried := env.fake.Requests()
	t.Logf("the query of %d secrets took %s and %d requests", len(seeded), took.Round(time.Millisecond), len(queried))
	for _, s := range seeded {
		if !strings.Contains(out, s.name) {
			t.Errorf("the query did not find %s %s", s.typeOf(), s.name)
		}
	}
	if want := minimumQueryRequests(env, seeded); len(queried) != want {
		t.Errorf("the query cost %d requests, want %d (one per page of each listing)", len(queried), want)
	}

	raw, err := os.ReadFile(filepath.Join(cli.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	generated := string(raw)
	if n := len(resourceBlock.FindAllString(generated, -1)); n != len(seeded) {
		t.Fatalf("generated %d resource blocks, want %d:\n%s", n, len(seeded), acctest.Tail(generated))
	}
	// No value in the generated configuration: GitHub never returns one.
	if n := len(nullValue.FindAllString(generated, -1)); n != len(seeded) {
		t.Fatalf("%d of %d generated resource blocks have value_wo = null:\n%s", n, len(seeded), acctest.Tail(generated))
	}
	// What a user adds: the value, in every resource block.
	withValue := nullValue.ReplaceAllString(generated, "  value_wo = var.value")
	if err := os.WriteFile(filepath.Join(cli.Dir, "generated.tf"), []byte(withValue), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(cli.Dir, "find.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}

	env.fake.ResetRequests()
	start = time.Now()
	out = cli.MustRun("apply", "-auto-approve", "-input=false")
	t.Logf("importing them took %s and %d requests", time.Since(start).Round(time.Millisecond), len(env.fake.Requests()))
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", len(seeded))) {
		t.Errorf("the apply did not import exactly the %d secrets:\n%s", len(seeded), acctest.Tail(out))
	}
	if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("the plan after the import exited %d, want 0 (empty):\n%s", code, acctest.Tail(out))
	}
	if n := env.fake.CountWrites(); n != 0 {
		t.Errorf("importing and planning wrote %d times; want none", n)
	}
	for _, s := range seeded {
		if got, ok := fakeValue(env, s); !ok || got != s.value {
			t.Errorf("%s %s no longer holds its value", s.typeOf(), s.name)
		}
	}
	cli.CheckStateFiles()
}

// fakeValue is the plaintext the fake holds for a seeded secret.
func fakeValue(env *testEnv, s listedSecret) (string, bool) {
	var v []byte
	var ok bool
	switch {
	case s.env != "":
		v, ok = env.fake.Env(testOrg, s.repo, s.env).SecretValue(s.name)
	case s.repo != "":
		v, ok = env.fake.Repo(s.kind, testOrg, s.repo).SecretValue(s.name)
	default:
		v, ok = env.fake.Kind(s.kind).SecretValue(testOrg, s.name)
	}
	return string(v), ok
}

// minimumQueryRequests is what finding every secret costs at least: one
// request per page (100 items) of each listing: each organization kind's
// secrets, the repositories, each repository kind's secrets in each
// repository, each repository's environments, each environment's secrets.
func minimumQueryRequests(env *testEnv, seeded []listedSecret) int {
	pages := func(n int) int { return max(1, (n+99)/100) }
	count := map[string]int{}
	for _, s := range seeded {
		if s.repo == "" {
			count[s.kind]++
		}
	}
	n := 1 // the repositories
	for _, k := range orgKinds {
		n += pages(count[k.name])
	}
	for _, k := range scopeKinds {
		for _, r := range env.repos {
			if !k.env {
				n++
				continue
			}
			n++ // the environments
			n += len(env.fake.Environments(testOrg, r.Name))
		}
	}
	return n
}

// listRows are the rows with a list resource: every organization kind,
// every repository kind, environment secrets.
func listRows() []secretRow {
	var rows []secretRow
	for _, k := range secretKindRows() {
		rows = append(rows, k)
	}
	for _, k := range scopeKinds {
		rows = append(rows, k)
	}
	return rows
}

// listEnv is a test environment seen through one row's list resource: the
// row's secrets go to repository api (environment testEnvironment) and web
// (environment production).
type listEnv struct {
	*testEnv
	row secretRow
	// place is where a secret of the row in repo lives, for the fake.
	place               func(repo string) fakegithub.ScopeSecrets
	scoped, environment bool
}

func newListEnv(t *testing.T, row secretRow) listEnv {
	t.Helper()
	e := listEnv{testEnv: newTestEnv(t), row: row}
	switch k := row.(type) {
	case scopeKind:
		e.scoped, e.environment = true, k.env
		if k.env {
			e.fake.AddEnvironment(testOrg, "api", testEnvironment)
			e.fake.AddEnvironment(testOrg, "web", "production")
			e.place = func(repo string) fakegithub.ScopeSecrets {
				return e.fake.Env(testOrg, repo, map[string]string{"api": testEnvironment, "web": "production"}[repo])
			}
		} else {
			e.place = func(repo string) fakegithub.ScopeSecrets { return e.fake.Repo(string(k.kind), testOrg, repo) }
		}
	}
	return e
}

// put creates secret name of the row in repo (ignored for organization rows).
func (e listEnv) put(repo, name string) {
	if !e.scoped {
		k := e.row.(orgKind)
		if k.user {
			e.fake.User().PutSecretOutOfBand(name, []byte("v"))
			return
		}
		e.fake.Kind(string(k.kind)).PutSecretOutOfBand(testOrg, name, []byte("v"), visibilityPrivate, nil)
		return
	}
	e.place(repo).PutSecretOutOfBand(name, []byte("v"))
}

// putElsewhere creates secrets the row's list must not find: of the same
// kind in another scope, and of another kind.
func (e listEnv) putElsewhere(name string) {
	var kind string
	switch k := e.row.(type) {
	case orgKind:
		kind = string(k.kind)
		if k.user {
			// The organization's and a repository's Codespaces secrets are not the user's.
			e.fake.Kind(kind).PutSecretOutOfBand(testOrg, name, []byte("v"), visibilityAll, nil)
			e.fake.Repo(kind, testOrg, "worker").PutSecretOutOfBand(name, []byte("v"))
			return
		}
	case scopeKind:
		kind = string(k.kind)
	}
	other := map[bool]string{true: "actions", false: "dependabot"}[kind == "dependabot"]
	switch {
	case e.environment:
		e.fake.Repo(kind, testOrg, "api").PutSecretOutOfBand(name, []byte("v"))
		e.fake.Kind(kind).PutSecretOutOfBand(testOrg, name, []byte("v"), visibilityAll, nil)
	case e.scoped:
		e.fake.Kind(kind).PutSecretOutOfBand(testOrg, name, []byte("v"), visibilityAll, nil)
		e.fake.Repo(other, testOrg, "worker").PutSecretOutOfBand(name, []byte("v"))
	default:
		e.fake.Kind(other).PutSecretOutOfBand(testOrg, name, []byte("v"), visibilityAll, nil)
		e.fake.Repo(kind, testOrg, "worker").PutSecretOutOfBand(name, []byte("v"))
	}
}

// query is a query step's list blocks, for the row's type; the provider
// is configured by the step before.
func (e listEnv) query(blocks string) string {
	return strings.ReplaceAll(blocks, "TYPE", e.row.resourceType())
}

// identity is the identity a found secret of the row in repo has.
func (e listEnv) identity(repo, name string) map[string]knownvalue.Check {
	if k, ok := e.row.(orgKind); ok && k.user {
		return map[string]knownvalue.Check{
			"kind":        knownvalue.StringExact(string(k.kind)),
			"secret_name": knownvalue.StringExact(name),
		}
	}
	if !e.scoped {
		return map[string]knownvalue.Check{
			"organization": knownvalue.StringExact(testOrg),
			"kind":         knownvalue.StringExact(string(e.row.(orgKind).kind)),
			"secret_name":  knownvalue.StringExact(name),
		}
	}
	k := e.row.(scopeKind)
	id := map[string]knownvalue.Check{
		"owner":       knownvalue.StringExact(testOrg),
		"kind":        knownvalue.StringExact(string(k.kind)),
		"repository":  knownvalue.StringExact(repo),
		"secret_name": knownvalue.StringExact(name),
	}
	if k.env {
		id["environment"] = knownvalue.StringExact(map[string]string{"api": testEnvironment, "web": "production"}[repo])
	}
	return id
}

// TestAccList_rows: for every row, the list resource finds the row's
// secrets (and no other kind's), filters them by name prefix, and for
// repository and environment secrets by repository and environment; each
// result has the identity the resource imports by, and with
// include_resource the metadata an import would read.
func TestAccList_rows(t *testing.T) {
	t.Parallel()
	rowTable[secretRow, listEnv]{
		rows: listRows(), name: secretRow.resourceType, types: func(r secretRow) []string { return []string{r.resourceType()} },
		newEnv: newListEnv,
	}.apart(t, func(t *testing.T, e listEnv) {
		at := func(label string) string { return e.row.resourceType() + "." + label }
		e.put("api", "DEPLOY_A")
		e.put("api", "deploy_b")
		e.put("api", "OTHER")
		e.putElsewhere("DEPLOY_ELSEWHERE")
		want, wantPrefix := 3, 2
		checks := []querycheck.QueryResultCheck{
			querycheck.ExpectIdentity(at("prefix"), e.identity("api", "DEPLOY_A")),
			querycheck.ExpectIdentity(at("prefix"), e.identity("api", "DEPLOY_B")),
			querycheck.ExpectLength(at("one"), 1),
			querycheck.ExpectResourceKnownValues(at("all"), queryfilter.ByResourceIdentity(e.identity("api", "OTHER")),
				[]querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("secret_name"), KnownValue: knownvalue.StringExact("OTHER")},
					{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.StringRegexp(rfc3339)},
					{Path: tfjsonpath.New("updated_at"), KnownValue: knownvalue.StringRegexp(rfc3339)},
					{Path: tfjsonpath.New("value_wo_version"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("on_value_drift"), KnownValue: knownvalue.StringExact("restore")},
				}),
		}
		blocks := `
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
list "TYPE" "one" {
  provider = ghsecrets
  limit    = 1
}
`
		if e.scoped {
			e.put("web", "DEPLOY_C")
			want, wantPrefix = 4, 3
			checks = append(checks,
				querycheck.ExpectIdentity(at("prefix"), e.identity("web", "DEPLOY_C")),
				querycheck.ExpectLength(at("web"), 1),
				querycheck.ExpectIdentity(at("web"), e.identity("web", "DEPLOY_C")))
			web := `
list "TYPE" "web" {
  provider = ghsecrets
  config {
    repositories = ["web"]
  }
}
`
			if e.environment {
				// An environment named in the filter is looked for in every
				// repository; the repositories without it are no error.
				web = strings.Replace(web, `repositories = ["web"]`, `environments = ["production"]`, 1)
			}
			blocks += web
		}
		checks = append(checks,
			querycheck.ExpectLength(at("all"), want),
			querycheck.ExpectLength(at("prefix"), wantPrefix))
		acctest.Test(t, resource.TestCase{
			TerraformVersionChecks:   queryVersion,
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{
				{Config: e.config("")},
				{Query: true, Config: e.query(blocks), QueryResultChecks: checks},
			},
		})
		if n := e.fake.CountWrites(); n != 0 {
			t.Errorf("listing wrote %d times", n)
		}
	})
}

// TestAccList_invalidFilters: a filter that cannot match fails before any
// request, naming the attribute and the rule; a repository named in the
// filter that does not exist is named in the error.
func TestAccList_invalidFilters(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	step := func(typ, filter, want string) resource.TestStep {
		return resource.TestStep{
			Query:       true,
			Config:      fmt.Sprintf("list %q \"bad\" {\n  provider = ghsecrets\n  config {\n    %s\n  }\n}\n", typ, filter),
			ExpectError: regexp.MustCompile(want),
		}
	}
	var requests int
	acctest.Test(t, resource.TestCase{
		TerraformVersionChecks:   queryVersion,
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(""), Check: func(*terraform.State) error { requests = len(env.fake.Requests()); return nil }},
			step("ghsecrets_org_actions_secret", `name_prefix = "DEPLOY-"`, `(?s)name_prefix.*letters, digits and underscores`),
			step("ghsecrets_repository_actions_secret", `repositories = ["acme/api"]`, `(?s)repositories.*repository name`),
			step("ghsecrets_repository_actions_secret", `repositories = []`, `(?s)repositories.*at least 1`),
			step("ghsecrets_environment_actions_secret", `environments = ["prod", "prod"]`, `(?s)Duplicate List Value.*"prod"`),
			{
				Config: "list \"ghsecrets_repository_dependabot_secret\" \"gone\" {\n  provider = ghsecrets\n" +
					"  config {\n    repositories = [\"gone\"]\n  }\n}\n",
				Query:       true,
				ExpectError: regexp.MustCompile(`(?s)repository acme/gone.*404`),
			},
			{
				Config: "list \"ghsecrets_environment_actions_secret\" \"gone\" {\n  provider = ghsecrets\n" +
					"  config {\n    repositories = [\"gone\"]\n    environments = [\"production\"]\n  }\n}\n",
				Query:       true,
				ExpectError: regexp.MustCompile(`(?s)environments of repository acme/gone.*404`),
			},
		},
	})
	// Only the missing repository's listing was asked for.
	for _, r := range env.fake.Requests()[requests:] {
		if !strings.Contains(r.Path, "/gone/") {
			t.Errorf("an invalid filter cost a request: %s %s", r.Method, r.Path)
		}
	}
}

// listBlock finds a list block's type and name in an example.
var listBlock = regexp.MustCompile(`(?m)^list "(\w+)" "(\w+)"`)

// TestAccListExamples runs every list resource example under
// examples/list-resources with terraform query against a fake organization
// where each finds exactly the secrets its filters select: DEPLOY_ ones in
// the organization, those of api and web, those of production environments.
func TestAccListExamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../examples/list-resources/*/list-resource.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	// Besides the secret rows': the variable rows', and the private
	// registries', whose example TestAccPrivateRegistries_list runs.
	if want := len(listRows()) + len(variableRows) + 1; len(files) != want {
		t.Fatalf("found %d list resource examples, want one for each of the %d list resources", len(files), want)
	}
	for _, file := range files {
		typ := filepath.Base(filepath.Dir(file))
		if typ == privateRegistryType {
			continue
		}
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			blocks := listBlock.FindAllStringSubmatch(string(raw), -1)
			if len(blocks) != 1 || blocks[0][1] != typ {
				t.Fatalf("the example should hold one list block of %s: %v", typ, blocks)
			}
			env := newTestEnvFor(t, examplesOrg)
			want := 1
			variable := slices.IndexFunc(variableRows, func(r variableRow) bool { return r.typeName() == typ })
			switch {
			case variable >= 0:
				want = putExampleVariables(env, variableRows[variable])
			case typ == userCodespacesKind.resourceType():
				env.fake.User().PutSecretOutOfBand("DEV_TOKEN", []byte("v"))
				env.fake.User().PutSecretOutOfBand("OTHER_TOKEN", []byte("v"))
			case strings.HasPrefix(typ, "ghsecrets_org_"):
				kind := env.fake.Kind(strings.TrimSuffix(strings.TrimPrefix(typ, "ghsecrets_org_"), "_secret"))
				kind.PutSecretOutOfBand(examplesOrg, "DEPLOY_TOKEN", []byte("v"), visibilityAll, nil)
				kind.PutSecretOutOfBand(examplesOrg, "OTHER_TOKEN", []byte("v"), visibilityAll, nil)
			case strings.HasPrefix(typ, "ghsecrets_repository_"):
				want = 2
				kind := strings.TrimSuffix(strings.TrimPrefix(typ, "ghsecrets_repository_"), "_secret")
				for _, repo := range []string{"api", "web", "worker"} {
					env.fake.Repo(kind, examplesOrg, repo).PutSecretOutOfBand("DEPLOY_TOKEN", []byte("v"))
				}
			default:
				for _, place := range [][2]string{{"api", "production"}, {"api", "staging"}, {"web", "staging"}} {
					env.fake.AddEnvironment(examplesOrg, place[0], place[1])
					env.fake.Env(examplesOrg, place[0], place[1]).PutSecretOutOfBand("DEPLOY_TOKEN", []byte("v"))
				}
			}
			acctest.Test(t, resource.TestCase{
				TerraformVersionChecks:   queryVersion,
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: requiredProviders + providerBlock(examplesOrg, "", env.url)},
					{Query: true, Config: string(raw), QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength(typ+"."+blocks[0][2], want),
					}},
				},
			})
		})
	}
}

// putExampleVariables gives the fake the variables of row that the row's
// list example selects, beside ones it must not, and is how many it selects:
// DEPLOY_URL of the organization, of api and web (not worker), of the
// production environment (not staging).
func putExampleVariables(env *testEnv, row variableRow) int {
	kind := string(row.kind)
	switch row.level {
	case client.OrgLevel:
		for _, name := range []string{"DEPLOY_URL", "OTHER_URL"} {
			env.fake.PutVariableOutOfBand(kind, examplesOrg, "", "", fakegithub.VariableInfo{Name: name, Value: "v", Visibility: visibilityAll})
		}
		return 1
	case client.RepoLevel:
		for _, repo := range []string{"api", "web", "worker"} {
			env.fake.PutVariableOutOfBand(kind, examplesOrg, repo, "", fakegithub.VariableInfo{Name: "DEPLOY_URL", Value: "v"})
		}
		return 2
	}
	for _, place := range [][2]string{{"api", "production"}, {"api", "staging"}, {"web", "staging"}} {
		env.fake.AddEnvironment(examplesOrg, place[0], place[1])
		env.fake.PutVariableOutOfBand(kind, examplesOrg, place[0], place[1], fakegithub.VariableInfo{Name: "DEPLOY_URL", Value: "v"})
	}
	return 1
}
