package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// varScope is one place that keeps variables, as the API and the helpers
// name it.
type varScope struct {
	name            string
	kind            string
	repo, env       string
	path            string // the variables' collection
	docsCreate      string
	orgVisibilities bool
}

func varScopes() []varScope {
	const docs = "https://docs.github.com/rest/"
	return []varScope{
		{"org actions", "actions", "", "", "/orgs/" + testOrg + "/actions/variables", docs + "actions/variables#create-an-organization-variable", true},
		{"org agents", "agents", "", "", "/orgs/" + testOrg + "/agents/variables", docs + "agents/variables#create-an-organization-variable", true},
		{"repo actions", "actions", "api", "", "/repos/" + testOrg + "/api/actions/variables", docs + "actions/variables#create-a-repository-variable", false},
		{"repo agents", "agents", "api", "", "/repos/" + testOrg + "/api/agents/variables", docs + "agents/variables#create-a-repository-variable", false},
		{"environment", "actions", "api", "prod", "/repos/" + testOrg + "/api/environments/prod/variables", docs + "actions/variables#create-an-environment-variable", false},
	}
}

// createBody is a create of name with value; an organization's is visible to all.
func (sc varScope) createBody(name, value string) map[string]any {
	body := map[string]any{"name": name, "value": value}
	if sc.orgVisibilities {
		body["visibility"] = "all"
	}
	return body
}

func (sc varScope) info(f *fixture, name string) (VariableInfo, bool) {
	return f.fake.Variable(sc.kind, testOrg, sc.repo, sc.env, name)
}

func listedVariables(t *testing.T, res response) (total int, vars []variableJSON) {
	t.Helper()
	list := decodeOK[variableListJSON](t, res)
	return list.TotalCount, list.Variables
}

// TestVariableLifecycle: in every scope and kind a variable is created
// (201, name upper-cased), read with its value, listed, updated (204,
// updated_at moving), renamed, refused a second time (409) and deleted,
// all in the shape the description gives.
func TestVariableLifecycle(t *testing.T) {
	t.Parallel()
	for _, sc := range varScopes() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			f.fake.AddEnvironment(testOrg, "api", "prod")

			res := f.do(t, "POST", sc.path, sc.createBody("username", "octocat"))
			wantStatus(t, res, http.StatusCreated)
			if string(res.body) != "{}" {
				t.Errorf("create body %s, want {}", res.body)
			}
			got := decodeOK[variableJSON](t, f.do(t, "GET", sc.path+"/Username", nil))
			want := variableJSON{Name: "USERNAME", Value: "octocat", CreatedAt: formatTime(clockStart), UpdatedAt: formatTime(clockStart)}
			if sc.orgVisibilities {
				want.Visibility = "all"
			}
			if got != want {
				t.Errorf("GET %+v, want %+v", got, want)
			}
			if total, vars := listedVariables(t, f.do(t, "GET", sc.path, nil)); total != 1 || len(vars) != 1 || vars[0] != want {
				t.Errorf("list %d %+v", total, vars)
			}

			res = f.do(t, "POST", sc.path, sc.createBody("USERNAME", "other"))
			wantError(t, res, http.StatusConflict, msgVarExists, sc.docsCreate)

			f.clock.Advance(time.Minute)
			wantStatus(t, f.do(t, "PATCH", sc.path+"/USERNAME", map[string]any{"value": "hubot"}), http.StatusNoContent)
			info, _ := sc.info(f, "username")
			if info.Value != "hubot" || !info.UpdatedAt.Equal(clockStart.Add(time.Minute).Truncate(time.Second)) || !info.CreatedAt.Equal(clockStart.Truncate(time.Second)) {
				t.Errorf("after PATCH %+v", info)
			}

			wantStatus(t, f.do(t, "PATCH", sc.path+"/USERNAME", map[string]any{"name": "login"}), http.StatusNoContent)
			wantStatus(t, f.do(t, "GET", sc.path+"/USERNAME", nil), http.StatusNotFound)
			if got := decodeOK[variableJSON](t, f.do(t, "GET", sc.path+"/LOGIN", nil)); got.Name != "LOGIN" || got.Value != "hubot" {
				t.Errorf("renamed %+v", got)
			}
			wantStatus(t, f.do(t, "POST", sc.path, sc.createBody("OTHER", "x")), http.StatusCreated)
			wantStatus(t, f.do(t, "PATCH", sc.path+"/OTHER", map[string]any{"name": "Login"}), http.StatusConflict)
			wantStatus(t, f.do(t, "PATCH", sc.path+"/LOGIN", map[string]any{"name": "login"}), http.StatusNoContent)

			wantStatus(t, f.do(t, "DELETE", sc.path+"/login", nil), http.StatusNoContent)
			wantStatus(t, f.do(t, "DELETE", sc.path+"/LOGIN", nil), http.StatusNotFound)
			wantStatus(t, f.do(t, "PATCH", sc.path+"/LOGIN", map[string]any{"value": "v"}), http.StatusNotFound)
			if vars := f.fake.Variables(sc.kind, testOrg, sc.repo, sc.env); len(vars) != 1 || vars[0].Name != "OTHER" {
				t.Errorf("left %+v", vars)
			}
		})
	}
}

// TestOrgVariableVisibility: an organization variable's visibility and
// repository list are set on create and by PATCH, and managed through its
// repositories endpoints, which answer 409 unless it is selected.
func TestOrgVariableVisibility(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"actions", "agents"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			base := "/orgs/" + testOrg + "/" + kind + "/variables"
			api, web, worker := f.repos[0].ID, f.repos[1].ID, f.repos[2].ID
			body := map[string]any{"name": "REGION", "value": "eu", "visibility": "selected", "selected_repository_ids": []int64{web, api}}
			wantStatus(t, f.do(t, "POST", base, body), http.StatusCreated)
			got := decodeOK[variableJSON](t, f.do(t, "GET", base+"/REGION", nil))
			if want := f.url + base + "/REGION/repositories"; got.Visibility != "selected" || got.SelectedRepositoriesURL != want {
				t.Errorf("GET %+v, want the list at %s", got, want)
			}
			list := decodeOK[struct {
				TotalCount   int              `json:"total_count"`
				Repositories []map[string]any `json:"repositories"`
			}](t, f.do(t, "GET", base+"/REGION/repositories", nil))
			if list.TotalCount != 2 || len(list.Repositories) != 2 || list.Repositories[0]["name"] != "api" {
				t.Errorf("repositories %+v", list)
			}

			repoPath := func(id int64) string { return fmt.Sprintf("%s/REGION/repositories/%d", base, id) }
			steps := []struct {
				method, path string
				body         any
				status       int
				want         []int64
			}{
				{"PUT", repoPath(worker), nil, 204, []int64{api, web, worker}},
				{"DELETE", repoPath(api), nil, 204, []int64{web, worker}},
				{"PUT", base + "/REGION/repositories", map[string]any{"selected_repository_ids": []int64{api}}, 204, []int64{api}},
				{"PATCH", base + "/REGION", map[string]any{"value": "us"}, 204, []int64{api}},
				{"PATCH", base + "/REGION", map[string]any{"selected_repository_ids": []int64{web}}, 204, []int64{web}},
				{"PATCH", base + "/REGION", map[string]any{"visibility": "private"}, 204, nil},
				{"GET", base + "/REGION/repositories", nil, 409, nil},
				{"PUT", repoPath(api), nil, 409, nil},
				{"DELETE", repoPath(api), nil, 409, nil},
				{"PUT", base + "/REGION/repositories", map[string]any{"selected_repository_ids": []int64{api}}, 409, nil},
				{"PATCH", base + "/REGION", map[string]any{"visibility": "selected", "selected_repository_ids": []int64{worker}}, 204, []int64{worker}},
				{"PATCH", base + "/REGION", map[string]any{"visibility": "all"}, 204, nil},
			}
			for _, step := range steps {
				f.clock.Advance(time.Second)
				res := f.do(t, step.method, step.path, step.body)
				if res.status != step.status {
					t.Fatalf("%s %s: %d %s, want %d", step.method, step.path, res.status, res.body, step.status)
				}
				info, _ := f.fake.Variable(kind, testOrg, "", "", "region")
				if step.status == 204 && !slices.Equal(info.SelectedRepositoryIDs, step.want) {
					t.Errorf("%s %s: list %v, want %v", step.method, step.path, info.SelectedRepositoryIDs, step.want)
				}
				if step.status == 409 && res.apiError(t).Message != msgVarNotSelected {
					t.Errorf("%s %s: %s", step.method, step.path, res.body)
				}
			}
			if info, _ := f.fake.Variable(kind, testOrg, "", "", "REGION"); info.Visibility != "all" || info.Value != "us" {
				t.Errorf("finally %+v", info)
			}
		})
	}
}

// TestVariablePagination: variables are listed 10 to a page by default and
// at most 30, with GitHub's Link header.
func TestVariablePagination(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	for i := range 31 {
		f.fake.PutVariableOutOfBand("actions", testOrg, "api", "", VariableInfo{Name: fmt.Sprintf("V%02d", i), Value: "x"})
	}
	base := "/repos/" + testOrg + "/api/actions/variables"
	tests := []struct {
		query     string
		n         int
		first     string
		wantLinks []string
	}{
		{"", 10, "V00", []string{`page=2>; rel="next"`, `page=4>; rel="last"`}},
		{"?per_page=100", 30, "V00", []string{`page=2&per_page=100>; rel="next"`, `page=2&per_page=100>; rel="last"`}},
		{"?per_page=30&page=2", 1, "V30", []string{`page=1&per_page=30>; rel="prev"`, `rel="first"`}},
		{"?page=4", 1, "V30", []string{`page=3>; rel="prev"`}},
	}
	for _, tt := range tests {
		res := f.do(t, "GET", base+tt.query, nil)
		total, vars := listedVariables(t, res)
		if total != 31 || len(vars) != tt.n || vars[0].Name != tt.first {
			t.Errorf("%q: total %d, %d variables from %s", tt.query, total, len(vars), vars[0].Name)
		}
		for _, want := range tt.wantLinks {
			if link := res.header.Get("Link"); !strings.Contains(link, want) {
				t.Errorf("%q: Link %q, want %q", tt.query, link, want)
			}
		}
	}
}

// TestRepoOrganizationVariables: a repository lists the organization
// variables it may use: visible to all, to private (and internal)
// repositories when it is one, or selected for it.
func TestRepoOrganizationVariables(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"actions", "agents"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			secret := f.fake.AddRepositoryWith(testOrg, Repository{Name: "vault", Private: true})
			f.fake.AddRepositoryWith(testOrg, Repository{Name: "inner", Visibility: "internal"})
			put := func(name, visibility string, ids ...int64) {
				f.fake.PutVariableOutOfBand(kind, testOrg, "", "", VariableInfo{Name: name, Value: strings.ToLower(name), Visibility: visibility, SelectedRepositoryIDs: ids})
			}
			put("EVERYONE", "all")
			put("HIDDEN", "private")
			put("PICKED", "selected", f.repos[1].ID, secret.ID)
			f.fake.PutVariableOutOfBand(kind, testOrg, "api", "", VariableInfo{Name: "OWN", Value: "own"})
			for repo, want := range map[string][]string{
				"api":   {"EVERYONE"},
				"web":   {"EVERYONE", "PICKED"},
				"vault": {"EVERYONE", "HIDDEN", "PICKED"},
				"inner": {"EVERYONE", "HIDDEN"},
			} {
				total, vars := listedVariables(t, f.do(t, "GET", "/repos/"+testOrg+"/"+repo+"/"+kind+"/organization-variables", nil))
				var names []string
				for _, v := range vars {
					names = append(names, v.Name)
					if v.Visibility != "" || v.Value != strings.ToLower(v.Name) {
						t.Errorf("%s: %+v, want the actions-variable shape", repo, v)
					}
				}
				if total != len(want) || !slices.Equal(names, want) {
					t.Errorf("%s: %d %v, want %v", repo, total, names, want)
				}
			}
			res := f.do(t, "GET", "/repos/"+testOrg+"/vault/"+kind+"/organization-variables?per_page=2", nil)
			if total, vars := listedVariables(t, res); total != 3 || len(vars) != 2 || !strings.Contains(res.header.Get("Link"), `rel="next"`) {
				t.Errorf("paginated: %d %d, Link %q", total, len(vars), res.header.Get("Link"))
			}
		})
	}
}

// TestVariablesOnGHES: GitHub Enterprise Server 3.19 has Actions variables
// in every scope, and no Copilot coding agent ones.
func TestVariablesOnGHES(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{GHES: true})
	f.fake.AddEnvironment(testOrg, "api", "prod")
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/orgs/" + testOrg + "/actions/variables", 200},
		{"/repos/" + testOrg + "/api/actions/variables", 200},
		{"/repos/" + testOrg + "/api/actions/organization-variables", 200},
		{"/repos/" + testOrg + "/api/environments/prod/variables", 200},
		{"/orgs/" + testOrg + "/agents/variables", 404},
		{"/repos/" + testOrg + "/api/agents/variables", 404},
		{"/repos/" + testOrg + "/api/agents/organization-variables", 404},
	} {
		if res := f.do(t, "GET", "/api/v3"+tt.path, nil); res.status != tt.want {
			t.Errorf("%s: %d, want %d", tt.path, res.status, tt.want)
		}
	}
	res := f.do(t, "POST", "/api/v3/orgs/"+testOrg+"/agents/variables", map[string]any{"name": "A", "value": "b", "visibility": "all"})
	wantError(t, res, http.StatusNotFound, "Not Found", docsRoot)
	if n := len(f.fake.Variables("agents", testOrg, "", "")); n != 0 {
		t.Errorf("%d agents variables stored on GHES", n)
	}
}

// TestVariableLimits: GitHub's limits on how many variables a scope keeps
// (1,000, 500, 100) and on a value's size (48 KB).
func TestVariableLimits(t *testing.T) {
	t.Parallel()
	for _, sc := range varScopes() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			f.fake.AddEnvironment(testOrg, "api", "prod")
			limit, full := repoVarHolder.limit, repoVarHolder.full
			switch {
			case sc.env != "":
				limit, full = envVarHolder.limit, envVarHolder.full
			case sc.orgVisibilities:
				limit, full = orgVarHolder.limit, orgVarHolder.full
			}
			big := strings.Repeat("x", maxVariableBytes+1)
			wantError(t, f.do(t, "POST", sc.path, sc.createBody("BIG", big)), http.StatusUnprocessableEntity, msgVarTooLarge, sc.docsCreate)
			wantStatus(t, f.do(t, "POST", sc.path, sc.createBody("FIT", big[1:])), http.StatusCreated)
			wantStatus(t, f.do(t, "PATCH", sc.path+"/FIT", map[string]any{"value": big}), http.StatusUnprocessableEntity)

			for i := 1; i < limit; i++ {
				v := VariableInfo{Name: fmt.Sprintf("V%04d", i), Value: "x"}
				if sc.orgVisibilities {
					v.Visibility = "all"
				}
				f.fake.PutVariableOutOfBand(sc.kind, testOrg, sc.repo, sc.env, v)
			}
			wantError(t, f.do(t, "POST", sc.path, sc.createBody("ONE_MORE", "x")), http.StatusUnprocessableEntity, full, sc.docsCreate)
			// A full scope still renames and updates.
			wantStatus(t, f.do(t, "PATCH", sc.path+"/V0001", map[string]any{"name": "RENAMED", "value": "y"}), http.StatusNoContent)
			wantStatus(t, f.do(t, "DELETE", sc.path+"/RENAMED", nil), http.StatusNoContent)
			wantStatus(t, f.do(t, "POST", sc.path, sc.createBody("ONE_MORE", "x")), http.StatusCreated)
			if n := len(f.fake.Variables(sc.kind, testOrg, sc.repo, sc.env)); n != limit {
				t.Errorf("%d variables, want %d", n, limit)
			}
		})
	}
}

// TestVariableValidation: writes GitHub refuses, with its messages; those
// whose body the description accepts go through a checked fixture.
func TestVariableValidation(t *testing.T) {
	t.Parallel()
	const docsCreate = "https://docs.github.com/rest/actions/variables#create-an-organization-variable"
	const docsUpdate = "https://docs.github.com/rest/actions/variables#update-an-organization-variable"
	org := "/orgs/" + testOrg + "/actions/variables"
	repo := "/repos/" + testOrg + "/api/actions/variables"
	tests := []struct {
		name         string
		checked      bool
		method, path string
		body         any
		status       int
		message      string
	}{
		{"digit first", true, "POST", repo, map[string]any{"name": "1ST", "value": "v"}, 422, msgVarNameChars},
		{"dash", true, "POST", repo, map[string]any{"name": "A-B", "value": "v"}, 422, msgVarNameChars},
		{"empty name", true, "POST", repo, map[string]any{"name": "", "value": "v"}, 422, msgVarNameChars},
		{"GITHUB_ prefix", true, "POST", org, map[string]any{"name": "github_token", "value": "v", "visibility": "all"}, 422, msgVarNamePrefix},
		{"list without selected", true, "POST", org, map[string]any{"name": "A", "value": "v", "visibility": "all", "selected_repository_ids": []int64{1296269}}, 422, msgIDsNotSelected},
		{"unknown repository", true, "POST", org, map[string]any{"name": "A", "value": "v", "visibility": "selected", "selected_repository_ids": []int64{42}}, 422,
			"Repository id 42 is not a repository of the " + testOrg + " organization."},
		{"rename to a bad name", true, "PATCH", org + "/EXISTS", map[string]any{"name": "GITHUB_X"}, 422, msgVarNamePrefix},
		{"PATCH list without selected", true, "PATCH", org + "/EXISTS", map[string]any{"selected_repository_ids": []int64{1296269}}, 422, msgIDsNotSelected},
		{"PATCH unknown variable", true, "PATCH", org + "/NOPE", map[string]any{"value": "v"}, 404, "Not Found"},
		{"missing value", false, "POST", repo, map[string]any{"name": "A"}, 422, msgInvalidPrefix + `"value" wasn't supplied.`},
		{"missing visibility", false, "POST", org, map[string]any{"name": "A", "value": "v"}, 422, msgInvalidPrefix + `"visibility" wasn't supplied.`},
		{"bad visibility", false, "POST", org, map[string]any{"name": "A", "value": "v", "visibility": "public"}, 422,
			msgInvalidPrefix + `For 'properties/visibility', "public" is not a member of ["all", "private", "selected"].`},
		{"value not a string", false, "POST", repo, map[string]any{"name": "A", "value": 7}, 422, msgInvalidPrefix + "For 'properties/value', 7 is not a string."},
		{"ids as strings", false, "PATCH", org + "/EXISTS", map[string]any{"visibility": "selected", "selected_repository_ids": []string{"1296269"}}, 422,
			msgInvalidPrefix + `For 'items', "1296269" is not an integer.`},
		{"bad JSON", false, "PATCH", org + "/EXISTS", "{", 400, msgBadJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.checked {
				f = newCheckedFixture(t, Options{})
			}
			f.fake.PutVariableOutOfBand("actions", testOrg, "", "", VariableInfo{Name: "EXISTS", Value: "v", Visibility: "all"})
			res := f.do(t, tt.method, tt.path, tt.body)
			wantStatus(t, res, tt.status)
			if got := res.apiError(t).Message; got != tt.message {
				t.Errorf("message %q, want %q", got, tt.message)
			}
			if tt.method == "PATCH" && tt.status == 422 {
				if got := res.apiError(t).DocumentationURL; got != docsUpdate {
					t.Errorf("docs %q", got)
				}
			}
			if tt.method == "POST" && strings.HasPrefix(tt.path, org) && res.apiError(t).DocumentationURL != docsCreate {
				t.Errorf("docs %q", res.apiError(t).DocumentationURL)
			}
			if info, _ := f.fake.Variable("actions", testOrg, "", "", "EXISTS"); info.Visibility != "all" || len(f.fake.Variables("actions", testOrg, "api", "")) != 0 {
				t.Errorf("a refused write changed something: %+v", info)
			}
		})
	}
}

// TestVariablesApartFromSecrets: a variable and a secret of one name in one
// place are two things; so are the two kinds' variables.
func TestVariablesApartFromSecrets(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	f.fake.PutSecretOutOfBand(testOrg, "SHARED", []byte("secret"), "all", nil)
	f.fake.Repo("actions", testOrg, "api").PutSecretOutOfBand("SHARED", []byte("secret"))
	wantStatus(t, f.do(t, "POST", "/orgs/"+testOrg+"/actions/variables", map[string]any{"name": "SHARED", "value": "plain", "visibility": "all"}), http.StatusCreated)
	wantStatus(t, f.do(t, "POST", "/repos/"+testOrg+"/api/actions/variables", map[string]any{"name": "SHARED", "value": "plain"}), http.StatusCreated)
	if _, ok := f.fake.Variable("agents", testOrg, "", "", "SHARED"); ok {
		t.Error("an Actions variable shows among the agents ones")
	}
	if _, vars := listedVariables(t, f.do(t, "GET", "/orgs/"+testOrg+"/agents/variables", nil)); len(vars) != 0 {
		t.Errorf("agents list %+v", vars)
	}
	wantStatus(t, f.do(t, "DELETE", "/orgs/"+testOrg+"/actions/variables/SHARED", nil), http.StatusNoContent)
	wantStatus(t, f.do(t, "DELETE", "/repos/"+testOrg+"/api/actions/secrets/SHARED", nil), http.StatusNoContent)
	if _, ok := f.fake.Secret(testOrg, "SHARED"); !ok {
		t.Error("deleting the variable deleted the secret")
	}
	if v, ok := f.fake.Variable("actions", testOrg, "api", "", "shared"); !ok || v.Value != "plain" {
		t.Errorf("deleting the repository secret touched its variable: %+v %v", v, ok)
	}
}

// TestVariablesForApps: installation tokens may manage every scope's
// variables of both kinds, as the description's enabledForGitHubApps says.
func TestVariablesForApps(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	f.fake.AddEnvironment(testOrg, "api", "prod")
	auth := "Bearer " + f.issueToken(t).Token
	for _, sc := range varScopes() {
		res := f.doAuth(t, "POST", sc.path, sc.createBody("FROM_APP", "v"), auth)
		if res.status != http.StatusCreated {
			t.Errorf("%s create: %d %s", sc.name, res.status, res.body)
		}
		for _, step := range []struct{ method, path string }{{"GET", sc.path}, {"GET", sc.path + "/FROM_APP"}, {"DELETE", sc.path + "/FROM_APP"}} {
			if res := f.doAuth(t, step.method, step.path, nil, auth); res.status >= 300 {
				t.Errorf("%s %s %s: %d %s", sc.name, step.method, step.path, res.status, res.body)
			}
		}
	}
	for _, kind := range []string{"actions", "agents"} {
		if res := f.doAuth(t, "GET", "/repos/"+testOrg+"/api/"+kind+"/organization-variables", nil, auth); res.status != http.StatusOK {
			t.Errorf("%s organization-variables: %d", kind, res.status)
		}
	}
}

// TestVariablesNeedWrite: reading or writing a repository's variables takes
// collaborator (write) access, as for its secrets.
func TestVariablesNeedWrite(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	f.fake.SetRepositoryRole(testOrg, "api", RoleRead)
	for _, path := range []string{"/repos/" + testOrg + "/api/actions/variables", "/repos/" + testOrg + "/api/actions/organization-variables"} {
		if res := f.do(t, "GET", path, nil); res.status != http.StatusForbidden {
			t.Errorf("%s with read: %d", path, res.status)
		}
	}
	f.fake.SetRepositoryRole(testOrg, "api", RoleWrite)
	wantStatus(t, f.do(t, "GET", "/repos/"+testOrg+"/api/actions/variables", nil), http.StatusOK)
}

// TestVariableHelpers: the helpers see and change what the API does, panic
// on misuse, and a deleted repository leaves organization variables' lists.
func TestVariableHelpers(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	web := f.repos[1].ID
	f.fake.PutVariableOutOfBand("agents", testOrg, "", "", VariableInfo{Name: "model", Value: "m1", Visibility: "selected", SelectedRepositoryIDs: []int64{web}})
	got := decodeOK[variableJSON](t, f.do(t, "GET", "/orgs/"+testOrg+"/agents/variables/MODEL", nil))
	if got.Value != "m1" || got.Visibility != "selected" {
		t.Errorf("GET %+v", got)
	}
	f.clock.Advance(time.Hour)
	f.fake.PutVariableOutOfBand("agents", testOrg, "", "", VariableInfo{Name: "MODEL", Value: "m2", Visibility: "all"})
	info, _ := f.fake.Variable("agents", testOrg, "", "", "model")
	if info.Value != "m2" || info.SelectedRepositoryIDs != nil || !info.UpdatedAt.After(info.CreatedAt) {
		t.Errorf("after an out-of-band update %+v", info)
	}
	f.fake.PutVariableOutOfBand("actions", testOrg, "", "", VariableInfo{Name: "PICK", Value: "p", Visibility: "selected", SelectedRepositoryIDs: []int64{web}})
	f.fake.DeleteRepositoryOutOfBand(testOrg, web)
	if info, _ := f.fake.Variable("actions", testOrg, "", "", "PICK"); len(info.SelectedRepositoryIDs) != 0 || info.SelectedRepositoryIDs == nil {
		t.Errorf("after deleting the repository %+v", info)
	}
	f.fake.DeleteVariableOutOfBand("agents", testOrg, "", "", "model")
	wantStatus(t, f.do(t, "GET", "/orgs/"+testOrg+"/agents/variables/MODEL", nil), http.StatusNotFound)
	if f.fake.Variables("actions", testOrg, "nope", "") != nil {
		t.Error("an unknown repository has variables")
	}

	for name, fn := range map[string]func(){
		"dependabot":         func() { f.fake.Variables("dependabot", testOrg, "", "") },
		"agents environment": func() { f.fake.Variables("agents", testOrg, "api", "prod") },
		"unknown repository": func() { f.fake.PutVariableOutOfBand("actions", testOrg, "nope", "", VariableInfo{Name: "A"}) },
		"bad name":           func() { f.fake.PutVariableOutOfBand("actions", testOrg, "api", "", VariableInfo{Name: "GITHUB_A"}) },
		"repository visibility": func() {
			f.fake.PutVariableOutOfBand("actions", testOrg, "api", "", VariableInfo{Name: "A", Visibility: "all"})
		},
		"org without visibility": func() { f.fake.PutVariableOutOfBand("actions", testOrg, "", "", VariableInfo{Name: "A"}) },
		"list without selected": func() {
			f.fake.PutVariableOutOfBand("actions", testOrg, "", "", VariableInfo{Name: "A", Visibility: "all", SelectedRepositoryIDs: []int64{f.repos[0].ID}})
		},
		"too large": func() {
			f.fake.PutVariableOutOfBand("actions", testOrg, "api", "", VariableInfo{Name: "A", Value: strings.Repeat("x", maxVariableBytes+1)})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}
