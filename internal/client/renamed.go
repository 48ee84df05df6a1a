package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// RepositoryMovedError is GitHub's answer to a request naming a repository
// by a name it no longer has: renamed, or transferred to another owner.
// GitHub redirects such requests (301 for reads, 307 for writes) to
// /repositories/{id}; the Client does not follow, since the configuration
// names a repository that is no longer there under that name, and a write
// would land in a repository it does not name.
type RepositoryMovedError struct {
	Method, Path string // the request, as sent
	Status       int    // 301 or 307
	Owner, Repo  string // the name the request used
	ID           int64  // the repository GitHub redirects to
}

func (e *RepositoryMovedError) Error() string {
	return fmt.Sprintf("%s %s: %s: repository %s/%s has been renamed or transferred (GitHub redirects its old name to repository id %d)",
		e.Method, e.Path, statusLine(e.Status), e.Owner, e.Repo, e.ID)
}

// IsRepositoryMoved reports whether err is a request to a repository's
// former name; see RepositoryMovedError.
func IsRepositoryMoved(err error) bool {
	var e *RepositoryMovedError
	return errors.As(err, &e)
}

// repositoryMove is what checkRedirect found: a redirect from
// repos/{owner}/{repo}/... to repositories/{id}/... (paths relative to the
// API root).
type repositoryMove struct {
	owner, repo string
	id          int64
}

func (m *repositoryMove) Error() string { return "repository moved" }

// movedRepository recognises GitHub's redirect of a renamed or transferred
// repository: from under repos/{owner}/{repo} to the same place under
// repositories/{id}. A redirect to another place under repositories/{id} is
// not one (checkRedirect refuses it).
func (c *Client) movedRepository(from, to *url.URL) (*repositoryMove, bool) {
	f := strings.SplitN(c.relativePath(from), "/", 4)
	t := strings.SplitN(c.relativePath(to), "/", 3)
	if len(f) < 3 || f[0] != "repos" || len(t) < 2 || t[0] != "repositories" {
		return nil, false
	}
	id, _ := strconv.ParseInt(t[1], 10, 64)
	owner, repo := segmentText(f[1]), segmentText(f[2])
	if id <= 0 || !nameable(RepoScope(Actions, owner, repo)) {
		return nil, false
	}
	// The same place in the repository: what follows both prefixes.
	in := func(parts []string, n int) string { // under a repository of any name
		return strings.Join(append([]string{"repos", "o", "r"}, parts[n:]...), "/")
	}
	if !samePlace(in(f, 3), in(t, 2)) {
		return nil, false
	}
	return &repositoryMove{owner: owner, repo: repo, id: id}, true
}

// nameable reports whether the constructor took the names it was given.
func nameable(_ Scope, err error) bool { return err == nil }

// segmentText is an escaped path segment's text, or "" when it is not
// escaped right (which no address takes).
func segmentText(seg string) string {
	if text, err := url.PathUnescape(seg); err == nil {
		return text
	}
	return ""
}

// RepositoryFullName returns the owner/name a repository has now, by its id.
func (c *Client) RepositoryFullName(ctx context.Context, id int64) (string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(repositoryByIDPath(id), ""), nil)
	if err != nil {
		return "", err
	}
	var repo struct {
		FullName string `json:"full_name"`
	}
	if _, err := c.do(req, &repo); err != nil {
		return "", err
	}
	return repo.FullName, nil
}
