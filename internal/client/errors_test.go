package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	const doc = "https://docs.github.com/rest/actions/secrets#get-an-organization-secret"
	tests := []struct {
		name        string
		status      int
		header      map[string]string
		body        string
		wantStatus  int
		wantIs      func(error) bool
		wantMsg     string
		wantString  string
		wantRate    bool
		wantReset   time.Time
		wantDetails []ErrorDetail
	}{
		{
			name:       "401",
			status:     401,
			body:       `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`,
			wantStatus: 401, wantIs: IsUnauthorized, wantMsg: "Bad credentials",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 401 Unauthorized: Bad credentials (https://docs.github.com/rest)",
		},
		{
			name:       "404",
			status:     404,
			header:     map[string]string{"X-GitHub-Request-Id": "ABCD:1234"},
			body:       `{"message":"Not Found","documentation_url":"` + doc + `"}`,
			wantStatus: 404, wantIs: IsNotFound, wantMsg: "Not Found",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 404 Not Found: Not Found (" + doc + ")",
		},
		{
			name:       "409",
			status:     409,
			body:       `{"message":"Visibility is not selected","documentation_url":"` + doc + `"}`,
			wantStatus: 409, wantIs: IsConflict, wantMsg: "Visibility is not selected",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 409 Conflict: Visibility is not selected (" + doc + ")",
		},
		{
			name:   "422 with errors",
			status: 422,
			body: `{"message":"Validation Failed","errors":[{"resource":"Secret","field":"visibility","code":"invalid"},"key_id is stale"],` +
				`"documentation_url":"` + doc + `"}`,
			wantStatus: 422, wantIs: IsValidation, wantMsg: "Validation Failed",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 422 Unprocessable Entity: Validation Failed [Secret.visibility invalid; key_id is stale] (" + doc + ")",
			wantDetails: []ErrorDetail{
				{Resource: "Secret", Field: "visibility", Code: "invalid"},
				{Message: "key_id is stale"},
			},
		},
		{
			name:       "403 rate limit",
			status:     403,
			header:     map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1735689600"},
			body:       `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/rate-limit"}`,
			wantStatus: 403, wantMsg: "API rate limit exceeded for user ID 1.",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 403 Forbidden: API rate limit exceeded for user ID 1. (https://docs.github.com/rest/rate-limit); GitHub API rate limit exceeded, retry after 2025-01-01T00:00:00Z",
			wantRate:   true, wantReset: time.Unix(1735689600, 0),
		},
		{
			name:       "429 rate limit without reset",
			status:     429,
			header:     map[string]string{"X-RateLimit-Remaining": "0"},
			body:       `{"message":"slow down"}`,
			wantStatus: 429, wantMsg: "slow down",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 429 Too Many Requests: slow down; GitHub API rate limit exceeded, retry later",
			wantRate:   true,
		},
		{
			name:       "403 permission is not a rate limit",
			status:     403,
			header:     map[string]string{"X-RateLimit-Remaining": "4999"},
			body:       `{"message":"Resource not accessible by integration"}`,
			wantStatus: 403, wantMsg: "Resource not accessible by integration",
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 403 Forbidden: Resource not accessible by integration",
		},
		{
			name:       "HTML from a proxy",
			status:     502,
			header:     map[string]string{"Content-Type": "text/html; charset=utf-8"},
			body:       "<html><body><h1>502 Bad Gateway</h1>" + strings.Repeat("x", 5000) + "</body></html>",
			wantStatus: 502,
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 502 Bad Gateway: non-JSON response body (Content-Type text/html)",
		},
		{
			name:       "empty body",
			status:     503,
			wantStatus: 503,
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 503 Service Unavailable: empty response body",
		},
		{
			name:       "JSON without a message",
			status:     500,
			body:       `{}`,
			wantStatus: 500,
			wantString: "GET /api/v3/orgs/acme/actions/secrets/FOO: 500 Internal Server Error: no error message in response body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if w.Header().Get("Content-Type") == "" && tt.body != "" {
					w.Header().Set("Content-Type", "application/json")
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			_, err := c.GetSecret(t.Context(), orgSecret(Actions, "acme", "FOO"))
			if err == nil {
				t.Fatal("want an error")
			}
			if got := StatusCode(err); got != tt.wantStatus {
				t.Errorf("StatusCode = %d, want %d", got, tt.wantStatus)
			}
			if tt.wantIs != nil && !tt.wantIs(err) {
				t.Errorf("Is* helper false for %v", err)
			}
			if got := err.Error(); got != tt.wantString {
				t.Errorf("Error() =\n  %q\nwant\n  %q", got, tt.wantString)
			}
			if strings.Contains(err.Error(), "<html>") {
				t.Errorf("error repeats the body: %q", err)
			}
			var er *ErrorResponse
			if !errors.As(err, &er) {
				t.Fatalf("errors.As(*ErrorResponse) failed for %T", err)
			}
			if er.Message != tt.wantMsg || er.Method != http.MethodGet || er.Path != "/api/v3/orgs/acme/actions/secrets/FOO" {
				t.Errorf("ErrorResponse = %+v", er)
			}
			if tt.header["X-GitHub-Request-Id"] != "" && er.RequestID != tt.header["X-GitHub-Request-Id"] {
				t.Errorf("RequestID = %q", er.RequestID)
			}
			if tt.wantDetails != nil && len(er.Errors) != len(tt.wantDetails) {
				t.Errorf("Errors = %+v, want %+v", er.Errors, tt.wantDetails)
			}
			for i := range tt.wantDetails {
				if i < len(er.Errors) && er.Errors[i] != tt.wantDetails[i] {
					t.Errorf("Errors[%d] = %+v, want %+v", i, er.Errors[i], tt.wantDetails[i])
				}
			}
			var rl *RateLimitError
			if got := errors.As(err, &rl); got != tt.wantRate {
				t.Fatalf("errors.As(*RateLimitError) = %v, want %v", got, tt.wantRate)
			}
			if tt.wantRate {
				if !rl.Reset.Equal(tt.wantReset) || rl.Remaining != 0 {
					t.Errorf("RateLimitError Reset = %v Remaining = %d, want %v and 0", rl.Reset, rl.Remaining, tt.wantReset)
				}
				if !errors.Is(err, rl.ErrorResponse) {
					t.Errorf("RateLimitError does not unwrap to its ErrorResponse")
				}
			}
		})
	}
}

func TestInvalidJSONOnSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string
		wantErr     string
	}{
		{name: "truncated JSON", contentType: "application/json", body: `{"name":"FOO"`, wantErr: "decoding response body"},
		{name: "trailing garbage", contentType: "application/json", body: `{"name":"FOO"} x`, wantErr: "decoding response body"},
		{name: "HTML login page", contentType: "text/html", body: "<html>Sign in</html>", wantErr: "(Content-Type text/html)"},
		{name: "wrong type", contentType: "application/json", body: `{"name":42}`, wantErr: "decoding response body"},
		{name: "empty", contentType: "application/json", body: "", wantErr: "empty response body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = w.Write([]byte(tt.body))
			}))
			s, err := c.GetSecret(t.Context(), orgSecret(Actions, "acme", "FOO"))
			if err == nil {
				t.Fatalf("got %+v, want an error", s)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) || !strings.Contains(msg, "GET /api/v3/orgs/acme/actions/secrets/FOO") {
				t.Errorf("error = %q, want it to name the request and contain %q", msg, tt.wantErr)
			}
			if StatusCode(err) != 0 {
				t.Errorf("StatusCode = %d, want 0 for a decoding error", StatusCode(err))
			}
		})
	}
}

func TestStatusCodeOfOtherErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, errors.New("x"), context.Canceled, (*ErrorResponse)(nil)} {
		if got := StatusCode(err); got != 0 {
			t.Errorf("StatusCode(%v) = %d, want 0", err, got)
		}
		if IsNotFound(err) || IsConflict(err) || IsValidation(err) || IsUnauthorized(err) {
			t.Errorf("Is* true for %v", err)
		}
	}
}

// TestTokenNeverInErrors drives every kind of failure with a server that
// echoes the Authorization header back wherever it can.
func TestTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-GitHub-Request-Id", auth)
		switch {
		case strings.HasSuffix(r.URL.Path, "/public-key"):
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "bad " + auth, "documentation_url": "https://x/" + auth,
				"errors": []any{map[string]string{"resource": auth, "field": auth, "code": auth, "message": auth}, auth}})
		case strings.HasSuffix(r.URL.Path, "/repositories"):
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>" + auth + "</html>"))
		case r.URL.Path == "/api/v3/orgs/acme/actions/secrets":
			w.Header().Set("Link", `<https://`+auth+`.example.com/x>; rel="next"`)
			writeJSON(w, http.StatusOK, map[string]any{"secrets": []any{}})
		case r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>" + auth + "</html>"))
		default:
			w.Header().Set("X-RateLimit-Remaining", "0")
			writeJSON(w, http.StatusForbidden, map[string]any{"message": auth})
		}
	}))
	ctx := t.Context()
	var errs []error
	_, err := c.PublicKey(ctx, orgScope(Actions, "acme"))
	errs = append(errs, err)
	_, err = c.ListSelectedRepositories(ctx, orgSecret(Actions, "acme", "FOO"))
	errs = append(errs, err)
	_, err = c.ListSecrets(ctx, orgScope(Actions, "acme"))
	errs = append(errs, err)
	_, err = c.GetSecret(ctx, orgSecret(Actions, "acme", "FOO"))
	errs = append(errs, err)
	errs = append(errs, c.DeleteSecret(ctx, orgSecret(Actions, "acme", "FOO")))
	_, err = c.SetSecretValue(ctx, orgSecret(Actions, "acme", "FOO"), []byte("plaintext-value"), "all", nil)
	errs = append(errs, err)
	_, err = New(Config{Token: testToken, BaseURL: "http://x:" + testToken + "@ghe.example.com"})
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: want an error", i)
			continue
		}
		if strings.Contains(err.Error(), testToken) {
			t.Errorf("call %d: error contains the token: %q", i, err)
		}
		var er *ErrorResponse
		if errors.As(err, &er) && strings.Contains(er.RequestID, testToken) {
			// RequestID is a header copied as is; only a hostile server would
			// put the token there, but nothing the package returns may hold it.
			t.Errorf("call %d: RequestID contains the token", i)
		}
	}
}
