package provider

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// examplesOrg is the organization the examples are written for.
const examplesOrg = "my-org"

var (
	variableBlock = regexp.MustCompile(`(?s)variable "(\w+)" \{(.*?)\n\}`)
	hasResource   = regexp.MustCompile(`(?m)^(resource|output) "`)
	importBlock   = regexp.MustCompile(`(?m)^import \{`)
)

// exampleKind is the kind of organization secret an example's folder is
// about ("resources/ghsecrets_org_dependabot_secret/..."); actions for the
// others.
func exampleKind(name string) string {
	for _, k := range orgKinds {
		if strings.Contains(name, "ghsecrets_org_"+k.name+"_") {
			return k.name
		}
	}
	return actionsKind.name
}

// exampleFixture is what an example needs beyond an empty organization: the
// GitHub state it starts from, and what must hold once it is applied.
type exampleFixture struct {
	// before prepares the fake and may set variables the example declares.
	before func(t *testing.T, env *testEnv, vars config.Variables)
	// after checks the fake once the apply is done.
	after func(env *testEnv) resource.TestCheckFunc
}

// exampleFixtures is keyed by the example's folder under examples/.
var exampleFixtures = map[string]exampleFixture{
	"guides/migration": migrationFixture(),
	"resources/ghsecrets_environment_actions_secret":        environmentFixture(),
	"data-sources/ghsecrets_environment_actions_public_key": environmentFixture(),
	"data-sources/ghsecrets_environment_actions_secrets":    environmentFixture(),
}

// environmentFixture creates the environment the environment examples use,
// as the resource that manages environments would.
func environmentFixture() exampleFixture {
	return exampleFixture{before: func(_ *testing.T, env *testEnv, _ config.Variables) {
		env.fake.AddEnvironment(examplesOrg, "api", "production")
	}}
}

// TestAccExamples applies every Terraform file under examples/ against the
// fake API, so no example can rot. The provider is configured through the
// environment, as the examples tell users to: each example's provider has an
// environment of its own, so they run in parallel.
func TestAccExamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../examples/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../examples/*/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(files) < 8 {
		t.Fatalf("found only %d example files; the glob is wrong", len(files))
	}

	for _, file := range files {
		name := strings.TrimPrefix(filepath.ToSlash(file), "../../examples/")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src := string(raw)

			env := newTestEnvFor(t, examplesOrg)
			fake := env.fake
			providerEnv := map[string]string{envOwner: examplesOrg, envToken: testToken, envBaseURL: env.url}

			if !strings.Contains(src, "required_providers") {
				src = requiredProviders + src
			}
			vars := config.Variables{}
			for _, m := range variableBlock.FindAllStringSubmatch(src, -1) {
				if strings.Contains(m[2], "default") {
					continue
				}
				value := "example value for " + m[1]
				if strings.HasPrefix(m[1], "sealed_") {
					// Sealed for the key of the kind the example is about.
					value, _ = fake.Kind(exampleKind(name)).Seal(examplesOrg, []byte(value))
				}
				vars[m[1]] = config.StringVariable(value)
			}
			fixture := exampleFixtures[path.Dir(name)]
			if fixture.before != nil {
				fixture.before(t, env, vars)
			}

			if path.Base(name) == "import-by-identity.tf" {
				acctest.Test(t, identityExampleCase(t, file, src, vars, providerEnv))
				return
			}

			// An example that only imports plans no change: it must plan
			// exactly its imports, and nothing else.
			imports := len(importBlock.FindAllString(src, -1))
			firstPlan := resource.TestStep{
				Config:             src,
				ConfigVariables:    vars,
				PlanOnly:           true,
				ExpectNonEmptyPlan: hasResource.MatchString(src) && imports == 0,
			}
			if imports > 0 {
				// The checks of a plan-only step run on its (only) plan.
				firstPlan.ConfigPlanChecks.PostApplyPreRefresh = []plancheck.PlanCheck{expectImportsOnly{count: imports}}
			}
			apply := resource.TestStep{
				Config:          src,
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			}
			if fixture.after != nil {
				apply.Check = fixture.after(env)
			}

			acctest.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: providerFactoriesWithEnv(providerEnv),
				Steps:                    []resource.TestStep{firstPlan, apply},
			})
			if n := fake.CountRequests(""); hasResource.MatchString(src) && n == 0 {
				t.Fatalf("example %s made no request to the API", name)
			}
		})
	}
}

// importTarget is the address an import block imports into.
var importTarget = regexp.MustCompile(`(?m)^\s*to\s*=\s*(\S+)`)

// identityExampleCase applies the resource.tf beside an import-by-identity
// example, then imports the example's resource with the example's import
// block (Terraform 1.12 and later): the identity it gives must be the one the
// resource has. The import may plan the value's write, as the docs say. The
// provider reads its settings from providerEnv, as in the example's own run.
func identityExampleCase(t *testing.T, file, src string, vars config.Variables, providerEnv map[string]string) resource.TestCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(file), "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resources := requiredProviders + string(raw)
	for _, m := range variableBlock.FindAllStringSubmatch(resources, -1) {
		if !strings.Contains(m[2], "default") {
			vars[m[1]] = config.StringVariable("example value for " + m[1])
		}
	}
	target := importTarget.FindStringSubmatch(src)
	if target == nil {
		t.Fatal("the example has no import block with a target")
	}
	return resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(providerEnv),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{Config: resources, ConfigVariables: vars},
			{
				ResourceName:           target[1],
				ImportState:            true,
				ImportStateKind:        resource.ImportBlockWithResourceIdentity,
				ImportStateConfigExact: true,
				Config:                 resources + strings.TrimPrefix(src, requiredProviders),
				ConfigVariables:        vars,
				ExpectNonEmptyPlan:     true,
			},
		},
	}
}

// expectImportsOnly asserts that a plan imports count resources and changes,
// creates or destroys nothing.
type expectImportsOnly struct{ count int }

var _ plancheck.PlanCheck = expectImportsOnly{}

func (e expectImportsOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imported := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		if !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s is planned for %v; an import-only plan changes nothing", rc.Address, rc.Change.Actions)
			return
		}
		if rc.Change.Importing != nil {
			imported++
		}
	}
	if imported != e.count {
		resp.Error = fmt.Errorf("the plan imports %d resources, want %d", imported, e.count)
	}
}

// migratedSecrets are the secrets examples/guides/migration adopts, as the
// integrations/github provider left them.
var migratedSecrets = []struct {
	name, visibility string
	repositories     []string
}{
	{"NPM_TOKEN", visibilitySelected, []string{"api", "web"}},
	{"SENTRY_DSN", visibilityPrivate, nil},
	{"DEPLOY_KEY", visibilitySelected, []string{"worker"}},
}

// migrationFixture creates the migrated secrets out of band and checks that
// adopting them wrote nothing: each keeps the value it was created with.
func migrationFixture() exampleFixture {
	valueOf := func(name string) string { return "value set by integrations/github for " + name }
	return exampleFixture{
		before: func(t *testing.T, env *testEnv, _ config.Variables) {
			ids := map[string]int64{}
			for _, repo := range env.repos {
				ids[repo.Name] = repo.ID
			}
			for _, s := range migratedSecrets {
				var repoIDs []int64
				for _, repo := range s.repositories {
					repoIDs = append(repoIDs, ids[repo])
				}
				env.fake.PutSecretOutOfBand(examplesOrg, s.name, []byte(valueOf(s.name)), s.visibility, repoIDs)
			}
		},
		after: func(env *testEnv) resource.TestCheckFunc {
			return func(*terraform.State) error {
				if n := env.fake.CountWrites(); n != 0 {
					return fmt.Errorf("adopting the migrated secrets wrote %d times to the API, want 0", n)
				}
				for _, s := range migratedSecrets {
					got, ok := env.fake.SecretValue(examplesOrg, s.name)
					if !ok {
						return fmt.Errorf("secret %s no longer exists", s.name)
					}
					if string(got) != valueOf(s.name) {
						return fmt.Errorf("secret %s was rewritten by the import", s.name)
					}
				}
				return nil
			}
		},
	}
}
