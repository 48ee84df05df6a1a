package client

import (
	"context"
	"slices"
)

// OrgRepository is one entry of an organization's repository list.
type OrgRepository struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
	// Visibility is "public", "private" or "internal". Servers that omit it
	// (older GitHub Enterprise Server) get it derived from Private.
	Visibility string `json:"visibility"`
	Archived   bool   `json:"archived"`
}

// ListOrgRepositories returns every repository of org that the token can
// see, across all pages, in GitHub's order (newest first).
func (c *Client) ListOrgRepositories(ctx context.Context, org string) ([]OrgRepository, error) {
	p, err := orgRepositoriesPath(org)
	if err != nil {
		return nil, err
	}
	// The endpoint answers a bare JSON array, so a page is the slice itself.
	repos, err := listAll(ctx, c, p, func(p *[]OrgRepository) []OrgRepository { return *p })
	if err != nil {
		return nil, err
	}
	// A repository created while paging shifts the pages, so the same one can
	// arrive twice; keep its first sight.
	seen := make(map[int64]bool, len(repos))
	out := repos[:0]
	for _, r := range repos {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, withVisibility(r))
	}
	return out, nil
}

// OrgRepositoriesOnce is ListOrgRepositories listed once per Client, for
// callers that each need the whole list during one run.
func (c *Client) OrgRepositoriesOnce(ctx context.Context, org string) ([]OrgRepository, error) {
	repos, err := c.orgRepos.get(ctx, fold(org), func(ctx context.Context) ([]OrgRepository, error) {
		return c.ListOrgRepositories(ctx, org)
	})
	return slices.Clone(repos), err
}
