package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

func TestAddAPIErrorAdvice(t *testing.T) {
	t.Parallel()
	const (
		permission = "Check that the organization exists"
		token      = "Check that the token is valid"
		rateLimit  = "max_rate_limit_wait"
	)
	resp := func(status int, msg string) *client.ErrorResponse {
		return &client.ErrorResponse{StatusCode: status, Method: "PUT", Path: "/orgs/acme/actions/secrets/X", Message: msg}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"permission 403", resp(403, "Resource not accessible by integration"), permission},
		{"404", resp(404, "Not Found"), permission},
		{"401", resp(401, "Bad credentials"), token},
		{"secondary rate limit 403", &client.SecondaryRateLimitError{ErrorResponse: resp(403, "You have exceeded a secondary rate limit.")}, rateLimit},
		{"secondary rate limit 429", &client.SecondaryRateLimitError{ErrorResponse: resp(429, "slow down")}, rateLimit},
		{"primary rate limit 403", &client.RateLimitError{ErrorResponse: resp(403, "API rate limit exceeded")}, rateLimit},
		{"not an API answer", errors.New("connection refused"), ""},
	}
	advice := []string{permission, token, rateLimit}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			addAPIError(&diags, "Error Creating Organization Secret", "create", actionsKind, must(actionsKind.address("acme", "x")), tt.err)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1", len(diags))
			}
			detail := diags[0].Detail()
			for _, a := range advice {
				if strings.Contains(detail, a) != (a == tt.want) {
					t.Errorf("detail %q: advice %q given %v, want %v", detail, a, a != tt.want, a == tt.want)
				}
			}
		})
	}
}

// must is the value of a call that a test knows succeeds.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestVariableAPIErrorAdvice: a refused request on a variable names the
// variable and its scope, and advises the permission variables need, never
// a secrets permission.
func TestVariableAPIErrorAdvice(t *testing.T) {
	t.Parallel()
	for _, row := range variableRows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			repo, env := "", ""
			if row.level != client.OrgLevel {
				repo = "api"
			}
			if row.level == client.EnvLevel {
				env = "prod"
			}
			a := must(row.address("acme", repo, env, "deploy_url"))
			err := &client.ErrorResponse{StatusCode: 403, Method: "PATCH", Path: "/x", Message: "Resource not accessible by integration"}
			detail := scopeErrorDetail("update", a, row.permission(), err)
			for _, want := range []string{"DEPLOY_URL", "variable", "403", "Resource not accessible by integration", row.permission()} {
				if !strings.Contains(detail, want) {
					t.Errorf("detail %q does not name %q", detail, want)
				}
			}
			if strings.Contains(strings.ToLower(detail), "secret") {
				t.Errorf("detail %q speaks of secrets", detail)
			}
		})
	}
}
