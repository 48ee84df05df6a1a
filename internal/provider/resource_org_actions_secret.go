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

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
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

	// Private state keys (metadata only, never a value).
	privateRepositoryIDs = "repository_ids" // list seen at our last write or read, explains updated_at bumps
	privateValueDrift    = "value_drift"    // set when the value changed outside Terraform
	privateWriteBound    = "write_bound"    // set while updated_at is our write's Date, not GitHub's own value

	// writeClockSkew is how far GitHub's updated_at may run past the Date of
	// the answer to that very write (the two come from different hosts).
	writeClockSkew = 2 * time.Second
)

// encryptedValuePattern is the request body pattern for encrypted_value in the API description.
var encryptedValuePattern = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$`)

var (
	_ resource.ResourceWithConfigure        = (*orgActionsSecretResource)(nil)
	_ resource.ResourceWithImportState      = (*orgActionsSecretResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*orgActionsSecretResource)(nil)
	_ resource.ResourceWithConfigValidators = (*orgActionsSecretResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*orgActionsSecretResource)(nil)
)

// NewOrgActionsSecretResource returns the ghsecrets_org_actions_secret resource.
func NewOrgActionsSecretResource() resource.Resource {
	return &orgActionsSecretResource{}
}

type orgActionsSecretResource struct {
	data *providerData
}

type orgActionsSecretModel struct {
	ID               types.String `tfsdk:"id"`
	SecretName       types.String `tfsdk:"secret_name"`
	Visibility       types.String `tfsdk:"visibility"`
	ValueWO          types.String `tfsdk:"value_wo"`
	EncryptedValueWO types.String `tfsdk:"encrypted_value_wo"`
	KeyID            types.String `tfsdk:"key_id"`
	ValueWOVersion   types.Int64  `tfsdk:"value_wo_version"`
	// RepositoryIDs is the secret's own, authoritative repository list;
	// null when the list is left to the companion resources.
	RepositoryIDs types.Set    `tfsdk:"selected_repository_ids"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

// valueDrift is the private record of a value change made outside Terraform.
type valueDrift struct {
	ChangedAt string `json:"changed_at"`
}

func (r *orgActionsSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_actions_secret"
}

func (r *orgActionsSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An organization Actions secret. The value is sealed on the client for the organization's " +
			"public key and passed through write-only attributes: state and plan hold the secret's metadata only. " +
			"Changes made to the value outside Terraform show in `plan` as an in-place update that writes the " +
			"configured value again. Which repositories may use a `selected` secret is set either here, with " +
			"`selected_repository_ids`, or by `ghsecrets_org_actions_secret_repositories` / " +
			"`ghsecrets_org_actions_secret_repository`; never both. Without `selected_repository_ids`, changing " +
			"this resource never changes the list.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The secret name as GitHub stores it (upper-case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_name": secretNameAttribute("Name of the secret."),
			"visibility": schema.StringAttribute{
				MarkdownDescription: "Which repositories of the organization may use the secret: `all`, `private` " +
					"(private and internal repositories) or `selected` (the repositories in `selected_repository_ids` " +
					"or listed by `ghsecrets_org_actions_secret_repositories`). Changes in place.",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(visibilityAll, visibilityPrivate, visibilitySelected)},
			},
			"value_wo": schema.StringAttribute{
				MarkdownDescription: "The plaintext value, at most 48 KB. Write-only: Terraform never stores it in " +
					"state or plan. The provider seals it for the organization's public key during apply. " +
					"Exactly one of `value_wo` and `encrypted_value_wo` must be set. Requires Terraform 1.11 or later.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: []validator.String{stringvalidator.LengthAtMost(maxValueBytes)},
			},
			"encrypted_value_wo": schema.StringAttribute{
				MarkdownDescription: "A value already sealed (libsodium sealed box, standard base64) for the " +
					"organization's public key, whose id is given in `key_id`. Write-only. Use it when the plaintext " +
					"must never reach Terraform at all; the public key is available from the " +
					"`ghsecrets_org_actions_public_key` data source.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					encryptedValueValidator{},
					stringvalidator.AlsoRequires(path.MatchRoot("key_id")),
				},
			},
			"key_id": schema.StringAttribute{
				MarkdownDescription: "Id of the organization public key that `encrypted_value_wo` was sealed for. " +
					"Required with `encrypted_value_wo`, not allowed with `value_wo`. Changing it writes the value again.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.AlsoRequires(path.MatchRoot("encrypted_value_wo")),
				},
			},
			"value_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number that you change whenever the value changes. Terraform cannot see " +
					"write-only values between runs, so changing this number is how a new value is written: " +
					"the new value is read from the configuration during apply.",
				Optional: true,
			},
			"selected_repository_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of the repositories that may use a `selected` secret, managed authoritatively " +
					"by this resource: the list is sent with the value when the secret is written (no extra request), " +
					"a change to it alone costs one request, and repositories added or removed outside Terraform show " +
					"as drift. Only with `visibility = \"selected\"`; may be empty. Leave it unset to manage the list " +
					"with `ghsecrets_org_actions_secret_repositories` or `ghsecrets_org_actions_secret_repository` " +
					"instead; setting it and using those for the same secret makes them undo each other. Destroying " +
					"the secret takes its list with it.",
				ElementType: types.Int64Type,
				Optional:    true,
				Validators: []validator.Set{
					setvalidator.ValueInt64sAre(int64validator.AtLeast(1)),
				},
			},
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
		},
	}
}

func (r *orgActionsSecretResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("value_wo"), path.MatchRoot("encrypted_value_wo")),
	}
}

// ValidateConfig rejects a repository list on a secret that is not selected,
// before any request: GitHub answers such a write with 422.
func (r *orgActionsSecretResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var visibility types.String
	var ids types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("visibility"), &visibility)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("selected_repository_ids"), &ids)...)
	if ids.IsNull() || visibility.IsNull() || visibility.IsUnknown() || visibility.ValueString() == visibilitySelected {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("selected_repository_ids"), "Repository List Needs Selected Visibility",
		fmt.Sprintf("The selected_repository_ids attribute is only allowed with visibility = %q; this secret has visibility = %q, "+
			"which already decides which repositories may use it. Remove selected_repository_ids, or set visibility = %q.",
			visibilitySelected, visibility.ValueString(), visibilitySelected))
}

func (r *orgActionsSecretResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan turns a value change recorded by Read into an in-place update.
func (r *orgActionsSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	drift, diags := readValueDrift(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if drift == nil {
		return
	}
	var name types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &name)...)
	resp.Diagnostics.AddWarning("Secret Value Changed Outside Terraform",
		fmt.Sprintf("The value of organization secret %s was changed outside Terraform at %s. "+
			"This plan writes the configured value again.", name.ValueString(), drift.ChangedAt))
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.StringUnknown())...)
}

func (r *orgActionsSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg orgActionsSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner, name := r.data.owner, plan.SecretName.ValueString()

	// A new selected secret starts with its own list, or with none for the companion resources to set.
	ids, diags := managedIDs(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, err := r.writeValue(ctx, name, cfg, plan.Visibility.ValueString(), ids)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating Organization Secret", "create", owner, name, err)
		return
	}
	if !res.Created {
		resp.Diagnostics.AddWarning("Secret Already Existed",
			fmt.Sprintf("Organization secret %s already existed in %s; its value and visibility were replaced by "+
				"this configuration. Use an import block next time to adopt an existing secret.", secretname.Normalize(name), owner))
	}
	tflog.Info(ctx, "created organization secret", map[string]any{"owner": owner, "secret": secretname.Normalize(name)})

	resp.Diagnostics.Append(r.recordWrite(ctx, name, &plan, res, types.StringUnknown(), ids, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// managedIDs is the planned list when this resource manages it, else nil.
func managedIDs(ctx context.Context, m orgActionsSecretModel) ([]int64, diag.Diagnostics) {
	if m.RepositoryIDs.IsNull() || m.RepositoryIDs.IsUnknown() {
		return nil, nil
	}
	ids := []int64{}
	diags := m.RepositoryIDs.ElementsAs(ctx, &ids, false)
	slices.Sort(ids)
	return ids, diags
}

func (r *orgActionsSecretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state orgActionsSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner, name := r.data.owner, state.SecretName.ValueString()

	remote, err := r.data.client.LookupOrgSecret(ctx, owner, name)
	if client.IsNotFound(err) {
		tflog.Info(ctx, "organization secret no longer exists; removing it from state", map[string]any{"owner": owner, "secret": secretname.Normalize(name)})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading Organization Secret", "read", owner, name, err)
		return
	}

	// Read a managed list first: explainUpdate then finds it in the client's cache.
	if !state.RepositoryIDs.IsNull() {
		resp.Diagnostics.Append(r.readManagedList(ctx, owner, remote, &state, resp.Private)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	changed, diags := r.explainUpdate(ctx, owner, name, state, remote, resp.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if changed {
		tflog.Warn(ctx, "organization secret value changed outside Terraform", map[string]any{
			"owner": owner, "secret": remote.Name, "updated_at": formatTime(remote.UpdatedAt),
		})
		resp.Diagnostics.Append(writeValueDrift(ctx, resp.Private, &valueDrift{ChangedAt: formatTime(remote.UpdatedAt)})...)
	}

	// secret_name keeps the configured spelling; GitHub's upper-case one goes to id.
	state.ID = types.StringValue(remote.Name)
	state.Visibility = types.StringValue(remote.Visibility)
	state.CreatedAt = types.StringValue(formatTime(remote.CreatedAt))
	state.UpdatedAt = types.StringValue(formatTime(remote.UpdatedAt))
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateWriteBound, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// readManagedList puts the repository list GitHub has in state, asking
// "changed since?" with the ETag of the last read. A secret that is no longer
// selected has no list: state shows it empty, and the plan sets it again.
func (r *orgActionsSecretResource) readManagedList(ctx context.Context, owner string, remote *client.Secret,
	state *orgActionsSecretModel, private privateData) diag.Diagnostics {
	var diags diag.Diagnostics
	list := client.RepositoryList{IDs: []int64{}}
	if remote.Visibility == visibilitySelected {
		known, d := readListETag(ctx, private)
		diags.Append(d...)
		got, err := r.data.client.SelectedRepositoryList(ctx, owner, remote.Name, known)
		switch {
		case client.IsConflict(err) || client.IsNotFound(err):
			// Changed in the moment between the two reads; the next refresh sees it whole.
		case err != nil:
			addAPIError(&diags, "Error Reading Organization Secret", "list the repositories of", owner, remote.Name, err)
			return diags
		default:
			list = got
		}
	}
	diags.Append(writeListETag(ctx, private, list)...)
	set, d := types.SetValueFrom(ctx, types.Int64Type, list.IDs)
	diags.Append(d...)
	state.RepositoryIDs = set
	return diags
}

// explainUpdate applies the drift rule: a move of updated_at past the recorded
// time that neither a visibility change nor a repository list change explains
// means the value was changed outside Terraform. It keeps the recorded list
// current in private (which starts as the prior private state).
func (r *orgActionsSecretResource) explainUpdate(ctx context.Context, owner, name string, state orgActionsSecretModel,
	remote *client.Secret, private privateData) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	recorded, recordedOK := parseTime(state.UpdatedAt)
	bound, d := private.GetKey(ctx, privateWriteBound)
	diags.Append(d...)
	if len(bound) > 0 && recordedOK && !remote.UpdatedAt.After(recorded.Add(writeClockSkew)) {
		// Our own write, seen for the first time. A list change made in the
		// same moment (a companion resource in the same apply) hides inside
		// the skew window, so record the list as it is now.
		if remote.Visibility == visibilitySelected {
			current, err := r.data.client.SelectedRepositoryIDs(ctx, owner, name)
			if err != nil {
				addAPIError(&diags, "Error Reading Organization Secret", "list the repositories of", owner, name, err)
				return false, diags
			}
			diags.Append(writeRepositoryIDs(ctx, private, current)...)
		}
		return false, diags
	}
	if recordedOK && !remote.UpdatedAt.After(recorded) {
		return false, diags
	}
	if remote.Visibility != visibilitySelected {
		diags.Append(writeRepositoryIDs(ctx, private, nil)...)
		return recordedOK && remote.Visibility == state.Visibility.ValueString(), diags
	}

	current, err := r.data.client.SelectedRepositoryIDs(ctx, owner, name)
	if err != nil {
		addAPIError(&diags, "Error Reading Organization Secret", "list the repositories of", owner, name, err)
		return false, diags
	}
	previous, known, d := readRepositoryIDs(ctx, private)
	diags.Append(d...)
	diags.Append(writeRepositoryIDs(ctx, private, current)...)
	if !recordedOK || !known || remote.Visibility != state.Visibility.ValueString() {
		// First sight (import), or a change that a visibility move explains.
		return false, diags
	}
	return slices.Equal(previous, current), diags
}

func (r *orgActionsSecretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg orgActionsSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner, name := r.data.owner, plan.SecretName.ValueString()

	drift, diags := readValueDrift(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	managed, d := managedIDs(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	needsWrite := drift != nil ||
		!plan.Visibility.Equal(state.Visibility) ||
		!plan.ValueWOVersion.Equal(state.ValueWOVersion) ||
		!plan.KeyID.Equal(state.KeyID)
	if !needsWrite {
		// No value write: the spelling of the name changed, the list is left
		// to the companion resources from now on, or only the managed list
		// changed. The recorded metadata stays.
		if managed != nil && !plan.RepositoryIDs.Equal(state.RepositoryIDs) {
			resp.Diagnostics.Append(r.setManagedList(ctx, owner, name, managed, state.RepositoryIDs.IsNull(), resp.Private)...)
			if resp.Diagnostics.HasError() {
				return
			}
		}
		plan.ID, plan.CreatedAt, plan.UpdatedAt = state.ID, state.CreatedAt, state.UpdatedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	// GitHub clears the list of a selected secret when a PUT omits it: send
	// the managed one, or else the current one.
	keep := managed
	if keep == nil && plan.Visibility.ValueString() == visibilitySelected && state.Visibility.ValueString() == visibilitySelected {
		ids, err := r.data.client.SelectedRepositoryIDs(ctx, owner, name)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Error Updating Organization Secret", "list the repositories of", owner, name, err)
			return
		}
		keep = ids
	}

	res, err := r.writeValue(ctx, name, cfg, plan.Visibility.ValueString(), keep)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Updating Organization Secret", "update", owner, name, err)
		return
	}
	tflog.Info(ctx, "updated organization secret", map[string]any{"owner": owner, "secret": secretname.Normalize(name)})

	resp.Diagnostics.Append(writeValueDrift(ctx, resp.Private, nil)...)
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, privateListETag, nil)...)
	resp.Diagnostics.Append(r.recordWrite(ctx, name, &plan, res, state.CreatedAt, keep, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// setManagedList writes a changed list on its own: one request, no value.
// The recorded list stays the old one, so the next Read sees GitHub's
// updated_at move with a list change and does not take it for a new value.
func (r *orgActionsSecretResource) setManagedList(ctx context.Context, owner, name string, ids []int64,
	takingOver bool, private privateData) diag.Diagnostics {
	var diags diag.Diagnostics
	if takingOver {
		// After an import, or from a companion resource: a read is cheaper
		// than a write, and an equal list needs none.
		current, err := r.data.client.SelectedRepositoryIDs(ctx, owner, name)
		if err == nil && slices.Equal(current, ids) {
			return diags
		}
	}
	if err := r.data.client.SetSelectedRepositories(ctx, owner, name, ids); err != nil {
		addAPIError(&diags, "Error Setting Secret Repositories", "set the repositories of", owner, name, err)
		return diags
	}
	tflog.Info(ctx, "set organization secret repositories", map[string]any{
		"owner": owner, "secret": secretname.Normalize(name), "repositories": len(ids),
	})
	diags.Append(setPrivate(ctx, private, privateListETag, nil)...)
	return diags
}

func (r *orgActionsSecretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state orgActionsSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner, name := r.data.owner, state.SecretName.ValueString()
	err := r.data.client.DeleteOrgSecret(ctx, owner, name)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting Organization Secret", "delete", owner, name, err)
		return
	}
	tflog.Info(ctx, "deleted organization secret", map[string]any{"owner": owner, "secret": secretname.Normalize(name)})
}

func (r *orgActionsSecretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importBySecretName(ctx, "ghsecrets_org_actions_secret", req, resp)
}

// writeValue PUTs the configured value, sealing value_wo for the org key or
// passing encrypted_value_wo through as given.
func (r *orgActionsSecretResource) writeValue(ctx context.Context, name string, cfg orgActionsSecretModel, visibility string, repositoryIDs []int64) (client.WriteResult, error) {
	owner := r.data.owner
	if !cfg.ValueWO.IsNull() && !cfg.ValueWO.IsUnknown() {
		return r.data.client.SetOrgSecretValue(ctx, owner, name, []byte(cfg.ValueWO.ValueString()), visibility, repositoryIDs)
	}
	if cfg.EncryptedValueWO.IsNull() || cfg.EncryptedValueWO.IsUnknown() {
		return client.WriteResult{}, fmt.Errorf("neither value_wo nor encrypted_value_wo is set in the configuration; set one of them")
	}
	return r.data.client.PutOrgSecret(ctx, owner, name, client.SecretWrite{
		EncryptedValue:        cfg.EncryptedValueWO.ValueString(),
		KeyID:                 cfg.KeyID.ValueString(),
		Visibility:            visibility,
		SelectedRepositoryIDs: repositoryIDs,
	})
}

// recordWrite records id, timestamps and the repository list our write left.
// It reads nothing back: the answer's Date bounds the write's updated_at from
// above, which is all the drift rule needs (an updated_at past it is someone
// else's change), and the next Read puts GitHub's own timestamps in state.
// Only an overwritten secret of unknown age, or an answer without a Date,
// costs a GET.
func (r *orgActionsSecretResource) recordWrite(ctx context.Context, name string, m *orgActionsSecretModel, res client.WriteResult,
	createdAt types.String, repositoryIDs []int64, private privateData) diag.Diagnostics {
	var diags diag.Diagnostics
	if res.Created {
		createdAt = types.StringValue(formatTime(res.At))
	}
	if res.At.IsZero() || createdAt.IsUnknown() || createdAt.IsNull() {
		remote, err := r.data.client.GetOrgSecret(ctx, r.data.owner, name)
		if err != nil {
			addAPIError(&diags, "Error Reading Organization Secret", "read back", r.data.owner, name, err)
			return diags
		}
		m.ID = types.StringValue(remote.Name)
		m.CreatedAt = types.StringValue(formatTime(remote.CreatedAt))
		m.UpdatedAt = types.StringValue(formatTime(remote.UpdatedAt))
		diags.Append(private.SetKey(ctx, privateWriteBound, nil)...)
	} else {
		m.ID = types.StringValue(secretname.Normalize(name))
		m.CreatedAt = createdAt
		m.UpdatedAt = types.StringValue(formatTime(res.At))
		diags.Append(private.SetKey(ctx, privateWriteBound, []byte("true"))...)
	}
	if m.Visibility.ValueString() != visibilitySelected {
		repositoryIDs = nil
	} else if repositoryIDs == nil {
		repositoryIDs = []int64{}
	}
	diags.Append(writeRepositoryIDs(ctx, private, repositoryIDs)...)
	return diags
}

// privateData is the part of the framework's private state API used here.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func readValueDrift(ctx context.Context, p privateData) (*valueDrift, diag.Diagnostics) {
	d, ok, diags := getPrivate[valueDrift](ctx, p, privateValueDrift)
	if !ok || d.ChangedAt == "" {
		return nil, diags
	}
	return &d, diags
}

func writeValueDrift(ctx context.Context, p privateData, d *valueDrift) diag.Diagnostics {
	if d == nil {
		return setPrivate(ctx, p, privateValueDrift, nil)
	}
	return setPrivate(ctx, p, privateValueDrift, d)
}

// readRepositoryIDs returns the recorded list, and whether one was recorded.
func readRepositoryIDs(ctx context.Context, p privateData) ([]int64, bool, diag.Diagnostics) {
	return getPrivate[[]int64](ctx, p, privateRepositoryIDs)
}

// writeRepositoryIDs records ids; nil removes the record (not a selected secret).
func writeRepositoryIDs(ctx context.Context, p privateData, ids []int64) diag.Diagnostics {
	if ids == nil {
		return setPrivate(ctx, p, privateRepositoryIDs, nil)
	}
	return setPrivate(ctx, p, privateRepositoryIDs, ids)
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
