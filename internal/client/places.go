package client

import (
	"context"
	"fmt"
	"net/http"
)

// MissingPlace says which part of a repository or environment scope does
// not exist: "repository acme/api" or "environment prod of repository
// acme/api"; empty when both exist (or for an organization scope). A secret
// call answers 404 alike for a missing repository, a missing environment and
// a token that may not see them; this tells the first two apart, at the cost
// of one or two reads, only once such a call has failed.
func (c *Client) MissingPlace(ctx context.Context, scope Scope) (string, error) {
	if err := scope.check(); err != nil {
		return "", err
	}
	if scope.Repository().IsZero() {
		return "", nil
	}
	missing, err := c.missing(ctx, scope.repoPath())
	switch {
	case err != nil:
		return "", err
	case missing:
		return fmt.Sprintf("repository %s/%s", scope.owner, scope.repo), nil
	case scope.level != EnvLevel:
		return "", nil
	}
	missing, err = c.missing(ctx, scope.placePath())
	if err != nil || !missing {
		return "", err
	}
	return fmt.Sprintf("environment %s of repository %s/%s", scope.env, scope.owner, scope.repo), nil
}

// missing reports whether GET p answers 404.
func (c *Client) missing(ctx context.Context, p apiPath) (bool, error) {
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(p, ""), nil)
	if err != nil {
		return false, err
	}
	_, err = c.do(req, nil)
	if IsNotFound(err) {
		return true, nil
	}
	return false, err
}
