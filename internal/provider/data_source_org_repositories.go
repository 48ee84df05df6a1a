package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*orgRepositoriesDataSource)(nil)

// NewOrgRepositoriesDataSource returns the ghsecrets_org_repositories data source.
func NewOrgRepositoriesDataSource() datasource.DataSource {
	return &orgRepositoriesDataSource{}
}

type orgRepositoriesDataSource struct {
	data *providerData
}

type orgRepositoriesModel struct {
	ID              types.String           `tfsdk:"id"`
	Names           types.Set              `tfsdk:"names"`
	IncludeArchived types.Bool             `tfsdk:"include_archived"`
	IDs             map[string]types.Int64 `tfsdk:"ids"`
	Repositories    []orgRepositorySummary `tfsdk:"repositories"`
}

type orgRepositorySummary struct {
	ID         types.Int64  `tfsdk:"id"`
	Name       types.String `tfsdk:"name"`
	FullName   types.String `tfsdk:"full_name"`
	Visibility types.String `tfsdk:"visibility"`
	Archived   types.Bool   `tfsdk:"archived"`
}

func (d *orgRepositoriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_repositories"
}

func (d *orgRepositoriesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The organization's repositories by name, to turn repository names into the ids that " +
			"`ghsecrets_org_actions_secret_repositories` and `ghsecrets_org_actions_secret_repository` take. " +
			"Lists every repository the token can see (pages of 100).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The organization login.", Computed: true},
			"names": schema.SetAttribute{
				MarkdownDescription: "Only these repositories. Names are matched case-insensitively, as GitHub does; " +
					"a name the organization has no repository of is an error that names it. " +
					"Omit to get every repository.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(addressPartValidator{client.FieldRepository}),
				},
			},
			"include_archived": schema.BoolAttribute{
				MarkdownDescription: "Whether archived repositories are included; default `true`, so every existing " +
					"name resolves. Set `false` to leave them out: a secret is of no use to an archived repository, " +
					"whose workflows do not run. With `names`, naming an archived repository is then an error.",
				Optional: true,
			},
			"ids": schema.MapAttribute{
				MarkdownDescription: "Repository id by name: the names as written in `names` when it is set, " +
					"else as GitHub spells them.",
				ElementType: types.Int64Type,
				Computed:    true,
			},
			"repositories": schema.ListNestedAttribute{
				MarkdownDescription: "The repositories, ordered by name (case-insensitive).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.Int64Attribute{MarkdownDescription: "Repository id.", Computed: true},
						"name":       schema.StringAttribute{MarkdownDescription: "Name as GitHub spells it.", Computed: true},
						"full_name":  schema.StringAttribute{MarkdownDescription: "`OWNER/NAME`.", Computed: true},
						"visibility": schema.StringAttribute{MarkdownDescription: "`public`, `private` or `internal`.", Computed: true},
						"archived":   schema.BoolAttribute{MarkdownDescription: "Whether the repository is archived.", Computed: true},
					},
				},
			},
		},
	}
}

func (d *orgRepositoriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *orgRepositoriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg orgRepositoriesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var names []string
	if !cfg.Names.IsNull() {
		resp.Diagnostics.Append(cfg.Names.ElementsAs(ctx, &names, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	includeArchived := cfg.IncludeArchived.IsNull() || cfg.IncludeArchived.ValueBool()

	owner := d.data.owner
	repos, err := d.data.client.ListOrgRepositories(ctx, owner)
	if err != nil {
		detail := fmt.Sprintf("Could not list the repositories of organization %s: GitHub answered %s.", owner, err)
		if code := client.StatusCode(err); code == 403 || code == 404 {
			detail += " Check that the organization exists and that the token may read its repositories " +
				"(fine-grained: repository \"Metadata\" read for the repositories; classic: repo or read:org)."
		}
		resp.Diagnostics.AddError("Error Listing Organization Repositories", detail)
		return
	}
	if !includeArchived {
		repos = slices.DeleteFunc(repos, func(r client.OrgRepository) bool { return r.Archived })
	}

	byKey := make(map[string]client.OrgRepository, len(repos))
	for _, r := range repos {
		byKey[strings.ToLower(r.Name)] = r
	}
	ids := make(map[string]types.Int64)
	var picked []client.OrgRepository
	if names == nil {
		for _, r := range repos {
			ids[r.Name] = types.Int64Value(r.ID)
		}
		picked = repos
	} else {
		var missing []string
		seen := make(map[int64]bool)
		for _, n := range names {
			r, ok := byKey[strings.ToLower(n)]
			if !ok {
				missing = append(missing, n)
				continue
			}
			ids[n] = types.Int64Value(r.ID)
			if !seen[r.ID] {
				seen[r.ID] = true
				picked = append(picked, r)
			}
		}
		if len(missing) > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("names"), "Repository Not Found",
				missingReposDetail(owner, missing, includeArchived))
			return
		}
	}
	slices.SortFunc(picked, func(a, b client.OrgRepository) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})

	model := orgRepositoriesModel{
		ID:              types.StringValue(owner),
		Names:           cfg.Names,
		IncludeArchived: cfg.IncludeArchived,
		IDs:             ids,
		Repositories:    make([]orgRepositorySummary, 0, len(picked)),
	}
	for _, r := range picked {
		model.Repositories = append(model.Repositories, orgRepositorySummary{
			ID:         types.Int64Value(r.ID),
			Name:       types.StringValue(r.Name),
			FullName:   types.StringValue(r.FullName),
			Visibility: types.StringValue(r.Visibility),
			Archived:   types.BoolValue(r.Archived),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}

func missingReposDetail(owner string, missing []string, includeArchived bool) string {
	slices.Sort(missing)
	quoted := make([]string, len(missing))
	for i, n := range missing {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	noun := "repository"
	if len(missing) > 1 {
		noun = "repositories"
	}
	detail := fmt.Sprintf("Organization %s has no %s named %s that the token can see (names are compared case-insensitively).",
		owner, noun, strings.Join(quoted, ", "))
	if !includeArchived {
		detail += " Archived repositories are left out because include_archived is false."
	}
	return detail + " Check the spelling, or remove the name from names."
}
