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

// The key cache only moves forward. Fetches are ordered by a clock of the
// Client's own (keyClock), ticked when a fetch starts, when one ends and when
// a write is refused. A fetch that started after another one ended read the
// key no earlier than it, so its key is at least as new; of two fetches that
// overlapped, nothing says which key is newer, and the cache keeps the one
// it holds. A write refused for a key waits for a fetch that started after
// the refusal, whose key is newer than the refused one.

// keyCache is what a Client knows of one organization's key.
type keyCache struct {
	installed *keyFetch // the newest key known; nil before the first, or once it was refused
	inflight  *keyFetch // the fetch started last, until it ends
	// floor is the tick a fetch must have started after to be installed:
	// the end of the installed fetch, or the refusal of the key it held.
	floor uint64
}

// keyFetch is one fetch of an org key; done is closed once key or err is set.
type keyFetch struct {
	done       chan struct{}
	start, end uint64 // keyClock ticks
	key        PublicKey
	err        error
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
	return c.orgKey(ctx, org, func(kc *keyCache) (PublicKey, bool) {
		if kc.installed == nil {
			return PublicKey{}, false
		}
		return kc.installed.key, true
	}, 0)
}

// RefreshOrgPublicKey fetches the organization's key again, and returns the
// key of a fetch that started after this call.
func (c *Client) RefreshOrgPublicKey(ctx context.Context, org string) (*PublicKey, error) {
	if org == "" {
		return nil, errEmptyOrg
	}
	c.keyMu.Lock()
	c.keyClock++
	now := c.keyClock
	c.keyMu.Unlock()
	return c.orgKey(ctx, org, nil, now)
}

// keyAfterRefusal returns the key of a fetch that started after a write
// sealed for refusedKeyID was refused, so never that key unless GitHub still
// serves it, and never an older one. The refused key leaves the cache.
func (c *Client) keyAfterRefusal(ctx context.Context, org, refusedKeyID string) (*PublicKey, error) {
	c.keyMu.Lock()
	c.keyClock++
	refusedAt := c.keyClock
	kc := c.keyCacheLocked(org)
	if kc.installed != nil && kc.installed.key.KeyID == refusedKeyID {
		kc.installed = nil
		kc.floor = max(kc.floor, refusedAt)
	}
	c.keyMu.Unlock()
	return c.orgKey(ctx, org, nil, refusedAt)
}

// orgKey returns cached's answer when it has one; else the key of a fetch
// that started after tick after, joining the one in flight when it did.
func (c *Client) orgKey(ctx context.Context, org string, cached func(*keyCache) (PublicKey, bool), after uint64) (*PublicKey, error) {
	for {
		c.keyMu.Lock()
		kc := c.keyCacheLocked(org)
		if cached != nil {
			if key, ok := cached(kc); ok {
				c.keyMu.Unlock()
				return &key, nil
			}
		}
		f, lead := kc.inflight, false
		if f == nil || f.start <= max(after, kc.floor) {
			c.keyClock++
			f = &keyFetch{done: make(chan struct{}), start: c.keyClock}
			kc.inflight, lead = f, true
		}
		c.keyMu.Unlock()
		if lead {
			c.fillKey(ctx, org, kc, f)
		}

		key, err := f.wait(ctx)
		// A fetch that failed only because the caller who started it gave up
		// says nothing about this caller's request: try again.
		if !lead && err != nil && f.abandoned && ctx.Err() == nil {
			continue
		}
		return key, err
	}
}

// keyCacheLocked returns org's cache entry; keyMu must be held.
func (c *Client) keyCacheLocked(org string) *keyCache {
	k := strings.ToLower(org)
	kc, ok := c.keys[k]
	if !ok {
		kc = &keyCache{}
		c.keys[k] = kc
	}
	return kc
}

func (c *Client) fillKey(ctx context.Context, org string, kc *keyCache, f *keyFetch) {
	key, err := c.fetchOrgPublicKey(ctx, org)
	c.keyMu.Lock()
	c.keyClock++
	f.end = c.keyClock
	if kc.inflight == f {
		kc.inflight = nil
	}
	if err != nil {
		f.err = err
		f.abandoned = ctx.Err() != nil
	} else {
		f.key = *key
		if f.start > kc.floor {
			kc.installed, kc.floor = f, f.end
		}
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
