package client

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestKindUnavailableOnGHES: a GHES that lacks a kind answers 404; the error
// says the server has no such secrets, and is not a missing secret (which
// would drop it from state).
func TestKindUnavailableOnGHES(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}, GHES: true})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds {
		_, err := c.GetSecret(t.Context(), orgSecret(kind, "acme", "X"))
		switch {
		case kind.OnGHES():
			if !IsNotFound(err) || IsKindUnavailable(err) {
				t.Errorf("%s: %v, want a plain 404", kind, err)
			}
		case !IsKindUnavailable(err) || IsNotFound(err) || StatusCode(err) != 404:
			t.Errorf("%s: %v, want the kind unavailable", kind, err)
		case !strings.Contains(err.Error(), "GitHub Enterprise Server 3.19.0 has no "+kind.Title()+" secrets"):
			t.Errorf("%s: %q does not say why", kind, err)
		}
	}
}

func TestKindOfPath(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]Kind{
		"/api/v3/orgs/a/codespaces/secrets/X":          Codespaces,
		"orgs/a/agents/secrets":                        Agents,
		"/repos/o/r/dependabot/secrets/public-key":     Dependabot,
		"/repos/o/r/environments/prod/secrets/X":       "",
		"/orgs/a/actions/secrets/X/repositories/12345": Actions,
		"/orgs/secrets/actions":                        "",
		"/app/installations/1/access_tokens":           "",
	} {
		if got := kindOfPath(p); got != want {
			t.Errorf("kindOfPath(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestEnterpriseServer(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]bool{
		"":                            false,
		"https://api.github.com":      false,
		"https://acme.ghe.com":        false,
		"https://ghes.example.com":    true,
		"https://example.com/github/": true,
		"http://127.0.0.1:8080":       false,
	} {
		c, err := New(Config{BaseURL: base, Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.EnterpriseServer(); got != want {
			t.Errorf("%q: EnterpriseServer() = %v, want %v", base, got, want)
		}
	}
}

func TestAddressString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    Scope
		want string
	}{
		{orgScope(Dependabot, "acme"), "organization Dependabot secret TOKEN in acme"},
		{orgScope(Agents, "acme"), "organization Copilot coding agent secret TOKEN in acme"},
		{repoScope(Codespaces, "acme", "api"), "Codespaces secret TOKEN of repository acme/api"},
		{envScope("acme", "api", "prod eu"), `secret TOKEN of environment "prod eu" in repository acme/api`},
	} {
		if got := must(tt.s.Secret("token")).String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
	}
}
