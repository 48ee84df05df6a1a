package fakegithub

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

var (
	repoVisibilities = []string{"public", "private", "internal"}
	repoListTypes    = []string{"all", "public", "private", "forks", "sources", "member"}
	repoListSorts    = []string{"created", "updated", "pushed", "full_name"}
	repoListOrders   = []string{"asc", "desc"}
)

// AddRepositoryWith creates a repository in org (creating the org if needed)
// with the name, visibility and flags of r, and returns it with its id and
// full name set. Private follows Visibility when that is given. It panics
// when org already has a repository of that name or the visibility is not
// public, private or internal.
func (s *Server) AddRepositoryWith(org string, r Repository) Repository {
	if r.Name == "" {
		panic("fakegithub: empty repository name")
	}
	if r.Visibility != "" && !slices.Contains(repoVisibilities, r.Visibility) {
		panic(fmt.Sprintf("fakegithub: repository visibility %q is not one of public, private, internal", r.Visibility))
	}
	r.Visibility = r.visibility()
	r.Private = r.Visibility != "public"
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.addOrg(org)
	if id := o.repoNamed(r.Name); id != 0 {
		panic(fmt.Sprintf("fakegithub: org %q already has a repository %q", org, o.repos[id].Name))
	}
	return s.insertRepo(o, r)
}

func (r Repository) visibility() string {
	switch {
	case r.Visibility != "":
		return r.Visibility
	case r.Private:
		return "private"
	default:
		return "public"
	}
}

// orgRepositoryJSON is GitHub's minimal-repository as the org list sends it,
// with the optional properties the fake keeps.
type orgRepositoryJSON struct {
	repositoryJSON
	Visibility string `json:"visibility"`
	Archived   bool   `json:"archived"`
	Disabled   bool   `json:"disabled"`
}

// listOrgRepositories answers the org repository list. The fake keeps no
// push or update times, so "updated" and "pushed" order like "created".
func (s *Server) listOrgRepositories(c *call) {
	query := c.r.URL.Query()
	listType, ok := c.enumParam(query.Get("type"), "type", "all", repoListTypes)
	if !ok {
		return
	}
	sortBy, ok := c.enumParam(query.Get("sort"), "sort", "created", repoListSorts)
	if !ok {
		return
	}
	defaultOrder := "desc"
	if sortBy == "full_name" {
		defaultOrder = "asc"
	}
	order, ok := c.enumParam(query.Get("direction"), "direction", defaultOrder, repoListOrders)
	if !ok {
		return
	}

	var repos []Repository
	for _, repo := range c.org.repos {
		if repoListed(repo, listType) {
			repos = append(repos, repo)
		}
	}
	slices.SortFunc(repos, func(a, b Repository) int {
		if sortBy == "full_name" {
			if n := cmp.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName)); n != 0 {
				return n
			}
		}
		return cmp.Compare(a.ID, b.ID) // ids grow with creation
	})
	if order == "desc" {
		slices.Reverse(repos)
	}

	start, end := paginate(c, len(repos))
	page := make([]orgRepositoryJSON, 0, end-start)
	for _, repo := range repos[start:end] {
		page = append(page, orgRepositoryJSON{repositoryJSON: c.repositoryJSON(repo), Visibility: repo.visibility(), Archived: repo.Archived})
	}
	writeJSON(c.w, http.StatusOK, page)
}

// enumParam returns a query parameter's value, its default when absent, or
// answers 422 when the value is not one of allowed.
func (c *call) enumParam(value, name, fallback string, allowed []string) (string, bool) {
	if value == "" {
		return fallback, true
	}
	if !slices.Contains(allowed, value) {
		c.fail(http.StatusUnprocessableEntity, fmt.Sprintf("Invalid value for %s: %q is not one of %s.",
			name, value, strings.Join(allowed, ", ")))
		return "", false
	}
	return value, true
}

// repoListed applies the list's type filter. The token is an owner of every
// org, so "member" sees everything.
func repoListed(repo Repository, listType string) bool {
	switch listType {
	case "public":
		return repo.visibility() == "public"
	case "private":
		return repo.visibility() != "public"
	case "forks":
		return repo.Fork
	case "sources":
		return !repo.Fork
	default:
		return true
	}
}
