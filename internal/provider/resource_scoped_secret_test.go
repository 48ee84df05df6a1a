package provider

import (
	"strings"
	"testing"
)

// TestParseImportID: an import id names its secret through the one
// constructor of an address: split on its first and last colon, and refused
// where GitHub could never name what it says.
func TestParseImportID(t *testing.T) {
	t.Parallel()
	repoRow, envRow := scopeKindOf("actions", false), scopeKindOf("actions", true)
	for _, tc := range []struct {
		id            string
		env           bool
		repo, envName string
		name          string
		wantErr       string
	}{
		{id: "api:TOKEN", repo: "api", name: "TOKEN"},
		{id: "api:token", repo: "api", name: "token"},
		{id: "api:prod:TOKEN", env: true, repo: "api", envName: "prod", name: "TOKEN"},
		{id: "api:staging/eu west:TOKEN", env: true, repo: "api", envName: "staging/eu west", name: "TOKEN"},
		{id: "api:a:b:TOKEN", env: true, repo: "api", envName: "a:b", name: "TOKEN"},
		{id: "api:" + strings.Repeat("ü", 255) + ":TOKEN", env: true, repo: "api", envName: strings.Repeat("ü", 255), name: "TOKEN"},
		{id: "TOKEN", wantErr: "too few parts"},
		{id: "api:prod:TOKEN", wantErr: "too many parts"},
		{id: "api:TOKEN", env: true, wantErr: "too few parts"},
		{id: "api::TOKEN", env: true, wantErr: "environment"},
		{id: "acme/api:TOKEN", wantErr: "repository"},
		{id: "api:GITHUB_TOKEN", wantErr: "secret_name"},
		{id: ":TOKEN", wantErr: "repository"},
		{id: "..:FOO", wantErr: "dot segment"},
		{id: ".:FOO", wantErr: "dot segment"},
		{id: "repo-1:.:FOO", env: true, wantErr: "dot segment"},
		{id: "repo-1:..:FOO", env: true, wantErr: "dot segment"},
		{id: "..:prod:FOO", env: true, wantErr: "dot segment"},
		{id: "api:a\x00b:FOO", env: true, wantErr: "control character"},
		{id: "api:prod\n:FOO", env: true, wantErr: "control character"},
		{id: "api:" + strings.Repeat("ü", 256) + ":TOKEN", env: true, wantErr: "256 characters"},
	} {
		row := repoRow
		if tc.env {
			row = envRow
		}
		r := &scopedSecretResource{kind: row, data: &providerData{owner: testOrg}}
		a, err := r.parseImportID(tc.id)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q (env %v): error %v, want one saying %q", tc.id, tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q (env %v): %v", tc.id, tc.env, err)
			continue
		}
		if s := a.Scope(); s.Repo() != tc.repo || s.Env() != tc.envName || a.Name() != tc.name {
			t.Errorf("%q (env %v) = %q %q %q, want %q %q %q", tc.id, tc.env, s.Repo(), s.Env(), a.Name(), tc.repo, tc.envName, tc.name)
		}
	}
}

// FuzzImportID: whatever an import id gives, the resource's id of that
// secret reads back as the same secret, spelt the same way.
func FuzzImportID(f *testing.F) {
	f.Add("api:staging/eu west:TOKEN", true)
	f.Add("repo-1:.:FOO", true)
	f.Add("api:a:b:c", true)
	f.Add("Repo-5:cbd", false)
	f.Fuzz(func(t *testing.T, id string, env bool) {
		r := &scopedSecretResource{kind: scopeKindOf("actions", env), data: &providerData{owner: testOrg}}
		a, err := r.parseImportID(id)
		if err != nil {
			return
		}
		back, err := r.parseImportID(scopedID(a))
		if err != nil {
			t.Fatalf("%q: its id %q does not read back: %v", id, scopedID(a), err)
		}
		if !back.Same(a) || back.Scope().Repo() != a.Scope().Repo() || back.Scope().Env() != a.Scope().Env() {
			t.Fatalf("%q: its id %q reads back as %v, not %v", id, scopedID(a), back, a)
		}
	})
}
