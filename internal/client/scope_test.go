package client

import (
	"strings"
	"testing"
)

func TestScopePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scope Scope
		want  string
	}{
		{OrgScope(Actions, "acme"), "orgs/acme/actions/secrets/S"},
		{OrgScope(Dependabot, "acme"), "orgs/acme/dependabot/secrets/S"},
		{OrgScope(Codespaces, "acme"), "orgs/acme/codespaces/secrets/S"},
		{OrgScope(Agents, "acme"), "orgs/acme/agents/secrets/S"},
		{Scope{Kind: Dependabot, Owner: "acme", Repo: "web"}, "repos/acme/web/dependabot/secrets/S"},
		{Scope{Kind: Actions, Owner: "acme", Repo: "web", Env: "prod eu/1"}, "repos/acme/web/environments/prod%20eu%2F1/secrets/S"},
	}
	for _, tt := range tests {
		if err := tt.scope.checkName("S"); err != nil {
			t.Errorf("%v: %v", tt.scope, err)
		}
		if got := tt.scope.secretPath("S"); got != tt.want {
			t.Errorf("%v: path %q, want %q", tt.scope, got, tt.want)
		}
	}
}

func TestScopeChecks(t *testing.T) {
	t.Parallel()
	for _, bad := range []struct {
		scope Scope
		name  string
		want  string
	}{
		{Scope{Owner: "acme"}, "S", "kind"},
		{Scope{Kind: Actions}, "S", "organization"},
		{Scope{Kind: Actions, Owner: "acme", Env: "prod"}, "S", "repository"},
		{Scope{Kind: Dependabot, Owner: "acme", Repo: "web", Env: "prod"}, "S", "Actions secrets only"},
		{OrgScope(Actions, "acme"), "", "name"},
	} {
		if err := bad.scope.checkName(bad.name); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v, %q: error %v, want one about %q", bad.scope, bad.name, err, bad.want)
		}
	}
}

// TestScopeKeys: GitHub compares owners, repositories, environments and
// secret names case-insensitively, and every kind apart.
func TestScopeKeys(t *testing.T) {
	t.Parallel()
	a := Scope{Kind: Actions, Owner: "Acme", Repo: "Web", Env: "Prod"}
	b := Scope{Kind: Actions, Owner: "acme", Repo: "web", Env: "prod"}
	if a.secret("npm_token") != b.secret("NPM_TOKEN") {
		t.Error("the same secret in another case is another key")
	}
	if OrgScope(Actions, "acme").key() == OrgScope(Dependabot, "acme").key() {
		t.Error("two kinds share a key")
	}
	if OrgScope(Actions, "acme").key() == (Scope{Kind: Actions, Owner: "acme", Repo: "web"}).key() {
		t.Error("an organization and one of its repositories share a key")
	}
}
