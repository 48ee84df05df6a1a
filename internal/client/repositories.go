package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Repository is the part of a repository this provider uses.
type Repository struct {
	ID       int64  `json:"id"`
	NodeID   string `json:"node_id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
}

type repositoriesPage struct {
	TotalCount   *int         `json:"total_count"`
	Repositories []Repository `json:"repositories"`
}

func (p *repositoriesPage) check() error {
	if p.TotalCount == nil || p.Repositories == nil {
		return errors.New("the page has no total_count or no repositories array")
	}
	for i, r := range p.Repositories {
		if r.ID <= 0 {
			return fmt.Errorf("repository %d of the page has no id", i+1)
		}
	}
	return nil
}

type selectedRepositoriesBody struct {
	SelectedRepositoryIDs []int64 `json:"selected_repository_ids"`
}

// checkListScope refuses a repository list call outside an organization or
// user scope, before any request: only their secrets have lists.
func checkListScope(a Address) error {
	if err := a.check(); err != nil {
		return err
	}
	if !a.scope.HasRepositoryLists() {
		return fmt.Errorf("%s has no repository lists: only organization and user secrets do", a.scope)
	}
	return nil
}

// ListSelectedRepositories returns every repository that can use an
// organization secret of visibility "selected", across all pages.
func (c *Client) ListSelectedRepositories(ctx context.Context, a Address) ([]Repository, error) {
	if err := checkListScope(a); err != nil {
		return nil, err
	}
	return listAll(ctx, c, a.repositoriesPath(), func(p *repositoriesPage) []Repository { return p.Repositories })
}

// SetSelectedRepositories replaces the repositories that can use a secret.
// An empty or nil ids is sent as [], which clears the list. GitHub moves the
// secret's updated_at when the list changes; the result's At is the Date of
// its answer.
func (c *Client) SetSelectedRepositories(ctx context.Context, a Address, ids []int64) (WriteResult, error) {
	if err := checkListScope(a); err != nil {
		return WriteResult{}, err
	}
	if ids == nil {
		ids = []int64{}
	}
	c.noteWrite(a)                        // GitHub moves the secret's updated_at with its list
	defer c.forgetSelectedRepositories(a) // once the change is made (or failed), the cached list is stale
	req, err := c.newRequest(ctx, http.MethodPut, c.endpoint(a.repositoriesPath(), ""), selectedRepositoriesBody{SelectedRepositoryIDs: ids})
	if err != nil {
		return WriteResult{}, err
	}
	resp, err := c.do(req, nil)
	if err != nil {
		return WriteResult{}, err
	}
	return WriteResult{At: responseDate(resp)}, nil
}

// AddSelectedRepository gives one repository access to a secret. GitHub
// answers 409 when the secret's visibility is not "selected".
func (c *Client) AddSelectedRepository(ctx context.Context, a Address, repositoryID int64) error {
	return c.selectedRepository(ctx, http.MethodPut, a, repositoryID)
}

// RemoveSelectedRepository takes one repository's access to a secret away.
// GitHub answers 409 when the secret's visibility is not "selected".
func (c *Client) RemoveSelectedRepository(ctx context.Context, a Address, repositoryID int64) error {
	return c.selectedRepository(ctx, http.MethodDelete, a, repositoryID)
}

func (c *Client) selectedRepository(ctx context.Context, method string, a Address, repositoryID int64) error {
	if err := checkListScope(a); err != nil {
		return err
	}
	if repositoryID <= 0 {
		return fmt.Errorf("repository id %d is not a repository's", repositoryID)
	}
	c.noteWrite(a)                        // GitHub moves the secret's updated_at with its list
	defer c.forgetSelectedRepositories(a) // once the change is made (or failed), the cached list is stale
	req, err := c.newRequest(ctx, method, c.endpoint(a.repositoryPath(repositoryID), ""), nil)
	if err != nil {
		return err
	}
	_, err = c.do(req, nil)
	return err
}
