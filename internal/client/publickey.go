package client

import (
	"context"
	"fmt"
	"net/http"
)

// PublicKey is the key a scope's secret values are sealed for.
type PublicKey struct {
	KeyID string `json:"key_id"`
	Key   string `json:"key"` // base64
}

// The key cache only moves forward (see memo): of two reads of a key that
// overlapped, nothing says which key is newer, and the cache keeps the one
// it holds; a read that started after another ended replaces it. A write
// refused for a key waits for a read that started after the refusal, whose
// key is newer than the refused one. Each scope, and in it each kind, has a
// key of its own: the cache never hands one scope's key to another.

// PublicKey returns the scope's public key. It is read once per scope for
// the Client's life, and concurrent callers share one request; a failed read
// is not kept.
func (c *Client) PublicKey(ctx context.Context, scope Scope) (*PublicKey, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	return keyResult(c.keys.get(ctx, scope.Key(), c.keyFetch(scope)))
}

// RefreshPublicKey reads the scope's key again, and returns the key of a
// read that started after this call.
func (c *Client) RefreshPublicKey(ctx context.Context, scope Scope) (*PublicKey, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	return keyResult(c.keys.fresh(ctx, scope.Key(), c.keyFetch(scope)))
}

// refusedKey is one key of one scope that GitHub refused a write for.
type refusedKey struct {
	scope ScopeKey
	keyID string
}

// keyAfterRefusal returns the key of a read that started after a write
// sealed for refusedKeyID was refused, so never that key unless GitHub still
// serves it, and never an older one. The refused key leaves the cache.
// Every write refused for the same key shares the read started after the
// first refusal: once GitHub refused a key, any later read is newer than it,
// so one rotation costs one read however many writes meet it.
func (c *Client) keyAfterRefusal(ctx context.Context, scope Scope, refusedKeyID string) (*PublicKey, error) {
	return c.keyAfterRefusalOf(ctx, scope.Key(), refusedKeyID, c.keyFetch(scope))
}

// keyAfterRefusalOf is keyAfterRefusal for the key cached under k, read by fetch.
func (c *Client) keyAfterRefusalOf(ctx context.Context, k ScopeKey, refusedKeyID string,
	fetch func(context.Context) (PublicKey, error)) (*PublicKey, error) {
	stale := func(key PublicKey) bool { return key.KeyID == refusedKeyID }
	c.refusedMu.Lock()
	refusedAt, seen := c.refusedAt[refusedKey{k, refusedKeyID}]
	if seen {
		// A read started after the first refusal may be in flight: keep it.
		c.keys.dropIf(k, stale)
	} else {
		refusedAt = c.keys.drop(k, stale)
		c.refusedAt[refusedKey{k, refusedKeyID}] = refusedAt
	}
	c.refusedMu.Unlock()
	return keyResult(c.keys.after(ctx, k, refusedAt, fetch))
}

// keyResult hands out a copy, so callers cannot change the cache.
func keyResult(key PublicKey, err error) (*PublicKey, error) {
	if err != nil {
		return nil, err
	}
	return &key, nil
}

func (c *Client) keyFetch(scope Scope) func(context.Context) (PublicKey, error) {
	return c.keyFetchAt(scope.publicKeyPath(), "")
}

// keyFetchAt reads the public key at p; what, when set, names the key in
// errors of the request.
func (c *Client) keyFetchAt(p apiPath, what string) func(context.Context) (PublicKey, error) {
	return func(ctx context.Context) (PublicKey, error) {
		req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(p, ""), nil)
		if err != nil {
			return PublicKey{}, err
		}
		var key PublicKey
		if _, err := c.do(req, &key); err != nil {
			if what != "" {
				err = fmt.Errorf("%s: %w", what, err)
			}
			return PublicKey{}, err
		}
		if key.KeyID == "" {
			return PublicKey{}, fmt.Errorf("GET %s: response has no key_id", c.reqPath(req))
		}
		if _, err := decodePublicKey(key.Key); err != nil {
			return PublicKey{}, fmt.Errorf("GET %s: %w", c.reqPath(req), err)
		}
		return key, nil
	}
}
