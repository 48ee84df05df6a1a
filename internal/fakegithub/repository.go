package fakegithub

import "net/http"

// fullRepositoryJSON is GitHub's full-repository: minimal-repository and
// every further property the description requires, with the optional
// visibility. The fake keeps no git data, issues or stars: counts are 0,
// pushed_at and updated_at are the creation time.
type fullRepositoryJSON struct {
	repositoryJSON
	CloneURL         string  `json:"clone_url"`
	DefaultBranch    string  `json:"default_branch"`
	Forks            int     `json:"forks"`
	ForksCount       int     `json:"forks_count"`
	GitURL           string  `json:"git_url"`
	HasIssues        bool    `json:"has_issues"`
	HasProjects      bool    `json:"has_projects"`
	HasWiki          bool    `json:"has_wiki"`
	HasPages         bool    `json:"has_pages"`
	HasDiscussions   bool    `json:"has_discussions"`
	Homepage         *string `json:"homepage"`
	Language         *string `json:"language"`
	Archived         bool    `json:"archived"`
	Disabled         bool    `json:"disabled"`
	MirrorURL        *string `json:"mirror_url"`
	OpenIssues       int     `json:"open_issues"`
	OpenIssuesCount  int     `json:"open_issues_count"`
	License          any     `json:"license"` // none: null
	PushedAt         string  `json:"pushed_at"`
	Size             int     `json:"size"`
	SSHURL           string  `json:"ssh_url"`
	StargazersCount  int     `json:"stargazers_count"`
	SvnURL           string  `json:"svn_url"`
	Watchers         int     `json:"watchers"`
	WatchersCount    int     `json:"watchers_count"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
	NetworkCount     int     `json:"network_count"`
	SubscribersCount int     `json:"subscribers_count"`
	Visibility       string  `json:"visibility"`
}

// getRepository answers a repository of the path's owner; a missing one is
// 404, as for every endpoint under it.
func (s *Server) getRepository(c *call) {
	repo := c.place.repository()
	created := formatTime(c.place.repo.created)
	host := c.r.Host
	writeJSON(c.w, http.StatusOK, fullRepositoryJSON{
		repositoryJSON: c.repositoryJSON(repo),
		CloneURL:       c.webBase() + repo.FullName + ".git",
		DefaultBranch:  "main",
		GitURL:         "git://" + host + "/" + repo.FullName + ".git",
		HasIssues:      true,
		HasProjects:    true,
		HasWiki:        true,
		Archived:       repo.Archived,
		PushedAt:       created,
		SSHURL:         "git@" + host + ":" + repo.FullName + ".git",
		SvnURL:         c.webBase() + repo.FullName,
		CreatedAt:      created,
		UpdatedAt:      created,
		Visibility:     repo.visibility(),
	})
}
