package client

import "net/url"

// must is the value of a call that a test knows succeeds.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func orgScope(kind Kind, org string) Scope { return must(OrgScope(kind, org)) }

func repoScope(kind Kind, owner, repo string) Scope { return must(RepoScope(kind, owner, repo)) }

func envScope(owner, repo, env string) Scope { return must(EnvScope(owner, repo, env)) }

func orgSecret(kind Kind, org, name string) Address { return must(orgScope(kind, org).Secret(name)) }

func mustURL(raw string) *url.URL { return must(url.Parse(raw)) }
