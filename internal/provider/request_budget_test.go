package provider

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// budgetSecrets is enough secrets for two pages of the org's secret list.
const budgetSecrets = 150

// TestAccRequestBudget runs the commands of a configuration's life with the
// real CLI and counts every request each one sends, by kind, against what
// the API allows at least. Lists on the secrets and lists in resources of
// their own differ only where the API makes them: apply, and destroy (which
// revokes an authoritative list resource's access first).
func TestAccRequestBudget(t *testing.T) {
	t.Parallel()
	bin := acctest.BuildProvider(t)
	for _, inline := range []bool{true, false} {
		name := map[bool]string{true: "lists on the secrets", false: "lists in resources"}[inline]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testRequestBudget(t, bin, inline)
		})
	}
}

func testRequestBudget(t *testing.T, bin string, inline bool) {
	env := newTestEnv(t)
	set := newSoakSet(t, "BUDGET", budgetSecrets, env.repos)
	cfg, lists := set.config(), budgetSecrets
	if inline {
		cfg, lists = set.inlineConfig(), 0
	}
	cli := acctest.NewCLI(t, bin, cfg,
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url,
		"TF_VAR_values="+hclMap(set.values))
	n, pages := budgetSecrets, 2
	listed := 1 // the organization has no secret yet: one page
	if inline {
		listed = 0
	}
	without0 := func(m map[string]int) map[string]int {
		maps.DeleteFunc(m, func(_ string, v int) bool { return v == 0 })
		return m
	}
	steps := []struct {
		name string
		args []string
		want map[string]int
	}{
		// The key once per process; the list in the value's PUT or in one of its
		// own; one secret read back per process, to check that the Date of
		// GitHub's answers agrees with its timestamps. A selected secret whose
		// list is left to a list resource is looked up in the secret listing
		// first, so a create over an existing one keeps its list.
		{"apply", []string{"apply", "-auto-approve", "-input=false"},
			without0(map[string]int{"GET key": 1, "GET secret": 1, "PUT secret": n, "PUT list": lists, "GET secrets page": listed})},
		// No secret read one by one; each list read once, in full: no ETag yet.
		{"first plan", []string{"plan", "-detailed-exitcode", "-input=false"},
			map[string]int{"GET secrets page": pages, "GET list": n}},
		// Any apply keeps what its refresh read, the lists' ETags among it.
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"},
			map[string]int{"GET secrets page": pages, "GET list": n}},
		// Every unchanged list is a 304, which the rate limit does not count.
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false"},
			map[string]int{"GET secrets page": pages, "GET list 304": n}},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false"},
			without0(map[string]int{"GET secrets page": pages, "GET list 304": n, "DELETE secret": n, "PUT list": lists})},
	}
	for _, st := range steps {
		from := len(env.fake.Requests())
		cli.MustRun(st.args...)
		if got := requestKinds(env.fake.Requests()[from:]); !maps.Equal(got, st.want) {
			t.Errorf("%s sent %v, want %v", st.name, got, st.want)
		}
	}
	if left := env.fake.Secrets(testOrg); len(left) != 0 {
		t.Errorf("%d secrets are left on GitHub after destroy", len(left))
	}
	cli.CheckStateFiles()
}

// requestKinds counts requests by what they do.
func requestKinds(reqs []fakegithub.Request) map[string]int {
	secrets := "/orgs/" + testOrg + "/actions/secrets"
	kinds := map[string]int{}
	for _, r := range reqs {
		rest, ok := strings.CutPrefix(r.Path, secrets)
		parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
		kind := r.Method + " " + r.Path
		switch {
		case !ok:
		case rest == "":
			kind = r.Method + " secrets page"
		case rest == "/public-key":
			kind = r.Method + " key"
		case len(parts) == 1:
			kind = r.Method + " secret"
		case len(parts) == 2 && parts[1] == "repositories":
			kind = r.Method + " list"
		}
		if r.Status == http.StatusNotModified {
			kind += " 304"
		}
		kinds[kind]++
	}
	return kinds
}

func TestRequestKinds(t *testing.T) {
	t.Parallel()
	base := "/orgs/" + testOrg + "/actions/secrets"
	got := requestKinds([]fakegithub.Request{
		{Method: "GET", Path: base, Status: 200},
		{Method: "GET", Path: base + "/public-key", Status: 200},
		{Method: "GET", Path: base + "/A", Status: 200},
		{Method: "GET", Path: base + "/A/repositories", Status: 304},
		{Method: "PUT", Path: base + "/A/repositories/7", Status: 204},
		{Method: "GET", Path: "/orgs/" + testOrg + "/repos", Status: 200},
	})
	want := map[string]int{
		"GET secrets page": 1, "GET key": 1, "GET secret": 1, "GET list 304": 1,
		"PUT " + base + "/A/repositories/7": 1, "GET /orgs/" + testOrg + "/repos": 1,
	}
	if !maps.Equal(got, want) {
		keys := slices.Sorted(maps.Keys(got))
		t.Errorf("requestKinds = %v (%s), want %v", got, fmt.Sprint(keys), want)
	}
}

// budgetEnvironment is the environment of every repository in the scoped budget.
const budgetEnvironment = "production"

// TestAccRequestBudget_scopes runs the life of two secrets of every
// repository and environment row in each of three repositories (15 scopes,
// 30 secrets) with the real CLI and counts what each command sends: a scope's
// key is read once per apply, its listing once per refresh, and no secret is
// read on its own but the one read back to judge the Date of GitHub's answers.
func TestAccRequestBudget_scopes(t *testing.T) {
	t.Parallel()
	bin := acctest.BuildProvider(t)
	env := newTestEnv(t)
	var b strings.Builder
	b.WriteString(requiredProviders + `
provider "ghsecrets" {}

variable "value" {
  type      = string
  sensitive = true
  ephemeral = true
}

locals {
  secrets = { for p in setproduct(["api", "web", "worker"], ["ONE", "TWO"]) : "${p[0]}:${p[1]}" => { repository = p[0], name = p[1] } }
}
`)
	scopes := 0
	for _, k := range scopeKinds {
		envLine := ""
		if k.env {
			envLine = fmt.Sprintf("  environment      = %q\n", budgetEnvironment)
		}
		fmt.Fprintf(&b, `
resource %q "budget" {
  for_each         = local.secrets
  repository       = each.value.repository
%s  secret_name      = each.value.name
  value_wo         = var.value
  value_wo_version = 1
}
`, k.typeName("_secret"), envLine)
		scopes += len(env.repos)
	}
	for _, r := range env.repos {
		env.fake.AddEnvironment(testOrg, r.Name, budgetEnvironment)
	}
	n := 2 * scopes
	cli := acctest.NewCLI(t, bin, b.String(),
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url, "TF_VAR_value=budget-value")
	steps := []struct {
		name string
		args []string
		want map[string]int
	}{
		{"apply", []string{"apply", "-auto-approve", "-input=false"},
			map[string]int{"GET key": scopes, "PUT secret": n, "GET secret": 1}},
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"},
			map[string]int{"GET listing": scopes}},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false"},
			map[string]int{"GET listing": scopes}},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false"},
			map[string]int{"GET listing": scopes, "DELETE secret": n}},
	}
	for _, st := range steps {
		from := len(env.fake.Requests())
		cli.MustRun(st.args...)
		if got := scopedRequestKinds(env.fake.Requests()[from:]); !maps.Equal(got, st.want) {
			t.Errorf("%s sent %v, want %v", st.name, got, st.want)
		}
	}
	cli.CheckStateFiles()
}

// scopedRequestKinds counts requests to the secrets of the test org's
// repositories and environments by what they do, whatever the scope.
func scopedRequestKinds(reqs []fakegithub.Request) map[string]int {
	kinds := map[string]int{}
	for _, r := range reqs {
		kind := r.Method + " " + r.Path
		if rest, ok := strings.CutPrefix(r.Path, "/repos/"+testOrg+"/"); ok {
			if _, tail, ok := strings.Cut(rest, "/secrets"); ok {
				switch {
				case tail == "":
					kind = r.Method + " listing"
				case tail == "/public-key":
					kind = r.Method + " key"
				case strings.Count(tail, "/") == 1:
					kind = r.Method + " secret"
				}
			}
		}
		kinds[kind]++
	}
	return kinds
}

// TestAccRequestBudget_variables runs the life of 35 selected organization
// variables with their lists inline and 2 repository variables with the
// real CLI, and counts what each command sends: one POST a variable; a
// refresh reads a page per 30 variables of a place and no variable on its
// own; each list is read in full once, then asked "changed since?" with its
// ETag, which an unchanged list answers 304.
func TestAccRequestBudget_variables(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const n = 35
	var cfg strings.Builder
	cfg.WriteString(requiredProviders)
	for i := range n {
		fmt.Fprintf(&cfg, "resource \"ghsecrets_org_actions_variable\" \"v%d\" {\n  variable_name = \"BUDGET_%d\"\n  value = \"v\"\n"+
			"  visibility = \"selected\"\n  selected_repository_ids = [%d]\n}\n", i, i, env.repoID(i%3))
	}
	for i := range 2 {
		fmt.Fprintf(&cfg, "resource \"ghsecrets_repository_actions_variable\" \"r%d\" {\n  repository = \"api\"\n"+
			"  variable_name = \"BUDGET_%d\"\n  value = \"v\"\n}\n", i, i)
	}
	cli := acctest.NewCLIInProcess(t, providerFactoriesWithEnv(map[string]string{envOwner: testOrg, envToken: testToken, envBaseURL: env.url}),
		cfg.String())
	cli.MustRun("init", "-input=false")
	kinds := func(reqs []fakegithub.Request) map[string]int {
		out := map[string]int{}
		for _, r := range reqs {
			kind := r.Method + " variable"
			switch {
			case strings.HasSuffix(r.Path, "/repositories"):
				kind = r.Method + " list"
			case strings.HasSuffix(r.Path, "/variables"):
				kind = r.Method + " page " + strings.Split(r.Path, "/")[1]
			}
			if r.Status == http.StatusNotModified {
				kind += " 304"
			}
			out[kind]++
		}
		return out
	}
	pages := map[string]int{"GET page orgs": 2, "GET page repos": 1}
	with := func(m map[string]int) map[string]int {
		maps.Copy(m, pages)
		return m
	}
	for _, st := range []struct {
		name string
		args []string
		want map[string]int
	}{
		{"apply", []string{"apply", "-auto-approve", "-input=false"}, map[string]int{"POST page orgs": n, "POST page repos": 2}},
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"}, with(map[string]int{"GET list": n})},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false"}, with(map[string]int{"GET list 304": n})},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false"}, with(map[string]int{"GET list 304": n, "DELETE variable": n + 2})},
	} {
		from := len(env.fake.Requests())
		cli.MustRun(st.args...)
		if got := kinds(env.fake.Requests()[from:]); !maps.Equal(got, st.want) {
			t.Errorf("%s sent %v, want %v", st.name, got, st.want)
		}
	}
}
