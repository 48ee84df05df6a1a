package fakegithub

import (
	"net/http"
	"strconv"
	"strings"
)

// organizationJSON is GitHub's organization-full, with the properties a
// client reads to tell an organization from a user: the fake keeps no
// profile, so counts are 0 and the texts empty.
type organizationJSON struct {
	Login                   string  `json:"login"`
	ID                      int64   `json:"id"`
	NodeID                  string  `json:"node_id"`
	URL                     string  `json:"url"`
	ReposURL                string  `json:"repos_url"`
	EventsURL               string  `json:"events_url"`
	HooksURL                string  `json:"hooks_url"`
	IssuesURL               string  `json:"issues_url"`
	MembersURL              string  `json:"members_url"`
	PublicMembersURL        string  `json:"public_members_url"`
	AvatarURL               string  `json:"avatar_url"`
	Description             *string `json:"description"`
	HTMLURL                 string  `json:"html_url"`
	HasOrganizationProjects bool    `json:"has_organization_projects"`
	HasRepositoryProjects   bool    `json:"has_repository_projects"`
	PublicRepos             int     `json:"public_repos"`
	PublicGists             int     `json:"public_gists"`
	Followers               int     `json:"followers"`
	Following               int     `json:"following"`
	Type                    string  `json:"type"`
	CreatedAt               string  `json:"created_at"`
	UpdatedAt               string  `json:"updated_at"`
	ArchivedAt              *string `json:"archived_at"`
}

// orgCreated is every organization's creation time: the fake keeps none.
const orgCreated = "2011-01-26T19:01:12Z"

// getOrganization answers the path's organization (GET /orgs/{org}), which
// clients read to learn that their owner is an organization.
func (*Server) getOrganization(c *call) {
	o := c.org
	api := c.apiBase() + "orgs/" + o.login
	writeJSON(c.w, http.StatusOK, organizationJSON{
		Login: o.login, ID: o.id, NodeID: "O_" + strconv.FormatInt(o.id, 36),
		URL: api, ReposURL: api + "/repos", EventsURL: api + "/events", HooksURL: api + "/hooks",
		IssuesURL: api + "/issues", MembersURL: api + "/members{/member}", PublicMembersURL: api + "/public_members{/member}",
		AvatarURL: c.webBase() + "avatars/" + o.login, HTMLURL: c.webBase() + o.login,
		HasOrganizationProjects: true, HasRepositoryProjects: true,
		Type: "Organization", CreatedAt: orgCreated, UpdatedAt: orgCreated,
	})
}

// byRepositoryID is path with GitHub's /repositories/{repository_id} form
// of a repository's endpoints (which every endpoint under
// /repos/{owner}/{repo} also answers at) turned into the named form, so one
// route serves both; any other path is returned as it is. An unknown id
// stays as it is, and is 404.
func (s *Server) byRepositoryID(path string) string {
	rest, ok := strings.CutPrefix(path, "/repositories/")
	if !ok {
		return path
	}
	idText, tail, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return path
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orgs {
		if r, ok := o.repos[id]; ok {
			return "/repos/" + o.login + "/" + r.Name + strings.TrimSuffix("/"+tail, "/")
		}
	}
	return path
}
