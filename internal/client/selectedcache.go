package client

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// SelectedRepositoryIDs returns the ids, sorted, of the repositories that can
// use an organization secret of visibility "selected". The list is read once
// per secret for the Client's life (names case-insensitive) and concurrent
// callers share one read, so N lookups of one secret cost one listing. This
// Client's own changes to the list (SetSelectedRepositories,
// AddSelectedRepository, RemoveSelectedRepository) make the next call read it
// again. GitHub's 404 (no such secret) and 409 (secret not selected) are kept
// like a list; other failures are not kept.
func (c *Client) SelectedRepositoryIDs(ctx context.Context, a Address) ([]int64, error) {
	list, err := c.SelectedRepositoryList(ctx, a, RepositoryList{})
	return list.IDs, err
}

// RepositoryList is a secret's repository ids with the ETag GitHub sent for
// them (set only when the list fits in one page).
type RepositoryList struct {
	IDs  []int64
	ETag string
}

// SelectedRepositoryList is SelectedRepositoryIDs with a conditional read:
// when known carries an ETag from an earlier run and the list has not
// changed since, GitHub answers 304, which does not count against the rate
// limit, and known.IDs is the answer.
func (c *Client) SelectedRepositoryList(ctx context.Context, a Address, known RepositoryList) (RepositoryList, error) {
	if err := checkListScope(a); err != nil {
		return RepositoryList{}, err
	}
	list, err := c.selected.get(ctx, a.Key(), func(ctx context.Context) (RepositoryList, error) {
		return c.fetchSelected(ctx, a, known)
	})
	if err != nil {
		return RepositoryList{}, err
	}
	return RepositoryList{IDs: slices.Clone(list.IDs), ETag: list.ETag}, nil // a copy, so callers cannot change the cache
}

// keptListError reports the answers about a list that are kept like lists:
// no such secret, or a secret that is not selected.
func keptListError(err error) bool { return IsNotFound(err) || IsConflict(err) }

// fetchSelected reads a secret's list, conditionally when known has an ETag.
// A list longer than a page is read in full and gets no ETag.
func (c *Client) fetchSelected(ctx context.Context, a Address, known RepositoryList) (RepositoryList, error) {
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(a.repositoriesPath(), "per_page="+strconv.Itoa(perPage)), nil)
	if err != nil {
		return RepositoryList{}, err
	}
	if known.ETag != "" {
		req.Header.Set("If-None-Match", known.ETag)
	}
	var page repositoriesPage
	resp, err := c.do(req, &page)
	if known.ETag != "" && StatusCode(err) == http.StatusNotModified {
		ids := slices.Clone(known.IDs)
		slices.Sort(ids)
		return RepositoryList{IDs: ids, ETag: known.ETag}, nil
	}
	if err != nil {
		return RepositoryList{}, err
	}
	if err := page.check(); err != nil {
		return RepositoryList{}, fmt.Errorf("GET %s: %s: unexpected response: %w", c.reqPath(req), statusLine(resp.StatusCode), err)
	}
	repos := page.Repositories
	etag := c.responseText(req.Context(), resp.Header.Get("ETag"))
	if _, more := parseLink(resp.Header.Values("Link"))["next"]; more {
		if repos, err = c.ListSelectedRepositories(ctx, a); err != nil {
			return RepositoryList{}, err
		}
		etag = ""
	}
	ids := make([]int64, 0, len(repos))
	for _, r := range repos {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return RepositoryList{IDs: ids, ETag: etag}, nil
}

// forgetSelectedRepositories drops the kept list of one secret, so the next
// SelectedRepositoryIDs reads it again. A read still in flight keeps serving
// the callers already waiting on it, but no caller after this one.
func (c *Client) forgetSelectedRepositories(a Address) {
	c.selected.forget(a.Key())
}
