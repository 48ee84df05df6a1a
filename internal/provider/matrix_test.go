package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// everyCLI are the tests whose outcome depends on the CLI, which the
// version matrix (make test-matrix) runs with every CLI, each with what it
// covers; every other test runs with the newest Terraform only (make test).
// TestEveryCLICoversTheCLI holds the set to the provider's types.
var everyCLI = func() acctest.Matrix {
	m := acctest.Matrix{
		// How the CLI plans, applies and stores each type, write-only values
		// included.
		"TestAccKinds_lifecycle":         {"write-only values", "import by id"},
		"TestAccKinds_companionsAndData": {"data sources"},
		"TestAccScopes_lifecycle":        {"write-only values", "import by id"},
		"TestAccVariables_lifecycle":     {"import by id", "in-place updates"},
		// The variable family's scenario table: bad input refused at plan
		// with no request, a missing repository or environment named, and
		// the listings.
		"TestAccVariables_refusedAtPlan":         {"plan-time errors"},
		"TestAccVariables_missingPlace":          {},
		"TestAccVariables_dataSources":           {"data sources"},
		"TestAccUserCodespaces_lifecycle":        {"write-only values", "import by id", "data sources"},
		"TestAccPrivateRegistry_lifecycle":       {"write-only values", "import by id", "lifecycle " + privateRegistryType},
		"TestAccPrivateRegistry_authTypes":       {"write-only values"},
		"TestAccOrgActionsSecret_encryptedValue": {"write-only values"},
		// Identity (Terraform 1.12, OpenTofu 1.12).
		"TestAccKinds_identity":                 {},
		"TestAccScopes_identity":                {},
		"TestAccUserCodespaces_identity":        {},
		"TestAccVariables_identity":             {},
		"TestAccPrivateRegistry_identity":       {"identity " + privateRegistryType},
		"TestAccIdentity_owner":                 {"identity"},
		"TestAccAddress_importIdentitySpelling": {"identity"},
		// List resources and terraform query (Terraform 1.14).
		"TestAccList_rows":           {},
		"TestAccListQueryAdopt":      {"query"},
		"TestAccListExamples":        {"query", "examples"},
		"TestAccList_invalidFilters": {"query"},
		// Private registries: their data sources and list resource.
		"TestAccPrivateRegistries_dataSources": {"data sources"},
		"TestAccPrivateRegistries_list":        {"query", "list " + privateRegistryType},
		// moved blocks, from integrations/github and within a configuration;
		// how the CLI orders a replacement and plans it twice.
		"TestAccMovedFromIntegrationsGitHub":   {"moved from integrations/github"},
		"TestAccAddress_movesBetweenAddresses": {"moves within a configuration"},
		"TestAccAddress_orgForcedReplacement":  {"moves within a configuration"},
		"TestAccAddress_spellingChange":        {"in-place updates"},
		"TestAccAddress_oneClaimant":           {"plan-time errors"},
		// State written by earlier releases.
		"TestAccUpgradeFromEarlierState":  {"state upgrade"},
		"TestAccRepositoriesStateUpgrade": {"state upgrade"},
		// The examples and guides as users run them, and the plan JSON that
		// policy checks read.
		"TestAccExamples":            {"examples"},
		"TestAccGuidePolicyPlanJSON": {"plan JSON"},
		"TestAccGuideRotation":       {"examples"},
		// What a CLI does with a bad configuration, and with an interrupt.
		"TestAccInvalidConfigurations":         {"plan-time errors"},
		"TestAccInvalidProviderConfigurations": {"plan-time errors"},
		"TestAccInterruptedApply":              {"interrupts"},
	}
	for _, k := range orgKinds {
		m["TestAccKinds_lifecycle"] = append(m["TestAccKinds_lifecycle"], "lifecycle "+k.typeName(""), "lifecycle "+k.typeName("_repositories"))
		m["TestAccKinds_companionsAndData"] = append(m["TestAccKinds_companionsAndData"], "lifecycle "+k.typeName("_repository"))
		for _, suffix := range []string{"", "_repositories", "_repository"} {
			m["TestAccKinds_identity"] = append(m["TestAccKinds_identity"], "identity "+k.typeName(suffix))
		}
		m["TestAccList_rows"] = append(m["TestAccList_rows"], "list "+k.resourceType())
	}
	user := userCodespacesKind
	for _, suffix := range []string{"", "_repositories", "_repository"} {
		m["TestAccUserCodespaces_lifecycle"] = append(m["TestAccUserCodespaces_lifecycle"], "lifecycle "+user.typeName(suffix))
		m["TestAccUserCodespaces_identity"] = append(m["TestAccUserCodespaces_identity"], "identity "+user.typeName(suffix))
	}
	m["TestAccList_rows"] = append(m["TestAccList_rows"], "list "+user.resourceType())
	for _, k := range scopeKinds {
		m["TestAccScopes_lifecycle"] = append(m["TestAccScopes_lifecycle"], "lifecycle "+k.typeName("_secret"))
		m["TestAccScopes_identity"] = append(m["TestAccScopes_identity"], "identity "+k.typeName("_secret"))
		m["TestAccList_rows"] = append(m["TestAccList_rows"], "list "+k.resourceType())
	}
	for _, k := range variableRows {
		m["TestAccVariables_lifecycle"] = append(m["TestAccVariables_lifecycle"], "lifecycle "+k.typeName())
		m["TestAccVariables_identity"] = append(m["TestAccVariables_identity"], "identity "+k.typeName())
	}
	for _, k := range variableRows {
		m["TestAccVariableList_rows"] = append(m["TestAccVariableList_rows"], "list "+k.typeName())
	}
	for _, kind := range []string{"actions", "agents"} {
		for _, suffix := range []string{"_repositories", "_repository"} {
			m["TestAccOrgVariableCompanions_lifecycle"] = append(m["TestAccOrgVariableCompanions_lifecycle"],
				"lifecycle ghsecrets_org_"+kind+"_variable"+suffix)
			m["TestAccOrgVariableCompanions_identity"] = append(m["TestAccOrgVariableCompanions_identity"],
				"identity ghsecrets_org_"+kind+"_variable"+suffix)
		}
	}
	return m
}()

// TestEveryCLICoversTheCLI: the matrix set covers, with every CLI, the
// lifecycle and identity of every resource type, every list resource, and
// each scenario whose outcome depends on the CLI; and every test it names
// exists.
func TestEveryCLICoversTheCLI(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, what := range everyCLI {
		for _, c := range what {
			covered[c] = true
		}
	}
	var want []string
	p := New("test")()
	for _, newResource := range p.Resources(context.Background()) {
		var meta resource.MetadataResponse
		newResource().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "ghsecrets"}, &meta)
		want = append(want, "lifecycle "+meta.TypeName, "identity "+meta.TypeName)
	}
	for _, newList := range p.(interface {
		ListResources(context.Context) []func() list.ListResource
	}).ListResources(context.Background()) {
		var meta resource.MetadataResponse
		newList().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "ghsecrets"}, &meta)
		want = append(want, "list "+meta.TypeName)
	}
	want = append(want, "write-only values", "import by id", "identity", "query", "moved from integrations/github",
		"moves within a configuration", "state upgrade", "examples", "plan JSON", "plan-time errors", "in-place updates")
	for _, w := range want {
		if !covered[w] {
			t.Errorf("no test of the version matrix covers %q", w)
		}
	}

	tests := map[string]bool{}
	files, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	for _, f := range files {
		parsed, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range parsed.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") {
				tests[fn.Name.Name] = true
			}
		}
	}
	for name := range everyCLI {
		if !tests[name] {
			t.Errorf("the version matrix names %s, which is no test of this package", name)
		}
		if !strings.HasPrefix(name, "TestAcc") {
			t.Errorf("the version matrix names %s, which drives no CLI", name)
		}
	}
	if len(everyCLI) >= len(tests) {
		t.Error("the version matrix holds every test: it is no subset")
	}
}
