package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestFloorServesTheSameSecretSchemas: the benchmark's floor twin is only a
// floor while it serves the provider's own schema, identity and validators
// for the organization secret types, so a change to them changes the twin.
func TestFloorServesTheSameSecretSchemas(t *testing.T) {
	t.Parallel()
	schemas := func(name string, p func() (tfprotov6.ProviderServer, error)) *tfprotov6.GetProviderSchemaResponse {
		t.Helper()
		srv, err := p()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("%s: %v %v", name, err, resp.Diagnostics)
		}
		return resp
	}
	own := schemas("provider", providerserver.NewProtocol6WithError(New("test")()))
	floor := schemas("floor", providerserver.NewProtocol6WithError(NewFloor("test")()))
	if !reflect.DeepEqual(own.Provider, floor.Provider) {
		t.Error("the floor's provider schema differs from the provider's")
	}
	if len(floor.ResourceSchemas) != len(orgKinds) {
		t.Errorf("the floor serves %d resource types, want the %d organization secret types", len(floor.ResourceSchemas), len(orgKinds))
	}
	for _, k := range orgKinds {
		typ := k.typeName("")
		if !reflect.DeepEqual(own.ResourceSchemas[typ], floor.ResourceSchemas[typ]) {
			t.Errorf("%s: the floor's schema differs from the provider's", typ)
		}
	}
	ids := func(name string, p func() (tfprotov6.ProviderServer, error)) map[string]*tfprotov6.ResourceIdentitySchema {
		srv, _ := p()
		resp, err := srv.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("%s identities: %v %v", name, err, resp.Diagnostics)
		}
		return resp.IdentitySchemas
	}
	ownIDs := ids("provider", providerserver.NewProtocol6WithError(New("test")()))
	floorIDs := ids("floor", providerserver.NewProtocol6WithError(NewFloor("test")()))
	for _, k := range orgKinds {
		typ := k.typeName("")
		if floorIDs[typ] == nil || !reflect.DeepEqual(ownIDs[typ], floorIDs[typ]) {
			t.Errorf("%s: the floor's identity schema differs from the provider's", typ)
		}
	}
}
