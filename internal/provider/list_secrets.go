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
	// places visits the scopes the filters select, in GitHub's order,
	// listing each only when the walk asks for more; it returns early when
	// a visit says stop.
	places(ctx context.Context, c *client.Client, owner string, f secretFilter, w *listWalk) error
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
	OnIncomplete types.String
	Repositories []string
	Environments []string
}

// What a list resource does when its listing cannot be complete.
const (
	incompleteWarn  = "warn"
	incompleteError = "error"
)

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
	thing := "secret"
	if _, ok := l.row.(variableLister); ok {
		// The filters are the secret rows' own; they filter variables here.
		thing = "variable"
		for name, a := range attrs {
			if la, ok := a.(listschema.ListAttribute); ok {
				la.MarkdownDescription = strings.Replace(la.MarkdownDescription, "the secrets", "the variables", 1)
				attrs[name] = la
			}
		}
	}
	attrs["name_prefix"] = listschema.StringAttribute{
		MarkdownDescription: "Only " + thing + "s whose name starts with this prefix, compared case-insensitively as GitHub " +
			"compares names (`deploy_` finds `DEPLOY_KEY`). Letters, digits and underscores.",
		Optional: true,
		Validators: []validator.String{stringvalidator.RegexMatches(namePrefixPattern,
			"must hold only letters, digits and underscores, as "+thing+" names do")},
	}
	attrs["on_incomplete"] = listschema.StringAttribute{
		MarkdownDescription: "What happens when the listing cannot be complete: a repository or environment the token " +
			"cannot read (GitHub answers 403) or that is gone by the time it is read (404), or a listing GitHub " +
			"contradicts on two readings (items missing while `total_count` counts them). `warn` (the default) names " +
			"each such place once in a warning, lists the rest and ends with a warning that the result is partial; " +
			"`error` fails the query at the first, for all-or-nothing discovery. A failure of the whole organization " +
			"(bad token, missing organization, no repository readable at all) is an error either way.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(incompleteWarn, incompleteError)},
	}
	tail := " Each result is the secret's identity, for an import block, and " +
		"with `include_resource = true` its metadata; never a value, which GitHub does not return. Configuration " +
		"generated from the results needs a value in each resource block, and no `value_wo_version`, to import " +
		"without writing anything."
	if _, ok := l.row.(variableLister); ok {
		tail = " Each result is the variable's identity, for an import block, and with `include_resource = true` " +
			"the variable as the resource holds it, value included (variables are not secret)."
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: l.row.listDescription() + tail,
		Attributes:          attrs,
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
	diags.Append(cfg.GetAttribute(ctx, path.Root("on_incomplete"), &f.OnIncomplete)...)
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
	stream.Results = func(push func(list.ListResult) bool) {
		w := &listWalk{
			ctx: ctx, c: c, l: l, req: req, push: push,
			prefix: strings.ToUpper(f.NamePrefix.ValueString()),
			strict: f.OnIncomplete.ValueString() == incompleteError,
		}
		err := l.row.places(ctx, c, owner, f, w)
		switch {
		case w.closed:
		case err != nil:
			w.fail(fmt.Sprintf("Could not find where the %s secrets are: %s.", l.row.resourceType(), err))
		case w.read == 0 && w.forbidden > 0:
			w.fail(fmt.Sprintf("The token could not read the %s secrets of any of the %d places it found, so the "+
				"listing has nothing to give: the first answered %s. Listing secrets needs collaborator (write) access to "+
				"a repository, admin access for Codespaces secrets; see the provider's documentation on discovery.",
				l.row.resourceType(), w.forbidden, w.firstRefusal))
		default:
			w.summary()
		}
	}
}

// listWalk is one list block's walk through its places: it lists each
// place's secrets as results until the limit, and keeps count of what it
// left out, so the result says when it is partial.
type listWalk struct {
	ctx    context.Context
	c      *client.Client
	l      *secretListResource
	req    list.ListRequest
	push   func(list.ListResult) bool
	prefix string
	strict bool // on_incomplete = "error"

	pushed int64
	// closed: the consumer or an error ended the walk; full: it has the
	// results the limit asks for.
	closed, full bool
	// read counts the places listed; forbidden and gone those left out
	// for a 403 or a 404, contradicted the listings GitHub contradicted
	// twice, unnamed the places no address can hold.
	read, forbidden, gone, contradicted, unnamed int
	firstRefusal                                 string
}

// more reports whether the walk goes on.
func (w *listWalk) more() bool { return !w.closed && !w.full }

// send pushes a result; false when the consumer wants no more.
func (w *listWalk) send(r list.ListResult) bool {
	if w.closed {
		return false
	}
	if !w.push(r) {
		w.closed = true
	}
	return !w.closed
}

// fail ends the walk with an error.
func (w *listWalk) fail(detail string) {
	w.send(errorResult(detail))
	w.closed = true
}

// incomplete says, once, that something is left out of the listing: a
// warning, or with on_incomplete = "error" the error that ends it.
func (w *listWalk) incomplete(detail string) bool {
	if w.strict {
		w.fail(detail + " The list block's on_incomplete is \"error\".")
		return false
	}
	return w.send(warningResult(detail))
}

// placeListing is one listing of a walk: of a place's secrets or of a
// repository's environments.
type placeListing struct {
	place, what string
	// named: the filter names the place (or it is the organization or the user), so
	// its 404 is an error, not a place gone; whole: its 403 and 404 are
	// the whole listing's failure.
	named, whole bool
	secrets      bool // a listing of secrets, which counts as a place read
}

// secrets lists scope's secrets as results, reading pages only while the
// limit wants more; a variableLister row's variables instead. A scope it
// cannot read (403) or that is gone (404) is left out and named; a listing
// that contradicts itself twice gives what it held, and is named. Any other
// failure ends the walk.
func (w *listWalk) secrets(scope client.Scope, named bool) bool {
	if !w.more() {
		return false
	}
	thing := "secret"
	found := func(name string, write func(client.Address, *tfsdk.Resource) diag.Diagnostics) bool {
		if !strings.HasPrefix(strings.ToUpper(name), w.prefix) {
			return true
		}
		a, err := scope.Secret(name)
		if err != nil {
			w.unnamed++
			return w.incomplete(fmt.Sprintf("GitHub listed a %s in %s that no address can name, so it is left out: %s.", thing, scope, err))
		}
		w.pushed++
		if !w.send(w.l.result(w.ctx, w.req, a, write)) {
			return false
		}
		w.full = w.req.Limit > 0 && w.pushed >= w.req.Limit
		return w.more()
	}
	var err error
	if vl, ok := w.l.row.(variableLister); ok {
		thing = "variable"
		if scope, err = scope.Variables(); err == nil {
			err = w.c.ScanVariables(w.ctx, scope, func(v client.Variable) bool {
				return found(v.Name, func(a client.Address, to *tfsdk.Resource) diag.Diagnostics {
					return vl.storeFound(w.ctx, to, a, v)
				})
			})
		}
	} else {
		err = w.c.ScanSecrets(w.ctx, scope, func(s client.Secret) bool {
			return found(s.Name, func(a client.Address, to *tfsdk.Resource) diag.Diagnostics {
				return to.Set(w.ctx, w.l.row.resource(a, s))
			})
		})
	}
	return w.outcome(placeListing{place: scope.String(), what: "the " + thing + "s", named: named, whole: scope.Repository().IsZero(), secrets: true}, err)
}

// outcome records how a listing went: read, left out (a 403 or a 404, said
// once), read but contradicted (said once) or failed (the walk ends). It
// reports whether the walk goes on.
func (w *listWalk) outcome(l placeListing, err error) bool {
	refused, gone := client.IsForbidden(err), client.IsNotFound(err)
	switch {
	case err == nil:
		if l.secrets {
			w.read++
		}
		return w.more()
	case client.IsInconsistentListing(err):
		if l.secrets {
			w.read++
		}
		w.contradicted++
		return w.incomplete(fmt.Sprintf("%s.", err)) && w.more()
	case l.whole && (refused || gone), l.named && gone:
		w.fail(fmt.Sprintf("Could not list %s of %s: GitHub answered %s.", l.what, l.place, err))
		return false
	case refused:
		w.forbidden++
		if w.firstRefusal == "" {
			w.firstRefusal = err.Error()
		}
		return w.incomplete(fmt.Sprintf("The token cannot read %s of %s, so they are left out: GitHub answered %s.", l.what, l.place, err))
	case gone:
		w.gone++
		return w.incomplete(fmt.Sprintf("%s was listed but is gone (or hidden from the token) when %s were read, so it is "+
			"left out: GitHub answered %s.", upperFirst(l.place), l.what, err))
	}
	w.fail(fmt.Sprintf("Could not list %s of %s: %s.", l.what, l.place, err))
	return false
}

// summary ends a walk that left something out with a warning saying the
// result is partial and why.
func (w *listWalk) summary() {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{
		{w.forbidden, "the token cannot read"}, {w.gone, "gone when read"},
		{w.contradicted, "whose listing GitHub contradicted twice"}, {w.unnamed, "that no address can hold"},
	} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) == 0 {
		return
	}
	var diags diag.Diagnostics
	diags.AddWarning("Partial Listing", fmt.Sprintf("The %s listing is partial: it holds %d results, and left out places "+
		"or secrets (%s), each named in a warning above. Set on_incomplete = \"error\" in the list block's config to "+
		"make this an error.", w.l.row.resourceType(), w.pushed, strings.Join(parts, "; ")))
	w.send(list.ListResult{Diagnostics: diags})
}

// upperFirst capitalises a message's first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// result is one found secret (or variable); write stores it as the
// resource holds it.
func (l *secretListResource) result(ctx context.Context, req list.ListRequest, a client.Address,
	write func(client.Address, *tfsdk.Resource) diag.Diagnostics) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = l.row.displayName(a)
	shape, identity := l.row.foundIdentity(a)
	res.Diagnostics.Append(shape.set(ctx, res.Identity, identity)...)
	if req.IncludeResource {
		res.Diagnostics.Append(write(a, res.Resource)...)
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
	for _, k := range secretKindRows() {
		out = append(out, func() list.ListResource { return &secretListResource{row: k} })
	}
	for _, k := range scopeKinds {
		out = append(out, func() list.ListResource { return &secretListResource{row: k} })
	}
	for _, row := range variableRows {
		out = append(out, func() list.ListResource { return &secretListResource{row: newVariableListRow(row)} })
	}
	return out
}

// variableLister is a row whose places hold variables: the walk scans them
// in place of secrets, and storeFound writes one as its resource holds it.
type variableLister interface {
	storeFound(ctx context.Context, to *tfsdk.Resource, a client.Address, v client.Variable) diag.Diagnostics
}

// variableListRow is a variable row's list: it walks the places of the
// secret row of the same kind and level (its secretRow), listing variables.
type variableListRow struct {
	secretRow
	row variableRow
}

// newVariableListRow pairs row with the secret row whose places it shares.
func newVariableListRow(row variableRow) variableListRow {
	for _, k := range orgKinds {
		if row.level == client.OrgLevel && k.kind == row.kind {
			return variableListRow{secretRow: k, row: row}
		}
	}
	for _, k := range scopeKinds {
		if row.level != client.OrgLevel && k.kind == row.kind && k.env == (row.level == client.EnvLevel) {
			return variableListRow{secretRow: k, row: row}
		}
	}
	panic("no secret row shares the places of variable row " + row.name)
}

func (v variableListRow) resourceType() string { return v.row.typeName() }

func (v variableListRow) listDescription() string {
	if v.row.level == client.OrgLevel {
		return "Every organization " + v.row.kind.Title() + " variable of the provider's owner (one listing, 30 variables a request)."
	}
	return "Every " + v.row.kind.Title() + " variable of the " + map[bool]string{true: "environments", false: "repositories"}[v.row.level == client.EnvLevel] +
		" of the provider's owner, or of those the filters name; a place the token cannot read is left out and named in a " +
		"warning (see `on_incomplete`). The walk stops as soon as `limit` results are found."
}

// check refuses only a kind GitHub Enterprise Server lacks: GitHub Apps may
// read both kinds' variables.
func (v variableListRow) check(data *providerData, diags *diag.Diagnostics) {
	if data != nil && !v.row.kind.OnGHES() && data.client.EnterpriseServer() {
		diags.AddError(v.row.kind.Title()+" Variables Are Not On GitHub Enterprise Server",
			"The provider's base_url is a GitHub Enterprise Server, which has no "+v.row.kind.Title()+" variables. List them "+
				"with a provider configured for github.com or GitHub Enterprise Cloud.")
	}
}

func (v variableListRow) displayName(a client.Address) string { return variableID(a) }

func (v variableListRow) foundIdentity(a client.Address) (identityShape, secretIdentity) {
	return v.row.identity(), identityOf(a)
}

func (v variableListRow) storeFound(ctx context.Context, to *tfsdk.Resource, a client.Address, found client.Variable) diag.Diagnostics {
	m := variableModel{
		ID: types.StringValue(variableID(a)), Name: types.StringValue(a.Name()), Value: types.StringValue(found.Value),
		Repository: types.StringValue(a.Scope().Repo()), Environment: types.StringValue(a.Scope().Env()),
		Visibility: types.StringValue(found.Visibility), RepositoryIDs: types.ListNull(types.Int64Type),
		CreatedAt: types.StringValue(formatTime(found.CreatedAt)), UpdatedAt: types.StringValue(formatTime(found.UpdatedAt)),
	}
	return v.row.store(ctx, to, m)
}

// The organization rows.

func (k orgKind) resourceType() string { return k.typeName("") }

func (k orgKind) listDescription() string {
	if k.user {
		return "Every Codespaces secret of the user the provider's token belongs to (one listing, 100 secrets a request). " +
			"Reading them needs " + readOnly(k.permission) + "."
	}
	return "Every organization " + k.title() + " secret of the provider's owner (one listing, 100 secrets a request). " +
		"Reading them needs " + readOnly(k.permission) + "."
}

// readOnly is a kind's permission as discovery needs it: read is enough.
func readOnly(permission string) string {
	return strings.ReplaceAll(permission, "(read and write)", "(read)")
}

func (k orgKind) filterAttributes() map[string]listschema.Attribute {
	return map[string]listschema.Attribute{}
}

func (k orgKind) check(data *providerData, diags *diag.Diagnostics) { k.checkServer(data, diags) }

// places is the organization alone: a failure to list its secrets is the
// whole listing's, never a place left out.
func (k orgKind) places(ctx context.Context, c *client.Client, owner string, _ secretFilter, w *listWalk) error {
	scope, err := k.scope(owner)
	if err != nil {
		return err
	}
	w.secrets(scope, true)
	return nil
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
	access := " Reading them needs " + readOnly(k.permission) + ", and GitHub lets the token's user read a repository's " +
		"secrets with write access to it (admin for Codespaces secrets): a repository or environment the token sees but " +
		"cannot read is left out and named in a warning (see `on_incomplete`). The walk stops as soon as `limit` results " +
		"are found."
	if k.env {
		return "Every " + k.title() + " secret of the environments of the provider's owner's repositories: of every " +
			"environment of every repository, or of those `repositories` and `environments` name (one listing of the " +
			"repositories, one of each repository's environments, one of each environment's secrets)." + access
	}
	return "Every repository " + k.title() + " secret of the provider's owner: of every repository, or of those " +
		"`repositories` names (one listing of the repositories, one of each repository's secrets)." + access
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

func (k scopeKind) places(ctx context.Context, c *client.Client, owner string, f secretFilter, w *listWalk) error {
	// Each repository, named by the filter or by GitHub's listing, becomes
	// an address through the one constructor; a listed name no address can
	// hold is left out and said.
	visit := func(name string, named bool) bool {
		repo, err := client.RepoScope(k.kind, owner, name)
		if err != nil {
			w.unnamed++
			return w.incomplete(fmt.Sprintf("GitHub's list of the organization's repositories named a repository that no "+
				"address can hold, so its secrets are left out: %s.", err))
		}
		if !k.env {
			return w.secrets(repo, named)
		}
		return k.environments(ctx, c, owner, repo, named, f, w)
	}
	if f.Repositories != nil {
		for _, name := range f.Repositories {
			if !visit(name, true) {
				break
			}
		}
		return nil
	}
	return c.EachOrgRepository(ctx, owner, func(r client.OrgRepository) bool { return visit(r.Name, false) })
}

// environments lists the environments of repo, then the secrets of those
// the filter selects. The repository's own list is read also when
// environments are named: one request finds which of them it has.
func (k scopeKind) environments(ctx context.Context, c *client.Client, owner string, repo client.Scope, named bool, f secretFilter, w *listWalk) bool {
	envs, err := c.ListEnvironments(ctx, repo)
	place := fmt.Sprintf("repository %s/%s", owner, repo.Repo())
	if !w.outcome(placeListing{place: place, what: "the environments", named: named}, err) {
		return false
	}
	for _, e := range envs {
		if !namedIn(f.Environments, e.Name) {
			continue
		}
		scope, err := k.scope(owner, repo.Repo(), e.Name)
		if err != nil {
			w.unnamed++
			if !w.incomplete(fmt.Sprintf("GitHub listed an environment of %s that no address can hold, so its secrets are "+
				"left out: %s.", place, err)) {
				return false
			}
			continue
		}
		if !w.secrets(scope, false) {
			return false
		}
	}
	return w.more()
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
