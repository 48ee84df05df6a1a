package fakegithub

import (
	"fmt"
	"net/http"
	"strings"
)

// movedDocs is where GitHub's answer to a repository's former name points.
const movedDocs = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"

// RenameRepositoryOutOfBand renames org's repository id to newName, as its
// settings page would: its id, secrets and environments stay, and requests
// naming it by a former name are redirected to /repositories/{id}.
func (s *Server) RenameRepositoryOutOfBand(org string, id int64, newName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(org)
	repo, ok := o.repos[id]
	if !ok {
		panic(fmt.Sprintf("fakegithub: no repository %d in org %q", id, org))
	}
	if other := o.repoNamed(newName); other != 0 && other != id {
		panic(fmt.Sprintf("fakegithub: org %q already has a repository %q", org, newName))
	}
	if o.formerNames == nil {
		o.formerNames = map[string]int64{}
	}
	o.formerNames[strings.ToLower(repo.Name)] = id
	delete(o.formerNames, strings.ToLower(newName))
	repo.Name, repo.FullName = newName, o.login+"/"+newName
	o.repos[id] = repo
}

// redirectFormerName answers a request under /repos/{owner}/{repo} whose
// repo is a former name of a repository that still exists, as GitHub does:
// 301 for a read, 307 for anything else, to the same place under
// /repositories/{id}. It reports false when repo is no such name. The
// caller holds s.mu.
func (s *Server) redirectFormerName(c *call, path string) bool {
	o := s.orgs[strings.ToLower(c.params["owner"])]
	if o == nil || c.params["repo"] == "" {
		return false
	}
	id, ok := o.formerNames[strings.ToLower(c.params["repo"])]
	if _, exists := o.repos[id]; !ok || !exists {
		return false
	}
	// /repos/{owner}/{repo}/rest, as sent: the rest keeps its escaping.
	parts := strings.SplitN(path, "/", 5)
	rest := ""
	if len(parts) == 5 {
		rest = "/" + parts[4]
	}
	to := fmt.Sprintf("%srepositories/%d%s", c.apiBase(), id, rest)
	status := http.StatusTemporaryRedirect
	if c.r.Method == http.MethodGet || c.r.Method == http.MethodHead {
		status = http.StatusMovedPermanently
	}
	c.w.Header().Set("Location", to)
	writeJSON(c.w, status, struct {
		Message          string `json:"message"`
		URL              string `json:"url"`
		DocumentationURL string `json:"documentation_url"`
	}{"Moved Permanently", to, movedDocs})
	return true
}
