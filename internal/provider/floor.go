package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// NewFloor is the provider the benchmark measures this one's own cost
// against: the same provider schema, and each organization secret type with
// the same schema, identity, validators and plan modifiers, whose Create,
// Read, Update and Delete call no API and keep what was planned. What it
// costs per resource is Terraform's and the framework's; what the real
// provider costs beyond it is ours.
func NewFloor(version string) func() provider.Provider {
	return func() provider.Provider {
		return &floorProvider{ghsecretsProvider: ghsecretsProvider{version: version, getenv: os.Getenv}}
	}
}

type floorProvider struct{ ghsecretsProvider }

// Configure takes the owner, for identities, and configures no client.
func (p *floorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.ResourceData = &providerData{owner: firstNonEmpty(cfg.Owner.ValueString(), p.getenv(envOwner))}
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, k := range orgKinds {
		out = append(out, func() resource.Resource { return &floorSecret{orgSecretResource{kind: k}} })
	}
	return out
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// ListResources are those of the organization kinds, whose types the floor has.
func (p *floorProvider) ListResources(context.Context) []func() list.ListResource {
	var out []func() list.ListResource
	for _, k := range orgKinds {
		out = append(out, func() list.ListResource { return &secretListResource{row: k} })
	}
	return out
}

// floorSecret is an organization secret resource without a client: the
// schema, identity, validators and attribute plan modifiers are the
// resource's own; the rest keeps what was planned.
type floorSecret struct{ orgSecretResource }

// floorTime is every floor secret's created_at and updated_at.
const floorTime = "2026-01-01T00:00:00Z"

func (r *floorSecret) ModifyPlan(context.Context, resource.ModifyPlanRequest, *resource.ModifyPlanResponse) {
}

func (r *floorSecret) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.apply(ctx, req.Plan, &resp.State, resp.Identity)...)
}

func (r *floorSecret) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state orgSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
}

func (r *floorSecret) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.apply(ctx, req.Plan, &resp.State, resp.Identity)...)
}

// apply keeps the planned secret, with what apply makes known, and its
// identity.
func (r *floorSecret) apply(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	var plan orgSecretModel
	diags := planned.Get(ctx, &plan)
	if diags.HasError() {
		return diags
	}
	plan = floorApplied(plan)
	diags.Append(state.Set(ctx, plan)...)
	diags.Append(r.setIdentity(ctx, identity, plan)...)
	return diags
}

func (r *floorSecret) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// floorApplied is a planned secret with what apply makes known set.
func floorApplied(plan orgSecretModel) orgSecretModel {
	plan.ID = types.StringValue(secretname.Normalize(plan.SecretName.ValueString()))
	if plan.CreatedAt.IsUnknown() {
		plan.CreatedAt = types.StringValue(floorTime)
	}
	if plan.UpdatedAt.IsUnknown() {
		plan.UpdatedAt = types.StringValue(floorTime)
	}
	return plan
}
