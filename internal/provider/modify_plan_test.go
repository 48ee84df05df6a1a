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
	"selected_repository_ids": tftypes.List{ElementType: tftypes.Number}, "on_value_drift": tftypes.String,
}}

func secretObject(t *testing.T, valueWO any, updatedAt any, onValueDrift string) *tfprotov6.DynamicValue {
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
		"selected_repository_ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, nil),
		"on_value_drift":          tftypes.NewValue(tftypes.String, onValueDrift),
	})
	dv, err := tfprotov6.NewDynamicValue(secretObjectType, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// protocolServer is the provider as Terraform talks to it, schemas loaded,
// for tests that drive one protocol call at a time.
func protocolServer(t *testing.T) (tfprotov6.ProviderServer, context.Context) {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	return server, ctx
}

// TestModifyPlanWarnsAboutValueDrift drives the plan of a secret whose Read
// recorded a value change (in this release's record, and in the keys the
// release before it wrote), and checks the warning and the planned update,
// or their absence when the configuration accepts such changes.
func TestModifyPlanWarnsAboutValueDrift(t *testing.T) {
	t.Parallel()
	server, ctx := protocolServer(t)

	plan := func(private map[string][]byte, policy string) *tfprotov6.PlanResourceChangeResponse {
		raw, err := json.Marshal(private)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName:         "ghsecrets_org_actions_secret",
			PriorState:       secretObject(t, nil, "2026-01-02T00:00:00Z", "restore"),
			ProposedNewState: secretObject(t, nil, "2026-01-02T00:00:00Z", policy),
			Config:           secretObject(t, "the value", nil, policy),
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

	// A record as the release before the compact format wrote it.
	record := []byte(`{"version":1,"updated_at":"2026-01-02T00:00:00Z","source":"github","visibility":"private",` +
		`"repositories":null,"changed_at":"2026-01-02T00:00:00Z"}`)
	for name, private := range map[string]map[string][]byte{
		"record":           {privateDriftRecord: record},
		"record version 2": {privateDriftRecord: []byte(`{"v":2,"t":1767312000,"vis":"private","c":1767312000}`)},
		"legacy":           {legacyValueDrift: []byte(`{"changed_at":"2026-01-02T00:00:00Z"}`)},
	} {
		drifted := plan(private, "restore")
		if len(drifted.Diagnostics) != 1 || drifted.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Fatalf("%s: want one warning, got %+v", name, drifted.Diagnostics)
		}
		if d := drifted.Diagnostics[0].Detail; !strings.Contains(d, "DRIFTED") || !strings.Contains(d, "2026-01-02T00:00:00Z") {
			t.Fatalf("%s: the warning should name the secret and when it changed: %q", name, d)
		}
		if !updatedAtUnknown(drifted) {
			t.Fatalf("%s: a drifted value should plan an update (updated_at unknown)", name)
		}
		if accepted := plan(private, "accept"); len(accepted.Diagnostics) != 0 || updatedAtUnknown(accepted) {
			t.Fatalf("%s: on_value_drift = accept: want no warning and no value write, got %+v", name, accepted.Diagnostics)
		}
	}

	clean := plan(map[string][]byte{}, "restore")
	if len(clean.Diagnostics) != 0 || updatedAtUnknown(clean) {
		t.Fatalf("no drift recorded: want no diagnostics and no change, got %+v", clean.Diagnostics)
	}
}
