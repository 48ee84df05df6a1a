package client

import (
	"context"
	"errors"
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
