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

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	"resources/ghsecrets_environment_actions_variable":      environmentFixture(),
	"data-sources/ghsecrets_environment_actions_variables":  environmentFixture(),
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
					switch {
					case strings.Contains(name, "ghsecrets_user_codespaces_"):
						value, _ = fake.User().Seal([]byte(value))
					case strings.Contains(name, "private_registr"):
						value, _ = fake.SealForRegistries(examplesOrg, []byte(value))
					default:
						value, _ = fake.Kind(exampleKind(name)).Seal(examplesOrg, []byte(value))
					}
				}
				vars[m[1]] = config.StringVariable(value)
			}
			fixture := exampleFixtures[path.Dir(name)]
			if fixture.before != nil {
				fixture.before(t, env, vars)
			}

			identity := path.Base(name) == "import-by-identity.tf"

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
			if identity {
				identityExample(t, file, src, environ, providerEnv)
				return
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

// identityExample applies the resource.tf beside an import-by-identity
// example, removes the example's target from the state, and plans the
// example's import block with the same resources (Terraform 1.12 and later,
// OpenTofu 1.12): the plan imports exactly the block's target, by the
// identity the created resource has, and adds or removes nothing. The import may plan the value's
// write, as the docs say. The provider reads its settings from providerEnv,
// as in the example's own run.
func identityExample(t *testing.T, file, src string, environ []string, providerEnv map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(file), "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resources := requiredProviders + string(raw)
	for _, m := range variableBlock.FindAllStringSubmatch(resources, -1) {
		if !strings.Contains(m[2], "default") {
			environ = append(environ, "TF_VAR_"+m[1]+"=example value for "+m[1])
		}
	}
	target := importTarget.FindStringSubmatch(src)
	if target == nil {
		t.Fatal("the example has no import block with a target")
	}
	factories := providerFactoriesWithEnv(providerEnv)
	created := acctest.NewCLIInProcess(t, factories, resources, environ...)
	if !cliAtLeast(t, created, "1.12.0") {
		t.Skip("import by identity needs Terraform 1.12 or OpenTofu 1.12 or later")
	}
	created.MustRun("init", "-input=false")
	created.MustRun("apply", "-input=false", "-auto-approve")
	want := identityIn(t, created.MustRun("show", "-json"), "values", target[1])

	// Terraform forgets the resource, and the import block finds it again.
	created.MustRun("state", "rm", target[1])
	created.WriteConfig(resources + strings.TrimPrefix(src, requiredProviders))
	got := planSummary(t, created.MustRun("plan", "-input=false", "-json", "-out=tfplan"))
	if got.Import != 1 || got.Add != 0 || got.Remove != 0 {
		t.Errorf("the plan of the import block: %s, want 1 to import and nothing added or removed", got)
	}
	if id := identityIn(t, created.MustRun("show", "-json", "tfplan"), "importing", target[1]); id != want {
		t.Errorf("%s is imported by identity %s, want the created resource's %s", target[1], id, want)
	}
}

// identityIn is the identity of the resource at addr in show -json output:
// of the state's values (from "values"), or the identity a plan imports it
// by (from "importing").
func identityIn(t *testing.T, out, from, addr string) string {
	t.Helper()
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address  string          `json:"address"`
					Identity json.RawMessage `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Importing struct {
					Identity json.RawMessage `json:"identity"`
				} `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	var found json.RawMessage
	for _, r := range doc.Values.RootModule.Resources {
		if from == "values" && r.Address == addr {
			found = r.Identity
		}
	}
	for _, r := range doc.ResourceChanges {
		if from == "importing" && r.Address == addr {
			found = r.Change.Importing.Identity
		}
	}
	if len(found) == 0 {
		t.Fatalf("show -json holds no identity of %s (%s)", addr, from)
	}
	var v any
	if err := json.Unmarshal(found, &v); err != nil {
		t.Fatal(err)
	}
	norm, _ := json.Marshal(v)
	return string(norm)
}

// cliAtLeast reports whether the working directory's CLI is release least or
// later (OpenTofu reports its own release the same way).
func cliAtLeast(t *testing.T, cli *acctest.Workdir, least string) bool {
	t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(cli.MustRun("version", "-json")), &v); err != nil {
		t.Fatalf("version -json: %v", err)
	}
	have, err := goversion.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("version -json: %v", err)
	}
	return !have.LessThan(goversion.Must(goversion.NewVersion(least)))
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
