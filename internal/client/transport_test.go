package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// fakeClock is a clock whose sleeps return at once and move it forward.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	// Whole seconds, as X-RateLimit-Reset has them; near the real time so
	// RateLimitError's "in ..." is meaningful.
	return &fakeClock{t: time.Now().Truncate(time.Second)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// recLogger records every log call.
type recLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

type logEntry struct {
	level, msg string
	fields     map[string]any
}

func (l *recLogger) add(level, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cp := make(map[string]any, len(f))
	for k, v := range f {
		cp[k] = v
	}
	l.entries = append(l.entries, logEntry{level, msg, cp})
}

func (l *recLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add("debug", msg, f) }
func (l *recLogger) Info(_ context.Context, msg string, f map[string]any)  { l.add("info", msg, f) }
func (l *recLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add("warn", msg, f) }

func (l *recLogger) at(level string) []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, e := range l.entries {
		if e.level == level {
			out = append(out, e)
		}
	}
	return out
}

// waits returns the reasons of the logged waits.
// waits returns the reasons of the waits logged, leaving out the other INFO
// entries (pacing budget changes).
func (l *recLogger) waits() (reasons []string) {
	for _, e := range l.at("info") {
		if r, ok := e.fields["reason"]; ok {
			reasons = append(reasons, fmt.Sprint(r))
		}
	}
	return reasons
}

// newClockedClient serves h and returns a Client on clk whose back-off takes
// the longest step, so waits are predictable.
func newClockedClient(t *testing.T, clk *fakeClock, h http.Handler, cfg Config) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg.BaseURL, cfg.Token, cfg.HTTPClient = srv.URL, testToken, srv.Client()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tr := c.httpClient.Transport.(*transport)
	tr.setClock(clk.now, clk.sleep)
	tr.jitter = func(d time.Duration) time.Duration { return d }
	return c
}

// call sends one request through the Client and returns its error.
func call(ctx context.Context, c *Client, method, path string, body any) error {
	req, err := c.newRequest(ctx, method, c.endpoint(apiPath(path), ""), body)
	if err != nil {
		return err
	}
	_, err = c.do(req, nil)
	return err
}

const secretPath = "orgs/acme/actions/secrets/FOO"

func TestTransportRetriesServerErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			clk := newFakeClock()
			log := &recLogger{}
			c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) <= 2 {
					writeJSON(w, status, map[string]any{"message": "oops"})
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{})
			}), Config{Logger: log})
			if err := call(t.Context(), c, http.MethodGet, secretPath, nil); err != nil {
				t.Fatalf("call: %v", err)
			}
			if got := n.Load(); got != 3 {
				t.Errorf("%d requests, want 3", got)
			}
			// Exponential: 1s then 2s with the jitter at its top.
			if got := clk.slept(); len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
				t.Errorf("slept %v, want [1s 2s]", got)
			}
			reasons := log.waits()
			if want := "server error " + strconv.Itoa(status); len(reasons) != 2 || reasons[0] != want {
				t.Errorf("wait reasons %q, want two of %q", reasons, want)
			}
		})
	}
}

func TestTransportGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusBadGateway, map[string]any{"message": "bad gateway"})
	}), Config{Retry: RetryPolicy{MaxRetries: 2, MaxBackoff: 3 * time.Second}})
	err := call(t.Context(), c, http.MethodGet, secretPath, nil)
	if StatusCode(err) != http.StatusBadGateway || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Fatalf("err = %v, want the last 502", err)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (1 + MaxRetries)", got)
	}
	if got := clk.slept(); len(got) != 2 || got[1] != 2*time.Second {
		t.Errorf("slept %v, want [1s 2s]", got)
	}
}

func TestTransportBackoffCapped(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{})
	}), Config{Retry: RetryPolicy{MaxRetries: 6, MinBackoff: time.Second, MaxBackoff: 5 * time.Second}})
	_ = call(t.Context(), c, http.MethodGet, secretPath, nil)
	want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}
	got := clk.slept()
	if len(got) != len(want) {
		t.Fatalf("slept %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("slept %v, want %v", got, want)
		}
	}
}

func TestTransportFullJitter(t *testing.T) {
	t.Parallel()
	tr := wrapHTTPClient(&http.Client{}, Config{}, func(s string) string { return s }, nil, nil).Transport.(*transport)
	seen := map[bool]bool{}
	for range 200 {
		d := tr.jitter(8 * time.Second)
		if d < 0 || d > 8*time.Second {
			t.Fatalf("jitter %v outside [0, 8s]", d)
		}
		seen[d < 4*time.Second] = true
	}
	if len(seen) != 2 {
		t.Errorf("200 draws all fell in one half of the range")
	}
}

func TestTransportRetriesConnectionErrorAndReplaysBody(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	clk := newFakeClock()
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		n := len(bodies)
		mu.Unlock()
		if n <= 2 {
			// Drop the connection without an answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			_ = conn.Close()
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}), Config{})
	body := map[string]any{"encrypted_value": "c2VhbGVk", "key_id": "k1", "visibility": "all"}
	if err := call(t.Context(), c, http.MethodPut, secretPath, body); err != nil {
		t.Fatalf("call: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 3 {
		t.Fatalf("%d requests, want 3", len(bodies))
	}
	for i, b := range bodies {
		if b != bodies[0] || !strings.Contains(b, `"key_id":"k1"`) {
			t.Errorf("body %d = %q, want %q", i, b, bodies[0])
		}
	}
}

func TestTransportNoRetryOnClientErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 409, 422, 429} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			clk := newFakeClock()
			c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				writeJSON(w, status, map[string]any{"message": "no"})
			}), Config{})
			if err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{}); StatusCode(err) != status {
				t.Fatalf("err = %v, want %d", err, status)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
			if got := clk.slept(); len(got) != 0 {
				t.Errorf("slept %v, want no wait", got)
			}
		})
	}
}

func TestTransportPrimaryRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		resetIn   time.Duration
		wantCalls int32
		wantErr   bool
	}{
		{"reset within the bound is waited for", 90 * time.Second, 2, false},
		{"reset beyond the bound fails fast", 10 * time.Minute, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			clk := newFakeClock()
			start := clk.now()
			reset := start.Add(tt.resetIn)
			var retriedAt time.Time
			c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-RateLimit-Limit", "5000")
				if n.Add(1) == 1 {
					w.Header().Set("X-RateLimit-Remaining", "0")
					w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
					writeJSON(w, http.StatusForbidden, map[string]any{"message": "API rate limit exceeded"})
					return
				}
				retriedAt = clk.now()
				w.Header().Set("X-RateLimit-Remaining", "4999")
				writeJSON(w, http.StatusOK, map[string]any{})
			}), Config{})
			err := call(t.Context(), c, http.MethodGet, secretPath, nil)
			if got := n.Load(); got != tt.wantCalls {
				t.Errorf("%d requests, want %d", got, tt.wantCalls)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("call: %v", err)
				}
				if retriedAt.Before(reset.Add(time.Second)) {
					t.Errorf("retried at +%v, want after the reset at +%v", retriedAt.Sub(start), tt.resetIn)
				}
				return
			}
			var rl *RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("err = %v, want *RateLimitError", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "retry after "+reset.UTC().Format(time.RFC3339)+" (in ") {
				t.Errorf("message %q does not say when to retry", msg)
			}
			if got := clk.slept(); len(got) != 0 {
				t.Errorf("slept %v, want none", got)
			}
		})
	}
}

func TestTransportPrimaryRateLimitPreemptive(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	start := clk.now()
	reset := start.Add(30 * time.Second)
	var arrivals []time.Time
	var mu sync.Mutex
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, clk.now())
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "5000")
		if n.Add(1) == 1 {
			// The last request of the hour is still answered.
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	}), Config{})
	for range 2 {
		if err := call(t.Context(), c, http.MethodGet, secretPath, nil); err != nil {
			t.Fatalf("call: %v", err)
		}
	}
	if len(arrivals) != 2 || arrivals[1].Before(reset.Add(time.Second)) {
		t.Fatalf("arrivals %v, want the second after the reset %v", arrivals, reset)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("%d requests, want 2: none rejected", got)
	}
}

func TestRetryAdvice(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		reset time.Time
		want  string
	}{
		{time.Time{}, "retry later"},
		{now.Add(4*time.Minute + 30*time.Second), "retry after 2026-03-01T12:04:30Z (in 4m30s)"},
		{now.Add(-time.Minute), "retry after 2026-03-01T11:59:00Z"},
		{now.Add(2 * time.Hour).In(time.FixedZone("X", 3600)), "retry after 2026-03-01T14:00:00Z (in 2h0m0s)"},
	}
	for _, tt := range tests {
		if got := retryAdvice(tt.reset, now); got != tt.want {
			t.Errorf("retryAdvice(%v) = %q, want %q", tt.reset, got, tt.want)
		}
	}
}

// secondaryHandler rejects the first reject requests with a secondary-limit
// 403 and answers the rest.
func secondaryHandler(n *atomic.Int32, reject int32, status int, header map[string]string, message string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "4000")
		if n.Add(1) <= reject {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			writeJSON(w, status, map[string]any{
				"message":           message,
				"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
			})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	})
}

func TestTransportSecondaryRetryAfter(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	date := clk.now().Add(42 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name     string
		status   int
		header   map[string]string
		message  string
		wantWait time.Duration
	}{
		{"seconds", 403, map[string]string{"Retry-After": "7"}, "You have exceeded a secondary rate limit.", 7 * time.Second},
		{"HTTP date", 403, map[string]string{"Retry-After": date}, "You have exceeded a secondary rate limit.", 42 * time.Second},
		{"429 with only Retry-After", 429, map[string]string{"Retry-After": "3"}, "slow down", 3 * time.Second},
		{"zero is not a tight loop", 403, map[string]string{"Retry-After": "0"}, "You have exceeded a SECONDARY RATE LIMIT", time.Second},
		{"documentation link only", 403, nil, "Forbidden", time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			clk := &fakeClock{t: clk.now()}
			log := &recLogger{}
			c := newClockedClient(t, clk, secondaryHandler(&n, 1, tt.status, tt.header, tt.message), Config{Logger: log})
			if err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{}); err != nil {
				t.Fatalf("call: %v", err)
			}
			if got := n.Load(); got != 2 {
				t.Errorf("%d requests, want 2", got)
			}
			if got := clk.slept(); len(got) != 1 || got[0] != tt.wantWait {
				t.Errorf("slept %v, want [%v]", got, tt.wantWait)
			}
			if reasons := log.waits(); len(reasons) != 1 || reasons[0] != "secondary rate limit" {
				t.Errorf("wait reasons %q", reasons)
			}
		})
	}
}

// TestTransportSecondaryBacksOffWithinTheBound: rejections without
// Retry-After wait longer each time, and the request fails once waiting
// again would take it past MaxRateLimitWait, however few retries that is.
func TestTransportSecondaryBacksOffWithinTheBound(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	c := newClockedClient(t, clk, secondaryHandler(&n, 1000, 403, nil, "You have exceeded a secondary rate limit."),
		Config{Retry: RetryPolicy{MaxRetries: 1, SecondaryMinWait: 2 * time.Minute, MaxRateLimitWait: 30 * time.Minute}})
	err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{})
	if StatusCode(err) != http.StatusForbidden || !strings.Contains(err.Error(), "secondary rate limit") {
		t.Fatalf("err = %v, want the 403", err)
	}
	// Each wait at least SecondaryMinWait, doubling up to 15 minutes: 2, 4,
	// 8 and 15 minutes are 29; another 15 would pass the 30.
	want := []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute}
	if got := clk.slept(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if got := n.Load(); got != 5 {
		t.Errorf("%d requests, want 5: MaxRetries does not count rate-limit retries", got)
	}
}

// TestTransportSecondaryRetryAfterRepeated: a server whose Retry-After is
// shorter than its window is waited out a minute, then longer, and never
// fails the request while the waits stay within MaxRateLimitWait.
func TestTransportSecondaryRetryAfterRepeated(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	c := newClockedClient(t, clk, secondaryHandler(&n, 4, 403, map[string]string{"Retry-After": "5"}, "You have exceeded a secondary rate limit."),
		Config{Retry: RetryPolicy{MaxRetries: -1, MaxRateLimitWait: 15 * time.Minute}})
	if err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{}); err != nil {
		t.Fatalf("call: %v", err)
	}
	want := []time.Duration{5 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	if got := clk.slept(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", got, want)
	}
}

func TestTransportSecondaryPauseHoldsOtherWrites(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	start := clk.now()
	var mu sync.Mutex
	arrivals := map[string]time.Time{}
	h := secondaryHandler(&n, 1, 403, map[string]string{"Retry-After": "30"}, "You have exceeded a secondary rate limit.")
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals[r.Method+" "+r.URL.Path] = clk.now()
		mu.Unlock()
		h.ServeHTTP(w, r)
	}), Config{})
	if err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{}); err != nil {
		t.Fatalf("call: %v", err)
	}
	// The pause is over for the retried write, so set it up again by hand:
	// a rejection now holds writes to another endpoint and lets reads pass.
	tr := c.httpClient.Transport.(*transport)
	slot, _, _ := tr.pacer.acquire(t.Context(), "PUT x", routes.Write, time.Hour, func(block) {})
	tr.pacer.release(t.Context(), slot, answer{verdict: secondaryLimited, retryAfter: time.Minute})
	paused := clk.now()
	if err := call(t.Context(), c, http.MethodGet, "orgs/acme/actions/secrets", nil); err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := call(t.Context(), c, http.MethodDelete, "orgs/acme/actions/secrets/BAR", nil); err != nil {
		t.Fatalf("write: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := arrivals["GET /api/v3/orgs/acme/actions/secrets"]; !got.Equal(paused) {
		t.Errorf("read sent at +%v, want at once (+%v)", got.Sub(start), paused.Sub(start))
	}
	if got := arrivals["DELETE /api/v3/orgs/acme/actions/secrets/BAR"]; got.Before(paused.Add(time.Minute)) {
		t.Errorf("write sent at +%v, want after the pause ending at +%v", got.Sub(start), paused.Add(time.Minute).Sub(start))
	}
}

func TestTransportContextCancelledDuringWait(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.Handler
		cfg     Config
	}{
		{"server error back-off", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusBadGateway, map[string]any{})
		}), Config{Retry: RetryPolicy{MinBackoff: time.Hour, MaxBackoff: time.Hour}}},
		{"secondary rate limit", secondaryHandler(new(atomic.Int32), 100, 403, map[string]string{"Retry-After": "60"}, "secondary rate limit"), Config{}},
		{"primary rate limit", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(4*time.Minute).Unix(), 10))
			writeJSON(w, http.StatusForbidden, map[string]any{})
		}), Config{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			tt.cfg.BaseURL, tt.cfg.Token, tt.cfg.HTTPClient = srv.URL, testToken, srv.Client()
			c, err := New(tt.cfg) // the real clock
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			err = call(ctx, c, http.MethodGet, secretPath, nil)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("returned after %v, want promptly after the cancel", elapsed)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the context's error", err)
			}
		})
	}
}

func TestTransportLogs(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	clk := newFakeClock()
	log := &recLogger{}
	c := newClockedClient(t, clk, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		w.Header().Set("X-GitHub-Request-Id", "REQ-"+strconv.Itoa(int(i)))
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		if i == 1 {
			writeJSON(w, http.StatusBadGateway, map[string]any{"message": "oops " + r.Header.Get("Authorization")})
			return
		}
		if i == 3 {
			// A hostile server echoing the token in its request id.
			w.Header().Set("X-GitHub-Request-Id", r.Header.Get("Authorization"))
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	}), Config{Logger: log})
	if err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{"encrypted_value": "SEALED-BODY"}); err != nil {
		t.Fatalf("call: %v", err)
	}
	if err := call(t.Context(), c, http.MethodGet, secretPath, nil); err != nil {
		t.Fatalf("call: %v", err)
	}

	debug := log.at("debug")
	if len(debug) != 3 {
		t.Fatalf("%d debug entries, want one per request (3): %v", len(debug), debug)
	}
	wantDebug := []map[string]any{
		{"method": "PUT", "path": "/api/v3/orgs/acme/actions/secrets/FOO", "status": 502, "request_id": "REQ-1", "attempt": 1},
		{"method": "PUT", "path": "/api/v3/orgs/acme/actions/secrets/FOO", "status": 200, "request_id": "REQ-2", "attempt": 2},
		{"method": "GET", "path": "/api/v3/orgs/acme/actions/secrets/FOO", "status": 200, "request_id": "Bearer [REDACTED]", "attempt": 1},
	}
	for i, want := range wantDebug {
		for k, v := range want {
			if got := debug[i].fields[k]; got != v {
				t.Errorf("debug %d: %s = %v, want %v", i, k, got, v)
			}
		}
		if _, ok := debug[i].fields["duration_ms"].(int64); !ok {
			t.Errorf("debug %d: no duration_ms", i)
		}
	}
	info := log.at("info")
	if len(info) != 1 || info[0].fields["reason"] != "server error 502" || info[0].fields["wait_ms"] != int64(1000) ||
		info[0].fields["method"] != "PUT" || info[0].fields["path"] != "/api/v3/orgs/acme/actions/secrets/FOO" {
		t.Errorf("info entries %v, want one wait for the 502", info)
	}
	all := fmt.Sprint(log.entries)
	for _, secret := range []string{testToken, "SEALED-BODY", "oops", "Bearer ghp"} {
		if strings.Contains(all, secret) {
			t.Errorf("logs contain %q: %s", secret, all)
		}
	}
}

func TestNewLeavesGivenHTTPClientAlone(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: 7 * time.Second}
	c, err := New(Config{Token: testToken, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.Timeout != 7*time.Second {
		t.Errorf("given client changed: transport %v, timeout %v", hc.Transport, hc.Timeout)
	}
	tr, ok := c.httpClient.Transport.(*transport)
	if !ok || tr.wire != http.DefaultTransport || tr.attemptTimeout != 7*time.Second || c.httpClient.Timeout != 0 {
		t.Errorf("client transport %T; want the retrying transport over the default one, the timeout per attempt", c.httpClient.Transport)
	}
}

func TestNewDoesNotWrapTwice(t *testing.T) {
	t.Parallel()
	first, err := New(Config{Token: testToken, HTTPClient: &http.Client{Timeout: 7 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := New(Config{Token: testToken, HTTPClient: first.httpClient})
	if err != nil {
		t.Fatal(err)
	}
	tr := second.httpClient.Transport.(*transport)
	if tr.wire != http.DefaultTransport || tr.base.(*authTransport).base != http.DefaultTransport || tr.attemptTimeout != 7*time.Second {
		t.Errorf("base %T, attempt timeout %v; want the first client's own transport and timeout", tr.base, tr.attemptTimeout)
	}
}

func TestTransportAttemptTimeout(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select { // hang until the client gives the attempt up
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	}))
	t.Cleanup(srv.Close)
	hc := srv.Client()
	hc.Timeout = 100 * time.Millisecond
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, HTTPClient: hc, Retry: RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := call(t.Context(), c, http.MethodGet, secretPath, nil); err != nil {
		t.Fatalf("call: %v, want the timed-out attempt retried", err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
}
