package apispec

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

func TestOnGHES(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, template string
		want             bool
	}{
		{"GET", "/orgs/{org}/actions/secrets", true},
		{"PUT", "/orgs/{org}/actions/secrets/{secret_name}", true},
		{"put", "/orgs/{org}/actions/secrets/{secret_name}", true}, // any case of method
		{"DELETE", "/orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}", true},
		{"GET", "/orgs/{org}/dependabot/secrets/public-key", true},
		{"PUT", "/orgs/{org}/dependabot/secrets/{secret_name}/repositories", true},
		{"GET", "/repos/{owner}/{repo}/actions/secrets", true},
		{"PUT", "/repos/{owner}/{repo}/dependabot/secrets/{secret_name}", true},
		{"PUT", "/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}", true},
		{"GET", "/orgs/{org}/repos", true},
		{"GET", "/repos/{owner}/{repo}", true},
		// Codespaces and Copilot agents secrets are github.com's alone.
		{"GET", "/orgs/{org}/codespaces/secrets", false},
		{"PUT", "/orgs/{org}/codespaces/secrets/{secret_name}", false},
		{"GET", "/orgs/{org}/agents/secrets/public-key", false},
		{"PUT", "/orgs/{org}/agents/secrets/{secret_name}/repositories/{repository_id}", false},
		{"PUT", "/repos/{owner}/{repo}/codespaces/secrets/{secret_name}", false},
		{"GET", "/repos/{owner}/{repo}/agents/secrets", false},
		// A method the path does not have, a prefixed or concrete path, and
		// an endpoint outside the family.
		{"POST", "/orgs/{org}/actions/secrets", false},
		{"GET", "/api/v3/orgs/{org}/actions/secrets", false},
		{"GET", "/orgs/octo-org/actions/secrets", false},
		{"POST", "/app/installations/{installation_id}/access_tokens", false},
	}
	for _, tt := range tests {
		if got := OnGHES(tt.method, tt.template); got != tt.want {
			t.Errorf("OnGHES(%q, %q) = %v, want %v", tt.method, tt.template, got, tt.want)
		}
	}
}

// TestGHESIsPartOfTheFamily: every GHES endpoint is one of github.com's, so
// the route table (generated from github.com's description) knows it.
func TestGHESIsPartOfTheFamily(t *testing.T) {
	t.Parallel()
	ghes, err := operations(ghesFile)
	if err != nil {
		t.Fatal(err)
	}
	dotcom, err := operations(dotcomFile)
	if err != nil {
		t.Fatal(err)
	}
	table := map[string]bool{}
	for _, r := range routes.Table {
		table[r.Key()] = true
	}
	for op := range ghes {
		if !dotcom[op] {
			t.Errorf("%s is on GHES 3.19 but not in github.com's description", op)
		}
		if !table[op] {
			t.Errorf("%s is on GHES 3.19 but not in internal/routes", op)
		}
		method, template, _ := strings.Cut(op, " ")
		if !OnGHES(method, template) {
			t.Errorf("OnGHES(%q, %q) = false", method, template)
		}
	}
	// What GHES lacks is exactly what Codespaces and Copilot agents keep.
	for op := range dotcom {
		if ghes[op] {
			continue
		}
		if !strings.Contains(op, "/codespaces/") && !strings.Contains(op, "/agents/") {
			t.Errorf("%s is not on GHES 3.19", op)
		}
	}
	if len(ghes) < 10 || !ghes[http.MethodGet+" /orgs/{org}/actions/secrets"] {
		t.Errorf("GHES 3.19 describes %d operations", len(ghes))
	}
}
