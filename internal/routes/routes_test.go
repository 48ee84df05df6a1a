package routes

import (
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const description = "../apispec/spec/secrets-and-variables.api.github.com.json"

// TestDescribedFollowsDescription: described.go is what go generate makes of
// the vendored description, row for row; run go generate ./internal/routes
// after changing the description.
func TestDescribedFollowsDescription(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(description)
	if err != nil {
		t.Fatal(err)
	}
	var desc struct {
		Paths map[string]map[string]struct {
			OperationID  string `json:"operationId"`
			ExternalDocs struct {
				URL string `json:"url"`
			} `json:"externalDocs"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &desc); err != nil {
		t.Fatal(err)
	}
	var want []Route
	for tmpl, item := range desc.Paths {
		for method, op := range item {
			if method == "parameters" {
				continue
			}
			m := strings.ToUpper(method)
			want = append(want, Route{m, tmpl, ClassOf(m), op.OperationID, op.ExternalDocs.URL})
		}
	}
	byKey := func(a, b Route) int { return strings.Compare(a.Key(), b.Key()) }
	got := slices.SortedFunc(slices.Values(described), byKey)
	slices.SortFunc(want, byKey)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("described.go has %d rows, the description %d operations; run go generate ./internal/routes", len(got), len(want))
	}
	for _, r := range undescribed {
		if _, dup := desc.Paths[r.Template][strings.ToLower(r.Method)]; dup {
			t.Errorf("%s is in the description: it belongs in described.go", r.Key())
		}
	}
}

func TestTableKeysUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range Table {
		if seen[r.Key()] {
			t.Errorf("%s twice", r.Key())
		}
		seen[r.Key()] = true
		if r.Class != ClassOf(r.Method) {
			t.Errorf("%s: class %s, want %s", r.Key(), r.Class, ClassOf(r.Method))
		}
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		want         string // operation; "" for no match
		params       Params
	}{
		{"GET", "/orgs/acme/actions/secrets", "actions/list-org-secrets", Params{"org": "acme"}},
		{"GET", "/orgs/acme/actions/secrets/", "actions/list-org-secrets", Params{"org": "acme"}},
		{"GET", "/orgs/acme/actions/secrets/public-key", "actions/get-org-public-key", Params{"org": "acme"}},
		{"PUT", "/orgs/acme/actions/secrets/public-key", "", nil},
		{"PUT", "/orgs/acme/actions/secrets/FOO", "actions/create-or-update-org-secret", Params{"org": "acme", "secret_name": "FOO"}},
		{"PUT", "/orgs/acme/actions/secrets/FOO/repositories/1296269", "actions/add-selected-repo-to-org-secret",
			Params{"org": "acme", "secret_name": "FOO", "repository_id": "1296269"}},
		{"GET", "/orgs/acme/dependabot/secrets/FOO/repositories", "dependabot/list-selected-repos-for-org-secret",
			Params{"org": "acme", "secret_name": "FOO"}},
		{"PUT", "/repos/acme/api/environments/prod/secrets/FOO", "actions/create-or-update-environment-secret",
			Params{"owner": "acme", "repo": "api", "environment_name": "prod", "secret_name": "FOO"}},
		// Paths are escaped: an environment name's %2F is no separator, and
		// placeholder values come unescaped.
		{"GET", "/repos/acme/api/environments/staging%2Feu/secrets/public-key", "actions/get-environment-public-key",
			Params{"owner": "acme", "repo": "api", "environment_name": "staging/eu"}},
		{"GET", "/repos/acme/api/environments/a%2Fsecrets", "repos/get-environment",
			Params{"owner": "acme", "repo": "api", "environment_name": "a/secrets"}},
		{"DELETE", "/repos/acme/api/environments/prod%20env/secrets/FOO", "actions/delete-environment-secret",
			Params{"owner": "acme", "repo": "api", "environment_name": "prod env", "secret_name": "FOO"}},
		{"GET", "/repos/acme/api/environments/100%25/secrets", "actions/list-environment-secrets",
			Params{"owner": "acme", "repo": "api", "environment_name": "100%"}},
		{"GET", "/repos/acme/api/environments/bad%zz", "repos/get-environment",
			Params{"owner": "acme", "repo": "api", "environment_name": "bad%zz"}}, // not an escape: as sent
		{"GET", "/orgs/acme/actions/secrets/public%2Dkey", "actions/get-org-public-key", Params{"org": "acme"}},
		{"GET", "/repos/acme/api/environments/staging/eu/secrets", "", nil},
		{"GET", "/orgs/acme/repos", "repos/list-for-org", Params{"org": "acme"}},
		{"PUT", "/repos/acme/api/environments/prod", "repos/create-or-update-environment",
			Params{"owner": "acme", "repo": "api", "environment_name": "prod"}},
		{"POST", "/app/installations/42/access_tokens", "apps/create-installation-access-token", Params{"installation_id": "42"}},
		{"DELETE", "/orgs/acme/actions/secrets", "", nil},
		{"GET", "/orgs//actions/secrets", "", nil},
		{"GET", "/orgs/acme/actions/secrets/FOO/bar", "", nil},
		{"GET", "/users/octocat", "", nil},
		{"GET", "/", "", nil},
	}
	for _, tt := range tests {
		r, params, ok := Match(tt.method, tt.path)
		if ok != (tt.want != "") || r.Operation != tt.want || !reflect.DeepEqual(params, tt.params) {
			t.Errorf("Match(%s %s) = %q %v %v, want %q %v", tt.method, tt.path, r.Operation, params, ok, tt.want, tt.params)
		}
	}
}

func TestClass(t *testing.T) {
	t.Parallel()
	for method, want := range map[string]int{
		http.MethodGet: 1, http.MethodHead: 1, http.MethodOptions: 1,
		http.MethodPut: 5, http.MethodPost: 5, http.MethodPatch: 5, http.MethodDelete: 5,
	} {
		if got := ClassOf(method).Points(); got != want {
			t.Errorf("%s costs %d points, want %d", method, got, want)
		}
	}
}
