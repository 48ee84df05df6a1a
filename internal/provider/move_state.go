package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// A `moved` block takes a resource of the integrations/github provider into
// its counterpart here, without a request: the identity and metadata move,
// the value it kept in state does not. Every source type is a row of
// githubSources, tied to a row of orgKinds or scopeKinds; one mover reads
// every row.

// githubProviderAddresses are the addresses the integrations/github provider
// is installed from.
var githubProviderAddresses = []string{
	"registry.terraform.io/integrations/github",
	"registry.opentofu.org/integrations/github",
}

// githubSource is one resource type of integrations/github that moves into
// one type here.
type githubSource struct {
	typeName string
	// target is the type here that takes it.
	target string
	// versions are the attributes of each schema version the type has had,
	// in order: versions[v] is schema version v.
	versions [][]string
}

// The attributes of the source types, by schema version, as integrations/github
// has written them (v6.13.0 and its history).
var (
	// orgSecretV0 is an organization secret before destroy_on_drift.
	orgSecretV0 = []string{"id", "secret_name", "visibility", "selected_repository_ids", "encrypted_value",
		"plaintext_value", "created_at", "updated_at"}
	// scopedSecretV0 is a repository or environment secret before destroy_on_drift.
	scopedSecretV0 = []string{"id", "repository", "secret_name", "encrypted_value", "plaintext_value", "created_at", "updated_at"}
	// keyedAttributes came with the key id, the remote time, the repository
	// id and the value's newer names.
	keyedAttributes = []string{"key_id", "remote_updated_at", "value", "value_encrypted"}
	// userSecretV0 is a user's Codespaces secret, which has no visibility.
	userSecretV0 = []string{"id", "secret_name", "selected_repository_ids", "encrypted_value", "plaintext_value",
		"created_at", "updated_at"}
	// listV0 and grantV0 are the two repository-list companions.
	listV0  = []string{"id", "secret_name", "selected_repository_ids"}
	grantV0 = []string{"id", "secret_name", "repository_id"}
	// variableV0 is a repository variable; its value is no secret.
	variableV0 = []string{"id", "repository", "variable_name", "value", "created_at", "updated_at"}
	// orgVariableV0 is an organization variable, and the others its companions.
	orgVariableV0   = []string{"id", "variable_name", "visibility", "selected_repository_ids", "value", "created_at", "updated_at"}
	variableListV0  = []string{"id", "variable_name", "selected_repository_ids"}
	variableGrantV0 = []string{"id", "variable_name", "repository_id"}
)

// join is a version's attribute list: an earlier one with additions.
func join(lists ...[]string) []string { return slices.Concat(lists...) }

// githubSources are the source types, each tied to its row here.
var githubSources = func() []githubSource {
	org := func(k client.Kind) orgKind { return orgKindOf(k) }
	scoped := func(k client.Kind, env bool) string { return scopeKindOf(k, env).typeName("_secret") }
	return []githubSource{
		{"github_actions_organization_secret", org(client.Actions).typeName(""), [][]string{
			orgSecretV0,
			join(orgSecretV0, []string{"destroy_on_drift"}, keyedAttributes),
		}},
		{"github_actions_organization_secret_repositories", org(client.Actions).typeName("_repositories"), [][]string{listV0}},
		{"github_actions_organization_secret_repository", org(client.Actions).typeName("_repository"), [][]string{grantV0}},
		{"github_dependabot_organization_secret", org(client.Dependabot).typeName(""), [][]string{
			join(orgSecretV0, keyedAttributes),
		}},
		{"github_dependabot_organization_secret_repositories", org(client.Dependabot).typeName("_repositories"), [][]string{listV0}},
		{"github_dependabot_organization_secret_repository", org(client.Dependabot).typeName("_repository"), [][]string{grantV0}},
		{"github_codespaces_organization_secret", org(client.Codespaces).typeName(""), [][]string{orgSecretV0}},
		{"github_codespaces_organization_secret_repositories", org(client.Codespaces).typeName("_repositories"), [][]string{listV0}},
		{"github_actions_secret", scoped(client.Actions, false), [][]string{
			scopedSecretV0,
			join(scopedSecretV0, []string{"destroy_on_drift"}),
			join(scopedSecretV0, []string{"destroy_on_drift", "repository_id"}, keyedAttributes),
		}},
		{"github_dependabot_secret", scoped(client.Dependabot, false), [][]string{
			scopedSecretV0,
			join(scopedSecretV0, []string{"repository_id"}, keyedAttributes),
		}},
		{"github_codespaces_secret", scoped(client.Codespaces, false), [][]string{scopedSecretV0}},
		{"github_codespaces_user_secret", userCodespacesKind.typeName(""), [][]string{userSecretV0}},
		{"github_actions_environment_secret", scoped(client.Actions, true), [][]string{
			join(scopedSecretV0, []string{"environment"}),
			join(scopedSecretV0, []string{"environment", "repository_id"}, keyedAttributes),
		}},
		{"github_actions_variable", actionsVariableRow(client.RepoLevel).typeName(), [][]string{
			variableV0,
			join(variableV0, []string{"repository_id"}),
		}},
		{"github_actions_environment_variable", actionsVariableRow(client.EnvLevel).typeName(), [][]string{
			join(variableV0, []string{"environment"}),
			join(variableV0, []string{"environment", "repository_id"}),
		}},
		{"github_actions_organization_variable", actionsVariableRow(client.OrgLevel).typeName(), [][]string{orgVariableV0}},
		{"github_actions_organization_variable_repositories", orgListed{kind: org(client.Actions), variables: true}.typeName("_repositories"),
			[][]string{variableListV0}},
		{"github_actions_organization_variable_repository", orgListed{kind: org(client.Actions), variables: true}.typeName("_repository"),
			[][]string{variableGrantV0}},
	}
}()

// githubAttributes are the source attributes' types; the schema of a
// source version is built from them.
var githubAttributes = map[string]schema.Attribute{
	"selected_repository_ids": schema.SetAttribute{ElementType: types.Int64Type, Optional: true},
	"repository_id":           schema.Int64Attribute{Optional: true},
	"destroy_on_drift":        schema.BoolAttribute{Optional: true},
}

// valueAttributes are the source attributes that hold the value or its
// ciphertext in state.
var valueAttributes = []string{"plaintext_value", "encrypted_value", "value", "value_encrypted"}

// sourceSchema is the schema of one version of a source type.
func sourceSchema(attributes []string) *schema.Schema {
	s := &schema.Schema{Attributes: map[string]schema.Attribute{}}
	for _, name := range attributes {
		a, ok := githubAttributes[name]
		if !ok {
			a = schema.StringAttribute{Optional: true}
		}
		s.Attributes[name] = a
	}
	return s
}

// movedSecret is what a source resource's state says, whatever its type:
// what the target types keep of it.
type movedSecret struct {
	SecretName    string
	Visibility    string
	RepositoryIDs []int64 // the selected list; nil when none
	RepositoryID  types.Int64
	Repository    types.String
	Environment   types.String
	CreatedAt     types.String
	UpdatedAt     types.String
	// Value is a variable's value, which moves: it is no secret.
	Value types.String
	// heldValue names the source attributes that held a value.
	heldValue []string
}

// describe names the source secret for messages.
func (m movedSecret) describe() string {
	where := ""
	switch {
	case !m.Environment.IsNull():
		where = fmt.Sprintf(" of environment %q in repository %s", m.Environment.ValueString(), m.Repository.ValueString())
	case !m.Repository.IsNull():
		where = " of repository " + m.Repository.ValueString()
	}
	return "secret " + secretname.Normalize(m.SecretName) + where
}

// moveTarget builds a target type's state from a moved secret.
type moveTarget func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse)

// stateMovers are the movers of target type target: one per schema version
// of each source type that moves into it, then one that explains a source
// of integrations/github that belongs elsewhere.
func stateMovers(target string, build moveTarget) []resource.StateMover {
	var out []resource.StateMover
	for _, src := range githubSources {
		if src.target != target {
			continue
		}
		for v, attributes := range src.versions {
			out = append(out, resource.StateMover{
				SourceSchema: sourceSchema(attributes),
				StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
					if !isGitHubSource(req) || req.SourceTypeName != src.typeName || req.SourceSchemaVersion != int64(v) {
						return
					}
					moveFrom(ctx, src, attributes, req, resp, build)
				},
			})
		}
	}
	return append(out, resource.StateMover{StateMover: func(_ context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
		if isGitHubSource(req) {
			explainUnmovable(target, req, &resp.Diagnostics)
		}
	}})
}

func isGitHubSource(req resource.MoveStateRequest) bool {
	return slices.Contains(githubProviderAddresses, req.SourceProviderAddress)
}

// moveFrom reads one source state and builds the target's from it.
func moveFrom(ctx context.Context, src githubSource, attributes []string, req resource.MoveStateRequest,
	resp *resource.MoveStateResponse, build moveTarget) {
	if req.SourceState == nil {
		resp.Diagnostics.AddError("Cannot Read The State To Move",
			fmt.Sprintf("The state of %s (schema version %d) does not have the attributes that version of integrations/github "+
				"writes, so it cannot be moved to %s. Refresh it with integrations/github first (terraform apply -refresh-only), "+
				"or adopt the secret with an import block instead.", src.typeName, req.SourceSchemaVersion, src.target))
		return
	}
	m, diags := readMoved(ctx, req, attributes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(m.heldValue) > 0 {
		resp.Diagnostics.AddWarning("Secret Value Left In Earlier State",
			fmt.Sprintf("The %s state of %s held its value (%s). The moved state holds none, but earlier versions of the "+
				"state (terraform.tfstate.backup, the history of a remote backend or a versioned bucket) and plans saved "+
				"before this move still do. Delete them where the backend allows it, and rotate the secret: set its new "+
				"value in value_wo and value_wo_version to write it.", src.typeName, m.describe(), strings.Join(m.heldValue, ", ")))
	}
	// build sets the target's identity too, once the provider is
	// configured (it names the owner); the Read after the move sets it
	// as well.
	build(ctx, m, resp)
}

// readMoved reads what the targets keep from one version of a source state.
func readMoved(ctx context.Context, req resource.MoveStateRequest, attributes []string) (movedSecret, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m movedSecret
	str := func(name string) types.String {
		var v types.String
		if slices.Contains(attributes, name) {
			diags.Append(req.SourceState.GetAttribute(ctx, path.Root(name), &v)...)
		}
		return v
	}
	m.SecretName = str("secret_name").ValueString()
	m.Visibility = str("visibility").ValueString()
	m.Repository, m.Environment = str("repository"), str("environment")
	m.CreatedAt, m.UpdatedAt = movedTime(str("created_at")), movedTime(str("updated_at"))
	// A variable's value is no secret: it moves, and nothing warns of it.
	variable := slices.Contains(attributes, "variable_name")
	if variable {
		m.SecretName, m.Value = str("variable_name").ValueString(), str("value")
	}
	for _, name := range valueAttributes {
		if !variable && str(name).ValueString() != "" {
			m.heldValue = append(m.heldValue, name)
		}
	}
	if slices.Contains(attributes, "repository_id") && !slices.Contains(attributes, "repository") {
		diags.Append(req.SourceState.GetAttribute(ctx, path.Root("repository_id"), &m.RepositoryID)...)
	}
	if slices.Contains(attributes, "selected_repository_ids") {
		var set types.Set
		diags.Append(req.SourceState.GetAttribute(ctx, path.Root("selected_repository_ids"), &set)...)
		if !set.IsNull() && !set.IsUnknown() {
			m.RepositoryIDs = make([]int64, 0, len(set.Elements()))
			diags.Append(set.ElementsAs(ctx, &m.RepositoryIDs, false)...)
		}
	}
	return m, diags
}

// githubTimeLayouts are the forms integrations/github has kept times in: Go's
// default form of a time, and RFC 3339.
var githubTimeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05.999999999 -0700 MST"}

// movedTime is a source time in this provider's form (RFC 3339, UTC); null
// when it cannot be read (the first refresh reads GitHub's own).
func movedTime(v types.String) types.String {
	for _, layout := range githubTimeLayouts {
		if t, err := time.Parse(layout, v.ValueString()); err == nil {
			return types.StringValue(formatTime(t))
		}
	}
	return types.StringNull()
}

// explainUnmovable reports a source of integrations/github that no mover of
// target took: the wrong target, or a type with no counterpart here.
func explainUnmovable(target string, req resource.MoveStateRequest, diags *diag.Diagnostics) {
	for _, src := range githubSources {
		if src.typeName != req.SourceTypeName {
			continue
		}
		if src.target != target {
			diags.AddError("Wrong Target Type For The Moved Secret",
				fmt.Sprintf("%s moves to %s, not %s. Change the moved block's `to` and the resource block to %s.",
					src.typeName, src.target, target, src.target))
			return
		}
		diags.AddError("Unknown Schema Version Of The Moved Secret",
			fmt.Sprintf("%s has schema version %d in state, which this provider does not know (it knows versions 0 to %d). "+
				"Adopt the secret with an import block instead, or upgrade this provider.",
				src.typeName, req.SourceSchemaVersion, len(src.versions)-1))
		return
	}
	diags.AddError("No Counterpart For The Moved Resource",
		fmt.Sprintf("%s of integrations/github has no counterpart in this provider, so it cannot be moved to %s. "+
			"The types that move are listed in the migration guide.", req.SourceTypeName, target))
}

// valueModelMoved is the value part of a moved secret's state: no value, no
// version (a version in configuration would write the value), the default
// drift policy.
func valueModelMoved() secretValueModel {
	return secretValueModel{
		ValueWO: types.StringNull(), EncryptedValueWO: types.StringNull(), KeyID: types.StringNull(),
		ValueWOVersion: types.Int64Null(), OnValueDrift: types.StringValue("restore"),
	}
}

// adoptMoved keeps, in a moved secret's private state, the record of nothing
// known, as an import starts: the first read takes what GitHub shows as it
// is, where the source's stale updated_at would be taken for a change of the
// value.
func adoptMoved(ctx context.Context, resp *resource.MoveStateResponse) {
	resp.Diagnostics.Append(saveRecord(ctx, resp.TargetPrivate, nil)...)
}

// movedIDs is the moved repository list as this provider keeps it.
func movedIDs(ids []int64) types.List {
	if ids == nil {
		return types.ListNull(types.Int64Type)
	}
	return repositoryIDsValue(types.ListNull(types.Int64Type), ids)
}

// orgKindOf is the organization row of kind k.
func orgKindOf(k client.Kind) orgKind {
	for _, row := range orgKinds {
		if row.kind == k {
			return row
		}
	}
	panic(fmt.Sprintf("no organization row of kind %v", k))
}

// scopeKindOf is the repository (or environment) row of kind k.
func scopeKindOf(k client.Kind, env bool) scopeKind {
	for _, row := range scopeKinds {
		if row.kind == k && row.env == env {
			return row
		}
	}
	panic(fmt.Sprintf("no scope row of kind %v (environment %v)", k, env))
}

// movedAddress is the secret a moved source names, through the one
// constructor of an address. A source without a part its target needs (a
// repository, an environment: a state edited by hand, or written before
// integrations/github kept it) names no secret, and moving it would act on
// another place: it is refused, naming the source's attribute, before any
// request.
func movedAddress(src movedSecret, data *providerData, level client.Level, kind client.Kind, diags *diag.Diagnostics) (client.Address, bool) {
	part := func(v types.String, attr string) (string, bool) {
		if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			diags.AddAttributeError(path.Root(attr), "Moved State Lacks Its "+cases(attr),
				fmt.Sprintf("The state moved here has no %s, so it names no secret of this type: moved as it is, the secret "+
					"would be looked for in another place (an organization's or repository's secret of the same name). "+
					"Nothing was read or written.%s", attr, addressAdvice["the moved state"]))
			return "", false
		}
		return v.ValueString(), true
	}
	var repo, env string
	ok := true
	if level == client.RepoLevel || level == client.EnvLevel {
		repo, ok = part(src.Repository, "repository")
	}
	if ok && level == client.EnvLevel {
		env, ok = part(src.Environment, "environment")
	}
	if !ok {
		return client.Address{}, false
	}
	// Before the provider is configured its owner is not known; every other
	// part is still checked by the same constructor.
	owner := "owner-not-configured-yet"
	switch {
	case level == client.UserLevel:
		owner = "" // the token's user, whom no attribute names
	case data != nil:
		owner = data.owner
	}
	a, err := client.NewAddress(level, kind, owner, repo, env, src.SecretName)
	if err != nil {
		addressDiagnostic(diags, "the moved state", err)
	}
	return a, err == nil
}

// actionsVariableRow is the Actions variable row at level: the variables
// integrations/github has.
func actionsVariableRow(level client.Level) variableRow {
	for _, row := range variableRows {
		if row.kind == client.Actions && row.level == level {
			return row
		}
	}
	panic(fmt.Sprintf("no Actions variable row at %v", level))
}

// movedVariable is the variable called name where the secret address named
// is: movedAddress checks the parts, the variable's address its name.
func movedVariable(named client.Address, name string, diags *diag.Diagnostics) (client.Address, bool) {
	s, err := named.Scope().Variables()
	var a client.Address
	if err == nil {
		a, err = s.Secret(name)
	}
	if err != nil {
		addressDiagnostic(diags, "the moved state", err)
	}
	return a, err == nil
}

// cases is a word with its first letter upper-case, for a summary.
func cases(word string) string { return strings.ToUpper(word[:1]) + word[1:] }

func (r *orgSecretResource) MoveState(context.Context) []resource.StateMover {
	return stateMovers(r.kind.typeName(""), func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse) {
		a, ok := movedAddress(src, r.data, r.kind.level(), r.kind.kind, &resp.Diagnostics)
		if !ok {
			return
		}
		// The list moves when the secret held it; an empty one is what
		// integrations/github keeps when a companion resource holds it.
		ids := types.ListNull(types.Int64Type)
		if r.kind.user {
			// integrations/github keeps no visibility for a user's secret: it is always selected.
			src.Visibility = visibilitySelected
		}
		if src.Visibility == visibilitySelected && len(src.RepositoryIDs) > 0 {
			ids = movedIDs(src.RepositoryIDs)
		}
		m := orgSecretModel{
			ID:               types.StringValue(a.StoredName()),
			SecretName:       types.StringValue(a.Name()),
			Visibility:       types.StringValue(src.Visibility),
			secretValueModel: valueModelMoved(),
			RepositoryIDs:    ids,
			CreatedAt:        src.CreatedAt,
			UpdatedAt:        src.UpdatedAt,
		}
		resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
		if r.data != nil {
			resp.Diagnostics.Append(r.setIdentity(ctx, resp.TargetIdentity, m)...)
		}
		adoptMoved(ctx, resp)
	})
}

func (r *orgSecretRepositoriesResource) MoveState(context.Context) []resource.StateMover {
	return stateMovers(r.of().typeName("_repositories"), func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse) {
		a, ok := movedAddress(src, r.data, r.kind.level(), r.kind.kind, &resp.Diagnostics)
		if ok && r.variables {
			a, ok = movedVariable(a, src.SecretName, &resp.Diagnostics)
		}
		if !ok {
			return
		}
		ids := src.RepositoryIDs
		if ids == nil {
			ids = []int64{}
		}
		m := orgSecretRepositoriesModel{
			ID:                    types.StringValue(a.StoredName()),
			SecretName:            types.StringValue(a.Name()),
			SelectedRepositoryIDs: movedIDs(ids),
		}
		resp.Diagnostics.Append(r.of().storeList(ctx, &resp.TargetState, m)...)
		if r.data != nil {
			resp.Diagnostics.Append(r.setIdentity(ctx, resp.TargetIdentity, m)...)
		}
	})
}

func (r *orgSecretRepositoryResource) MoveState(context.Context) []resource.StateMover {
	return stateMovers(r.of().typeName("_repository"), func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse) {
		a, ok := movedAddress(src, r.data, r.kind.level(), r.kind.kind, &resp.Diagnostics)
		if ok && r.variables {
			a, ok = movedVariable(a, src.SecretName, &resp.Diagnostics)
		}
		if !ok {
			return
		}
		if src.RepositoryID.IsNull() || src.RepositoryID.IsUnknown() || src.RepositoryID.ValueInt64() < 1 {
			resp.Diagnostics.AddAttributeError(path.Root("repository_id"), "Moved State Lacks Its Repository_id",
				"The state moved here has no repository id of at least 1, so it names no repository's access to the secret. "+
					"Nothing was read or written."+addressAdvice["the moved state"])
			return
		}
		m := orgSecretRepositoryModel{
			ID:           types.StringValue(secretRepositoryID(a, src.RepositoryID.ValueInt64())),
			SecretName:   types.StringValue(a.Name()),
			RepositoryID: src.RepositoryID,
		}
		resp.Diagnostics.Append(r.of().storeGrant(ctx, &resp.TargetState, m)...)
		if r.data != nil {
			resp.Diagnostics.Append(r.setIdentity(ctx, resp.TargetIdentity, m)...)
		}
	})
}

func (r *scopedSecretResource) MoveState(context.Context) []resource.StateMover {
	return stateMovers(r.kind.typeName("_secret"), func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse) {
		a, ok := movedAddress(src, r.data, r.kind.level(), r.kind.kind, &resp.Diagnostics)
		if !ok {
			return
		}
		m := environmentSecretModel{
			repositorySecretModel: repositorySecretModel{
				ID:               types.StringValue(scopedID(a)),
				Repository:       types.StringValue(a.Scope().Repo()),
				SecretName:       types.StringValue(a.Name()),
				secretValueModel: valueModelMoved(),
				CreatedAt:        src.CreatedAt,
				UpdatedAt:        src.UpdatedAt,
			},
			Environment: types.StringNull(),
		}
		if r.kind.env {
			m.Environment = types.StringValue(a.Scope().Env())
		}
		var identity *tfsdk.ResourceIdentity
		if r.data != nil {
			identity = resp.TargetIdentity
		}
		resp.Diagnostics.Append(r.set(ctx, &resp.TargetState, identity, m)...)
		adoptMoved(ctx, resp)
	})
}

func (r *variableResource) MoveState(context.Context) []resource.StateMover {
	return stateMovers(r.row.typeName(), func(ctx context.Context, src movedSecret, resp *resource.MoveStateResponse) {
		a, ok := movedAddress(src, r.data, r.row.level, r.row.kind, &resp.Diagnostics)
		if ok {
			a, ok = movedVariable(a, src.SecretName, &resp.Diagnostics)
		}
		if !ok {
			return
		}
		m := variableModel{
			ID:            types.StringValue(variableID(a)),
			Repository:    types.StringNull(),
			Environment:   types.StringNull(),
			Name:          types.StringValue(a.Name()),
			Value:         src.Value,
			Visibility:    types.StringNull(),
			RepositoryIDs: types.ListNull(types.Int64Type),
			CreatedAt:     src.CreatedAt,
			UpdatedAt:     src.UpdatedAt,
		}
		if a.Scope().Repo() != "" {
			m.Repository = types.StringValue(a.Scope().Repo())
		}
		if a.Scope().Env() != "" {
			m.Environment = types.StringValue(a.Scope().Env())
		}
		if r.row.level == client.OrgLevel {
			m.Visibility = types.StringValue(src.Visibility)
			// As for secrets: an empty list is what a companion holds.
			if src.Visibility == visibilitySelected && len(src.RepositoryIDs) > 0 {
				m.RepositoryIDs = movedIDs(src.RepositoryIDs)
			}
		}
		resp.Diagnostics.Append(r.row.store(ctx, &resp.TargetState, m)...)
		if r.data != nil {
			resp.Diagnostics.Append(r.setIdentity(ctx, resp.TargetIdentity, m)...)
		}
	})
}
