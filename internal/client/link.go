package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	perPage = 100
	// variablesPerPage is GitHub's largest page of variables.
	variablesPerPage = 30
	// maxPages stops a server that keeps inventing new next links.
	maxPages = 1000
)

// parseLink parses RFC 8288 Link header values into a map from each rel
// value to its target URI. The first link for a rel wins.
func parseLink(values []string) map[string]string {
	links := make(map[string]string)
	for _, v := range values {
		for len(v) > 0 {
			start := strings.IndexByte(v, '<')
			if start < 0 {
				break
			}
			end := strings.IndexByte(v[start:], '>')
			if end < 0 {
				break
			}
			target := strings.TrimSpace(v[start+1 : start+end])
			v = v[start+end+1:]

			// Parameters run to the next comma outside a quoted string.
			params, rest := splitLinkParams(v)
			v = rest
			for _, p := range params {
				name, val, ok := strings.Cut(p, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(name), "rel") {
					continue
				}
				val = strings.Trim(strings.TrimSpace(val), `"`)
				for _, rel := range strings.Fields(val) {
					rel = strings.ToLower(rel)
					if _, seen := links[rel]; !seen {
						links[rel] = target
					}
				}
			}
		}
	}
	return links
}

// splitLinkParams reads the ";"-separated parameters of one link value and
// returns them with the remainder after the separating comma.
func splitLinkParams(s string) (params []string, rest string) {
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '"':
			inQuote = !inQuote
			cur.WriteByte(ch)
		case ch == '\\' && inQuote && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case ch == ';' && !inQuote:
			if p := strings.TrimSpace(cur.String()); p != "" {
				params = append(params, p)
			}
			cur.Reset()
		case ch == ',' && !inQuote:
			if p := strings.TrimSpace(cur.String()); p != "" {
				params = append(params, p)
			}
			return params, s[i+1:]
		default:
			cur.WriteByte(ch)
		}
	}
	if p := strings.TrimSpace(cur.String()); p != "" {
		params = append(params, p)
	}
	return params, ""
}

// listAll fetches every page of the list endpoint p, following rel="next"
// links that stay on the same listing, and returns the items of all pages.
func listAll[P any, T any](ctx context.Context, c *Client, p apiPath, items func(*P) []T) ([]T, error) {
	pg := newPager(c, p, items)
	for {
		_, more, err := pg.next(ctx)
		if err != nil {
			return nil, err
		}
		if !more {
			return pg.items, nil
		}
	}
}

// pager reads the list endpoint p one page at a time, as its caller asks
// for more, following rel="next" links that stay on the same listing; a
// caller that stops early costs only the pages it looked at. It is not safe
// for concurrent use.
type pager[P any, T any] struct {
	c       *Client
	path    apiPath
	pageOf  func(*P) []T
	nextURL *url.URL // nil once the last page is read
	seen    map[string]bool
	pages   int
	// items are every item read so far, in GitHub's order; short is set
	// when a page that is not the last held fewer items than the first,
	// which GitHub never sends: items went missing on their way.
	items    []T
	short    bool
	pageSize int // of the first page, when there is a next
}

func newPager[P any, T any](c *Client, p apiPath, items func(*P) []T) *pager[P, T] {
	return &pager[P, T]{c: c, path: p, pageOf: items, nextURL: c.endpoint(p, "per_page="+strconv.Itoa(pageSize(p))), seen: map[string]bool{}, items: []T{}}
}

// pageSize is the largest page GitHub serves of the listing at p: 30 for
// variables, 100 for the rest.
func pageSize(p apiPath) int {
	if strings.HasSuffix(string(p), "/variables") {
		return variablesPerPage
	}
	return perPage
}

// done reports whether the last page has been read.
func (pg *pager[P, T]) done() bool { return pg.nextURL == nil }

// next reads the next page and returns it; more is false when that was the
// last page (or there was none to read).
func (pg *pager[P, T]) next(ctx context.Context) (page *P, more bool, err error) {
	if pg.nextURL == nil {
		return nil, false, nil
	}
	c := pg.c
	req, err := c.newRequest(ctx, http.MethodGet, pg.nextURL, nil)
	if err != nil {
		return nil, false, err
	}
	pg.seen[req.URL.String()] = true
	pg.pages++

	var p P
	resp, err := c.do(req, &p)
	if err != nil {
		return nil, false, err
	}
	// A page that decodes but lacks what GitHub always sends (a proxy's
	// stub, a truncated answer) must not read as "no items": that would
	// make managed objects look deleted.
	if v, ok := any(&p).(interface{ check() error }); ok {
		if err := v.check(); err != nil {
			return nil, false, fmt.Errorf("GET %s: %s: unexpected response: %w", c.reqPath(req), statusLine(resp.StatusCode), err)
		}
	}
	got := pg.pageOf(&p)
	pg.items = append(pg.items, got...)

	target, ok := parseLink(resp.Header.Values("Link"))["next"]
	if !ok || target == "" {
		pg.nextURL = nil
		return &p, false, nil
	}
	if pg.pages == 1 {
		pg.pageSize = len(got)
	}
	if len(got) < pg.pageSize || len(got) == 0 {
		pg.short = true
	}
	u, err := req.URL.Parse(target)
	if err != nil {
		return nil, false, fmt.Errorf("GET %s: invalid next page link %q", c.reqPath(req), c.responseText(req.Context(), target))
	}
	if !sameOrigin(u, c.baseURL) {
		return nil, false, fmt.Errorf("GET %s: next page link points to %s://%s, not the configured API host %s; refusing to send the token there",
			c.reqPath(req), c.responseText(req.Context(), u.Scheme), c.responseText(req.Context(), u.Host), c.baseURL.Host)
	}
	if !c.sameListing(pg.path, u) {
		return nil, false, fmt.Errorf("GET %s: next page link points to %s, not to this listing; not followed",
			c.reqPath(req), c.responseText(req.Context(), describePath(c.relativePath(u))))
	}
	if pg.seen[u.String()] {
		return nil, false, fmt.Errorf("GET %s: next page link repeats an already fetched page (%s)", c.reqPath(req), c.responseText(req.Context(), u.String()))
	}
	if pg.pages >= maxPages {
		return nil, false, fmt.Errorf("GET %s: more than %d pages, giving up", c.reqPath(req), maxPages)
	}
	pg.nextURL = u
	return &p, true, nil
}

// sameListing reports whether a next page link u continues listing p: the
// same place, or the same place of the repository in GitHub's other form
// of repository paths, repositories/{id}/..., which its links may use.
func (c *Client) sameListing(p apiPath, u *url.URL) bool {
	rel := c.relativePath(u)
	if samePlace(string(p), rel) {
		return true
	}
	under := strings.SplitN(string(p), "/", 4)
	byID := strings.SplitN(rel, "/", 3)
	if len(under) < 4 || under[0] != "repos" || len(byID) < 3 || byID[0] != "repositories" {
		return false
	}
	if id, err := strconv.ParseInt(byID[1], 10, 64); err != nil || id <= 0 {
		return false
	}
	return samePlace(under[3], byID[2])
}

// sameOrigin reports whether u has the scheme and host of base, treating
// default ports as absent.
func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) &&
		strings.EqualFold(hostPort(u), hostPort(base))
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" ||
		(port == "443" && strings.EqualFold(u.Scheme, "https")) ||
		(port == "80" && strings.EqualFold(u.Scheme, "http")) {
		return u.Hostname()
	}
	return net.JoinHostPort(u.Hostname(), port)
}
