package provider

import "testing"

func TestSplitImportID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id            string
		env           bool
		repo, envName string
		name          string
		wantErr       bool
	}{
		{id: "api:TOKEN", repo: "api", name: "TOKEN"},
		{id: "api:token", repo: "api", name: "token"},
		{id: "api:prod:TOKEN", env: true, repo: "api", envName: "prod", name: "TOKEN"},
		{id: "api:staging/eu west:TOKEN", env: true, repo: "api", envName: "staging/eu west", name: "TOKEN"},
		{id: "api:a:b:TOKEN", env: true, repo: "api", envName: "a:b", name: "TOKEN"},
		{id: "TOKEN", wantErr: true},
		{id: "api:prod:TOKEN", wantErr: true},
		{id: "api:TOKEN", env: true, wantErr: true},
		{id: "api::TOKEN", env: true, wantErr: true},
		{id: "acme/api:TOKEN", wantErr: true},
		{id: "api:GITHUB_TOKEN", wantErr: true},
		{id: ":TOKEN", wantErr: true},
	} {
		repo, envName, name, err := splitImportID(tc.id, tc.env)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q (env %v): error %v, want error %v", tc.id, tc.env, err, tc.wantErr)
			continue
		}
		if repo != tc.repo || envName != tc.envName || name != tc.name {
			t.Errorf("%q (env %v) = %q %q %q, want %q %q %q", tc.id, tc.env, repo, envName, name, tc.repo, tc.envName, tc.name)
		}
	}
}
