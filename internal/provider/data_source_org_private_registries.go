package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure = (*privateRegistriesPublicKeyDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*privateRegistriesDataSource)(nil)
)

// privateRegistriesPublicKeyDataSource is the organization's key for
// registry credentials, apart from every kind of secret's.
type privateRegistriesPublicKeyDataSource struct {
	data *providerData
}

func (d *privateRegistriesPublicKeyDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = privateRegistryKeyType
}

func (d *privateRegistriesPublicKeyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The organization's public key for private registry credentials, for sealing a credential " +
			"outside Terraform and passing it to `" + privateRegistryType + "` as `encrypted_value_wo` with `key_id`. " +
			"It is not the key of any kind of secret. Reading it needs " + readOnly(privateRegistryPermission) + ".",
		Attributes: map[string]schema.Attribute{
			"id":     schema.StringAttribute{MarkdownDescription: "The key id.", Computed: true},
			"key_id": schema.StringAttribute{MarkdownDescription: "Id of the key; pass it as `key_id` with `encrypted_value_wo`.", Computed: true},
			"key":    schema.StringAttribute{MarkdownDescription: "The curve25519 public key, standard base64.", Computed: true},
		},
	}
}

func (d *privateRegistriesPublicKeyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *privateRegistriesPublicKeyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	key, err := d.data.client.RegistryPublicKey(ctx, d.data.owner)
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Public Key",
			registryErrorDetail("read the private registries public key of organization "+d.data.owner, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, orgPublicKeyModel{
		ID:    types.StringValue(key.KeyID),
		KeyID: types.StringValue(key.KeyID),
		Key:   types.StringValue(key.Key),
	})...)
}

// privateRegistriesDataSource lists the organization's registries with the
// settings GitHub returns.
type privateRegistriesDataSource struct {
	data *providerData
}

type privateRegistriesModel struct {
	ID         types.String             `tfsdk:"id"`
	Registries []privateRegistrySummary `tfsdk:"registries"`
}

type privateRegistrySummary struct {
	Name         types.String `tfsdk:"name"`
	RegistryType types.String `tfsdk:"registry_type"`
	URL          types.String `tfsdk:"url"`
	Username     types.String `tfsdk:"username"`
	ReplacesBase types.Bool   `tfsdk:"replaces_base"`
	Visibility   types.String `tfsdk:"visibility"`
	AuthType     types.String `tfsdk:"auth_type"`
	oidcModel
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

func (d *privateRegistriesDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = privateRegistryListType
}

func (d *privateRegistriesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"name":          schema.StringAttribute{MarkdownDescription: "The registry's name as GitHub made it (upper-case); what `terraform import` takes.", Computed: true},
		"registry_type": schema.StringAttribute{MarkdownDescription: "The registry type, such as `npm_registry`.", Computed: true},
		"url":           schema.StringAttribute{MarkdownDescription: "The registry's URL.", Computed: true},
		"username":      schema.StringAttribute{MarkdownDescription: "The username Dependabot authenticates with; null when there is none.", Computed: true},
		"replaces_base": schema.BoolAttribute{MarkdownDescription: "Whether Dependabot uses this registry alone, never the public registry of its type.", Computed: true},
		"visibility":    schema.StringAttribute{MarkdownDescription: "`all`, `private` or `selected`. GitHub never returns the repositories of a `selected` registry.", Computed: true},
		"auth_type":     schema.StringAttribute{MarkdownDescription: "`token`, `username_password` or an OIDC type (`oidc_aws`, ...).", Computed: true},
		"created_at":    schema.StringAttribute{MarkdownDescription: "Creation time (RFC 3339).", Computed: true},
		"updated_at":    schema.StringAttribute{MarkdownDescription: "Last change (RFC 3339).", Computed: true},
	}
	for _, f := range oidcFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: f.description + " Null unless the registry's auth type uses it (" + fieldUsers(f.attr, false) + ").",
			Computed:            true,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every private registry of the provider's organization (Dependabot's), with its settings; " +
			"never a credential, which GitHub does not return, nor the repositories of a `selected` registry, which it " +
			"returns on no read. One listing, 100 registries a request. Reading them needs " +
			readOnly(privateRegistryPermission) + ".",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The organization login.", Computed: true},
			"registries": schema.ListNestedAttribute{
				MarkdownDescription: "The registries, in GitHub's order (by name).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
			},
		},
	}
}

func (d *privateRegistriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *privateRegistriesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	regs, err := d.data.client.ListRegistries(ctx, d.data.owner)
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Private Registries", registryErrorDetail("list private registries", err))
		return
	}
	model := privateRegistriesModel{
		ID:         types.StringValue(d.data.owner),
		Registries: make([]privateRegistrySummary, 0, len(regs)),
	}
	for _, r := range regs {
		model.Registries = append(model.Registries, privateRegistrySummary{
			Name:         types.StringValue(r.Name),
			RegistryType: types.StringValue(r.RegistryType),
			URL:          types.StringValue(r.URL),
			Username:     optionalString(r.Username),
			ReplacesBase: types.BoolValue(r.ReplacesBase),
			Visibility:   types.StringValue(r.Visibility),
			AuthType:     types.StringValue(r.AuthType),
			oidcModel:    oidcFromClient(r.OIDC),
			CreatedAt:    types.StringValue(formatTime(r.CreatedAt)),
			UpdatedAt:    types.StringValue(formatTime(r.UpdatedAt)),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
