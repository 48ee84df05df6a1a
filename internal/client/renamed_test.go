package client

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestRepositoryRenamed: requests naming a renamed repository by its former
// name are not followed, in any scope: reads answer 301 and writes 307, as a
// RepositoryMovedError naming the former name and the id, and no write
// reaches the repository. The id tells the name it has now. Behind a GitHub
// Enterprise Server prefix too.
func TestRepositoryRenamed(t *testing.T) {
	t.Parallel()
	for _, ghes := range []bool{false, true} {
		fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}, GHES: ghes})
		repo := fake.AddRepository("acme", "api")
		fake.AddEnvironment("acme", "api", "prod")
		fake.Repo("actions", "acme", "api").PutSecretOutOfBand("TOKEN", []byte("v"))
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		base := srv.URL
		if ghes {
			base += "/api/v3"
		}
		c, err := New(Config{BaseURL: base, Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		scopes := []Scope{
			repoScope(Actions, "acme", "api"),
			repoScope(Dependabot, "acme", "API"),
			envScope("acme", "api", "prod"),
		}
		// Keys read before the rename, so the writes get as far as a PUT.
		for _, scope := range scopes {
			if _, err := c.PublicKey(t.Context(), scope); err != nil {
				t.Fatal(err)
			}
		}
		fake.RenameRepositoryOutOfBand("acme", repo.ID, "api-v2")
		fake.ResetRequests()
		for _, scope := range scopes {
			_, readErr := c.LookupSecret(t.Context(), must(scope.Secret("TOKEN")))
			_, writeErr := c.SetSecretValue(t.Context(), must(scope.Secret("TOKEN")), []byte("other"), "", nil)
			_, placeErr := c.MissingPlace(t.Context(), scope)
			for _, tc := range []struct {
				err    error
				status int
			}{{readErr, http.StatusMovedPermanently}, {writeErr, http.StatusTemporaryRedirect}, {placeErr, http.StatusMovedPermanently}} {
				var moved *RepositoryMovedError
				if !errors.As(tc.err, &moved) {
					t.Errorf("ghes=%v %v: err = %v, want a RepositoryMovedError", ghes, scope, tc.err)
					continue
				}
				if moved.Status != tc.status || moved.Owner != "acme" || moved.Repo != scope.Repo() || moved.ID != repo.ID {
					t.Errorf("ghes=%v %v: %+v, want status %d, acme/%s, id %d", ghes, scope, moved, tc.status, scope.Repo(), repo.ID)
				}
			}
		}
		for _, r := range fake.Requests() {
			if r.Method != http.MethodGet && r.Status != http.StatusTemporaryRedirect {
				t.Errorf("ghes=%v: %s %s answered %d, want only redirected writes", ghes, r.Method, r.Path, r.Status)
			}
		}
		if n := fake.CountRequests(http.MethodPut); n != len(scopes) {
			t.Errorf("ghes=%v: %d PUTs, want one per scope, not followed", ghes, n)
		}
		if got, _ := fake.Repo("actions", "acme", "api-v2").SecretValue("TOKEN"); string(got) != "v" {
			t.Errorf("ghes=%v: the renamed repository's secret changed", ghes)
		}
		if name, err := c.RepositoryFullName(t.Context(), repo.ID); err != nil || name != "acme/api-v2" {
			t.Errorf("ghes=%v: RepositoryFullName = %q, %v; want acme/api-v2", ghes, name, err)
		}
	}
}
