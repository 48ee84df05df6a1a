package main

import (
	"strings"
	"testing"
	"time"
)

func TestScopeLayout(t *testing.T) {
	l := scopeLayout{secrets: 500, repos: 100}
	perRepo := map[int]int{}
	seen := map[placement]bool{}
	for _, p := range l.placements() {
		if seen[p] {
			t.Fatalf("secret %s of %s in %s placed twice", p.name, p.row, repoName(p.repo))
		}
		seen[p] = true
		perRepo[p.repo]++
	}
	for repo, n := range perRepo {
		if n != 5 {
			t.Errorf("%s holds %d secrets, want 5", repoName(repo), n)
		}
	}
	rows := map[scopeRow]int{}
	for k, n := range l.scopes() {
		rows[k.row]++
		if want := map[bool]int{true: 2, false: 1}[k.row == rowActions || k.row == rowEnvironment]; n != want {
			t.Errorf("%s of %s holds %d secrets, want %d", k.row, repoName(k.repo), n, want)
		}
	}
	want := map[scopeRow]int{rowActions: 100, rowEnvironment: 100, rowDependabot: 34, rowCodespaces: 33, rowAgents: 33}
	for row, n := range want {
		if rows[row] != n {
			t.Errorf("%d scopes of %s, want %d", rows[row], row, n)
		}
	}
	if got := strings.Count(l.config(), ` = { repository = "repo-`); got != 500 {
		t.Errorf("the configuration declares %d secrets, want 500", got)
	}
}

func TestLimitBound(t *testing.T) {
	for _, c := range []struct {
		name   string
		mode   limitMode
		stages []endpointCounts
		want   time.Duration
	}{
		{"no limits", limitsOff, []endpointCounts{{"PUT a": 1000}}, 0},
		{"one minute of writes at once", limitsOn, []endpointCounts{{"PUT a": 180}}, 0},
		{"the 181st write a minute later", limitsOn, []endpointCounts{{"PUT a": 181}}, time.Minute},
		{"endpoints side by side", limitsOn, []endpointCounts{{"PUT a": 200, "PUT b": 200, "GET k": 900}}, time.Minute},
		{"reads", limitsOn, []endpointCounts{{"GET k": 901}}, time.Minute},
		{"stages add up", limitsOn, []endpointCounts{{"GET l": 901}, {"DELETE a": 200}}, 2 * time.Minute},
		{"strict: 80 writes in all", limitsStrict, []endpointCounts{{"PUT a": 200, "PUT b": 200, "PUT c": 100, "GET k": 300}}, 6 * time.Minute},
	} {
		if got := limitBound(c.mode, c.stages...); got != c.want {
			t.Errorf("%s: bound %s, want %s", c.name, got, c.want)
		}
	}
}
