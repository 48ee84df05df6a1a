package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// guideConfig reads an example of the guides and points it at env's fake.
func guideConfig(t *testing.T, env *testEnv, file string) string {
	t.Helper()
	raw, err := os.ReadFile("../../examples/guides/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return requiredProviders + providerBlock(examplesOrg, "", env.url) + string(raw)
}

// checkExampleValue asserts the plaintext GitHub holds for a secret of examplesOrg.
func checkExampleValue(env *testEnv, name, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := env.fake.SecretValue(examplesOrg, name)
		if !ok {
			return fmt.Errorf("secret %s does not exist on the fake GitHub", name)
		}
		if string(got) != want {
			return fmt.Errorf("secret %s holds a value of %d bytes that is not the expected one", name, len(got))
		}
		return nil
	}
}

// TestAccGuidePolicyPlanJSON checks what the policy-as-code guide says a
// saved plan shows: the fields its policies read are there, and the value is not.
func TestAccGuidePolicyPlanJSON(t *testing.T) {
	t.Parallel()
	env := newTestEnvFor(t, examplesOrg)
	plaintext := testPlaintext(t, "policy")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:             guideConfig(t, env, "policy/main.tf"),
			ConfigVariables:    config.Variables{"npm_token": config.StringVariable(plaintext)},
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPreRefresh: []plancheck.PlanCheck{
					policyFields{},
					acctest.LeakCheck{},
				},
			},
		}},
	})
}

// policyFields asserts the plan JSON paths the guide's policies read.
type policyFields struct{}

var _ plancheck.PlanCheck = policyFields{}

func (policyFields) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	// Decode the JSON itself, as a policy engine would, not the Go types.
	var plan struct {
		ResourceChanges []struct {
			Type   string `json:"type"`
			Change struct {
				Actions        []string       `json:"actions"`
				After          map[string]any `json:"after"`
				AfterSensitive map[string]any `json:"after_sensitive"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		resp.Error = err
		return
	}
	seen := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		after := rc.Change.After
		seen[rc.Type] = true
		switch rc.Type {
		case "ghsecrets_org_actions_secret":
			want := map[string]any{"secret_name": "NPM_TOKEN", "visibility": "selected", "value_wo_version": float64(1)}
			for k, v := range want {
				if after[k] != v {
					resp.Error = fmt.Errorf("change.after.%s is %v, want %v", k, after[k], v)
					return
				}
			}
			if v, ok := after["value_wo"]; !ok || v != nil {
				resp.Error = fmt.Errorf("change.after.value_wo should be present and null, got %v (present: %t)", v, ok)
				return
			}
			if rc.Change.AfterSensitive["value_wo"] != true {
				resp.Error = fmt.Errorf("change.after_sensitive.value_wo is %v, want true", rc.Change.AfterSensitive["value_wo"])
				return
			}
			if strings.Join(rc.Change.Actions, ",") != "create" {
				resp.Error = fmt.Errorf("the secret is planned for %v, want create", rc.Change.Actions)
				return
			}
		case "ghsecrets_org_actions_secret_repositories":
			ids, _ := after["selected_repository_ids"].([]any)
			if after["secret_name"] != "NPM_TOKEN" || len(ids) != 2 {
				resp.Error = fmt.Errorf("the repository list change is %v, want NPM_TOKEN with two repositories", after)
				return
			}
		}
	}
	for _, typ := range []string{"ghsecrets_org_actions_secret", "ghsecrets_org_actions_secret_repositories"} {
		if !seen[typ] {
			resp.Error = fmt.Errorf("the plan JSON has no resource change of type %s", typ)
			return
		}
	}
}

// TestAccGuideRotation walks the rotating-secret-values guide: a new value is
// written only with a new version, and a pre-sealed value must be sealed
// again after the organization key changes.
func TestAccGuideRotation(t *testing.T) {
	t.Parallel()
	env := newTestEnvFor(t, examplesOrg)
	cfg := guideConfig(t, env, "rotation/main.tf")
	sealed := func(value string) config.Variable {
		b64, _ := env.fake.Seal(examplesOrg, []byte(value))
		return config.StringVariable(b64)
	}
	signingV1 := sealed("signing key 1")
	vars := func(npm string, npmVersion int, signing config.Variable) config.Variables {
		return config.Variables{
			"npm_token":          config.StringVariable(npm),
			"npm_token_version":  config.IntegerVariable(npmVersion),
			"sealed_signing_key": signing,
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars("npm 1", 1, signingV1),
				Check: resource.ComposeTestCheckFunc(
					checkExampleValue(env, "NPM_TOKEN", "npm 1"),
					checkExampleValue(env, "SIGNING_KEY", "signing key 1"),
				),
			},
			{
				// A new value under the same version is not seen: nothing to do.
				Config:             cfg,
				ConfigVariables:    vars("npm 2", 1, signingV1),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
			{
				Config:          cfg,
				ConfigVariables: vars("npm 2", 2, signingV1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ghsecrets_org_actions_secret.npm_token", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ghsecrets_org_actions_secret.signing_key", plancheck.ResourceActionNoop),
				}},
				Check: checkExampleValue(env, "NPM_TOKEN", "npm 2"),
			},
			{
				// The organization key changes: key_id moves in the plan, and
				// GitHub refuses the value sealed for the old key.
				PreConfig:       func() { env.fake.RotatePublicKey(examplesOrg) },
				Config:          cfg,
				ConfigVariables: vars("npm 2", 2, signingV1),
				ExpectError:     regexp.MustCompile(`(?s)SIGNING_KEY.*422`),
			},
			{
				// Sealed again, for the new key; key_id already moved.
				Config:          cfg,
				ConfigVariables: vars("npm 2", 2, sealedForCurrentKey{env, "signing key 1"}),
				Check: resource.ComposeTestCheckFunc(
					checkExampleValue(env, "SIGNING_KEY", "signing key 1"),
					checkExampleValue(env, "NPM_TOKEN", "npm 2"),
				),
			},
		},
	})
}

// sealedForCurrentKey seals a value for the organization key of the moment
// the step writes its variables, so a step can follow a key change.
type sealedForCurrentKey struct {
	env   *testEnv
	value string
}

func (v sealedForCurrentKey) MarshalJSON() ([]byte, error) {
	b64, _ := v.env.fake.Seal(examplesOrg, []byte(v.value))
	return json.Marshal(b64)
}
