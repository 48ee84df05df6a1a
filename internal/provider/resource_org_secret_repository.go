package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*orgSecretRepositoryResource)(nil)
	_ resource.ResourceWithMoveState   = (*orgSecretRepositoryResource)(nil)
	_ resource.ResourceWithImportState = (*orgSecretRepositoryResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*orgSecretRepositoryResource)(nil)
	_ resource.ResourceWithIdentity    = (*orgSecretRepositoryResource)(nil)
)

type orgSecretRepositoryResource struct {
	kind orgKind
	data *providerData
}

type orgSecretRepositoryModel struct {
	ID           types.String `tfsdk:"id"`
	SecretName   types.String `tfsdk:"secret_name"`
	RepositoryID types.Int64  `tfsdk:"repository_id"`
}

func (r *orgSecretRepositoryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.typeName("_repository")
}

func (r *orgSecretRepositoryResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One repository's access to " + r.kind.selectedSecret() + ". " +
			"Not authoritative: it adds and removes only its own repository, so several of these (in one " +
			"configuration or many) and repositories added outside Terraform live side by side. Do not combine it " +
			"with `" + r.kind.typeName("_repositories") + "` for the same secret: that resource owns the whole " +
			"list and would remove what this one adds, and the two would undo each other on every apply. " +
			companionDriftGap,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`SECRET_NAME:REPOSITORY_ID`, with the secret name as GitHub stores it (upper-case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_name": secretNameAttribute(r.kind.existingSecretName()),
			"repository_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the repository that may use the secret; `ghsecrets_org_repositories` " +
					"finds it by name. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
		},
	}
}

func (r *orgSecretRepositoryResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identity("_repository").schema()
}

// setIdentity writes the identity of the access in m.
func (r *orgSecretRepositoryResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m orgSecretRepositoryModel) diag.Diagnostics {
	return r.kind.identity("_repository").set(ctx, to, secretIdentity{
		Owner: r.data.owner, SecretName: m.SecretName.ValueString(), RepositoryID: m.RepositoryID.ValueInt64(),
	})
}

func (r *orgSecretRepositoryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *orgSecretRepositoryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan orgSecretRepositoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	repoID := plan.RepositoryID.ValueInt64()
	a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}

	err := r.data.writeOnce(a, claimed{aspect: aspectGrant, repositoryID: repoID}, func() error {
		return r.data.client.AddSelectedRepository(ctx, a, repoID)
	})
	switch {
	case client.IsConflict(err):
		resp.Diagnostics.AddAttributeError(path.Root("secret_name"), "Secret Is Not Selected",
			fmt.Sprintf("Could not give repository %d access to %s: its visibility is %q, and "+
				"GitHub keeps a repository list only for secrets with visibility \"selected\" (GitHub answered %s). %s",
				repoID, a, visibilityOf(ctx, r.data, a), err, r.kind.notSelectedFix(a, "_repository")))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("secret_name"), "Secret Not Found",
			fmt.Sprintf("Could not give repository %d access to %s: the secret does not exist "+
				"(GitHub answered %s). Create it first, for example with "+r.kind.typeName("")+", and refer to its "+
				"secret_name so Terraform orders the two.", repoID, a, err))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error Adding Secret Repository",
			fmt.Sprintf("give repository %d access to", repoID), r.kind, a, err)
		return
	}
	tflog.Info(ctx, "gave a repository access to a "+r.kind.holder()+" secret", map[string]any{
		"owner": a.Scope().Owner(), "secret": a.StoredName(), "repository_id": repoID,
	})
	plan.ID = types.StringValue(secretRepositoryID(a, repoID))
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *orgSecretRepositoryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state orgSecretRepositoryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	repoID := state.RepositoryID.ValueInt64()
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	logFields := map[string]any{"owner": a.Scope().Owner(), "secret": a.StoredName(), "repository_id": repoID}

	// Cached per secret: N of these resources cost one list read per run.
	ids, err := r.data.client.SelectedRepositoryIDs(ctx, a)
	switch {
	case client.IsNotFound(err):
		tflog.Info(ctx, r.kind.holder()+" secret no longer exists; removing the repository's access from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	case client.IsConflict(err):
		resp.Diagnostics.AddWarning("Secret Is Not Selected",
			fmt.Sprintf("The %s has visibility %q, so no repository list applies to it; the access "+
				"of repository %d is removed from state and will be planned again. %s",
				a, visibilityOf(ctx, r.data, a), repoID, r.kind.notSelectedFix(a, "_repository")))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error Reading Secret Repositories", "list the repositories of", r.kind, a, err)
		return
	}
	if !slices.Contains(ids, repoID) {
		tflog.Info(ctx, "repository no longer has access to the "+r.kind.holder()+" secret; removing it from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(secretRepositoryID(a, repoID))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update only ever sees a change of the secret name's case: every other
// change replaces the resource.
func (r *orgSecretRepositoryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan orgSecretRepositoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	plan.ID = types.StringValue(secretRepositoryID(a, plan.RepositoryID.ValueInt64()))
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *orgSecretRepositoryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state orgSecretRepositoryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	repoID := state.RepositoryID.ValueInt64()
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectGrant, repositoryID: repoID}, &resp.Diagnostics, func() error {
		return r.data.client.RemoveSelectedRepository(ctx, a, repoID)
	})
	// A deleted secret, or one no longer selected, has no access left to take away.
	if err != nil && !client.IsNotFound(err) && !client.IsConflict(err) {
		addAPIError(&resp.Diagnostics, "Error Removing Secret Repository",
			fmt.Sprintf("take repository %d's access away from", repoID), r.kind, a, err)
	}
}

func (r *orgSecretRepositoryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.kind.identity("_repository").importByIdentity(ctx, r.kind.typeName("_repository"), r.data.owner, req, resp) {
		return
	}
	a, repoID, diags := parseSecretRepositoryID(r.kind, r.data, req.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("secret_name"), a.Name())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository_id"), repoID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), secretRepositoryID(a, repoID))...)
}

// secretRepositoryID is the resource id: SECRET_NAME:REPOSITORY_ID.
func secretRepositoryID(a client.Address, repoID int64) string {
	return a.StoredName() + ":" + strconv.FormatInt(repoID, 10)
}

// parseSecretRepositoryID reads an import id; the name keeps its spelling.
func parseSecretRepositoryID(k orgKind, data *providerData, id string) (a client.Address, repoID int64, diags diag.Diagnostics) {
	fail := func(reason string) (client.Address, int64, diag.Diagnostics) {
		diags.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s as SECRET_NAME:REPOSITORY_ID, for example MY_SECRET:1296269; %q %s.",
				k.typeName("_repository"), id, reason))
		return client.Address{}, 0, diags
	}
	name, idText, ok := strings.Cut(id, ":")
	if !ok {
		return fail("has no colon between the secret name and the repository id")
	}
	a, err := k.address(data.owner, name)
	if err != nil {
		return fail(fmt.Sprintf("does not start with a secret GitHub could name: %s", err))
	}
	repoID, err = strconv.ParseInt(idText, 10, 64)
	if err != nil || repoID < 1 {
		return fail(fmt.Sprintf("does not end with a repository id (a whole number of at least 1): %q", idText))
	}
	return a, repoID, nil
}

// ModifyPlan refuses a kind the configured server cannot serve, before any
// request, and claims the repository's access to the secret.
func (r *orgSecretRepositoryResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	r.kind.checkServer(r.data, &resp.Diagnostics)
	var plan orgSecretRepositoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if plan.SecretName.IsUnknown() || plan.RepositoryID.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	if a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics); ok {
		id := plan.RepositoryID.ValueInt64()
		r.data.claim(req, resp, a, claimed{aspect: aspectGrant, repositoryID: id,
			by: claimant(r.kind.typeName("_repository"), "secret_name", a.Name(), "repository_id", strconv.FormatInt(id, 10))})
	}
}
