package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// The identities of the secret resources: what the list resources return
// for each secret found, and what an import block's identity names.

type orgSecretIdentity struct {
	Organization types.String `tfsdk:"organization"`
	Kind         types.String `tfsdk:"kind"`
	SecretName   types.String `tfsdk:"secret_name"`
}

type repositorySecretIdentity struct {
	Owner      types.String `tfsdk:"owner"`
	Kind       types.String `tfsdk:"kind"`
	Repository types.String `tfsdk:"repository"`
	SecretName types.String `tfsdk:"secret_name"`
}

type environmentSecretIdentity struct {
	repositorySecretIdentity
	Environment types.String `tfsdk:"environment"`
}

func identityString(description string, required bool) identityschema.StringAttribute {
	return identityschema.StringAttribute{
		Description: description, RequiredForImport: required, OptionalForImport: !required,
	}
}

// identitySchema is the identity of the kind's organization secrets.
func (k orgKind) identitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"organization": identityString("The provider's owner.", false),
		"kind":         identityString("The kind of secret: "+string(k.kind)+".", false),
		"secret_name":  identityString("The secret's name, upper-case as GitHub stores it.", true),
	}}
}

// orgIdentity is the identity of secret name of the kind in organization owner.
func (k orgKind) orgIdentity(owner, name string) orgSecretIdentity {
	return orgSecretIdentity{
		Organization: types.StringValue(owner),
		Kind:         types.StringValue(string(k.kind)),
		SecretName:   types.StringValue(secretname.Normalize(name)),
	}
}

// identitySchema is the identity of the row's secrets.
func (k scopeKind) identitySchema() identityschema.Schema {
	attrs := map[string]identityschema.Attribute{
		"owner":       identityString("The provider's owner.", false),
		"kind":        identityString("The kind of secret: "+string(k.kind)+".", false),
		"repository":  identityString("The repository's name, without the owner.", true),
		"secret_name": identityString("The secret's name, upper-case as GitHub stores it.", true),
	}
	if k.env {
		attrs["environment"] = identityString("The environment's name.", true)
	}
	return identityschema.Schema{Attributes: attrs}
}

// identity is the identity of secret name in scope, as the row's identity
// schema holds it.
func (k scopeKind) identity(scope client.Scope, name string) any {
	id := repositorySecretIdentity{
		Owner:      types.StringValue(scope.Owner),
		Kind:       types.StringValue(string(k.kind)),
		Repository: types.StringValue(scope.Repo),
		SecretName: types.StringValue(secretname.Normalize(name)),
	}
	if k.env {
		return environmentSecretIdentity{repositorySecretIdentity: id, Environment: types.StringValue(scope.Env)}
	}
	return id
}

// checkIdentityPart refuses an identity's organization or kind that does
// not name this provider's owner or this type's kind.
func checkIdentityPart(diags *diag.Diagnostics, typeName, attr string, got types.String, want string) {
	if got.IsNull() || got.IsUnknown() || got.ValueString() == want {
		return
	}
	diags.AddAttributeError(path.Root(attr), "Identity Does Not Match",
		fmt.Sprintf("The identity's %s is %q, but %s imports secrets of %q only; "+
			"leave %s out of the identity or set it to %q.", attr, got.ValueString(), typeName, want, attr, want))
}

var (
	_ resource.ResourceWithIdentity = identifiedOrgSecret{}
	_ resource.ResourceWithIdentity = identifiedScopedSecret{}
)

// identifiedOrgSecret is an organization secret resource with its identity.
type identifiedOrgSecret struct{ *orgSecretResource }

func (r identifiedOrgSecret) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identitySchema()
}

// setIdentity puts the identity of the secret in state (or, once Read has
// removed it, in prior) into to.
func (r identifiedOrgSecret) setIdentity(ctx context.Context, state, prior tfsdk.State, to *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	putIdentity(ctx, r.data, state, prior, to, diags, func(state tfsdk.State) (any, diag.Diagnostics) {
		var name types.String
		d := state.GetAttribute(ctx, path.Root("secret_name"), &name)
		return r.kind.orgIdentity(r.data.owner, name.ValueString()), d
	})
}

// putIdentity sets to from the identity of the secret in state, or in prior
// when state is null (Read removed it), unless the operation failed.
func putIdentity(ctx context.Context, data *providerData, state, prior tfsdk.State, to *tfsdk.ResourceIdentity, diags *diag.Diagnostics,
	identity func(tfsdk.State) (any, diag.Diagnostics)) {
	if diags.HasError() || to == nil || data == nil {
		return
	}
	if state.Raw.IsNull() {
		state = prior
	}
	id, d := identity(state)
	if diags.Append(d...); !diags.HasError() {
		diags.Append(to.Set(ctx, id)...)
	}
}

func (r identifiedOrgSecret) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.orgSecretResource.Create(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r identifiedOrgSecret) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.orgSecretResource.Read(ctx, req, resp)
	r.setIdentity(ctx, resp.State, req.State, resp.Identity, &resp.Diagnostics)
}

func (r identifiedOrgSecret) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.orgSecretResource.Update(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.State, resp.Identity, &resp.Diagnostics)
}

// ImportState imports by the secret's name, or by identity.
func (r identifiedOrgSecret) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" || req.Identity == nil {
		r.orgSecretResource.ImportState(ctx, req, resp)
		return
	}
	var id orgSecretIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	typeName := r.kind.typeName("")
	if r.data != nil {
		checkIdentityPart(&resp.Diagnostics, typeName, "organization", id.Organization, r.data.owner)
	}
	checkIdentityPart(&resp.Diagnostics, typeName, "kind", id.Kind, string(r.kind.kind))
	if resp.Diagnostics.HasError() {
		return
	}
	importBySecretName(ctx, typeName, resource.ImportStateRequest{ID: id.SecretName.ValueString()}, resp)
}

// identifiedScopedSecret is a repository or environment secret resource with
// its identity.
type identifiedScopedSecret struct{ *scopedSecretResource }

func (r identifiedScopedSecret) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identitySchema()
}

func (r identifiedScopedSecret) setIdentity(ctx context.Context, state, prior tfsdk.State, to *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	putIdentity(ctx, r.data, state, prior, to, diags, func(state tfsdk.State) (any, diag.Diagnostics) {
		m, d := r.get(ctx, &state)
		return r.kind.identity(r.scope(m), m.SecretName.ValueString()), d
	})
}

func (r identifiedScopedSecret) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.scopedSecretResource.Create(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r identifiedScopedSecret) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.scopedSecretResource.Read(ctx, req, resp)
	r.setIdentity(ctx, resp.State, req.State, resp.Identity, &resp.Diagnostics)
}

func (r identifiedScopedSecret) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.scopedSecretResource.Update(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.State, resp.Identity, &resp.Diagnostics)
}

// ImportState imports by REPOSITORY:[ENVIRONMENT:]SECRET_NAME, or by identity.
func (r identifiedScopedSecret) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" || req.Identity == nil {
		r.scopedSecretResource.ImportState(ctx, req, resp)
		return
	}
	var id environmentSecretIdentity
	if r.kind.env {
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	} else {
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id.repositorySecretIdentity)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	typeName := r.kind.typeName("_secret")
	if r.data != nil {
		checkIdentityPart(&resp.Diagnostics, typeName, "owner", id.Owner, r.data.owner)
	}
	checkIdentityPart(&resp.Diagnostics, typeName, "kind", id.Kind, string(r.kind.kind))
	if resp.Diagnostics.HasError() {
		return
	}
	parts := id.Repository.ValueString() + ":"
	if r.kind.env {
		parts += id.Environment.ValueString() + ":"
	}
	r.scopedSecretResource.ImportState(ctx, resource.ImportStateRequest{ID: parts + id.SecretName.ValueString()}, resp)
}
