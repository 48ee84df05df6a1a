package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// kindEnv is a test environment seen through one kind of secret.
type kindEnv struct {
	*testEnv
	k    orgKind
	fake fakegithub.KindSecrets
}

func newKindEnv(t *testing.T, k orgKind) kindEnv {
	t.Helper()
	env := newTestEnv(t)
	return kindEnv{testEnv: env, k: k, fake: env.fake.Kind(k.name)}
}

func (e kindEnv) addr(suffix string) string { return e.k.typeName(suffix) + ".test" }

// secret declares the kind's secret; ids nil leaves the list to companions.
func (e kindEnv) secret(name, visibility string, version int, ids []int64) string {
	list := ""
	if ids != nil {
		list = fmt.Sprintf("  selected_repository_ids = %s\n", hclInts(ids))
	}
	return fmt.Sprintf(`
resource %q "test" {
  secret_name      = %q
  visibility       = %q
  value_wo         = var.value
  value_wo_version = %d
%s}
`, e.k.typeName(""), name, visibility, version, list)
}

func hclInts(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// checkHolds asserts what GitHub holds for the kind's secret: the plaintext
// its key opens to, the visibility and the list; and that no other kind
// holds a secret of that name.
func (e kindEnv) checkHolds(name, value, visibility string, ids ...int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := e.fake.SecretValue(testOrg, name)
		if !ok {
			return fmt.Errorf("%s secret %s does not exist on the fake", e.k.name, name)
		}
		if string(got) != value {
			return fmt.Errorf("%s secret %s holds a value of %d bytes that is not the configured one", e.k.name, name, len(got))
		}
		info, _ := e.fake.Secret(testOrg, name)
		want := slices.Clone(ids)
		slices.Sort(want)
		if info.Visibility != visibility || (len(want)+len(info.SelectedRepositoryIDs) > 0 && !slices.Equal(info.SelectedRepositoryIDs, want)) {
			return fmt.Errorf("%s secret %s: visibility %q list %v, want %q %v", e.k.name, name, info.Visibility, info.SelectedRepositoryIDs, visibility, want)
		}
		for _, other := range orgKinds {
			if other.name == e.k.name {
				continue
			}
			if _, ok := e.testEnv.fake.Kind(other.name).Secret(testOrg, name); ok {
				return fmt.Errorf("a %s secret %s exists too: the %s resource wrote to the wrong kind", other.name, name, e.k.name)
			}
		}
		return nil
	}
}

// kindTable is every kind of organization secret, one row each.
var kindTable = rowTable[orgKind, kindEnv]{
	rows: orgKinds, name: func(k orgKind) string { return k.name }, types: orgKind.types,
	prefix: func(k orgKind) string { return "ghsecrets_org_" + k.name + "_" }, newEnv: newKindEnv,
}

// forEachKind runs a scenario for every kind of organization secret, the
// kinds together (see rowTable).
func forEachKind(t *testing.T, scenario func(t *testing.T, e kindEnv)) {
	t.Helper()
	kindTable.run(t, scenario)
}

// types are the kind's resource types.
func (k orgKind) types() []string {
	return []string{k.typeName(""), k.typeName("_repositories"), k.typeName("_repository")}
}

// types is the row's resource type.
func (k scopeKind) types() []string { return []string{k.typeName("_secret")} }

// TestAccKinds_lifecycle: for every kind, create a selected secret with its
// list, restore a value changed outside Terraform, rotate by version,
// change the list alone, import by either spelling, hand the list to the
// companion resource, and destroy; the plaintext on the fake is always the
// configured one, under the kind's own key, and nothing secret reaches state,
// plan or logs.
func TestAccKinds_lifecycle(t *testing.T) {
	t.Parallel()
	forEachKind(t, func(t *testing.T, e kindEnv) {
		first, second := testPlaintext(t, e.k.name+"-first"), testPlaintext(t, e.k.name+"-second")
		a, b, c := e.repoID(0), e.repoID(1), e.repoID(2)
		addr := e.addr("")
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(first, []resource.TestStep{
				{
					Config: e.config(e.secret("registry_token", "selected", 1, []int64{a, b})),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate), acctest.LeakCheck{}},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("REGISTRY_TOKEN")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated_at"), knownvalue.StringRegexp(rfc3339)),
						acctest.LeakCheck{},
					},
					Check: resource.ComposeAggregateTestCheckFunc(e.checkHolds("REGISTRY_TOKEN", first, "selected", a, b), acctest.StateFilesClean()),
				},
				{
					// Someone sets another value in GitHub's UI: the plan
					// writes the configured one again.
					PreConfig: func() {
						e.later()
						e.fake.PutSecretOutOfBand(testOrg, "REGISTRY_TOKEN", []byte("set elsewhere"), "selected", []int64{a, b})
					},
					Config: e.config(e.secret("registry_token", "selected", 1, []int64{a, b})),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", first, "selected", a, b),
				},
				{
					Config:          e.config(e.secret("registry_token", "selected", 2, []int64{a, b})),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.LeakCheck{}},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", second, "selected", a, b),
				},
				{
					// The list alone: one request, the value untouched.
					Config:          e.config(e.secret("registry_token", "selected", 2, []int64{c})),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", second, "selected", c),
				},
				{
					// The visibility alone: GitHub takes it only with a value,
					// so the configured one is sent again.
					Config:          e.config(e.secret("registry_token", "private", 2, nil)),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", second, "private"),
				},
				{
					ResourceName:      addr,
					Config:            e.config(e.secret("registry_token", "private", 2, nil)),
					ConfigVariables:   valueVar(second),
					ImportState:       true,
					ImportStateId:     "registry_token",
					ImportStateVerify: true,
					// The version lives in configuration only, and whether the
					// list is the secret's own or a companion's is the
					// configuration's choice: an import cannot know either.
					ImportStateVerifyIgnore: []string{"value_wo_version", "secret_name", "selected_repository_ids"},
				},
				{
					// The list moves to the authoritative companion.
					Config: e.config(e.secret("REGISTRY_TOKEN", "selected", 2, nil) + fmt.Sprintf(`
resource %q "test" {
  secret_name             = %s.secret_name
  selected_repository_ids = [%d, %d]
}
`, e.k.typeName("_repositories"), addr, a, c)),
					ConfigVariables: valueVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: e.checkHolds("REGISTRY_TOKEN", second, "selected", a, c),
				},
			}),
			CheckDestroy: func(*terraform.State) error {
				if _, ok := e.fake.Secret(testOrg, "REGISTRY_TOKEN"); ok {
					return fmt.Errorf("%s secret still exists after destroy", e.k.name)
				}
				return nil
			},
		})
	})
}

// TestAccKinds_companionsAndData: for every kind, the non-authoritative
// companion adds one repository beside one added outside Terraform, and the
// kind's data sources read the kind's own key and listing.
func TestAccKinds_companionsAndData(t *testing.T) {
	t.Parallel()
	forEachKind(t, func(t *testing.T, e kindEnv) {
		value := testPlaintext(t, e.k.name)
		a, b := e.repoID(0), e.repoID(1)
		keyID, _ := e.fake.PublicKey(testOrg)
		e.fake.PutSecretOutOfBand(testOrg, "ELSEWHERE", []byte("other"), "private", nil)
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: withValue(value, []resource.TestStep{{
				Config: e.config(e.secret("SHARED", "selected", 1, nil) + fmt.Sprintf(`
resource %[1]q "test" {
  secret_name   = %[2]s.secret_name
  repository_id = %[3]d
}

data %[4]q "k" {}

data "ghsecrets_org_%[5]s_secrets" "all" {
  depends_on = [%[2]s]
}
`, e.k.typeName("_repository"), e.addr(""), a, e.k.publicKeyType(), e.k.name)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data."+e.k.publicKeyType()+".k", tfjsonpath.New("key_id"), knownvalue.StringExact(keyID)),
					statecheck.ExpectKnownValue("data.ghsecrets_org_"+e.k.name+"_secrets.all", tfjsonpath.New("secrets"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("ELSEWHERE")}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("SHARED")}),
					})),
					acctest.LeakCheck{},
				},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkHolds("SHARED", value, "selected", a), func(*terraform.State) error {
					// Another repository gets access outside Terraform; the
					// non-authoritative companion leaves it alone.
					e.fake.SetSelectedRepositoriesOutOfBand(testOrg, "SHARED", []int64{a, b})
					return nil
				}),
			}}),
			CheckDestroy: func(*terraform.State) error {
				if _, ok := e.fake.Secret(testOrg, "SHARED"); ok {
					return fmt.Errorf("%s secret still exists after destroy", e.k.name)
				}
				return nil
			},
		})
	})
}

// TestAccKinds_otherKindsKey: a value sealed for another kind's key is
// refused by GitHub, and the error names the kind, the secret, the status
// and GitHub's message; nothing is stored.
func TestAccKinds_otherKindsKey(t *testing.T) {
	t.Parallel()
	forEachKind(t, func(t *testing.T, e kindEnv) {
		other := orgKinds[(slices.IndexFunc(orgKinds, func(k orgKind) bool { return k.name == e.k.name })+1)%len(orgKinds)]
		sealed, keyID := e.testEnv.fake.Kind(other.name).Seal(testOrg, []byte(testPlaintext(t, "wrong-key")))
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{{
				Config: e.config(fmt.Sprintf(`
resource %q "test" {
  secret_name        = "SEALED"
  visibility         = "all"
  encrypted_value_wo = var.value
  key_id             = %q
}
`, e.k.typeName(""), keyID)),
				ConfigVariables: config.Variables{"value": config.StringVariable(sealed)},
				ExpectError: regexp.MustCompile(`(?s)organization ` + regexp.QuoteMeta(e.k.title()) +
					`\s+secret\s+SEALED\s+in\s+acme.*422.*Bad\s+key_id`),
			}},
		}, func(t *testing.T) {
			if n := len(e.fake.Secrets(testOrg)); n != 0 {
				t.Errorf("%d %s secrets stored from a refused write", n, e.k.name)
			}
		})
	})
}

// appKeyFile writes a GitHub App's private key for app_auth's pem_file.
func appKeyFile(t *testing.T) string {
	t.Helper()
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	_, keyPEM := fakegithub.NewAppKey()
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return keyFile
}

// appAuthConfig is the provider configured for the fake at url with
// app_auth, before the resources of a test.
func appAuthConfig(url, keyFile string) string {
	return requiredProviders + fmt.Sprintf(`
provider "ghsecrets" {
  owner    = %q
  base_url = %q
  app_auth {
    id              = "1"
    installation_id = "2"
    pem_file        = %q
  }
}
`, testOrg, url, keyFile)
}

// TestAccKinds_notOnServer: the kinds GitHub Enterprise Server lacks, and
// Codespaces secrets with a GitHub App, fail at plan with a clear error and
// no request.
func TestAccKinds_notOnServer(t *testing.T) {
	t.Parallel()
	keyFile := appKeyFile(t)
	for _, k := range orgKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			secret := fmt.Sprintf("resource %q \"test\" {\n  secret_name = \"X\"\n  visibility = \"all\"\n  value_wo = \"v\"\n}\n", k.typeName(""))
			var steps []resource.TestStep
			if !k.kind.OnGHES() {
				steps = append(steps, resource.TestStep{
					Config:      requiredProviders + providerBlock(testOrg, "", "https://ghes.example.invalid") + secret,
					ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(k.title()) + `\s+Secrets\s+Are\s+Not\s+On\s+GitHub\s+Enterprise\s+Server`),
				})
			}
			if !k.kind.OrgAppsAllowed() {
				steps = append(steps, resource.TestStep{
					Config:      appAuthConfig(env.url, keyFile) + secret,
					ExpectError: regexp.MustCompile(`(?s)GitHub\s+does\s+not\s+let\s+GitHub\s+Apps\s+manage\s+organization\s+` + k.title()),
				})
			}
			if len(steps) == 0 {
				if !k.kind.OnGHES() || !k.kind.OrgAppsAllowed() {
					t.Fatal("no step for a kind with a restriction")
				}
				return // the kind is on every server and open to Apps
			}
			acctest.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
			if n := env.fake.CountRequests(""); n != 0 {
				t.Errorf("%d requests reached the API", n)
			}
		})
	}
}

// TestAccKinds_ghesAnswers: a server that says it is GitHub Enterprise
// Server, on an address that does not (loopback), gets the kinds it lacks
// refused with an error that says why, not a bare 404.
func TestAccKinds_ghesAnswers(t *testing.T) {
	t.Parallel()
	env := serveFake(t, fakegithub.Options{GHES: true}, nil, nil)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "ghsecrets_org_agents_secret" "test" {
  secret_name = "X"
  visibility  = "all"
  value_wo    = "v"
}
`),
			ExpectError: regexp.MustCompile(`(?s)GitHub\s+Enterprise\s+Server\s+3\.19\.0\s+has\s+no\s+Copilot\s+coding\s+agent\s+secrets`),
		}},
	})
}

// TestKindTable: every kind of the client has a row, with type names that
// follow the pattern, and the rules agree with the fake's answers.
func TestKindTable(t *testing.T) {
	t.Parallel()
	var names []string
	for _, k := range orgKinds {
		names = append(names, string(k.kind))
		if k.name != string(k.kind) || k.typeName("_repository") != "ghsecrets_org_"+k.name+"_secret_repository" {
			t.Errorf("row %+v does not follow the naming pattern", k)
		}
		if k.permission == "" || k.usedBy == "" {
			t.Errorf("row %s lacks its documentation", k.name)
		}
		// What the client knows of GHES is what GHES 3.19's description says.
		for _, template := range []string{"/orgs/{org}/%s/secrets", "/orgs/{org}/%s/secrets/{secret_name}"} {
			if got, want := k.kind.OnGHES(), apispec.OnGHES("PUT", fmt.Sprintf(template, k.name)) ||
				apispec.OnGHES("GET", fmt.Sprintf(template, k.name)); got != want {
				t.Errorf("%s: OnGHES() = %v, but GHES 3.19's description says %v for %s", k.name, got, want, template)
			}
		}
	}
	var want []string
	for _, k := range client.Kinds {
		want = append(want, string(k))
	}
	if !slices.Equal(names, want) {
		t.Errorf("kinds %v, want a row for each of %v", names, want)
	}
}

// TestAccKinds_identity runs the identity scenario (testIdentity) for the
// secret, the list and the single access of every kind.
func TestAccKinds_identity(t *testing.T) {
	t.Parallel()
	type kindType struct {
		k      orgKind
		suffix string
	}
	type kindTypeEnv struct {
		kindEnv
		suffix string
	}
	var rows []kindType
	for _, k := range orgKinds {
		for _, suffix := range []string{"", "_repositories", "_repository"} {
			rows = append(rows, kindType{k, suffix})
		}
	}
	// Each kind's types declare the kind's secret: the kinds run together,
	// one run for each type of companion.
	rowTable[kindType, kindTypeEnv]{
		rows:              rows,
		name:              func(r kindType) string { return r.k.typeName(r.suffix) },
		types:             func(r kindType) []string { return []string{r.k.typeName(r.suffix)} },
		prefix:            func(r kindType) string { return "ghsecrets_org_" + r.k.name + "_" },
		group:             func(r kindType) string { return "secret" + r.suffix },
		newEnv:            func(t *testing.T, r kindType) kindTypeEnv { return kindTypeEnv{newKindEnv(t, r.k), r.suffix} },
		importsByIdentity: true,
	}.run(t, func(t *testing.T, e kindTypeEnv) {
		other := orgKinds[(slices.IndexFunc(orgKinds, func(k orgKind) bool { return k.name == e.k.name })+1)%len(orgKinds)]
		secret := func(visibility string) string {
			return fmt.Sprintf("resource %q \"test\" {\n  secret_name = \"REGISTRY_TOKEN\"\n  visibility  = %q\n  value_wo    = var.value\n}\n",
				e.k.typeName(""), visibility)
		}
		c := identityCase{
			env: e.testEnv, config: secret("selected"), addr: e.addr(e.suffix), importID: "REGISTRY_TOKEN",
			identity: map[string]knownvalue.Check{
				"organization": knownvalue.StringExact(testOrg),
				"kind":         knownvalue.StringExact(e.k.name),
				"secret_name":  knownvalue.StringExact("REGISTRY_TOKEN"),
			},
			required: `secret_name = "REGISTRY_TOKEN"`,
			wrong:    fmt.Sprintf(`organization = "other-org", kind = %q, secret_name = "REGISTRY_TOKEN"`, other.name),
		}
		switch e.suffix {
		case "_repositories":
			c.config += fmt.Sprintf("resource %q \"test\" {\n  secret_name             = %s.secret_name\n  selected_repository_ids = [%d]\n}\n",
				e.k.typeName(e.suffix), e.addr(""), e.repoID(0))
		case "_repository":
			c.config += fmt.Sprintf("resource %q \"test\" {\n  secret_name   = %s.secret_name\n  repository_id = %d\n}\n",
				e.k.typeName(e.suffix), e.addr(""), e.repoID(0))
			c.identity["repository_id"] = knownvalue.Int64Exact(e.repoID(0))
			c.required += fmt.Sprintf(", repository_id = %d", e.repoID(0))
			c.wrong += fmt.Sprintf(", repository_id = %d", e.repoID(0))
			c.importID += fmt.Sprintf(":%d", e.repoID(0))
		}
		testIdentity(t, c)
	})
}
