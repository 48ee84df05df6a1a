package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// secretAs declares the row's secret under the resource name label, with
// extra lines (a lifecycle block, count) inside the block.
func (e scopeEnv) secretAs(label, repo, env, name, extra string) string {
	envLine := ""
	if e.k.env {
		envLine = fmt.Sprintf("  environment      = %s\n", hclString(env))
	}
	return fmt.Sprintf(`
resource %q %q {
  repository       = %s
%s  secret_name      = %q
  value_wo         = var.value
  value_wo_version = 1
%s}
`, e.k.typeName("_secret"), label, hclString(repo), envLine, name, extra)
}

// hclString quotes s as an HCL string: control characters as \uNNNN, and
// no template sequence.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteString(string(r) + string(r))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// address is the row's secret called name in repository repo (and the test
// environment, for the environment row).
func (e scopeEnv) address(repo, name string) client.Address {
	env := ""
	if e.k.env {
		env = testEnvironment
	}
	return must(e.k.address(testOrg, repo, env, name))
}

// noWritesSince is a check: no request since the fake's log was last reset
// wrote or deleted anything.
func noWritesSince(env *testEnv, what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := env.fake.CountWrites(); n != 0 {
			return fmt.Errorf("%s sent %d writes or deletes, want none", what, n)
		}
		return nil
	}
}

const createBeforeDestroy = "  lifecycle {\n    create_before_destroy = true\n  }\n"

// TestAccAddress_spellingChange: GitHub compares repository, environment and
// secret names case-insensitively, so a change of their case alone names the
// same secret: an update in place that writes nothing, with and without
// create_before_destroy, on every repository and environment type. (It used
// to plan a replacement, whose create-before-destroy apply wrote the secret
// and then deleted it.)
func TestAccAddress_spellingChange(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		value := testPlaintext(t, e.k.name)
		upper := strings.ToUpper(testEnvironment)
		spelt := func(repo, env, name, extra string) string {
			return e.config(e.secretAs("test", repo, env, name, extra))
		}
		inPlace := resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(e.addr(), plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(value, []resource.TestStep{
				{Config: spelt("api", testEnvironment, "cbd", "")},
				{
					PreConfig:        e.fake.ResetRequests,
					Config:           spelt("API", upper, "CBD", createBeforeDestroy),
					ConfigPlanChecks: inPlace,
					Check:            resource.ComposeAggregateTestCheckFunc(noWritesSince(e.testEnv, "a change of case"), e.checkHolds("CBD", value)),
				},
				{
					PreConfig:        e.fake.ResetRequests,
					Config:           spelt("Api", strings.ToLower(testEnvironment), "Cbd", ""),
					ConfigPlanChecks: inPlace,
					Check:            resource.ComposeAggregateTestCheckFunc(noWritesSince(e.testEnv, "a change of case"), e.checkHolds("CBD", value)),
				},
			}),
		})
	})
}

// TestAccAddress_importIdentitySpelling: an import by identity that spells
// the repository, environment and name in another case than the
// configuration imports the same secret and updates the spelling in place,
// writing nothing.
func TestAccAddress_importIdentitySpelling(t *testing.T) {
	t.Parallel()
	scopeTable.importing().run(t, func(t *testing.T, e scopeEnv) {
		e.secrets().PutSecretOutOfBand("ADOPTED", []byte("kept"))
		identity := `repository = "API", secret_name = "adopted"`
		if e.k.env {
			identity += fmt.Sprintf(", environment = %q", strings.ToUpper(testEnvironment))
		}
		config := e.config(strings.Replace(e.secretAs("test", "api", testEnvironment, "ADOPTED", ""), "  value_wo_version = 1\n", "", 1)) +
			fmt.Sprintf("\nimport {\n  to = %s\n  identity = { %s }\n}\n", e.addr(), identity)
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
			Steps: withValue("not written", []resource.TestStep{{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(e.addr(), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(noWritesSince(e.testEnv, "the import"), e.checkHolds("ADOPTED", "kept")),
			}}),
		})
	})
}

// TestAccAddress_unnameable: what GitHub can never name fails at plan, with
// no request, naming the attribute: dot segments (which a URL path resolves
// to another place), control characters, too many characters, a "/" in a
// repository; in configuration and in import ids, on every type.
func TestAccAddress_unnameable(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		bad := e.secretAs("dotdot", "..", testEnvironment, "A", "") + e.secretAs("dot", ".", testEnvironment, "B", "")
		want := times(2, `repository ".." is a path's dot segment`, `repository "." is a path's dot segment`)
		ids := []string{"..:FOO", ".:FOO"}
		if e.k.env {
			bad = e.secretAs("dotdot", "api", "..", "A", "") + e.secretAs("dot", "api", ".", "B", "") +
				e.secretAs("nul", "api", "a\x00b", "C", "") + e.secretAs("newline", "api", "prod\n", "D", "") +
				e.secretAs("long", "api", strings.Repeat("ü", 256), "E", "")
			want = times(5, `environment ".." is a path's dot segment`, `environment "." is a path's dot segment`,
				`environment "a\x00b" holds a control character`, `environment "prod\n" holds a control character`, `has 256 characters`)
			ids = []string{"api:..:FOO", "repo-1:.:FOO", "..:prod:FOO"}
		}
		steps := []resource.TestStep{{Config: e.config(bad), ExpectError: want}}
		for _, id := range ids {
			steps = append(steps, resource.TestStep{
				Config:      e.config(e.secretAs("test", "api", testEnvironment, "FOO", "")) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", e.addr(), id),
				ExpectError: regexp.MustCompile(`(?s)Invalid Import ID.*dot\s+segment`),
			})
		}
		e.test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: withValue("v", steps)}, func(t *testing.T) {
			if n := e.fake.CountRequests(""); n != 0 {
				t.Errorf("%d requests reached the API", n)
			}
		})
	})
}

// phrase matches words however the CLI wraps them.
func phrase(words string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(words)), `\s+`)
}

// times matches n diagnostics, each saying one of what, in any order.
func times(n int, what ...string) *regexp.Regexp {
	for i, w := range what {
		what[i] = phrase(w)
	}
	return regexp.MustCompile(fmt.Sprintf(`(?s)(?:(?:%s).*){%d}`, strings.Join(what, "|"), n))
}

// TestAccAddress_unnameableIdentity: an import identity that names a dot
// segment is refused before any request, naming the identity's attribute.
func TestAccAddress_unnameableIdentity(t *testing.T) {
	t.Parallel()
	e := newScopeEnv(t, scopeKindOf("actions", true))
	for _, identity := range []string{
		`repository = "api", environment = "..", secret_name = "FOO"`,
		fmt.Sprintf(`repository = "..", environment = %q, secret_name = "FOO"`, testEnvironment),
	} {
		acctest.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
			Steps: withValue("v", []resource.TestStep{{
				Config:      e.config(e.secretAs("test", "api", testEnvironment, "FOO", "")) + fmt.Sprintf("\nimport {\n  to = %s\n  identity = { %s }\n}\n", e.addr(), identity),
				ExpectError: regexp.MustCompile(`(?s)in\s+the\s+import\s+identity.*dot\s+segment`),
			}}),
		})
	}
	if n := e.fake.CountRequests(""); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
}

// TestAccAddress_environmentInCharacters: GitHub counts an environment
// name's length in characters: 200 "ü" (400 bytes) is a name it allows, and
// the secret is written there.
func TestAccAddress_environmentInCharacters(t *testing.T) {
	t.Parallel()
	e := newScopeEnv(t, scopeKindOf("actions", true))
	long := strings.Repeat("ü", 200)
	e.fake.AddEnvironment(testOrg, "api", long)
	value := testPlaintext(t, "long environment")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{{
			Config: e.config(e.secretAs("test", "api", long, "TOKEN", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if got, ok := e.fake.Env(testOrg, "api", long).SecretValue("TOKEN"); !ok || string(got) != value {
					return fmt.Errorf("the secret of the environment of 200 characters does not hold the configured value")
				}
				return nil
			},
		}}),
	})
}

// TestAccAddress_oneClaimant: two resources, of any types, whose addresses
// are one secret on GitHub fail at plan with an error naming both, before
// any write: otherwise each apply would restore its own value over the
// other's.
func TestAccAddress_oneClaimant(t *testing.T) {
	t.Parallel()
	clash := regexp.MustCompile(`(?s)Two Resources Manage One Secret`)
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		twice := e.secretAs("one", "api", "x:y", "TOKEN", "") + e.secretAs("two", "API", "X:Y", "token", "")
		if !e.k.env {
			twice = e.secretAs("one", "repo-5", "", "TOKEN", "") + e.secretAs("two", "Repo-5", "", "token", "")
		}
		counted := e.secretAs("counted", "api", testEnvironment, "TOKEN", "  count = 2\n")
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue("v", []resource.TestStep{
				{Config: e.config(twice), ExpectError: regexp.MustCompile(`(?s)Two Resources Manage One Secret.*` +
					regexp.QuoteMeta(e.k.typeName("_secret")) + `\s+with\s+repository\s+=\s+"(?i:repo-5|api)".*` +
					regexp.QuoteMeta(e.k.typeName("_secret")) + `\s+with\s+repository\s+=\s+"(?i:repo-5|api)"`)},
				{Config: e.config(counted), ExpectError: clash},
			}),
		}, func(t *testing.T) {
			if n := e.fake.CountWrites(); n != 0 {
				t.Errorf("%d writes reached the API", n)
			}
		})
	})
	forEachKind(t, func(t *testing.T, e kindEnv) {
		secret := func(label, name, list string) string {
			return strings.Replace(e.secret(name, "selected", 1, nil), `"test"`, `"`+label+`"`, 1) + list
		}
		companion := fmt.Sprintf("\nresource %q \"list\" {\n  secret_name = \"deploy\"\n  selected_repository_ids = []\n}\n", e.k.typeName("_repositories"))
		inline := strings.Replace(e.secret("DEPLOY", "selected", 1, []int64{}), `"test"`, `"inline"`, 1)
		grants := fmt.Sprintf("\nresource %q \"a\" {\n  secret_name = \"DEPLOY\"\n  repository_id = %d\n}\n"+
			"resource %q \"b\" {\n  secret_name = \"deploy\"\n  repository_id = %d\n}\n",
			e.k.typeName("_repository"), e.repoID(0), e.k.typeName("_repository"), e.repoID(0))
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue("v", []resource.TestStep{
				{Config: e.config(secret("one", "deploy", "") + secret("two", "DEPLOY", "")), ExpectError: regexp.MustCompile(
					`(?s)Two Resources Manage One Secret.*` + regexp.QuoteMeta(e.k.typeName("")) + `\s+with\s+secret_name\s+=\s+"deploy".*` +
						regexp.QuoteMeta(e.k.typeName("")) + `\s+with\s+secret_name\s+=\s+"DEPLOY"|` + regexp.QuoteMeta(e.k.typeName("")) +
						`\s+with\s+secret_name\s+=\s+"DEPLOY".*` + regexp.QuoteMeta(e.k.typeName("")) + `\s+with\s+secret_name\s+=\s+"deploy"`)},
				{Config: e.config(inline + companion), ExpectError: clash},
				{Config: e.config(secret("one", "DEPLOY", "") + grants), ExpectError: clash},
			}),
		}, func(t *testing.T) {
			if n := e.testEnv.fake.CountWrites(); n != 0 {
				t.Errorf("%d writes reached the API", n)
			}
		})
	})
}

// TestAccAddress_movesBetweenAddresses: a secret that moves from one resource
// to another in one plan is not two claimants, and is never lost: a moved
// block, a resource block renamed without a moved block (a destroy and a
// create of one secret, in any order), and a for_each key that changes, with
// and without create_before_destroy, all leave the secret on GitHub holding
// the configured value, and the next plan empty. The CLI is driven by hand:
// terraform-plugin-testing cannot read for_each instances back.
func TestAccAddress_movesBetweenAddresses(t *testing.T) {
	t.Parallel()
	tb := scopeTable
	tb.rows = []scopeKind{scopeKindOf("actions", false), scopeKindOf("actions", true)}
	tb.apart(t, func(t *testing.T, e scopeEnv) {
		value := testPlaintext(t, e.k.name)
		typ := e.k.typeName("_secret")
		keyed := func(key, extra string) string {
			return e.config(fmt.Sprintf("locals {\n  names = { %s = \"TOKEN\" }\n}\n", key) +
				strings.Replace(strings.Replace(e.secretAs("each", "api", testEnvironment, "TOKEN", extra),
					`secret_name      = "TOKEN"`, `secret_name      = each.value`, 1),
					"  repository", "  for_each         = local.names\n  repository", 1))
		}
		cli := acctest.NewCLI(t, acctest.BuildProvider(t), e.config(e.secretAs("one", "api", testEnvironment, "TOKEN", "")),
			"TF_VAR_value="+value)
		for _, step := range []struct {
			name, config string
			args         []string
		}{
			{"create", "", nil},
			{"a moved block", e.config(e.secretAs("two", "api", testEnvironment, "token", "") +
				fmt.Sprintf("moved {\n  from = %s.one\n  to   = %s.two\n}\n", typ, typ)), nil},
			{"a renamed block", e.config(e.secretAs("three", "API", testEnvironment, "TOKEN", "")), nil},
			{"a renamed block, created before destroyed", e.config(e.secretAs("four", "api", testEnvironment, "TOKEN", createBeforeDestroy)), nil},
			// Terraform writes the new object, then deletes the old one: the
			// same secret.
			{"a forced replacement, created before destroyed", "", []string{"-replace=" + typ + ".four"}},
			{"a for_each key", keyed("a", ""), nil},
			{"a changed for_each key", keyed("b", ""), nil},
			{"a changed for_each key, created before destroyed", keyed("c", createBeforeDestroy), nil},
			{"a forced replacement of a for_each instance", "", []string{"-replace=" + typ + `.each["c"]`}},
		} {
			if step.config != "" {
				cli.WriteConfig(step.config)
			}
			from := len(e.fake.Requests())
			cli.MustRun(append([]string{"apply", "-auto-approve", "-input=false"}, step.args...)...)
			if err := e.checkHolds("TOKEN", value)(nil); err != nil {
				t.Fatalf("after %s: %v", step.name, err)
			}
			if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
				t.Fatalf("after %s the next plan is not empty (exit %d):\n%s", step.name, code, acctest.Tail(out))
			}
			if step.name == "a moved block" {
				if n := countWrites(e.fake.Requests()[from:]); n != 0 {
					t.Errorf("a moved block sent %d writes", n)
				}
			}
		}
		cli.MustRun("destroy", "-auto-approve", "-input=false")
	})
}

// countWrites counts the requests that are not reads.
func countWrites(reqs []fakegithub.Request) int {
	n := 0
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			n++
		}
	}
	return n
}

// TestAccAddress_redirectedDelete: a redirect that points a delete at another
// secret (here a same-host 307 from one repository's secret to another's) is
// not followed: destroy fails naming both, the other secret is untouched, and
// nothing is sent there.
func TestAccAddress_redirectedDelete(t *testing.T) {
	t.Parallel()
	forEachScope(t, func(t *testing.T, e scopeEnv) {
		other := e.fake.Repo(string(e.k.kind), testOrg, "web")
		if e.k.env {
			e.fake.AddEnvironment(testOrg, "web", testEnvironment)
			other = e.fake.Env(testOrg, "web", testEnvironment)
		}
		other.PutSecretOutOfBand("OTHER", []byte("not to be deleted"))
		config := e.config(e.secretAs("test", "api", testEnvironment, "MOVEME", ""))
		retarget := func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodDelete || !strings.HasSuffix(r.URL.Path, "/secrets/MOVEME") {
				return false
			}
			target := strings.Replace(strings.Replace(r.URL.EscapedPath(), "/repos/acme/api/", "/repos/acme/web/", 1), "/MOVEME", "/OTHER", 1)
			http.Redirect(w, r, target, http.StatusTemporaryRedirect)
			return true
		}
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue("v", []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() { e.interceptWith(retarget) },
					Config:    config,
					Destroy:   true,
					// The delete's error names no resource type: the row's
					// own secret says it is the row's.
					ExpectError: regexp.MustCompile(`(?s)` + phrase(e.address("api", "MOVEME").String()) +
						`.*307.*secret\s+OTHER.*repository\s+acme/web.*not\s+followed`),
				},
				{
					PreConfig: func() {
						e.interceptWith(nil)
						if got, ok := other.SecretValue("OTHER"); !ok || string(got) != "not to be deleted" {
							e.errorf(t, "the secret a redirect pointed the delete at was changed or deleted")
						}
						if _, ok := e.secrets().Secret("MOVEME"); !ok {
							e.errorf(t, "the secret whose delete was redirected is gone")
						}
					},
					Config: config,
				},
			}),
		})
	})
}

// TestAccAddress_orgForcedReplacement: a forced replacement that creates
// before it destroys writes an organization secret (and a repository list)
// and then deletes the old object, which is the same secret: the delete
// sends nothing, and the secret and its list stay.
func TestAccAddress_orgForcedReplacement(t *testing.T) {
	t.Parallel()
	e := newKindEnv(t, actionsKind)
	value := testPlaintext(t, "forced replacement")
	config := e.config(strings.Replace(e.secret("FORCED", "selected", 1, nil), "}\n", createBeforeDestroy+"}\n", 1) +
		fmt.Sprintf("\nresource %q \"list\" {\n  secret_name = %s.secret_name\n  selected_repository_ids = [%d]\n%s}\n",
			e.k.typeName("_repositories"), e.addr(""), e.repoID(1), createBeforeDestroy))
	cli := acctest.NewCLI(t, acctest.BuildProvider(t), config, "TF_VAR_value="+value)
	cli.MustRun("apply", "-auto-approve", "-input=false")
	for _, target := range []string{e.addr(""), e.k.typeName("_repositories") + ".list"} {
		e.testEnv.fake.ResetRequests()
		out := cli.MustRun("apply", "-auto-approve", "-input=false", "-replace="+target)
		if err := e.checkHolds("FORCED", value, "selected", e.repoID(1))(nil); err != nil {
			t.Fatalf("after replacing %s: %v", target, err)
		}
		if !strings.Contains(out, "Secret Kept") {
			t.Errorf("replacing %s: the apply does not say the old object's delete was skipped:\n%s", target, acctest.Tail(out))
		}
		if got, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
			t.Fatalf("after replacing %s the next plan is not empty (exit %d):\n%s", target, code, acctest.Tail(got))
		}
	}
	cli.MustRun("destroy", "-auto-approve", "-input=false")
	if _, ok := e.fake.Secret(testOrg, "FORCED"); ok {
		t.Error("destroy left the secret")
	}
}
