package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// protoLife drives one resource through the provider's protocol, in process,
// as Terraform would: validate, plan, apply, refresh and a plan after it.
type protoLife struct {
	t        testing.TB
	srv      tfprotov6.ProviderServer
	typeName string
	typ      tftypes.Object
	// computed and writeOnly name the attributes a proposed new state
	// leaves unknown and null.
	computed, writeOnly []string
}

func newProtoLife(t testing.TB, baseURL, typeName string) *protoLife {
	t.Helper()
	ctx := t.Context()
	srv := providerserver.NewProtocol6(New("test")())()
	sr, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(sr.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, sr.Diagnostics)
	}
	pt := sr.Provider.ValueType().(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range pt.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	attrs["owner"] = tftypes.NewValue(tftypes.String, testOrg)
	attrs["base_url"] = tftypes.NewValue(tftypes.String, baseURL)
	cfg := mustDynamic(t, pt, tftypes.NewValue(pt, attrs))
	cr, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(cr.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, cr.Diagnostics)
	}
	rs := sr.ResourceSchemas[typeName]
	life := &protoLife{t: t, srv: srv, typeName: typeName, typ: rs.ValueType().(tftypes.Object)}
	for _, a := range rs.Block.Attributes {
		switch {
		case a.WriteOnly:
			life.writeOnly = append(life.writeOnly, a.Name)
		case a.Computed:
			life.computed = append(life.computed, a.Name)
		}
	}
	return life
}

func mustDynamic(t testing.TB, typ tftypes.Type, v tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

// object builds a value of the resource's type from attrs; attributes not
// given are null, and unknown ones are named in unknown.
func (p *protoLife) object(attrs map[string]tftypes.Value, unknown ...string) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range p.typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for _, name := range unknown {
		vals[name] = tftypes.NewValue(p.typ.AttributeTypes[name], tftypes.UnknownValue)
	}
	for name, v := range attrs {
		vals[name] = v
	}
	return tftypes.NewValue(p.typ, vals)
}

func (p *protoLife) check(what string, diags []*tfprotov6.Diagnostic, err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// run takes the configuration through its life and returns the state after
// the last plan.
func (p *protoLife) run(config tftypes.Value, proposed tftypes.Value) {
	ctx := context.Background()
	cfg := mustDynamic(p.t, p.typ, config)
	null := mustDynamic(p.t, p.typ, tftypes.NewValue(p.typ, nil))
	prop := mustDynamic(p.t, p.typ, proposed)

	vr, err := p.srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: p.typeName, Config: &cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}})
	p.check("validate", vr.Diagnostics, err)
	pr, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: p.typeName, Config: &cfg, PriorState: &null, ProposedNewState: &prop})
	p.check("plan", pr.Diagnostics, err)
	ar, err := p.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: p.typeName, Config: &cfg, PriorState: &null, PlannedState: pr.PlannedState, PlannedPrivate: pr.PlannedPrivate})
	p.check("apply", ar.Diagnostics, err)
	rr, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: p.typeName, CurrentState: ar.NewState, Private: ar.Private})
	p.check("refresh", rr.Diagnostics, err)
	pr2, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: p.typeName, Config: &cfg, PriorState: rr.NewState, ProposedNewState: rr.NewState, PriorPrivate: rr.Private})
	p.check("plan after refresh", pr2.Diagnostics, err)
	if pr2.RequiresReplace != nil {
		p.t.Fatalf("the plan after refresh replaces the resource")
	}
}

// BenchmarkRepositoryListLife takes one secret's repository list, on the
// secret itself and in the list resource, through validate, plan, apply,
// refresh and a plan after it, in process against the fake (Terraform's own
// share is measured by make bench). Run it in a process of its own, as
// make bench does: once an acceptance test has run in a process, the
// framework traces every element it visits through a context that grows by
// one value per element, and that cost would hide the provider's own.
//
//	go test ./internal/provider -run '^$' -bench RepositoryListLife
func BenchmarkRepositoryListLife(b *testing.B) {
	const most = 10000
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}, RateLimitsOff: true})
	ids := make([]int64, 0, most)
	for i := range most {
		ids = append(ids, fake.AddRepository(testOrg, fmt.Sprintf("repo-%05d", i)).ID)
	}
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	for _, typeName := range []string{"ghsecrets_org_actions_secret", "ghsecrets_org_actions_secret_repositories"} {
		life := newProtoLife(b, srv.URL, typeName)
		listType := life.typ.AttributeTypes["selected_repository_ids"]
		for _, n := range []int{1000, 5000, most} {
			b.Run(fmt.Sprintf("%s/%d", strings.TrimPrefix(typeName, "ghsecrets_org_actions_"), n), func(b *testing.B) {
				elems := make([]tftypes.Value, 0, n)
				for _, id := range ids[:n] {
					elems = append(elems, tftypes.NewValue(elementType(listType), new(big.Float).SetInt64(id)))
				}
				attrs := map[string]tftypes.Value{
					"secret_name":             tftypes.NewValue(tftypes.String, fmt.Sprintf("LIST_%d", n)),
					"selected_repository_ids": tftypes.NewValue(listType, elems),
				}
				if typeName == "ghsecrets_org_actions_secret" {
					attrs["visibility"] = tftypes.NewValue(tftypes.String, "selected")
					attrs["value_wo"] = tftypes.NewValue(tftypes.String, "benchmark value")
				} else {
					fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("LIST_%d", n), []byte("x"), "selected", nil)
				}
				proposed := maps.Clone(attrs)
				for _, name := range life.writeOnly {
					delete(proposed, name)
				}
				for b.Loop() {
					life.run(life.object(attrs), life.object(proposed, life.computed...))
				}
			})
		}
	}
}

// TestRepositoryListsAreLists: every repository list attribute is a list
// held to a set's rules, never a set, whose cost grows with the square of its
// length (BenchmarkRepositoryListLife measures it).
func TestRepositoryListsAreLists(t *testing.T) {
	t.Parallel()
	server, ctx := protocolServer(t)
	sr, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for name, s := range sr.ResourceSchemas {
		for _, a := range s.Block.Attributes {
			if a.Name != "selected_repository_ids" {
				continue
			}
			found++
			if !a.Type.Is(tftypes.List{}) {
				t.Errorf("%s.selected_repository_ids is a %s, want a list", name, a.Type)
			}
		}
	}
	if found < 2 {
		t.Errorf("found %d repository list attributes, want the secret's and the list resource's", found)
	}
}

// elementType is the element type of a list or set type.
func elementType(t tftypes.Type) tftypes.Type {
	switch c := t.(type) {
	case tftypes.List:
		return c.ElementType
	case tftypes.Set:
		return c.ElementType
	}
	panic(fmt.Sprintf("%s is neither a list nor a set", t))
}

// TestRepositoriesStateUpgradeFromSet upgrades state written while
// selected_repository_ids was a set (schema version 0) through the protocol,
// as Terraform does on the first run with this version.
func TestRepositoriesStateUpgradeFromSet(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := providerserver.NewProtocol6(New("test")())()
	const typeName = "ghsecrets_org_actions_secret_repositories"
	sr, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema := sr.ResourceSchemas[typeName]
	if schema.Version != 1 {
		t.Fatalf("schema version %d, want 1", schema.Version)
	}
	typ := schema.ValueType()
	tests := []struct {
		raw  string
		want []int64 // nil: a null list
	}{
		{raw: `{"id":"SHARED","secret_name":"shared","selected_repository_ids":[1296271,1296269,1296270]}`, want: []int64{1296269, 1296270, 1296271}},
		{raw: `{"id":"SHARED","secret_name":"shared","selected_repository_ids":[]}`, want: []int64{}},
		{raw: `{"id":"SHARED","secret_name":"shared","selected_repository_ids":null}`},
	}
	for _, tt := range tests {
		resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
			TypeName: typeName, Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(tt.raw)},
		})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("UpgradeResourceState(%s): %v %v", tt.raw, err, resp.Diagnostics)
		}
		v, err := resp.UpgradedState.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var id, name string
		_ = attrs["id"].As(&id)
		_ = attrs["secret_name"].As(&name)
		if id != "SHARED" || name != "shared" {
			t.Errorf("upgrade of %s: id %q, secret_name %q", tt.raw, id, name)
		}
		list := attrs["selected_repository_ids"]
		if !list.Type().Is(tftypes.List{}) {
			t.Fatalf("upgrade of %s: selected_repository_ids is a %s, want a list", tt.raw, list.Type())
		}
		if tt.want == nil {
			if !list.IsNull() {
				t.Errorf("upgrade of %s: want a null list, got %s", tt.raw, list)
			}
			continue
		}
		var elems []tftypes.Value
		if err := list.As(&elems); err != nil {
			t.Fatal(err)
		}
		got := make([]int64, 0, len(elems))
		for _, e := range elems {
			var f big.Float
			if err := e.As(&f); err != nil {
				t.Fatal(err)
			}
			n, _ := f.Int64()
			got = append(got, n)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("upgrade of %s: ids %v, want %v", tt.raw, got, tt.want)
		}
	}
}

// TestAccRepositoriesStateUpgrade runs the CLI over state written while the
// list was a set (schema version 0, sorted as Terraform stores sets), with
// the same repositories configured in another order: the plan is empty, and
// the state is version 1 afterwards.
func TestAccRepositoriesStateUpgrade(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	r0, r1, r2 := env.repoID(0), env.repoID(1), env.repoID(2)
	env.fake.PutSecretOutOfBand(testOrg, "UPGRADED", []byte("x"), "selected", []int64{r0, r1, r2})
	cli := acctest.NewCLI(t, acctest.BuildProvider(t), requiredProviders+`
resource "ghsecrets_org_actions_secret_repositories" "test" {
  secret_name             = "UPGRADED"
  selected_repository_ids = [`+fmt.Sprintf("%d, %d, %d", r2, r0, r1)+`]
}
`, "GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url)
	state := fmt.Sprintf(`{"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "6c1d4c47-8b7e-4f3c-9a51-2f0d3a0c5e11",
  "outputs": {}, "check_results": null, "resources": [{"mode": "managed", "type": "ghsecrets_org_actions_secret_repositories",
  "name": "test", "provider": "provider[\"registry.terraform.io/ghsecrets/ghsecrets\"]",
  "instances": [{"schema_version": 0, "sensitive_attributes": [],
  "attributes": {"id": "UPGRADED", "secret_name": "UPGRADED", "selected_repository_ids": [%d, %d, %d]}}]}]}`, r0, r1, r2)
	if err := os.WriteFile(filepath.Join(cli.Dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("terraform plan over the version 0 state exited with %d, want 0 (no changes):\n%s", code, acctest.Tail(out))
	}
	cli.MustRun("apply", "-refresh-only", "-auto-approve", "-input=false")
	raw, err := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Resources []struct {
			Instances []struct {
				SchemaVersion int `json:"schema_version"`
				Attributes    struct {
					IDs []int64 `json:"selected_repository_ids"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &got); err != nil || len(got.Resources) != 1 || len(got.Resources[0].Instances) != 1 {
		t.Fatalf("state after the refresh: %v\n%s", err, raw)
	}
	inst := got.Resources[0].Instances[0]
	if inst.SchemaVersion != 1 || !slices.Equal(inst.Attributes.IDs, []int64{r0, r1, r2}) {
		t.Errorf("state after the refresh: schema version %d, ids %v; want 1 and %v", inst.SchemaVersion, inst.Attributes.IDs, []int64{r0, r1, r2})
	}
	if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("terraform plan after the upgrade exited with %d, want 0:\n%s", code, acctest.Tail(out))
	}
}
