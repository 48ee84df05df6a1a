package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

var (
	_ resource.ResourceWithConfigure      = (*privateRegistryResource)(nil)
	_ resource.ResourceWithImportState    = (*privateRegistryResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*privateRegistryResource)(nil)
	_ resource.ResourceWithValidateConfig = (*privateRegistryResource)(nil)
	_ resource.ResourceWithIdentity       = (*privateRegistryResource)(nil)
)

const (
	privateRegistryType       = "ghsecrets_org_private_registry"
	privateRegistryKeyType    = "ghsecrets_org_private_registries_public_key"
	privateRegistryListType   = "ghsecrets_org_private_registries"
	privateRegistryPermission = `fine-grained token or GitHub App: organization permission "Organization private registries" (read and write); classic token: admin:org`
	identityRegistryName      = "name"
)

// privateRegistryResource is one of an organization's private registries:
// the configuration Dependabot uses to reach a package registry, with its
// credential sealed for the organization's private-registries key, or an
// OIDC trust with no credential at all.
type privateRegistryResource struct {
	data *providerData
}

// privateRegistryModel is the resource's state: metadata only.
type privateRegistryModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	RegistryType types.String `tfsdk:"registry_type"`
	URL          types.String `tfsdk:"url"`
	Username     types.String `tfsdk:"username"`
	ReplacesBase types.Bool   `tfsdk:"replaces_base"`
	AuthType     types.String `tfsdk:"auth_type"`
	oidcModel
	Visibility    types.String `tfsdk:"visibility"`
	RepositoryIDs types.List   `tfsdk:"selected_repository_ids"`
	secretValueModel
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

// oidcModel is the OIDC fields of a registry (oidcFields).
type oidcModel struct {
	TenantID                 types.String `tfsdk:"tenant_id"`
	ClientID                 types.String `tfsdk:"client_id"`
	AWSRegion                types.String `tfsdk:"aws_region"`
	AccountID                types.String `tfsdk:"account_id"`
	RoleName                 types.String `tfsdk:"role_name"`
	Domain                   types.String `tfsdk:"domain"`
	DomainOwner              types.String `tfsdk:"domain_owner"`
	JFrogOIDCProviderName    types.String `tfsdk:"jfrog_oidc_provider_name"`
	Audience                 types.String `tfsdk:"audience"`
	IdentityMappingName      types.String `tfsdk:"identity_mapping_name"`
	Namespace                types.String `tfsdk:"namespace"`
	ServiceSlug              types.String `tfsdk:"service_slug"`
	APIHost                  types.String `tfsdk:"api_host"`
	WorkloadIdentityProvider types.String `tfsdk:"workload_identity_provider"`
	ServiceAccount           types.String `tfsdk:"service_account"`
}

// fields are m's fields in oidcFields' order.
func (m *oidcModel) fields() []*types.String {
	return []*types.String{&m.TenantID, &m.ClientID, &m.AWSRegion, &m.AccountID, &m.RoleName, &m.Domain, &m.DomainOwner,
		&m.JFrogOIDCProviderName, &m.Audience, &m.IdentityMappingName, &m.Namespace, &m.ServiceSlug, &m.APIHost,
		&m.WorkloadIdentityProvider, &m.ServiceAccount}
}

// client is m as the client sends it: the fields set.
func (m oidcModel) client() client.RegistryOIDC {
	var o client.RegistryOIDC
	for i, v := range m.fields() {
		*oidcFields[i].get(&o) = v.ValueString()
	}
	return o
}

// fromClient is what GitHub returned, null where it returned nothing.
func oidcFromClient(o client.RegistryOIDC) oidcModel {
	var m oidcModel
	for i, v := range m.fields() {
		*v = optionalString(*oidcFields[i].get(&o))
	}
	return m
}

// optionalString is s, or null when empty: GitHub leaves unset fields out.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (r *privateRegistryResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = privateRegistryType
}

func (r *privateRegistryResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	value := secretValueAttributes("organization's private registries", privateRegistryKeyType)
	value["value_wo"] = withDescription(value["value_wo"], "The registry's credential (a token, or the password of "+
		"`username_password`), at most 48 KB. ")
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The registry's name, as GitHub made it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The registry's name: GitHub makes it from the registry type when the registry is " +
				"created (such as `MAVEN_REPOSITORY_SECRET`), and it is what `terraform import` takes.",
			Computed:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"registry_type": schema.StringAttribute{
			MarkdownDescription: "The registry type: one of `" + strings.Join(registryTypes, "`, `") + "`. Changes in place.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(registryTypes...)},
		},
		"url": schema.StringAttribute{
			MarkdownDescription: "The registry's URL, absolute (`https://npm.pkg.example.com/`). Changes in place.",
			Required:            true,
			Validators:          []validator.String{absoluteURLValidator{}},
		},
		"username": schema.StringAttribute{
			MarkdownDescription: "The username to authenticate with; required with `auth_type = \"username_password\"`, " +
				"left out when the registry needs none. Not secret: it is in state.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"replaces_base": schema.BoolAttribute{
			MarkdownDescription: "Whether Dependabot uses this registry alone, never falling back to the public " +
				"registry of its type (npmjs.org, rubygems.org, ...). Default `false`.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"auth_type": schema.StringAttribute{
			MarkdownDescription: "How Dependabot authenticates; default `token`." + describeAuthTypes() +
				" GitHub does not change it after creation: a change replaces the registry.",
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(authDefault),
			Validators:    []validator.String{stringvalidator.OneOf(authTypeNames()...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"visibility": schema.StringAttribute{
			MarkdownDescription: "Which repositories of the organization may use the registry: `all`, `private` " +
				"(private and internal repositories) or `selected` (those in `selected_repository_ids`). Changes in place.",
			Required:   true,
			Validators: []validator.String{stringvalidator.OneOf(visibilityAll, visibilityPrivate, visibilitySelected)},
		},
		"selected_repository_ids": repositoryIDsAttribute("Ids of the repositories that may use a `selected` registry; "+
			"only with `visibility = \"selected\"`, and required with it (it may be empty). GitHub returns the list only "+
			"in the answer to a create, never on a read: a change made outside Terraform cannot be seen, and after an "+
			"import the first apply sends the configured list.", false),
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the registry was created (RFC 3339), as GitHub reports it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When GitHub last changed the registry (RFC 3339).",
			Computed:            true,
		},
	}
	for _, f := range oidcFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: oidcFieldDescription(f),
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A private registry of the provider's organization: the configuration Dependabot uses to " +
			"reach a package registry, with a credential sealed on the client for the organization's private-registries " +
			"public key, or an OIDC trust (Azure, AWS, JFrog, Cloudsmith, GCP) with no credential at all. State and plan " +
			"hold the configuration only, never the credential. GitHub names the registry. A create is not repeated " +
			"blindly: after an answer that was lost, the provider looks for the registry it made and adopts it. " +
			"Available on GitHub Enterprise Server 3.19 too.",
		Attributes: withAttributes(value, attrs),
	}
}

// withDescription is a string attribute with text put before its description.
func withDescription(a schema.Attribute, before string) schema.Attribute {
	s, ok := a.(schema.StringAttribute)
	if !ok {
		panic(fmt.Sprintf("withDescription of a %T", a))
	}
	s.MarkdownDescription = before + s.MarkdownDescription
	return s
}

func (r *privateRegistryResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		identityOrganization: identityschema.StringAttribute{
			OptionalForImport: true,
			Description:       "The provider's `owner`. Optional on import; when given it must be the provider's `owner`.",
		},
		identityRegistryName: identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The registry's name as GitHub made it; on import, any case.",
		},
	}}
}

func (r *privateRegistryResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, name string) diag.Diagnostics {
	var diags diag.Diagnostics
	if to == nil || r.data == nil {
		return diags
	}
	diags.Append(to.SetAttribute(ctx, path.Root(identityOrganization), r.data.owner)...)
	diags.Append(to.SetAttribute(ctx, path.Root(identityRegistryName), strings.ToUpper(name))...)
	return diags
}

func (r *privateRegistryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig applies, before any request, every rule GitHub's
// description states of a registry's configuration: what each auth type
// requires and refuses, and a repository list only for selected.
func (r *privateRegistryResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m privateRegistryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.RepositoryIDs.IsNull() && known(m.Visibility) && m.Visibility.ValueString() != visibilitySelected {
		resp.Diagnostics.AddAttributeError(path.Root("selected_repository_ids"), "Repository List Needs Selected Visibility",
			fmt.Sprintf("selected_repository_ids is only allowed with visibility = %q; this registry has visibility = %q. "+
				"Remove selected_repository_ids, or set visibility = %q.", visibilitySelected, m.Visibility.ValueString(), visibilitySelected))
	}
	if m.RepositoryIDs.IsNull() && known(m.Visibility) && m.Visibility.ValueString() == visibilitySelected {
		resp.Diagnostics.AddAttributeError(path.Root("selected_repository_ids"), "Selected Registry Needs Its Repository List",
			"A registry with visibility = \"selected\" is used by the repositories in selected_repository_ids only, and GitHub "+
				"never returns that list on a read: set it (an empty list is allowed) so that the configuration says it.")
	}
	authType := authDefault
	if !m.AuthType.IsNull() {
		if !known(m.AuthType) {
			return
		}
		authType = m.AuthType.ValueString()
	}
	rule, ok := authRuleOf(authType)
	if !ok {
		return // the attribute's own validator names it
	}
	credential := !m.ValueWO.IsNull() || !m.EncryptedValueWO.IsNull()
	switch {
	case rule.credential && !credential:
		resp.Diagnostics.AddAttributeError(path.Root("value_wo"), "Registry Needs A Credential",
			fmt.Sprintf("auth_type = %q authenticates with a credential: set value_wo, or encrypted_value_wo with key_id.", authType))
	case !rule.credential && credential:
		attr := "value_wo"
		if m.ValueWO.IsNull() {
			attr = "encrypted_value_wo"
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "OIDC Registry Takes No Credential",
			fmt.Sprintf("auth_type = %q authenticates through OIDC, and GitHub refuses a credential with it: remove %s "+
				"(and key_id and value_wo_version).", authType, attr))
	case !m.ValueWO.IsNull() && !m.EncryptedValueWO.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("encrypted_value_wo"), "Two Values Given",
			"Set one of value_wo and encrypted_value_wo, not both.")
	}
	if rule.username && m.Username.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("username"), "Registry Needs A Username",
			fmt.Sprintf("auth_type = %q authenticates with a username and a password: set username.", authType))
	}
	for i, v := range m.fields() {
		attr := oidcFields[i].attr
		switch {
		case v.IsNull() && slices.Contains(rule.required, attr):
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Missing OIDC Setting",
				fmt.Sprintf("auth_type = %q requires %s.", authType, attr))
		case !v.IsNull() && !rule.takes(attr):
			resp.Diagnostics.AddAttributeError(path.Root(attr), "OIDC Setting Of Another Auth Type",
				fmt.Sprintf("%s belongs to auth_type %s, not %q: remove it, or set the auth_type it belongs to.",
					attr, fieldUsers(attr, false), authType))
		}
	}
}

// ModifyPlan turns a change recorded by Read into an in-place update that
// writes the configuration again, and leaves updated_at unknown only when
// the update writes something.
func (r *privateRegistryResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var plan, state privateRegistryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)
	restore := restoresValue(rec, plan.policy())
	if restore {
		resp.Diagnostics.AddWarning("Private Registry Changed Outside Terraform",
			fmt.Sprintf("GitHub changed private registry %s of organization %s at %s, outside Terraform, and what changed "+
				"is not among the settings GitHub returns: the credential or the repository list, which GitHub never shows. "+
				"This plan writes the configured credential and list again. If another system rotates the credential, set "+
				"on_value_drift = \"accept\".", state.Name.ValueString(), r.owner(), formatTime(*rec.ChangedAt)))
	}
	updatedAt := state.UpdatedAt
	if restore || registryChanges(plan, state) {
		updatedAt = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), updatedAt)...)
}

// registryChanges reports whether the plan changes anything GitHub keeps.
func registryChanges(plan, state privateRegistryModel) bool {
	if plan.newValueAsked(state.secretValueModel) || !plan.RegistryType.Equal(state.RegistryType) ||
		!plan.URL.Equal(state.URL) || !plan.Username.Equal(state.Username) || !plan.ReplacesBase.Equal(state.ReplacesBase) ||
		!plan.Visibility.Equal(state.Visibility) || !sameRepositoryIDs(plan.RepositoryIDs, state.RepositoryIDs) &&
		(!plan.RepositoryIDs.IsNull() || !state.RepositoryIDs.IsNull()) {
		return true
	}
	p, s := plan.fields(), state.fields()
	for i := range p {
		if !p[i].Equal(*s[i]) {
			return true
		}
	}
	return false
}

func (r *privateRegistryResource) owner() string {
	if r.data == nil {
		return "(not configured yet)"
	}
	return r.data.owner
}

// write is the registry's configuration as the client sends it; with
// credential, the configured credential too.
func (m privateRegistryModel) write(cfg privateRegistryModel, credential bool) client.RegistryWrite {
	w := client.RegistryWrite{
		RegistryType: client.Ptr(m.RegistryType.ValueString()),
		URL:          client.Ptr(m.URL.ValueString()),
		ReplacesBase: client.Ptr(m.ReplacesBase.ValueBool()),
		Visibility:   client.Ptr(m.Visibility.ValueString()),
		OIDC:         m.client(),
	}
	if !m.Username.IsNull() {
		w.Username = client.Ptr(m.Username.ValueString())
	}
	if ids, ok := repositoryIDList(m.RepositoryIDs); ok && m.Visibility.ValueString() == visibilitySelected {
		w.SelectedRepositoryIDs = ids
	}
	if !credential {
		return w
	}
	switch {
	case !cfg.ValueWO.IsNull() && !cfg.ValueWO.IsUnknown():
		w.Credential = &client.RegistryCredential{Plaintext: []byte(cfg.ValueWO.ValueString())}
	case !cfg.EncryptedValueWO.IsNull() && !cfg.EncryptedValueWO.IsUnknown():
		w.Credential = &client.RegistryCredential{EncryptedValue: cfg.EncryptedValueWO.ValueString(), KeyID: cfg.KeyID.ValueString()}
	}
	return w
}

func (r *privateRegistryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg privateRegistryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.AuthType = types.StringValue(plan.AuthType.ValueString())
	w := plan.write(cfg, true)
	w.AuthType = client.Ptr(plan.AuthType.ValueString())
	reg, err := r.data.client.CreateRegistry(ctx, r.data.owner, w)
	if err != nil {
		resp.Diagnostics.AddError("Error Creating Private Registry",
			registryErrorDetail("create a "+plan.RegistryType.ValueString()+" private registry in organization "+r.data.owner, err))
		return
	}
	tflog.Info(ctx, "created private registry", map[string]any{"owner": r.data.owner, "registry": reg.Name})
	plan.ID, plan.Name = types.StringValue(reg.Name), types.StringValue(reg.Name)
	plan.CreatedAt = types.StringValue(formatTime(reg.CreatedAt))
	plan.UpdatedAt = types.StringValue(formatTime(reg.UpdatedAt))
	resp.Diagnostics.Append(r.recordWrite(ctx, plan, reg, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, reg.Name)...)
}

// recordWrite keeps the drift record of a write GitHub answered with reg's
// updated_at: the credential and list are the configured ones from then on.
func (r *privateRegistryResource) recordWrite(ctx context.Context, m privateRegistryModel, reg client.Registry, private privateData) diag.Diagnostics {
	ids, _ := repositoryIDList(m.RepositoryIDs)
	rec := drift.Wrote(drift.Write{At: reg.UpdatedAt, Exact: true, Visibility: m.Visibility.ValueString(), Repositories: ids})
	return saveRecord(ctx, private, &rec)
}

// registryErrorDetail says what could not be done, with GitHub's answer
// (status and message, never a value) and what to check.
func registryErrorDetail(action string, err error) string {
	detail := fmt.Sprintf("Could not %s: %s.", action, err)
	var apiErr *client.ErrorResponse
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case 401:
			detail += " Check that the token is valid and has not expired."
		case 403, 404:
			detail += " Check that the organization exists and that the token may manage its private registries (" +
				privateRegistryPermission + ")."
		}
	}
	return detail
}

func (r *privateRegistryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state privateRegistryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, name)...)
	reg, err := r.data.client.LookupRegistry(ctx, r.data.owner, name)
	if client.IsNotFound(err) {
		tflog.Info(ctx, "private registry no longer exists; removing it from state", map[string]any{"owner": r.data.owner, "registry": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Private Registry",
			registryErrorDetail(fmt.Sprintf("read private registry %s of organization %s", strings.ToUpper(name), r.data.owner), err))
		return
	}
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)
	// GitHub never returns the list: a moved updated_at with the same
	// visibility and settings is a change of what it does not show.
	obs := drift.Observation{UpdatedAt: reg.UpdatedAt, Visibility: reg.Visibility}
	if rec != nil && reg.Visibility == visibilitySelected {
		obs.Repositories = rec.Repositories
		if obs.Repositories == nil {
			obs.Repositories = []int64{}
		}
	}
	if rec != nil && registryShowsChange(state, *reg) {
		rec = nil // a change GitHub shows explains the moved time: the plan puts it back
	}
	verdict := drift.Decide(rec, obs, state.policy())
	resp.Diagnostics.Append(keepVerdict(ctx, resp.Private, verdict, map[string]any{
		"owner": r.data.owner, "registry": reg.Name, "updated_at": formatTime(reg.UpdatedAt),
	})...)

	state.ID, state.Name = types.StringValue(reg.Name), types.StringValue(reg.Name)
	state.RegistryType = types.StringValue(reg.RegistryType)
	state.URL = types.StringValue(reg.URL)
	state.Username = optionalString(reg.Username)
	state.ReplacesBase = types.BoolValue(reg.ReplacesBase)
	state.AuthType = types.StringValue(reg.AuthType)
	state.oidcModel = oidcFromClient(reg.OIDC)
	if state.Visibility.ValueString() != reg.Visibility && reg.Visibility != visibilitySelected {
		state.RepositoryIDs = types.ListNull(types.Int64Type)
	}
	state.Visibility = types.StringValue(reg.Visibility)
	state.OnValueDrift = types.StringValue(string(state.policy()))
	state.CreatedAt = types.StringValue(formatTime(reg.CreatedAt))
	state.UpdatedAt = types.StringValue(formatTime(reg.UpdatedAt))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// registryShowsChange reports whether GitHub shows a setting other than the
// state's: a change made outside Terraform that the plan sees for itself.
func registryShowsChange(state privateRegistryModel, reg client.Registry) bool {
	if state.RegistryType.ValueString() != reg.RegistryType || state.URL.ValueString() != reg.URL ||
		state.Username.ValueString() != reg.Username || state.ReplacesBase.ValueBool() != reg.ReplacesBase ||
		state.AuthType.ValueString() != reg.AuthType || state.Visibility.ValueString() != reg.Visibility {
		return true
	}
	return state.client() != reg.OIDC
}

func (r *privateRegistryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg privateRegistryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, name)...)
	rec, diags := loadRecord(ctx, req.Private, state.UpdatedAt, state.Visibility)
	resp.Diagnostics.Append(diags...)
	restore := restoresValue(rec, plan.policy())
	if !restore && !registryChanges(plan, state) {
		// on_value_drift alone: nothing on GitHub changes.
		plan.UpdatedAt = state.UpdatedAt
		if rec != nil && plan.policy() == drift.Accept {
			*rec = rec.Accepting()
			resp.Diagnostics.Append(saveRecord(ctx, resp.Private, rec)...)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	rule, _ := authRuleOf(plan.AuthType.ValueString())
	// The credential goes along when the configuration asks for it or a
	// change GitHub does not show is written over; the list, always.
	w := plan.write(cfg, rule.credential && (restore || plan.newValueAsked(state.secretValueModel)))
	if plan.Visibility.ValueString() == visibilitySelected && w.SelectedRepositoryIDs == nil {
		w.SelectedRepositoryIDs = []int64{}
	}
	if plan.Username.IsNull() && !state.Username.IsNull() {
		w.Username = client.Ptr("") // sent as null: the registry no longer has one
	}
	if err := r.data.client.UpdateRegistry(ctx, r.data.owner, name, w); err != nil {
		resp.Diagnostics.AddError("Error Updating Private Registry",
			registryErrorDetail(fmt.Sprintf("update private registry %s of organization %s", strings.ToUpper(name), r.data.owner), err))
		return
	}
	tflog.Info(ctx, "updated private registry", map[string]any{"owner": r.data.owner, "registry": name})
	// GitHub answers an update with no body: its time is read back.
	reg, err := r.data.client.GetRegistry(ctx, r.data.owner, name)
	if err != nil {
		resp.Diagnostics.AddWarning("Private Registry Written, Its Timestamps Not Read",
			registryErrorDetail(fmt.Sprintf("read back private registry %s of organization %s", strings.ToUpper(name), r.data.owner), err)+
				" The update was made; the next refresh reads the timestamps.")
		plan.UpdatedAt = state.UpdatedAt
		resp.Diagnostics.Append(saveRecord(ctx, resp.Private, nil)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	plan.UpdatedAt = types.StringValue(formatTime(reg.UpdatedAt))
	resp.Diagnostics.Append(r.recordWrite(ctx, plan, *reg, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *privateRegistryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state privateRegistryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	err := r.data.client.DeleteRegistry(ctx, r.data.owner, name)
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.AddError("Error Deleting Private Registry",
			registryErrorDetail(fmt.Sprintf("delete private registry %s of organization %s", strings.ToUpper(name), r.data.owner), err))
		return
	}
	tflog.Info(ctx, "deleted private registry", map[string]any{"owner": r.data.owner, "registry": name})
}

// ImportState takes the registry's name (or, with Terraform 1.12 and later,
// its identity); Read fills in the rest. No request is made here.
func (r *privateRegistryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	name := req.ID
	if name == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var org, given types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(identityOrganization), &org)...)
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(identityRegistryName), &given)...)
		if !org.IsNull() && !client.SameName(client.FieldOwner, org.ValueString(), r.data.owner) {
			resp.Diagnostics.AddError("Import Identity Names Another Owner",
				fmt.Sprintf("The import identity's organization is %q, but this provider's owner is %q, and a provider "+
					"manages its owner's registries only. Leave organization out, or import with a provider whose owner is %q.",
					org.ValueString(), r.data.owner, org.ValueString()))
			return
		}
		name = given.ValueString()
	}
	if err := client.CheckSecretName(name); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s by the registry's name as GitHub made it, for example MAVEN_REPOSITORY_SECRET: %s.", privateRegistryType, err))
		return
	}
	upper := strings.ToUpper(name)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), upper)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), upper)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_value_drift"), string(drift.Restore))...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, upper)...)
}

// absoluteURLValidator checks that a URL is absolute, as the API's "uri"
// format requires.
type absoluteURLValidator struct{}

var _ validator.String = absoluteURLValidator{}

func (absoluteURLValidator) Description(context.Context) string {
	return "must be an absolute URL, such as https://npm.pkg.example.com/"
}

func (v absoluteURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v absoluteURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || !u.IsAbs() || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Registry URL",
			fmt.Sprintf("The %s %q %s.", req.Path, req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
