package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

const (
	visibilityAll      = "all"
	visibilityPrivate  = "private"
	visibilitySelected = "selected"

	// maxValueBytes is GitHub's limit for one secret value (48 KB).
	maxValueBytes = 48 * 1024
	// sealedBoxOverhead is what sealing adds to a plaintext.
	sealedBoxOverhead = 48

	// secretSchemaVersion is the version of the secret resource's schema;
	// every change to it comes with an upgrader from each earlier version.
	secretSchemaVersion = 1
)

// encryptedValuePattern is the request body pattern for encrypted_value in the API description.
var encryptedValuePattern = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$`)

var (
	_ resource.ResourceWithConfigure        = (*orgSecretResource)(nil)
	_ resource.ResourceWithMoveState        = (*orgSecretResource)(nil)
	_ resource.ResourceWithImportState      = (*orgSecretResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*orgSecretResource)(nil)
	_ resource.ResourceWithConfigValidators = (*orgSecretResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*orgSecretResource)(nil)
	_ resource.ResourceWithUpgradeState     = (*orgSecretResource)(nil)
	_ resource.ResourceWithIdentity         = (*orgSecretResource)(nil)
)

type orgSecretResource struct {
	kind orgKind
	data *providerData
}

type orgSecretModel struct {
	ID         types.String `tfsdk:"id"`
	SecretName types.String `tfsdk:"secret_name"`
	Visibility types.String `tfsdk:"visibility"`
	secretValueModel
	// RepositoryIDs is the secret's own, authoritative repository list;
	// null when the list is left to the companion resources.
	RepositoryIDs types.List   `tfsdk:"selected_repository_ids"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

func (r *orgSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.typeName("")
}

func (r *orgSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := secretValueAttributes(r.kind.holder(), r.kind.publicKeyType())
	resp.Schema = schema.Schema{
		Version: secretSchemaVersion,
		MarkdownDescription: r.kind.secretIntro() + " The value is sealed on the client " +
			"for the public key of the " + r.kind.holder() + "'s " + r.kind.title() + " secrets (each kind has its own) " +
			"and passed through write-only attributes: state and plan hold the secret's metadata only. " +
			"Changes made to the value outside Terraform show in `plan` as an in-place update that writes the " +
			"configured value again. Which repositories may use a `selected` secret is set either here, with " +
			"`selected_repository_ids`, or by `" + r.kind.typeName("_repositories") + "` / " +
			"`" + r.kind.typeName("_repository") + "`; never both. Without `selected_repository_ids`, changing " +
			"this resource never changes the list.",
		Attributes: withAttributes(attrs, map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The secret name as GitHub stores it (upper-case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_name": secretNameAttribute("Name of the secret."),
			"visibility":  r.visibilityAttribute(),
			"selected_repository_ids": repositoryIDsAttribute("Ids of the repositories that may use a `selected` secret, "+
				"managed authoritatively by this resource: the list is sent with the value when the secret is written "+
				"(no extra request), a change to it alone costs one request, and repositories added or removed outside "+
				"Terraform show as drift. Only with `visibility = \"selected\"`; may be empty. Leave it unset to manage "+
				"the list with `"+r.kind.typeName("_repositories")+"` or `"+r.kind.typeName("_repository")+"` "+
				"instead; setting it and using those for the same secret makes them undo each other. Destroying "+
				"the secret takes its list with it.", false),
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the secret was created (RFC 3339), as GitHub reports it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When GitHub last changed the secret (RFC 3339). GitHub also moves this time when the " +
					"visibility or the repository list changes.",
				Computed: true,
			},
		}),
	}
}

// visibilityAttribute is the organization secret's choice of visibility; a
// user's secret has none to choose: GitHub keeps it `selected`.
func (r *orgSecretResource) visibilityAttribute() schema.Attribute {
	if r.kind.user {
		return schema.StringAttribute{
			MarkdownDescription: "Always `selected`: a user's Codespaces secret is available to the codespaces of the " +
				"repositories in its list only (`selected_repository_ids` or `" + r.kind.typeName("_repositories") + "`).",
			Computed: true,
			Default:  stringdefault.StaticString(visibilitySelected),
		}
	}
	return schema.StringAttribute{
		MarkdownDescription: "Which repositories of the organization may use the secret: `all`, `private` " +
			"(private and internal repositories) or `selected` (the repositories in `selected_repository_ids` " +
			"or listed by `" + r.kind.typeName("_repositories") + "`). Changes in place.",
		Required:   true,
		Validators: []validator.String{stringvalidator.OneOf(visibilityAll, visibilityPrivate, visibilitySelected)},
	}
}

func (r *orgSecretResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identity("").schema()
}

// setIdentity writes the identity of the secret in m.
func (r *orgSecretResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m orgSecretModel) diag.Diagnostics {
	return r.kind.identity("").set(ctx, to, secretIdentity{Owner: r.data.owner, SecretName: m.SecretName.ValueString()})
}

func (r *orgSecretResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("value_wo"), path.MatchRoot("encrypted_value_wo")),
	}
}

// ValidateConfig rejects a repository list on a secret that is not selected,
// before any request: GitHub answers such a write with 422.
func (r *orgSecretResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	checkListNeedsSelected(ctx, req.Config, "secret", &resp.Diagnostics)
}

// checkListNeedsSelected refuses a configured selected_repository_ids on a
// thing ("secret", "variable") whose configured visibility is not selected.
func checkListNeedsSelected(ctx context.Context, cfg tfsdk.Config, thing string, diags *diag.Diagnostics) {
	var visibility types.String
	var ids types.List
	diags.Append(cfg.GetAttribute(ctx, path.Root("visibility"), &visibility)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("selected_repository_ids"), &ids)...)
	if ids.IsNull() || visibility.IsNull() || visibility.IsUnknown() || visibility.ValueString() == visibilitySelected {
		return
	}
	diags.AddAttributeError(path.Root("selected_repository_ids"), "Repository List Needs Selected Visibility",
		fmt.Sprintf("The selected_repository_ids attribute is only allowed with visibility = %q; this %s has visibility = %q, "+
			"which already decides which repositories may use it. Remove selected_repository_ids, or set visibility = %q.",
			visibilitySelected, thing, visibility.ValueString(), visibilitySelected))
}

func (r *orgSecretResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan claims the secret for this resource, and turns a value change
// recorded by Read into an in-place update that writes the configured value
// again, unless the configuration accepts such changes. updated_at is known
// after apply only when the update writes something GitHub stamps (the
// value, the visibility or the managed list).
func (r *orgSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	r.kind.checkServer(r.data, &resp.Diagnostics)
	var plan orgSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil && !plan.SecretName.IsUnknown() {
		a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
		if !ok {
			return
		}
		by := claimant(r.kind.typeName(""), "secret_name", a.Name())
		r.data.claim(req, resp, a, claimed{aspect: aspectValue, by: by})
		if !plan.RepositoryIDs.IsNull() {
			r.data.claim(req, resp, a, claimed{aspect: aspectList, by: by})
		}
	}
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	var state orgSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)
	restore := restoresValue(rec, plan.policy())
	if restore {
		warnValueChanged(&resp.Diagnostics, r.describe(state.SecretName.ValueString()), rec)
	}
	stamped := restore || writesValue(plan, state) ||
		(!plan.RepositoryIDs.IsNull() && !sameRepositoryIDs(plan.RepositoryIDs, state.RepositoryIDs))
	updatedAt := state.UpdatedAt
	if stamped {
		updatedAt = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), updatedAt)...)
}

// describe names a secret of this resource for messages.
func (r *orgSecretResource) describe(name string) string {
	if r.data != nil {
		if a, err := r.kind.address(r.data.owner, name); err == nil {
			return a.String()
		}
	}
	return r.kind.holder() + " " + r.kind.title() + " secret " + secretname.Normalize(name)
}

// writesValue reports whether the configuration asks for the value to be
// written: a new visibility (sent with the value), version or key.
func writesValue(plan, state orgSecretModel) bool {
	return !plan.Visibility.Equal(state.Visibility) || plan.newValueAsked(state.secretValueModel)
}

func (r *orgSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg orgSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}

	// A new selected secret starts with its own list, or with none for the
	// companion resources to set; one that exists already keeps its list.
	ids := managedIDs(plan)
	if ids == nil && plan.Visibility.ValueString() == visibilitySelected {
		var err error
		if ids, err = r.existingList(ctx, a); err != nil {
			addAPIError(&resp.Diagnostics, "Error Creating "+r.kind.noun(), "list the repositories of", r.kind, a, err)
			return
		}
	}
	res, err := r.writeValue(ctx, a, cfg, plan.Visibility.ValueString(), ids, !plan.RepositoryIDs.IsNull())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating "+r.kind.noun(), "create", r.kind, a, err)
		return
	}
	if !res.Created {
		resp.Diagnostics.AddWarning("Secret Already Existed",
			fmt.Sprintf("The %s already existed; its value and visibility were replaced by "+
				"this configuration. Use an import block next time to adopt an existing secret.", a))
	}
	tflog.Info(ctx, "created "+r.kind.holder()+" secret", map[string]any{"owner": a.Scope().Owner(), "secret": a.StoredName()})

	resp.Diagnostics.Append(r.recordWrite(ctx, a, &plan, res, types.StringUnknown(), ids, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

// existingList is the repository list of a selected secret that already
// exists at a, so that a create over it, which GitHub treats as an update,
// sends the list along instead of clearing it; nil when there is no such
// secret. Whether it exists comes from the organization's secret listing,
// which one run reads once for every secret.
func (r *orgSecretResource) existingList(ctx context.Context, a client.Address) ([]int64, error) {
	remote, err := r.data.client.LookupSecret(ctx, a)
	switch {
	case client.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, err
	case remote.Visibility != visibilitySelected:
		return nil, nil
	}
	ids, err := r.data.client.SelectedRepositoryIDs(ctx, a)
	if client.IsNotFound(err) || client.IsConflict(err) {
		return nil, nil // gone or changed since the listing: nothing to keep
	}
	return ids, err
}

// managedIDs is the planned list, sorted, when this resource manages it,
// else nil.
func managedIDs(m orgSecretModel) []int64 {
	ids, ok := repositoryIDList(m.RepositoryIDs)
	if !ok {
		return nil
	}
	return ids
}

// sameRepositoryIDs reports whether two lists hold the same ids, in any order.
func sameRepositoryIDs(a, b types.List) bool {
	x, okX := repositoryIDList(a)
	y, okY := repositoryIDList(b)
	return okX && okY && slices.Equal(x, y)
}

func (r *orgSecretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state orgSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before any request: state written before identities existed gets one
	// even when the secret turns out to be gone.
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	owner := a.Scope().Owner()

	remote, err := r.data.client.LookupSecret(ctx, a)
	if client.IsNotFound(err) {
		tflog.Info(ctx, r.kind.holder()+" secret no longer exists; removing it from state", map[string]any{"owner": owner, "secret": a.StoredName()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading "+r.kind.noun(), "read", r.kind, a, err)
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)

	obs := drift.Observation{UpdatedAt: remote.UpdatedAt, Visibility: remote.Visibility}
	if !state.RepositoryIDs.IsNull() {
		obs.Repositories, diags = r.readManagedList(ctx, a, remote, &state, resp.Private)
		resp.Diagnostics.Append(diags...)
	}
	if !resp.Diagnostics.HasError() && drift.NeedsRepositories(rec, obs) {
		obs.Repositories, err = r.data.client.SelectedRepositoryIDs(ctx, a)
		if err != nil && !client.IsConflict(err) && !client.IsNotFound(err) {
			addAPIError(&resp.Diagnostics, "Error Reading "+r.kind.noun(), "list the repositories of", r.kind, a, err)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	verdict := drift.Decide(rec, obs, state.policy())
	fields := map[string]any{"owner": owner, "secret": remote.Name, "updated_at": formatTime(remote.UpdatedAt)}
	resp.Diagnostics.Append(keepVerdict(ctx, resp.Private, verdict, fields)...)

	// secret_name keeps the configured spelling; GitHub's upper-case one goes to id.
	state.ID = types.StringValue(remote.Name)
	state.OnValueDrift = types.StringValue(string(state.policy())) // the default, after an import
	state.Visibility = types.StringValue(remote.Visibility)
	state.CreatedAt = types.StringValue(formatTime(remote.CreatedAt))
	state.UpdatedAt = types.StringValue(formatTime(remote.UpdatedAt))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// readManagedList puts the repository list GitHub has in state, asking
// "changed since?" with the ETag of the last read, and returns it for the
// drift rule (nil when not read). A secret that is no longer selected has no
// list: state shows it empty, and the plan sets it again.
func (r *orgSecretResource) readManagedList(ctx context.Context, a client.Address, remote *client.Secret,
	state *orgSecretModel, private privateData) ([]int64, diag.Diagnostics) {
	list, read, diags, err := readListSince(ctx, r.data.client, a, remote.Visibility == visibilitySelected, private)
	if err != nil {
		addAPIError(&diags, "Error Reading "+r.kind.noun(), "list the repositories of", r.kind, a, err)
		return nil, diags
	}
	state.RepositoryIDs = repositoryIDsValue(state.RepositoryIDs, list.IDs)
	if !read {
		return nil, diags
	}
	return list.IDs, diags
}

// readListSince reads the repository list of a selected secret or variable
// at a, asking "changed since?" with the ETag private keeps from the last
// read (an unchanged list is a 304, which GitHub does not count), and keeps
// the new ETag there. One that is not selected has an empty list. read
// reports whether GitHub gave the list: a list that changed between the two
// reads (a 404 or 409) is empty until the next refresh sees it whole. On err
// private is left as it was.
func readListSince(ctx context.Context, c *client.Client, a client.Address, selected bool,
	private privateData) (list client.RepositoryList, read bool, diags diag.Diagnostics, err error) {
	list = client.RepositoryList{IDs: []int64{}}
	if selected {
		known, d := readListETag(ctx, private)
		diags.Append(d...)
		got, err := c.SelectedRepositoryList(ctx, a, known)
		switch {
		case client.IsConflict(err) || client.IsNotFound(err):
		case err != nil:
			return list, false, diags, err
		default:
			list, read = got, true
		}
	}
	diags.Append(writeListETag(ctx, private, list)...)
	return list, read, diags, nil
}

func (r *orgSecretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg orgSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
	a, ok := r.kind.secretIn(r.data, plan.SecretName.ValueString(), "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}

	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)
	managed := managedIDs(plan)
	if resp.Diagnostics.HasError() {
		return
	}
	if !restoresValue(rec, plan.policy()) && !writesValue(plan, state) {
		// No value write: the spelling of the name or on_value_drift changed,
		// the list is left to the companion resources from now on, or only
		// the managed list changed.
		plan.ID, plan.CreatedAt, plan.UpdatedAt = state.ID, state.CreatedAt, state.UpdatedAt
		if managed != nil && !sameRepositoryIDs(plan.RepositoryIDs, state.RepositoryIDs) {
			res, wrote, diags := r.setManagedList(ctx, a, managed, state.RepositoryIDs.IsNull(), resp.Private)
			resp.Diagnostics.Append(diags...)
			if resp.Diagnostics.HasError() {
				return
			}
			if wrote {
				// GitHub moved updated_at for the list: record this write, so
				// a later change of the value is not taken for it.
				resp.Diagnostics.Append(r.recordWrite(ctx, a, &plan, res, state.CreatedAt, managed, resp.Private)...)
				resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
				return
			}
			if rec != nil {
				rec.Repositories = managed
			}
		}
		if rec != nil && plan.policy() == drift.Accept {
			*rec = rec.Accepting()
		}
		if rec != nil {
			resp.Diagnostics.Append(saveRecord(ctx, resp.Private, rec)...)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	// GitHub clears the list of a selected secret when a PUT omits it: send
	// the managed one, or else the current one.
	keep := managed
	if keep == nil && plan.Visibility.ValueString() == visibilitySelected && state.Visibility.ValueString() == visibilitySelected {
		ids, err := r.data.client.SelectedRepositoryIDs(ctx, a)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Error Updating "+r.kind.noun(), "list the repositories of", r.kind, a, err)
			return
		}
		keep = ids
	}

	res, err := r.writeValue(ctx, a, cfg, plan.Visibility.ValueString(), keep, managed != nil)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Updating "+r.kind.noun(), "update", r.kind, a, err)
		return
	}
	tflog.Info(ctx, "updated "+r.kind.holder()+" secret", map[string]any{"owner": a.Scope().Owner(), "secret": a.StoredName()})

	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, privateListETag, nil)...)
	resp.Diagnostics.Append(r.recordWrite(ctx, a, &plan, res, state.CreatedAt, keep, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// setManagedList writes a changed list on its own: one request, no value. It
// reports whether it wrote: taking a list over (after an import, or from a
// companion resource) reads it first, and an equal list needs no write.
func (r *orgSecretResource) setManagedList(ctx context.Context, a client.Address, ids []int64,
	takingOver bool, private privateData) (client.WriteResult, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	if takingOver {
		current, err := r.data.client.SelectedRepositoryIDs(ctx, a)
		if err == nil && slices.Equal(current, ids) {
			return client.WriteResult{}, false, diags
		}
	}
	var res client.WriteResult
	err := r.data.writeOnce(a, claimed{aspect: aspectList}, func() (err error) {
		res, err = r.data.client.SetSelectedRepositories(ctx, a, ids)
		return err
	})
	if err != nil {
		addAPIError(&diags, "Error Setting Secret Repositories", "set the repositories of", r.kind, a, err)
		return res, false, diags
	}
	tflog.Info(ctx, "set "+r.kind.holder()+" secret repositories", map[string]any{
		"owner": a.Scope().Owner(), "secret": a.StoredName(), "repositories": len(ids),
	})
	diags.Append(setPrivate(ctx, private, privateListETag, nil)...)
	return res, true, diags
}

func (r *orgSecretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state orgSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.kind.secretIn(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectValue}, &resp.Diagnostics, func() error {
		return r.data.client.DeleteSecret(ctx, a)
	})
	if err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting "+r.kind.noun(), "delete", r.kind, a, err)
		return
	}
	tflog.Info(ctx, "deleted "+r.kind.holder()+" secret", map[string]any{"owner": a.Scope().Owner(), "secret": a.StoredName()})
}

func (r *orgSecretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.kind.identity("").importByIdentity(ctx, r.kind.typeName(""), r.data.owner, req, resp) {
		return
	}
	importBySecretName(ctx, r.kind.typeName(""), r.kind, r.data, req, resp)
}

// writeValue PUTs the configured value with the organization secret's
// visibility and list; ownList: the list is this resource's own.
func (r *orgSecretResource) writeValue(ctx context.Context, a client.Address, cfg orgSecretModel, visibility string,
	repositoryIDs []int64, ownList bool) (client.WriteResult, error) {
	var res client.WriteResult
	err := r.data.writeOnce(a, claimed{aspect: aspectValue}, func() (err error) {
		res, err = writeSecretValue(ctx, r.data.client, a, cfg.secretValueModel, visibility, repositoryIDs)
		return err
	})
	if err == nil && ownList {
		r.data.claims.wrote(a, claimed{aspect: aspectList})
	}
	return res, err
}

// recordWrite puts the write's metadata in m and keeps the drift record it
// leaves (see recordSecretWrite).
func (r *orgSecretResource) recordWrite(ctx context.Context, a client.Address, m *orgSecretModel, res client.WriteResult,
	createdAt types.String, repositoryIDs []int64, private privateData) diag.Diagnostics {
	out, diags := recordSecretWrite(ctx, r.data.client, secretWrite{
		addr: a, permission: r.kind.permission, res: res, createdAt: createdAt,
		visibility: m.Visibility.ValueString(), repositories: repositoryIDs,
	}, private)
	m.ID, m.CreatedAt, m.UpdatedAt = out.ID, out.CreatedAt, out.UpdatedAt
	return diags
}

// privateData is the part of the framework's private state API used here.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// getPrivate decodes the JSON recorded under key. ok is false when nothing
// readable is recorded: private state is a hint, and a missing hint only
// costs a fuller read.
func getPrivate[T any](ctx context.Context, p privateData, key string) (v T, ok bool, diags diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, key)
	if len(raw) == 0 || diags.HasError() || json.Unmarshal(raw, &v) != nil {
		var zero T
		return zero, false, diags
	}
	return v, true, diags
}

// setPrivate records v under key as JSON; a nil v removes the key.
func setPrivate(ctx context.Context, p privateData, key string, v any) diag.Diagnostics {
	if v == nil {
		return p.SetKey(ctx, key, nil)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Error Recording Private State", fmt.Sprintf("Could not record %s: %s.", key, err))
		return diags
	}
	return p.SetKey(ctx, key, raw)
}

// encryptedValueValidator checks the API's base64 pattern without echoing the
// value into the diagnostic, as the generic regex validator would.
type encryptedValueValidator struct{}

var _ validator.String = encryptedValueValidator{}

func (encryptedValueValidator) Description(context.Context) string {
	return "must be a sealed box in standard base64 (the API's encrypted_value pattern)"
}

func (v encryptedValueValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v encryptedValueValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !encryptedValuePattern.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Encrypted Value",
			fmt.Sprintf("The %s %s; the value given is not (it is not shown here). "+
				"Seal the value with libsodium's crypto_box_seal for the organization public key and encode it with standard base64.",
				req.Path, v.Description(ctx)))
		return
	}
	// A sealed box is the plaintext plus a 32-byte ephemeral key and a 16-byte tag.
	n := base64.StdEncoding.DecodedLen(len(req.ConfigValue.ValueString())) -
		strings.Count(req.ConfigValue.ValueString(), "=")
	switch {
	case n < sealedBoxOverhead:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Encrypted Value",
			fmt.Sprintf("The %s decodes to %d bytes, fewer than the %d bytes every sealed box has "+
				"(a 32-byte ephemeral public key and a 16-byte tag). Seal the value with libsodium's crypto_box_seal.",
				req.Path, n, sealedBoxOverhead))
	case n > maxValueBytes+sealedBoxOverhead:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Encrypted Value",
			fmt.Sprintf("The %s decodes to %d bytes: it seals more than GitHub's limit of %d bytes for a secret value.",
				req.Path, n, maxValueBytes))
	}
}

func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func parseTime(v types.String) (time.Time, bool) {
	if v.IsNull() || v.IsUnknown() {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	return t, err == nil
}
