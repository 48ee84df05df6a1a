package client

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// keyServer serves one organization key that a test rotates, and refuses a
// PUT sealed for any other. A test can hold a key read before it takes the
// current key (before[n]) or after (after[n], with taken[n] closed once it
// has), so answers taken before a rotation can arrive after answers taken
// since.
type keyServer struct {
	keyB64  string
	current atomic.Int32 // key_id "k<current>"
	reads   atomic.Int32
	puts    atomic.Int32
	before  map[int32]chan struct{}
	taken   map[int32]chan struct{}
	after   map[int32]chan struct{}
}

func (s *keyServer) currentID() string { return keyID(int(s.current.Load()) - 1) }

func (s *keyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		s.puts.Add(1)
		var body struct {
			KeyID string `json:"key_id"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.KeyID != s.currentID() {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Bad key_id"})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{})
		return
	}
	n := s.reads.Add(1)
	if c := s.before[n]; c != nil {
		<-c
	}
	id := s.currentID()
	if c := s.taken[n]; c != nil {
		close(c)
	}
	if c := s.after[n]; c != nil {
		<-c
	}
	writeJSON(w, http.StatusOK, map[string]any{"key_id": id, "key": s.keyB64})
}

func waitFor(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not happen within 10s", what)
	}
}

func waitReads(t *testing.T, s *keyServer, n int32) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.reads.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the server saw %d key reads, want %d", s.reads.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// refreshAsync runs RefreshOrgPublicKey and delivers its key_id.
func refreshAsync(t *testing.T, c *Client) <-chan string {
	out := make(chan string, 1)
	go func() {
		key, err := c.RefreshPublicKey(t.Context(), orgScope(Actions, "acme"))
		if err != nil {
			t.Errorf("RefreshOrgPublicKey: %v", err)
			out <- ""
			return
		}
		out <- key.KeyID
	}()
	return out
}

// TestKeyCacheNeverGoesBack starts refresh A, then refresh B. B takes key k1;
// the key rotates; A takes k2 and finishes; only then does B's answer (k1)
// arrive. B started before A finished, so nothing says its key is newer:
// the cache must keep k2.
func TestKeyCacheNeverGoesBack(t *testing.T) {
	t.Parallel()
	pub, _, _ := newTestKey(t)
	aGo, bTaken, bGo := make(chan struct{}), make(chan struct{}), make(chan struct{})
	srv := &keyServer{keyB64: pub,
		before: map[int32]chan struct{}{1: aGo},
		taken:  map[int32]chan struct{}{2: bTaken},
		after:  map[int32]chan struct{}{2: bGo}}
	srv.current.Store(1)
	c := newTestClient(t, srv)

	a := refreshAsync(t, c)
	waitReads(t, srv, 1)
	b := refreshAsync(t, c)
	waitFor(t, bTaken, "refresh B taking its key")
	srv.current.Store(2)
	close(aGo)
	if got := <-a; got != "k2" {
		t.Fatalf("refresh A got %q, want k2", got)
	}
	close(bGo)
	if got := <-b; got != "k1" {
		t.Fatalf("refresh B got %q, want k1", got)
	}
	key, err := c.PublicKey(t.Context(), orgScope(Actions, "acme"))
	if err != nil {
		t.Fatal(err)
	}
	if key.KeyID != "k2" {
		t.Errorf("the cache holds %s after both refreshes, want the newer k2", key.KeyID)
	}
}

// TestRefusedWriteWaitsForANewerKey holds a key read (F) that took k1 before
// the key rotated. A write sealed for the cached k1 is refused; it must not
// wait for F, which started before the refusal and can only answer k1, but
// read the key again, and land.
func TestRefusedWriteWaitsForANewerKey(t *testing.T) {
	t.Parallel()
	pub, _, _ := newTestKey(t)
	fTaken, fGo := make(chan struct{}), make(chan struct{})
	srv := &keyServer{keyB64: pub,
		taken: map[int32]chan struct{}{2: fTaken},
		after: map[int32]chan struct{}{2: fGo}}
	srv.current.Store(1)
	c := newTestClient(t, srv)
	if key, err := c.PublicKey(t.Context(), orgScope(Actions, "acme")); err != nil || key.KeyID != "k1" {
		t.Fatalf("GetOrgPublicKey = %v, %v", key, err)
	}
	f := refreshAsync(t, c)
	waitFor(t, fTaken, "read F taking its key")
	srv.current.Store(2)

	written := make(chan error, 1)
	go func() {
		_, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte("v"), "all", nil)
		written <- err
	}()
	select {
	case err := <-written:
		if err != nil {
			t.Errorf("SetOrgSecretValue: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the write was still waiting after 10s, for a key read that started before its PUT was refused")
	}
	close(fGo)
	if got := <-f; got != "k1" {
		t.Errorf("read F got %q, want k1", got)
	}
	if key, err := c.PublicKey(t.Context(), orgScope(Actions, "acme")); err != nil || key.KeyID != "k2" {
		t.Errorf("after read F, GetOrgPublicKey = %v, %v; want the newer k2", keyIDOf(key), err)
	}
}

func keyIDOf(k *PublicKey) string {
	if k == nil {
		return "no key"
	}
	return k.KeyID
}
