package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*variablesDataSource)(nil)

// variablesDataSource lists the variables of one row, values included:
// variables are not secret.
type variablesDataSource struct {
	row  variableRow
	data *providerData
}

type variableSummary struct {
	Name      types.String `tfsdk:"name"`
	Value     types.String `tfsdk:"value"`
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

type orgVariableSummary struct {
	Name       types.String `tfsdk:"name"`
	Value      types.String `tfsdk:"value"`
	Visibility types.String `tfsdk:"visibility"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
}

// place is the repository (and environment) handling the secret listings
// of the same level use.
func (d *variablesDataSource) place() *scopedDataSource {
	return &scopedDataSource{kind: scopeKind{kind: d.row.kind, env: d.row.level == client.EnvLevel, name: d.row.name}, data: d.data}
}

func (d *variablesDataSource) isOrg() bool { return d.row.level == client.OrgLevel }

func (d *variablesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.row.name + "_variables"
}

// variableListingRule is listingRule for variables.
const variableListingRule = "A listing that contradicts itself (variables missing while `total_count` counts them) is read " +
	"once more; when it contradicts itself again the read fails rather than give a short list to the resources built from it."

func (d *variablesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := map[string]schema.Attribute{
		"name":       schema.StringAttribute{MarkdownDescription: "Variable name (upper-case).", Computed: true},
		"value":      schema.StringAttribute{MarkdownDescription: "The variable's value (variables are not secret).", Computed: true},
		"created_at": schema.StringAttribute{MarkdownDescription: "Creation time (RFC 3339).", Computed: true},
		"updated_at": schema.StringAttribute{MarkdownDescription: "Last change (RFC 3339).", Computed: true},
	}
	where, id := "organization", "The organization login."
	if d.isOrg() {
		item["visibility"] = schema.StringAttribute{MarkdownDescription: "`all`, `private` or `selected`.", Computed: true}
	} else {
		where, id = d.place().kind.where(), "`REPOSITORY`, or `REPOSITORY:ENVIRONMENT`."
	}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: id, Computed: true},
		"variables": schema.ListNestedAttribute{
			MarkdownDescription: "The variables, by name.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: item},
		},
	}
	if !d.isOrg() {
		attrs = d.place().attributes(attrs)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every " + d.row.kind.Title() + " variable of the " + where + ", with its value. " + variableListingRule,
		Attributes:          attrs,
	}
}

func (d *variablesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *variablesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data != nil && !d.row.kind.OnGHES() && d.data.client.EnterpriseServer() {
		resp.Diagnostics.AddError(d.row.kind.Title()+" Variables Are Not On GitHub Enterprise Server",
			"The provider's base_url is a GitHub Enterprise Server, which has no "+d.row.kind.Title()+" variables. Read them "+
				"with a provider configured for github.com or GitHub Enterprise Cloud.")
		return
	}
	if d.isOrg() {
		d.readOrg(ctx, resp)
		return
	}
	place := d.place()
	p, diags := place.getPlace(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	scope, err := place.scope(p)
	if err == nil {
		scope, err = scope.Variables()
	}
	if err != nil {
		addressDiagnostic(&resp.Diagnostics, "the configuration", err)
		return
	}
	vars, err := d.data.client.ListVariables(ctx, scope)
	if err != nil {
		place.apiError(ctx, &resp.Diagnostics, "Error Listing Variables", "list the variables of", scope, err)
		return
	}
	out := make([]variableSummary, 0, len(vars))
	for _, v := range vars {
		out = append(out, variableSummary{
			Name: types.StringValue(v.Name), Value: types.StringValue(v.Value),
			CreatedAt: types.StringValue(formatTime(v.CreatedAt)), UpdatedAt: types.StringValue(formatTime(v.UpdatedAt)),
		})
	}
	resp.Diagnostics.Append(place.set(ctx, &resp.State, p, map[string]any{"id": place.placeID(p), "variables": out})...)
}

func (d *variablesDataSource) readOrg(ctx context.Context, resp *datasource.ReadResponse) {
	scope, err := client.OrgScope(d.row.kind, d.data.owner)
	if err == nil {
		scope, err = scope.Variables()
	}
	if err != nil {
		addressDiagnostic(&resp.Diagnostics, "the provider's settings", err)
		return
	}
	vars, err := d.data.client.ListVariables(ctx, scope)
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Variables", listingFailure("the variables of "+scope.String(), err))
		return
	}
	out := make([]orgVariableSummary, 0, len(vars))
	for _, v := range vars {
		out = append(out, orgVariableSummary{
			Name: types.StringValue(v.Name), Value: types.StringValue(v.Value), Visibility: types.StringValue(v.Visibility),
			CreatedAt: types.StringValue(formatTime(v.CreatedAt)), UpdatedAt: types.StringValue(formatTime(v.UpdatedAt)),
		})
	}
	var diags diag.Diagnostics
	diags.Append(resp.State.SetAttribute(ctx, path.Root("id"), types.StringValue(d.data.owner))...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root("variables"), out)...)
	resp.Diagnostics.Append(diags...)
}

// variableDataSources are the listing data sources of every variable row.
func variableDataSources() []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, row := range variableRows {
		out = append(out, func() datasource.DataSource { return &variablesDataSource{row: row} })
	}
	return out
}
