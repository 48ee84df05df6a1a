package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestAccOrgActionsSecret_driftAfterOwnWrites: a write the provider makes on
// its own (a new repository list, a new visibility) leaves a record from
// which the next plan tells that write from a value changed after it, with no
// refresh saved in between.
func TestAccOrgActionsSecret_driftAfterOwnWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		first, second func(env *testEnv) string // the secret's visibility and list, before and after
		visibility    string                    // after
		repos         func(env *testEnv) []int64
	}{
		{
			name: "a list-only write",
			first: func(env *testEnv) string {
				return fmt.Sprintf(`visibility = "selected"`+"\n"+`selected_repository_ids = [%d]`, env.repoID(0))
			},
			second: func(env *testEnv) string {
				return fmt.Sprintf(`visibility = "selected"`+"\n"+`selected_repository_ids = [%d, %d]`, env.repoID(1), env.repoID(2))
			},
			visibility: "selected",
			repos:      func(env *testEnv) []int64 { return []int64{env.repoID(1), env.repoID(2)} },
		},
		{
			name:       "a visibility-only write",
			first:      func(*testEnv) string { return `visibility = "all"` },
			second:     func(*testEnv) string { return `visibility = "private"` },
			visibility: "private",
			repos:      func(*testEnv) []int64 { return nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			value := testPlaintext(t, "own-writes")
			cfg := func(attrs string) string {
				return strings.Replace(env.config(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name      = "OWN_WRITES"
  value_wo         = var.value
  value_wo_version = 1
  ATTRS
}
`), "ATTRS", attrs, 1)
			}
			cli := acctest.NewCLI(t, acctest.BuildProvider(t), cfg(tt.first(env)),
				"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url, "TF_VAR_value="+value)
			cli.MustRun("apply", "-auto-approve", "-input=false")
			cli.WriteConfig(cfg(tt.second(env)))
			cli.MustRun("apply", "-auto-approve", "-input=false")
			if puts := env.secretPuts("OWN_WRITES"); tt.visibility == "selected" && puts != 1 {
				t.Fatalf("the list-only change wrote the value: %d value writes, want 1", puts)
			}

			// The value changes on GitHub after the provider's own write,
			// and no refresh is saved before the plan.
			env.later()
			env.fake.PutSecretOutOfBand(testOrg, "OWN_WRITES", []byte("changed in the GitHub UI"), tt.visibility, tt.repos(env))
			out, code := cli.Run("plan", "-detailed-exitcode", "-input=false", "-json")
			if code != 2 {
				t.Fatalf("plan exited %d, want 2 (the value to restore):\n%s", code, acctest.Tail(out))
			}
			checkPlannedRestores(t, out, []string{"OWN_WRITES"})

			cli.MustRun("apply", "-auto-approve", "-input=false")
			if got, _ := env.fake.SecretValue(testOrg, "OWN_WRITES"); string(got) != value {
				t.Error("apply did not write the configured value again")
			}
			if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
				t.Fatalf("plan after the restore exited %d, want 0:\n%s", code, acctest.Tail(out))
			}
			cli.CheckStateFiles()
		})
	}
}

// dateProxy stands for a reverse proxy in front of GitHub Enterprise Server
// that sets the Date of every answer from its own clock, skew off GitHub's,
// or sends none.
func dateProxy(skew time.Duration, none bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&dateRewriter{ResponseWriter: w, skew: skew, none: none}, r)
		})
	}
}

type dateRewriter struct {
	http.ResponseWriter
	skew    time.Duration
	none    bool
	written bool
}

func (d *dateRewriter) WriteHeader(code int) {
	if !d.written {
		d.written = true
		h := d.Header()
		if t, err := http.ParseTime(h.Get("Date")); err == nil && !d.none {
			h.Set("Date", t.Add(d.skew).UTC().Format(http.TimeFormat))
		} else {
			h["Date"] = nil // net/http would add its own
		}
	}
	d.ResponseWriter.WriteHeader(code)
}

func (d *dateRewriter) Write(b []byte) (int, error) {
	if !d.written {
		d.WriteHeader(http.StatusOK)
	}
	return d.ResponseWriter.Write(b)
}

// TestAccOrgActionsSecret_noClockButGitHubs: whatever the Date of the
// answers says (right, a minute late or early, or nothing), a plan after the
// provider's writes is empty, and a value changed in the second after the
// write is seen. Where the Date cannot be trusted, each write is read back
// once; where it can, one read back per run checks it.
func TestAccOrgActionsSecret_noClockButGitHubs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		skew      time.Duration
		none      bool
		readBacks int // for the first apply's two writes
	}{
		{name: "Date from GitHub", readBacks: 1},
		{name: "Date a minute late", skew: -time.Minute, readBacks: 2},
		{name: "Date a minute early", skew: time.Minute, readBacks: 2},
		{name: "no Date", none: true, readBacks: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newSoakEnv(t, fakegithub.Options{}, dateProxy(tt.skew, tt.none))
			value := testPlaintext(t, "clock")
			cfg := func(repo int) string {
				return env.config(fmt.Sprintf(`
resource "ghsecrets_org_actions_secret" "private" {
  secret_name      = "CLOCK_PRIVATE"
  visibility       = "private"
  value_wo         = var.value
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret" "selected" {
  secret_name             = "CLOCK_SELECTED"
  visibility              = "selected"
  value_wo                = var.value
  value_wo_version        = 1
  selected_repository_ids = [%d]
}
`, env.repoID(repo)))
			}
			w := &writeCounter{env: env}
			// A change in the second after GitHub's answer: the fake's
			// clock moves on by one second, and the change is stamped then.
			nextSecond := func() { env.clock.Advance(time.Second) }
			changeBoth := func() {
				nextSecond()
				env.fake.PutSecretOutOfBand(testOrg, "CLOCK_PRIVATE", []byte("changed"), "private", nil)
				s, _ := env.fake.Secret(testOrg, "CLOCK_SELECTED")
				env.fake.PutSecretOutOfBand(testOrg, "CLOCK_SELECTED", []byte("changed"), "selected", s.SelectedRepositoryIDs)
			}
			restores := resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ghsecrets_org_actions_secret.private", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ghsecrets_org_actions_secret.selected", plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			}
			restored := resource.ComposeAggregateTestCheckFunc(env.checkValue("CLOCK_PRIVATE", value), env.checkValue("CLOCK_SELECTED", value))
			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: withValue(value, []resource.TestStep{
					{
						// No false drift after the provider's own writes.
						PreConfig: w.mark,
						Config:    cfg(0),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: env.checkReadBacks(w, tt.readBacks),
					},
					{
						// No missed drift in the second after them.
						PreConfig:        changeBoth,
						Config:           cfg(0),
						ConfigPlanChecks: restores,
						Check:            restored,
					},
					{
						// The same after a write of the list alone.
						Config: cfg(1),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction("ghsecrets_org_actions_secret.selected", plancheck.ResourceActionUpdate),
								plancheck.ExpectUnknownValue("ghsecrets_org_actions_secret.selected", tfjsonpath.New("updated_at")),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
					{
						PreConfig:        changeBoth,
						Config:           cfg(1),
						ConfigPlanChecks: restores,
						Check:            restored,
					},
				}),
			})
		})
	}
}

// checkReadBacks asserts how many secrets were read one by one (GET of the
// secret itself) since w's mark: the reads back after writes.
func (e *testEnv) checkReadBacks(w *writeCounter, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := requestKinds(e.fake.Requests()[w.from:])["GET secret"]; got != want {
			return fmt.Errorf("%d secrets read back, want %d", got, want)
		}
		return nil
	}
}

// TestAccOrgActionsSecret_onValueDrift: with on_value_drift = "accept" a value
// changed outside Terraform is kept and the plan stays empty; switching the
// setting either way writes nothing and replaces nothing.
func TestAccOrgActionsSecret_onValueDrift(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "placeholder")
	cfg := func(policy string) string {
		setting := ""
		if policy != "" {
			setting = fmt.Sprintf("on_value_drift = %q", policy)
		}
		return env.config(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name      = "ROTATED"
  visibility       = "private"
  value_wo         = var.value
  value_wo_version = 1
  ` + setting + `
}
`)
	}
	rotate := func(v string) func() {
		return func() {
			env.later()
			env.fake.PutSecretOutOfBand(testOrg, "ROTATED", []byte(v), "private", nil)
		}
	}
	inPlace := []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate),
		// Known: switching the setting changes nothing on GitHub.
		plancheck.ExpectKnownValue(secretAddr, tfjsonpath.New("updated_at"), knownvalue.StringFunc(func(v string) error {
			if s, _ := env.fake.Secret(testOrg, "ROTATED"); v != formatTime(s.UpdatedAt) {
				return fmt.Errorf("planned updated_at %s, want GitHub's %s", v, formatTime(s.UpdatedAt))
			}
			return nil
		})),
	}
	empty := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg("accept"), Check: env.checkSecretPuts("ROTATED", 1)},
			{
				// A rotation job sets the real value: accepted, nothing planned.
				PreConfig:        rotate("rotated-1"),
				Config:           cfg("accept"),
				ConfigPlanChecks: empty,
				Check:            resource.ComposeAggregateTestCheckFunc(env.checkValue("ROTATED", "rotated-1"), env.checkSecretPuts("ROTATED", 1)),
			},
			{
				// Back to restoring: an update of the setting alone, which
				// writes nothing, and the accepted value stays.
				Config: cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             inPlace,
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.checkValue("ROTATED", "rotated-1"), env.checkSecretPuts("ROTATED", 1)),
			},
			{
				// Restoring: the next change outside Terraform is written over.
				PreConfig: rotate("rotated-2"),
				Config:    cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.checkValue("ROTATED", value), env.checkSecretPuts("ROTATED", 2)),
			},
			{
				// A change recorded by a saved refresh while restoring...
				PreConfig:          rotate("rotated-3"),
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				// ...is let go when the setting becomes accept: no value write.
				Config: cfg("accept"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             inPlace,
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.checkValue("ROTATED", "rotated-3"), env.checkSecretPuts("ROTATED", 2)),
			},
		}),
	})
}
