package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

var (
	_ list.ListResourceWithConfigure = (*secretListResource)(nil)
)

// namePrefixPattern is what a secret name can start with.
var namePrefixPattern = regexp.MustCompile(`^[A-Za-z0-9_]*$`)

// secretRow is what the list resource of one row of orgKinds or scopeKinds
// needs from it: where the row's secrets are, and how a found secret reads as
// the row's resource.
type secretRow interface {
	// resourceType is the row's secret resource type, which the list
	// resource shares.
	resourceType() string
	// listDescription says what the list finds, for documentation.
	listDescription() string
	// filterAttributes are the row's filters beyond name_prefix.
	filterAttributes() map[string]listschema.Attribute
	// check refuses, before any request, what the server cannot serve.
	check(data *providerData, diags *diag.Diagnostics)
	// places are the scopes the filters select; skipped says, for each
	// place GitHub listed that no address can name, why it was left out.
	places(ctx context.Context, c *client.Client, owner string, f secretFilter) (scopes []client.Scope, skipped []string, err error)
	// displayName names a found secret for the query's output: its import id.
	displayName(a client.Address) string
	// foundIdentity is a found secret's identity: the shape of the row's
	// resource type, and its values.
	foundIdentity(a client.Address) (identityShape, secretIdentity)
	// resource is a found secret as the resource holds it after an import.
	resource(a client.Address, s client.Secret) any
}

// secretFilter is a list block's config.
type secretFilter struct {
	NamePrefix   types.String
	Repositories []string
	Environments []string
}

// secretListResource lists the secrets GitHub has for one row: their
// identities, and on request their metadata as the resource would hold it.
type secretListResource struct {
	row  secretRow
	data *providerData
}

func (l *secretListResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = l.row.resourceType()
}

func (l *secretListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := l.row.filterAttributes()
	attrs["name_prefix"] = listschema.StringAttribute{
		MarkdownDescription: "Only secrets whose name starts with this prefix, compared case-insensitively as GitHub compares " +
			"names (`deploy_` finds `DEPLOY_KEY`). Letters, digits and underscores.",
		Optional: true,
		Validators: []validator.String{stringvalidator.RegexMatches(namePrefixPattern,
			"must hold only letters, digits and underscores, as secret names do")},
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: l.row.listDescription() + " Each result is the secret's identity, for an import block, and " +
			"with `include_resource = true` its metadata; never a value, which GitHub does not return. Configuration " +
			"generated from the results needs a value in each resource block, and no `value_wo_version`, to import " +
			"without writing anything.",
		Attributes: attrs,
	}
}

func (l *secretListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// filter reads the list block's config; a row without repositories or
// environments has no such attribute.
func (l *secretListResource) filter(ctx context.Context, cfg tfsdk.Config) (secretFilter, diag.Diagnostics) {
	var f secretFilter
	diags := cfg.GetAttribute(ctx, path.Root("name_prefix"), &f.NamePrefix)
	attrs := l.row.filterAttributes()
	for name, to := range map[string]*[]string{"repositories": &f.Repositories, "environments": &f.Environments} {
		if _, ok := attrs[name]; ok {
			diags.Append(cfg.GetAttribute(ctx, path.Root(name), to)...)
		}
	}
	return f, diags
}

func (l *secretListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if l.data == nil {
		diags.AddError("Provider Not Configured", "The list resource "+l.row.resourceType()+" needs a configured provider.")
	}
	if !diags.HasError() {
		l.row.check(l.data, &diags)
	}
	f, d := l.filter(ctx, req.Config)
	diags.Append(d...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	c, owner := l.data.client, l.data.owner
	prefix := strings.ToUpper(f.NamePrefix.ValueString())
	stream.Results = func(push func(list.ListResult) bool) {
		scopes, skipped, err := l.row.places(ctx, c, owner, f)
		if err != nil {
			push(errorResult(fmt.Sprintf("Could not find where the %s secrets are: %s.", l.row.resourceType(), err)))
			return
		}
		for _, why := range skipped {
			if !push(warningResult(why)) {
				return
			}
		}
		var pushed int64
		for _, scope := range scopes {
			secrets, err := c.ListedSecrets(ctx, scope)
			if err != nil {
				push(errorResult(fmt.Sprintf("Could not list the secrets of %s: %s.", scope, err)))
				return
			}
			for _, s := range secrets {
				if !strings.HasPrefix(strings.ToUpper(s.Name), prefix) {
					continue
				}
				a, err := scope.Secret(s.Name)
				if err != nil {
					if !push(warningResult(fmt.Sprintf("GitHub listed a secret in %s that no address can name, so it is "+
						"left out: %s.", scope, err))) {
						return
					}
					continue
				}
				if req.Limit > 0 && pushed >= req.Limit {
					return
				}
				pushed++
				if !push(l.result(ctx, req, a, s)) {
					return
				}
			}
		}
	}
}

// result is one found secret.
func (l *secretListResource) result(ctx context.Context, req list.ListRequest, a client.Address, s client.Secret) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = l.row.displayName(a)
	shape, identity := l.row.foundIdentity(a)
	res.Diagnostics.Append(shape.set(ctx, res.Identity, identity)...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, l.row.resource(a, s))...)
	}
	return res
}

func errorResult(detail string) list.ListResult {
	var diags diag.Diagnostics
	diags.AddError("Error Listing Secrets", detail)
	return list.ListResult{Diagnostics: diags}
}

// warningResult is a result that only says something about the listing.
func warningResult(detail string) list.ListResult {
	var diags diag.Diagnostics
	diags.AddWarning("Secrets Left Out Of The Listing", detail)
	return list.ListResult{Diagnostics: diags}
}

// secretListResources are the list resources of every row.
func secretListResources() []func() list.ListResource {
	var out []func() list.ListResource
	for _, k := range orgKinds {
		out = append(out, func() list.ListResource { return &secretListResource{row: k} })
	}
	for _, k := range scopeKinds {
		out = append(out, func() list.ListResource { return &secretListResource{row: k} })
	}
	return out
}

// The organization rows.

func (k orgKind) resourceType() string { return k.typeName("") }

func (k orgKind) listDescription() string {
	return "Every organization " + k.title() + " secret of the provider's owner (one listing, 100 secrets a request)."
}

func (k orgKind) filterAttributes() map[string]listschema.Attribute {
	return map[string]listschema.Attribute{}
}

func (k orgKind) check(data *providerData, diags *diag.Diagnostics) { k.checkServer(data, diags) }

func (k orgKind) places(_ context.Context, _ *client.Client, owner string, _ secretFilter) ([]client.Scope, []string, error) {
	scope, err := k.scope(owner)
	if err != nil {
		return nil, nil, err
	}
	return []client.Scope{scope}, nil, nil
}

func (k orgKind) displayName(a client.Address) string { return a.StoredName() }

func (k orgKind) foundIdentity(a client.Address) (identityShape, secretIdentity) {
	return k.identity(""), identityOf(a)
}

func (k orgKind) resource(a client.Address, s client.Secret) any {
	return orgSecretModel{
		ID:               types.StringValue(a.StoredName()),
		SecretName:       types.StringValue(a.Name()),
		Visibility:       types.StringValue(s.Visibility),
		secretValueModel: importedValueModel(),
		RepositoryIDs:    types.ListNull(types.Int64Type),
		CreatedAt:        types.StringValue(formatTime(s.CreatedAt)),
		UpdatedAt:        types.StringValue(formatTime(s.UpdatedAt)),
	}
}

// importedValueModel is the value part of an imported secret: no value, no
// version, the default drift setting.
func importedValueModel() secretValueModel {
	return secretValueModel{OnValueDrift: types.StringValue(string(drift.Restore))}
}

// The repository and environment rows.

func (k scopeKind) resourceType() string { return k.typeName("_secret") }

func (k scopeKind) listDescription() string {
	if k.env {
		return "Every " + k.title() + " secret of the environments of the provider's owner's repositories: of every " +
			"environment of every repository, or of those `repositories` and `environments` name (one listing of the " +
			"repositories, one of each repository's environments, one of each environment's secrets)."
	}
	return "Every repository " + k.title() + " secret of the provider's owner: of every repository, or of those " +
		"`repositories` names (one listing of the repositories, one of each repository's secrets)."
}

func (k scopeKind) filterAttributes() map[string]listschema.Attribute {
	attrs := map[string]listschema.Attribute{
		"repositories": listschema.ListAttribute{
			MarkdownDescription: "Only the secrets of these repositories of the provider's owner (names without the owner). " +
				"Default: every repository the token can see.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(addressPartValidator{client.FieldRepository}),
			},
		},
	}
	if k.env {
		attrs["environments"] = listschema.ListAttribute{
			MarkdownDescription: "Only the secrets of the environments of these names, in each repository that has them. " +
				"Default: every environment of each repository.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(addressPartValidator{client.FieldEnvironment}),
			},
		}
	}
	return attrs
}

func (k scopeKind) check(data *providerData, diags *diag.Diagnostics) { k.checkServer(data, diags) }

func (k scopeKind) places(ctx context.Context, c *client.Client, owner string, f secretFilter) ([]client.Scope, []string, error) {
	var repos []client.Scope
	var skipped []string
	// Every repository, named by the filter or by GitHub's listing, becomes
	// an address through the one constructor; a name no address can hold
	// is left out and said.
	addRepo := func(name, source string) error {
		repo, err := client.RepoScope(k.kind, owner, name)
		switch {
		case err == nil:
			repos = append(repos, repo)
		case source == "":
			return err
		default:
			skipped = append(skipped, fmt.Sprintf("%s named a repository that no address can hold, so its secrets are left out: %s.", source, err))
		}
		return nil
	}
	if f.Repositories != nil {
		for _, name := range f.Repositories {
			if err := addRepo(name, ""); err != nil {
				return nil, nil, err
			}
		}
	} else {
		all, err := c.OrgRepositoriesOnce(ctx, owner)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range all {
			_ = addRepo(r.Name, "GitHub's list of the organization's repositories")
		}
	}
	if !k.env {
		return repos, skipped, nil
	}
	var scopes []client.Scope
	for _, repo := range repos {
		// The repository's own list, also when environments are named: one
		// request finds which of them it has.
		envs, err := c.ListEnvironments(ctx, repo)
		if err != nil {
			return nil, nil, fmt.Errorf("listing the environments of repository %s/%s: %w", owner, repo.Repo(), err)
		}
		for _, e := range envs {
			if !namedIn(f.Environments, e.Name) {
				continue
			}
			scope, err := k.scope(owner, repo.Repo(), e.Name)
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("GitHub listed an environment of repository %s/%s that no address can "+
					"hold, so its secrets are left out: %s.", owner, repo.Repo(), err))
				continue
			}
			scopes = append(scopes, scope)
		}
	}
	return scopes, skipped, nil
}

// namedIn reports whether an environment is one the filter names (any, when
// it names none), comparing names as GitHub does.
func namedIn(filter []string, env string) bool {
	if len(filter) == 0 {
		return true
	}
	return slices.ContainsFunc(filter, func(n string) bool { return client.SameName(client.FieldEnvironment, n, env) })
}

func (k scopeKind) displayName(a client.Address) string { return scopedID(a) }

func (k scopeKind) foundIdentity(a client.Address) (identityShape, secretIdentity) {
	return k.identity(), identityOf(a)
}

func (k scopeKind) resource(a client.Address, s client.Secret) any {
	m := repositorySecretModel{
		ID:               types.StringValue(scopedID(a)),
		Repository:       types.StringValue(a.Scope().Repo()),
		SecretName:       types.StringValue(a.Name()),
		secretValueModel: importedValueModel(),
		CreatedAt:        types.StringValue(formatTime(s.CreatedAt)),
		UpdatedAt:        types.StringValue(formatTime(s.UpdatedAt)),
	}
	if k.env {
		return environmentSecretModel{repositorySecretModel: m, Environment: types.StringValue(a.Scope().Env())}
	}
	return m
}
