package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Environment is the part of a repository's environment this provider uses.
type Environment struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type environmentsPage struct {
	TotalCount   *int          `json:"total_count"`
	Environments []Environment `json:"environments"`
}

func (p *environmentsPage) check() error {
	if p.TotalCount == nil || p.Environments == nil {
		return errors.New("the page has no total_count or no environments array")
	}
	for _, e := range p.Environments {
		if e.Name == "" {
			return errors.New("an environment of the page has no name")
		}
	}
	return nil
}

// ListEnvironments returns every environment of the repository of scope
// (a repository or environment scope), across all pages (100 a page), in
// GitHub's order. Their names are GitHub's: a caller that addresses one
// makes its scope with EnvScope, which refuses a name GitHub could not have.
func (c *Client) ListEnvironments(ctx context.Context, scope Scope) ([]Environment, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	if scope.IsOrg() {
		return nil, fmt.Errorf("%s has no environments: repositories do", scope)
	}
	envs, err := listAll(ctx, c, scope.environmentsPath(), func(p *environmentsPage) []Environment { return p.Environments })
	if err != nil {
		return nil, err
	}
	// An environment created while paging shifts the pages: keep each once.
	seen := make(map[string]bool, len(envs))
	return slices.DeleteFunc(envs, func(e Environment) bool {
		key := fold(e.Name)
		dup := seen[key]
		seen[key] = true
		return dup
	}), nil
}

// ListedSecrets returns every secret of a scope, sorted by name, from the
// same listing LookupSecret serves from: one listing per scope and Client,
// however often it is asked for.
func (c *Client) ListedSecrets(ctx context.Context, scope Scope) ([]Secret, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	l, err := c.listings.get(ctx, scope.Key(), func(ctx context.Context) (listing, error) {
		return c.takeListing(ctx, scope)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Secret, 0, len(l.byName))
	for _, s := range l.byName {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Secret) int { return strings.Compare(strings.ToUpper(a.Name), strings.ToUpper(b.Name)) })
	return out, nil
}
