package provider

import (
	"context"
	"fmt"
	"strings"

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
	// variables: the list of the row's variable, not of its secret.
	variables bool
	data      *providerData
}

type orgSecretRepositoriesModel struct {
	ID                    types.String `tfsdk:"id"`
	SecretName            types.String `tfsdk:"secret_name"`
	SelectedRepositoryIDs types.List   `tfsdk:"selected_repository_ids"`
}

// orgVariableRepositoriesModel is the same model for a variable: Go converts
// between the two, and only the name's attribute differs.
type orgVariableRepositoriesModel struct {
	ID                    types.String `tfsdk:"id"`
	SecretName            types.String `tfsdk:"variable_name"`
	SelectedRepositoryIDs types.List   `tfsdk:"selected_repository_ids"`
}

// loadList reads the model from a plan or state.
func (l orgListed) loadList(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
}) (orgSecretRepositoriesModel, diag.Diagnostics) {
	if !l.variables {
		var m orgSecretRepositoriesModel
		return m, from.Get(ctx, &m)
	}
	var m orgVariableRepositoriesModel
	diags := from.Get(ctx, &m)
	return orgSecretRepositoriesModel(m), diags
}

// storeList writes the model to a state.
func (l orgListed) storeList(ctx context.Context, to interface {
	Set(context.Context, any) diag.Diagnostics
}, m orgSecretRepositoriesModel) diag.Diagnostics {
	if !l.variables {
		return to.Set(ctx, m)
	}
	return to.Set(ctx, orgVariableRepositoriesModel(m))
}

func (r *orgSecretRepositoriesResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.of().typeName("_repositories")
}

func (r *orgSecretRepositoriesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	thing := r.of().thing()
	resp.Schema = schema.Schema{
		// Version 1: selected_repository_ids is a list (it was a set).
		Version: 1,
		MarkdownDescription: strings.TrimSpace("The repositories that may use " + r.of().selected() + ". " +
			"Authoritative: the list on GitHub becomes exactly `selected_repository_ids`, repositories added outside " +
			"Terraform show as drift, and destroying the resource empties the list (the " + thing + " itself stays). " +
			"For a list that belongs with its " + thing + ", `selected_repository_ids` on `" + r.of().typeName("") + "` does " +
			"the same in the " + thing + "'s own request; use one or the other for a " + thing + ", never both. " +
			r.of().driftGap()),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The " + thing + " name as GitHub stores it (upper-case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			r.of().nameAttr():         r.of().nameAttribute(),
			"selected_repository_ids": repositoryIDsAttribute("Ids of the repositories that may use the "+thing+"; may be empty.", true),
		},
	}
}

func (r *orgSecretRepositoriesResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.of().identity("_repositories").schema()
}

// setIdentity writes the identity of the list of the secret in m.
func (r *orgSecretRepositoriesResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m orgSecretRepositoriesModel) diag.Diagnostics {
	return r.of().identity("_repositories").set(ctx, to, secretIdentity{Owner: r.data.owner, SecretName: m.SecretName.ValueString()})
}

func (r *orgSecretRepositoriesResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	if r.variables {
		return nil // born a list
	}
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
	state, diags := r.of().loadList(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state)...)
	a, ok := r.of().in(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}

	known, diags := readListETag(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	list, err := r.data.client.SelectedRepositoryList(ctx, a, known)
	ids := list.IDs
	switch {
	case client.IsNotFound(err):
		tflog.Info(ctx, r.of().holder()+" "+r.of().thing()+" no longer exists; removing its repository list from state",
			map[string]any{"owner": a.Scope().Owner(), r.of().thing(): a.StoredName()})
		resp.State.RemoveResource(ctx)
		return
	case client.IsConflict(err):
		// The list is meaningless for a secret that is not selected: show it empty, so the
		// plan sets it again once the secret is selected, and say why.
		resp.Diagnostics.AddWarning(r.of().title()+" Is Not Selected",
			fmt.Sprintf("Organization %s %s in %s has visibility %q, so no repository list applies to it. %s",
				r.of().thing(), a.StoredName(), a.Scope().Owner(), visibilityOf(ctx, r.data, a), r.of().notSelectedFix(a, "_repositories")))
		ids, list = nil, client.RepositoryList{}
	case err != nil:
		r.of().apiError(&resp.Diagnostics, "Error Reading "+r.of().title()+" Repositories", "list the repositories of", a, err)
		return
	}

	resp.Diagnostics.Append(writeListETag(ctx, resp.Private, list)...)
	state.ID = types.StringValue(a.StoredName())
	state.SelectedRepositoryIDs = repositoryIDsValue(state.SelectedRepositoryIDs, ids)
	resp.Diagnostics.Append(r.of().storeList(ctx, &resp.State, state)...)
}

func (r *orgSecretRepositoriesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.setList(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics)
	// The write changed the list, so the ETag of the old one is of no use.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateListETag, nil)...)
}

func (r *orgSecretRepositoriesResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := r.of().loadList(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, ok := r.of().in(r.data, state.SecretName.ValueString(), "the state", &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.deleteOnce(ctx, a, claimed{aspect: aspectList}, &resp.Diagnostics, func() error {
		_, err := r.data.client.SetSelectedRepositories(ctx, a, []int64{})
		return err
	})
	// A deleted secret, or one no longer selected, has no list left to empty.
	if err != nil && !client.IsNotFound(err) && !client.IsConflict(err) {
		r.of().apiError(&resp.Diagnostics, "Error Emptying "+r.of().title()+" Repositories", "empty the repository list of", a, err)
	}
}

func (r *orgSecretRepositoriesResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.of().identity("_repositories").importByIdentity(ctx, r.of().typeName("_repositories"), r.data.owner, req, resp) {
		return
	}
	r.of().importByName(ctx, r.of().typeName("_repositories"), r.data, req, resp)
}

// setList replaces the secret's repository list with the planned one (Create
// and Update alike) and records the plan as the new state, with its identity.
func (r *orgSecretRepositoriesResource) setList(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	plan, ds := r.of().loadList(ctx, planned)
	diags.Append(ds...)
	if diags.HasError() {
		return
	}
	a, ok := r.of().in(r.data, plan.SecretName.ValueString(), "the configuration", diags)
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
	l := r.of()
	switch {
	case client.IsConflict(err):
		diags.AddAttributeError(path.Root(l.nameAttr()), l.title()+" Is Not Selected",
			fmt.Sprintf("Could not set the repositories of %s: its visibility is %q, and GitHub "+
				"keeps a repository list only for %ss with visibility \"selected\" (GitHub answered %s). %s",
				a, visibilityOf(ctx, r.data, a), l.thing(), err, l.notSelectedFix(a, "_repositories")))
		return
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root(l.nameAttr()), l.title()+" Not Found",
			fmt.Sprintf("Could not set the repositories of %s: the %s does not exist "+
				"(GitHub answered %s). Create it first, for example with "+l.typeName("")+", and refer to its "+
				l.nameAttr()+" so Terraform orders the two.", a, l.thing(), err))
		return
	case err != nil:
		l.apiError(diags, "Error Setting "+l.title()+" Repositories", "set the repositories of", a, err)
		return
	}
	tflog.Info(ctx, "set "+l.holder()+" "+l.thing()+" repositories", map[string]any{
		"owner": a.Scope().Owner(), l.thing(): a.StoredName(), "repositories": len(ids),
	})
	plan.ID = types.StringValue(a.StoredName())
	diags.Append(l.storeList(ctx, state, plan)...)
	diags.Append(r.setIdentity(ctx, identity, plan)...)
}

// ModifyPlan refuses a kind the configured server cannot serve, before any
// request, and claims the secret's repository list for this resource.
func (r *orgSecretRepositoriesResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	r.of().checkServer(r.data, &resp.Diagnostics)
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(r.of().nameAttr()), &name)...)
	if name.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	if a, ok := r.of().in(r.data, name.ValueString(), "the configuration", &resp.Diagnostics); ok {
		r.data.claim(req, resp, a, claimed{aspect: aspectList,
			by: claimant(r.of().typeName("_repositories"), r.of().nameAttr(), a.Name())})
	}
}

// visibilityOf is best effort: it only enriches an error message.
func visibilityOf(ctx context.Context, data *providerData, a client.Address) string {
	if a.Scope().Thing() == client.Variables {
		v, err := data.client.LookupVariable(ctx, a)
		if err != nil {
			return "unknown"
		}
		return v.Visibility
	}
	s, err := data.client.LookupSecret(ctx, a)
	if err != nil {
		return "unknown"
	}
	return s.Visibility
}

// notSelectedFix says how to fix a companion (the type typeName(suffix)) of
// a secret or variable that is not selected.
func (l orgListed) notSelectedFix(a client.Address, suffix string) string {
	return fmt.Sprintf("Set visibility = \"selected\" on the %s for %s, or remove this %s resource.",
		l.typeName(""), a.StoredName(), l.typeName(suffix))
}

// orgListed is what a repository-list companion serves: an organization
// row's secrets or, with variables, the row's variables, whose lists GitHub
// keeps alike (.../variables/{name}/repositories).
type orgListed struct {
	kind      orgKind
	variables bool
}

func (r *orgSecretRepositoriesResource) of() orgListed { return orgListed{r.kind, r.variables} }
func (r *orgSecretRepositoryResource) of() orgListed   { return orgListed{r.kind, r.variables} }

// thing is "secret" or "variable", for documentation and messages.
func (l orgListed) thing() string {
	if l.variables {
		return "variable"
	}
	return "secret"
}

// title is thing for diagnostic summaries: "Secret".
func (l orgListed) title() string { return strings.ToUpper(l.thing()[:1]) + l.thing()[1:] }

// nameAttr is the attribute that names the secret or variable.
func (l orgListed) nameAttr() string {
	if l.variables {
		return identityVariableName
	}
	return identitySecretName
}

// typeName is a type name of the row's secrets or variables:
// "ghsecrets_org_actions_variable_repositories".
func (l orgListed) typeName(suffix string) string {
	if l.variables {
		return l.kind.typePrefix() + "_variable" + suffix
	}
	return l.kind.typeName(suffix)
}

func (l orgListed) holder() string { return l.kind.holder() }

func (l orgListed) identity(suffix string) identityShape {
	s := l.kind.identity(suffix)
	s.variable = l.variables
	return s
}

// address is the row's secret (or variable) called name in owner.
func (l orgListed) address(owner, name string) (client.Address, error) {
	if !l.variables {
		return l.kind.address(owner, name)
	}
	return variableRow{kind: l.kind.kind, level: l.kind.level()}.address(owner, "", "", name)
}

// in is address in the provider's owner; false, with a diagnostic naming
// where, when GitHub could never name it.
func (l orgListed) in(data *providerData, name, where string, diags *diag.Diagnostics) (client.Address, bool) {
	a, err := l.address(data.owner, name)
	if err != nil {
		addressDiagnostic(diags, where, err)
	}
	return a, err == nil
}

// selected is a secret or variable of the row that has a repository list.
func (l orgListed) selected() string {
	if !l.variables {
		return l.kind.selectedSecret()
	}
	return "an organization " + l.kind.title() + " variable whose `visibility` is `selected`"
}

// nameAttribute is the companion's secret_name or variable_name.
func (l orgListed) nameAttribute() schema.StringAttribute {
	if !l.variables {
		return secretNameAttribute(l.kind.existingSecretName())
	}
	return schema.StringAttribute{
		MarkdownDescription: "Name of an existing organization " + l.kind.title() + " variable with `visibility = \"selected\"`. " +
			"GitHub stores names upper-case and compares them case-insensitively. Changing the name (other than its case) " +
			"replaces the resource.",
		Required:      true,
		Validators:    []validator.String{addressPartValidator{client.FieldVariableName}},
		PlanModifiers: []planmodifier.String{replaceWhenRenamed(client.FieldVariableName)},
	}
}

// driftGap is the secret companions' caveat; a variable's value is compared
// as it is, so its companions have none.
func (l orgListed) driftGap() string {
	if l.variables {
		return ""
	}
	return companionDriftGap
}

// permission is what a token needs for the row's secrets or variables.
func (l orgListed) permission() string {
	if l.variables {
		return variablePermission(client.OrgLevel)
	}
	return l.kind.permission
}

// apiError is addAPIError for the row's secrets or variables.
func (l orgListed) apiError(diags *diag.Diagnostics, summary, action string, a client.Address, err error) {
	diags.AddError(summary, scopeErrorDetail(action, a, l.permission(), err))
}

// checkServer refuses, before any request, what the configured server
// cannot serve.
func (l orgListed) checkServer(data *providerData, diags *diag.Diagnostics) {
	if !l.variables {
		l.kind.checkServer(data, diags)
		return
	}
	if data != nil && !l.kind.kind.OnGHES() && data.client.EnterpriseServer() {
		diags.AddError(l.kind.title()+" Variables Are Not On GitHub Enterprise Server",
			fmt.Sprintf("The provider's base_url is a GitHub Enterprise Server, which has no organization %s variables. "+
				"Manage them with a provider configured for github.com or GitHub Enterprise Cloud, or remove this resource.", l.kind.title()))
	}
}

// importByName starts the state of a companion imported by the name of its
// secret or variable; Read fills in the rest.
func (l orgListed) importByName(ctx context.Context, typeName string, data *providerData, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse) {
	if !l.variables {
		importBySecretName(ctx, typeName, l.kind, data, req, resp)
		return
	}
	a, err := l.address(data.owner, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s by the variable's name, for example MY_VARIABLE: %s.", typeName, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(identityVariableName), a.Name())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), a.StoredName())...)
}

// orgVariableCompanions are the repository-list companions of every
// organization variable row.
func orgVariableCompanions() []func() resource.Resource {
	var out []func() resource.Resource
	for _, row := range variableRows {
		if row.level != client.OrgLevel {
			continue
		}
		for _, k := range orgKinds {
			if k.kind != row.kind {
				continue
			}
			out = append(out,
				func() resource.Resource { return &orgSecretRepositoriesResource{kind: k, variables: true} },
				func() resource.Resource { return &orgSecretRepositoryResource{kind: k, variables: true} },
			)
		}
	}
	return out
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
