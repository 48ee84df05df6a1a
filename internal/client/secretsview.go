package client

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// secretsView is one listing of an organization's secrets, taken at the first
// lookup and shared by every lookup after it, so reading N secrets costs the
// list's pages instead of N requests. done is closed once byName or err is set.
type secretsView struct {
	done   chan struct{}
	byName map[string]Secret // by upper-case name
	// trusted: the listing holds together (see listOrgSecrets) and lists
	// every secret this Client's writes had left in place when it began.
	// Only then is absence from it an answer.
	trusted   bool
	err       error
	abandoned bool // the context of the caller that ran the listing ended first
}

// LookupOrgSecret returns one secret's metadata like GetOrgSecret, but serves
// it from a listing of all the org's secrets taken once per Client (pages of
// 100). A secret this Client has written or deleted since is fetched on its
// own, so the caller always sees its own writes. A secret missing from a
// listing that holds together is reported as a 404 *ErrorResponse; missing
// from one that contradicts itself, it is fetched on its own, since such a
// listing is no evidence that anything is gone.
func (c *Client) LookupOrgSecret(ctx context.Context, org, name string) (*Secret, error) {
	if err := checkOrgAndName(org, name); err != nil {
		return nil, err
	}
	orgKey, nameKey := strings.ToLower(org), strings.ToUpper(name)
	for {
		c.viewMu.Lock()
		if c.written[orgKey][nameKey] {
			c.viewMu.Unlock()
			return c.GetOrgSecret(ctx, org, name)
		}
		v, ok := c.views[orgKey]
		if !ok {
			v = &secretsView{done: make(chan struct{})}
			c.views[orgKey] = v
		}
		c.viewMu.Unlock()
		if !ok {
			c.fillView(ctx, orgKey, org, v)
		}

		select {
		case <-v.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if v.err != nil {
			if ok && v.abandoned && ctx.Err() == nil {
				continue // the listing stopped only because its caller gave up
			}
			return nil, v.err
		}
		c.viewMu.Lock()
		writtenSince := c.written[orgKey][nameKey]
		c.viewMu.Unlock()
		if writtenSince {
			return c.GetOrgSecret(ctx, org, name)
		}
		s, found := v.byName[nameKey]
		if !found && !v.trusted {
			return c.GetOrgSecret(ctx, org, name)
		}
		if !found {
			return nil, &ErrorResponse{
				StatusCode: http.StatusNotFound,
				Method:     http.MethodGet,
				Path:       c.baseURL.Path + orgSecretPath(org, name),
				Message:    "Not Found (absent from the organization's secret list)",
			}
		}
		return &s, nil
	}
}

func (c *Client) fillView(ctx context.Context, orgKey, org string, v *secretsView) {
	c.viewMu.Lock()
	present := slices.Collect(maps.Keys(c.present[orgKey]))
	c.viewMu.Unlock()
	secrets, consistent, err := c.listOrgSecrets(ctx, org)
	c.viewMu.Lock()
	defer c.viewMu.Unlock()
	if err != nil {
		v.err = err
		v.abandoned = ctx.Err() != nil
		if c.views[orgKey] == v {
			delete(c.views, orgKey)
		}
	} else {
		v.byName = make(map[string]Secret, len(secrets))
		for _, s := range secrets {
			v.byName[strings.ToUpper(s.Name)] = s
		}
		v.trusted = consistent
		for _, name := range present {
			if _, ok := v.byName[name]; !ok {
				v.trusted = false
			}
		}
	}
	close(v.done)
}

// notePresent records whether this Client's last write of a secret left it
// in place (a PUT) or not (a DELETE).
func (c *Client) notePresent(org, name string, present bool) {
	orgKey := strings.ToLower(org)
	c.viewMu.Lock()
	defer c.viewMu.Unlock()
	if c.present[orgKey] == nil {
		c.present[orgKey] = make(map[string]bool)
	}
	if present {
		c.present[orgKey][strings.ToUpper(name)] = true
	} else {
		delete(c.present[orgKey], strings.ToUpper(name))
	}
}

// noteWrite marks a secret as changed by this Client, before the change is
// sent, so no lookup can answer from a listing older than the change.
func (c *Client) noteWrite(org, name string) {
	orgKey := strings.ToLower(org)
	c.viewMu.Lock()
	defer c.viewMu.Unlock()
	if c.written[orgKey] == nil {
		c.written[orgKey] = make(map[string]bool)
	}
	c.written[orgKey][strings.ToUpper(name)] = true
}
