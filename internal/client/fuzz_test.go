package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// FuzzNormalizeBaseURL checks that whatever a user pastes either fails or
// becomes an API root that is safe to send the token to and stays put when
// normalized again.
func FuzzNormalizeBaseURL(f *testing.F) {
	for _, seed := range []string{
		"", "https://github.com", "https://octo.ghe.com/x", "https://ghe.example.com/github/",
		"http://localhost:8080", "http://127.0.0.2/api/v3", "http://[::1]:1/", "http://ghe.example.com",
		"https://user:pa55word@ghe.example.com", "https://ghe.example.com/a%2Fb/../c", "https://ghe.example.com/a b",
		"ftp://x", "ghe.example.com", "https://", "https://:443", "https://ghe.example.com?x#y", "https://[fe80::1%25eth0]/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := NormalizeBaseURL(raw)
		if err != nil {
			checkUserInfoHidden(t, raw, err.Error())
			return
		}
		s := u.String()
		switch {
		case u.Scheme == "https":
		case u.Scheme == "http" && isLoopback(u.Hostname()):
		default:
			t.Fatalf("NormalizeBaseURL(%q) = %q: neither https nor loopback http", raw, s)
		}
		if !strings.HasSuffix(s, "/") || !strings.HasSuffix(u.Path, "/") {
			t.Fatalf("NormalizeBaseURL(%q) = %q: does not end in /", raw, s)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" {
			t.Fatalf("NormalizeBaseURL(%q) = %q: has user info, a query or a fragment, or no host", raw, s)
		}
		again, err := NormalizeBaseURL(s)
		if err != nil {
			t.Fatalf("NormalizeBaseURL(%q) = %q, which does not normalize again: %v", raw, s, err)
		}
		if again.String() != s {
			t.Fatalf("NormalizeBaseURL is not idempotent: %q -> %q -> %q", raw, s, again.String())
		}
	})
}

// checkUserInfoHidden fails when msg repeats the user name, password, query,
// fragment or a path segment of raw, any of which may be a token pasted
// into the URL.
func checkUserInfoHidden(t *testing.T, raw, msg string) {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return
	}
	segments := strings.Split(u.Path, "/")
	if u.Host == "" {
		// Without a scheme the host is the first segment, which may be shown.
		segments = segments[1:]
	}
	parts := append([]string{u.RawQuery, u.Fragment}, segments...)
	if u.User != nil {
		pass, _ := u.User.Password()
		parts = append(parts, u.User.Username(), pass)
	}
	// The example address the message suggests is not the input's.
	msg = strings.ReplaceAll(msg, "https://ghe.example.com", "")
	for _, secret := range parts {
		// Only a distinctive value that occurs nowhere else in raw can be
		// told apart from the rest of the URL.
		if len(secret) >= 6 && strings.Count(raw, secret) == 1 && strings.Contains(msg, secret) {
			t.Fatalf("error for %q repeats a part other than its scheme and host: %s", raw, msg)
		}
	}
}

// FuzzParseLink checks that any Link header parses without a panic into
// lower-case rel names and targets taken verbatim from the header, and that
// what it found reads back the same once written out again.
func FuzzParseLink(f *testing.F) {
	f.Add(`<https://api.github.com/orgs/o/actions/secrets?per_page=100&page=2>; rel="next", <https://api.github.com/orgs/o/actions/secrets?per_page=100&page=3>; rel="last"`, "")
	f.Add(`<a>; rel=next`, `<b>; rel="NEXT prev"`)
	f.Add(`<x>; title="a, b; c\"d"; rel="next"`, `<<y>>; rel=`)
	f.Add(`<`, `>; rel="next"`)
	f.Add(`<z>; rel="next`, `;;,,<>;rel="x"`)
	f.Fuzz(func(t *testing.T, a, b string) {
		values := []string{a, b}
		links := parseLink(values)
		for rel, target := range links {
			if rel == "" || rel != strings.ToLower(rel) || strings.ContainsAny(rel, " \t\r\n") {
				t.Fatalf("parseLink(%q): rel %q is empty, not lower-case or has white space", values, rel)
			}
			if strings.Contains(target, ">") || target != strings.TrimSpace(target) ||
				!strings.Contains(a, target) && !strings.Contains(b, target) {
				t.Fatalf("parseLink(%q): target %q of rel %q is not one <...> of the header", values, target, rel)
			}
		}
		// Writing the links out again must give the same map, where rel
		// names need no escaping.
		var parts []string
		want := make(map[string]string)
		for rel, target := range links {
			if strings.ContainsAny(rel, "\"\\,;=") {
				continue
			}
			parts = append(parts, "<"+target+`>; rel="`+rel+`"`)
			want[rel] = target
		}
		got := parseLink([]string{strings.Join(parts, ", ")})
		if len(got) != len(want) {
			t.Fatalf("parseLink of %q written out again: got %q, want %q", values, got, want)
		}
		for rel, target := range want {
			if got[rel] != target {
				t.Fatalf("parseLink of %q written out again: rel %q is %q, want %q", values, rel, got[rel], target)
			}
		}
	})
}

// fuzzToken is what the fuzzed server may echo: every "$TOKEN" in a fuzzed
// header or body is replaced by it.
const fuzzToken = "ghp_fuzzTOKENdoNotLeak0123456789abcdefgh"

// cannedServer answers every request with one response, in memory.
type cannedServer struct {
	base   *url.URL
	status int
	header http.Header
	body   []byte

	mu        sync.Mutex
	requests  int
	elsewhere []string // requests sent to another origin than base
}

func (s *cannedServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	s.mu.Lock()
	s.requests++
	if !sameOrigin(req.URL, s.base) {
		s.elsewhere = append(s.elsewhere, req.URL.Redacted())
	}
	s.mu.Unlock()
	return &http.Response{
		StatusCode:    s.status,
		Status:        http.StatusText(s.status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        s.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(s.body)),
		ContentLength: int64(len(s.body)),
		Request:       req,
	}, nil
}

// FuzzClientResponses serves fuzzed responses to the read calls and checks
// that the client never panics, never sends the token to another origin,
// never puts the token in an error, stops paging within its guards, and
// succeeds only on a 2xx with what the call promises.
func FuzzClientResponses(f *testing.F) {
	secret := `{"name":"DEPLOY","created_at":"2024-01-10T20:29:14Z","updated_at":"2024-01-10T20:29:14Z","visibility":"all"}`
	f.Add(uint8(0), uint16(200), "application/json; charset=utf-8", `<?page=2>; rel="next"`, "", "4999", "", []byte(`{"total_count":1,"secrets":[`+secret+`]}`))
	f.Add(uint8(0), uint16(200), "application/json", `<https://evil.example/$TOKEN>; rel="next"`, "", "", "", []byte(`{"total_count":0,"secrets":[]}`))
	f.Add(uint8(1), uint16(200), "application/json", "", "", "", "", []byte(secret))
	f.Add(uint8(2), uint16(200), "application/json", "", "", "", "", []byte(`{"key_id":"1","key":"c2hvcnQ="}`))
	f.Add(uint8(2), uint16(403), "application/json", "", "", "0", "1700000000", []byte(`{"message":"API rate limit exceeded for $TOKEN"}`))
	f.Add(uint8(0), uint16(429), "application/json", "", "60", "", "", []byte(`{"message":"You have exceeded a secondary rate limit"}`))
	f.Add(uint8(2), uint16(200), "application/json", "", "", "", "", []byte(`{"key_id":"1","key":"$TOKEN"}`))
	f.Add(uint8(1), uint16(502), "text/html", "", "", "", "", []byte(`<html>bad gateway</html>`))
	f.Fuzz(func(t *testing.T, op uint8, status uint16, contentType, link, retryAfter, remaining, reset string, body []byte) {
		echo := func(s string) string { return strings.ReplaceAll(s, "$TOKEN", fuzzToken) }
		header := http.Header{}
		for name, v := range map[string]string{
			"Content-Type": contentType, "Link": link, "Retry-After": retryAfter,
			"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset,
		} {
			if v != "" {
				header.Set(name, echo(v))
			}
		}
		code := int(status)
		if code < 100 || code > 599 {
			code = 100 + code%500
		}
		srv := &cannedServer{
			base:   mustParseURL(t, defaultBaseURL),
			status: code,
			header: header,
			body:   bytes.ReplaceAll(body, []byte("$TOKEN"), []byte(fuzzToken)),
		}
		c, err := New(Config{
			Token:      fuzzToken,
			HTTPClient: &http.Client{Transport: srv},
			// Retries would only repeat the same canned answer, slowly.
			Retry: RetryPolicy{MaxRetries: -1, MaxRateLimitWait: -1},
		})
		if err != nil {
			t.Fatal(err)
		}
		// A guard against a client that waits where it should not.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()

		var key *PublicKey
		var list []Secret
		switch op % 3 {
		case 0:
			list, err = c.ListSecrets(ctx, orgScope(Actions, "octo-org"))
		case 1:
			_, err = c.GetSecret(ctx, orgSecret(Actions, "octo-org", "DEPLOY"))
		case 2:
			key, err = c.PublicKey(ctx, orgScope(Actions, "octo-org"))
		}

		if ctx.Err() != nil {
			t.Fatalf("the call waited for its context to end: %v", err)
		}
		if len(srv.elsewhere) > 0 {
			t.Fatalf("the token was sent to another origin: %q", srv.elsewhere)
		}
		if srv.requests > maxPages*(1+maxPrimaryRetries) {
			t.Fatalf("%d requests for one call", srv.requests)
		}
		if err != nil {
			// Case-insensitively: a lower-cased token is still most of it.
			if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(fuzzToken)) {
				t.Fatalf("error contains the token: %v", err)
			}
			checkAPIError(t, err, srv.status, header)
			return
		}
		if srv.status < 200 || srv.status > 299 {
			t.Fatalf("status %d, yet no error", srv.status)
		}
		switch {
		case op%3 == 0 && list == nil:
			t.Fatal("ListOrgSecrets succeeded with a nil list")
		case op%3 == 2 && key.KeyID == "":
			t.Fatal("GetOrgPublicKey succeeded without a key_id")
		case op%3 == 2:
			if _, err := decodePublicKey(key.Key); err != nil {
				t.Fatalf("GetOrgPublicKey succeeded with an unusable key: %v", err)
			}
		}
	})
}

// checkAPIError checks that a non-2xx answer came back as the typed error
// for its status, and a rate-limit error only for what GitHub sends.
func checkAPIError(t *testing.T, err error, status int, header http.Header) {
	t.Helper()
	if status >= 200 && status <= 299 {
		return // a 2xx that failed to decode or check
	}
	if got := StatusCode(err); got != status {
		t.Fatalf("status %d came back as %T with status %d: %v", status, err, got, err)
	}
	var rl *RateLimitError
	if errors.As(err, &rl) &&
		(status != http.StatusForbidden && status != http.StatusTooManyRequests ||
			strings.TrimSpace(header.Get("X-RateLimit-Remaining")) != "0") {
		t.Fatalf("status %d with X-RateLimit-Remaining %q became a RateLimitError", status, header.Get("X-RateLimit-Remaining"))
	}
}

func mustParseURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
