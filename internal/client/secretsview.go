package client

import (
	"context"
	"net/http"
	"strings"
)

// listing is one listing of a scope's secrets, taken at the first lookup and
// shared by every lookup after it, so reading N secrets costs the list's
// pages instead of N requests.
type listing struct {
	byName map[string]Secret // by upper-case name
	// trusted: the listing holds together (see listSecrets) and lists every
	// secret this Client's writes had left in place when it began. Only then
	// is absence from it an answer.
	trusted bool
}

// LookupSecret returns one secret's metadata like GetSecret, but serves it
// from a listing of all the scope's secrets taken once per Client (pages of
// 100). A secret this Client has written or deleted since is fetched on its
// own, so the caller always sees its own writes. A secret missing from a
// listing that holds together is reported as a 404 *ErrorResponse; missing
// from one that contradicts itself, it is fetched on its own, since such a
// listing is no evidence that anything is gone.
func (c *Client) LookupSecret(ctx context.Context, a Address) (*Secret, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	k := a.Key()
	if c.writtenSince(k) {
		return c.GetSecret(ctx, a)
	}
	l, err := c.listings.get(ctx, k.scope, func(ctx context.Context) (listing, error) {
		return c.takeListing(ctx, a.scope)
	})
	if err != nil {
		return nil, err
	}
	s, found := l.byName[k.name]
	switch {
	case c.writtenSince(k), !found && !l.trusted:
		return c.GetSecret(ctx, a)
	case !found:
		return nil, &ErrorResponse{
			StatusCode: http.StatusNotFound,
			Method:     http.MethodGet,
			Path:       c.endpoint(a.path(), "").EscapedPath(),
			Message:    "Not Found (absent from the list of secrets)",
		}
	}
	return &s, nil
}

func (c *Client) takeListing(ctx context.Context, scope Scope) (listing, error) {
	present := c.presentNames(scope)
	secrets, err := c.ListSecrets(ctx, scope)
	if err != nil && !IsInconsistentListing(err) {
		return listing{}, err
	}
	l := listing{byName: make(map[string]Secret, len(secrets)), trusted: err == nil}
	for _, s := range secrets {
		l.byName[strings.ToUpper(s.Name)] = s
	}
	for _, name := range present {
		if _, ok := l.byName[name]; !ok {
			l.trusted = false
		}
	}
	return l, nil
}

// writes records what this Client changed, so lookups never answer from a
// listing older than a change the caller made.
type writes struct {
	written map[AddressKey]bool
	// present holds, by scope, the secrets this Client's last write left in
	// place (a PUT, not a DELETE).
	present map[ScopeKey]map[string]bool
}

func (c *Client) writtenSince(k AddressKey) bool {
	c.writesMu.Lock()
	defer c.writesMu.Unlock()
	return c.writes.written[k]
}

func (c *Client) presentNames(scope Scope) []string {
	c.writesMu.Lock()
	defer c.writesMu.Unlock()
	var names []string
	for name := range c.writes.present[scope.Key()] {
		names = append(names, name)
	}
	return names
}

// notePresent records whether this Client's last write of a secret left it
// in place (a PUT) or not (a DELETE).
func (c *Client) notePresent(a Address, present bool) {
	k := a.Key()
	c.writesMu.Lock()
	defer c.writesMu.Unlock()
	if c.writes.present == nil {
		c.writes.present = map[ScopeKey]map[string]bool{}
	}
	if c.writes.present[k.scope] == nil {
		c.writes.present[k.scope] = map[string]bool{}
	}
	if present {
		c.writes.present[k.scope][k.name] = true
	} else {
		delete(c.writes.present[k.scope], k.name)
	}
}

// noteWrite marks a secret as changed by this Client, before the change is
// sent, so no lookup can answer from a listing older than the change.
func (c *Client) noteWrite(a Address) {
	c.writesMu.Lock()
	defer c.writesMu.Unlock()
	if c.writes.written == nil {
		c.writes.written = map[AddressKey]bool{}
	}
	c.writes.written[a.Key()] = true
}
