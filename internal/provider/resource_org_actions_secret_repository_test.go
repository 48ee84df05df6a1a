package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// secretRepositoryConfig gives each of ids access to the secret secretName
// (an HCL expression), one resource per id at
// ghsecrets_org_actions_secret_repository.rID (the test framework's state
// view does not support for_each).
func secretRepositoryConfig(secretName string, ids ...int64) string {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, `
resource "ghsecrets_org_actions_secret_repository" "r%d" {
  secret_name   = %s
  repository_id = %d
}
`, id, secretName, id)
	}
	return b.String()
}

func secretRepositoryAddr(id int64) string {
	return fmt.Sprintf("ghsecrets_org_actions_secret_repository.r%d", id)
}

// outOfBandSecret creates a selected secret outside Terraform, so only the
// resources under test read its repository list.
func (e *testEnv) outOfBandSecret(name string, ids ...int64) {
	e.fake.PutSecretOutOfBand(testOrg, name, []byte("v"), "selected", ids)
}

// listReads counts the reads of a secret's repository list the fake has seen.
func (e *testEnv) listReads(name string) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == "GET" && strings.EqualFold(r.Path, "/orgs/"+testOrg+"/actions/secrets/"+name+"/repositories") {
			n++
		}
	}
	return n
}

func notInState(addrs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, addr := range addrs {
			if _, ok := s.RootModule().Resources[addr]; ok {
				return fmt.Errorf("%s is still in state", addr)
			}
		}
		return nil
	}
}

func TestAccOrgActionsSecretRepository_createReadDelete(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	repo := env.repoID(1)
	addr := secretRepositoryAddr(repo)
	env.outOfBandSecret("SHARED")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(secretRepositoryConfig(`"shared"`, repo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("SHARED:%d", repo))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_name"), knownvalue.StringExact("shared")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("repository_id"), knownvalue.Int64Exact(repo)),
				},
				Check: env.checkSecret("SHARED", "selected", repo),
			},
			{
				// Only the name's case changes: no replacement.
				Config: env.config(secretRepositoryConfig(`"SHARED"`, repo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_name"), knownvalue.StringExact("SHARED")),
				},
				Check: env.checkSecret("SHARED", "selected", repo),
			},
			{
				// Another repository replaces the resource.
				Config: env.config(secretRepositoryConfig(`"SHARED"`, env.repoID(2))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(secretRepositoryAddr(env.repoID(2)), plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkSecret("SHARED", "selected", env.repoID(2)),
			},
			{
				// Removing the resource takes the access away and keeps the secret.
				Config: env.config(""),
				Check:  env.checkSecret("SHARED", "selected"),
			},
		},
	})
}

// TestAccOrgActionsSecretRepository_withManagedSecret wires the resource to a
// secret Terraform creates in the same apply.
func TestAccOrgActionsSecretRepository_withManagedSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	repo := env.repoID(0)
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue("v", []resource.TestStep{{
			Config: env.config(secretConfig("MANAGED", "selected", 1) +
				secretRepositoryConfig("ghsecrets_org_actions_secret.test.secret_name", repo)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(secretRepositoryAddr(repo), tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("MANAGED:%d", repo))),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkSecret("MANAGED", "selected", repo),
				env.checkSecretPuts("MANAGED", 1),
			),
		}}),
	})
}

func TestAccOrgActionsSecretRepository_nonAuthoritative(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api, web, worker := env.repoID(0), env.repoID(1), env.repoID(2)
	env.outOfBandSecret("PARTLY")
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(secretRepositoryConfig(`"PARTLY"`, api, web)),
				Check:  env.checkSecret("PARTLY", "selected", api, web),
			},
			{
				// A repository added outside Terraform is nobody's business here.
				PreConfig: func() { env.fake.SetSelectedRepositoriesOutOfBand(testOrg, "PARTLY", []int64{api, web, worker}) },
				Config:    env.config(secretRepositoryConfig(`"PARTLY"`, api, web)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.checkSecret("PARTLY", "selected", api, web, worker),
			},
			{
				// Destroying one association leaves the other and the outsider.
				Config: env.config(secretRepositoryConfig(`"PARTLY"`, web)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretRepositoryAddr(api), plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(secretRepositoryAddr(web), plancheck.ResourceActionNoop),
					},
				},
				Check: env.checkSecret("PARTLY", "selected", web, worker),
			},
		},
		CheckDestroy: env.checkSecret("PARTLY", "selected", worker),
	})
}

func TestAccOrgActionsSecretRepository_removedOutOfBand(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api, web := env.repoID(0), env.repoID(1)
	env.outOfBandSecret("DRIFTING")
	cfg := env.config(secretRepositoryConfig(`"DRIFTING"`, api, web))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.checkSecret("DRIFTING", "selected", api, web)},
			{
				PreConfig: func() { env.fake.SetSelectedRepositoriesOutOfBand(testOrg, "DRIFTING", []int64{web}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(secretRepositoryAddr(api), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(secretRepositoryAddr(web), plancheck.ResourceActionNoop),
					},
				},
				Check: env.checkSecret("DRIFTING", "selected", api, web),
			},
			{
				// The secret itself gone: both leave state and are planned again.
				PreConfig:          func() { env.fake.DeleteSecretOutOfBand(testOrg, "DRIFTING") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              notInState(secretRepositoryAddr(api), secretRepositoryAddr(web)),
			},
			{
				PreConfig: func() { env.outOfBandSecret("DRIFTING") },
				Config:    cfg,
				Check:     env.checkSecret("DRIFTING", "selected", api, web),
			},
		},
	})
}

func TestAccOrgActionsSecretRepository_secretNotSelected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api := env.repoID(0)
	env.outOfBandSecret("WIDENED")
	cfg := env.config(secretRepositoryConfig(`"WIDENED"`, api))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.checkSecret("WIDENED", "selected", api)},
			{
				// Made visible to all outside Terraform: the access leaves state (with a
				// warning, see TestOrgActionsSecretRepositoryRead).
				PreConfig: func() {
					env.fake.PutSecretOutOfBand(testOrg, "WIDENED", []byte("v"), "all", nil)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              notInState(secretRepositoryAddr(api)),
			},
			{
				// Adding it again fails until the secret is selected again, and says how to fix it.
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Secret Is Not Selected.*repository\s+` + fmt.Sprint(api) +
					`.*WIDENED.*visibility\s+is\s+"all".*visibility\s+=\s+"selected"`),
			},
			{
				PreConfig: func() { env.outOfBandSecret("WIDENED") },
				Config:    cfg,
				Check:     env.checkSecret("WIDENED", "selected", api),
			},
		},
	})
}

func TestAccOrgActionsSecretRepository_import(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api, web := env.repoID(0), env.repoID(1)
	env.outOfBandSecret("IMPORTED", web)
	cfg := env.config(secretRepositoryConfig(`"IMPORTED"`, api))
	addr := secretRepositoryAddr(api)
	importStep := func(id string, ignore ...string) resource.TestStep {
		return resource.TestStep{
			Config:                               cfg,
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateId:                        id,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "id",
			ImportStateVerifyIgnore:              ignore,
		}
	}
	badImport := func(id, want string) resource.TestStep {
		return resource.TestStep{
			Config:        cfg,
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(want),
		}
	}
	const form = `(?s)Invalid Import ID.*SECRET_NAME:REPOSITORY_ID.*`
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.checkSecret("IMPORTED", "selected", api, web)},
			importStep(fmt.Sprintf("IMPORTED:%d", api)),
			// The import keeps the name as given; everything else must match.
			importStep(fmt.Sprintf("imported:%d", api), "secret_name"),
			badImport("IMPORTED", form+`no\s+colon`),
			badImport(fmt.Sprintf("1PASSWORD:%d", api), form+`secret\s+GitHub\s+could\s+name.*starts\s+with\s+a\s+digit`),
			badImport("IMPORTED:web", form+`repository\s+id`),
			badImport("IMPORTED:0", form+`repository\s+id`),
			badImport("IMPORTED:", form+`repository\s+id`),
			// A repository without access is nothing to import.
			badImport(fmt.Sprintf("IMPORTED:%d", env.repoID(2)), `(?i)non-existent`),
		},
	})
}

// TestAccOrgActionsSecretRepository_oneListReadPerSecret: N associations of a
// secret read its repository list once per run, not N times.
func TestAccOrgActionsSecretRepository_oneListReadPerSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, env.fake.AddRepository(testOrg, fmt.Sprintf("svc-%d", i)).ID)
	}
	env.outOfBandSecret("FANOUT")
	cfg := env.config(secretRepositoryConfig(`"FANOUT"`, ids...))
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.checkSecret("FANOUT", "selected", ids...)},
			{
				PreConfig:    env.fake.ResetRequests,
				RefreshState: true,
				Check: func(*terraform.State) error {
					if n := env.listReads("FANOUT"); n != 1 {
						return fmt.Errorf("refreshing 5 associations read the secret's repository list %d times, want 1", n)
					}
					return nil
				},
			},
		},
	})
}

// TestOrgActionsSecretRepositoryRead covers what acceptance tests cannot see:
// the warning a refresh gives.
func TestOrgActionsSecretRepositoryRead(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	api, web := env.repoID(0), env.repoID(1)
	env.outOfBandSecret("SELECTED", api)
	env.fake.PutSecretOutOfBand(testOrg, "EVERYWHERE", []byte("v"), "all", nil)
	c, err := client.New(client.Config{BaseURL: env.url, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	r := &orgSecretRepositoryResource{kind: actionsKind, data: &providerData{client: c, owner: testOrg}}
	var schemaResp fwresource.SchemaResponse
	r.Schema(t.Context(), fwresource.SchemaRequest{}, &schemaResp)

	tests := []struct {
		name        string
		secret      string
		repo        int64
		wantKept    bool
		wantWarning string
	}{
		{name: "has access", secret: "selected", repo: api, wantKept: true},
		{name: "no access", secret: "SELECTED", repo: web},
		{name: "secret gone", secret: "GONE", repo: api},
		{name: "secret not selected", secret: "everywhere", repo: api,
			wantWarning: `(?s)EVERYWHERE.*visibility "all".*repository \d+ is removed from state.*visibility = "selected"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
			if diags := state.Set(ctx, orgSecretRepositoryModel{
				ID:           types.StringValue("old"),
				SecretName:   types.StringValue(tt.secret),
				RepositoryID: types.Int64Value(tt.repo),
			}); diags.HasError() {
				t.Fatal(diags)
			}
			resp := fwresource.ReadResponse{State: state}
			r.Read(ctx, fwresource.ReadRequest{State: state}, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("Read: %v", resp.Diagnostics)
			}
			if kept := !resp.State.Raw.IsNull(); kept != tt.wantKept {
				t.Fatalf("kept in state = %v, want %v", kept, tt.wantKept)
			}
			if tt.wantKept {
				var got orgSecretRepositoryModel
				resp.State.Get(ctx, &got)
				if want := fmt.Sprintf("SELECTED:%d", tt.repo); got.ID.ValueString() != want || got.SecretName.ValueString() != tt.secret {
					t.Errorf("state = %+v, want id %s and the name as written", got, want)
				}
			}
			warnings := resp.Diagnostics.Warnings()
			if tt.wantWarning == "" {
				if len(warnings) != 0 {
					t.Fatalf("warnings %v, want none", warnings)
				}
				return
			}
			if len(warnings) != 1 || warnings[0].Summary() != "Secret Is Not Selected" ||
				!regexp.MustCompile(tt.wantWarning).MatchString(warnings[0].Detail()) {
				t.Fatalf("warnings %v, want one matching %s", warnings, tt.wantWarning)
			}
		})
	}
}

func TestParseSecretRepositoryID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id       string
		wantName string
		wantRepo int64
		wantErr  string
	}{
		{id: "MY_SECRET:1296269", wantName: "MY_SECRET", wantRepo: 1296269},
		{id: "my_secret:7", wantName: "my_secret", wantRepo: 7},
		{id: "MY_SECRET", wantErr: "no colon"},
		{id: ":7", wantErr: "secret GitHub could name"},
		{id: "GITHUB_TOKEN:7", wantErr: "secret GitHub could name"},
		{id: "MY_SECRET:-7", wantErr: "repository id"},
		{id: "MY_SECRET:7:8", wantErr: "repository id"},
		{id: "MY_SECRET:99999999999999999999", wantErr: "repository id"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			a, repo, diags := parseSecretRepositoryID(actionsKind, &providerData{owner: testOrg}, tt.id)
			name := a.Name()
			if tt.wantErr == "" {
				if diags.HasError() || name != tt.wantName || repo != tt.wantRepo {
					t.Fatalf("= %q, %d, %v; want %q, %d", name, repo, diags, tt.wantName, tt.wantRepo)
				}
				return
			}
			if !diags.HasError() {
				t.Fatalf("= %q, %d; want an error", name, repo)
			}
			detail := diags.Errors()[0].Detail()
			if !strings.Contains(detail, tt.wantErr) || !strings.Contains(detail, "SECRET_NAME:REPOSITORY_ID") ||
				!strings.Contains(detail, fmt.Sprintf("%q", tt.id)) {
				t.Fatalf("detail %q, want the expected form, the id and %q", detail, tt.wantErr)
			}
		})
	}
}
