package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const testToken = "ghp_TESTtoken0123456789abcdefABCDEF0123"

// newTestClient serves h on a loopback server; the Client's base URL is the
// server's /api/v3/ root, as for GitHub Enterprise Server.
func newTestClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// Retries are the transport's own tests' business: here a 5xx must reach
	// the caller at once.
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, HTTPClient: srv.Client(), Retry: RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// recorded is what a test handler saw of one request.
type recorded struct {
	Method string
	Path   string // escaped
	Query  string
	Header http.Header
	Body   []byte
}

// recorder stores every request and answers with the next canned response.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) record(req *http.Request) recorded {
	b, _ := io.ReadAll(req.Body)
	rec := recorded{Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery, Header: req.Header.Clone(), Body: b}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return rec
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
		wantURL string
	}{
		{name: "defaults", cfg: Config{Token: "t0ken"}, wantURL: "https://api.github.com/"},
		{name: "token trimmed", cfg: Config{Token: " t0ken\n"}, wantURL: "https://api.github.com/"},
		{name: "ghes", cfg: Config{Token: "t0ken", BaseURL: "https://ghe.example.com"}, wantURL: "https://ghe.example.com/api/v3/"},
		{name: "empty token", cfg: Config{}, wantErr: "token is empty"},
		{name: "blank token", cfg: Config{Token: "  \t"}, wantErr: "token is empty"},
		{name: "token with inner space", cfg: Config{Token: "abc def"}, wantErr: "whitespace or control"},
		{name: "bad base URL", cfg: Config{Token: "t0ken", BaseURL: "ftp://x"}, wantErr: "unsupported scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New error = %v, want containing %q", err, tt.wantErr)
				}
				if tok := strings.TrimSpace(tt.cfg.Token); tok != "" && strings.Contains(err.Error(), tok) {
					t.Fatalf("error %q contains the token", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := c.BaseURL().String(); got != tt.wantURL {
				t.Errorf("BaseURL = %q, want %q", got, tt.wantURL)
			}
		})
	}
}

func TestBaseURLReturnsCopy(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL().Host = "evil.example.com"
	if got := c.BaseURL().Host; got != "api.github.com" {
		t.Fatalf("BaseURL changed through a returned copy: host %q", got)
	}
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		userAgent   string
		wantUA      string
		call        func(ctx context.Context, c *Client) error
		wantMethod  string
		wantPath    string
		wantBody    bool
		wantContent string
	}{
		{
			name:   "GET default user agent",
			wantUA: "terraform-provider-ghsecrets",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.GetSecret(ctx, orgSecret(Actions, "acme", "FOO"))
				return err
			},
			wantMethod: http.MethodGet,
			wantPath:   "/api/v3/orgs/acme/actions/secrets/FOO",
		},
		{
			name:      "PUT with JSON body and custom user agent",
			userAgent: "terraform-provider-ghsecrets/1.2.3",
			wantUA:    "terraform-provider-ghsecrets/1.2.3",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.SetSelectedRepositories(ctx, orgSecret(Actions, "acme", "FOO"), []int64{1})
				return err
			},
			wantMethod:  http.MethodPut,
			wantPath:    "/api/v3/orgs/acme/actions/secrets/FOO/repositories",
			wantBody:    true,
			wantContent: "application/json",
		},
		{
			name:   "DELETE escapes path segments",
			wantUA: "terraform-provider-ghsecrets",
			call: func(ctx context.Context, c *Client) error {
				return c.DeleteSecret(ctx, must(envScope("acme", "api", "a/b?c #..").Secret("FOO")))
			},
			wantMethod: http.MethodDelete,
			wantPath:   "/api/v3/repos/acme/api/environments/a%2Fb%3Fc%20%23../secrets/FOO",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				if r.Method == http.MethodGet {
					writeJSON(w, http.StatusOK, map[string]any{"name": "FOO", "visibility": "all", "updated_at": "2020-01-01T00:00:00Z"})
					return
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			t.Cleanup(srv.Close)
			c, err := New(Config{BaseURL: srv.URL, Token: testToken, UserAgent: tt.userAgent, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.call(t.Context(), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.wantMethod || r.Path != tt.wantPath {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.Path, tt.wantMethod, tt.wantPath)
			}
			want := map[string]string{
				"Accept":               "application/vnd.github+json",
				"X-Github-Api-Version": "2022-11-28",
				"User-Agent":           tt.wantUA,
				"Authorization":        "Bearer " + testToken,
				"Content-Type":         tt.wantContent,
			}
			for k, v := range want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if gotBody := len(r.Body) > 0; gotBody != tt.wantBody {
				t.Errorf("body sent = %v, want %v", gotBody, tt.wantBody)
			}
		})
	}
}
