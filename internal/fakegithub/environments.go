package fakegithub

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxEnvNameLen is GitHub's limit on an environment's name, in characters.
const maxEnvNameLen = 255

// environmentJSON is GitHub's environment: the properties the description
// requires, and a new environment's empty rules and null branch policy.
type environmentJSON struct {
	ID                     int64     `json:"id"`
	NodeID                 string    `json:"node_id"`
	Name                   string    `json:"name"`
	URL                    string    `json:"url"`
	HTMLURL                string    `json:"html_url"`
	CreatedAt              string    `json:"created_at"`
	UpdatedAt              string    `json:"updated_at"`
	ProtectionRules        []any     `json:"protection_rules"`
	DeploymentBranchPolicy *struct{} `json:"deployment_branch_policy"`
}

func (c *call) environmentJSON(env *environment) environmentJSON {
	full := c.place.repository().FullName
	return environmentJSON{
		ID:              env.id,
		NodeID:          base64.StdEncoding.EncodeToString([]byte("011:Environment" + strconv.FormatInt(env.id, 10))),
		Name:            env.name,
		URL:             c.apiBase() + "repos/" + full + "/environments/" + url.PathEscape(env.name),
		HTMLURL:         c.webBase() + full + "/deployments/activity_log?environments_filter=" + url.QueryEscape(env.name),
		CreatedAt:       formatTime(env.created),
		UpdatedAt:       formatTime(env.updated),
		ProtectionRules: []any{},
	}
}

// validateEnvName applies GitHub's rule for an environment's name; "" means
// valid.
func validateEnvName(name string) string {
	if n := len([]rune(name)); n == 0 || n > maxEnvNameLen {
		return fmt.Sprintf("Name must be between 1 and %d characters.", maxEnvNameLen)
	}
	return ""
}

// environment finds the path's environment or answers 404.
func (c *call) environment() (*environment, bool) {
	env := c.place.repo.envs[strings.ToLower(c.params["environment_name"])]
	if env == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return nil, false
	}
	return env, true
}

// environments are rs's environments, oldest first.
func (rs *repoState) environments() []*environment {
	return slices.SortedFunc(maps.Values(rs.envs), func(a, b *environment) int { return cmp.Compare(a.id, b.id) })
}

// listEnvironments answers a repository's environments, oldest first.
func (s *Server) listEnvironments(c *call) {
	envs := c.place.repo.environments()
	start, end := paginate(c, len(envs))
	page := make([]environmentJSON, 0, end-start)
	for _, env := range envs[start:end] {
		page = append(page, c.environmentJSON(env))
	}
	page = thin(page, s.thinned(c.path))
	writeJSON(c.w, http.StatusOK, struct {
		TotalCount   int               `json:"total_count"`
		Environments []environmentJSON `json:"environments"`
	}{len(envs), page})
}

func (s *Server) getEnvironment(c *call) {
	if env, ok := c.environment(); ok {
		writeJSON(c.w, http.StatusOK, c.environmentJSON(env))
	}
}

// putEnvironment creates an environment, or updates one, answering it
// either way. The fake keeps no protection rules: a body's are taken as
// they come and not kept.
func (s *Server) putEnvironment(c *call) {
	if _, ok := c.readBody(); !ok {
		return
	}
	name := c.params["environment_name"]
	if msg := validateEnvName(name); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	writeJSON(c.w, http.StatusOK, c.environmentJSON(s.addEnvironment(c.place.repo, name, c.w)))
}

// deleteEnvironment deletes an environment and its secrets.
func (s *Server) deleteEnvironment(c *call) {
	env, ok := c.environment()
	if !ok {
		return
	}
	delete(c.place.repo.envs, strings.ToLower(env.name))
	writeNoContent(c.w)
}

// addEnvironment creates rs's environment name with its own key pair, or
// moves an existing one's updated_at. w is the answer being built, or nil
// out of band.
func (s *Server) addEnvironment(rs *repoState, name string, w http.ResponseWriter) *environment {
	key := strings.ToLower(name)
	if env := rs.envs[key]; env != nil {
		env.updated = s.stamp(env.updated, w)
		return env
	}
	now := s.stamp(time.Time{}, w)
	env := &environment{id: s.nextEnvID, name: name, created: now, updated: now, secrets: newStore(envHolder)}
	s.nextEnvID++
	rs.envs[key] = env
	return env
}

// AddEnvironment makes environment name of owner's repository repo exist,
// with its own key pair, as creating it in GitHub's UI does; an existing
// one (in any case) keeps its secrets. It panics for an unknown repository
// or a name GitHub would refuse.
func (s *Server) AddEnvironment(owner, repo, name string) {
	if msg := validateEnvName(name); msg != "" {
		panic(fmt.Sprintf("fakegithub: environment name %q: %s", name, msg))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addEnvironment(s.mustRepo(owner, repo), name, nil)
}

// DeleteEnvironmentOutOfBand deletes an environment and its secrets as if
// done in GitHub's UI; a missing environment is no error.
func (s *Server) DeleteEnvironmentOutOfBand(owner, repo, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mustRepo(owner, repo).envs, strings.ToLower(name))
}

// Environments lists the names of a repository's environments, oldest
// first; nil for an unknown repository.
func (s *Server) Environments(owner, repo string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.locate(owner, repo, "")
	if !ok || p.repo == nil {
		return nil
	}
	names := []string{}
	for _, env := range p.repo.environments() {
		names = append(names, env.name)
	}
	return names
}

// mustRepo is a repository's state, for helpers; the caller holds s.mu.
func (s *Server) mustRepo(owner, repo string) *repoState {
	p, ok := s.locate(owner, repo, "")
	if !ok || p.repo == nil {
		panic("fakegithub: unknown " + describePlace(owner, repo, ""))
	}
	return p.repo
}
