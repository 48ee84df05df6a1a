package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

const secretAddr = "ghsecrets_org_actions_secret.test"

// secretConfig declares the secret under test; its value comes from the
// ephemeral variable "value", as users are advised to pass it.
func secretConfig(name, visibility string, version int) string {
	return fmt.Sprintf(`
resource "ghsecrets_org_actions_secret" "test" {
  secret_name      = %q
  visibility       = %q
  value_wo         = var.value
  value_wo_version = %d
}
`, name, visibility, version)
}

// withValue gives every step that sets no variables of its own the value.
func withValue(value string, steps []resource.TestStep) []resource.TestStep {
	for i := range steps {
		if steps[i].ConfigVariables == nil {
			steps[i].ConfigVariables = valueVar(value)
		}
	}
	return steps
}

func valueVar(value string) config.Variables {
	return config.Variables{"value": config.StringVariable(value)}
}

// metadataChecks are the state checks every apply of a secret must pass: the
// value never reaches state, and the metadata is GitHub's.
func metadataChecks(id, visibility string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("value_wo"), knownvalue.Null()),
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("encrypted_value_wo"), knownvalue.Null()),
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("visibility"), knownvalue.StringExact(visibility)),
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339)),
		statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("updated_at"), knownvalue.StringRegexp(rfc3339)),
		acctest.LeakCheck{},
	}
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func TestAccOrgActionsSecret_createEachVisibility(t *testing.T) {
	t.Parallel()
	for _, visibility := range []string{"all", "private", "selected"} {
		t.Run(visibility, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			value := testPlaintext(t, visibility)
			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: withValue(value, []resource.TestStep{{
					Config: env.config(secretConfig("CI_TOKEN", visibility, 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionCreate)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: append(metadataChecks("CI_TOKEN", visibility),
						statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("value_wo_version"), knownvalue.Int64Exact(1))),
					Check: resource.ComposeAggregateTestCheckFunc(
						env.checkValue("CI_TOKEN", value),
						env.checkSecret("CI_TOKEN", visibility),
						env.checkSecretPuts("CI_TOKEN", 1),
						acctest.StateFilesClean(),
					),
				},
				}),
			})
		})
	}
}

func TestAccOrgActionsSecret_rotateByVersion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first, second, unseen := testPlaintext(t, "first"), testPlaintext(t, "second"), testPlaintext(t, "unseen")
	sameCreatedAt := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(first, []resource.TestStep{
			{
				Config: env.config(secretConfig("ROTATED", "private", 1)),
				ConfigStateChecks: append(metadataChecks("ROTATED", "private"),
					sameCreatedAt.AddStateValue(secretAddr, tfjsonpath.New("created_at"))),
				Check: env.checkValue("ROTATED", first),
			},
			{
				// A new value with a new version is written in place.
				Config:          env.config(secretConfig("ROTATED", "private", 2)),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: append(metadataChecks("ROTATED", "private"),
					sameCreatedAt.AddStateValue(secretAddr, tfjsonpath.New("created_at")),
					statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("value_wo_version"), knownvalue.Int64Exact(2))),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("ROTATED", second),
					env.checkSecretPuts("ROTATED", 2),
					acctest.StateFilesClean(),
				),
			},
			{
				// Terraform cannot see a write-only value change: without a version bump nothing is written.
				Config:          env.config(secretConfig("ROTATED", "private", 2)),
				ConfigVariables: valueVar(unseen),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("ROTATED", second),
					env.checkSecretPuts("ROTATED", 2),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_visibilityInPlace(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "vis")
	sameCreatedAt := statecheck.CompareValue(compare.ValuesSame())
	step := func(visibility string, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			Config: env.config(secretConfig("VIS", visibility, 1)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, action)},
			},
			ConfigStateChecks: append(metadataChecks("VIS", visibility),
				sameCreatedAt.AddStateValue(secretAddr, tfjsonpath.New("created_at"))),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkSecret("VIS", visibility),
				env.checkValue("VIS", value),
			),
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			step("private", plancheck.ResourceActionCreate),
			step("selected", plancheck.ResourceActionUpdate),
			step("all", plancheck.ResourceActionUpdate),
			step("private", plancheck.ResourceActionUpdate),
		}),
	})
}

func TestAccOrgActionsSecret_selectedValueUpdateKeepsRepositories(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first, second := testPlaintext(t, "first"), testPlaintext(t, "second")
	cfg := func(version int) string {
		return env.config(secretConfig("KEEP", "selected", version) + fmt.Sprintf(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [%d, %d]
}
`, env.repoID(0), env.repoID(2)))
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(first, []resource.TestStep{
			{
				Config: cfg(1),
				Check:  env.checkSecret("KEEP", "selected", env.repoID(0), env.repoID(2)),
			},
			{
				Config:          cfg(2),
				ConfigVariables: valueVar(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(repositoriesAddr, plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("KEEP", second),
					env.checkSecret("KEEP", "selected", env.repoID(0), env.repoID(2)),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_valueChangedOutside(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "configured")
	cfg := env.config(secretConfig("DRIFTED", "selected", 1) + fmt.Sprintf(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [%d]
}
`, env.repoID(1)))
	changeOutside := func() {
		env.later()
		env.fake.PutSecretOutOfBand(testOrg, "DRIFTED", []byte("changed in the GitHub UI"), "selected", []int64{env.repoID(1)})
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{
				Config: cfg,
				Check:  env.checkSecretPuts("DRIFTED", 1),
			},
			{
				// Terraform records the list the companion resource set (any plan or
				// apply that persists state does this); from then on a value change is told apart.
				RefreshState: true,
			},
			{
				// plan alone shows the drift and changes nothing.
				PreConfig:          changeOutside,
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(secretAddr, tfjsonpath.New("updated_at")),
						plancheck.ExpectResourceAction(repositoriesAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("DRIFTED", value),
					env.checkSecret("DRIFTED", "selected", env.repoID(1)),
					env.checkSecretPuts("DRIFTED", 2),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_valueChangedOutsideSurvivesRefresh(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "configured")
	cfg := env.config(secretConfig("STICKY", "private", 1))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				// A refresh that records the new updated_at must not forget the change.
				PreConfig: func() {
					env.later()
					env.fake.PutSecretOutOfBand(testOrg, "STICKY", []byte("changed in the GitHub UI"), "private", nil)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("STICKY", value),
					env.checkSecret("STICKY", "private"),
					env.checkSecretPuts("STICKY", 2),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_repositoryListChangedOutsideIsNotValueDrift(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	cfg := env.config(secretConfig("LISTED", "selected", 1) + fmt.Sprintf(`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [%d]
}
`, env.repoID(0)))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.later()
					env.fake.SetSelectedRepositoriesOutOfBand(testOrg, "LISTED", []int64{env.repoID(0), env.repoID(2)})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(repositoriesAddr, plancheck.ResourceActionUpdate),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("LISTED", "selected", env.repoID(0)),
					env.checkSecretPuts("LISTED", 1),
					env.checkValue("LISTED", value),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_visibilityChangedOutside(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	cfg := env.config(secretConfig("MOVED", "private", 1))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.later()
					env.fake.PutSecretOutOfBand(testOrg, "MOVED", []byte("other"), "all", nil)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(secretAddr, tfjsonpath.New("visibility"), knownvalue.StringExact("private")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSecret("MOVED", "private"),
					env.checkValue("MOVED", value),
				),
			},
		}),
	})
}

func TestAccOrgActionsSecret_deletedOutside(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	cfg := env.config(secretConfig("GONE", "all", 1))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { env.fake.DeleteSecretOutOfBand(testOrg, "GONE") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkValue("GONE", value),
					env.checkSecret("GONE", "all"),
				),
			},
		}),
		CheckDestroy: env.checkSecretGone("GONE"),
	})
}

func TestAccOrgActionsSecret_deleteOfMissingSecretSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("unused", []resource.TestStep{
			{Config: env.config(secretConfig("VANISHING", "all", 1))},
			{
				// Gone between the refresh and the delete: the destroy still succeeds.
				Config:  env.config(secretConfig("VANISHING", "all", 1)),
				Destroy: true,
				PreConfig: func() {
					env.fake.DeleteSecretOutOfBand(testOrg, "VANISHING")
				},
			},
		}),
	})
}

func TestAccOrgActionsSecret_import(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	cfg := env.config(secretConfig("IMPORTED", "private", 1))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:      secretAddr,
				Config:            cfg,
				ImportState:       true,
				ImportStateId:     "IMPORTED",
				ImportStateVerify: true,
				// The version only lives in configuration; an import cannot know it.
				ImportStateVerifyIgnore: []string{"value_wo_version"},
			},
			{
				// Either spelling finds the secret.
				ResourceName:  secretAddr,
				Config:        cfg,
				ImportState:   true,
				ImportStateId: "imported",
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d resources, want 1", len(states))
					}
					attrs := states[0].Attributes
					if attrs["id"] != "IMPORTED" || attrs["visibility"] != "private" || attrs["created_at"] == "" {
						return fmt.Errorf("unexpected imported state: id=%q visibility=%q created_at=%q",
							attrs["id"], attrs["visibility"], attrs["created_at"])
					}
					for k, v := range attrs {
						if strings.Contains(v, value) {
							return fmt.Errorf("imported attribute %s holds the value", k)
						}
					}
					return nil
				},
			},
		}),
	})
}

func TestAccOrgActionsSecret_importMissingSecretFails(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(secretConfig("NEVER_CREATED", "all", 1))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("v", []resource.TestStep{
			{
				ResourceName:  secretAddr,
				Config:        cfg,
				ImportState:   true,
				ImportStateId: "NEVER_CREATED",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				ResourceName:  secretAddr,
				Config:        cfg,
				ImportState:   true,
				ImportStateId: "not-a-name",
				ExpectError:   regexp.MustCompile(`(?s)Invalid Import ID.*MY_SECRET`),
			},
		}),
	})
	if n := env.fake.CountWrites(); n != 0 {
		t.Fatalf("a failed import wrote %d times to the API", n)
	}
}

func TestAccOrgActionsSecret_createOverExistingSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	env.fake.PutSecretOutOfBand(testOrg, "PREEXISTING", []byte("made by hand"), "all", nil)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{{
			// GitHub's PUT creates or replaces; the provider warns and takes the secret over.
			Config: env.config(secretConfig("PREEXISTING", "private", 1)),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkValue("PREEXISTING", value),
				env.checkSecret("PREEXISTING", "private"),
			),
		}}),
	})
}

func TestAccOrgActionsSecret_nameCaseInsensitive(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{
				Config: env.config(secretConfig("my_secret", "all", 1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("secret_name"), knownvalue.StringExact("my_secret")),
					statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("id"), knownvalue.StringExact("MY_SECRET")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.checkValue("MY_SECRET", value),
			},
			{
				// Respelling the name is not a new secret: nothing is replaced or written.
				Config: env.config(secretConfig("MY_SECRET", "all", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(secretAddr, plancheck.ResourceActionUpdate)},
				},
				Check: env.checkSecretPuts("MY_SECRET", 1),
			},
		}),
	})
}

func TestAccOrgActionsSecret_encryptedValue(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "sealed")
	sealed, keyID := env.fake.Seal(testOrg, []byte(value))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "ghsecrets_org_actions_public_key" "org" {}

resource "ghsecrets_org_actions_secret" "test" {
  secret_name        = "PRESEALED"
  visibility         = "all"
  encrypted_value_wo = var.value
  key_id             = data.ghsecrets_org_actions_public_key.org.key_id
  value_wo_version   = 1
}
`),
			ConfigVariables:  valueVar(sealed),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{acctest.LeakCheck{}}},
			ConfigStateChecks: append(metadataChecks("PRESEALED", "all"),
				statecheck.ExpectKnownValue(secretAddr, tfjsonpath.New("key_id"), knownvalue.StringExact(keyID))),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkValue("PRESEALED", value),
				acctest.StateFilesClean(),
			),
		}},
	})
}

func TestAccOrgActionsSecret_apiErrorNamesSecretStatusAndMessage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	value := testPlaintext(t, "v")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{{
			Config: env.config(secretConfig("LOST_REPO", "selected", 1) + `
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = ghsecrets_org_actions_secret.test.secret_name
  selected_repository_ids = [999999999]
}
`),
			ExpectError: regexp.MustCompile(`(?s)LOST_REPO.*422`),
		},
		}),
	})
}
