package provider

import (
	"context"
	"encoding/json"
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

			// The example runs as a user runs it, with the commands the
			// harness would run for one step and no more: its first plan
			// creates what it declares (one that only imports plans exactly
			// its imports and nothing else; one that only reads plans
			// nothing), the apply succeeds, and the plans after it, without
			// and with a refresh, are empty; then it is destroyed.
			want := changeSummary{}
			imports := len(importBlock.FindAllString(src, -1))
			switch {
			case imports > 0:
				want.Import = imports
			case hasResource.MatchString(src):
				want.Add = -1 // some
			}
			var environ []string
			for k, v := range vars {
				raw, err := v.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				var value string
				if err := json.Unmarshal(raw, &value); err != nil {
					t.Fatal(err)
				}
				environ = append(environ, "TF_VAR_"+k+"="+value)
			}
			cli := acctest.NewCLIInProcess(t, providerFactoriesWithEnv(providerEnv), src, environ...)
			cli.MustRun("init", "-input=false")
			got := planSummary(t, cli.MustRun("plan", "-input=false", "-json", "-out=tfplan"))
			if !want.matches(got) {
				t.Errorf("the first plan of the example: %s, want %s", got, want)
			}
			cli.MustRun("apply", "-input=false", "tfplan")
			if fixture.after != nil {
				if err := fixture.after(env)(nil); err != nil {
					t.Error(err)
				}
			}
			for _, refresh := range []string{"-refresh=false", "-refresh=true"} {
				if out, code := cli.Run("plan", "-input=false", "-detailed-exitcode", refresh); code != 0 {
					t.Errorf("the plan after the apply (%s) is not empty (exit %d):\n%s", refresh, code, acctest.Tail(out))
				}
			}
			cli.MustRun("destroy", "-input=false", "-auto-approve")
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

// changeSummary is what a plan's machine-readable output (plan -json) sums
// up: what it adds, changes, imports and removes.
// (Outputs counts the outputs it changes, which the summary leaves out.)
type changeSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Import  int `json:"import"`
	Remove  int `json:"remove"`
	Outputs int `json:"-"`
}

func (c changeSummary) String() string {
	if c.Add < 0 {
		return "changes of some kind"
	}
	return fmt.Sprintf("%d to add, %d to change, %d to import, %d to remove, %d outputs changed", c.Add, c.Change, c.Import, c.Remove, c.Outputs)
}

// matches compares a plan's summary with what is wanted, where an Add of -1
// wants a plan that is not empty (as plancheck.ExpectNonEmptyPlan does).
func (c changeSummary) matches(got changeSummary) bool {
	if c.Add < 0 {
		return got != changeSummary{}
	}
	return got == c
}

// planSummary is what `plan -json` output sums up: its change summary, and
// the outputs it plans to change.
func planSummary(t *testing.T, out string) changeSummary {
	t.Helper()
	var sum changeSummary
	found := false
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type    string                             `json:"type"`
			Changes changeSummary                      `json:"changes"`
			Outputs map[string]struct{ Action string } `json:"outputs"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		switch msg.Type {
		case "change_summary":
			outputs := sum.Outputs
			sum, found = msg.Changes, true
			sum.Outputs = outputs
		case "outputs":
			for _, o := range msg.Outputs {
				if o.Action != "noop" {
					sum.Outputs++
				}
			}
		}
	}
	if !found {
		t.Fatalf("the plan printed no change summary:\n%s", acctest.Tail(out))
	}
	return sum
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
