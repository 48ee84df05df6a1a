package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// benchEnvironment is the one environment of every repository of a scoped run.
const benchEnvironment = "production"

// scopeLayout spreads secrets over repositories, each with one environment:
// secret i goes to repository i mod repos, as the (i div repos)th secret
// there. A repository's secrets follow scopeSlots in turn, so 5 secrets in
// each give it 2 Actions secrets, 1 Dependabot, Codespaces or Copilot coding
// agent secret (by repository, in turn) and 2 secrets in its environment.
type scopeLayout struct {
	secrets, repos int
}

// scopeRow is a resource type of the repository and environment rows.
type scopeRow string

const (
	rowActions     scopeRow = "repository_actions"
	rowDependabot  scopeRow = "repository_dependabot"
	rowCodespaces  scopeRow = "repository_codespaces"
	rowAgents      scopeRow = "repository_agents"
	rowEnvironment scopeRow = "environment_actions"
)

// scopeSlots are the rows of a repository's secrets in turn; "" is the slot
// that takes the other repository kinds, one by repository in turn.
var scopeSlots = []scopeRow{rowActions, rowEnvironment, "", rowActions, rowEnvironment}

var otherKinds = []scopeRow{rowDependabot, rowCodespaces, rowAgents}

// placement is one secret of a scoped run.
type placement struct {
	row  scopeRow
	repo int
	name string
}

func repoName(i int) string { return fmt.Sprintf("repo-%03d", i) }

func (l scopeLayout) placements() []placement {
	out := make([]placement, 0, l.secrets)
	for i := range l.secrets {
		repo, slot := i%l.repos, i/l.repos
		row := scopeSlots[slot%len(scopeSlots)]
		if row == "" {
			row = otherKinds[repo%len(otherKinds)]
		}
		out = append(out, placement{row: row, repo: repo, name: fmt.Sprintf("BENCH_%03d", slot)})
	}
	return out
}

// scopeKey names one scope: a row's secrets in one repository (or its environment).
type scopeKey struct {
	row  scopeRow
	repo int
}

// scopes counts the layout's secrets by scope.
func (l scopeLayout) scopes() map[scopeKey]int {
	out := map[scopeKey]int{}
	for _, p := range l.placements() {
		out[scopeKey{p.row, p.repo}]++
	}
	return out
}

// setUp makes the layout's repositories and environments exist on the fake.
func (l scopeLayout) setUp(fake *fakegithub.Server) {
	for i := range l.repos {
		fake.AddRepository(benchOrg, repoName(i))
		fake.AddEnvironment(benchOrg, repoName(i), benchEnvironment)
	}
}

// config is one resource block per row, for_each over that row's secrets.
func (l scopeLayout) config() string {
	byRow := map[scopeRow][]placement{}
	for _, p := range l.placements() {
		byRow[p.row] = append(byRow[p.row], p)
	}
	var b strings.Builder
	b.WriteString(configHead)
	for _, row := range slices.Sorted(maps.Keys(byRow)) {
		env := row == rowEnvironment
		fmt.Fprintf(&b, "\nresource \"ghsecrets_%s_secret\" \"bench\" {\n  for_each = {\n", row)
		for _, p := range byRow[row] {
			fmt.Fprintf(&b, "    \"%s:%s\" = { repository = %q, name = %q }\n", repoName(p.repo), p.name, repoName(p.repo), p.name)
		}
		b.WriteString("  }\n  repository       = each.value.repository\n")
		if env {
			fmt.Fprintf(&b, "  environment      = %q\n", benchEnvironment)
		}
		b.WriteString("  secret_name      = each.value.name\n  value_wo         = var.value\n  value_wo_version = 1\n}\n")
	}
	return b.String()
}

// endpointCounts is a command's least requests by endpoint (a row's
// method and route), in stages that follow one another: a refresh's reads,
// then the writes.
type endpointCounts map[string]int

// steps are the commands of the scoped configuration's life, as for
// organization secrets. Every scope has its own key and its own listing (one
// page per 100 secrets); the minimum counts those once per command and each
// secret's write once.
func (l scopeLayout) steps(limits limitMode) []step {
	scopes := l.scopes()
	listings, keys := endpointCounts{}, endpointCounts{}
	puts, deletes := endpointCounts{}, endpointCounts{}
	pages, nScopes := 0, len(scopes)
	for k, n := range scopes {
		p := (n + 99) / 100
		pages += p
		listings["GET list "+string(k.row)] += p
		keys["GET key "+string(k.row)]++
		puts["PUT "+string(k.row)] += n
		deletes["DELETE "+string(k.row)] += n
	}
	bound := func(stages ...endpointCounts) time.Duration {
		return limitBound(limits, stages...)
	}
	return []step{
		{"apply", []string{"apply", "-auto-approve", "-input=false"}, nScopes + l.secrets,
			fmt.Sprintf("1 key read per scope (%d) + 1 PUT per secret", nScopes), bound(merge(keys, puts))},
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"}, pages,
			fmt.Sprintf("1 listing page per scope (%d), no read of a single secret", pages), bound(listings)},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false"}, pages,
			fmt.Sprintf("1 listing page per scope (%d)", pages), bound(listings)},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false"}, pages + l.secrets,
			fmt.Sprintf("its refresh's %d listing pages + 1 DELETE per secret", pages), bound(listings, deletes)},
	}
}

func merge(a, b endpointCounts) endpointCounts {
	out := maps.Clone(a)
	for k, v := range b {
		out[k] += v
	}
	return out
}

// limitBound is the least wall time the secondary limits allow stages of
// requests that follow one another, each stage's endpoints side by side:
// each endpoint takes 900 points a minute (180 writes at 5 points, 900 reads),
// the first minute's at once; "strict" also takes 80 writes a minute in all.
// Stages add up; within one, the slowest endpoint (or all writes) decides.
func limitBound(m limitMode, stages ...endpointCounts) time.Duration {
	if m == limitsOff {
		return 0
	}
	minutes := func(requests, perMinute int) time.Duration {
		if requests <= 0 {
			return 0
		}
		return time.Duration((requests-1)/perMinute) * time.Minute
	}
	var total time.Duration
	for _, st := range stages {
		var slowest time.Duration
		writes := 0
		for ep, n := range st {
			perMinute := 900
			if !strings.HasPrefix(ep, "GET ") {
				perMinute, writes = 180, writes+n
			}
			slowest = max(slowest, minutes(n, perMinute))
		}
		if m == limitsStrict {
			slowest = max(slowest, minutes(writes, 80))
		}
		total += slowest
	}
	return total
}

func (l scopeLayout) label() string { return "scoped" }

// describe says how the layout spreads its secrets: by row, with the number
// of scopes (repositories or environments) of each.
func (l scopeLayout) describe() string {
	secrets, scopes := map[scopeRow]int{}, map[scopeRow]int{}
	for k, n := range l.scopes() {
		secrets[k.row] += n
		scopes[k.row]++
	}
	var parts []string
	for _, row := range append(append([]scopeRow{rowActions}, otherKinds...), rowEnvironment) {
		if secrets[row] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d in %d", row, secrets[row], scopes[row]))
		}
	}
	return fmt.Sprintf("%d secrets in %d repositories, each with environment %q: %s; %d scopes",
		l.secrets, l.repos, benchEnvironment, strings.Join(parts, ", "), len(l.scopes()))
}
