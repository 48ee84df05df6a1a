package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetOrgPublicKeySharesOneRequest(t *testing.T) {
	t.Parallel()
	pubB64, _, _ := newTestKey(t)
	var calls atomic.Int32
	release := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release // hold the fetch open so the callers pile up
		writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pubB64})
	}))

	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		org := "acme"
		if i%2 == 1 {
			org = "ACME" // org names are case-insensitive
		}
		wg.Go(func() {
			key, err := c.PublicKey(t.Context(), orgScope(Actions, org))
			if err == nil && (key.KeyID != "k1" || key.Key != pubB64) {
				err = fmt.Errorf("got key %+v", key)
			}
			errs <- err
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("%d requests for %d concurrent callers, want 1", got, n)
	}

	key, _ := c.PublicKey(t.Context(), orgScope(Actions, "Acme"))
	key.KeyID = "changed by the caller"
	if again, _ := c.PublicKey(t.Context(), orgScope(Actions, "acme")); again.KeyID != "k1" {
		t.Fatalf("cache changed through a returned key: %q", again.KeyID)
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("%d requests after cached reads, want 1", got)
	}
}

func TestGetOrgPublicKeyFailureNotCached(t *testing.T) {
	t.Parallel()
	pubB64, _, _ := newTestKey(t)
	tests := []struct {
		name    string
		fail    func(w http.ResponseWriter)
		wantErr func(error) bool
	}{
		{
			name: "server error",
			fail: func(w http.ResponseWriter) {
				writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "boom"})
			},
			wantErr: func(err error) bool { return StatusCode(err) == 500 },
		},
		{
			name:    "not found",
			fail:    func(w http.ResponseWriter) { writeJSON(w, http.StatusNotFound, map[string]any{"message": "Not Found"}) },
			wantErr: IsNotFound,
		},
		{
			name:    "key not base64",
			fail:    func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, map[string]any{"key_id": "k0", "key": "%%%"}) },
			wantErr: func(err error) bool { return err != nil && StatusCode(err) == 0 },
		},
		{
			name:    "no key_id",
			fail:    func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, map[string]any{"key": pubB64}) },
			wantErr: func(err error) bool { return err != nil && StatusCode(err) == 0 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tt.fail(w)
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pubB64})
			}))
			if _, err := c.PublicKey(t.Context(), orgScope(Actions, "acme")); !tt.wantErr(err) {
				t.Fatalf("first fetch error = %v", err)
			}
			for range 2 {
				key, err := c.PublicKey(t.Context(), orgScope(Actions, "acme"))
				if err != nil || key.KeyID != "k1" {
					t.Fatalf("after failure: key %+v, err %v", key, err)
				}
			}
			if got := calls.Load(); got != 2 {
				t.Fatalf("%d requests, want 2 (the failure retried once, then cached)", got)
			}
		})
	}
}

func TestRefreshOrgPublicKey(t *testing.T) {
	t.Parallel()
	pubB64, _, _ := newTestKey(t)
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{"key_id": fmt.Sprintf("k%d", n), "key": pubB64})
	}))
	ctx := t.Context()
	steps := []struct {
		refresh bool
		org     string
		wantID  string
	}{
		{org: "acme", wantID: "k1"},
		{org: "acme", wantID: "k1"},
		{refresh: true, org: "ACME", wantID: "k2"},
		{org: "acme", wantID: "k2"},
		{org: "other", wantID: "k3"},
		{org: "acme", wantID: "k2"},
	}
	for i, s := range steps {
		get := c.PublicKey
		if s.refresh {
			get = c.RefreshPublicKey
		}
		key, err := get(ctx, orgScope(Actions, s.org))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if key.KeyID != s.wantID {
			t.Fatalf("step %d: key_id %q, want %q", i, key.KeyID, s.wantID)
		}
	}
}

func TestGetOrgPublicKeyCanceledLeaderDoesNotFailWaiters(t *testing.T) {
	t.Parallel()
	pubB64, _, _ := newTestKey(t)
	var calls atomic.Int32
	firstArrived := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(firstArrived)
			<-r.Context().Done() // the first caller gives up
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pubB64})
	}))

	leaderCtx, cancel := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.PublicKey(leaderCtx, orgScope(Actions, "acme"))
		leaderErr <- err
	}()
	<-firstArrived
	waiter := make(chan error, 1)
	go func() {
		key, err := c.PublicKey(t.Context(), orgScope(Actions, "acme"))
		if err == nil && key.KeyID != "k1" {
			err = fmt.Errorf("got %+v", key)
		}
		waiter <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the waiter join the in-flight fetch
	cancel()

	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error = %v, want context.Canceled", err)
	}
	if err := <-waiter; err != nil {
		t.Errorf("waiter error = %v, want the key", err)
	}
}

func TestGetOrgPublicKeyWaiterContext(t *testing.T) {
	t.Parallel()
	pubB64, _, _ := newTestKey(t)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pubB64})
	}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := c.PublicKey(t.Context(), orgScope(Actions, "acme")); err != nil {
			t.Errorf("leader: %v", err)
		}
	}()
	<-arrived
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.PublicKey(ctx, orgScope(Actions, "acme")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter error = %v, want its own deadline", err)
	}
	close(release)
	<-done
}
