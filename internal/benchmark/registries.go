package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// registryLayout is an organization's private registries and the token's
// user's Codespaces secrets, n of each. Every registry is of the next of GitHub's
// 15 registry types in turn, so names repeat with GitHub's suffixes; every
// oidcEvery-th authenticates with OIDC (no value), the rest with a token.
// Visibility goes all, private, selected in turn; every user secret
// selects repos repositories, as an organization secret of the -n rows.
type registryLayout struct {
	n, repos int
	ids      []int64 // the organization's repositories, from setUp
}

// registryTypes are GitHub's registry types.
var registryTypes = []string{
	"maven_repository", "nuget_feed", "goproxy_server", "npm_registry", "rubygems_server", "cargo_registry",
	"composer_repository", "docker_registry", "git_source", "helm_registry", "hex_organization", "hex_repository",
	"pub_repository", "python_index", "terraform_registry",
}

const oidcEvery = 5

var registryVisibilities = []string{"all", "private", "selected"}

// registry is one registry of the layout.
type registry struct {
	key, registryType, visibility string
	oidc                          bool
}

func (l *registryLayout) registries() []registry {
	out := make([]registry, l.n)
	for i := range out {
		out[i] = registry{
			key: fmt.Sprintf("R%03d", i), registryType: registryTypes[i%len(registryTypes)],
			visibility: registryVisibilities[i%len(registryVisibilities)], oidc: i%oidcEvery == oidcEvery-1,
		}
	}
	return out
}

func (l *registryLayout) setUp(fake *fakegithub.Server) {
	l.ids = nil
	for i := range orgRepos {
		l.ids = append(l.ids, fake.AddRepository(benchOrg, fmt.Sprintf("repo-%02d", i)).ID)
	}
}

// config is a block each for token and OIDC registries and one for the
// user's secrets, each for_each over a local.
func (l *registryLayout) config() string {
	var b strings.Builder
	b.WriteString(configHead + "\n")
	// The user's secrets and their lists are the -n rows' secrets.
	scenario{secrets: l.n, reposPerSecret: l.repos}.writeSecretsLocal(&b, l.ids)
	b.WriteString("\nlocals {\n")
	for _, oidc := range []bool{false, true} {
		fmt.Fprintf(&b, "  %s = {\n", map[bool]string{false: "token_registries", true: "oidc_registries"}[oidc])
		for i, r := range l.registries() {
			if r.oidc != oidc {
				continue
			}
			ids := "null"
			if r.visibility == "selected" {
				var sel []string
				for k := range l.repos {
					sel = append(sel, fmt.Sprint(l.ids[(i+k)%len(l.ids)]))
				}
				ids = "[" + strings.Join(sel, ", ") + "]"
			}
			fmt.Fprintf(&b, "    %s = { type = %q, url = \"https://registry-%03d.example.com/\", visibility = %q, ids = %s }\n",
				r.key, r.registryType, i, r.visibility, ids)
		}
		b.WriteString("  }\n")
	}
	b.WriteString(`}

resource "ghsecrets_org_private_registry" "token" {
  for_each                = local.token_registries
  registry_type           = each.value.type
  url                     = each.value.url
  visibility              = each.value.visibility
  selected_repository_ids = each.value.ids
  value_wo                = var.value
  value_wo_version        = 1
}

resource "ghsecrets_org_private_registry" "oidc" {
  for_each                = local.oidc_registries
  registry_type           = each.value.type
  url                     = each.value.url
  visibility              = each.value.visibility
  selected_repository_ids = each.value.ids
  auth_type               = "oidc_azure"
  tenant_id               = "00000000-0000-0000-0000-000000000001"
  client_id               = "00000000-0000-0000-0000-000000000002"
}

resource "ghsecrets_user_codespaces_secret" "bench" {
  for_each                = local.secrets
  secret_name             = each.key
  value_wo                = var.value
  value_wo_version        = 1
  selected_repository_ids = each.value
}
`)
	return b.String()
}

// steps are the -n rows' commands. Registries: one key for the run, one
// listing read once per run (LookupRegistry) whatever the number of reads,
// and no list to read, as GitHub never returns one. User secrets: as an
// organization kind, a key, a listing and a list with an ETag per secret.
func (l *registryLayout) steps(limits limitMode) []step {
	pages := (l.n + 99) / 100
	apply := endpointCounts{"GET registries key": 1, "POST registry": l.n, "GET user key": 1, "PUT user secret": l.n}
	listings := endpointCounts{"GET registries": pages, "GET user secrets": pages}
	lists := merge(listings, endpointCounts{"GET user secret list": l.n})
	deletes := endpointCounts{"DELETE registry": l.n, "DELETE user secret": l.n}
	bound := func(stages ...endpointCounts) time.Duration { return limitBound(limits, stages...) }
	return lifeSteps(
		minimum{2 + 2*l.n, "2 key reads (registries, user) + 1 POST per registry + 1 PUT per user secret, carrying its list", bound(apply)},
		minimum{2*pages + l.n, fmt.Sprintf("%d listing pages (registries, user secrets) + the first read of each user secret's list", 2*pages),
			bound(lists)},
		minimum{2 * pages, fmt.Sprintf("%d listing pages; every user secret's list answers 304", 2*pages), bound(lists)},
		minimum{2*pages + 2*l.n, fmt.Sprintf("its refresh's %d listing pages + 1 DELETE per registry and per user secret", 2*pages),
			bound(lists, deletes)},
	)
}

func (l *registryLayout) label() string { return "registry" }

func (l *registryLayout) describe() string {
	oidc := 0
	for _, r := range l.registries() {
		if r.oidc {
			oidc++
		}
	}
	return fmt.Sprintf("%d private registries over %d types (%d token, %d oidc_azure; visibility all, private, selected in turn) "+
		"and %d user Codespaces secrets, each selected list of %d repositories",
		l.n, min(l.n, len(registryTypes)), l.n-oidc, oidc, l.n, l.repos)
}
