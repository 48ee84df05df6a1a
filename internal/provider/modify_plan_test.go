package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// secretObjectType is the resource's schema as the protocol sees it.
var secretObjectType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id": tftypes.String, "secret_name": tftypes.String, "visibility": tftypes.String,
	"value_wo": tftypes.String, "encrypted_value_wo": tftypes.String, "key_id": tftypes.String,
	"value_wo_version": tftypes.Number, "created_at": tftypes.String, "updated_at": tftypes.String,
	"selected_repository_ids": tftypes.Set{ElementType: tftypes.Number},
}}

func secretObject(t *testing.T, valueWO any, updatedAt any) *tfprotov6.DynamicValue {
	t.Helper()
	v := tftypes.NewValue(secretObjectType, map[string]tftypes.Value{
		"id":                      tftypes.NewValue(tftypes.String, "DRIFTED"),
		"secret_name":             tftypes.NewValue(tftypes.String, "DRIFTED"),
		"visibility":              tftypes.NewValue(tftypes.String, "private"),
		"value_wo":                tftypes.NewValue(tftypes.String, valueWO),
		"encrypted_value_wo":      tftypes.NewValue(tftypes.String, nil),
		"key_id":                  tftypes.NewValue(tftypes.String, nil),
		"value_wo_version":        tftypes.NewValue(tftypes.Number, 1),
		"created_at":              tftypes.NewValue(tftypes.String, "2026-01-01T00:00:00Z"),
		"updated_at":              tftypes.NewValue(tftypes.String, updatedAt),
		"selected_repository_ids": tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, nil),
	})
	dv, err := tfprotov6.NewDynamicValue(secretObjectType, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// TestModifyPlanWarnsAboutValueDrift drives the plan of a secret whose Read
// recorded a value change, and checks the warning and the planned update.
func TestModifyPlanWarnsAboutValueDrift(t *testing.T) {
	t.Parallel()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}

	plan := func(private map[string][]byte) *tfprotov6.PlanResourceChangeResponse {
		raw, err := json.Marshal(private)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName:         "ghsecrets_org_actions_secret",
			PriorState:       secretObject(t, nil, "2026-01-02T00:00:00Z"),
			ProposedNewState: secretObject(t, nil, "2026-01-02T00:00:00Z"),
			Config:           secretObject(t, "the value", nil),
			PriorPrivate:     raw,
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	updatedAtUnknown := func(resp *tfprotov6.PlanResourceChangeResponse) bool {
		v, err := resp.PlannedState.Unmarshal(secretObjectType)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		return !attrs["updated_at"].IsKnown()
	}

	drifted := plan(map[string][]byte{privateValueDrift: []byte(`{"changed_at":"2026-01-02T00:00:00Z"}`)})
	if len(drifted.Diagnostics) != 1 || drifted.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning {
		t.Fatalf("want one warning, got %+v", drifted.Diagnostics)
	}
	if d := drifted.Diagnostics[0].Detail; !strings.Contains(d, "DRIFTED") || !strings.Contains(d, "2026-01-02T00:00:00Z") {
		t.Fatalf("the warning should name the secret and when it changed: %q", d)
	}
	if !updatedAtUnknown(drifted) {
		t.Fatal("a drifted value should plan an update (updated_at unknown)")
	}

	clean := plan(map[string][]byte{})
	if len(clean.Diagnostics) != 0 || updatedAtUnknown(clean) {
		t.Fatalf("no drift recorded: want no diagnostics and no change, got %+v", clean.Diagnostics)
	}
}
