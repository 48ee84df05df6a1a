package provider

import (
	"context"
	"encoding/json"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

const (
	movedPlaintext  = "moved-plaintext-do-not-keep"
	movedCiphertext = "bW92ZWQtY2lwaGVydGV4dC1kby1ub3Qta2VlcC0xMjM0NTY3ODkwMTIzNDU2Nzg5MA=="
	// githubTime is how integrations/github keeps GitHub's times: Go's
	// default form of a time.
	githubCreated = "2026-11-23 21:18:49 +0000 UTC"
	githubUpdated = "2026-11-23 21:18:52 +0000 UTC"
)

// moveCase is one source state, as integrations/github writes it, and what
// the target's state must hold after the move.
type moveCase struct {
	source  string
	version int64
	raw     string
	target  string
	want    map[string]any
	// warned: the source held a value, so the move warns.
	warned bool
}

// moveCases cover every source type and every schema version it has had.
func moveCases() []moveCase {
	org := func(name, visibility string, ids []any) map[string]any {
		m := map[string]any{
			"id": strings.ToUpper(name), "secret_name": name, "visibility": visibility, "selected_repository_ids": nil,
			"created_at": "2026-11-23T21:18:49Z", "updated_at": "2026-11-23T21:18:52Z",
			"value_wo": nil, "encrypted_value_wo": nil, "key_id": nil, "value_wo_version": nil, "on_value_drift": "restore",
		}
		if ids != nil {
			m["selected_repository_ids"] = ids
		}
		return m
	}
	repo := func(id, repository, name string) map[string]any {
		return map[string]any{
			"id": id, "repository": repository, "secret_name": name,
			"created_at": "2026-11-23T21:18:49Z", "updated_at": "2026-11-23T21:18:52Z",
			"value_wo": nil, "encrypted_value_wo": nil, "key_id": nil, "value_wo_version": nil, "on_value_drift": "restore",
		}
	}
	env := func(id, repository, environment, name string) map[string]any {
		m := repo(id, repository, name)
		m["environment"] = environment
		return m
	}
	list := func(name string, ids []any) map[string]any {
		return map[string]any{"id": strings.ToUpper(name), "secret_name": name, "selected_repository_ids": ids}
	}
	grant := func(name string, id int64) map[string]any {
		return map[string]any{"id": strings.ToUpper(name) + ":" + big.NewInt(id).String(), "secret_name": name, "repository_id": id}
	}
	return []moveCase{
		{
			source: "github_actions_organization_secret", version: 0, target: "ghsecrets_org_actions_secret", warned: true,
			raw: `{"id":"NPM_TOKEN","secret_name":"NPM_TOKEN","visibility":"selected","selected_repository_ids":[1296270,1296269],` +
				`"plaintext_value":"` + movedPlaintext + `","encrypted_value":"","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: org("NPM_TOKEN", "selected", []any{int64(1296269), int64(1296270)}),
		},
		{
			source: "github_actions_organization_secret", version: 1, target: "ghsecrets_org_actions_secret", warned: true,
			raw: `{"id":"NPM_TOKEN","secret_name":"npm_token","visibility":"all","selected_repository_ids":[],"destroy_on_drift":true,` +
				`"key_id":"568250167242549743","remote_updated_at":"` + githubUpdated + `","value":null,"value_encrypted":null,` +
				`"plaintext_value":"","encrypted_value":"` + movedCiphertext + `","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: org("npm_token", "all", nil),
		},
		{
			source: "github_actions_organization_secret_repositories", version: 0, target: "ghsecrets_org_actions_secret_repositories",
			raw:  `{"id":"DEPLOY_KEY","secret_name":"DEPLOY_KEY","selected_repository_ids":[1296271,1296269]}`,
			want: list("DEPLOY_KEY", []any{int64(1296269), int64(1296271)}),
		},
		{
			source: "github_actions_organization_secret_repository", version: 0, target: "ghsecrets_org_actions_secret_repository",
			raw:  `{"id":"DEPLOY_KEY:1296271","secret_name":"DEPLOY_KEY","repository_id":1296271}`,
			want: grant("DEPLOY_KEY", 1296271),
		},
		{
			source: "github_dependabot_organization_secret", version: 0, target: "ghsecrets_org_dependabot_secret", warned: true,
			raw: `{"id":"REGISTRY_TOKEN","secret_name":"REGISTRY_TOKEN","visibility":"selected","selected_repository_ids":[],` +
				`"key_id":"568250167242549743","remote_updated_at":"` + githubUpdated + `","value":"` + movedPlaintext + `","value_encrypted":null,` +
				`"plaintext_value":null,"encrypted_value":null,"created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: org("REGISTRY_TOKEN", "selected", nil),
		},
		{
			source: "github_dependabot_organization_secret_repositories", version: 0, target: "ghsecrets_org_dependabot_secret_repositories",
			raw:  `{"id":"REGISTRY_TOKEN","secret_name":"REGISTRY_TOKEN","selected_repository_ids":[]}`,
			want: list("REGISTRY_TOKEN", []any{}),
		},
		{
			source: "github_dependabot_organization_secret_repository", version: 0, target: "ghsecrets_org_dependabot_secret_repository",
			raw:  `{"id":"REGISTRY_TOKEN:1296269","secret_name":"REGISTRY_TOKEN","repository_id":1296269}`,
			want: grant("REGISTRY_TOKEN", 1296269),
		},
		{
			source: "github_codespaces_organization_secret", version: 0, target: "ghsecrets_org_codespaces_secret", warned: true,
			raw: `{"id":"DEV_TOKEN","secret_name":"DEV_TOKEN","visibility":"private","selected_repository_ids":[],` +
				`"plaintext_value":"` + movedPlaintext + `","encrypted_value":null,"created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: org("DEV_TOKEN", "private", nil),
		},
		{
			// A user's secret has no visibility in integrations/github; its list, when it holds one, moves with it.
			source: "github_codespaces_user_secret", version: 0, target: "ghsecrets_user_codespaces_secret", warned: true,
			raw: `{"id":"DEV_TOKEN","secret_name":"DEV_TOKEN","selected_repository_ids":[1296270,1296269],` +
				`"plaintext_value":"` + movedPlaintext + `","encrypted_value":null,"created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: org("DEV_TOKEN", "selected", []any{int64(1296269), int64(1296270)}),
		},
		{
			source: "github_codespaces_organization_secret_repositories", version: 0, target: "ghsecrets_org_codespaces_secret_repositories",
			raw:  `{"id":"DEV_TOKEN","secret_name":"DEV_TOKEN","selected_repository_ids":[1296269]}`,
			want: list("DEV_TOKEN", []any{int64(1296269)}),
		},
		{
			source: "github_actions_secret", version: 0, target: "ghsecrets_repository_actions_secret", warned: true,
			raw: `{"id":"api:DEPLOY","repository":"api","secret_name":"DEPLOY","plaintext_value":"` + movedPlaintext + `",` +
				`"encrypted_value":"","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:DEPLOY", "api", "DEPLOY"),
		},
		{
			source: "github_actions_secret", version: 1, target: "ghsecrets_repository_actions_secret",
			raw: `{"id":"api:DEPLOY","repository":"api","secret_name":"DEPLOY","plaintext_value":"","encrypted_value":"",` +
				`"destroy_on_drift":true,"created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:DEPLOY", "api", "DEPLOY"),
		},
		{
			source: "github_actions_secret", version: 2, target: "ghsecrets_repository_actions_secret", warned: true,
			raw: `{"id":"api:DEPLOY","repository":"api","repository_id":1296269,"secret_name":"deploy","key_id":"568250167242549743",` +
				`"plaintext_value":null,"encrypted_value":null,"value":null,"value_encrypted":"` + movedCiphertext + `",` +
				`"destroy_on_drift":true,"remote_updated_at":"` + githubUpdated + `","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:DEPLOY", "api", "deploy"),
		},
		{
			source: "github_dependabot_secret", version: 0, target: "ghsecrets_repository_dependabot_secret", warned: true,
			raw: `{"id":"api:NPM","repository":"api","secret_name":"NPM","plaintext_value":"` + movedPlaintext + `",` +
				`"encrypted_value":"","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:NPM", "api", "NPM"),
		},
		{
			source: "github_dependabot_secret", version: 1, target: "ghsecrets_repository_dependabot_secret", warned: true,
			raw: `{"id":"api:NPM","repository":"api","repository_id":1296269,"secret_name":"NPM","key_id":"568250167242549743",` +
				`"plaintext_value":"` + movedPlaintext + `","encrypted_value":null,"value":null,"value_encrypted":null,` +
				`"remote_updated_at":"` + githubUpdated + `","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:NPM", "api", "NPM"),
		},
		{
			source: "github_codespaces_secret", version: 0, target: "ghsecrets_repository_codespaces_secret", warned: true,
			raw: `{"id":"api:DEV","repository":"api","secret_name":"DEV","plaintext_value":"` + movedPlaintext + `",` +
				`"encrypted_value":"","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: repo("api:DEV", "api", "DEV"),
		},
		{
			source: "github_actions_environment_secret", version: 0, target: "ghsecrets_environment_actions_secret", warned: true,
			raw: `{"id":"api:prod eu:TOKEN","repository":"api","environment":"prod eu","secret_name":"TOKEN",` +
				`"plaintext_value":"` + movedPlaintext + `","encrypted_value":"","created_at":"` + githubCreated + `","updated_at":"` + githubUpdated + `"}`,
			want: env("api:prod eu:TOKEN", "api", "prod eu", "TOKEN"),
		},
		{
			source: "github_actions_environment_secret", version: 1, target: "ghsecrets_environment_actions_secret",
			raw: `{"id":"api:prod%20eu:TOKEN","repository":"api","repository_id":1296269,"environment":"prod eu","secret_name":"TOKEN",` +
				`"key_id":"","plaintext_value":"","encrypted_value":"","value":null,"value_encrypted":null,` +
				`"remote_updated_at":"` + githubUpdated + `","created_at":"2026-11-23T21:18:49Z","updated_at":"` + githubUpdated + `"}`,
			want: env("api:prod eu:TOKEN", "api", "prod eu", "TOKEN"),
		},
	}
}

func moveServer(t *testing.T) (tfprotov6.ProviderServer, map[string]tftypes.Type) {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	types := map[string]tftypes.Type{}
	for name, s := range schemas.ResourceSchemas {
		types[name] = s.ValueType()
	}
	return server, types
}

func moveResource(t *testing.T, server tfprotov6.ProviderServer, address, source string, version int64, raw, target string) *tfprotov6.MoveResourceStateResponse {
	t.Helper()
	resp, err := server.MoveResourceState(context.Background(), &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: address,
		SourceTypeName:        source,
		SourceSchemaVersion:   version,
		SourceState:           &tfprotov6.RawState{JSON: []byte(raw)},
		TargetTypeName:        target,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestMoveResourceState moves every source type at every schema version it
// has had through the protocol, as Terraform does for a moved block.
func TestMoveResourceState(t *testing.T) {
	t.Parallel()
	server, types := moveServer(t)
	covered := map[string]int{}
	for _, tc := range append(moveCases(), variableMoveCases()...) {
		covered[tc.source]++
		t.Run(tc.source+"/v"+big.NewInt(tc.version).String(), func(t *testing.T) {
			resp := moveResource(t, server, "registry.terraform.io/integrations/github", tc.source, tc.version, tc.raw, tc.target)
			var warnings []*tfprotov6.Diagnostic
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("error: %s: %s", d.Summary, d.Detail)
				}
				warnings = append(warnings, d)
			}
			if resp.TargetState == nil {
				t.Fatal("no target state")
			}
			value, err := resp.TargetState.Unmarshal(types[tc.target])
			if err != nil {
				t.Fatal(err)
			}
			got := plainValue(t, value).(map[string]any)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("target state\n got %v\nwant %v", got, tc.want)
			}

			all, _ := json.Marshal(got)
			for _, d := range warnings {
				all = append(all, d.Summary+d.Detail...)
			}
			all = append(all, resp.TargetPrivate...)
			if strings.Contains(string(all), movedPlaintext) || strings.Contains(string(all), movedCiphertext) {
				t.Error("the target state, private state or a warning holds the source's value")
			}

			switch {
			case tc.warned && len(warnings) != 1:
				t.Fatalf("want one warning about the value left in earlier state, got %v", warnings)
			case tc.warned:
				w := warnings[0]
				for _, part := range []string{"earlier versions of the state", "backup", "rotate the secret", tc.source} {
					if !strings.Contains(w.Summary+" "+w.Detail, part) {
						t.Errorf("the warning does not say %q: %s: %s", part, w.Summary, w.Detail)
					}
				}
			case len(warnings) > 0:
				t.Errorf("no value was held, yet the move warns: %v", warnings)
			}

			// A moved secret starts as an imported one does: with a record
			// of nothing known, never with the source's stale time.
			if _, secret := tc.want["on_value_drift"]; secret {
				var private map[string][]byte
				if err := json.Unmarshal(resp.TargetPrivate, &private); err != nil {
					t.Fatalf("private state: %v", err)
				}
				var rec drift.Record
				if err := json.Unmarshal(private[privateDriftRecord], &rec); err != nil || rec.Version != drift.Version || !rec.UpdatedAt.IsZero() {
					t.Errorf("private drift record %s (%v), want an empty record", private[privateDriftRecord], err)
				}
			}
		})
	}
	for _, src := range githubSources {
		if covered[src.typeName] != len(src.versions) {
			t.Errorf("%s has %d schema versions, %d of them tested", src.typeName, len(src.versions), covered[src.typeName])
		}
	}
}

// TestMoveResourceStateRefusals: a source that belongs to another type, of
// an unknown version or with no counterpart is refused with what to do.
func TestMoveResourceStateRefusals(t *testing.T) {
	t.Parallel()
	server, _ := moveServer(t)
	for _, tc := range []struct {
		source  string
		version int64
		target  string
		want    string
	}{
		{"github_dependabot_organization_secret", 0, "ghsecrets_org_actions_secret", "moves to ghsecrets_org_dependabot_secret"},
		{"github_actions_secret", 3, "ghsecrets_repository_actions_secret", "schema version 3"},
		{"github_codespaces_user_secret", 0, "ghsecrets_org_codespaces_secret", "moves to ghsecrets_user_codespaces_secret"},
		{"github_actions_variable", 0, "ghsecrets_repository_actions_secret", "moves to ghsecrets_repository_actions_variable"},
		{"github_repository", 0, "ghsecrets_repository_actions_secret", "no counterpart"},
		{"github_actions_organization_secret", 1, "ghsecrets_org_actions_secret_repositories", "moves to ghsecrets_org_actions_secret,"},
	} {
		resp := moveResource(t, server, "registry.terraform.io/integrations/github", tc.source, tc.version,
			`{"id":"X","secret_name":"X","visibility":"all","plaintext_value":"`+movedPlaintext+`"}`, tc.target)
		if len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(resp.Diagnostics[0].Detail, tc.want) {
			t.Errorf("%s v%d to %s: %v, want an error saying %q", tc.source, tc.version, tc.target, resp.Diagnostics, tc.want)
		}
	}
}

// TestMoveResourceStateIncomplete: a source state that lacks the repository
// or environment its target needs, or names what GitHub could not, names no
// secret of the target type; moved as it was, it read another place (the
// organization's, or the repository's, secret of that name) and the next
// apply deleted that secret. It is refused, naming the attribute, and a source
// that held a value still gets its warning.
func TestMoveResourceStateIncomplete(t *testing.T) {
	t.Parallel()
	server, _ := moveServer(t)
	held := `"plaintext_value":"` + movedPlaintext + `"`
	for _, tc := range []struct {
		source  string
		version int64
		raw     string
		target  string
		want    string
	}{
		{"github_actions_secret", 2, `{"id":"x","secret_name":"TOKEN","repository":null,` + held + `}`,
			"ghsecrets_repository_actions_secret", "no repository"},
		{"github_actions_secret", 0, `{"id":"x","secret_name":"TOKEN","repository":"",` + held + `}`,
			"ghsecrets_repository_actions_secret", "no repository"},
		{"github_dependabot_secret", 1, `{"id":"x","secret_name":"TOKEN",` + held + `}`,
			"ghsecrets_repository_dependabot_secret", "no repository"},
		{"github_actions_environment_secret", 1, `{"id":"x","secret_name":"TOKEN","repository":"api","environment":null,` + held + `}`,
			"ghsecrets_environment_actions_secret", "no environment"},
		{"github_actions_environment_secret", 0, `{"id":"x","secret_name":"TOKEN","repository":"api","environment":"..",` + held + `}`,
			"ghsecrets_environment_actions_secret", "dot segment"},
		{"github_actions_secret", 2, `{"id":"x","secret_name":"TOKEN","repository":"acme/api",` + held + `}`,
			"ghsecrets_repository_actions_secret", "give the name after the `/` only"},
		{"github_actions_secret", 2, `{"id":"x","secret_name":"BAD-NAME","repository":"api",` + held + `}`,
			"ghsecrets_repository_actions_secret", "secret_name"},
		{"github_actions_organization_secret", 1, `{"id":"x","secret_name":"",` + held + `}`,
			"ghsecrets_org_actions_secret", "is empty"},
		{"github_actions_organization_secret_repository", 0, `{"id":"x","secret_name":"TOKEN","repository_id":null}`,
			"ghsecrets_org_actions_secret_repository", "no repository id"},
	} {
		resp := moveResource(t, server, "registry.terraform.io/integrations/github", tc.source, tc.version, tc.raw, tc.target)
		var errs, warnings []*tfprotov6.Diagnostic
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				errs = append(errs, d)
			} else {
				warnings = append(warnings, d)
			}
		}
		if len(errs) != 1 || !strings.Contains(errs[0].Summary+" "+errs[0].Detail, tc.want) {
			t.Errorf("%s %s: errors %v, want one saying %q", tc.source, tc.raw, errs, tc.want)
		}
		if strings.Contains(tc.raw, movedPlaintext) && len(warnings) != 1 {
			t.Errorf("%s %s: a source that held a value gave warnings %v, want the one about earlier state", tc.source, tc.raw, warnings)
		}
		if resp.TargetState != nil && len(resp.TargetState.JSON)+len(resp.TargetState.MsgPack) > 0 {
			t.Errorf("%s %s: a refused move still produced a target state", tc.source, tc.raw)
		}
	}
}

// TestGitHubSourcesTargetExist: every source type moves into a type this
// provider has, and every source type of the peer provider that has a
// counterpart here is in the table.
func TestGitHubSourcesTargetExist(t *testing.T) {
	t.Parallel()
	_, types := moveServer(t)
	seen := map[string]bool{}
	for _, src := range githubSources {
		if _, ok := types[src.target]; !ok {
			t.Errorf("%s moves into %s, which this provider does not have", src.typeName, src.target)
		}
		seen[src.typeName] = true
	}
	want := []string{
		"github_actions_organization_secret", "github_actions_organization_secret_repositories", "github_actions_organization_secret_repository",
		"github_dependabot_organization_secret", "github_dependabot_organization_secret_repositories", "github_dependabot_organization_secret_repository",
		"github_codespaces_organization_secret", "github_codespaces_organization_secret_repositories",
		"github_actions_secret", "github_dependabot_secret", "github_codespaces_secret", "github_actions_environment_secret",
		"github_codespaces_user_secret",
		"github_actions_variable", "github_actions_environment_variable", "github_actions_organization_variable",
		"github_actions_organization_variable_repositories", "github_actions_organization_variable_repository",
	}
	if got := slices.Sorted(maps.Keys(seen)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("source types %v, want %v", got, want)
	}
}

// plainValue turns a state value into Go values: strings, int64s, bools,
// []any, map[string]any, nil.
func plainValue(t *testing.T, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		i, _ := f.Int64()
		return i
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := []any{}
		for _, e := range elems {
			out = append(out, plainValue(t, e))
		}
		return out
	case v.Type().Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		_ = v.As(&attrs)
		out := map[string]any{}
		for k, a := range attrs {
			out[k] = plainValue(t, a)
		}
		return out
	}
	t.Fatalf("unexpected type %s", v.Type())
	return nil
}
