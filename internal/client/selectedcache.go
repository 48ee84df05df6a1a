package client

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// selectedKey names one secret's repository list: lower-cased org,
// upper-cased secret name, as GitHub compares them.
type selectedKey struct {
	org, name string
}

func newSelectedKey(org, name string) selectedKey {
	return selectedKey{org: strings.ToLower(org), name: strings.ToUpper(name)}
}

// selectedFetch is one read of a secret's repository list; done is closed
// once ids or err is set.
type selectedFetch struct {
	done chan struct{}
	ids  []int64 // sorted ascending
	etag string  // of a list that fits one page; "" otherwise
	err  error
	// abandoned: the context of the caller that ran the fetch ended first.
	abandoned bool
	// joined counts the callers that waited on this fetch instead of sending
	// their own request; tests use it to know every caller has arrived.
	joined int
}

// selectedCache holds one Client's repository lists by secret.
type selectedCache struct {
	mu      sync.Mutex
	entries map[selectedKey]*selectedFetch
}

// SelectedRepositoryIDs returns the ids, sorted, of the repositories that can
// use a secret of visibility "selected". The list is read once per secret for
// the Client's life (org and name case-insensitive) and concurrent callers
// share one read, so N lookups of one secret cost one listing. This Client's
// own changes to the list (SetSelectedRepositories, AddSelectedRepository,
// RemoveSelectedRepository) make the next call read it again. GitHub's 404
// (no such secret) and 409 (secret not selected) are kept like a list; other
// failures are not kept.
func (c *Client) SelectedRepositoryIDs(ctx context.Context, org, name string) ([]int64, error) {
	list, err := c.SelectedRepositoryList(ctx, org, name, RepositoryList{})
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
func (c *Client) SelectedRepositoryList(ctx context.Context, org, name string, known RepositoryList) (RepositoryList, error) {
	if err := checkOrgAndName(org, name); err != nil {
		return RepositoryList{}, err
	}
	sc := &c.selected
	k := newSelectedKey(org, name)
	for {
		sc.mu.Lock()
		f, ok := sc.entries[k]
		if ok {
			f.joined++
		} else {
			f = &selectedFetch{done: make(chan struct{})}
			sc.entries[k] = f
		}
		sc.mu.Unlock()
		if !ok {
			c.fillSelected(ctx, sc, k, org, name, known, f)
		}

		list, err := f.wait(ctx)
		// A fetch that failed only because the caller who started it gave up
		// says nothing about this caller's request: try again. ctx is checked
		// first: abandoned may be read only once done is closed.
		if ok && err != nil && ctx.Err() == nil && f.abandoned {
			continue
		}
		return list, err
	}
}

func (c *Client) fillSelected(ctx context.Context, sc *selectedCache, k selectedKey, org, name string, known RepositoryList, f *selectedFetch) {
	ids, etag, err := c.fetchSelected(ctx, org, name, known)
	sc.mu.Lock()
	if err != nil {
		f.err = err
		f.abandoned = ctx.Err() != nil
		// 404 and 409 are GitHub's answer about the list; anything else may
		// be gone on the next try.
		keep := IsNotFound(err) || IsConflict(err)
		if !keep && sc.entries[k] == f {
			delete(sc.entries, k)
		}
	} else {
		f.ids, f.etag = ids, etag
	}
	sc.mu.Unlock()
	close(f.done)
}

func (f *selectedFetch) wait(ctx context.Context) (RepositoryList, error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		return RepositoryList{}, ctx.Err()
	}
	if f.err != nil {
		return RepositoryList{}, f.err
	}
	return RepositoryList{IDs: slices.Clone(f.ids), ETag: f.etag}, nil // a copy, so callers cannot change the cache
}

// fetchSelected reads a secret's list, conditionally when known has an ETag.
// A list longer than a page is read in full and gets no ETag.
func (c *Client) fetchSelected(ctx context.Context, org, name string, known RepositoryList) ([]int64, string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, fmt.Sprintf("%s?per_page=%d", selectedRepositoriesPath(org, name), perPage), nil)
	if err != nil {
		return nil, "", err
	}
	if known.ETag != "" {
		req.Header.Set("If-None-Match", known.ETag)
	}
	var page repositoriesPage
	resp, err := c.do(req, &page)
	if known.ETag != "" && StatusCode(err) == http.StatusNotModified {
		ids := slices.Clone(known.IDs)
		slices.Sort(ids)
		return ids, known.ETag, nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := page.check(); err != nil {
		return nil, "", fmt.Errorf("GET %s: %s: unexpected response: %w", c.reqPath(req), statusLine(resp.StatusCode), err)
	}
	repos := page.Repositories
	etag := resp.Header.Get("ETag")
	if _, more := parseLink(resp.Header.Values("Link"))["next"]; more {
		if repos, err = c.ListSelectedRepositories(ctx, org, name); err != nil {
			return nil, "", err
		}
		etag = ""
	}
	ids := make([]int64, 0, len(repos))
	for _, r := range repos {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return ids, etag, nil
}

// forgetSelectedRepositories drops the cached list of one secret, so the next
// SelectedRepositoryIDs reads it again. A read still in flight keeps serving
// the callers already waiting on it, but no caller after this one.
func (c *Client) forgetSelectedRepositories(org, name string) {
	sc := &c.selected
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.entries, newSelectedKey(org, name))
}
