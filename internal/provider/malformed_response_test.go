package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// TestAccMalformedResponsesLoseNothing answers the provider's reads with what
// a broken server or a proxy might send. Each refresh must fail with a clear
// error (no panic, no resource dropped from state); once the server behaves,
// the plan is empty and GitHub still holds the value.
func TestAccMalformedResponsesLoseNothing(t *testing.T) {
	t.Parallel()
	answers := []struct {
		name   string
		status int
		ctype  string
		body   string
		link   string
		want   string
	}{
		{"truncated JSON", 200, "application/json", `{"total_count": 1, "secrets": [{"name": "KEPT", "visi`, "", `decoding\s+response\s+body`},
		{"invalid JSON", 200, "application/json", `{"total_count": 1, "secrets": [}`, "", `decoding\s+response\s+body`},
		{"HTML page from a proxy", 200, "text/html", `<html><body>Please sign in</body></html>`, "", `Content-Type\s+text/html`},
		{"empty 200", 200, "application/json", ``, "", `empty\s+response\s+body`},
		{"missing fields", 200, "application/json", `{"total_count": 1}`, "", `unexpected\s+response`},
		{"secret without a name", 200, "application/json", `{"total_count": 1, "secrets": [{"visibility": "all"}]}`, "", `unexpected\s+response`},
		{"Link that loops", 200, "application/json", `{"total_count": 0, "secrets": []}`, "self", `repeats\s+an\s+already\s+fetched\s+page`},
		{"4xx with an HTML body", 418, "text/html", `<h1>teapot</h1>`, "", `418`},
	}
	for _, a := range answers {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			value := testPlaintext(t, "kept")
			cfg := env.config(secretConfig("KEPT", "private", 1))
			broken := func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/actions/secrets") {
					return false
				}
				if a.link == "self" {
					w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=100>; rel="next"`, env.url, r.URL.Path))
				}
				w.Header().Set("Content-Type", a.ctype)
				w.WriteHeader(a.status)
				_, _ = w.Write([]byte(a.body))
				return true
			}
			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: withValue(value, []resource.TestStep{
					{Config: cfg},
					{
						PreConfig:   func() { env.interceptWith(broken) },
						Config:      cfg,
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(`(?s)Error Reading Organization Secret.*KEPT.*` + a.want),
					},
					{
						PreConfig: func() { env.interceptWith(nil) },
						Config:    cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							env.checkValue("KEPT", value),
							env.checkSecretPuts("KEPT", 1),
							func(s *terraform.State) error {
								if _, ok := s.RootModule().Resources[secretAddr]; !ok {
									return fmt.Errorf("%s is no longer in state", secretAddr)
								}
								return nil
							},
						),
					},
				}),
			})
		})
	}
}

// TestAccContradictoryListingLosesNothing answers the secrets listing with
// a total_count that its (empty) page contradicts, as a server in trouble
// might. That is no evidence the secret is gone: the plan stays empty, and
// nothing is created again (which would write a new value and, for a
// selected secret with a companion list, clear its repositories).
func TestAccContradictoryListingLosesNothing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "listed")
	cfg := env.config(secretConfig("LISTED", "selected", 1) + repositoriesConfig(env.repoID(0), env.repoID(1)))
	empty := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/actions/secrets") {
			return false
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(`{"total_count": 7, "secrets": []}`))
		return true
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { env.interceptWith(empty) },
				Config:    cfg,
				PlanOnly:  true,
			},
			{
				PreConfig: func() { env.interceptWith(nil) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("LISTED", value),
					env.checkSecretPuts("LISTED", 1),
					env.checkSecret("LISTED", "selected", env.repoID(0), env.repoID(1)),
				),
			},
		}),
	})
}
