package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// upgradeFixture is state an earlier release wrote, with what the fake held
// then (see internal/upgradefixtures, which writes them).
type upgradeFixture struct {
	Release string            `json:"release"`
	Moment  string            `json:"moment"`
	Config  string            `json:"config"`
	Values  map[string]string `json:"values"`
	Drifted []string          `json:"drifted"`
	Secrets []struct {
		Name         string    `json:"name"`
		Visibility   string    `json:"visibility"`
		CreatedAt    time.Time `json:"created_at"`
		UpdatedAt    time.Time `json:"updated_at"`
		Repositories []int64   `json:"repositories"`
		Value        string    `json:"value"`
	} `json:"secrets"`
	State json.RawMessage `json:"state"`
}

func loadUpgradeFixtures(t *testing.T) map[string]upgradeFixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "upgrade", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no upgrade fixtures under testdata/upgrade (%v)", err)
	}
	out := map[string]upgradeFixture{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f upgradeFixture
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[filepath.Join(filepath.Base(filepath.Dir(p)), f.Moment)] = f
	}
	return out
}

// serve makes a fresh fake hold what the fixture's fake held, and returns a
// terraform working directory with the fixture's configuration and state.
func (f upgradeFixture) serve(t *testing.T) (*testEnv, *acctest.Workdir) {
	t.Helper()
	env := newTestEnv(t)
	for _, s := range f.Secrets {
		env.fake.RestoreSecret(testOrg, fakegithub.SecretInfo{Name: s.Name, Visibility: s.Visibility,
			CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, SelectedRepositoryIDs: s.Repositories}, []byte(s.Value))
		acctest.Watch("a configured plaintext", s.Value)
	}
	vars, err := json.Marshal(f.Values)
	if err != nil {
		t.Fatal(err)
	}
	cli := acctest.NewCLI(t, acctest.BuildProvider(t), f.Config,
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url, "TF_VAR_values="+string(vars))
	if err := os.WriteFile(filepath.Join(cli.Dir, "terraform.tfstate"), f.State, 0o600); err != nil {
		t.Fatal(err)
	}
	return env, cli
}

// TestAccUpgradeFromEarlierState: state written by an earlier release plans
// no change, not even an update, where nothing changed on GitHub; a value
// change the earlier release had recorded still plans its restore; and a value
// changed after the upgrade is told apart from the earlier release's own
// writes.
func TestAccUpgradeFromEarlierState(t *testing.T) {
	t.Parallel()
	for name, f := range loadUpgradeFixtures(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env, cli := f.serve(t)

			out, code := cli.Run("plan", "-detailed-exitcode", "-input=false", "-json")
			switch {
			case len(f.Drifted) == 0 && code != 0:
				t.Fatalf("plan over %s state exited %d, want 0 (no changes):\n%s", f.Moment, code, acctest.Tail(out))
			case len(f.Drifted) > 0 && code != 2:
				t.Fatalf("plan over %s state exited %d, want 2 (changes):\n%s", f.Moment, code, acctest.Tail(out))
			}
			checkPlannedRestores(t, out, f.Drifted)

			// Apply writes the drifted values over; then the state is this
			// release's, with no key the earlier release wrote.
			cli.MustRun("apply", "-auto-approve", "-input=false")
			for name, want := range f.Values {
				if got, _ := env.fake.SecretValue(testOrg, name); string(got) != want {
					t.Errorf("after apply, %s holds a value that is not the configured one", name)
				}
			}
			checkUpgradedState(t, cli)
			if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
				t.Fatalf("plan after the apply exited %d, want 0:\n%s", code, acctest.Tail(out))
			}

			// A change outside Terraform after the upgrade is seen.
			env.later()
			env.fake.PutSecretOutOfBand(testOrg, "FIX_PRIVATE", []byte("changed after the upgrade"), "private", nil)
			out, code = cli.Run("plan", "-detailed-exitcode", "-input=false", "-json")
			if code != 2 {
				t.Fatalf("plan after a change outside Terraform exited %d, want 2:\n%s", code, acctest.Tail(out))
			}
			checkPlannedRestores(t, out, []string{"FIX_PRIVATE"})
			cli.CheckStateFiles()
		})
	}
}

// checkPlannedRestores asserts that a plan's machine-readable output (-json)
// updates exactly the secrets named, each with the drift warning, and
// creates, replaces or destroys nothing.
func checkPlannedRestores(t *testing.T, out string, names []string) {
	t.Helper()
	var warned, updated []string
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
			Change struct {
				Action   string `json:"action"`
				Resource struct {
					Addr string `json:"addr"`
				} `json:"resource"`
			} `json:"change"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		switch {
		case msg.Type == "diagnostic" && msg.Diagnostic.Summary == "Secret Value Changed Outside Terraform":
			for _, name := range names {
				if strings.Contains(msg.Diagnostic.Detail, "organization Actions secret "+name+" in ") &&
					strings.Contains(msg.Diagnostic.Detail, "was changed outside Terraform") {
					warned = append(warned, name)
				}
			}
		case msg.Type == "diagnostic" && msg.Diagnostic.Severity == "error":
			t.Errorf("plan error: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
		case msg.Type == "planned_change" && msg.Change.Action == "update":
			updated = append(updated, msg.Change.Resource.Addr)
		case msg.Type == "planned_change":
			t.Errorf("the plan would %s %s", msg.Change.Action, msg.Change.Resource.Addr)
		}
	}
	slices.Sort(warned)
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(warned, want) {
		t.Errorf("drift warnings for %v, want %v", warned, want)
	}
	if len(updated) != len(names) {
		t.Errorf("the plan updates %v, want the %d secrets %v", updated, len(names), names)
	}
}

// checkUpgradedState asserts that every secret's state is of the current
// schema version, with on_value_drift set and one drift record as its only
// drift key; and, with a terraform that keeps identities (1.12 and later),
// that every resource has its identity, which the earlier release's state
// lacked.
func checkUpgradedState(t *testing.T, cli *acctest.Workdir) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				SchemaVersion int            `json:"schema_version"`
				Attributes    map[string]any `json:"attributes"`
				Identity      map[string]any `json:"identity"`
				Private       string         `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	identities := cliKeepsIdentity(t, cli)
	secrets := 0
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			if identities {
				checkUpgradedIdentity(t, r.Type, in.Attributes["id"], in.Identity)
			}
		}
		if r.Type != "ghsecrets_org_actions_secret" {
			continue
		}
		for _, in := range r.Instances {
			secrets++
			if in.SchemaVersion != secretSchemaVersion || in.Attributes["on_value_drift"] != "restore" {
				t.Errorf("%v: schema version %d, on_value_drift %v", in.Attributes["id"], in.SchemaVersion, in.Attributes["on_value_drift"])
			}
			private, err := base64.StdEncoding.DecodeString(in.Private)
			if err != nil {
				t.Fatal(err)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(private, &keys); err != nil {
				t.Fatalf("%v: private state: %v", in.Attributes["id"], err)
			}
			for _, legacy := range []string{legacyRepositoryIDs, legacyValueDrift, legacyWriteBound} {
				if _, ok := keys[legacy]; ok {
					t.Errorf("%v: private state still has %q", in.Attributes["id"], legacy)
				}
			}
			var record []byte // the framework keeps each key's JSON as base64
			var head struct {
				V int `json:"v"`
			}
			if err := json.Unmarshal(keys[privateDriftRecord], &record); err != nil || record == nil {
				t.Errorf("%v: private state has no drift record (%v): %v", in.Attributes["id"], err, slices.Sorted(maps.Keys(keys)))
			} else if json.Unmarshal(record, &head) != nil || head.V != drift.Version {
				t.Errorf("%v: drift record %s is not in this release's format (version %d)", in.Attributes["id"], record, drift.Version)
			}
		}
	}
	if secrets == 0 {
		t.Fatal("no ghsecrets_org_actions_secret in the state")
	}
}

// cliKeepsIdentity reports whether the CLI keeps resource identities in state.
func cliKeepsIdentity(t *testing.T, cli *acctest.Workdir) bool {
	t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(cli.MustRun("version", "-json")), &v); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return major > 1 || (major == 1 && minor >= 12)
}

// checkUpgradedIdentity asserts the identity of a resource of the fixtures,
// all Actions resources in the test organization, from its id.
func checkUpgradedIdentity(t *testing.T, typeName string, id any, identity map[string]any) {
	t.Helper()
	name, repoID, _ := strings.Cut(fmt.Sprint(id), ":")
	want := map[string]any{"organization": testOrg, "kind": "actions", "secret_name": name}
	if typeName == "ghsecrets_org_actions_secret_repository" {
		n, _ := strconv.ParseInt(repoID, 10, 64)
		want["repository_id"] = float64(n)
	}
	if !maps.Equal(identity, want) {
		t.Errorf("%s %v: identity %v, want %v", typeName, id, identity, want)
	}
}

// TestUpgradeSecretStateV0 drives the schema upgrade at the protocol level:
// version 0 state gains on_value_drift = "restore", and nothing else moves.
func TestUpgradeSecretStateV0(t *testing.T) {
	t.Parallel()
	server, ctx := protocolServer(t)
	v0 := `{"created_at":"2026-11-29T02:15:16Z","encrypted_value_wo":null,"id":"FIX_ALL","key_id":null,` +
		`"secret_name":"FIX_ALL","selected_repository_ids":[3,1],"updated_at":"2026-11-29T02:15:16Z","value_wo":null,` +
		`"value_wo_version":1,"visibility":"selected"}`
	resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "ghsecrets_org_actions_secret", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(v0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %+v", resp.Diagnostics[0])
	}
	v, err := resp.UpgradedState.Unmarshal(secretObjectType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"id": "FIX_ALL", "secret_name": "FIX_ALL", "visibility": "selected",
		"created_at": "2026-11-29T02:15:16Z", "updated_at": "2026-11-29T02:15:16Z", "on_value_drift": "restore"}
	for name, w := range want {
		var got string
		if err := attrs[name].As(&got); err != nil || got != w {
			t.Errorf("%s = %q (%v), want %q", name, got, err, w)
		}
	}
	var ids []tftypes.Value
	if err := attrs["selected_repository_ids"].As(&ids); err != nil || len(ids) != 2 {
		t.Errorf("selected_repository_ids = %v (%v), want two ids", ids, err)
	}

	garbage, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "ghsecrets_org_actions_secret", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(`[1]`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(garbage.Diagnostics) != 1 || !strings.Contains(garbage.Diagnostics[0].Detail, "terraform state rm") {
		t.Errorf("state that is not an object: want one error that says what to do, got %+v", garbage.Diagnostics)
	}
}
