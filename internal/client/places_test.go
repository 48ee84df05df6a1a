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
		{orgScope(Actions, "acme"), ""},
		{repoScope(Dependabot, "acme", "api"), ""},
		{repoScope(Actions, "acme", "gone"), "repository acme/gone"},
		{envScope("acme", "api", "staging/eu west"), ""},
		{envScope("acme", "api", "prod"), "environment prod of repository acme/api"},
		{envScope("acme", "gone", "prod"), "repository acme/gone"},
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
	if _, err := c.MissingPlace(t.Context(), Scope{}); err == nil {
		t.Error("the zero scope was not refused")
	}
}
