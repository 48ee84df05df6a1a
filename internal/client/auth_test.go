package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// tokenWatch serves a fake GitHub on a fake clock and checks every request
// that carries an installation token against the expiry the fake gave it.
type tokenWatch struct {
	clk   *fakeClock
	start time.Time
	fake  *fakegithub.Server
	c     *Client

	mu       sync.Mutex
	expiry   map[string]time.Time // installation token -> its expires_at
	expired  []string             // requests sent with a token past its expiry
	refused  int                  // 401 answers
	requests int
}

func newTokenWatch(t *testing.T, opts fakegithub.Options, retry RetryPolicy) *tokenWatch {
	t.Helper()
	w := &tokenWatch{clk: newFakeClock(), expiry: map[string]time.Time{}}
	w.start = w.clk.now()
	opts.Token, opts.Now = "static-token", w.clk.now
	w.fake = fakegithub.New(opts)
	key, _ := appKey()
	w.fake.AddApp(fakegithub.App{ID: appID, PublicKey: &key.PublicKey, Installations: map[int64]string{appInstallationID: appOrg}})
	srv := httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, App: appAuth(t, "4242"), HTTPClient: srv.Client(), Retry: retry})
	if err != nil {
		t.Fatal(err)
	}
	c.app.now = w.clk.now
	tr := c.httpClient.Transport.(*transport)
	tr.setClock(w.clk.now, w.clk.sleep)
	tr.jitter = func(d time.Duration) time.Duration { return d }
	w.c = c
	return w
}

func (w *tokenWatch) serve(rw http.ResponseWriter, r *http.Request) {
	now := w.clk.now()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	w.mu.Lock()
	w.requests++
	if exp, ok := w.expiry[token]; ok && !now.Before(exp) {
		w.expired = append(w.expired, fmt.Sprintf("%s %s, %v after its token expired", r.Method, r.URL.Path, now.Sub(exp)))
	}
	w.mu.Unlock()

	rec := httptest.NewRecorder()
	w.fake.ServeHTTP(rec, r)
	w.mu.Lock()
	if rec.Code == http.StatusUnauthorized {
		w.refused++
	}
	if strings.HasSuffix(r.URL.Path, "/access_tokens") && rec.Code == http.StatusCreated {
		var body struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		w.expiry[body.Token] = body.ExpiresAt
	}
	w.mu.Unlock()
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.WriteHeader(rec.Code)
	_, _ = rw.Write(rec.Body.Bytes())
}

// TestAppTokenFreshOnEveryAttempt: writes that wait out rate limits for
// longer than an installation token lives still go out with a token that is
// valid when they are sent, never with the one current when they were built.
func TestAppTokenFreshOnEveryAttempt(t *testing.T) {
	t.Parallel()
	const ttl = 4 * time.Minute
	tests := []struct {
		name string
		opts fakegithub.Options
	}{
		// Three writes a minute, and each rejection says to come back in
		// five minutes: longer than a token lives.
		{"secondary limit", fakegithub.Options{Secondary: &fakegithub.SecondaryLimits{WritesPerMinute: 3, RetryAfter: 5 * time.Minute}}},
		// Ten requests an hour, so most writes wait for the hour to reset.
		{"primary limit", fakegithub.Options{PrimaryLimit: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newTokenWatch(t, tt.opts, RetryPolicy{MaxRateLimitWait: 2 * time.Hour})
			w.fake.SetInstallationTokenTTL(ttl)
			for i := range 12 {
				if _, err := w.c.SetSecretValue(t.Context(), orgSecret(Actions, appOrg, fmt.Sprintf("S%d", i)), []byte("v"), "all", nil); err != nil {
					t.Errorf("write %d at +%v: %v", i, w.clk.now().Sub(w.start), err)
					break
				}
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if len(w.expired) > 0 {
				t.Errorf("%d of %d requests went out with an expired token, e.g. %s", len(w.expired), w.requests, w.expired[0])
			}
			if w.refused > 0 {
				t.Errorf("%d requests refused with 401", w.refused)
			}
			longest := time.Duration(0)
			for _, d := range w.clk.slept() {
				longest = max(longest, d)
			}
			if longest <= ttl {
				t.Errorf("longest wait %v; the test needs one longer than a token's life (%v)", longest, ttl)
			}
			if n := w.fake.IssuedTokens(); n < 2 {
				t.Errorf("%d installation tokens issued; the writes should have outlived the first", n)
			}
		})
	}
}

// TestAppTokenRefusedIsRenewedOnce: a 401 for an installation token drops
// it and sends the request again, once, with a new one.
func TestAppTokenRefusedIsRenewedOnce(t *testing.T) {
	t.Parallel()
	w := newTokenWatch(t, fakegithub.Options{}, RetryPolicy{})
	ctx := t.Context()
	if _, err := w.c.SetSecretValue(ctx, orgSecret(Actions, appOrg, "KEPT"), []byte("v1"), "all", nil); err != nil {
		t.Fatal(err)
	}
	w.fake.RevokeInstallationTokens()
	// A write, so its body is sent twice.
	if _, err := w.c.SetSecretValue(ctx, orgSecret(Actions, appOrg, "KEPT"), []byte("v2"), "all", nil); err != nil {
		t.Fatalf("after the token was revoked: %v", err)
	}
	if got, ok := w.fake.SecretValue(appOrg, "KEPT"); !ok || string(got) != "v2" {
		t.Errorf("value %q, want the second write's", got)
	}
	if n := w.fake.IssuedTokens(); n != 2 {
		t.Errorf("%d installation tokens issued, want 2", n)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refused != 1 {
		t.Errorf("%d requests refused, want the one with the revoked token", w.refused)
	}
}

func TestAppTokenRefusedTwiceIsAnError(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	exchanges, calls := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/access_tokens") {
			exchanges++
			writeJSON(w, http.StatusCreated, map[string]any{"token": fmt.Sprintf("ghs_token%d", exchanges), "expires_at": time.Now().Add(time.Hour)})
			return
		}
		calls++
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, App: appAuth(t, "4242"), HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); !IsUnauthorized(err) {
		t.Fatalf("error %v, want the 401", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 || exchanges != 2 {
		t.Errorf("%d requests and %d exchanges, want 2 of each: one renewal, not a loop", calls, exchanges)
	}
}

// TestAuthorizationOnlyToTheAPI: the credential goes to the API's origin
// alone: a redirect elsewhere is not followed, so the other origin sees
// nothing at all.
func TestAuthorizationOnlyToTheAPI(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"total_count": 0, "secrets": []any{}})
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("the API got Authorization %q", r.Header.Get("Authorization"))
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	c, err := New(Config{BaseURL: api.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme")); err == nil || !strings.Contains(err.Error(), "not followed") {
		t.Fatalf("err = %v, want the redirect refused", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) != 0 {
		t.Errorf("the other origin got %d requests (Authorization %q), want none", len(elsewhere), elsewhere)
	}
}
