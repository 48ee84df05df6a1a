package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

var (
	_ resource.ResourceWithConfigure        = (*scopedSecretResource)(nil)
	_ resource.ResourceWithMoveState        = (*scopedSecretResource)(nil)
	_ resource.ResourceWithImportState      = (*scopedSecretResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*scopedSecretResource)(nil)
	_ resource.ResourceWithConfigValidators = (*scopedSecretResource)(nil)
	_ resource.ResourceWithIdentity         = (*scopedSecretResource)(nil)
)

// scopedSecretResource is a secret of a repository (any kind) or of an
// environment: one row of scopeKinds.
type scopedSecretResource struct {
	kind scopeKind
	data *providerData
}

type repositorySecretModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	SecretName types.String `tfsdk:"secret_name"`
	secretValueModel
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

type environmentSecretModel struct {
	repositorySecretModel
	Environment types.String `tfsdk:"environment"`
}

// get reads a plan, state or configuration into the environment model,
// whichever row this is (a repository row leaves Environment null).
func (r *scopedSecretResource) get(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
}) (environmentSecretModel, diag.Diagnostics) {
	var m environmentSecretModel
	if r.kind.env {
		return m, from.Get(ctx, &m)
	}
	diags := from.Get(ctx, &m.repositorySecretModel)
	return m, diags
}

// set records m as the state, and its identity.
func (r *scopedSecretResource) set(ctx context.Context, to *tfsdk.State, identity *tfsdk.ResourceIdentity, m environmentSecretModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.kind.env {
		diags = to.Set(ctx, m)
	} else {
		diags = to.Set(ctx, m.repositorySecretModel)
	}
	return append(diags, r.setIdentity(ctx, identity, m)...)
}

func (r *scopedSecretResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.kind.identity().schema()
}

// setIdentity writes the identity of the secret in m.
func (r *scopedSecretResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m environmentSecretModel) diag.Diagnostics {
	if to == nil {
		return nil
	}
	return r.kind.identity().set(ctx, to, secretIdentity{
		Owner: r.data.owner, Repository: m.Repository.ValueString(), Environment: m.Environment.ValueString(),
		SecretName: m.SecretName.ValueString(),
	})
}

// address is the secret m names, through the one constructor of an address;
// false, with a diagnostic naming the part, when GitHub could never name it.
// where says what m is: "the configuration" or "the state".
func (r *scopedSecretResource) address(m environmentSecretModel, where string, diags *diag.Diagnostics) (client.Address, bool) {
	a, err := r.kind.address(r.data.owner, m.Repository.ValueString(), m.Environment.ValueString(), m.SecretName.ValueString())
	if err != nil {
		addressDiagnostic(diags, where, err)
	}
	return a, err == nil
}

// scopedID is the id of a repository or environment secret:
// REPOSITORY:NAME or REPOSITORY:ENVIRONMENT:NAME, with the name as GitHub
// stores it. Neither a repository nor a secret name holds a colon, so the
// first and last colon split it back.
func scopedID(a client.Address) string {
	parts := []string{a.Scope().Repo()}
	if a.Scope().Level() == client.EnvLevel {
		parts = append(parts, a.Scope().Env())
	}
	return strings.Join(append(parts, a.StoredName()), ":")
}

func (r *scopedSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.name + "_secret"
}

func (r *scopedSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	where := r.kind.where()
	idForm := "`REPOSITORY:SECRET_NAME`"
	if r.kind.env {
		idForm = "`REPOSITORY:ENVIRONMENT:SECRET_NAME`"
	}
	own := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: idForm + ", with the secret name as GitHub stores it (upper-case).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"repository": schema.StringAttribute{
			MarkdownDescription: "The repository's name in the provider's `owner`, without the owner (`api`, not `my-org/api`). " +
				"Changing it replaces the resource; changing only its case is an update in place that writes nothing, since " +
				"GitHub compares repository names case-insensitively. When the repository is renamed or transferred outside Terraform, GitHub only " +
				"redirects its former name: the plan creates the secret, and the apply writes nothing and names the repository's new name " +
				"to set here.",
			Required:      true,
			Validators:    []validator.String{addressPartValidator{client.FieldRepository}},
			PlanModifiers: []planmodifier.String{replaceWhenRenamed(client.FieldRepository)},
		},
		"secret_name": secretNameAttribute("Name of the secret."),
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the secret was created (RFC 3339), as GitHub reports it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When the value was last written (RFC 3339), as GitHub reports it.",
			Computed:            true,
		},
	}
	if r.kind.env {
		own["environment"] = schema.StringAttribute{
			MarkdownDescription: "The environment's name, as GitHub shows it (it may hold spaces and `/`): 1 to 255 characters, " +
				"no control characters, not `.` or `..`. The environment must exist: create it with the resource that manages it. " +
				"Changing it replaces the resource; changing only its case is an update in place that writes nothing, since " +
				"GitHub compares environment names case-insensitively.",
			Required:      true,
			Validators:    []validator.String{addressPartValidator{client.FieldEnvironment}},
			PlanModifiers: []planmodifier.String{replaceWhenRenamed(client.FieldEnvironment)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: article(where) + " " + where + " " + r.kind.title() + " secret, used by " + r.kind.usedBy + ". The value is sealed " +
			"on the client for the public key of the " + where + "'s " + r.kind.title() + " secrets and passed through " +
			"write-only attributes: state and plan hold the secret's metadata only. Changes made to the value outside " +
			"Terraform show in `plan` as an in-place update that writes the configured value again (GitHub moves " +
			"`updated_at` only when the value is written, so detection is exact). The token needs: " + r.kind.permission + ".",
		Attributes: withAttributes(secretValueAttributes(where, r.kind.typeName("_public_key")), own),
	}
}

func (r *scopedSecretResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("value_wo"), path.MatchRoot("encrypted_value_wo")),
	}
}

func (r *scopedSecretResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan claims the secret for this resource and plans its id, and turns
// a value change recorded by Read into an in-place update that writes the
// configured value again, unless the configuration accepts such changes;
// updated_at is known after apply only when the value is written.
func (r *scopedSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	r.kind.checkServer(r.data, &resp.Diagnostics)
	plan, diags := r.get(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil && !plan.Repository.IsUnknown() && !plan.Environment.IsUnknown() && !plan.SecretName.IsUnknown() {
		a, ok := r.address(plan, "the configuration", &resp.Diagnostics)
		if !ok {
			return
		}
		r.data.claim(req, resp, a, claimed{aspect: aspectValue, by: r.claimant(a)})
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), scopedID(a))...)
	}
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	state, diags := r.get(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, types.StringValue(""))
	resp.Diagnostics.Append(diags...)
	restore := restoresValue(rec, plan.policy())
	if restore {
		warnValueChanged(&resp.Diagnostics, r.describe(state), rec)
	}
	updatedAt := state.UpdatedAt
	if restore || plan.newValueAsked(state.secretValueModel) {
		updatedAt = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), updatedAt)...)
}

// describe names the secret of m for messages, before the provider is
// configured too.
func (r *scopedSecretResource) describe(m environmentSecretModel) string {
	if r.data != nil {
		if a, err := r.kind.address(r.data.owner, m.Repository.ValueString(), m.Environment.ValueString(), m.SecretName.ValueString()); err == nil {
			return a.String()
		}
	}
	return fmt.Sprintf("%s secret %s of %s %s", r.kind.title(), strings.ToUpper(m.SecretName.ValueString()), r.kind.where(), m.Repository.ValueString())
}

// claimant names this resource in a clash with another.
func (r *scopedSecretResource) claimant(a client.Address) string {
	attrs := []string{"repository", a.Scope().Repo()}
	if r.kind.env {
		attrs = append(attrs, "environment", a.Scope().Env())
	}
	return claimant(r.kind.typeName("_secret"), append(attrs, "secret_name", a.Name())...)
}

func (r *scopedSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := r.get(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	cfg, diags := r.get(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(plan, "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	res, err := r.writeValue(ctx, a, cfg)
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Creating Secret", "create", a, err)
		return
	}
	if !res.Created {
		resp.Diagnostics.AddWarning("Secret Already Existed",
			fmt.Sprintf("%s already existed; its value was replaced by this configuration. "+
				"Use an import block next time to adopt an existing secret.", a))
	}
	tflog.Info(ctx, "created secret", map[string]any{"scope": a.Scope().String(), "secret": a.StoredName()})
	resp.Diagnostics.Append(r.recordWrite(ctx, a, &plan, res, types.StringUnknown(), resp.Private)...)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, resp.Identity, plan)...)
}

// writeValue writes the configured value, held against a delete of the same
// secret in this run.
func (r *scopedSecretResource) writeValue(ctx context.Context, a client.Address, cfg environmentSecretModel) (client.WriteResult, error) {
	var res client.WriteResult
	err := r.data.writeOnce(a, claimed{aspect: aspectValue}, func() (err error) {
		res, err = writeSecretValue(ctx, r.data.client, a, cfg.secretValueModel, "", nil)
		return err
	})
	return res, err
}

// recordWrite puts the write's metadata in m and keeps the drift record it
// leaves; no visibility, no list: here GitHub moves updated_at for value
// writes only.
func (r *scopedSecretResource) recordWrite(ctx context.Context, a client.Address, m *environmentSecretModel, res client.WriteResult,
	createdAt types.String, private privateData) diag.Diagnostics {
	out, diags := recordSecretWrite(ctx, r.data.client, secretWrite{
		addr: a, permission: r.kind.permission, res: res, createdAt: createdAt,
	}, private)
	m.ID, m.CreatedAt, m.UpdatedAt = types.StringValue(scopedID(a)), out.CreatedAt, out.UpdatedAt
	return diags
}

// addError reports a failed call; a 404 is looked into, so that a missing
// repository or environment is named with what to do about it.
func (r *scopedSecretResource) addError(ctx context.Context, diags *diag.Diagnostics, summary, action string, a client.Address, err error) {
	if detail, ok := missingPlaceDetail(ctx, r.data.client, a.Scope(), action, a.String(), err); ok {
		diags.AddError(summary, detail)
		return
	}
	diags.AddError(summary, scopeErrorDetail(action, a, r.kind.permission, err))
}

// missingPlaceDetail says, after a 404, which of the scope's repository and
// environment does not exist and what to do; ok is false when both exist (or
// err is no 404), and the caller reports err as it is.
func missingPlaceDetail(ctx context.Context, c *client.Client, scope client.Scope, action, what string, err error) (string, bool) {
	var moved *client.RepositoryMovedError
	if errors.As(err, &moved) {
		return fmt.Sprintf("Could not %s %s: %s.", action, what, movedRepository(ctx, c, moved)), true
	}
	if !client.IsNotFound(err) {
		return "", false
	}
	missing, lookErr := c.MissingPlace(ctx, scope)
	if lookErr != nil || missing == "" {
		return "", false
	}
	advice := "Fix the repository attribute, or create the repository first."
	if strings.HasPrefix(missing, "environment") {
		advice = "Create the environment first, with the resource that manages it (for example github_repository_environment, " +
			"referenced from the environment attribute so it is created before this), or fix the environment attribute."
	}
	return fmt.Sprintf("Could not %s %s: %s does not exist. %s", action, what, missing, advice), true
}

// movedRepository says what became of a repository GitHub redirects, and
// what to do: its name now, when GitHub tells it.
func movedRepository(ctx context.Context, c *client.Client, moved *client.RepositoryMovedError) string {
	now, err := c.RepositoryFullName(ctx, moved.ID)
	if err != nil || now == "" {
		return fmt.Sprintf("repository %s/%s has been renamed or transferred (GitHub answers %d and redirects its former name "+
			"to repository id %d). Set the repository attribute to its new name", moved.Owner, moved.Repo, moved.Status, moved.ID)
	}
	newOwner, newName, _ := strings.Cut(now, "/")
	advice := fmt.Sprintf("Set repository = %q", newName)
	if !strings.EqualFold(newOwner, moved.Owner) {
		advice += fmt.Sprintf(" in a provider configured with owner = %q", newOwner)
	}
	return fmt.Sprintf("repository %s/%s has been renamed or transferred: it is now %s (GitHub answers %d for its former name). %s",
		moved.Owner, moved.Repo, now, moved.Status, advice)
}

func (r *scopedSecretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, diags := r.get(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before any request: state written before identities existed gets one
	// even when the secret turns out to be gone.
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	a, ok := r.address(state, "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	// One listing per repository and kind serves every secret of a run.
	remote, err := r.data.client.LookupSecret(ctx, a)
	var moved *client.RepositoryMovedError
	if errors.As(err, &moved) {
		// The configuration names the repository by a name it no longer
		// has: the plan creates the secret there, and the apply says where
		// the repository went.
		resp.Diagnostics.AddWarning("Repository Renamed Or Transferred",
			fmt.Sprintf("%s is planned for creation: %s.", a, movedRepository(ctx, r.data.client, moved)))
		resp.State.RemoveResource(ctx)
		return
	}
	if client.IsNotFound(err) {
		// The secret, or its repository or environment, is gone: the plan
		// creates it, and the apply names what is missing.
		tflog.Info(ctx, "secret no longer exists; removing it from state", map[string]any{"scope": a.Scope().String(), "secret": a.StoredName()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Reading Secret", "read", a, err)
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, types.StringValue(""))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	verdict := drift.Decide(rec, drift.Observation{UpdatedAt: remote.UpdatedAt}, state.policy())
	fields := map[string]any{"scope": a.Scope().String(), "secret": remote.Name, "updated_at": formatTime(remote.UpdatedAt)}
	resp.Diagnostics.Append(keepVerdict(ctx, resp.Private, verdict, fields)...)

	state.ID = types.StringValue(scopedID(a))
	state.OnValueDrift = types.StringValue(string(state.policy())) // the default, after an import
	state.CreatedAt = types.StringValue(formatTime(remote.CreatedAt))
	state.UpdatedAt = types.StringValue(formatTime(remote.UpdatedAt))
	resp.Diagnostics.Append(r.set(ctx, &resp.State, resp.Identity, state)...)
}

func (r *scopedSecretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := r.get(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	state, diags := r.get(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	cfg, diags := r.get(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, types.StringValue(""))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(plan, "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	if !restoresValue(rec, plan.policy()) && !plan.newValueAsked(state.secretValueModel) {
		// Only a spelling (of the repository, the environment or the name)
		// or on_value_drift changed: GitHub holds the same secret, and
		// nothing is sent.
		plan.ID, plan.CreatedAt, plan.UpdatedAt = types.StringValue(scopedID(a)), state.CreatedAt, state.UpdatedAt
		if rec != nil {
			if plan.policy() == drift.Accept {
				*rec = rec.Accepting()
			}
			resp.Diagnostics.Append(saveRecord(ctx, resp.Private, rec)...)
		}
		resp.Diagnostics.Append(r.set(ctx, &resp.State, resp.Identity, plan)...)
		return
	}
	res, err := r.writeValue(ctx, a, cfg)
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Updating Secret", "update", a, err)
		return
	}
	tflog.Info(ctx, "updated secret", map[string]any{"scope": a.Scope().String(), "secret": a.StoredName()})
	resp.Diagnostics.Append(r.recordWrite(ctx, a, &plan, res, state.CreatedAt, resp.Private)...)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, resp.Identity, plan)...)
}

func (r *scopedSecretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := r.get(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(state, "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectValue}, &resp.Diagnostics, func() error {
		return r.data.client.DeleteSecret(ctx, a)
	})
	if err != nil && !client.IsNotFound(err) {
		r.addError(ctx, &resp.Diagnostics, "Error Deleting Secret", "delete", a, err)
		return
	}
	tflog.Info(ctx, "deleted secret", map[string]any{"scope": a.Scope().String(), "secret": a.StoredName()})
}

// ImportState takes REPOSITORY:SECRET_NAME, or REPOSITORY:ENVIRONMENT:SECRET_NAME
// split on the first and last colon, as an environment name may hold colons.
func (r *scopedSecretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.kind.identity().importByIdentity(ctx, r.kind.typeName("_secret"), r.data.owner, req, resp) {
		return
	}
	a, err := r.parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("Import %s by %s: %s.", r.kind.typeName("_secret"), importForm(r.kind.env), err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository"), a.Scope().Repo())...)
	if r.kind.env {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("environment"), a.Scope().Env())...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("secret_name"), a.Name())...)
}

func importForm(env bool) string {
	if env {
		return "REPOSITORY:ENVIRONMENT:SECRET_NAME, for example api:production:MY_SECRET"
	}
	return "REPOSITORY:SECRET_NAME, for example api:MY_SECRET"
}

// parseImportID reads an import id, split on its first and last colon, into
// the address it names.
func (r *scopedSecretResource) parseImportID(id string) (client.Address, error) {
	first, last := strings.Index(id, ":"), strings.LastIndex(id, ":")
	if first < 0 || (r.kind.env && first == last) {
		return client.Address{}, fmt.Errorf("%q has too few parts", id)
	}
	if !r.kind.env && first != last {
		return client.Address{}, fmt.Errorf("%q has too many parts", id)
	}
	env := ""
	if r.kind.env {
		env = id[first+1 : last]
	}
	return r.kind.address(r.data.owner, id[:first], env, id[last+1:])
}

// article is the indefinite article before word.
func article(word string) string {
	if strings.ContainsAny(word[:1], "aeiou") {
		return "An"
	}
	return "A"
}
