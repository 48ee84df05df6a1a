package client

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// listFake serves an organization with repository api, for the listing tests.
func listFake(t *testing.T) (*fakegithub.Server, *Client) {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}})
	fake.AddRepository("acme", "api")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func TestListEnvironmentsPages(t *testing.T) {
	t.Parallel()
	fake, c := listFake(t)
	for i := range 101 {
		fake.AddEnvironment("acme", "api", fmt.Sprintf("env %03d/x", i))
	}
	envs, err := c.ListEnvironments(t.Context(), repoScope(Actions, "acme", "api"))
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) != 101 || envs[0].Name != "env 000/x" || envs[100].Name != "env 100/x" {
		t.Fatalf("listed %d environments, first %q", len(envs), envs[0].Name)
	}
	if n := fake.CountRequests("GET"); n != 2 {
		t.Errorf("listing 101 environments cost %d requests, want 2 pages", n)
	}
	if _, err := c.ListEnvironments(t.Context(), repoScope(Actions, "acme", "gone")); !IsNotFound(err) {
		t.Errorf("a missing repository's environments: %v, want a 404", err)
	}
	if _, err := c.ListEnvironments(t.Context(), Scope{}); err == nil {
		t.Error("the zero scope was not refused")
	}
	if _, err := c.ListEnvironments(t.Context(), orgScope(Actions, "acme")); err == nil {
		t.Error("an organization's environments were listed")
	}
}

// TestListingsOnce: the secrets of a scope and an organization's
// repositories are listed once per Client, however often asked for.
func TestListingsOnce(t *testing.T) {
	t.Parallel()
	fake, c := listFake(t)
	for _, name := range []string{"b_second", "A_FIRST", "c_third"} {
		fake.Repo("dependabot", "acme", "api").PutSecretOutOfBand(name, []byte("v"))
	}
	scope := repoScope(Dependabot, "acme", "api")
	for range 2 {
		secrets, err := c.ListedSecrets(t.Context(), scope)
		if err != nil {
			t.Fatal(err)
		}
		if len(secrets) != 3 || secrets[0].Name != "A_FIRST" || secrets[2].Name != "C_THIRD" {
			t.Fatalf("listed %v, want the three secrets by name", secrets)
		}
		repos, err := c.OrgRepositoriesOnce(t.Context(), "ACME")
		if err != nil || len(repos) != 1 || repos[0].Name != "api" {
			t.Fatalf("repositories %v, %v", repos, err)
		}
	}
	// A lookup after the listing is served from it.
	if _, err := c.LookupSecret(t.Context(), must(scope.Secret("b_second"))); err != nil {
		t.Fatal(err)
	}
	if n := fake.CountRequests("GET"); n != 2 {
		t.Errorf("two listings of each cost %d requests, want 2", n)
	}
}
