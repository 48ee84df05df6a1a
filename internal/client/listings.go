package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// InconsistentListingError is a listing that contradicted itself on each of
// two readings: a page before the last shorter than the first, a
// total_count that changed between pages or differs from what was listed,
// or an item listed twice. The items the caller got may be incomplete; what
// it does with them is its choice (a data source fails, a list resource
// warns and says its result is partial).
type InconsistentListingError struct {
	Of       string // what was listed: "the secrets of repository acme/api (Actions)"
	Reported int    // GitHub's total_count (of the last page read)
	Listed   int    // the items it listed
	Why      string
}

func (e *InconsistentListingError) Error() string {
	return fmt.Sprintf("GitHub's listing of %s contradicted itself on two readings (%s): it reported %d but listed %d, "+
		"so it may be incomplete", e.Of, e.Why, e.Reported, e.Listed)
}

// IsInconsistentListing reports whether err is an InconsistentListingError.
func IsInconsistentListing(err error) bool {
	var e *InconsistentListingError
	return errors.As(err, &e)
}

// IsForbidden reports whether GitHub refused the request for want of
// access (403), as opposed to a rate limit, which also answers 403.
func IsForbidden(err error) bool {
	var rl *RateLimitError
	return StatusCode(err) == http.StatusForbidden && !errors.As(err, &rl)
}

// totalled is a page of a listing that reports its total_count.
type totalled[T any] interface {
	total() int
	list() []T
}

func (p *secretsPage) total() int               { return *p.TotalCount }
func (p *secretsPage) list() []Secret           { return p.Secrets }
func (p *environmentsPage) total() int          { return *p.TotalCount }
func (p *environmentsPage) list() []Environment { return p.Environments }

// scan reads the listing at path page by page, calling yield for each item
// while it asks for more. key is an item's identity: an item listed twice
// in one reading is a contradiction. A reading that contradicts itself is
// done once more from the start, yielding only the items the first did not;
// when the second contradicts itself too, scan returns an
// InconsistentListingError after the items. A caller that stops early is
// told of a contradiction only in the pages it read.
func scan[P any, T any, PP interface {
	*P
	totalled[T]
}](ctx context.Context, c *Client, path apiPath, of string, key func(T) string, check func(T) error, yield func(T) bool) error {
	given := map[string]bool{}
	for reading := 1; ; reading++ {
		pg := newPager(c, path, func(p *P) []T { return PP(p).list() })
		seen := map[string]bool{}
		var totals []int
		why := ""
		stopped := false
		for !pg.done() && !stopped {
			before := len(pg.items)
			page, _, err := pg.next(ctx)
			if err != nil {
				return err
			}
			totals = append(totals, PP(page).total())
			for _, item := range pg.items[before:] {
				if err := check(item); err != nil {
					return err
				}
				k := key(item)
				if seen[k] {
					why = "an item came twice"
				}
				seen[k] = true
				if given[k] {
					continue
				}
				given[k] = true
				if !yield(item) {
					stopped = true
					break
				}
			}
			if totals[len(totals)-1] != totals[0] {
				why = "its total_count changed between pages"
			}
			if pg.short {
				why = "a page before the last was shorter than the first"
			}
		}
		reported := totals[len(totals)-1]
		if why == "" && pg.done() && reported != len(pg.items) {
			why = "its total_count is not the number of items it listed"
		}
		if why == "" {
			return nil
		}
		if stopped || reading == 2 {
			return &InconsistentListingError{Of: of, Reported: reported, Listed: len(pg.items), Why: why}
		}
	}
}

// ScanSecrets calls yield for each secret of scope in GitHub's order (by
// name), reading a page of 100 only when yield has asked for every secret
// of the pages before: a caller that stops early pays only for the pages it
// looked at. A listing that contradicts itself is read once more (see
// scan); after a second contradiction ScanSecrets returns an
// InconsistentListingError, having yielded what both readings held.
func (c *Client) ScanSecrets(ctx context.Context, scope Scope, yield func(Secret) bool) error {
	if err := scope.check(); err != nil {
		return err
	}
	path := scope.secretsPath()
	return scan[secretsPage](ctx, c, path, "the secrets of "+scope.String(),
		func(s Secret) string { return strings.ToUpper(s.Name) },
		func(s Secret) error {
			if scope.HasRepositoryLists() && s.Visibility == "" {
				return fmt.Errorf("GET /%s: secret %s has no visibility", path, s.Name)
			}
			return nil
		}, yield)
}

// ListSecrets returns every secret of a scope, across all pages, by name
// (GitHub's order, also when a second reading added some). A listing that
// contradicts itself twice returns what it held with an
// InconsistentListingError.
func (c *Client) ListSecrets(ctx context.Context, scope Scope) ([]Secret, error) {
	secrets := make([]Secret, 0)
	err := c.ScanSecrets(ctx, scope, func(s Secret) bool { secrets = append(secrets, s); return true })
	slices.SortStableFunc(secrets, func(a, b Secret) int { return strings.Compare(strings.ToUpper(a.Name), strings.ToUpper(b.Name)) })
	return secrets, err
}

// ListEnvironments returns every environment of the repository of scope
// (a repository or environment scope), across all pages (100 a page), in
// GitHub's order. Their names are GitHub's: a caller that addresses one
// makes its scope with EnvScope, which refuses a name GitHub could not have.
// A listing that contradicts itself twice returns what it held with an
// InconsistentListingError.
func (c *Client) ListEnvironments(ctx context.Context, scope Scope) ([]Environment, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	if scope.Repository().IsZero() {
		return nil, fmt.Errorf("%s has no environments: repositories do", scope)
	}
	envs := make([]Environment, 0)
	err := scan[environmentsPage](ctx, c, scope.environmentsPath(),
		fmt.Sprintf("the environments of repository %s/%s", scope.owner, scope.repo),
		func(e Environment) string { return fold(e.Name) },
		func(Environment) error { return nil },
		func(e Environment) bool { envs = append(envs, e); return true })
	return envs, err
}

// orgRepoPages is an organization's repository list read a page at a time
// and shared by the callers of one Client: however many of them walk it,
// each page is fetched once.
type orgRepoPages struct {
	mu sync.Mutex
	pg *pager[[]OrgRepository, OrgRepository]
}

// EachOrgRepository calls yield for each repository of org the token can
// see, in GitHub's order, reading the next page only when yield has had
// every repository of the pages before. The pages read are kept for the
// Client's other callers. A repository that a shifting page lists twice is
// given once.
func (c *Client) EachOrgRepository(ctx context.Context, org string, yield func(OrgRepository) bool) error {
	p, err := orgRepositoriesPath(org)
	if err != nil {
		return err
	}
	c.orgPagesMu.Lock()
	pages := c.orgPages[fold(org)]
	if pages == nil {
		pages = &orgRepoPages{pg: newPager(c, p, func(p *[]OrgRepository) []OrgRepository { return *p })}
		c.orgPages[fold(org)] = pages
	}
	c.orgPagesMu.Unlock()

	seen := map[int64]bool{}
	for i := 0; ; i++ {
		r, ok, err := pages.at(ctx, i)
		if err != nil || !ok {
			return err
		}
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		if !yield(withVisibility(r)) {
			return nil
		}
	}
}

// at is the i-th repository listed, reading pages up to it; ok is false
// past the last.
func (o *orgRepoPages) at(ctx context.Context, i int) (OrgRepository, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.pg.items) <= i && !o.pg.done() {
		if _, _, err := o.pg.next(ctx); err != nil {
			return OrgRepository{}, false, err
		}
	}
	if i < len(o.pg.items) {
		return o.pg.items[i], true, nil
	}
	return OrgRepository{}, false, nil
}

// withVisibility fills in a visibility a server left out (older GitHub
// Enterprise Server) from Private.
func withVisibility(r OrgRepository) OrgRepository {
	if r.Visibility == "" {
		r.Visibility = "public"
		if r.Private {
			r.Visibility = "private"
		}
	}
	return r
}
