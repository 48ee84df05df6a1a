package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// variableLayout spreads variables over repositories, each with one
// environment, as scopeLayout spreads secrets (spread): 5 variables in each
// repository give it 2 repository Actions variables, 1 in its environment, 1
// organization Actions variable and, by repository in turn, 1 organization or
// repository Copilot coding agent variable. Organization variables go all,
// private, selected by repository in turn; a selected one lists listed
// repositories inline (selected_repository_ids), from its own on, or all
// of them when there are fewer.
type variableLayout struct {
	n, repos int
	ids      []int64 // the repositories' ids, from setUp
}

const (
	rowOrgActions scopeRow = "org_actions"
	rowOrgAgents  scopeRow = "org_agents"
)

var (
	variableSlots     = []scopeRow{rowActions, rowEnvironment, rowOrgActions, rowActions, ""}
	otherVariableRows = []scopeRow{rowOrgAgents, rowAgents}
	// variableRows is the report's order of the rows.
	variableRows = []scopeRow{rowOrgActions, rowOrgAgents, rowActions, rowAgents, rowEnvironment}
)

const (
	// variablesPerPage is the largest page of GitHub's variable listings.
	variablesPerPage = 30
	// listed is the repositories of a selected organization variable.
	listed = 3
)

// variableLimits are the variables GitHub holds in one scope of a level.
var variableLimits = map[string]int{"organization": 1000, "repository": 500, "environment": 100}

func level(row scopeRow) string {
	switch {
	case row.org():
		return "organization"
	case row == rowEnvironment:
		return "environment"
	}
	return "repository"
}

// placements are the layout's variables; an organization variable's name
// also names its repository, as names are the organization's.
func (l *variableLayout) placements() []placement {
	out := spread(l.n, l.repos, variableSlots, otherVariableRows)
	for i, p := range out {
		if p.row.org() {
			out[i].name += fmt.Sprintf("_R%03d", p.repo)
		}
	}
	return out
}

// visibility is an organization variable's, by its repository.
func visibility(p placement) string { return registryVisibilities[p.repo%len(registryVisibilities)] }

// selected reports whether p is an organization variable with a list.
func selected(p placement) bool { return p.row.org() && visibility(p) == "selected" }

func (l *variableLayout) scopes() map[scopeKey]int { return countScopes(l.placements()) }

// check refuses a layout that puts more variables in a scope than GitHub holds.
func (l *variableLayout) check() error {
	for k, n := range l.scopes() {
		if most := variableLimits[level(k.row)]; n > most {
			return fmt.Errorf("-variables %d over -variables-repos %d puts %d %s variables in one %s, more than GitHub's %d",
				l.n, l.repos, n, k.row, level(k.row), most)
		}
	}
	return nil
}

func (l *variableLayout) setUp(fake *fakegithub.Server) {
	l.ids = nil
	for i := range l.repos {
		l.ids = append(l.ids, fake.AddRepository(benchOrg, repoName(i)).ID)
		fake.AddEnvironment(benchOrg, repoName(i), benchEnvironment)
	}
}

// config is one resource block per row, for_each over that row's variables.
func (l *variableLayout) config() string {
	rows := byRow(l.placements())
	var b strings.Builder
	b.WriteString(configHead)
	for _, row := range slices.Sorted(maps.Keys(rows)) {
		fmt.Fprintf(&b, "\nresource \"ghsecrets_%s_variable\" \"bench\" {\n  for_each = {\n", row)
		for _, p := range rows[row] {
			fmt.Fprintf(&b, "    \"%s:%s\" = { repository = %q, name = %q", repoName(p.repo), p.name, repoName(p.repo), p.name)
			if row.org() {
				ids := "null"
				if selected(p) {
					var sel []string
					for k := range min(listed, len(l.ids)) {
						sel = append(sel, fmt.Sprint(l.ids[(p.repo+k)%len(l.ids)]))
					}
					ids = "[" + strings.Join(sel, ", ") + "]"
				}
				fmt.Fprintf(&b, ", visibility = %q, ids = %s", visibility(p), ids)
			}
			b.WriteString(" }\n")
		}
		b.WriteString("  }\n")
		switch {
		case row.org():
			b.WriteString("  visibility              = each.value.visibility\n  selected_repository_ids = each.value.ids\n")
		case row == rowEnvironment:
			fmt.Fprintf(&b, "  repository              = each.value.repository\n  environment             = %q\n", benchEnvironment)
		default:
			b.WriteString("  repository              = each.value.repository\n")
		}
		b.WriteString("  variable_name           = each.value.name\n  value                   = \"bench ${each.key}\"\n}\n")
	}
	return b.String()
}

// steps: variables are not sealed, so a create is one POST (its list
// inline) and no key is read. A refresh reads each scope's listing, 30 a
// page (LookupVariable), and each selected variable's list, which no
// listing holds: the first time in full, after that with the ETag of the
// last read, which GitHub answers 304 (free) while the list is unchanged.
func (l *variableLayout) steps(limits limitMode) []step {
	listings, posts, deletes := scopeCounts(l.scopes(), variablesPerPage, "POST")
	lists := endpointCounts{}
	for _, p := range l.placements() {
		if selected(p) {
			lists["GET repositories "+string(p.row)]++
		}
	}
	pages, nLists := listings.total(), lists.total()
	reads := merge(listings, lists)
	bound := func(stages ...endpointCounts) time.Duration { return limitBound(limits, stages...) }
	return lifeSteps(
		minimum{l.n, "1 POST per variable, its list inline; no key read (variables are not sealed)", bound(posts)},
		minimum{pages + nLists, fmt.Sprintf("%d listing pages (1 per 30 variables of a scope) + the first read of each "+
			"selected variable's list (%d)", pages, nLists), bound(reads)},
		minimum{pages, fmt.Sprintf("%d listing pages; each list read with its last ETag answers 304", pages), bound(reads)},
		minimum{pages + l.n, fmt.Sprintf("its refresh's %d listing pages (lists 304) + 1 DELETE per variable", pages),
			bound(reads, deletes)},
	)
}

func (l *variableLayout) label() string { return "variable" }

func (l *variableLayout) describe() string {
	lists := map[scopeRow]int{}
	for _, p := range l.placements() {
		if selected(p) {
			lists[p.row]++
		}
	}
	extra := map[scopeRow]string{}
	for row, n := range lists {
		extra[row] = fmt.Sprintf(" (%d selected, a list of %d each)", n, listed)
	}
	return fmt.Sprintf("%d variables in %d repositories, each with environment %q: %s",
		l.n, l.repos, benchEnvironment, rowSummary(l.scopes(), variableRows, extra))
}
