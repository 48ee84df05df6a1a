package fakegithub

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// GitHub's limits on variables. Its limits on their total size (per
// organization and per workflow run) are not enforced: no test needs them.
const (
	maxVariableBytes   = 48 * 1024
	defaultVarsPerPage = 10
	maxVarsPerPage     = 30
)

const (
	msgVarNameChars = "Variable names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). " +
		"Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_)."
	msgVarNamePrefix  = "Variable names must not start with GITHUB_."
	msgVarExists      = "Already exists - Variable already exists"
	msgVarNotSelected = "The variable's visibility must be set to selected to manage its selected repositories."
	msgVarTooLarge    = "Variable value is too large: variables are limited to 48 KB."
	msgIDsNotSelected = "You can only provide a list of repository ids when the visibility is set to selected."
)

var (
	orgVarHolder  = &holder{"organization", 1000, "Organizations can store up to 1,000 variables. Delete a variable before adding another."}
	repoVarHolder = &holder{"repository", 500, "Repositories can store up to 500 variables. Delete a variable before adding another."}
	envVarHolder  = &holder{"environment", 100, "Environments can store up to 100 variables. Delete a variable before adding another."}
)

// variableKinds are the kinds that have variables; environments have
// Actions variables only.
var variableKinds = map[string]bool{"actions": true, "agents": true}

// varStore is one kind's variables in one scope. Apart from the secrets of
// the same place: a variable and a secret may share a name.
type varStore struct {
	holder *holder
	vars   map[string]*variable // by upper-case name
}

type variable struct {
	name    string // upper-case, as GitHub stores it
	value   string
	created time.Time
	listed  // the visibility and list are an organization variable's alone
}

// VariableInfo is what GitHub holds for a variable; variables are not
// secret, so the value is part of it.
type VariableInfo struct {
	Name  string // as stored: upper-case
	Value string
	// Visibility is all, private or selected for an organization variable;
	// "" for a repository's or an environment's.
	Visibility           string
	CreatedAt, UpdatedAt time.Time
	// Sorted ascending; non-nil (possibly empty) exactly when Visibility is selected.
	SelectedRepositoryIDs []int64
}

// isVariableOperation reports whether an operation id is about variables.
func isVariableOperation(id string) bool {
	return strings.HasSuffix(id, "-variable") || strings.HasSuffix(id, "-variables")
}

// variables is p's variables of kind, made when first used. The caller
// holds s.mu.
func (p place) variables(kind string) *varStore {
	switch {
	case p.env != nil:
		if p.env.variables == nil {
			p.env.variables = &varStore{holder: envVarHolder, vars: map[string]*variable{}}
		}
		return p.env.variables
	case p.repo != nil:
		if p.repo.variables == nil {
			p.repo.variables = map[string]*varStore{}
		}
		return varStoreIn(p.repo.variables, kind, repoVarHolder)
	}
	if p.org.variables == nil {
		p.org.variables = map[string]*varStore{}
	}
	return varStoreIn(p.org.variables, kind, orgVarHolder)
}

func varStoreIn(m map[string]*varStore, kind string, h *holder) *varStore {
	vs := m[kind]
	if vs == nil {
		vs = &varStore{holder: h, vars: map[string]*variable{}}
		m[kind] = vs
	}
	return vs
}

// validateVariableName applies GitHub's naming rules, those of secrets; ""
// means valid.
func validateVariableName(name string) string {
	if !secretNamePattern.MatchString(name) {
		return msgVarNameChars
	}
	if strings.HasPrefix(strings.ToUpper(name), "GITHUB_") {
		return msgVarNamePrefix
	}
	return ""
}

func (v *variable) info() VariableInfo {
	info := VariableInfo{Name: v.name, Value: v.value, Visibility: v.visibility, CreatedAt: v.created, UpdatedAt: v.updated}
	if v.visibility == "selected" {
		info.SelectedRepositoryIDs = sortedKeys(v.repos)
		if info.SelectedRepositoryIDs == nil {
			info.SelectedRepositoryIDs = []int64{}
		}
	}
	return info
}

// usableBy reports whether repo may use the organization variable v.
func (v *variable) usableBy(repo Repository) bool {
	switch v.visibility {
	case "all":
		return true
	case "private":
		return repo.visibility() != "public"
	}
	return v.repos[repo.ID]
}

// variableJSON is GitHub's organization-actions-variable, or its
// actions-variable when visibility is "".
type variableJSON struct {
	Name                    string `json:"name"`
	Value                   string `json:"value"`
	CreatedAt               string `json:"created_at"`
	UpdatedAt               string `json:"updated_at"`
	Visibility              string `json:"visibility,omitempty"`
	SelectedRepositoriesURL string `json:"selected_repositories_url,omitempty"`
}

func (c *call) variableJSON(v *variable) variableJSON {
	out := variableJSON{
		Name:       v.name,
		Value:      v.value,
		CreatedAt:  formatTime(v.created),
		UpdatedAt:  formatTime(v.updated),
		Visibility: v.visibility,
	}
	if v.visibility == "selected" {
		out.SelectedRepositoriesURL = c.apiBase() + "orgs/" + c.org.login + "/" + c.kind + "/variables/" + v.name + "/repositories"
	}
	return out
}

type variableListJSON struct {
	TotalCount int            `json:"total_count"`
	Variables  []variableJSON `json:"variables"`
}

// variable finds the path's variable or answers 404.
func (c *call) variable() (*variable, bool) {
	v := c.place.variables(c.kind).vars[strings.ToUpper(c.params["name"])]
	if v == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return nil, false
	}
	return v, true
}

// selectedVariable finds the path's variable and insists its visibility is
// selected (409 otherwise).
func (c *call) selectedVariable() (*variable, bool) {
	v, ok := c.variable()
	if !ok {
		return nil, false
	}
	if v.visibility != "selected" {
		c.fail(http.StatusConflict, msgVarNotSelected)
		return nil, false
	}
	return v, true
}

// variableList decodes an organization variable's selected_repository_ids
// (integers alone, as the description says) and checks them against
// visibility; nil when absent.
func (c *call) variableList(body requestBody, visibility string) ([]int64, bool) {
	ids, msg := body.selectedIDs(false)
	switch {
	case msg != "":
	case len(ids) > 0 && visibility != "selected":
		msg = msgIDsNotSelected
	default:
		msg = c.org.unknownRepository(ids)
	}
	if msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return nil, false
	}
	return ids, true
}

func (c *call) badVisibility(visibility string) bool {
	if isVisibility(visibility) {
		return false
	}
	c.fail(http.StatusUnprocessableEntity, msgInvalidPrefix+fmt.Sprintf(
		"For 'properties/visibility', %q is not a member of [\"all\", \"private\", \"selected\"].", visibility))
	return true
}

func (s *Server) listVariables(c *call) {
	vs := c.place.variables(c.kind)
	names := sortedKeys(vs.vars)
	start, end := paginateBy(c, len(names), defaultVarsPerPage, maxVarsPerPage)
	page := make([]variableJSON, 0, end-start)
	for _, name := range names[start:end] {
		page = append(page, c.variableJSON(vs.vars[name]))
	}
	writeJSON(c.w, http.StatusOK, variableListJSON{len(names), page})
}

// listRepoOrganizationVariables lists the organization variables the
// path's repository may use, in the actions-variable shape.
func (s *Server) listRepoOrganizationVariables(c *call) {
	vs := place{org: c.org}.variables(c.kind)
	repo := c.place.repository()
	var names []string
	for _, name := range sortedKeys(vs.vars) {
		if vs.vars[name].usableBy(repo) {
			names = append(names, name)
		}
	}
	start, end := paginateBy(c, len(names), defaultVarsPerPage, maxVarsPerPage)
	page := make([]variableJSON, 0, end-start)
	for _, name := range names[start:end] {
		v := c.variableJSON(vs.vars[name])
		v.Visibility, v.SelectedRepositoriesURL = "", ""
		page = append(page, v)
	}
	writeJSON(c.w, http.StatusOK, variableListJSON{len(names), page})
}

func (s *Server) getVariable(c *call) {
	if v, ok := c.variable(); ok {
		writeJSON(c.w, http.StatusOK, c.variableJSON(v))
	}
}

func (s *Server) createVariable(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	org := c.place.isOrg()
	fields := []string{"name", "value"}
	if org {
		fields = append(fields, "visibility")
	}
	if msg := body.missing(fields...); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	var name, value, visibility string
	for i, dst := range []*string{&name, &value, &visibility}[:len(fields)] {
		if msg := body.stringField(fields[i], dst); msg != "" {
			c.fail(http.StatusUnprocessableEntity, msg)
			return
		}
	}
	var ids []int64
	if org {
		if c.badVisibility(visibility) {
			return
		}
		if ids, ok = c.variableList(body, visibility); !ok {
			return
		}
	}
	if msg := validateVariableName(name); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	if len(value) > maxVariableBytes {
		c.fail(http.StatusUnprocessableEntity, msgVarTooLarge)
		return
	}
	vs := c.place.variables(c.kind)
	upper := strings.ToUpper(name)
	if vs.vars[upper] != nil {
		c.fail(http.StatusConflict, msgVarExists)
		return
	}
	if len(vs.vars) >= vs.holder.limit {
		c.fail(http.StatusUnprocessableEntity, vs.holder.full)
		return
	}
	now := s.stamp(time.Time{}, c.w)
	v := &variable{name: upper, value: value, created: now, listed: listed{updated: now}}
	if org {
		v.setVisibility(visibility, ids)
	}
	vs.vars[upper] = v
	writeJSON(c.w, http.StatusCreated, struct{}{})
}

// updateVariable changes any of a variable's name (a rename), value and,
// for an organization variable, visibility and repository list; the rest
// of it stays. A repository list is kept until the visibility leaves
// selected.
func (s *Server) updateVariable(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	org := c.place.isOrg()
	var name, value, visibility string
	fields := map[string]*string{"name": &name, "value": &value}
	if org {
		fields["visibility"] = &visibility
	}
	for _, field := range sortedKeys(fields) {
		if msg := body.stringField(field, fields[field]); msg != "" {
			c.fail(http.StatusUnprocessableEntity, msg)
			return
		}
	}
	_, renamed := body["name"]
	_, revalued := body["value"]
	_, revisible := body["visibility"]
	_, relisted := body["selected_repository_ids"]
	revisible, relisted = revisible && org, relisted && org
	if renamed {
		if msg := validateVariableName(name); msg != "" {
			c.fail(http.StatusUnprocessableEntity, msg)
			return
		}
	}
	if len(value) > maxVariableBytes {
		c.fail(http.StatusUnprocessableEntity, msgVarTooLarge)
		return
	}
	if revisible && c.badVisibility(visibility) {
		return
	}
	v, ok := c.variable()
	if !ok {
		return
	}
	if !revisible {
		visibility = v.visibility
	}
	var ids []int64
	if relisted {
		if ids, ok = c.variableList(body, visibility); !ok {
			return
		}
	}
	vs := c.place.variables(c.kind)
	if upper := strings.ToUpper(name); renamed && upper != v.name {
		if vs.vars[upper] != nil {
			c.fail(http.StatusConflict, msgVarExists)
			return
		}
		delete(vs.vars, v.name)
		v.name = upper
		vs.vars[upper] = v
	}
	if revalued {
		v.value = value
	}
	switch {
	case relisted:
		v.setVisibility(visibility, ids)
	case visibility != v.visibility:
		v.setVisibility(visibility, nil)
	}
	v.updated = s.stamp(v.updated, c.w)
	writeNoContent(c.w)
}

func (s *Server) deleteVariable(c *call) {
	v, ok := c.variable()
	if !ok {
		return
	}
	delete(c.place.variables(c.kind).vars, v.name)
	writeNoContent(c.w)
}

// The repository list endpoints of an organization variable.

func (s *Server) listVariableRepositories(c *call) { s.listSelected(c, c.selectedVariableList) }
func (s *Server) setVariableRepositories(c *call)  { s.setSelected(c, c.selectedVariableList) }
func (s *Server) addVariableRepository(c *call)    { s.addSelected(c, c.selectedVariableList) }
func (s *Server) removeVariableRepository(c *call) { s.removeSelected(c, c.selectedVariableList) }

// selectedVariableList is selectedVariable's list.
func (c *call) selectedVariableList() (*listed, bool) {
	v, ok := c.selectedVariable()
	if !ok {
		return nil, false
	}
	return &v.listed, true
}

// Variable helpers. A scope is named as the API names it: the organization
// owner (repo and env ""), its repository repo (env ""), or that
// repository's environment env. kind is actions or agents; environments
// have Actions variables only. Names and scope names are taken in any case.
// Helpers panic on an unknown kind, and those that change state on an
// unknown scope or a write GitHub would refuse.

func mustVariableKind(kind, env string) {
	if !variableKinds[kind] {
		panic(fmt.Sprintf("fakegithub: kind %q has no variables (actions, agents)", kind))
	}
	if env != "" && kind != "actions" {
		panic(fmt.Sprintf("fakegithub: environments have Actions variables only, not %s ones", kind))
	}
}

// variableScope finds a scope's variables; nil when it does not exist. The
// caller holds s.mu.
func (s *Server) variableScope(kind, owner, repo, env string) (place, *varStore) {
	mustVariableKind(kind, env)
	p, ok := s.locate(owner, repo, env)
	if !ok {
		return place{}, nil
	}
	return p, p.variables(kind)
}

// Variables lists a scope's variables of kind by name; nil when the scope
// does not exist.
func (s *Server) Variables(kind, owner, repo, env string) []VariableInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, vs := s.variableScope(kind, owner, repo, env)
	if vs == nil {
		return nil
	}
	out := make([]VariableInfo, 0, len(vs.vars))
	for _, name := range sortedKeys(vs.vars) {
		out = append(out, vs.vars[name].info())
	}
	return out
}

// Variable reports one variable of a scope, its value included.
func (s *Server) Variable(kind, owner, repo, env, name string) (VariableInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, vs := s.variableScope(kind, owner, repo, env)
	if vs == nil || vs.vars[strings.ToUpper(name)] == nil {
		return VariableInfo{}, false
	}
	return vs.vars[strings.ToUpper(name)].info(), true
}

// PutVariableOutOfBand creates or updates a scope's variable v.Name as if
// done in GitHub's UI: its value becomes v.Value and, for an organization
// variable, its visibility v.Visibility and its repository list exactly
// v.SelectedRepositoryIDs (selected only). v's times are ignored: the
// server's clock sets them, and updated_at moves.
func (s *Server) PutVariableOutOfBand(kind, owner, repo, env string, v VariableInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, vs := s.variableScope(kind, owner, repo, env)
	if vs == nil {
		panic("fakegithub: unknown " + describePlace(owner, repo, env))
	}
	if msg := validateVariableName(v.Name); msg != "" {
		panic(fmt.Sprintf("fakegithub: variable name %q: %s", v.Name, msg))
	}
	if len(v.Value) > maxVariableBytes {
		panic(fmt.Sprintf("fakegithub: variable value of %d bytes is over 48 KB", len(v.Value)))
	}
	switch {
	case p.isOrg() && !isVisibility(v.Visibility):
		panic(fmt.Sprintf("fakegithub: visibility %q is not one of all, private, selected", v.Visibility))
	case !p.isOrg() && v.Visibility != "":
		panic("fakegithub: only organization variables have a visibility")
	case v.Visibility != "selected" && len(v.SelectedRepositoryIDs) > 0:
		panic("fakegithub: a repository list needs visibility selected")
	}
	if p.isOrg() {
		if msg := p.org.unknownRepository(v.SelectedRepositoryIDs); msg != "" {
			panic("fakegithub: " + msg)
		}
	}
	upper := strings.ToUpper(v.Name)
	cur := vs.vars[upper]
	if cur == nil {
		if len(vs.vars) >= vs.holder.limit {
			panic(fmt.Sprintf("fakegithub: the %s already has %d variables of the kind", vs.holder.name, vs.holder.limit))
		}
		now := s.stamp(time.Time{}, nil)
		cur = &variable{name: upper, created: now, listed: listed{updated: now}}
		vs.vars[upper] = cur
	} else {
		cur.updated = s.stamp(cur.updated, nil)
	}
	cur.value = v.Value
	if p.isOrg() {
		cur.setVisibility(v.Visibility, v.SelectedRepositoryIDs)
	}
}

// DeleteVariableOutOfBand deletes a scope's variable as if done in GitHub's
// UI; a missing variable is no error.
func (s *Server) DeleteVariableOutOfBand(kind, owner, repo, env, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, vs := s.variableScope(kind, owner, repo, env)
	if vs == nil {
		panic("fakegithub: unknown " + describePlace(owner, repo, env))
	}
	delete(vs.vars, strings.ToUpper(name))
}
