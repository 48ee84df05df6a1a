package client

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Kind is an application whose secrets GitHub keeps apart: each kind has its
// own secrets and its own public key in every scope.
type Kind string

const (
	Actions    Kind = "actions"
	Dependabot Kind = "dependabot"
	Codespaces Kind = "codespaces"
	// Agents are Copilot coding agent secrets.
	Agents Kind = "agents"
)

// kindRule is what GitHub's API description says of a kind.
type kindRule struct {
	title  string
	onGHES bool // GitHub Enterprise Server 3.19 has it
	// orgApps: GitHub App installation tokens may manage its organization
	// secrets (enabledForGitHubApps).
	orgApps bool
}

var kindRules = map[Kind]kindRule{
	Actions:    {title: "Actions", onGHES: true, orgApps: true},
	Dependabot: {title: "Dependabot", onGHES: true, orgApps: true},
	Codespaces: {title: "Codespaces", onGHES: false, orgApps: false},
	Agents:     {title: "Copilot coding agent", onGHES: false, orgApps: true},
}

// Kinds are every kind of secret, in the order GitHub's documentation
// lists them.
var Kinds = []Kind{Actions, Dependabot, Codespaces, Agents}

// OnGHES reports whether GitHub Enterprise Server (3.19) has secrets of
// the kind.
func (k Kind) OnGHES() bool { return kindRules[k].onGHES }

// OrgAppsAllowed reports whether a GitHub App installation token may
// manage the kind's organization secrets.
func (k Kind) OrgAppsAllowed() bool { return kindRules[k].orgApps }

// Scope names one set of secrets: an organization's secrets of one kind, a
// repository's, or an environment's (Actions only).
type Scope struct {
	Kind Kind
	// Owner is the organization, or the repository's owner.
	Owner string
	// Repo is the repository's name; empty for an organization scope.
	Repo string
	// Env is the environment's name; empty unless Repo is set.
	Env string
}

// OrgScope is an organization's secrets of a kind.
func OrgScope(kind Kind, org string) Scope { return Scope{Kind: kind, Owner: org} }

// IsOrg reports whether s is an organization scope, whose secrets have a
// visibility and may have a repository list.
func (s Scope) IsOrg() bool { return s.Repo == "" }

// check refuses a scope whose path would be malformed, before any request.
func (s Scope) check() error {
	switch {
	case s.Kind == "":
		return errors.New("secret kind is empty")
	case s.Owner == "":
		return errEmptyOrg
	case s.Repo == "" && s.Env != "":
		return errors.New("an environment needs its repository")
	case s.Env != "" && s.Kind != Actions:
		return fmt.Errorf("environments hold Actions secrets only, not %s secrets", s.Kind)
	}
	return nil
}

func (s Scope) checkName(name string) error {
	if err := s.check(); err != nil {
		return err
	}
	if name == "" {
		return errors.New("secret name is empty")
	}
	return nil
}

// secretsPath is the path of the scope's secrets, relative to the API root.
func (s Scope) secretsPath() string {
	switch {
	case s.Env != "":
		return "repos/" + url.PathEscape(s.Owner) + "/" + url.PathEscape(s.Repo) +
			"/environments/" + url.PathEscape(s.Env) + "/secrets"
	case s.Repo != "":
		return "repos/" + url.PathEscape(s.Owner) + "/" + url.PathEscape(s.Repo) + "/" + string(s.Kind) + "/secrets"
	}
	return "orgs/" + url.PathEscape(s.Owner) + "/" + string(s.Kind) + "/secrets"
}

func (s Scope) secretPath(name string) string {
	return s.secretsPath() + "/" + url.PathEscape(name)
}

// scopeKey is a scope as GitHub compares them: owner, repository and
// environment names case-insensitively.
type scopeKey struct {
	kind             Kind
	owner, repo, env string
}

func (s Scope) key() scopeKey {
	return scopeKey{kind: s.Kind, owner: strings.ToLower(s.Owner), repo: strings.ToLower(s.Repo), env: strings.ToLower(s.Env)}
}

// secretKey names one secret of a scope: names are compared upper-cased.
type secretKey struct {
	scope scopeKey
	name  string
}

func (s Scope) secret(name string) secretKey {
	return secretKey{scope: s.key(), name: strings.ToUpper(name)}
}

// String names the scope for messages: "organization acme (Dependabot)".
func (s Scope) String() string {
	switch {
	case s.Env != "":
		return fmt.Sprintf("environment %s of repository %s/%s", s.Env, s.Owner, s.Repo)
	case s.Repo != "":
		return fmt.Sprintf("repository %s/%s (%s)", s.Owner, s.Repo, s.Kind.Title())
	}
	return fmt.Sprintf("organization %s (%s)", s.Owner, s.Kind.Title())
}

// Title is the kind as GitHub's documentation names it.
func (k Kind) Title() string {
	if r, ok := kindRules[k]; ok {
		return r.title
	}
	return string(k)
}

// kindOfPath is the kind of secret an API path (relative to the root)
// addresses; "" for other paths.
func kindOfPath(p string) Kind {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i := 1; i+1 < len(parts); i++ {
		if parts[i+1] == "secrets" {
			if _, ok := kindRules[Kind(parts[i])]; ok {
				return Kind(parts[i])
			}
		}
	}
	return ""
}

// Describe names a secret of the scope for messages: "organization
// Dependabot secret TOKEN in acme".
func (s Scope) Describe(name string) string {
	name = strings.ToUpper(name)
	switch {
	case s.Env != "":
		return fmt.Sprintf("secret %s of environment %q in repository %s/%s", name, s.Env, s.Owner, s.Repo)
	case s.Repo != "":
		return fmt.Sprintf("%s secret %s of repository %s/%s", s.Kind.Title(), name, s.Owner, s.Repo)
	}
	return fmt.Sprintf("organization %s secret %s in %s", s.Kind.Title(), name, s.Owner)
}
