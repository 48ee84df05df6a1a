package fakegithub

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const userSecrets = "/user/codespaces/secrets"

// TestUserSecretLifecycle: the token's user's Codespaces secrets are created
// with a sealed value and an optional repository list (integers or strings
// of digits, as the description allows), are always "selected", link their
// list under /user, and keep to the token's user: an organization's
// Codespaces secrets are apart.
func TestUserSecretLifecycle(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	other := f.fake.AddRepository("other-org", "tools")

	body := f.sealedBody(t, userSecrets+"/public-key", "user value")
	body["selected_repository_ids"] = []any{f.repos[0].ID, strconv.FormatInt(other.ID, 10)}
	if res := f.do(t, "PUT", userSecrets+"/dev_token", body); res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if got, ok := f.fake.User().SecretValue("DEV_TOKEN"); !ok || string(got) != "user value" {
		t.Fatalf("value %q, %v", got, ok)
	}
	info, _ := f.fake.User().Secret("dev_token")
	if info.Visibility != "selected" || !slices.Equal(info.SelectedRepositoryIDs, []int64{f.repos[0].ID, other.ID}) {
		t.Errorf("created %+v", info)
	}
	res := f.do(t, "GET", userSecrets+"/DEV_TOKEN", nil)
	var got secretJSON
	if err := json.Unmarshal(res.body, &got); err != nil || res.status != http.StatusOK {
		t.Fatalf("GET %d %s", res.status, res.body)
	}
	if got.Visibility != "selected" || !strings.HasSuffix(got.SelectedRepositoriesURL, userSecrets+"/DEV_TOKEN/repositories") {
		t.Errorf("GET %+v", got)
	}
	res = f.do(t, "GET", userSecrets+"/DEV_TOKEN/repositories", nil)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"full_name":"other-org/tools"`) {
		t.Errorf("list repositories: %d %s", res.status, res.body)
	}
	if _, ok := f.fake.Kind("codespaces").Secret(testOrg, "DEV_TOKEN"); ok {
		t.Error("the user's secret shows among the organization's Codespaces secrets")
	}

	// A write without the list clears it, as an organization secret's does.
	if res := f.do(t, "PUT", userSecrets+"/DEV_TOKEN", f.sealedBody(t, userSecrets+"/public-key", "second")); res.status != http.StatusNoContent {
		t.Fatalf("update: %d %s", res.status, res.body)
	}
	if info, _ := f.fake.User().Secret("DEV_TOKEN"); len(info.SelectedRepositoryIDs) != 0 || info.Visibility != "selected" {
		t.Errorf("after an update without a list: %+v", info)
	}
	for _, step := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"PUT", userSecrets + "/DEV_TOKEN/repositories", map[string]any{"selected_repository_ids": []int64{f.repos[1].ID}}, http.StatusNoContent},
		{"PUT", userSecrets + "/DEV_TOKEN/repositories/" + strconv.FormatInt(f.repos[2].ID, 10), nil, http.StatusNoContent},
		{"DELETE", userSecrets + "/DEV_TOKEN/repositories/" + strconv.FormatInt(f.repos[1].ID, 10), nil, http.StatusNoContent},
		{"PUT", userSecrets + "/DEV_TOKEN/repositories/999", nil, http.StatusUnprocessableEntity},
	} {
		if res := f.do(t, step.method, step.path, step.body); res.status != step.want {
			t.Errorf("%s %s: %d %s, want %d", step.method, step.path, res.status, res.body, step.want)
		}
	}
	if info, _ := f.fake.User().Secret("DEV_TOKEN"); !slices.Equal(info.SelectedRepositoryIDs, []int64{f.repos[2].ID}) {
		t.Errorf("after set, add and remove: %v", info.SelectedRepositoryIDs)
	}
	res = f.do(t, "GET", userSecrets, nil)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"total_count":1`) {
		t.Errorf("list: %d %s", res.status, res.body)
	}
	if res := f.do(t, "DELETE", userSecrets+"/dev_token", nil); res.status != http.StatusNoContent {
		t.Errorf("delete: %d", res.status)
	}
	if res := f.do(t, "GET", userSecrets+"/DEV_TOKEN", nil); res.status != http.StatusNotFound {
		t.Errorf("GET after delete: %d", res.status)
	}
}

// TestUserSecretRefusals: a user's secret write is refused as GitHub
// refuses it: another scope's key, a repository nobody has.
func TestUserSecretRefusals(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	orgKeyed := f.sealedBody(t, "/orgs/"+testOrg+"/codespaces/secrets/public-key", "v")
	unknownRepo := f.sealedBody(t, userSecrets+"/public-key", "v")
	unknownRepo["selected_repository_ids"] = []int64{12}
	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"another scope key": {orgKeyed, "Bad key_id"},
		"unknown repo":      {unknownRepo, "Repository id 12"},
	} {
		res := f.do(t, "PUT", userSecrets+"/TOKEN", tc.body)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.apiError(t).Message, tc.want) {
			t.Errorf("%s: %d %s, want 422 naming %q", name, res.status, res.body, tc.want)
		}
	}
	if got := f.fake.User().Secrets(); len(got) != 0 {
		t.Errorf("refused writes left %v", got)
	}
}

// TestUserSecretsNotForApps: an installation token is no user, and GitHub
// Enterprise Server 3.19 has no user Codespaces secrets.
func TestUserSecretsNotForApps(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	tok := f.issueToken(t)
	if res := f.doAuth(t, "GET", userSecrets, nil, "Bearer "+tok.Token); res.status != http.StatusForbidden {
		t.Errorf("installation token: %d %s", res.status, res.body)
	}
	g := newCheckedFixture(t, Options{GHES: true})
	for _, path := range []string{userSecrets, userSecrets + "/public-key"} {
		if res := g.do(t, "GET", "/api/v3"+path, nil); res.status != http.StatusNotFound {
			t.Errorf("GHES %s: %d", path, res.status)
		}
	}
}
