package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*orgPublicKeyDataSource)(nil)

type orgPublicKeyDataSource struct {
	kind orgKind
	data *providerData
}

type orgPublicKeyModel struct {
	ID    types.String `tfsdk:"id"`
	KeyID types.String `tfsdk:"key_id"`
	Key   types.String `tfsdk:"key"`
}

func (d *orgPublicKeyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = d.kind.publicKeyType()
}

func (d *orgPublicKeyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The " + d.kind.holder() + "'s public key for " + d.kind.title() + " secrets, for sealing values outside Terraform " +
			"and passing them as `encrypted_value_wo` with `key_id`.",
		Attributes: map[string]schema.Attribute{
			"id":     schema.StringAttribute{MarkdownDescription: "The key id.", Computed: true},
			"key_id": schema.StringAttribute{MarkdownDescription: "Id of the key; pass it as `key_id` with `encrypted_value_wo`.", Computed: true},
			"key":    schema.StringAttribute{MarkdownDescription: "The curve25519 public key, standard base64.", Computed: true},
		},
	}
}

func (d *orgPublicKeyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *orgPublicKeyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.kind.checkServer(d.data, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	scope, ok := d.kind.ownScope(d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	key, err := d.data.client.PublicKey(ctx, scope)
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Public Key",
			fmt.Sprintf("Could not read the public key of %s: GitHub answered %s.", scope, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, orgPublicKeyModel{
		ID:    types.StringValue(key.KeyID),
		KeyID: types.StringValue(key.KeyID),
		Key:   types.StringValue(key.Key),
	})...)
}
