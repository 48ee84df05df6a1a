package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*orgActionsSecretsDataSource)(nil)

// NewOrgActionsSecretsDataSource returns the ghsecrets_org_actions_secrets data source.
func NewOrgActionsSecretsDataSource() datasource.DataSource {
	return &orgActionsSecretsDataSource{}
}

type orgActionsSecretsDataSource struct {
	data *providerData
}

type orgActionsSecretsModel struct {
	ID      types.String              `tfsdk:"id"`
	Secrets []orgActionsSecretSummary `tfsdk:"secrets"`
}

type orgActionsSecretSummary struct {
	Name       types.String `tfsdk:"name"`
	Visibility types.String `tfsdk:"visibility"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
}

func (d *orgActionsSecretsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_actions_secrets"
}

func (d *orgActionsSecretsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every Actions secret of the organization, with its metadata (GitHub never returns values).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The organization login.", Computed: true},
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

func (d *orgActionsSecretsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *orgActionsSecretsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	secrets, err := d.data.client.ListSecrets(ctx, client.OrgScope(client.Actions, d.data.owner))
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Organization Secrets",
			fmt.Sprintf("Could not list the Actions secrets of organization %s: GitHub answered %s.", d.data.owner, err))
		return
	}
	model := orgActionsSecretsModel{
		ID:      types.StringValue(d.data.owner),
		Secrets: make([]orgActionsSecretSummary, 0, len(secrets)),
	}
	for _, s := range secrets {
		model.Secrets = append(model.Secrets, orgActionsSecretSummary{
			Name:       types.StringValue(s.Name),
			Visibility: types.StringValue(s.Visibility),
			CreatedAt:  types.StringValue(formatTime(s.CreatedAt)),
			UpdatedAt:  types.StringValue(formatTime(s.UpdatedAt)),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
