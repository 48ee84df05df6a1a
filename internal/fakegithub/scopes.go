package fakegithub

import (
	"fmt"
	"strings"
	"time"
)

// holder is what keeps a set of secrets (an organization, a repository or an
// environment), with GitHub's limit on how many it may keep.
type holder struct {
	name  string // as messages name it: "organization"
	limit int
	full  string // the 422 message of a write past the limit
}

// GitHub's documented limits are those of Actions secrets; the fake holds
// every kind to them.
var (
	orgHolder  = &holder{"organization", maxSecrets, "Organizations can store up to 1,000 secrets. Delete a secret before adding another."}
	repoHolder = &holder{"repository", 100, "Repositories can store up to 100 secrets. Delete a secret before adding another."}
	envHolder  = &holder{"environment", 100, "Environments can store up to 100 secrets. Delete a secret before adding another."}
	userHolder = &holder{"user", 100, "Users can store up to 100 Codespaces secrets. Delete a secret before adding another."}
)

// user is the account the server's token belongs to, with its own
// Codespaces secrets. It may select any repository the server has: a
// user's secret may name any repository the user can reach.
type user struct {
	login      string
	id         int64
	codespaces *store
}

// repoState is what a repository holds besides its metadata: its secrets of
// each kind and its environments. A kind's store is made when first used,
// so a repository that keeps no secrets costs no key pairs.
type repoState struct {
	created time.Time
	kinds   map[string]*store       // by kind
	envs    map[string]*environment // by lower-case name: GitHub compares them so
	// variables by kind, made when first used.
	variables map[string]*varStore
}

func newRepoState(created time.Time) *repoState {
	return &repoState{created: created, kinds: map[string]*store{}, envs: map[string]*environment{}}
}

func (rs *repoState) store(kind string) *store {
	st := rs.kinds[kind]
	if st == nil {
		st = newStore(repoHolder)
		rs.kinds[kind] = st
	}
	return st
}

// environment is a deployment environment of a repository, with its own
// Actions secrets.
type environment struct {
	id               int64
	name             string // as created
	created, updated time.Time
	secrets          *store
	variables        *varStore // Actions variables; made when first used
}

// place is where a set of secrets lives: an organization, one of its
// repositories, or an environment of one.
type place struct {
	user   *user // the token's user; nil for an organization's places
	org    *org
	repoID int64      // 0 for the organization
	repo   *repoState // nil for the organization
	env    *environment
}

// locate finds the organization owner (repo ""), its repository repo (env
// ""), or that repository's environment env, all by name in any case; false
// when one of them does not exist. The caller holds s.mu.
func (s *Server) locate(owner, repo, env string) (place, bool) {
	p := place{org: s.orgs[strings.ToLower(owner)]}
	if p.org == nil {
		return place{}, false
	}
	if repo == "" {
		return p, env == ""
	}
	if p.repoID = p.org.repoNamed(repo); p.repoID == 0 {
		return place{}, false
	}
	p.repo = p.org.state[p.repoID]
	if env == "" {
		return p, true
	}
	if p.env = p.repo.envs[strings.ToLower(env)]; p.env == nil {
		return place{}, false
	}
	return p, true
}

// isOrg reports whether p is an organization.
func (p place) isOrg() bool { return p.org != nil && p.repo == nil }

// store is p's secrets of kind (environments have Actions secrets only).
func (p place) store(kind string) *store {
	switch {
	case p.user != nil:
		return p.user.codespaces
	case p.env != nil:
		return p.env.secrets
	case p.repo != nil:
		return p.repo.store(kind)
	}
	return p.org.kinds[kind]
}

// repository is the metadata of p's repository.
func (p place) repository() Repository { return p.org.repos[p.repoID] }

// repoNamed is the id of o's repository called name in any case; 0 when
// there is none.
func (o *org) repoNamed(name string) int64 {
	for id, repo := range o.repos {
		if strings.EqualFold(repo.Name, name) {
			return id
		}
	}
	return 0
}

// insertRepo gives r the next id and its full name, and makes it o's.
func (s *Server) insertRepo(o *org, r Repository) Repository {
	r.ID = s.nextRepoID
	r.FullName = o.login + "/" + r.Name
	s.nextRepoID++
	o.repos[r.ID] = r
	o.state[r.ID] = newRepoState(s.now().UTC().Truncate(time.Second))
	return r
}

// describePlace names a place for a test helper's panic: "repository
// acme/api".
func describePlace(owner, repo, env string) string {
	switch {
	case env != "":
		return fmt.Sprintf("environment %q of repository %s/%s", env, owner, repo)
	case repo != "":
		return fmt.Sprintf("repository %s/%s", owner, repo)
	}
	return fmt.Sprintf("org %q", owner)
}
