package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var _ list.ListResourceWithConfigure = (*privateRegistryListResource)(nil)

// privateRegistryListResource lists the organization's private registries:
// their identities, and on request their settings as an import would read
// them.
type privateRegistryListResource struct {
	data *providerData
}

func newPrivateRegistryListResource() list.ListResource { return &privateRegistryListResource{} }

func (l *privateRegistryListResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = privateRegistryType
}

func (l *privateRegistryListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Every private registry of the provider's organization (one listing, 100 registries a " +
			"request). Reading them needs " + readOnly(privateRegistryPermission) + ". Each result is the registry's " +
			"identity, for an import block, and with `include_resource = true` its settings; never its credential, nor " +
			"the repositories of a `selected` registry: GitHub returns neither on a read. Configuration generated from " +
			"the results needs, in each resource block, the credential of a `token` or `username_password` registry " +
			"and the `selected_repository_ids` of a `selected` one.",
		Attributes: map[string]listschema.Attribute{
			"name_prefix": listschema.StringAttribute{
				MarkdownDescription: "Only registries whose name starts with this prefix, compared case-insensitively as " +
					"GitHub compares names (`npm_` finds `NPM_REGISTRY_SECRET`). Letters, digits and underscores.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(namePrefixPattern,
					"must hold only letters, digits and underscores, as registry names do")},
			},
		},
	}
}

func (l *privateRegistryListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (l *privateRegistryListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if l.data == nil {
		diags.AddError("Provider Not Configured", "The list resource "+privateRegistryType+" needs a configured provider.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var prefix types.String
	if diags.Append(req.Config.GetAttribute(ctx, path.Root("name_prefix"), &prefix)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	owner := l.data.owner
	stream.Results = func(push func(list.ListResult) bool) {
		regs, err := l.data.client.ListRegistries(ctx, owner)
		if err != nil {
			var d diag.Diagnostics
			d.AddError("Error Listing Private Registries", registryErrorDetail("list private registries", err))
			push(list.ListResult{Diagnostics: d})
			return
		}
		var pushed int64
		for _, r := range regs {
			if !strings.HasPrefix(strings.ToUpper(r.Name), strings.ToUpper(prefix.ValueString())) {
				continue
			}
			if !push(l.result(ctx, req, r)) {
				return
			}
			if pushed++; req.Limit > 0 && pushed >= req.Limit {
				return
			}
		}
	}
}

// result is one registry, as Read leaves it after an import.
func (l *privateRegistryListResource) result(ctx context.Context, req list.ListRequest, r client.Registry) list.ListResult {
	res := req.NewListResult(ctx)
	name := strings.ToUpper(r.Name)
	res.DisplayName = name
	res.Diagnostics.Append(res.Identity.SetAttribute(ctx, path.Root(identityOrganization), l.data.owner)...)
	res.Diagnostics.Append(res.Identity.SetAttribute(ctx, path.Root(identityRegistryName), name)...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, privateRegistryModel{
			ID:               types.StringValue(r.Name),
			Name:             types.StringValue(r.Name),
			RegistryType:     types.StringValue(r.RegistryType),
			URL:              types.StringValue(r.URL),
			Username:         optionalString(r.Username),
			ReplacesBase:     types.BoolValue(r.ReplacesBase),
			AuthType:         types.StringValue(r.AuthType),
			oidcModel:        oidcFromClient(r.OIDC),
			Visibility:       types.StringValue(r.Visibility),
			RepositoryIDs:    types.ListNull(types.Int64Type),
			secretValueModel: importedValueModel(),
			CreatedAt:        types.StringValue(formatTime(r.CreatedAt)),
			UpdatedAt:        types.StringValue(formatTime(r.UpdatedAt)),
		})...)
	}
	return res
}
