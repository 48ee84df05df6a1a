package fakegithub

import (
	"fmt"
	"net/http"
	"testing"
)

// TestRepositoryRoles: GitHub lets collaborators (write) read and write a
// repository's Actions, Dependabot and agents secrets and its environments'
// secrets, Codespaces secrets need admin, and listing environments needs
// only read; what the role does not allow is 403 with GitHub's message.
func TestRepositoryRoles(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	f.fake.AddEnvironment(testOrg, "api", "production")
	f.fake.AddEnvironment(testOrg, "web", "production")
	f.fake.SetRepositoryRole(testOrg, "api", RoleRead)
	f.fake.SetRepositoryRole(testOrg, "web", RoleWrite)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"GET", repoSecretsPath("actions", "api"), http.StatusForbidden},
		{"GET", repoSecretsPath("dependabot", "api") + "/public-key", http.StatusForbidden},
		{"GET", "/repos/" + testOrg + "/api/environments", http.StatusOK},
		{"GET", "/repos/" + testOrg + "/api/environments/production/secrets", http.StatusForbidden},
		{"GET", repoSecretsPath("actions", "web"), http.StatusOK},
		{"GET", repoSecretsPath("agents", "web"), http.StatusOK},
		{"GET", "/repos/" + testOrg + "/web/environments/production/secrets", http.StatusOK},
		{"GET", repoSecretsPath("codespaces", "web"), http.StatusForbidden},
		{"PUT", "/repos/" + testOrg + "/web/environments/staging", http.StatusForbidden},
		{"GET", repoSecretsPath("codespaces", "worker"), http.StatusOK},
	} {
		var body any
		if tt.method == "PUT" {
			body = map[string]any{}
		}
		res := f.do(t, tt.method, tt.path, body)
		if res.status != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, res.status, tt.want)
		}
		if tt.want == http.StatusForbidden {
			wantError(t, res, http.StatusForbidden, msgNoAdmin, res.apiError(t).DocumentationURL)
		}
	}
}

// TestListingFaults: a listing that drops items keeps its total_count, on
// the pages and paths asked for, and behaves again after them.
func TestListingFaults(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	for i := range 6 {
		f.fake.Repo("actions", testOrg, "api").PutSecretOutOfBand(fmt.Sprintf("S%d", i), []byte("v"))
		f.fake.Repo("actions", testOrg, "web").PutSecretOutOfBand(fmt.Sprintf("S%d", i), []byte("v"))
	}
	f.fake.SetListingFaults(ListingFaults{DropEvery: 2, PathPrefix: repoSecretsPath("actions", "api"), Pages: 1})
	for _, tt := range []struct {
		repo        string
		total, want int
	}{{"web", 6, 6}, {"api", 6, 3}, {"api", 6, 6}} {
		total, secrets := listedSecrets(t, f.do(t, "GET", repoSecretsPath("actions", tt.repo), nil))
		if total != tt.total || len(secrets) != tt.want {
			t.Errorf("%s: total_count %d with %d secrets, want %d with %d", tt.repo, total, len(secrets), tt.total, tt.want)
		}
	}
}
