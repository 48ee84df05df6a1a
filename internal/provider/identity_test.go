package provider

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
)

// TestIdentitySchemas: every resource type's identity has exactly the
// attributes the type needs to name its secret, RequiredForImport except
// the owner and the kind, which the provider already knows.
func TestIdentitySchemas(t *testing.T) {
	t.Parallel()
	want := map[string][]string{}
	for _, k := range orgKinds {
		want[k.typeName("")] = []string{"kind", "organization", "secret_name"}
		want[k.typeName("_repositories")] = []string{"kind", "organization", "secret_name"}
		want[k.typeName("_repository")] = []string{"kind", "organization", "repository_id", "secret_name"}
	}
	for _, k := range scopeKinds {
		want[k.typeName("_secret")] = []string{"kind", "owner", "repository", "secret_name"}
		if k.env {
			want[k.typeName("_secret")] = []string{"environment", "kind", "owner", "repository", "secret_name"}
		}
	}
	got := map[string]identityShape{}
	for _, k := range orgKinds {
		for _, suffix := range []string{"", "_repositories", "_repository"} {
			got[k.typeName(suffix)] = k.identity(suffix)
		}
	}
	for _, k := range scopeKinds {
		got[k.typeName("_secret")] = k.identity()
	}
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("identities for %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for typeName, shape := range got {
		s := shape.schema()
		if diags := s.ValidateImplementation(context.Background()); diags.HasError() {
			t.Errorf("%s: invalid identity schema: %v", typeName, diags)
		}
		if names := slices.Sorted(maps.Keys(s.Attributes)); !slices.Equal(names, want[typeName]) {
			t.Errorf("%s: identity attributes %v, want %v", typeName, names, want[typeName])
		}
		for name, a := range s.Attributes {
			optional := name == "organization" || name == "owner" || name == "kind"
			forImport, ok := a.(interface {
				IsRequiredForImport() bool
				IsOptionalForImport() bool
			})
			if !ok || forImport.IsOptionalForImport() != optional || forImport.IsRequiredForImport() == optional {
				t.Errorf("%s: %s is not %s for import", typeName, name, map[bool]string{true: "optional", false: "required"}[optional])
			}
			if _, isInt := a.(identityschema.Int64Attribute); isInt != (name == "repository_id") {
				t.Errorf("%s: %s is %T", typeName, name, a)
			}
		}
	}
}
