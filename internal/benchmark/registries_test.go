package main

import (
	"strings"
	"testing"
)

// TestRegistryLayout: the configuration declares n registries, every 5th
// of them OIDC, and n user secrets, and a list only where GitHub takes one.
func TestRegistryLayout(t *testing.T) {
	l := &registryLayout{n: 50, repos: 3, ids: []int64{11, 12, 13, 14}}
	config := l.config()
	if got := strings.Count(config, `url = "https://registry-`); got != 50 {
		t.Errorf("the configuration declares %d registries, want 50", got)
	}
	types := map[string]int{}
	oidc := 0
	for _, r := range l.registries() {
		types[r.registryType]++
		if r.oidc {
			oidc++
		}
	}
	if len(types) != len(registryTypes) || oidc != 10 {
		t.Errorf("registries of %d types, %d OIDC; want %d types, 10 OIDC", len(types), oidc, len(registryTypes))
	}
	if got := strings.Count(config, `visibility = "selected", ids = [`); got != 16 {
		t.Errorf("%d selected registries with a list, want 16", got)
	}
	if got := strings.Count(config, ", ids = null }"); got != 34 {
		t.Errorf("%d registries without a list, want 34", got)
	}
	if got := strings.Count(config, "    BENCH_"); got != 50 {
		t.Errorf("%d user secrets, want 50", got)
	}
	for _, want := range []string{`"ghsecrets_user_codespaces_secret"`, `auth_type               = "oidc_azure"`, "ephemeral = true"} {
		if !strings.Contains(config, want) {
			t.Errorf("the configuration lacks %s", want)
		}
	}
	steps := l.steps(limitsOff)
	for i, want := range []int{102, 52, 2, 102} {
		if steps[i].minimum != want {
			t.Errorf("%s: minimum %d, want %d", steps[i].name, steps[i].minimum, want)
		}
	}
}
