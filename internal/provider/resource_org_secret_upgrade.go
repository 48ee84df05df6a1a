package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

// UpgradeState brings state written under an earlier schema version to the
// current one, so a newer release plans no change over an older one's state.
// Each upgrader goes straight to the current version.
func (r *orgSecretResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{
		// Version 0 had no on_value_drift; its secrets were restored.
		0: {StateUpgrader: addAttributes(map[string]any{"on_value_drift": string(drift.Restore)})},
	}
}

// addAttributes is an upgrader for a schema change that only added
// attributes: the earlier state, as Terraform stored it, with those set.
func addAttributes(added map[string]any) func(context.Context, resource.UpgradeStateRequest, *resource.UpgradeStateResponse) {
	return func(_ context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
		var attrs map[string]json.RawMessage
		if req.RawState == nil || json.Unmarshal(req.RawState.JSON, &attrs) != nil || attrs == nil {
			resp.Diagnostics.AddError("Unreadable Earlier State",
				"The state of this resource, written by an earlier release of the provider, is not a JSON object. "+
					"Remove it with `terraform state rm` and import the secret again.")
			return
		}
		for name, v := range added {
			if _, ok := attrs[name]; ok {
				continue
			}
			raw, err := json.Marshal(v)
			if err != nil {
				resp.Diagnostics.AddError("Error Upgrading State", fmt.Sprintf("Could not set %s: %s.", name, err))
				return
			}
			attrs[name] = raw
		}
		out, err := json.Marshal(attrs)
		if err != nil {
			resp.Diagnostics.AddError("Error Upgrading State", err.Error())
			return
		}
		resp.DynamicValue = &tfprotov6.DynamicValue{JSON: out}
	}
}
