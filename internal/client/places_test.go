package client

import (
	"net/http/httptest"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

func TestMissingPlace(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}})
	fake.AddRepository("acme", "api")
	fake.AddEnvironment("acme", "api", "staging/eu west")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scope Scope
		want  string
	}{
		{OrgScope(Actions, "acme"), ""},
		{Scope{Kind: Dependabot, Owner: "acme", Repo: "api"}, ""},
		{Scope{Kind: Actions, Owner: "acme", Repo: "gone"}, "repository acme/gone"},
		{Scope{Kind: Actions, Owner: "acme", Repo: "api", Env: "staging/eu west"}, ""},
		{Scope{Kind: Actions, Owner: "acme", Repo: "api", Env: "prod"}, "environment prod of repository acme/api"},
		{Scope{Kind: Actions, Owner: "acme", Repo: "gone", Env: "prod"}, "repository acme/gone"},
	} {
		got, err := c.MissingPlace(t.Context(), tc.scope)
		if err != nil {
			t.Errorf("%v: %v", tc.scope, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%v: missing %q, want %q", tc.scope, got, tc.want)
		}
	}
	if _, err := c.MissingPlace(t.Context(), Scope{Kind: Dependabot, Owner: "acme", Repo: "api", Env: "prod"}); err == nil {
		t.Error("a Dependabot environment scope was not refused")
	}
}
