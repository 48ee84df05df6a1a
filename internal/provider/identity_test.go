package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
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

// identityCase is the identity scenario of one resource type.
type identityCase struct {
	env *testEnv
	// config declares the resource under test at addr, and what it needs,
	// with no value_wo_version: an import cannot know it.
	config   string
	addr     string
	identity map[string]knownvalue.Check
	// required is the body of an import identity with the attributes
	// RequiredForImport only; wrong, one whose owner and kind are not the
	// provider's owner and the type's kind.
	required, wrong string
	// wrongError is what the wrong identity fails with; by default, another
	// owner and another kind.
	wrongError *regexp.Regexp
	importID   string
}

// testIdentity: a wrong identity in an import block fails, naming the
// attributes, before any request; an import of a secret that does not
// exist imports nothing; create returns the identity; import by
// the whole identity, by its required attributes alone, and by id each plan
// no change and write nothing.
func testIdentity(t *testing.T, c identityCase) {
	t.Helper()
	imported := func(block string) string {
		return c.env.config(c.config) + fmt.Sprintf("\nimport {\n  to = %s\n  identity = {\n%s\n  }\n}\n", c.addr, block)
	}
	if c.wrongError == nil {
		c.wrongError = regexp.MustCompile(`(?s)Import Identity Names Another Owner.*(organization|owner) is "other-org".*` +
			`Import Identity Names Another Kind`)
	}
	importChecks := resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
		noWrites{c.env}, plannedIdentity{c.addr, c.identity}, acctest.LeakCheck{},
	}}
	c.env.test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: withValue(testPlaintext(t, c.addr), []resource.TestStep{
			{
				Config:      imported(c.wrong),
				ExpectError: c.wrongError,
			},
			{
				// The secret named does not exist: nothing to import, and no
				// identity-less state to complain about.
				PreConfig: func() {
					if n := c.env.fake.CountRequests(""); n != 0 {
						c.env.errorf(t, "a refused import identity sent %d requests", n)
					}
				},
				Config: c.env.config(c.config) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n",
					c.addr, strings.Replace(c.importID, "REGISTRY_TOKEN", "NOT_THERE", 1)),
				ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				Config: c.env.config(c.config),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(c.addr, c.identity), acctest.LeakCheck{}},
			},
			{
				PreConfig:        c.env.fake.ResetRequests,
				ResourceName:     c.addr,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: importChecks,
			},
			{
				PreConfig:              c.env.fake.ResetRequests,
				ResourceName:           c.addr,
				ImportState:            true,
				ImportStateKind:        resource.ImportBlockWithResourceIdentity,
				ImportStateConfigExact: true,
				Config:                 imported(c.required),
				ImportPlanChecks:       importChecks,
			},
			{
				PreConfig:        c.env.fake.ResetRequests,
				ResourceName:     c.addr,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportStateId:    c.importID,
				ImportPlanChecks: importChecks,
			},
		}),
	})
}

// noWrites is a plan check: no request since the step began wrote anything.
type noWrites struct{ env *testEnv }

func (c noWrites) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if n := len(c.env.fake.Requests()) - c.env.fake.CountRequests("GET"); n != 0 {
		resp.Error = fmt.Errorf("the import sent %d requests other than GET", n)
	}
}

// plannedIdentity is a plan check of the identity a plan holds for a resource.
type plannedIdentity struct {
	addr string
	want map[string]knownvalue.Check
}

func (c plannedIdentity) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PlannedValues == nil || req.Plan.PlannedValues.RootModule == nil {
		resp.Error = fmt.Errorf("the plan has no planned values")
		return
	}
	for _, r := range req.Plan.PlannedValues.RootModule.Resources {
		if r.Address != c.addr {
			continue
		}
		if got, want := slices.Sorted(maps.Keys(r.IdentityValues)), slices.Sorted(maps.Keys(c.want)); !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s: planned identity has %v, want %v", c.addr, got, want)
			return
		}
		var errs []error
		for name, check := range c.want {
			if err := check.CheckValue(r.IdentityValues[name]); err != nil {
				errs = append(errs, fmt.Errorf("%s: planned identity %s: %w", c.addr, name, err))
			}
		}
		resp.Error = errors.Join(errs...)
		return
	}
	resp.Error = fmt.Errorf("the plan has no %s", c.addr)
}

// TestAccIdentity_owner: a provider owner that changes only in case (GitHub
// ignores it) keeps the identity; another owner is refused with an error
// that says what to do.
func TestAccIdentity_owner(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	withOwner := func(owner string) string {
		return strings.Replace(env.config(secretConfig("TOKEN", "all", 1)), fmt.Sprintf("owner = %q", testOrg), fmt.Sprintf("owner = %q", owner), 1)
	}
	organization := statecheck.ExpectIdentityValue(secretAddr, tfjsonpath.New("organization"), knownvalue.StringExact(testOrg))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: withValue(testPlaintext(t, "owner"), []resource.TestStep{
			{Config: withOwner(testOrg), ConfigStateChecks: []statecheck.StateCheck{organization}},
			{
				Config:            withOwner(strings.ToUpper(testOrg)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{organization},
			},
			{
				Config: withOwner("other-org"),
				ExpectError: regexp.MustCompile(`(?s)Owner\s+Changed.*organization\s+"acme",\s+and\s+the\s+provider's\s+owner\s+is\s+now\s+` +
					`"other-org".*removed\s+block`),
			},
			{
				// Back to the owner: the state is as it was.
				Config:           withOwner(testOrg),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		}),
	})
}
