package client

import "strings"

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
	// variables: the kind keeps variables beside its secrets.
	variables bool
}

var kindRules = map[Kind]kindRule{
	Actions:    {title: "Actions", onGHES: true, orgApps: true, variables: true},
	Dependabot: {title: "Dependabot", onGHES: true, orgApps: true},
	Codespaces: {title: "Codespaces", onGHES: false, orgApps: false},
	Agents:     {title: "Copilot coding agent", onGHES: false, orgApps: true, variables: true},
}

// Kinds are every kind of secret, in the order GitHub's documentation
// lists them.
var Kinds = []Kind{Actions, Dependabot, Codespaces, Agents}

// HasVariables reports whether the kind keeps variables beside its secrets.
func (k Kind) HasVariables() bool { return kindRules[k].variables }

// OnGHES reports whether GitHub Enterprise Server (3.19) has secrets of
// the kind.
func (k Kind) OnGHES() bool { return kindRules[k].onGHES }

// OrgAppsAllowed reports whether a GitHub App installation token may
// manage the kind's organization secrets.
func (k Kind) OrgAppsAllowed() bool { return kindRules[k].orgApps }

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
		if parts[i+1] == "secrets" || parts[i+1] == "variables" {
			if _, ok := kindRules[Kind(parts[i])]; ok {
				return Kind(parts[i])
			}
		}
	}
	return ""
}
