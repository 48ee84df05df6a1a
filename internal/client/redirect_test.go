package client

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRedirectsStayWithTheAPIHost points the API's redirects at another port
// of the same host, which net/http would send the Authorization header (and,
// for 307 and 308, the body) to. Only a redirect to the API root's own
// scheme, host and port is followed; any other stops with an error that
// names the target's host and nothing else of its URL.
func TestRedirectsStayWithTheAPIHost(t *testing.T) {
	t.Parallel()
	pub, _, _ := newTestKey(t)

	var mu sync.Mutex
	var elsewhere []string // what the other origin received
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		// What arrived, never the token or the sealed value themselves.
		elsewhere = append(elsewhere, fmt.Sprintf("%s with Authorization %v and a body of %d bytes",
			r.Method, r.Header.Get("Authorization") != "", len(b)))
		mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]any{})
	}))
	t.Cleanup(other.Close)
	target := other.URL + "/stolen/path?access_token=from-the-location"

	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v3/moved/public-key":
			if r.Header.Get("Authorization") != "Bearer "+testToken {
				t.Errorf("a redirect within the API host lost the Authorization header")
			}
			writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub})
		case strings.HasSuffix(r.URL.Path, "/public-key"):
			http.Redirect(w, r, "/api/v3/moved/public-key", http.StatusFound)
		case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/S307"):
			http.Redirect(w, r, target, http.StatusTemporaryRedirect)
		case r.Method == http.MethodPut:
			http.Redirect(w, r, target, http.StatusPermanentRedirect)
		default:
			http.Redirect(w, r, target, http.StatusMovedPermanently)
		}
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	for _, given := range []bool{false, true} {
		cfg := Config{BaseURL: srv.URL, Token: testToken, Retry: RetryPolicy{MaxRetries: -1}}
		if given {
			cfg.HTTPClient = srv.Client() // follows any redirect by itself
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		if key, err := c.PublicKey(ctx, OrgScope(Actions, "acme")); err != nil || key.KeyID != "k1" {
			t.Errorf("HTTPClient given %v: a redirect within the API host was not followed: %v", given, err)
		}
		_, put307 := c.SetSecretValue(ctx, OrgScope(Actions, "acme"), "S307", []byte("plaintext"), "all", nil)
		_, put308 := c.SetSecretValue(ctx, OrgScope(Actions, "acme"), "S308", []byte("plaintext"), "all", nil)
		_, get301 := c.GetSecret(ctx, OrgScope(Actions, "acme"), "S301")
		otherHost := mustParseURL(t, other.URL).Host
		for name, err := range map[string]error{"307 PUT": put307, "308 PUT": put308, "301 GET": get301} {
			if err == nil {
				t.Errorf("HTTPClient given %v: %s: a redirect to another port was followed", given, name)
				continue
			}
			msg := err.Error()
			if !strings.Contains(msg, otherHost) || !strings.Contains(msg, "redirect") {
				t.Errorf("HTTPClient given %v: %s: the error does not name the redirect's host %s: %s", given, name, otherHost, msg)
			}
			for _, part := range []string{"stolen", "access_token", "from-the-location"} {
				if strings.Contains(msg, part) {
					t.Errorf("HTTPClient given %v: %s: the error repeats the redirect's path or query: %s", given, name, msg)
				}
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) > 0 {
		t.Errorf("the other origin received %d requests: %q", len(elsewhere), elsewhere)
	}
}

func TestCheckRedirectOrigins(t *testing.T) {
	t.Parallel()
	base := mustParseURL(t, "https://ghe.example.com/api/v3/")
	c := &Client{baseURL: base}
	mk := func(raw string) *http.Request {
		return &http.Request{Method: http.MethodGet, URL: mustParseURL(t, raw)}
	}
	via := []*http.Request{mk("https://ghe.example.com/api/v3/orgs/acme/actions/secrets")}
	tests := []struct {
		to      string
		wantErr bool
	}{
		{to: "https://ghe.example.com/api/v3/elsewhere"},
		{to: "https://GHE.example.com:443/api/v3/elsewhere"},
		{to: "https://ghe.example.com:8443/api/v3/", wantErr: true},
		{to: "http://ghe.example.com/api/v3/", wantErr: true},
		{to: "https://api.ghe.example.com/", wantErr: true},
		{to: "https://example.com/", wantErr: true},
	}
	for _, tt := range tests {
		err := c.checkRedirect(nil)(mk(tt.to), via)
		if (err != nil) != tt.wantErr {
			t.Errorf("redirect to %s: error %v, want error %v", tt.to, err, tt.wantErr)
		}
	}
	many := make([]*http.Request, 10)
	for i := range many {
		many[i] = via[0]
	}
	if err := c.checkRedirect(nil)(mk("https://ghe.example.com/api/v3/x"), many); err == nil {
		t.Error("an eleventh redirect was followed")
	}
}
