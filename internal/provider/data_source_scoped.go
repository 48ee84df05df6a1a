package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure = (*scopedPublicKeyDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*scopedSecretsDataSource)(nil)
)

// scopedDataSource is what the data sources of a scopeKinds row share: the
// repository (and environment) they read.
type scopedDataSource struct {
	kind scopeKind
	data *providerData
}

// placeModel is the repository and environment a data source reads.
type placeModel struct {
	Repository  types.String `tfsdk:"repository"`
	Environment types.String `tfsdk:"environment"`
}

// getPlace reads the place from the configuration; a repository row has no
// environment attribute.
func (d *scopedDataSource) getPlace(ctx context.Context, cfg tfsdk.Config) (placeModel, diag.Diagnostics) {
	var m placeModel
	diags := cfg.GetAttribute(ctx, path.Root("repository"), &m.Repository)
	if d.kind.env {
		diags.Append(cfg.GetAttribute(ctx, path.Root("environment"), &m.Environment)...)
	}
	return m, diags
}

func (d *scopedDataSource) scope(p placeModel) (client.Scope, error) {
	return d.kind.scope(d.data.owner, p.Repository.ValueString(), p.Environment.ValueString())
}

// placeID is the data source's id: REPOSITORY or REPOSITORY:ENVIRONMENT.
func (d *scopedDataSource) placeID(p placeModel) types.String {
	parts := []string{p.Repository.ValueString()}
	if d.kind.env {
		parts = append(parts, p.Environment.ValueString())
	}
	return types.StringValue(strings.Join(parts, ":"))
}

// attributes are the place attributes and the data source's own.
func (d *scopedDataSource) attributes(own map[string]schema.Attribute) map[string]schema.Attribute {
	own["repository"] = schema.StringAttribute{
		MarkdownDescription: "The repository's name in the provider's `owner`, without the owner.",
		Required:            true,
		Validators:          []validator.String{addressPartValidator{client.FieldRepository}},
	}
	if d.kind.env {
		own["environment"] = schema.StringAttribute{
			MarkdownDescription: "The environment's name.",
			Required:            true,
			Validators:          []validator.String{addressPartValidator{client.FieldEnvironment}},
		}
	}
	return own
}

// set writes the place and the data source's own values to state.
func (d *scopedDataSource) set(ctx context.Context, state *tfsdk.State, p placeModel, own map[string]any) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(state.SetAttribute(ctx, path.Root("repository"), p.Repository)...)
	if d.kind.env {
		diags.Append(state.SetAttribute(ctx, path.Root("environment"), p.Environment)...)
	}
	for name, v := range own {
		diags.Append(state.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

func (d *scopedDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// read reads the place and fails on a refused kind or a place GitHub could
// never name, before a request.
func (d *scopedDataSource) read(ctx context.Context, req datasource.ReadRequest, diags *diag.Diagnostics) (placeModel, client.Scope, bool) {
	if d.kind.checkServer(d.data, diags); diags.HasError() {
		return placeModel{}, client.Scope{}, false
	}
	p, ds := d.getPlace(ctx, req.Config)
	diags.Append(ds...)
	if diags.HasError() {
		return p, client.Scope{}, false
	}
	scope, err := d.scope(p)
	if err != nil {
		addressDiagnostic(diags, "the configuration", err)
	}
	return p, scope, err == nil
}

// apiError reports a failed read, naming a missing repository or environment.
func (d *scopedDataSource) apiError(ctx context.Context, diags *diag.Diagnostics, summary, action string, scope client.Scope, err error) {
	if detail, ok := missingPlaceDetail(ctx, d.data.client, scope, action, scope.String(), err); ok {
		diags.AddError(summary, detail)
		return
	}
	if client.IsInconsistentListing(err) {
		diags.AddError(summary, listingFailure(scope.String(), err))
		return
	}
	diags.AddError(summary, "Could not "+action+" "+scope.String()+": GitHub answered "+err.Error()+".")
}

// listingRule is what the _secrets data sources do with a listing that
// contradicts itself.
const listingRule = "A listing that contradicts itself (secrets missing while `total_count` counts them) is read once " +
	"more; when it contradicts itself again the read fails rather than give a short list to the resources built from it."

// listingFailure says why a data source could not list what: GitHub's
// answer, or a listing that contradicted itself on two readings, which a
// data source does not pass on: what it gives feeds other resources.
func listingFailure(what string, err error) string {
	if client.IsInconsistentListing(err) {
		return "Could not list " + what + ": " + err.Error() + ". A data source gives all or nothing, since other " +
			"resources are built from it; run again when GitHub's listing holds together."
	}
	return "Could not list " + what + ": GitHub answered " + err.Error() + "."
}

// scopedPublicKeyDataSource is the public key of a repository's kind, or of an environment.
type scopedPublicKeyDataSource struct{ scopedDataSource }

func (d *scopedPublicKeyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.name + "_public_key"
}

func (d *scopedPublicKeyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The " + d.kind.where() + "'s public key for " + d.kind.title() + " secrets, for sealing values " +
			"outside Terraform and passing them as `encrypted_value_wo` with `key_id`.",
		Attributes: d.attributes(map[string]schema.Attribute{
			"id":     schema.StringAttribute{MarkdownDescription: "The key id.", Computed: true},
			"key_id": schema.StringAttribute{MarkdownDescription: "Id of the key; pass it as `key_id` with `encrypted_value_wo`.", Computed: true},
			"key":    schema.StringAttribute{MarkdownDescription: "The curve25519 public key, standard base64.", Computed: true},
		}),
	}
}

func (d *scopedPublicKeyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	p, scope, ok := d.read(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	key, err := d.data.client.PublicKey(ctx, scope)
	if err != nil {
		d.apiError(ctx, &resp.Diagnostics, "Error Reading Public Key", "read the public key of", scope, err)
		return
	}
	resp.Diagnostics.Append(d.set(ctx, &resp.State, p, map[string]any{
		"id": types.StringValue(key.KeyID), "key_id": types.StringValue(key.KeyID), "key": types.StringValue(key.Key),
	})...)
}

// scopedSecretsDataSource lists the secrets of a repository's kind, or of an environment.
type scopedSecretsDataSource struct{ scopedDataSource }

type scopedSecretSummary struct {
	Name      types.String `tfsdk:"name"`
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

func (d *scopedSecretsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.name + "_secrets"
}

func (d *scopedSecretsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every " + d.kind.title() + " secret of the " + d.kind.where() + ", with its metadata (GitHub never returns values). " +
			listingRule,
		Attributes: d.attributes(map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "`REPOSITORY`, or `REPOSITORY:ENVIRONMENT`.", Computed: true},
			"secrets": schema.ListNestedAttribute{
				MarkdownDescription: "The secrets, in GitHub's order (by name).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name":       schema.StringAttribute{MarkdownDescription: "Secret name (upper-case).", Computed: true},
						"created_at": schema.StringAttribute{MarkdownDescription: "Creation time (RFC 3339).", Computed: true},
						"updated_at": schema.StringAttribute{MarkdownDescription: "Last value write (RFC 3339).", Computed: true},
					},
				},
			},
		}),
	}
}

func (d *scopedSecretsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	p, scope, ok := d.read(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	secrets, err := d.data.client.ListSecrets(ctx, scope)
	if err != nil {
		d.apiError(ctx, &resp.Diagnostics, "Error Listing Secrets", "list the secrets of", scope, err)
		return
	}
	out := make([]scopedSecretSummary, 0, len(secrets))
	for _, s := range secrets {
		out = append(out, scopedSecretSummary{
			Name:      types.StringValue(s.Name),
			CreatedAt: types.StringValue(formatTime(s.CreatedAt)),
			UpdatedAt: types.StringValue(formatTime(s.UpdatedAt)),
		})
	}
	resp.Diagnostics.Append(d.set(ctx, &resp.State, p, map[string]any{"id": d.placeID(p), "secrets": out})...)
}
