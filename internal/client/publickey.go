package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// PublicKey is the key an organization's secret values are sealed for.
type PublicKey struct {
	KeyID string `json:"key_id"`
	Key   string `json:"key"` // base64
}

// keyFetch is one fetch of an org key; done is closed once key or err is set.
type keyFetch struct {
	done chan struct{}
	key  PublicKey
	err  error
	// abandoned: the context of the caller that ran the fetch ended first.
	abandoned bool
}

// GetOrgPublicKey returns the organization's Actions public key. The key is
// cached per org (case-insensitive) for the Client's life and concurrent
// callers share one request; a failed fetch is not cached.
func (c *Client) GetOrgPublicKey(ctx context.Context, org string) (*PublicKey, error) {
	if org == "" {
		return nil, errEmptyOrg
	}
	k := strings.ToLower(org)
	for {
		c.keyMu.Lock()
		f, ok := c.keys[k]
		if !ok {
			f = &keyFetch{done: make(chan struct{})}
			c.keys[k] = f
		}
		c.keyMu.Unlock()
		if !ok {
			c.fillKey(ctx, k, org, f)
		}

		key, err := f.wait(ctx)
		// A fetch that failed only because the caller who started it gave up
		// says nothing about this caller's request: try again.
		if ok && err != nil && f.abandoned && ctx.Err() == nil {
			continue
		}
		return key, err
	}
}

// RefreshOrgPublicKey drops the cached key for org and fetches it again.
func (c *Client) RefreshOrgPublicKey(ctx context.Context, org string) (*PublicKey, error) {
	if org == "" {
		return nil, errEmptyOrg
	}
	k := strings.ToLower(org)
	f := &keyFetch{done: make(chan struct{})}
	c.keyMu.Lock()
	c.keys[k] = f // callers arriving from now on share this fetch
	c.keyMu.Unlock()
	c.fillKey(ctx, k, org, f)
	return f.wait(ctx)
}

func (c *Client) fillKey(ctx context.Context, k, org string, f *keyFetch) {
	key, err := c.fetchOrgPublicKey(ctx, org)
	c.keyMu.Lock()
	if err != nil {
		f.err = err
		f.abandoned = ctx.Err() != nil
		if c.keys[k] == f {
			delete(c.keys, k)
		}
	} else {
		f.key = *key
	}
	c.keyMu.Unlock()
	close(f.done)
}

func (f *keyFetch) wait(ctx context.Context) (*PublicKey, error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	key := f.key // a copy, so callers cannot change the cache
	return &key, nil
}

func (c *Client) fetchOrgPublicKey(ctx context.Context, org string) (*PublicKey, error) {
	req, err := c.newRequest(ctx, http.MethodGet, orgSecretsPath(org)+"/public-key", nil)
	if err != nil {
		return nil, err
	}
	var key PublicKey
	if _, err := c.do(req, &key); err != nil {
		return nil, err
	}
	if key.KeyID == "" {
		return nil, fmt.Errorf("GET %s: response has no key_id", c.reqPath(req))
	}
	if _, err := decodePublicKey(key.Key); err != nil {
		return nil, fmt.Errorf("GET %s: %w", c.reqPath(req), err)
	}
	return &key, nil
}
