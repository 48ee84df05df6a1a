package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// orgKind is one kind of organization secret. Every kind has the same
// resources and data sources (the secret, its two repository-list
// companions, the public key, the listing), built by the same code from
// the kind's row in orgKinds; what GitHub allows per kind (GHES, GitHub
// Apps) is the client's knowledge (client.Kind).
type orgKind struct {
	kind client.Kind
	// name is the kind's part of the type names: ghsecrets_org_<name>_secret.
	name string
	// usedBy says what reads the secrets, for documentation.
	usedBy string
	// permission is what a token needs to manage the kind's secrets.
	permission string
	// user: the row is the Codespaces secrets of the user the token belongs
	// to, which have a repository list like an organization's but no owner
	// (GitHub names the user by the token) and no visibility to choose.
	user bool
}

// userCodespacesKind is the token's user's Codespaces secrets: a row of the
// same engine as the organization kinds.
var userCodespacesKind = orgKind{
	kind: client.Codespaces, name: "user_codespaces", user: true, usedBy: "the user's own codespaces of the selected repositories",
	permission: `classic token: codespace or codespace:secrets; fine-grained token: account permission "Codespaces user secrets" ` +
		`(read and write). GitHub Apps cannot manage them`,
}

// secretKindRows are the organization kinds, then the user's Codespaces
// secrets: every row the organization secret engine serves.
func secretKindRows() []orgKind { return append(slices.Clone(orgKinds), userCodespacesKind) }

// orgKinds are the kinds of organization secret, one row each.
var orgKinds = []orgKind{
	{
		kind: client.Actions, name: "actions", usedBy: "GitHub Actions workflows",
		permission: `fine-grained token or GitHub App: organization permission "Secrets" (read and write); classic token: admin:org`,
	},
	{
		kind: client.Dependabot, name: "dependabot", usedBy: "Dependabot, for private registries",
		permission: `fine-grained token or GitHub App: organization permission "Dependabot secrets" (read and write); classic token: admin:org`,
	},
	{
		kind: client.Codespaces, name: "codespaces", usedBy: "codespaces of the organization's repositories",
		permission: `fine-grained token: organization permission "Codespaces secrets" (read and write); classic token: admin:org. ` +
			`GitHub Apps cannot manage them`,
	},
	{
		kind: client.Agents, name: "agents", usedBy: "Copilot coding agent",
		permission: `classic token: admin:org, and collaborator access to the repositories`,
	},
}

// actionsKind is the first kind, the one this provider began with.
var actionsKind = orgKinds[0]

// title is the kind as GitHub's documentation names it: "Dependabot".
func (k orgKind) title() string { return k.kind.Title() }

// typeName is a full type name of the kind: typeName("_repositories") is
// "ghsecrets_org_dependabot_secret_repositories".
func (k orgKind) typeName(suffix string) string {
	return k.typePrefix() + "_secret" + suffix
}

// typePrefix is what the row's type names start with: "ghsecrets_org_actions".
func (k orgKind) typePrefix() string {
	if k.user {
		return "ghsecrets_" + k.name
	}
	return "ghsecrets_org_" + k.name
}

// publicKeyType is the kind's public key data source.
func (k orgKind) publicKeyType() string { return k.typePrefix() + "_public_key" }

// level is where the row's secrets are.
func (k orgKind) level() client.Level {
	if k.user {
		return client.UserLevel
	}
	return client.OrgLevel
}

// holder names who holds the row's secrets, for documentation and messages:
// "organization" or "user".
func (k orgKind) holder() string {
	if k.user {
		return "user"
	}
	return "organization"
}

// secretIntro opens the description of the row's secret resource.
func (k orgKind) secretIntro() string {
	if k.user {
		return "A Codespaces secret of the user the provider's token belongs to, used by " + k.usedBy + ". " +
			"The provider's `owner` plays no part: GitHub names the user by the token alone, so the secret is the " +
			"token's user's whatever `owner` says, and a provider whose token belongs to another user manages that " +
			"user's secrets. GitHub Enterprise Server has no Codespaces, and a GitHub App installation is no user: " +
			"both are refused at plan, before any request."
	}
	return "An organization " + k.title() + " secret, used by " + k.usedBy + "."
}

// listingID says what the id of the row's listing data source is.
func (k orgKind) listingID() string {
	if k.user {
		return "`user`: the secrets are the token's user's, whom GitHub names by the token."
	}
	return "The organization login."
}

// listingIDValue is the id of the row's listing data source.
func (k orgKind) listingIDValue(owner string) string {
	if k.user {
		return "user"
	}
	return owner
}

// selectedSecret is a secret of the row that has a repository list, for
// documentation.
func (k orgKind) selectedSecret() string {
	if k.user {
		return "a Codespaces secret of the user the provider's token belongs to"
	}
	return "an organization " + k.title() + " secret whose `visibility` is `selected`"
}

// existingSecretName describes a companion's secret_name.
func (k orgKind) existingSecretName() string {
	if k.user {
		return "Name of an existing Codespaces secret of the token's user."
	}
	return "Name of an existing organization " + k.title() + " secret with `visibility = \"selected\"`."
}

// noun is the row's secret for diagnostic summaries: "Organization Secret".
func (k orgKind) noun() string {
	if k.user {
		return "User Secret"
	}
	return "Organization Secret"
}

// scope is the kind's secrets in organization owner; the token's user's
// for the user row, which has no owner.
func (k orgKind) scope(owner string) (client.Scope, error) {
	if k.user {
		return client.UserScope(), nil
	}
	return client.OrgScope(k.kind, owner)
}

// address is the kind's secret called name in organization owner (the
// token's user's, for the user row).
func (k orgKind) address(owner, name string) (client.Address, error) {
	s, err := k.scope(owner)
	if err != nil {
		return client.Address{}, err
	}
	return s.Secret(name)
}

// ownScope is the kind's secrets in the provider's owner; false, with a
// diagnostic, when the owner is no GitHub login.
func (k orgKind) ownScope(data *providerData, diags *diag.Diagnostics) (client.Scope, bool) {
	s, err := k.scope(data.owner)
	if err != nil {
		addressDiagnostic(diags, "the provider's settings", err)
	}
	return s, err == nil
}

// secretIn is the kind's secret called name in the provider's owner, as
// where (the configuration, the state) names it; false, with a diagnostic
// naming the part, when GitHub could never name it.
func (k orgKind) secretIn(data *providerData, name, where string, diags *diag.Diagnostics) (client.Address, bool) {
	a, err := k.address(data.owner, name)
	if err != nil {
		addressDiagnostic(diags, where, err)
	}
	return a, err == nil
}

// checkServer refuses, before any request, a kind the configured server
// cannot serve: one GitHub Enterprise Server lacks, or Codespaces secrets
// with a GitHub App's token.
func (k orgKind) checkServer(data *providerData, diags *diag.Diagnostics) {
	if data == nil {
		return
	}
	if k.user {
		k.checkUserServer(data, diags)
		return
	}
	if !k.kind.OnGHES() && data.client.EnterpriseServer() {
		diags.AddError(fmt.Sprintf("%s Secrets Are Not On GitHub Enterprise Server", k.title()),
			fmt.Sprintf("The provider's base_url is a GitHub Enterprise Server, which has no organization %s secrets "+
				"(GitHub Enterprise Server 3.19 has Actions and Dependabot secrets). Manage %s secrets with a provider "+
				"configured for github.com or GitHub Enterprise Cloud, or remove this resource.", k.title(), k.title()))
	}
	if !k.kind.OrgAppsAllowed() && data.appAuth {
		diags.AddError(fmt.Sprintf("%s Secrets Need A Token", k.title()),
			fmt.Sprintf("GitHub does not let GitHub Apps manage organization %s secrets, and this provider authenticates "+
				"with app_auth. Configure a provider with a token (%s) for these secrets.", k.title(), k.permission))
	}
}

// checkUserServer refuses, before any request, user secrets where GitHub has
// none for this provider: on GitHub Enterprise Server, and for a GitHub App,
// which is no user.
func (k orgKind) checkUserServer(data *providerData, diags *diag.Diagnostics) {
	if data.client.EnterpriseServer() {
		diags.AddError("User Codespaces Secrets Are Not On GitHub Enterprise Server",
			"The provider's base_url is a GitHub Enterprise Server, which has no Codespaces and so no user Codespaces "+
				"secrets (GitHub Enterprise Server 3.19 has none). Manage them with a provider configured for github.com "+
				"or GitHub Enterprise Cloud, or remove this resource.")
	}
	if data.appAuth {
		diags.AddError("User Secrets Need A User's Token",
			"User Codespaces secrets belong to the user a token authenticates as, and this provider authenticates with "+
				"app_auth, as a GitHub App installation, which is no user. Configure a provider with the user's token ("+
				k.permission+") for these secrets.")
	}
}

// kindResources are the resource types of every kind.
func kindResources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, k := range secretKindRows() {
		out = append(out,
			func() resource.Resource { return &orgSecretResource{kind: k} },
			func() resource.Resource { return &orgSecretRepositoriesResource{kind: k} },
			func() resource.Resource { return &orgSecretRepositoryResource{kind: k} },
		)
	}
	return out
}

// kindDataSources are the data sources of every kind.
func kindDataSources() []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, k := range secretKindRows() {
		out = append(out,
			func() datasource.DataSource { return &orgPublicKeyDataSource{kind: k} },
			func() datasource.DataSource { return &orgSecretsDataSource{kind: k} },
		)
	}
	return out
}

// scopeKind is one kind of secret in a repository, or the Actions secrets of
// an environment: the resource and data sources of each are built by the
// same code from the row in scopeKinds.
type scopeKind struct {
	kind client.Kind
	// env: the secrets of an environment of the repository.
	env bool
	// name is the row's part of the type names: ghsecrets_<name>_secret.
	name string
	// usedBy says what reads the secrets, for documentation.
	usedBy string
	// permission is what a token needs to manage the secrets.
	permission string
}

// scopeKinds are the repository kinds, then environment secrets.
var scopeKinds = []scopeKind{
	{
		kind: client.Actions, name: "repository_actions", usedBy: "the repository's GitHub Actions workflows",
		permission: `fine-grained token or GitHub App: repository permission "Secrets" (read and write); classic token: repo`,
	},
	{
		kind: client.Dependabot, name: "repository_dependabot", usedBy: "Dependabot in the repository, for private registries",
		permission: `fine-grained token or GitHub App: repository permission "Dependabot secrets" (read and write); classic token: repo`,
	},
	{
		kind: client.Codespaces, name: "repository_codespaces", usedBy: "codespaces of the repository",
		permission: `fine-grained token or GitHub App: repository permission "Codespaces secrets" (read and write); classic token: repo; ` +
			`the token's user must be an admin of the repository`,
	},
	{
		kind: client.Agents, name: "repository_agents", usedBy: "Copilot coding agent in the repository",
		permission: `classic token: repo, and collaborator access to the repository`,
	},
	{
		kind: client.Actions, env: true, name: "environment_actions", usedBy: "workflow jobs that use the environment",
		permission: `fine-grained token or GitHub App: repository permission "Environments" (read and write); classic token: repo`,
	},
}

func (k scopeKind) title() string { return k.kind.Title() }

// typeName is a full type name of the row: typeName("_secret") is
// "ghsecrets_repository_dependabot_secret".
func (k scopeKind) typeName(suffix string) string { return "ghsecrets_" + k.name + suffix }

// where names the row's scope for documentation: "repository" or "environment".
func (k scopeKind) where() string {
	if k.env {
		return "environment"
	}
	return "repository"
}

// level is where the row's secrets are.
func (k scopeKind) level() client.Level {
	if k.env {
		return client.EnvLevel
	}
	return client.RepoLevel
}

// scope is the row's secrets in repository repo (and environment env, for
// the environment row only) of owner.
func (k scopeKind) scope(owner, repo, env string) (client.Scope, error) {
	return client.NewScope(k.level(), k.kind, owner, repo, env)
}

// address is the row's secret called name in repository repo (and
// environment env) of owner.
func (k scopeKind) address(owner, repo, env, name string) (client.Address, error) {
	return client.NewAddress(k.level(), k.kind, owner, repo, env, name)
}

// checkServer refuses, before any request, a kind GitHub Enterprise Server lacks.
func (k scopeKind) checkServer(data *providerData, diags *diag.Diagnostics) {
	if data != nil && !k.kind.OnGHES() && data.client.EnterpriseServer() {
		diags.AddError(fmt.Sprintf("%s Secrets Are Not On GitHub Enterprise Server", k.title()),
			fmt.Sprintf("The provider's base_url is a GitHub Enterprise Server, which has no %s secrets. Manage them with a "+
				"provider configured for github.com or GitHub Enterprise Cloud, or remove this resource.", k.title()))
	}
}

// scopeResources are the resource types of every repository and environment row.
func scopeResources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, k := range scopeKinds {
		out = append(out, func() resource.Resource { return &scopedSecretResource{kind: k} })
	}
	return out
}

// scopeDataSources are the data sources of every repository and environment row.
func scopeDataSources() []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, k := range scopeKinds {
		out = append(out,
			func() datasource.DataSource { return &scopedPublicKeyDataSource{scopedDataSource{kind: k}} },
			func() datasource.DataSource { return &scopedSecretsDataSource{scopedDataSource{kind: k}} },
		)
	}
	return out
}
