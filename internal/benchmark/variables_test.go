package main

import (
	"strings"
	"testing"
)

// TestVariableLayout: 500 variables over 100 repositories put 5 in each
// repository's share, every row in the scopes GitHub gives it, and the
// minimums count a listing page per 30 variables of a scope.
func TestVariableLayout(t *testing.T) {
	l := &variableLayout{n: 500, repos: 100}
	for i := range l.repos {
		l.ids = append(l.ids, int64(1000+i))
	}
	if err := l.check(); err != nil {
		t.Fatal(err)
	}
	perRepo, names := map[int]int{}, map[scopeKey]map[string]bool{}
	for _, p := range l.placements() {
		k := p.scope()
		if names[k] == nil {
			names[k] = map[string]bool{}
		}
		if names[k][p.name] {
			t.Fatalf("variable %s placed twice in %v", p.name, k)
		}
		names[k][p.name] = true
		perRepo[p.repo]++
	}
	for repo, n := range perRepo {
		if n != 5 {
			t.Errorf("%s holds %d variables, want 5", repoName(repo), n)
		}
	}
	type count struct{ variables, scopes int }
	got := map[scopeRow]count{}
	for k, n := range l.scopes() {
		c := got[k.row]
		c.variables, c.scopes = c.variables+n, c.scopes+1
		got[k.row] = c
	}
	want := map[scopeRow]count{
		rowOrgActions: {100, 1}, rowOrgAgents: {50, 1}, rowActions: {200, 100}, rowAgents: {50, 50}, rowEnvironment: {100, 100},
	}
	for row, w := range want {
		if got[row] != w {
			t.Errorf("%s: %d variables in %d scopes, want %d in %d", row, got[row].variables, got[row].scopes, w.variables, w.scopes)
		}
	}
	config := l.config()
	for text, n := range map[string]int{
		` = { repository = "repo-`:               500,
		`visibility = "selected", ids = [`:       33 + 17,
		`, ids = null }`:                         100 + 50 - 50,
		`environment             = "production"`: 1,
		`"ghsecrets_org_agents_variable"`:        1,
	} {
		if c := strings.Count(config, text); c != n {
			t.Errorf("the configuration has %d of %s, want %d", c, text, n)
		}
	}
	// Pages: 100 + 100 (repository Actions, environments), 4 + 2
	// (organization), 50 (repository agents); 50 lists.
	for i, w := range []int{500, 256 + 50, 256, 256 + 500} {
		if s := l.steps(limitsOff)[i]; s.minimum != w {
			t.Errorf("%s: minimum %d, want %d", s.name, s.minimum, w)
		}
	}
	if err := (&variableLayout{n: 1000, repos: 1}).check(); err == nil {
		t.Error("200 variables in one environment pass, want an error (GitHub holds 100)")
	}
}
