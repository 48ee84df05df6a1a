package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestGetOrganization: GET /orgs/{org} names the organization as one, at
// both roots; an unknown one is 404.
func TestGetOrganization(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, prefix := range []string{"", "/api/v3"} {
		res := f.do(t, "GET", prefix+"/orgs/"+strings.ToUpper(testOrg), nil)
		var org struct {
			Login string `json:"login"`
			Type  string `json:"type"`
			URL   string `json:"url"`
		}
		if err := json.Unmarshal(res.body, &org); err != nil || res.status != http.StatusOK {
			t.Fatalf("%s: %d %s (%v)", prefix, res.status, res.body, err)
		}
		if org.Login != testOrg || org.Type != "Organization" || !strings.Contains(org.URL, prefix+"/orgs/"+testOrg) {
			t.Errorf("%s: %+v", prefix, org)
		}
	}
	wantError(t, f.do(t, "GET", "/orgs/no-such-org", nil), http.StatusNotFound, "Not Found",
		"https://docs.github.com/rest/orgs/orgs#get-an-organization")
}

// TestRepositoryByID: every repository endpoint answers at
// /repositories/{repository_id} as at /repos/{owner}/{repo}; an unknown id
// is 404.
func TestRepositoryByID(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.AddEnvironment(testOrg, "api", "prod")
	byID := fmt.Sprintf("/api/v3/repositories/%d", f.repos[0].ID)
	put := f.do(t, "PUT", byID+"/environments/prod/secrets/TOKEN", f.sealedBody(t, byID+"/environments/prod/secrets/public-key", "by id"))
	if put.status != http.StatusCreated {
		t.Fatalf("PUT by id: %d %s", put.status, put.body)
	}
	if got, ok := f.fake.Env(testOrg, "api", "prod").SecretValue("TOKEN"); !ok || string(got) != "by id" {
		t.Errorf("the secret written by id holds %q (%v)", got, ok)
	}
	if res := f.do(t, "GET", "/repos/"+testOrg+"/api/environments/prod/secrets/TOKEN", nil); res.status != http.StatusOK {
		t.Errorf("GET by name: %d", res.status)
	}
	if res := f.do(t, "GET", byID, nil); res.status != http.StatusOK || !strings.Contains(string(res.body), `"name":"api"`) {
		t.Errorf("GET repository by id: %d %s", res.status, res.body)
	}
	wantError(t, f.do(t, "GET", "/repositories/999999999/actions/secrets", nil), http.StatusNotFound, "Not Found", docsRoot)
}
