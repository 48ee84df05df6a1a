// Package routes is the one table of the GitHub REST endpoints this project
// knows: each endpoint's method, path template, GitHub's operation id and
// documentation page, and its cost class against GitHub's secondary rate
// limits. The client paces by it and the fake GitHub API routes and counts
// by it.
//
// The rows of GitHub's API description are generated (described.go) from the
// secrets family's description in internal/apispec/spec; a new kind or
// scope of secret there becomes rows here, not code. Endpoints the client
// calls or the fake serves that the description leaves out (such as the
// environment writes of a path it describes only for reading) are in
// undescribed.go.
package routes

//go:generate go run ./gen -out described.go ../apispec/spec/secrets-and-variables.api.github.com.json

import (
	"net/http"
	"net/url"
	"strings"
)

// Class is what a request costs against GitHub's secondary rate limits.
type Class int

const (
	// Read is a GET, HEAD or OPTIONS request: 1 point.
	Read Class = iota
	// Write is a POST, PATCH, PUT or DELETE request: 5 points.
	Write
)

// GitHub's documented points per request, and what one endpoint may spend in
// a minute.
const (
	ReadPoints           = 1
	WritePoints          = 5
	EndpointPointsPerMin = 900
)

// ClassOf is the cost class of a request with method, as GitHub counts it.
func ClassOf(method string) Class {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return Read
	}
	return Write
}

// Points is what one request of the class costs.
func (c Class) Points() int {
	if c == Write {
		return WritePoints
	}
	return ReadPoints
}

func (c Class) String() string {
	if c == Write {
		return "write"
	}
	return "read"
}

// Route is one endpoint: a method on a path template.
type Route struct {
	Method    string
	Template  string // e.g. "/orgs/{org}/actions/secrets/{secret_name}"
	Class     Class
	Operation string // GitHub's operationId, e.g. "actions/create-or-update-org-secret"
	Docs      string // GitHub's documentation of the endpoint
}

// Key names the endpoint as GitHub counts its secondary limits: method and
// path template.
func (r Route) Key() string { return r.Method + " " + r.Template }

// Table is every known endpoint.
var Table = append(append([]Route(nil), described...), undescribed...)

// Params are the placeholder values of a matched path, by name.
type Params map[string]string

type compiled struct {
	route Route
	segs  []string
}

var compiledTable = func() []compiled {
	out := make([]compiled, 0, len(Table))
	for _, r := range Table {
		out = append(out, compiled{route: r, segs: split(r.Template)})
	}
	return out
}()

// Match finds the endpoint of a request to path, an escaped API path
// without any /api/v3 prefix: the route of Find's template for method.
func Match(method, path string) (Route, Params, bool) {
	rts, params := Find(path)
	for _, r := range rts {
		if r.Method == method {
			return r, params, true
		}
	}
	return Route{}, nil, false
}

// Find returns the routes of the template path matches, one per method, and
// the path's placeholder values; none when no template matches. path is the
// escaped path as sent (url.URL.EscapedPath): it is split at its slashes
// before each segment is unescaped, so an environment name with a slash in
// it, sent as %2F, is one segment, and the placeholder values are the names
// unescaped. A placeholder matches any non-empty segment. Where templates
// overlap, a literal segment wins over a placeholder, whatever the method, as
// in Go's http.ServeMux: /orgs/{org}/actions/secrets/public-key is the
// public key's path, never a secret's.
func Find(path string) ([]Route, Params) {
	segs := split(path)
	for i, s := range segs {
		// A segment that is not a valid escape is taken as it is.
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	var best []string
	var found []Route
	for _, c := range compiledTable {
		if !matches(c.segs, segs) {
			continue
		}
		switch {
		case best == nil || moreSpecific(c.segs, best):
			best, found = c.segs, []Route{c.route}
		case !moreSpecific(best, c.segs):
			found = append(found, c.route)
		}
	}
	if found == nil {
		return nil, nil
	}
	params := Params{}
	for i, s := range best {
		if name, ok := placeholder(s); ok {
			params[name] = segs[i]
		}
	}
	return found, params
}

func split(path string) []string {
	return strings.Split(strings.Trim(path, "/"), "/")
}

func placeholder(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

func matches(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if _, ok := placeholder(t); ok {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if t != segs[i] {
			return false
		}
	}
	return true
}

// moreSpecific reports whether a has a literal segment where b first has a
// placeholder.
func moreSpecific(a, b []string) bool {
	for i := range a {
		_, pa := placeholder(a[i])
		_, pb := placeholder(b[i])
		if pa != pb {
			return pb
		}
	}
	return false
}
