package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var (
	_ resource.ResourceWithConfigure    = (*orgSecretRepositoriesResource)(nil)
	_ resource.ResourceWithMoveState    = (*orgSecretRepositoriesResource)(nil)
	_ resource.ResourceWithImportState  = (*orgSecretRepositoriesResource)(nil)
	_ resource.ResourceWithUpgradeState = (*orgSecretRepositoriesResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*orgSecretRepositoriesResource)(nil)
	_ resource.ResourceWithIdentity     = (*orgSecretRepositoriesResource)(nil)
)

type orgSecretRepositoriesResource struct {
	kind orgKind
	data *providerData
}

type orgSecretRepositoriesModel struct {
	ID                    types.String `tfsdk:"id"`
	SecretName            types.String `tfsdk:"secret_name"`
	SelectedRepositoryIDs types.List   `tfsdk:"selected_repository_ids"`
}

func (r *orgSecretRepositoriesResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.typeName("_repositories")
}

func (r *orgSecretRepositoriesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// Version 1: selected_repository_ids is a list (it was a set).
		Version: 1,
		MarkdownDescription: "The repositories that may use " + r.kind.selectedSecret() + ". " +
			"Authoritative: the list on GitHub becomes exactly `selected_repository_ids`, repositories added outside " +
			"Terraform show as drift, and destroying the resource empties the list (the secret itself stays). " +
			"For a list that belongs with its secret, `selected_repository_ids` on `" + r.kind.typeName("") + "` does " +
			"the same in the secret's own request; use one or the other for a secret, never both. " +
			companionDriftGap,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The secret name as GitHub stores it (upper-case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_name":             secretNameAttribute(r.kind.existingSecretName()),
			"selected_repository_ids": repositoryIDsAttribute("Ids of the repositories that may use the secret; may be empty.", true),
		},
	}
}

func (r *orgSecretRepositoriesResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identity("_repositories").schema()
}

// setIdentity writes the identity of the list of the secret in m.
func (r *orgSecretRepositoriesResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m orgSecretRepositoriesModel) diag.Diagnostics {
	return r.kind.identity("_repositories").set(ctx, to, secretIdentity{Owner: r.data.owner, SecretName: m.SecretName.ValueString()})
}

func (r *orgSecretRepositoriesResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{
		// Read from the raw JSON: decoding it as the set it was would cost
		// the very time, in the square of its length, that the list saves.
		0: {StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
			var v0 struct {
				ID                    *string `json:"id"`
				SecretName            string  `json:"secret_name"`
				SelectedRepositoryIDs []int64 `json:"selected_repository_ids"`
			}
			if err := unmarshalRawState(req, &v0); err != nil {
				resp.Diagnostics.AddError("Cannot Upgrade Repository List State", err.Error())
				return
			}
			resp.Diagnostics.Append(resp.State.Set(ctx, orgSecretRepositoriesModel{
				ID:                    types.StringPointerValue(v0.ID),
				SecretName:            types.StringValue(v0.SecretName),
				SelectedRepositoryIDs: repositoryIDsValue(types.ListNull(types.Int64Type), v0.SelectedRepositoryIDs),
			})...)
		}},
	}
}

func (r *orgSecretRepositoriesResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *orgSecretRepositoriesResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.setList(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *orgSecretRepositoriesResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state orgSecretRepositoriesModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}

	known, diags := readListETag(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	list, err := r.data.client.SelectedRepositoryList(ctx, a, known)
	ids := list.IDs
	switch {
	case client.IsNotFound(err):
		tflog.Info(ctx, r.kind.holder()+" secret no longer exists; removing its repository list from state",
			map[string]any{"owner": a.Scope().Owner(), "secret": a.StoredName()})
		resp.State.RemoveResource(ctx)
		return
	case client.IsConflict(err):
		// The list is meaningless for a secret that is not selected: show it empty, so the
		// plan sets it again once the secret is selected, and say why.
		resp.Diagnostics.AddWarning("Secret Is Not Selected",
			fmt.Sprintf("Organization secret %s in %s has visibility %q, so no repository list applies to it. %s",
				a.StoredName(), a.Scope().Owner(), visibilityOf(ctx, r.data, a), r.kind.notSelectedFix(a, "_repositories")))
		ids, list = nil, client.RepositoryList{}
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error Reading Secret Repositories", "list the repositories of", r.kind, a, err)
		return
	}

	resp.Diagnostics.Append(writeListETag(ctx, resp.Private, list)...)
	state.ID = types.StringValue(a.StoredName())
	state.SelectedRepositoryIDs = repositoryIDsValue(state.SelectedRepositoryIDs, ids)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *orgSecretRepositoriesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.setList(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics)
	// The write changed the list, so the ETag of the old one is of no use.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateListETag, nil)...)
}

func (r *orgSecretRepositoriesResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state orgSecretRepositoriesModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectList}, &resp.Diagnostics, func() error {
		_, err := r.data.client.SetSelectedRepositories(ctx, a, []int64{})
		return err
	})
	// A deleted secret, or one no longer selected, has no list left to empty.
	if err != nil && !client.IsNotFound(err) && !client.IsConflict(err) {
		addAPIError(&resp.Diagnostics, "Error Emptying Secret Repositories", "empty the repository list of", r.kind, a, err)
	}
}

func (r *orgSecretRepositoriesResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.kind.identity("_repositories").importByIdentity(ctx, r.kind.typeName("_repositories"), r.data.owner, req, resp) {
		return
	}
	importBySecretName(ctx, r.kind.typeName("_repositories"), r.kind, r.data, req, resp)
}

// setList replaces the secret's repository list with the planned one (Create
// and Update alike) and records the plan as the new state, with its identity.
func (r *orgSecretRepositoriesResource) setList(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	var plan orgSecretRepositoriesModel
	diags.Append(planned.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", diags)
	if !ok {
		return
	}
	ids, _ := repositoryIDList(plan.SelectedRepositoryIDs)
	if ids == nil {
		ids = []int64{}
	}
	err := r.data.writeOnce(a, claimed{aspect: aspectList}, func() error {
		_, err := r.data.client.SetSelectedRepositories(ctx, a, ids)
		return err
	})
	switch {
	case client.IsConflict(err):
		diags.AddAttributeError(path.Root("secret_name"), "Secret Is Not Selected",
			fmt.Sprintf("Could not set the repositories of %s: its visibility is %q, and GitHub "+
				"keeps a repository list only for secrets with visibility \"selected\" (GitHub answered %s). %s",
				a, visibilityOf(ctx, r.data, a), err, r.kind.notSelectedFix(a, "_repositories")))
		return
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root("secret_name"), "Secret Not Found",
			fmt.Sprintf("Could not set the repositories of %s: the secret does not exist "+
				"(GitHub answered %s). Create it first, for example with "+r.kind.typeName("")+", and refer to its "+
				"secret_name so Terraform orders the two.", a, err))
		return
	case err != nil:
		addAPIError(diags, "Error Setting Secret Repositories", "set the repositories of", r.kind, a, err)
		return
	}
	tflog.Info(ctx, "set "+r.kind.holder()+" secret repositories", map[string]any{
		"owner": a.Scope().Owner(), "secret": a.StoredName(), "repositories": len(ids),
	})
	plan.ID = types.StringValue(a.StoredName())
	diags.Append(state.Set(ctx, plan)...)
	diags.Append(r.setIdentity(ctx, identity, plan)...)
}

// ModifyPlan refuses a kind the configured server cannot serve, before any
// request, and claims the secret's repository list for this resource.
func (r *orgSecretRepositoriesResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	r.kind.checkServer(r.data, &resp.Diagnostics)
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("secret_name"), &name)...)
	if name.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	if a, ok := r.kind.secretIn(r.data, name.ValueString(), "the configuration", &resp.Diagnostics); ok {
		r.data.claim(req, resp, a, claimed{aspect: aspectList,
			by: claimant(r.kind.typeName("_repositories"), "secret_name", a.Name())})
	}
}

// visibilityOf is best effort: it only enriches an error message.
func visibilityOf(ctx context.Context, data *providerData, a client.Address) string {
	s, err := data.client.LookupSecret(ctx, a)
	if err != nil {
		return "unknown"
	}
	return s.Visibility
}

// notSelectedFix says how to fix a companion (the type typeName(suffix)) of
// a secret that is not selected.
func (k orgKind) notSelectedFix(a client.Address, suffix string) string {
	return fmt.Sprintf("Set visibility = \"selected\" on the %s for %s, or remove this %s resource.",
		k.typeName(""), a.StoredName(), k.typeName(suffix))
}

// privateListETag keeps the ETag of the list a Read saw, with that list, so
// the next run's Read asks GitHub "changed since?" and an unchanged list costs
// a 304, which GitHub does not count against the rate limit.
const privateListETag = "list_etag"

func readListETag(ctx context.Context, p privateData) (client.RepositoryList, diag.Diagnostics) {
	known, _, diags := getPrivate[client.RepositoryList](ctx, p, privateListETag)
	return known, diags
}

func writeListETag(ctx context.Context, p privateData, list client.RepositoryList) diag.Diagnostics {
	if list.ETag == "" {
		return setPrivate(ctx, p, privateListETag, nil)
	}
	return setPrivate(ctx, p, privateListETag, list)
}
