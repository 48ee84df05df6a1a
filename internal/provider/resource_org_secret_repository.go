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
	// variables: access to the row's variable, not to its secret.
	variables bool
	data      *providerData
}

type orgSecretRepositoryModel struct {
	ID           types.String `tfsdk:"id"`
	SecretName   types.String `tfsdk:"secret_name"`
	RepositoryID types.Int64  `tfsdk:"repository_id"`
}

// orgVariableRepositoryModel is the same model for a variable.
type orgVariableRepositoryModel struct {
	ID           types.String `tfsdk:"id"`
	SecretName   types.String `tfsdk:"variable_name"`
	RepositoryID types.Int64  `tfsdk:"repository_id"`
}

// loadGrant reads the model from a plan or state.
func (l orgListed) loadGrant(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
}) (orgSecretRepositoryModel, diag.Diagnostics) {
	if !l.variables {
		var m orgSecretRepositoryModel
		return m, from.Get(ctx, &m)
	}
	var m orgVariableRepositoryModel
	diags := from.Get(ctx, &m)
	return orgSecretRepositoryModel(m), diags
}

// storeGrant writes the model to a state.
func (l orgListed) storeGrant(ctx context.Context, to interface {
	Set(context.Context, any) diag.Diagnostics
}, m orgSecretRepositoryModel) diag.Diagnostics {
	if !l.variables {
		return to.Set(ctx, m)
	}
	return to.Set(ctx, orgVariableRepositoryModel(m))
}

func (r *orgSecretRepositoryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.of().typeName("_repository")
}

func (r *orgSecretRepositoryResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	l := r.of()
	resp.Schema = schema.Schema{
		MarkdownDescription: strings.TrimSpace("One repository's access to " + l.selected() + ". " +
			"Not authoritative: it adds and removes only its own repository, so several of these (in one " +
			"configuration or many) and repositories added outside Terraform live side by side. Do not combine it " +
			"with `" + l.typeName("_repositories") + "` for the same " + l.thing() + ": that resource owns the whole " +
			"list and would remove what this one adds, and the two would undo each other on every apply. " +
			l.driftGap()),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`" + strings.ToUpper(l.thing()) + "_NAME:REPOSITORY_ID`, with the " + l.thing() +
					" name as GitHub stores it (upper-case).",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			l.nameAttr(): l.nameAttribute(),
			"repository_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the repository that may use the " + l.thing() + "; `ghsecrets_org_repositories` " +
					"finds it by name. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
		},
	}
}

func (r *orgSecretRepositoryResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.of().identity("_repository").schema()
}

// setIdentity writes the identity of the access in m.
func (r *orgSecretRepositoryResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m orgSecretRepositoryModel) diag.Diagnostics {
	return r.of().identity("_repository").set(ctx, to, secretIdentity{
		Owner: r.data.owner, SecretName: m.SecretName.ValueString(), RepositoryID: m.RepositoryID.ValueInt64(),
	})
}

func (r *orgSecretRepositoryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *orgSecretRepositoryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	l := r.of()
	plan, diags := l.loadGrant(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	repoID := plan.RepositoryID.ValueInt64()
	a, ok := r.of().in(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}

	err := r.data.writeOnce(a, claimed{aspect: aspectGrant, repositoryID: repoID}, func() error {
		return r.data.client.AddSelectedRepository(ctx, a, repoID)
	})
	switch {
	case client.IsConflict(err):
		resp.Diagnostics.AddAttributeError(path.Root(l.nameAttr()), l.title()+" Is Not Selected",
			fmt.Sprintf("Could not give repository %d access to %s: its visibility is %q, and "+
				"GitHub keeps a repository list only for %ss with visibility \"selected\" (GitHub answered %s). %s",
				repoID, a, visibilityOf(ctx, r.data, a), l.thing(), err, l.notSelectedFix(a, "_repository")))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root(l.nameAttr()), l.title()+" Not Found",
			fmt.Sprintf("Could not give repository %d access to %s: the %s does not exist "+
				"(GitHub answered %s). Create it first, for example with "+l.typeName("")+", and refer to its "+
				l.nameAttr()+" so Terraform orders the two.", repoID, a, l.thing(), err))
		return
	case err != nil:
		l.apiError(&resp.Diagnostics, "Error Adding "+l.title()+" Repository",
			fmt.Sprintf("give repository %d access to", repoID), a, err)
		return
	}
	tflog.Info(ctx, "gave a repository access to a "+l.holder()+" "+l.thing(), map[string]any{
		"owner": a.Scope().Owner(), l.thing(): a.StoredName(), "repository_id": repoID,
	})
	plan.ID = types.StringValue(secretRepositoryID(a, repoID))
	resp.Diagnostics.Append(l.storeGrant(ctx, &resp.State, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *orgSecretRepositoryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	l := r.of()
	state, diags := l.loadGrant(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	repoID := state.RepositoryID.ValueInt64()
	a, ok := r.of().in(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	logFields := map[string]any{"owner": a.Scope().Owner(), l.thing(): a.StoredName(), "repository_id": repoID}

	// Cached per secret: N of these resources cost one list read per run.
	ids, err := r.data.client.SelectedRepositoryIDs(ctx, a)
	switch {
	case client.IsNotFound(err):
		tflog.Info(ctx, l.holder()+" "+l.thing()+" no longer exists; removing the repository's access from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	case client.IsConflict(err):
		resp.Diagnostics.AddWarning(l.title()+" Is Not Selected",
			fmt.Sprintf("The %s has visibility %q, so no repository list applies to it; the access "+
				"of repository %d is removed from state and will be planned again. %s",
				a, visibilityOf(ctx, r.data, a), repoID, r.of().notSelectedFix(a, "_repository")))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		l.apiError(&resp.Diagnostics, "Error Reading "+l.title()+" Repositories", "list the repositories of", a, err)
		return
	}
	if !slices.Contains(ids, repoID) {
		tflog.Info(ctx, "repository no longer has access to the "+l.holder()+" "+l.thing()+"; removing it from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(secretRepositoryID(a, repoID))
	resp.Diagnostics.Append(l.storeGrant(ctx, &resp.State, state)...)
}

// Update only ever sees a change of the secret name's case: every other
// change replaces the resource.
func (r *orgSecretRepositoryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := r.of().loadGrant(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.of().in(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	plan.ID = types.StringValue(secretRepositoryID(a, plan.RepositoryID.ValueInt64()))
	resp.Diagnostics.Append(r.of().storeGrant(ctx, &resp.State, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *orgSecretRepositoryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := r.of().loadGrant(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	repoID := state.RepositoryID.ValueInt64()
	a, ok := r.of().in(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectGrant, repositoryID: repoID}, &resp.Diagnostics, func() error {
		return r.data.client.RemoveSelectedRepository(ctx, a, repoID)
	})
	// A deleted secret, or one no longer selected, has no access left to take away.
	if err != nil && !client.IsNotFound(err) && !client.IsConflict(err) {
		r.of().apiError(&resp.Diagnostics, "Error Removing "+r.of().title()+" Repository",
			fmt.Sprintf("take repository %d's access away from", repoID), a, err)
	}
}

func (r *orgSecretRepositoryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.of().identity("_repository").importByIdentity(ctx, r.of().typeName("_repository"), r.data.owner, req, resp) {
		return
	}
	a, repoID, diags := r.of().parseGrantID(r.data, req.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.of().nameAttr()), a.Name())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository_id"), repoID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), secretRepositoryID(a, repoID))...)
}

// secretRepositoryID is the resource id: SECRET_NAME:REPOSITORY_ID (or
// VARIABLE_NAME:REPOSITORY_ID).
func secretRepositoryID(a client.Address, repoID int64) string {
	return a.StoredName() + ":" + strconv.FormatInt(repoID, 10)
}

// parseSecretRepositoryID reads an import id; the name keeps its spelling.
func parseSecretRepositoryID(k orgKind, data *providerData, id string) (client.Address, int64, diag.Diagnostics) {
	return orgListed{kind: k}.parseGrantID(data, id)
}

// parseGrantID reads an import id of the row's secret or variable.
func (l orgListed) parseGrantID(data *providerData, id string) (a client.Address, repoID int64, diags diag.Diagnostics) {
	upper := strings.ToUpper(l.thing())
	fail := func(reason string) (client.Address, int64, diag.Diagnostics) {
		diags.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s as %s_NAME:REPOSITORY_ID, for example MY_%s:1296269; %q %s.",
				l.typeName("_repository"), upper, upper, id, reason))
		return client.Address{}, 0, diags
	}
	name, idText, ok := strings.Cut(id, ":")
	if !ok {
		return fail("has no colon between the " + l.thing() + " name and the repository id")
	}
	a, err := l.address(data.owner, name)
	if err != nil {
		return fail(fmt.Sprintf("does not start with a %s GitHub could name: %s", l.thing(), err))
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
	r.of().checkServer(r.data, &resp.Diagnostics)
	plan, diags := r.of().loadGrant(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if plan.SecretName.IsUnknown() || plan.RepositoryID.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	if a, ok := r.of().in(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics); ok {
		id := plan.RepositoryID.ValueInt64()
		r.data.claim(req, resp, a, claimed{aspect: aspectGrant, repositoryID: id,
			by: claimant(r.of().typeName("_repository"), r.of().nameAttr(), a.Name(), "repository_id", strconv.FormatInt(id, 10))})
	}
}
