package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
)

// variableRow is one kind of variable in one level of scope: every variable
// resource type is built by the same code from its row in variableRows.
type variableRow struct {
	kind  client.Kind
	level client.Level
	// name is the row's part of the type name: ghsecrets_<name>_variable.
	name string
	// usedBy says what reads the variables, for documentation.
	usedBy string
}

// variableRows are the variable types, one row each.
var (
	_ resource.ResourceWithModifyPlan     = (*variableResource)(nil)
	_ resource.ResourceWithIdentity       = (*variableResource)(nil)
	_ resource.ResourceWithImportState    = (*variableResource)(nil)
	_ resource.ResourceWithMoveState      = (*variableResource)(nil)
	_ resource.ResourceWithValidateConfig = (*variableResource)(nil)
)

var variableRows = []variableRow{
	{kind: client.Actions, level: client.OrgLevel, name: "org_actions", usedBy: "GitHub Actions workflows of the repositories that may use it"},
	{kind: client.Agents, level: client.OrgLevel, name: "org_agents", usedBy: "Copilot coding agent in the repositories that may use it"},
	{kind: client.Actions, level: client.RepoLevel, name: "repository_actions", usedBy: "the repository's GitHub Actions workflows"},
	{kind: client.Agents, level: client.RepoLevel, name: "repository_agents", usedBy: "Copilot coding agent in the repository"},
	{kind: client.Actions, level: client.EnvLevel, name: "environment_actions", usedBy: "workflow jobs that use the environment"},
}

func (k variableRow) typeName() string { return "ghsecrets_" + k.name + "_variable" }

// permission is what a token needs to manage the row's variables.
func (k variableRow) permission() string { return variablePermission(k.level) }

// variablePermission is what a token needs to manage the variables of a
// level: GitHub's "Variables" permission for both kinds, and for classic
// tokens admin:org (organizations) or repo (repositories, environments).
func variablePermission(level client.Level) string {
	if level == client.OrgLevel {
		return `fine-grained token or GitHub App: organization permission "Variables" (read and write); ` +
			`classic token: admin:org, and repo for private repositories`
	}
	return `fine-grained token or GitHub App: repository permission "Variables" (read and write); classic token: repo`
}

// address is the row's variable called name in repository repo (and
// environment env) of owner, through the one constructor of an address.
func (k variableRow) address(owner, repo, env, name string) (client.Address, error) {
	s, err := client.NewScope(k.level, k.kind, owner, repo, env)
	if err != nil {
		return client.Address{}, err
	}
	if s, err = s.Variables(); err != nil {
		return client.Address{}, err
	}
	return s.Secret(name)
}

// variableResource is a variable of one row. Its value is not secret: it is
// in state, and drift is exact (the value is compared).
type variableResource struct {
	row  variableRow
	data *providerData
}

// variableModel is every row's state; the attributes a row does not have
// stay null and are neither read nor written.
type variableModel struct {
	ID, Repository, Environment, Name, Value, Visibility types.String
	RepositoryIDs                                        types.List
	CreatedAt, UpdatedAt                                 types.String
}

// attrs are the model's attributes the row has, by name.
func (k variableRow) attrs(m *variableModel) map[string]any {
	out := map[string]any{
		"id": &m.ID, "variable_name": &m.Name, "value": &m.Value, "created_at": &m.CreatedAt, "updated_at": &m.UpdatedAt,
	}
	if k.level != client.OrgLevel {
		out["repository"] = &m.Repository
	}
	if k.level == client.EnvLevel {
		out["environment"] = &m.Environment
	}
	if k.level == client.OrgLevel {
		out["visibility"] = &m.Visibility
		out["selected_repository_ids"] = &m.RepositoryIDs
	}
	return out
}

// load reads the row's attributes of a plan, state or configuration.
func (k variableRow) load(ctx context.Context, from interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}) (variableModel, diag.Diagnostics) {
	var m variableModel
	m.RepositoryIDs = types.ListNull(types.Int64Type)
	var diags diag.Diagnostics
	for name, dst := range k.attrs(&m) {
		diags.Append(from.GetAttribute(ctx, path.Root(name), dst)...)
	}
	return m, diags
}

// store writes the row's attributes of m.
func (k variableRow) store(ctx context.Context, to interface {
	SetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, m variableModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, src := range k.attrs(&m) {
		var v attr.Value
		switch s := src.(type) {
		case *types.String:
			v = *s
		case *types.List:
			v = *s
		}
		diags.Append(to.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

func (r *variableResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.row.typeName()
	// GitHub renames a variable in place (PATCH name), and the identity,
	// which names it, follows.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *variableResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The variable's place and name as GitHub stores it (upper-case).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"variable_name": schema.StringAttribute{
			MarkdownDescription: "Name of the variable: letters, digits and underscores, not starting with a digit or " +
				"with `GITHUB_`. GitHub stores names upper-case. Changing it renames the variable in place.",
			Required:   true,
			Validators: []validator.String{addressPartValidator{client.FieldVariableName}},
		},
		"value": schema.StringAttribute{
			MarkdownDescription: "The variable's value, at most 48 KB. Variables are not secret: the value is in state " +
				"and plan, and a change made outside Terraform shows in `plan` as it is.",
			Required:   true,
			Validators: []validator.String{stringvalidator.LengthAtMost(maxValueBytes)},
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the variable was created (RFC 3339), as GitHub reports it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When GitHub last changed the variable (RFC 3339).",
			Computed:            true,
		},
	}
	if r.row.level != client.OrgLevel {
		attrs["repository"] = schema.StringAttribute{
			MarkdownDescription: "The repository's name in the provider's `owner`, without the owner. Changing it replaces the resource.",
			Required:            true,
			Validators:          []validator.String{addressPartValidator{client.FieldRepository}},
			PlanModifiers:       []planmodifier.String{replaceWhenRenamed(client.FieldRepository)},
		}
	}
	if r.row.level == client.EnvLevel {
		attrs["environment"] = schema.StringAttribute{
			MarkdownDescription: "The environment's name. The environment must exist. Changing it replaces the resource.",
			Required:            true,
			Validators:          []validator.String{addressPartValidator{client.FieldEnvironment}},
			PlanModifiers:       []planmodifier.String{replaceWhenRenamed(client.FieldEnvironment)},
		}
	}
	if r.row.level == client.OrgLevel {
		attrs["visibility"] = schema.StringAttribute{
			MarkdownDescription: "Which repositories of the organization may use the variable: `all`, `private` or `selected`.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(visibilityAll, visibilityPrivate, visibilitySelected)},
		}
		attrs["selected_repository_ids"] = repositoryIDsAttribute("Ids of the repositories that may use a `selected` variable; "+
			"only with `visibility = \"selected\"`.", false)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: map[client.Level]string{client.OrgLevel: "An organization ", client.RepoLevel: "A repository ",
			client.EnvLevel: "An environment "}[r.row.level] + r.row.kind.Title() + " variable, used by " + r.row.usedBy + ".",
		Attributes: attrs,
	}
}

// ValidateConfig rejects a repository list on a variable that is not
// selected, before any request: GitHub answers such a write with 422.
func (r *variableResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if r.row.level == client.OrgLevel {
		checkListNeedsSelected(ctx, req.Config, "variable", &resp.Diagnostics)
	}
}

// checkServer refuses, before any request, a kind GitHub Enterprise Server lacks.
func (k variableRow) checkServer(data *providerData, diags *diag.Diagnostics) {
	if data != nil && !k.kind.OnGHES() && data.client.EnterpriseServer() {
		diags.AddError(fmt.Sprintf("%s Variables Are Not On GitHub Enterprise Server", k.kind.Title()),
			fmt.Sprintf("The provider's base_url is a GitHub Enterprise Server, which has no %s variables. Manage them with a "+
				"provider configured for github.com or GitHub Enterprise Cloud, or remove this resource.", k.kind.Title()))
	}
}

// ModifyPlan refuses a kind the server lacks, claims the variable for this
// resource and plans the id from the configured names: a rename changes it.
func (r *variableResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	if r.row.checkServer(r.data, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	plan, diags := r.row.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || plan.Repository.IsUnknown() || plan.Environment.IsUnknown() {
		return
	}
	if a, ok := r.address(plan, plan.Name, "the configuration", &resp.Diagnostics); ok {
		r.claim(req, resp, a, plan)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), variableID(a))...)
	}
}

// claim takes the variable for this resource, as secrets are claimed (see
// claims.go): a variable and a secret of one name are different things, so
// their claims never meet.
func (r *variableResource) claim(req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, a client.Address, plan variableModel) {
	if !req.State.Raw.IsNull() && len(resp.RequiresReplace) > 0 {
		return
	}
	attrs := []string{}
	if a.Scope().Repo() != "" {
		attrs = append(attrs, "repository", a.Scope().Repo())
	}
	if a.Scope().Env() != "" {
		attrs = append(attrs, "environment", a.Scope().Env())
	}
	by := claimant(r.row.typeName(), append(attrs, "variable_name", a.Name())...)
	aspects := []aspect{aspectValue}
	if !plan.RepositoryIDs.IsNull() {
		aspects = append(aspects, aspectList)
	}
	for _, asp := range aspects {
		c := claimed{aspect: asp, by: by, prior: !req.State.Raw.IsNull()}
		if other, ok := r.data.claims.take(a, c); !ok {
			resp.Diagnostics.AddError("Two Resources Manage One Variable",
				fmt.Sprintf("This resource (%s) and another of this configuration (%s) both manage the %s of %s. GitHub compares "+
					"owner, repository, environment and variable names case-insensitively, so the two name one variable, and each "+
					"apply would undo the other's write. Keep one of them: remove the other, or give it a moved block to this "+
					"one's address.", c.by, other.by, asp, a))
			return
		}
	}
}

func (r *variableResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// address is the variable m names; false, with a diagnostic, when GitHub
// could never name it.
func (r *variableResource) address(m variableModel, name types.String, where string, diags *diag.Diagnostics) (client.Address, bool) {
	a, err := r.row.address(r.data.owner, m.Repository.ValueString(), m.Environment.ValueString(), name.ValueString())
	if err != nil {
		addressDiagnostic(diags, where, err)
	}
	return a, err == nil
}

// addError reports a failed call; after a 404 it names the missing
// repository or environment.
func (r *variableResource) addError(ctx context.Context, diags *diag.Diagnostics, summary, action string, a client.Address, err error) {
	if detail, ok := missingPlaceDetail(ctx, r.data.client, a.Scope(), action, a.String(), err); ok {
		diags.AddError(summary, detail)
		return
	}
	diags.AddError(summary, scopeErrorDetail(action, a, r.row.permission(), err))
}

// variableID is the variable's id: NAME, REPOSITORY:NAME or
// REPOSITORY:ENVIRONMENT:NAME.
func variableID(a client.Address) string {
	var parts []string
	if a.Scope().Repo() != "" {
		parts = append(parts, a.Scope().Repo())
	}
	if a.Scope().Env() != "" {
		parts = append(parts, a.Scope().Env())
	}
	return strings.Join(append(parts, a.StoredName()), ":")
}

// write is what a create or update sends of m.
func (r *variableResource) write(m variableModel) client.VariableWrite {
	w := client.VariableWrite{Value: client.Ptr(m.Value.ValueString())}
	if r.row.level == client.OrgLevel {
		w.Visibility = client.Ptr(m.Visibility.ValueString())
		if ids, ok := repositoryIDList(m.RepositoryIDs); ok && m.Visibility.ValueString() == visibilitySelected {
			w.SelectedRepositoryIDs = ids
		}
	}
	return w
}

func (r *variableResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := r.row.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(plan, plan.Name, "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	res, err := r.data.client.CreateVariable(ctx, a, r.write(plan))
	if client.IsConflict(err) {
		resp.Diagnostics.AddError("Variable Already Exists", scopeErrorDetail("create", a, r.row.permission(), err)+
			fmt.Sprintf(" The variable already exists, and GitHub does not overwrite a variable on create. Adopt it with an "+
				"import block (id %q), or remove it first.", variableID(a)))
		return
	}
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Creating Variable", "create", a, err)
		return
	}
	tflog.Info(ctx, "created variable", map[string]any{"variable": a.String()})
	plan.ID = types.StringValue(variableID(a))
	at := types.StringValue(formatTime(res.At))
	plan.CreatedAt, plan.UpdatedAt = at, at
	resp.Diagnostics.Append(r.row.store(ctx, &resp.State, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *variableResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, diags := r.row.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(state, state.Name, "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	v, err := r.data.client.LookupVariable(ctx, a)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Reading Variable", "read", a, err)
		return
	}
	state.ID = types.StringValue(variableID(a))
	state.Value = types.StringValue(v.Value)
	state.CreatedAt = types.StringValue(formatTime(v.CreatedAt))
	state.UpdatedAt = types.StringValue(formatTime(v.UpdatedAt))
	if r.row.level == client.OrgLevel {
		state.Visibility = types.StringValue(v.Visibility)
		if !state.RepositoryIDs.IsNull() {
			list, _, diags, err := readListSince(ctx, r.data.client, a, v.Visibility == visibilitySelected, resp.Private)
			resp.Diagnostics.Append(diags...)
			if err != nil {
				r.addError(ctx, &resp.Diagnostics, "Error Reading Variable", "list the repositories of", a, err)
				return
			}
			state.RepositoryIDs = repositoryIDsValue(state.RepositoryIDs, list.IDs)
		}
	}
	resp.Diagnostics.Append(r.row.store(ctx, &resp.State, state)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
}

func (r *variableResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := r.row.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	state, diags := r.row.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(state, state.Name, "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	w := r.write(plan)
	if !client.SameName(client.FieldVariableName, plan.Name.ValueString(), state.Name.ValueString()) {
		w.Name = client.Ptr(strings.ToUpper(plan.Name.ValueString()))
	}
	res, err := r.data.client.UpdateVariable(ctx, a, w)
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "Error Updating Variable", "update", a, err)
		return
	}
	renamed, ok := r.address(plan, plan.Name, "the configuration", &resp.Diagnostics)
	if !ok {
		return
	}
	plan.ID = types.StringValue(variableID(renamed))
	plan.CreatedAt = state.CreatedAt
	plan.UpdatedAt = types.StringValue(formatTime(res.At))
	resp.Diagnostics.Append(r.row.store(ctx, &resp.State, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan)...)
}

func (r *variableResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := r.row.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.address(state, state.Name, "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	if err := r.data.client.DeleteVariable(ctx, a); err != nil && !client.IsNotFound(err) {
		r.addError(ctx, &resp.Diagnostics, "Error Deleting Variable", "delete", a, err)
	}
}

// identity is the row's identity: the names GitHub addresses the variable by.
func (k variableRow) identity() identityShape {
	owner := identityOwner
	if k.level == client.OrgLevel {
		owner = identityOrganization
	}
	return identityShape{kind: k.kind, ownerAttr: owner, repository: k.level != client.OrgLevel,
		environment: k.level == client.EnvLevel, variable: true}
}

func (r *variableResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.row.identity().schema()
}

// setIdentity writes the identity of the variable in m.
func (r *variableResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m variableModel) diag.Diagnostics {
	if to == nil || r.data == nil {
		return nil
	}
	return r.row.identity().set(ctx, to, secretIdentity{Owner: r.data.owner, Repository: m.Repository.ValueString(),
		Environment: m.Environment.ValueString(), SecretName: m.Name.ValueString()})
}

// ImportState takes the id (NAME, REPOSITORY:NAME or
// REPOSITORY:ENVIRONMENT:NAME) or, with Terraform 1.12 and later, the
// identity; Read fills in the rest.
func (r *variableResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.row.identity().importByIdentity(ctx, r.row.typeName(), r.data.owner, req, resp) {
		return
	}
	parts := strings.Split(req.ID, ":")
	want := map[client.Level]int{client.OrgLevel: 1, client.RepoLevel: 2, client.EnvLevel: 3}[r.row.level]
	if len(parts) != want {
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("Import %s by %s; %q has %d parts.",
			r.row.typeName(), map[int]string{1: "NAME", 2: "REPOSITORY:NAME", 3: "REPOSITORY:ENVIRONMENT:NAME"}[want], req.ID, len(parts)))
		return
	}
	var m variableModel
	m.Name = types.StringValue(parts[len(parts)-1])
	if want > 1 {
		m.Repository = types.StringValue(parts[0])
	}
	if want > 2 {
		m.Environment = types.StringValue(parts[1])
	}
	a, ok := r.address(m, m.Name, "the import id", &resp.Diagnostics)
	if !ok {
		return
	}
	m.ID = types.StringValue(variableID(a))
	for name, v := range map[string]types.String{"id": m.ID, "variable_name": m.Name, "repository": m.Repository, "environment": m.Environment} {
		if v.IsNull() {
			continue
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
	if r.row.level == client.OrgLevel {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("selected_repository_ids"), types.ListNull(types.Int64Type))...)
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, m)...)
}

// variableResources are the resource types of every variable row.
func variableResources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, k := range variableRows {
		out = append(out, func() resource.Resource { return &variableResource{row: k} })
	}
	return out
}
