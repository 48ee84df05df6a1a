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
	all := make([]T, 0)
	next := c.endpoint(p, "per_page="+strconv.Itoa(perPage))
	seen := make(map[string]bool)
	for page := 1; ; page++ {
		req, err := c.newRequest(ctx, http.MethodGet, next, nil)
		if err != nil {
			return nil, err
		}
		seen[req.URL.String()] = true

		var pg P
		resp, err := c.do(req, &pg)
		if err != nil {
			return nil, err
		}
		// A page that decodes but lacks what GitHub always sends (a proxy's
		// stub, a truncated answer) must not read as "no items": that would
		// make managed objects look deleted.
		if v, ok := any(&pg).(interface{ check() error }); ok {
			if err := v.check(); err != nil {
				return nil, fmt.Errorf("GET %s: %s: unexpected response: %w", c.reqPath(req), statusLine(resp.StatusCode), err)
			}
		}
		all = append(all, items(&pg)...)

		target, ok := parseLink(resp.Header.Values("Link"))["next"]
		if !ok || target == "" {
			return all, nil
		}
		u, err := req.URL.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("GET %s: invalid next page link %q", c.reqPath(req), c.responseText(req.Context(), target))
		}
		if !sameOrigin(u, c.baseURL) {
			return nil, fmt.Errorf("GET %s: next page link points to %s://%s, not the configured API host %s; refusing to send the token there",
				c.reqPath(req), c.responseText(req.Context(), u.Scheme), c.responseText(req.Context(), u.Host), c.baseURL.Host)
		}
		if !c.sameListing(p, u) {
			return nil, fmt.Errorf("GET %s: next page link points to %s, not to this listing; not followed",
				c.reqPath(req), c.responseText(req.Context(), describePath(c.relativePath(u))))
		}
		if seen[u.String()] {
			return nil, fmt.Errorf("GET %s: next page link repeats an already fetched page (%s)", c.reqPath(req), c.responseText(req.Context(), u.String()))
		}
		if page >= maxPages {
			return nil, fmt.Errorf("GET %s: more than %d pages, giving up", c.reqPath(req), maxPages)
		}
		next = u
	}
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
