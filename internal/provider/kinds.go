package provider

import (
	"fmt"

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
}

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
	return "ghsecrets_org_" + k.name + "_secret" + suffix
}

// publicKeyType is the kind's public key data source.
func (k orgKind) publicKeyType() string { return "ghsecrets_org_" + k.name + "_public_key" }

// scope is the kind's secrets in organization owner.
func (k orgKind) scope(owner string) (client.Scope, error) { return client.OrgScope(k.kind, owner) }

// address is the kind's secret called name in organization owner.
func (k orgKind) address(owner, name string) (client.Address, error) {
	return client.NewAddress(client.OrgLevel, k.kind, owner, "", "", name)
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

// kindResources are the resource types of every kind.
func kindResources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, k := range orgKinds {
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
	for _, k := range orgKinds {
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
