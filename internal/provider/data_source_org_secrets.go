package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*orgSecretsDataSource)(nil)

type orgSecretsDataSource struct {
	kind orgKind
	data *providerData
}

type orgSecretsModel struct {
	ID      types.String       `tfsdk:"id"`
	Secrets []orgSecretSummary `tfsdk:"secrets"`
}

type orgSecretSummary struct {
	Name       types.String `tfsdk:"name"`
	Visibility types.String `tfsdk:"visibility"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
}

func (d *orgSecretsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = d.kind.typePrefix() + "_secrets"
}

func (d *orgSecretsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every " + d.kind.title() + " secret of the " + d.kind.holder() + ", with its metadata (GitHub never returns values). " +
			listingRule,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: d.kind.listingID(), Computed: true},
			"secrets": schema.ListNestedAttribute{
				MarkdownDescription: "The secrets, in GitHub's order (by name).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name":       schema.StringAttribute{MarkdownDescription: "Secret name (upper-case).", Computed: true},
						"visibility": schema.StringAttribute{MarkdownDescription: "`all`, `private` or `selected`.", Computed: true},
						"created_at": schema.StringAttribute{MarkdownDescription: "Creation time (RFC 3339).", Computed: true},
						"updated_at": schema.StringAttribute{MarkdownDescription: "Last change (RFC 3339).", Computed: true},
					},
				},
			},
		},
	}
}

func (d *orgSecretsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *orgSecretsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.kind.checkServer(d.data, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	scope, ok := d.kind.ownScope(d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	secrets, err := d.data.client.ListSecrets(ctx, scope)
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Secrets", listingFailure("the secrets of "+scope.String(), err))
		return
	}
	model := orgSecretsModel{
		ID:      types.StringValue(d.kind.listingIDValue(d.data.owner)),
		Secrets: make([]orgSecretSummary, 0, len(secrets)),
	}
	for _, s := range secrets {
		model.Secrets = append(model.Secrets, orgSecretSummary{
			Name:       types.StringValue(s.Name),
			Visibility: types.StringValue(s.Visibility),
			CreatedAt:  types.StringValue(formatTime(s.CreatedAt)),
			UpdatedAt:  types.StringValue(formatTime(s.UpdatedAt)),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
