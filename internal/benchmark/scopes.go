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
	return spread(l.secrets, l.repos, scopeSlots, otherKinds)
}

// spread places n items over repos repositories: item i goes to repository
// i mod repos, as the (i div repos)th there, of the row of slots in turn;
// the "" slot takes the rows of others, one by repository in turn.
func spread(n, repos int, slots, others []scopeRow) []placement {
	out := make([]placement, 0, n)
	for i := range n {
		repo, slot := i%repos, i/repos
		row := slots[slot%len(slots)]
		if row == "" {
			row = others[repo%len(others)]
		}
		out = append(out, placement{row: row, repo: repo, name: fmt.Sprintf("BENCH_%03d", slot)})
	}
	return out
}

// scopeKey names one scope: a row's secrets in one repository (or its
// environment), or in the organization (repo -1) for an organization row.
type scopeKey struct {
	row  scopeRow
	repo int
}

// org reports whether the row's items are the organization's.
func (r scopeRow) org() bool { return strings.HasPrefix(string(r), "org_") }

func (l scopeLayout) scopes() map[scopeKey]int { return countScopes(l.placements()) }

// countScopes counts placed items by scope.
func countScopes(ps []placement) map[scopeKey]int {
	out := map[scopeKey]int{}
	for _, p := range ps {
		out[p.scope()]++
	}
	return out
}

// scope is the scope p is in.
func (p placement) scope() scopeKey {
	if p.row.org() {
		return scopeKey{p.row, -1}
	}
	return scopeKey{p.row, p.repo}
}

// byRow groups placed items by row, in their order.
func byRow(ps []placement) map[scopeRow][]placement {
	out := map[scopeRow][]placement{}
	for _, p := range ps {
		out[p.row] = append(out[p.row], p)
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
	rows := byRow(l.placements())
	var b strings.Builder
	b.WriteString(configHead)
	for _, row := range slices.Sorted(maps.Keys(rows)) {
		env := row == rowEnvironment
		fmt.Fprintf(&b, "\nresource \"ghsecrets_%s_secret\" \"bench\" {\n  for_each = {\n", row)
		for _, p := range rows[row] {
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

func (e endpointCounts) total() int {
	n := 0
	for _, v := range e {
		n += v
	}
	return n
}

// scopeCounts are a scoped configuration's least requests by endpoint: in
// each scope a listing page per perPage items, and per item one write (of
// method write) and one DELETE.
func scopeCounts(scopes map[scopeKey]int, perPage int, write string) (listings, writes, deletes endpointCounts) {
	listings, writes, deletes = endpointCounts{}, endpointCounts{}, endpointCounts{}
	for k, n := range scopes {
		listings["GET list "+string(k.row)] += (n + perPage - 1) / perPage
		writes[write+" "+string(k.row)] += n
		deletes["DELETE "+string(k.row)] += n
	}
	return listings, writes, deletes
}

// minimum is a command's least requests, what they are, and the least wall
// time the secondary limits allow them.
type minimum struct {
	requests int
	note     string
	bound    time.Duration
}

// lifeSteps are the commands of a configuration's life (apply, a refresh, a
// no-change plan, destroy) with their minimums.
func lifeSteps(apply, refresh, plan, destroy minimum) []step {
	var out []step
	for i, m := range []minimum{apply, refresh, plan, destroy} {
		c := lifeCommands[i]
		out = append(out, step{c.name, c.args, m.requests, m.note, m.bound})
	}
	return out
}

var lifeCommands = []struct {
	name string
	args []string
}{
	{"apply", []string{"apply", "-auto-approve", "-input=false"}},
	{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false"}},
	{"plan", []string{"plan", "-detailed-exitcode", "-input=false"}},
	{"destroy", []string{"destroy", "-auto-approve", "-input=false"}},
}

// steps are the commands of the scoped configuration's life, as for
// organization secrets. Every scope has its own key and its own listing (one
// page per 100 secrets); the minimum counts those once per command and each
// secret's write once.
func (l scopeLayout) steps(limits limitMode) []step {
	scopes := l.scopes()
	listings, puts, deletes := scopeCounts(scopes, 100, "PUT")
	keys := endpointCounts{}
	for k := range scopes {
		keys["GET key "+string(k.row)]++
	}
	pages, nScopes := listings.total(), len(scopes)
	bound := func(stages ...endpointCounts) time.Duration {
		return limitBound(limits, stages...)
	}
	return lifeSteps(
		minimum{nScopes + l.secrets, fmt.Sprintf("1 key read per scope (%d) + 1 PUT per secret", nScopes), bound(merge(keys, puts))},
		minimum{pages, fmt.Sprintf("1 listing page per scope (%d), no read of a single secret", pages), bound(listings)},
		minimum{pages, fmt.Sprintf("1 listing page per scope (%d)", pages), bound(listings)},
		minimum{pages + l.secrets, fmt.Sprintf("its refresh's %d listing pages + 1 DELETE per secret", pages), bound(listings, deletes)},
	)
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
	rows := append(append([]scopeRow{rowActions}, otherKinds...), rowEnvironment)
	return fmt.Sprintf("%d secrets in %d repositories, each with environment %q: %s",
		l.secrets, l.repos, benchEnvironment, rowSummary(l.scopes(), rows, nil))
}

// rowSummary says, for each of rows that has any, how many items it has in
// how many scopes, and what extra says of it; then the number of scopes.
func rowSummary(scopes map[scopeKey]int, rows []scopeRow, extra map[scopeRow]string) string {
	items, in := map[scopeRow]int{}, map[scopeRow]int{}
	for k, n := range scopes {
		items[k.row] += n
		in[k.row]++
	}
	var parts []string
	for _, row := range rows {
		if items[row] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d in %d%s", row, items[row], in[row], extra[row]))
		}
	}
	return fmt.Sprintf("%s; %d scopes", strings.Join(parts, ", "), len(scopes))
}
