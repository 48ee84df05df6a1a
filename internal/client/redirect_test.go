package client

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
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
		case r.URL.Path == "/api/v3/orgs/ACME/actions/secrets/public-key":
			if r.Header.Get("Authorization") != "Bearer "+testToken {
				t.Errorf("a redirect within the API host lost the Authorization header")
			}
			writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub})
		case strings.HasSuffix(r.URL.Path, "/public-key"):
			// The same place, spelt as the server prefers.
			http.Redirect(w, r, "/api/v3/orgs/ACME/actions/secrets/public-key", http.StatusFound)
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
		if key, err := c.PublicKey(ctx, orgScope(Actions, "acme")); err != nil || key.KeyID != "k1" {
			t.Errorf("HTTPClient given %v: a redirect within the API host was not followed: %v", given, err)
		}
		_, put307 := c.SetSecretValue(ctx, orgSecret(Actions, "acme", "S307"), []byte("plaintext"), "all", nil)
		_, put308 := c.SetSecretValue(ctx, orgSecret(Actions, "acme", "S308"), []byte("plaintext"), "all", nil)
		_, get301 := c.GetSecret(ctx, orgSecret(Actions, "acme", "S301"))
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
		{to: "https://ghe.example.com/api/v3/orgs/ACME/actions/secrets"},
		{to: "https://GHE.example.com:443/api/v3/orgs/acme/actions/secrets"},
		{to: "https://ghe.example.com/api/v3/elsewhere", wantErr: true},
		{to: "https://ghe.example.com/api/v3/orgs/other/actions/secrets", wantErr: true},
		{to: "https://ghe.example.com/api/v3/orgs/acme/dependabot/secrets", wantErr: true},
		{to: "https://ghe.example.com/orgs/acme/actions/secrets", wantErr: true},
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
	if err := c.checkRedirect(nil)(mk("https://ghe.example.com/api/v3/orgs/acme/actions/secrets"), many); err == nil {
		t.Error("an eleventh redirect was followed")
	}
}

// TestRedirectsStayInTheirPlace: a redirect within the API host to another
// place (another secret, repository, scope or endpoint) is not followed,
// whatever the method: nothing is sent there, and the error names both
// places. A redirect to the same place spelt another way is followed.
func TestRedirectsStayInTheirPlace(t *testing.T) {
	t.Parallel()
	pub, _, _ := newTestKey(t)
	var mu sync.Mutex
	var arrived []string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived = append(arrived, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/public-key"):
			writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub})
		case strings.Contains(r.URL.Path, "/repo-3/"):
			http.Redirect(w, r, "/api/v3/repos/acme/repo-4/actions/secrets/OTHER", http.StatusTemporaryRedirect)
		case strings.Contains(r.URL.Path, "/repo-5/"):
			http.Redirect(w, r, strings.Replace(r.URL.Path, "/repo-5/", "/Repo-5/", 1), http.StatusTemporaryRedirect)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/secrets"):
			http.Redirect(w, r, "/api/v3/repos/acme/repo-4/actions/secrets", http.StatusFound)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, Retry: RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	moveme := must(repoScope(Actions, "acme", "repo-3").Secret("MOVEME"))
	del := c.DeleteSecret(ctx, moveme)
	_, put := c.SetSecretValue(ctx, moveme, []byte("plaintext"), "", nil)
	_, get := c.GetSecret(ctx, moveme)
	_, list := c.ListSecrets(ctx, repoScope(Actions, "acme", "repo-6"))
	for name, err := range map[string]error{"DELETE": del, "PUT": put, "GET": get} {
		if err == nil {
			t.Errorf("%s: a redirect to another secret was followed", name)
			continue
		}
		for _, part := range []string{"MOVEME of repository acme/repo-3", "OTHER of repository acme/repo-4", "307", "not followed"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%s: the error does not say %q: %v", name, part, err)
			}
		}
	}
	if list == nil || !strings.Contains(list.Error(), "repository acme/repo-4") {
		t.Errorf("a listing redirected to another repository's: %v", list)
	}
	if err := c.DeleteSecret(ctx, must(repoScope(Actions, "acme", "repo-5").Secret("SAME"))); err != nil {
		t.Errorf("a redirect to the same secret spelt another way was not followed: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range arrived {
		if strings.Contains(a, "repo-4") {
			t.Errorf("%s was sent to another place", a)
		}
	}
	if !slices.Contains(arrived, "DELETE /api/v3/repos/acme/Repo-5/actions/secrets/SAME") {
		t.Errorf("the same place spelt another way was not reached: %q", arrived)
	}
}

// TestNextPageStaysOnItsListing: a next page link to another listing of the
// same host is not followed; GitHub's own form of a repository's listing,
// repositories/{id}/..., is.
func TestNextPageStaysOnItsListing(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := func(name, next string) {
			if next != "" {
				w.Header().Set("Link", "<"+next+`>; rel="next"`)
			}
			writeJSON(w, http.StatusOK, map[string]any{"total_count": 2, "secrets": []any{
				map[string]any{"name": name, "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"}}})
		}
		switch r.URL.Path {
		case "/api/v3/repos/acme/api/actions/secrets":
			page("ONE", "/api/v3/repositories/7/actions/secrets?page=2")
		case "/api/v3/repositories/7/actions/secrets":
			page("TWO", "")
		case "/api/v3/repos/acme/web/actions/secrets":
			page("ONE", "/api/v3/repos/acme/other/actions/secrets?page=2")
		default:
			t.Errorf("%s %s was asked for", r.Method, r.URL.Path)
			page("STOLEN", "")
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, Retry: RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.ListSecrets(t.Context(), repoScope(Actions, "acme", "api")); err != nil || len(got) != 2 {
		t.Errorf("GitHub's repositories/{id} link: %v, %v", got, err)
	}
	if _, err := c.ListSecrets(t.Context(), repoScope(Actions, "acme", "web")); err == nil ||
		!strings.Contains(err.Error(), "repository acme/other") {
		t.Errorf("a link to another repository's listing: %v", err)
	}
}
