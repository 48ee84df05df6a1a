package fakegithub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const listPath = "/orgs/" + testOrg + "/actions/secrets"

// newTrafficServer is a Server for testToken and testOrg on a test clock,
// with opts' traffic knobs.
func newTrafficServer(t *testing.T, opts Options) (*Server, *testClock) {
	t.Helper()
	clock := &testClock{t: clockStart}
	opts.Token, opts.Orgs, opts.Now = testToken, []string{testOrg}, clock.Now
	return New(opts), clock
}

// serve sends one authenticated request straight to the handler.
func serve(s *Server, method, path, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func wantCode(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body %s", rec.Code, want, rec.Body)
	}
}

// sealedPut is a valid PUT body for s's current key.
func sealedPut(s *Server, visibility string) string {
	enc, keyID := s.Seal(testOrg, []byte("value"))
	raw, _ := json.Marshal(map[string]any{"encrypted_value": enc, "key_id": keyID, "visibility": visibility})
	return string(raw)
}

func TestLatencyIsHonoured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		latency, jitter time.Duration
		wantCalls       bool
	}{
		{"none", 0, 0, false},
		{"fixed", 250 * time.Millisecond, 0, true},
		{"with jitter", 100 * time.Millisecond, 50 * time.Millisecond, true},
		{"jitter only", 0, 10 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var waits []time.Duration
			sleep := func(_ context.Context, d time.Duration) error {
				mu.Lock()
				defer mu.Unlock()
				waits = append(waits, d)
				return nil
			}
			s, _ := newTrafficServer(t, Options{Latency: tt.latency, LatencyJitter: tt.jitter, Sleep: sleep})
			for range 20 {
				wantCode(t, serve(s, "GET", listPath, ""), http.StatusOK)
			}
			mu.Lock()
			defer mu.Unlock()
			if !tt.wantCalls {
				if len(waits) != 0 {
					t.Fatalf("slept %v without latency", waits)
				}
				return
			}
			if len(waits) != 20 {
				t.Fatalf("slept %d times, want 20", len(waits))
			}
			for _, d := range waits {
				if d < tt.latency || d > tt.latency+tt.jitter {
					t.Errorf("slept %v, want between %v and %v", d, tt.latency, tt.latency+tt.jitter)
				}
			}
			if tt.jitter > 0 && len(slices.Compact(slices.Sorted(slices.Values(waits)))) == 1 {
				t.Errorf("jitter never varied the wait: %v", waits[0])
			}
		})
	}
}

func TestSetLatencyAppliesToLaterRequests(t *testing.T) {
	t.Parallel()
	var got atomic.Int64
	sleep := func(_ context.Context, d time.Duration) error { got.Store(int64(d)); return nil }
	s, _ := newTrafficServer(t, Options{Latency: time.Second, Sleep: sleep})
	serve(s, "GET", listPath, "")
	s.SetLatency(3*time.Second, 0)
	serve(s, "GET", listPath, "")
	if time.Duration(got.Load()) != 3*time.Second {
		t.Errorf("waited %v, want 3s", time.Duration(got.Load()))
	}
}

func TestLatencyIsCancellable(t *testing.T) {
	t.Parallel()
	t.Run("context already done", func(t *testing.T) {
		t.Parallel()
		// The default sleep: an hour-long wait must end with the context.
		s, _ := newTrafficServer(t, Options{Latency: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, "PUT", secretPath("X"), strings.NewReader(sealedPut(s, "all")))
		req.Header.Set("Authorization", "Bearer "+testToken)
		s.ServeHTTP(httptest.NewRecorder(), req)
		if _, ok := s.Secret(testOrg, "X"); ok {
			t.Error("an abandoned PUT stored the secret")
		}
		if got := s.Requests(); len(got) != 1 || got[0].Status != 0 {
			t.Errorf("Requests %+v, want one with status 0", got)
		}
	})
	t.Run("client gives up while waiting", func(t *testing.T) {
		t.Parallel()
		waiting, done := make(chan struct{}), make(chan error, 1)
		sleep := func(ctx context.Context, d time.Duration) error {
			close(waiting)
			err := sleepContext(ctx, d)
			done <- err
			return err
		}
		s, _ := newTrafficServer(t, Options{Latency: time.Hour, Sleep: sleep})
		ts := httptest.NewServer(s)
		t.Cleanup(ts.Close)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-waiting; cancel() }()
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+listPath, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("got status %d, want the request cancelled", res.StatusCode)
		}
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("server wait ended with %v, want context.Canceled", err)
		}
	})
}

func TestRateLimitsOff(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{RateLimitsOff: true, PrimaryLimit: 1})
	tests := []struct {
		name, method, path string
		status             int
	}{
		{"list", "GET", listPath, 200},
		{"public key", "GET", secretPath("public-key"), 200},
		{"missing secret", "GET", secretPath("NONE"), 404},
		{"bad PUT", "PUT", secretPath("X"), 422},
		{"under /api/v3", "GET", "/api/v3" + listPath, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for range 3 { // well past PrimaryLimit
				rec := serve(s, tt.method, tt.path, "{}")
				wantCode(t, rec, tt.status)
				for name := range rec.Header() {
					if strings.HasPrefix(strings.ToLower(name), "x-ratelimit") {
						t.Errorf("header %s sent with rate limits off", name)
					}
				}
			}
		})
	}
}

func TestPrimaryLimit(t *testing.T) {
	t.Parallel()
	s, clock := newTrafficServer(t, Options{PrimaryLimit: 3})
	reset := strconv.FormatInt(clockStart.Add(time.Hour).Unix(), 10)
	for i := range 3 {
		rec := serve(s, "GET", listPath, "")
		wantCode(t, rec, http.StatusOK)
		if got := rec.Header().Get("X-RateLimit-Remaining"); got != strconv.Itoa(2-i) {
			t.Errorf("request %d: remaining %q", i, got)
		}
		if got := rec.Header().Get("X-RateLimit-Limit"); got != "3" {
			t.Errorf("limit %q, want 3", got)
		}
	}

	tests := []struct{ name, method, path, body string }{
		{"GET", "GET", listPath, ""},
		{"PUT that would store", "PUT", secretPath("LATE"), sealedPut(s, "all")},
		{"unknown route", "GET", "/user", ""},
	}
	for _, tt := range tests {
		rec := serve(s, tt.method, tt.path, tt.body)
		wantCode(t, rec, http.StatusForbidden)
		want := `{"message":"API rate limit exceeded for installation ID 1.",` +
			`"documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"}`
		if rec.Body.String() != want {
			t.Errorf("%s: body %s", tt.name, rec.Body)
		}
		for k, v := range map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Used": "3", "X-RateLimit-Reset": reset} {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, got, v)
			}
		}
	}
	if _, ok := s.Secret(testOrg, "LATE"); ok {
		t.Error("a rejected PUT stored its secret")
	}
	// Authentication is decided first.
	unauthenticated := httptest.NewRecorder()
	s.ServeHTTP(unauthenticated, httptest.NewRequest("GET", listPath, nil))
	wantCode(t, unauthenticated, http.StatusUnauthorized)

	clock.Advance(time.Hour)
	rec := serve(s, "GET", listPath, "")
	wantCode(t, rec, http.StatusOK)
	if got := rec.Header().Get("X-RateLimit-Remaining"); got != "2" {
		t.Errorf("after reset: remaining %q, want 2", got)
	}
	if got := s.Stats().PrimaryRejected; got != len(tests) {
		t.Errorf("PrimaryRejected %d, want %d", got, len(tests))
	}
}

// wantSecondary checks a secondary-limit rejection; retry "" means no Retry-After.
func wantSecondary(t *testing.T, rec *httptest.ResponseRecorder, retry string) {
	t.Helper()
	wantCode(t, rec, http.StatusForbidden)
	id := rec.Header().Get("X-GitHub-Request-Id")
	want := `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ` +
		`If you reach out to GitHub Support for help, please include the request ID ` + id + `.",` +
		`"documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	if id == "" || rec.Body.String() != want {
		t.Errorf("body %s, request id %q", rec.Body, id)
	}
	got, present := rec.Header()["Retry-After"]
	switch {
	case retry == "" && present:
		t.Errorf("Retry-After %q, want none", got)
	case retry != "" && (len(got) != 1 || got[0] != retry):
		t.Errorf("Retry-After %q, want %q", got, retry)
	}
}

func TestSecondaryPointsPerEndpoint(t *testing.T) {
	t.Parallel()
	type burst struct {
		after time.Duration // clock advance before the burst
		n     int
	}
	tests := []struct {
		name   string
		limits SecondaryLimits
		method string
		bursts []burst
		retry  time.Duration // Retry-After of the next request
	}{
		{"180 PUTs at one instant", SecondaryLimits{}, "PUT", []burst{{0, 180}}, 60 * time.Second},
		{"PUTs over half a minute", SecondaryLimits{}, "PUT", []burst{{0, 90}, {30 * time.Second, 90}}, 30 * time.Second},
		{"window slides past old PUTs", SecondaryLimits{}, "PUT",
			[]burst{{0, 100}, {45 * time.Second, 40}, {15 * time.Second, 140}}, 45 * time.Second},
		{"900 GETs", SecondaryLimits{}, "GET", []burst{{0, 900}}, 60 * time.Second},
		{"DELETEs cost write points", SecondaryLimits{}, "DELETE", []burst{{0, 180}}, 60 * time.Second},
		{"fractional wait rounds up", SecondaryLimits{}, "PUT", []burst{{0, 180}, {59500 * time.Millisecond, 0}}, 500 * time.Millisecond},
		{"custom points", SecondaryLimits{PointsPerMinute: 12, ReadPoints: 4}, "GET", []burst{{0, 3}}, 60 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, clock := newTrafficServer(t, Options{Secondary: &tt.limits})
			sent := 0
			path := func() string { sent++; return secretPath(fmt.Sprintf("S%d", sent)) }
			for _, b := range tt.bursts {
				clock.Advance(b.after)
				for range b.n {
					if rec := serve(s, tt.method, path(), "{}"); rec.Code == http.StatusForbidden {
						t.Fatalf("request %d rejected: %s", sent, rec.Body)
					}
				}
			}
			retry := strconv.Itoa(int((tt.retry + time.Second - 1) / time.Second))
			wantSecondary(t, serve(s, tt.method, path(), "{}"), retry)
			// The rejection charged nothing: the wait is unchanged.
			wantSecondary(t, serve(s, tt.method, path(), "{}"), retry)

			clock.Advance(tt.retry - time.Millisecond)
			wantSecondary(t, serve(s, tt.method, path(), "{}"), "1")
			clock.Advance(time.Millisecond)
			if rec := serve(s, tt.method, path(), "{}"); rec.Code == http.StatusForbidden {
				t.Errorf("still rejected once the window has room: %s", rec.Body)
			}
			if got := s.Stats().SecondaryRejected; got != 3 {
				t.Errorf("SecondaryRejected %d, want 3", got)
			}
		})
	}
}

func TestSecondaryEndpointsAreIndependent(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{Secondary: &SecondaryLimits{PointsPerMinute: 10}})
	s.AddOrg("other-org")
	for i := range 2 {
		wantCode(t, serve(s, "PUT", secretPath(fmt.Sprint("S", i)), "{}"), http.StatusUnprocessableEntity)
	}
	tests := []struct {
		name, method, path string
		limited            bool
	}{
		{"same endpoint, other secret", "PUT", secretPath("OTHER"), true},
		{"same endpoint, other org", "PUT", "/orgs/other-org/actions/secrets/X", true},
		{"same endpoint under /api/v3", "PUT", "/api/v3" + secretPath("Y"), true},
		{"GET of the same path", "GET", secretPath("S0"), false},
		{"DELETE of the same path", "DELETE", secretPath("S0"), false},
		{"selected repositories", "PUT", secretPath("S0") + "/repositories", false},
		{"one selected repository", "PUT", secretPath("S0") + "/repositories/1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(s, tt.method, tt.path, "{}")
			if limited := rec.Code == http.StatusForbidden; limited != tt.limited {
				t.Errorf("status %d; limited %v, want %v", rec.Code, limited, tt.limited)
			}
		})
	}
}

func TestSecondaryRejectionChangesNothing(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{Secondary: &SecondaryLimits{PointsPerMinute: 5}})
	wantCode(t, serve(s, "PUT", secretPath("FIRST"), sealedPut(s, "all")), http.StatusCreated)
	wantSecondary(t, serve(s, "PUT", secretPath("SECOND"), sealedPut(s, "all")), "60")
	wantSecondary(t, serve(s, "PUT", secretPath("FIRST"), sealedPut(s, "private")), "60")
	if got := s.Secrets(testOrg); len(got) != 1 || got[0].Visibility != "all" {
		t.Errorf("secrets after rejections: %+v", got)
	}
}

func TestOmitRetryAfter(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{Secondary: &SecondaryLimits{PointsPerMinute: 5, OmitRetryAfter: true}})
	wantCode(t, serve(s, "DELETE", secretPath("X"), ""), http.StatusNotFound)
	wantSecondary(t, serve(s, "DELETE", secretPath("X"), ""), "")
}

func TestFixedRetryAfter(t *testing.T) {
	t.Parallel()
	s, clock := newTrafficServer(t, Options{Secondary: &SecondaryLimits{WritesPerMinute: 2, RetryAfter: 5 * time.Second}})
	for range 2 {
		wantCode(t, serve(s, "DELETE", secretPath("X"), ""), http.StatusNotFound)
	}
	// The window frees in a minute; the server says 5 seconds all the same.
	wantSecondary(t, serve(s, "DELETE", secretPath("X"), ""), "5")
	clock.Advance(5 * time.Second)
	wantSecondary(t, serve(s, "DELETE", secretPath("X"), ""), "5")
	clock.Advance(55 * time.Second)
	wantCode(t, serve(s, "DELETE", secretPath("X"), ""), http.StatusNotFound)
}

func TestWritesPerMinute(t *testing.T) {
	t.Parallel()
	s, clock := newTrafficServer(t, Options{Secondary: &SecondaryLimits{WritesPerMinute: 3}})
	writes := []struct{ method, path string }{
		{"PUT", secretPath("A")},
		{"DELETE", secretPath("A")},
		{"PUT", secretPath("A") + "/repositories"},
	}
	for i, w := range writes {
		if rec := serve(s, w.method, w.path, "{}"); rec.Code == http.StatusForbidden {
			t.Fatalf("write %d rejected", i)
		}
		clock.Advance(10 * time.Second)
	}
	// The first write left the window 30s ago; the next one may go in 30s.
	wantSecondary(t, serve(s, "DELETE", secretPath("A")+"/repositories/1", ""), "30")
	wantCode(t, serve(s, "GET", listPath, ""), http.StatusOK)
	clock.Advance(30 * time.Second)
	wantCode(t, serve(s, "DELETE", secretPath("A")+"/repositories/1", ""), http.StatusNotFound)
}

func TestMaxConcurrent(t *testing.T) {
	t.Parallel()
	const limit = 2
	entered, release := make(chan struct{}, limit), make(chan struct{})
	var sleeps atomic.Int32
	// The first requests are held in their latency; later ones pass.
	sleep := func(context.Context, time.Duration) error {
		if sleeps.Add(1) <= limit {
			entered <- struct{}{}
			<-release
		}
		return nil
	}
	s, _ := newTrafficServer(t, Options{Latency: time.Second, Sleep: sleep, Secondary: &SecondaryLimits{MaxConcurrent: limit}})
	codes := make(chan int, limit)
	for range limit {
		go func() { codes <- serve(s, "GET", listPath, "").Code }()
	}
	for range limit {
		<-entered
	}
	wantSecondary(t, serve(s, "GET", secretPath("public-key"), ""), "1")
	wantSecondary(t, serve(s, "PUT", secretPath("X"), "{}"), "1")

	close(release)
	for range limit {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("held request: status %d", code)
		}
	}
	wantCode(t, serve(s, "GET", listPath, ""), http.StatusOK)
	st := s.Stats()
	if st.MaxInFlight != limit || st.SecondaryRejected != 2 {
		t.Errorf("MaxInFlight %d (want %d), SecondaryRejected %d (want 2)", st.MaxInFlight, limit, st.SecondaryRejected)
	}
}

func TestServerErrorFaults(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{
		Faults:    Faults{ServerErrorRate: 1, Seed: 3},
		Secondary: &SecondaryLimits{PointsPerMinute: 5},
	})
	s.PutSecretOutOfBand(testOrg, "KEPT", []byte("old"), "all", nil)
	before := s.Secrets(testOrg)
	seen := map[int]bool{}
	for i := range 30 {
		var rec *httptest.ResponseRecorder
		if i%2 == 0 {
			rec = serve(s, "PUT", secretPath("KEPT"), sealedPut(s, "private"))
		} else {
			rec = serve(s, "DELETE", secretPath("KEPT"), "")
		}
		seen[rec.Code] = true
		switch rec.Code {
		case http.StatusBadGateway:
			if ct := rec.Header().Get("Content-Type"); ct != "text/html" || !strings.Contains(rec.Body.String(), "<h1>502 Bad Gateway</h1>") {
				t.Errorf("502: Content-Type %q, body %q", ct, rec.Body)
			}
		case http.StatusInternalServerError, http.StatusServiceUnavailable:
			var e apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Status != strconv.Itoa(rec.Code) || e.Message == "" {
				t.Errorf("%d: body %s (%v)", rec.Code, rec.Body, err)
			}
		default:
			t.Fatalf("status %d, want an injected server error", rec.Code)
		}
	}
	if len(seen) != 3 {
		t.Errorf("statuses %v, want 500, 502 and 503", seen)
	}
	if after := s.Secrets(testOrg); !slices.EqualFunc(before, after, secretInfoEqual) {
		t.Errorf("state changed under faults:\n before %+v\n after %+v", before, after)
	}
	if v, _ := s.SecretValue(testOrg, "KEPT"); string(v) != "old" {
		t.Errorf("value %q, want old", v)
	}
	// Faulted requests were not charged: the limits still have room.
	s.SetFaults(Faults{})
	wantCode(t, serve(s, "DELETE", secretPath("KEPT"), ""), http.StatusNoContent)
	if st := s.Stats(); st.ServerErrors != 30 || st.ByStatus[http.StatusNoContent] != 1 {
		t.Errorf("stats %+v", st)
	}

	// Requests refused for authentication see no faults.
	s.SetFaults(Faults{ServerErrorRate: 1})
	unauthenticated := httptest.NewRecorder()
	s.ServeHTTP(unauthenticated, httptest.NewRequest("GET", listPath, nil))
	wantCode(t, unauthenticated, http.StatusUnauthorized)
}

func secretInfoEqual(a, b SecretInfo) bool {
	return a.Name == b.Name && a.Visibility == b.Visibility && a.UpdatedAt.Equal(b.UpdatedAt) && a.KeyID == b.KeyID &&
		slices.Equal(a.SelectedRepositoryIDs, b.SelectedRepositoryIDs)
}

// outcome sends one request over a fresh connection and names what came back.
func outcome(t *testing.T, url, method, path string) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(method, url+path, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := client.Do(req)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			t.Errorf("dropped request: %v, want EOF", err)
		}
		return "dropped"
	}
	res.Body.Close()
	return strconv.Itoa(res.StatusCode)
}

func TestDroppedConnections(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{Faults: Faults{DropRate: 1}})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	for _, method := range []string{"GET", "PUT", "DELETE"} {
		if got := outcome(t, ts.URL, method, secretPath("X")); got != "dropped" {
			t.Errorf("%s: %s, want dropped", method, got)
		}
	}
	want := []Request{
		{Method: "GET", Path: secretPath("X")},
		{Method: "PUT", Path: secretPath("X")},
		{Method: "DELETE", Path: secretPath("X")},
	}
	if got := s.Requests(); !slices.Equal(got, want) {
		t.Errorf("Requests %+v, want %+v", got, want)
	}
	if st := s.Stats(); st.Dropped != 3 || st.ByStatus[0] != 3 || st.ByMethod["PUT"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestFaultsAreDeterministic(t *testing.T) {
	t.Parallel()
	faults := Faults{ServerErrorRate: 0.3, DropRate: 0.2, Seed: 42}
	run := func(s *Server) []string {
		ts := httptest.NewServer(s)
		defer ts.Close()
		var out []string
		for range 40 {
			out = append(out, outcome(t, ts.URL, "GET", listPath))
		}
		return out
	}
	first, _ := newTrafficServer(t, Options{Faults: faults})
	second, _ := newTrafficServer(t, Options{Faults: faults})
	a, b := run(first), run(second)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different outcomes:\n%v\n%v", a, b)
	}
	first.SetFaults(faults)
	if again := run(first); !slices.Equal(a, again) {
		t.Errorf("SetFaults did not restart from the seed:\n%v\n%v", a, again)
	}
	faults.Seed = 43
	first.SetFaults(faults)
	if other := run(first); slices.Equal(a, other) {
		t.Errorf("seeds 42 and 43 gave the same outcomes %v", a)
	}
	for _, want := range []string{"200", "dropped"} {
		if !slices.Contains(a, want) {
			t.Errorf("outcomes %v lack %s", a, want)
		}
	}
}

func TestFaultRatesAreChecked(t *testing.T) {
	t.Parallel()
	for _, f := range []Faults{{ServerErrorRate: -0.1}, {DropRate: 1.5}, {ServerErrorRate: 0.6, DropRate: 0.6}} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			New(Options{Token: testToken}).SetFaults(f)
		})
	}
}

// TestDateIsNeverBeforeUpdatedAt: the answer to a write is never dated
// before the updated_at the write got; other answers carry the clock.
func TestDateIsNeverBeforeUpdatedAt(t *testing.T) {
	t.Parallel()
	s, clock := newTrafficServer(t, Options{})
	// The clock stands still, so each write of a secret is stamped a second
	// after the one before.
	for i := range 25 {
		name := fmt.Sprint("S", i%5)
		rec := serve(s, "PUT", secretPath(name), sealedPut(s, "all"))
		date, err := http.ParseTime(rec.Header().Get("Date"))
		if err != nil {
			t.Fatalf("Date %q: %v", rec.Header().Get("Date"), err)
		}
		if info, _ := s.Secret(testOrg, name); !date.Equal(info.UpdatedAt) {
			t.Fatalf("write %d: Date %v, want the write's updated_at %v", i, date, info.UpdatedAt)
		}
	}
	rec := serve(s, "GET", listPath, "")
	if got, want := rec.Header().Get("Date"), clockStart.Format(http.TimeFormat); got != want {
		t.Errorf("Date %q, want %q", got, want)
	}
	clock.Advance(time.Hour)
	rec = serve(s, "GET", "/nowhere", "")
	if got, want := rec.Header().Get("Date"), clockStart.Add(time.Hour).Format(http.TimeFormat); got != want {
		t.Errorf("Date after the clock moved on %q, want %q", got, want)
	}
}

func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{})
	s.PutSecretOutOfBand(testOrg, "A", []byte("v"), "all", nil)
	first := serve(s, "GET", secretPath("A"), "")
	wantCode(t, first, http.StatusOK)
	sum := sha256.Sum256(first.Body.Bytes())
	tag := `W/"` + hex.EncodeToString(sum[:]) + `"`
	if got := first.Header().Get("ETag"); got != tag {
		t.Fatalf("ETag %q, want %q", got, tag)
	}

	tests := []struct {
		name, ifNoneMatch string
		want              int
	}{
		{"same tag", tag, http.StatusNotModified},
		{"strong form", strings.TrimPrefix(tag, "W/"), http.StatusNotModified},
		{"in a list", `W/"other", ` + tag, http.StatusNotModified},
		{"any", "*", http.StatusNotModified},
		{"other tag", `W/"0123"`, http.StatusOK},
		{"empty", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(s, "GET", secretPath("A"), "", "If-None-Match", tt.ifNoneMatch)
			wantCode(t, rec, tt.want)
			if got := rec.Header().Get("ETag"); got != tag {
				t.Errorf("ETag %q, want %q", got, tag)
			}
			if tt.want == http.StatusNotModified && (rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "") {
				t.Errorf("304 with body %q, Content-Type %q", rec.Body, rec.Header().Get("Content-Type"))
			}
		})
	}

	t.Run("changed resource", func(t *testing.T) {
		s.PutSecretOutOfBand(testOrg, "B", []byte("v"), "all", nil)
		rec := serve(s, "GET", listPath, "")
		stale := rec.Header().Get("ETag")
		s.PutSecretOutOfBand(testOrg, "B", []byte("v2"), "private", nil)
		rec = serve(s, "GET", listPath, "", "If-None-Match", stale)
		wantCode(t, rec, http.StatusOK)
		if rec.Header().Get("ETag") == stale {
			t.Error("ETag unchanged after the list changed")
		}
	})
	t.Run("no ETag outside 200 GETs", func(t *testing.T) {
		for _, rec := range []*httptest.ResponseRecorder{
			serve(s, "GET", secretPath("NONE"), "", "If-None-Match", "*"),
			serve(s, "PUT", secretPath("Z"), sealedPut(s, "all"), "If-None-Match", "*"),
		} {
			if rec.Code == http.StatusNotModified || rec.Header().Get("ETag") != "" {
				t.Errorf("status %d, ETag %q", rec.Code, rec.Header().Get("ETag"))
			}
		}
	})
}

func TestNotModifiedIsFreeOfPrimaryLimit(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{PrimaryLimit: 2})
	tag := serve(s, "GET", secretPath("public-key"), "").Header().Get("ETag")
	for range 5 {
		rec := serve(s, "GET", secretPath("public-key"), "", "If-None-Match", tag)
		wantCode(t, rec, http.StatusNotModified)
		if used, remaining := rec.Header().Get("X-RateLimit-Used"), rec.Header().Get("X-RateLimit-Remaining"); used != "1" || remaining != "1" {
			t.Errorf("304: used %q remaining %q, want 1 and 1", used, remaining)
		}
	}
	wantCode(t, serve(s, "GET", secretPath("public-key"), ""), http.StatusOK)
	wantCode(t, serve(s, "GET", secretPath("public-key"), "", "If-None-Match", tag), http.StatusForbidden)
	if st := s.Stats(); st.NotModified != 5 || st.PrimaryRejected != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestRotatePublicKeyAfterWrites(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{})
	oldKey, _ := s.PublicKey(testOrg)
	s.RotatePublicKeyAfterWrites(testOrg, 2)
	stale := sealedPut(s, "all")

	steps := []struct {
		name, path, body string
		status           int
		rotated          bool // key differs from oldKey after the step
	}{
		{"first write", secretPath("A"), stale, http.StatusCreated, false},
		{"rejected write is not counted", secretPath("BAD-NAME"), stale, http.StatusUnprocessableEntity, false},
		{"repository list is not a value write", secretPath("A") + "/repositories", `{"selected_repository_ids":[]}`, http.StatusConflict, false},
		{"second write rotates", secretPath("B"), stale, http.StatusCreated, true},
		{"old key refused", secretPath("C"), stale, http.StatusUnprocessableEntity, true},
	}
	for _, st := range steps {
		rec := serve(s, "PUT", st.path, st.body)
		wantCode(t, rec, st.status)
		if key, _ := s.PublicKey(testOrg); (key != oldKey) != st.rotated {
			t.Errorf("%s: key %s, old %s, want rotated %v", st.name, key, oldKey, st.rotated)
		}
	}
	newKey, _ := s.PublicKey(testOrg)
	for i := range 3 {
		wantCode(t, serve(s, "PUT", secretPath(fmt.Sprint("D", i)), sealedPut(s, "all")), http.StatusCreated)
	}
	if key, _ := s.PublicKey(testOrg); key != newKey {
		t.Error("key rotated again without being asked")
	}

	s.RotatePublicKeyAfterWrites(testOrg, 1)
	s.RotatePublicKeyAfterWrites(testOrg, 0) // cancels
	wantCode(t, serve(s, "PUT", secretPath("D0"), sealedPut(s, "all")), http.StatusNoContent)
	if key, _ := s.PublicKey(testOrg); key != newKey {
		t.Error("a cancelled rotation happened")
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{})
	serve(s, "GET", listPath, "")
	serve(s, "GET", secretPath("NONE"), "")
	serve(s, "PUT", secretPath("A"), sealedPut(s, "all"))
	serve(s, "DELETE", secretPath("A"), "")
	st := s.Stats()
	wantMethods := map[string]int{"GET": 2, "PUT": 1, "DELETE": 1}
	wantStatuses := map[int]int{200: 1, 404: 1, 201: 1, 204: 1}
	if !mapsEqual(st.ByMethod, wantMethods) || !mapsEqual(st.ByStatus, wantStatuses) || st.MaxInFlight != 1 {
		t.Errorf("stats %+v", st)
	}
	st.ByMethod["GET"] = 99
	if s.Stats().ByMethod["GET"] != 2 {
		t.Error("Stats returned the server's own map")
	}
	s.ResetRequests()
	if st := s.Stats(); len(st.ByMethod) != 0 || len(st.ByStatus) != 0 || st.MaxInFlight != 0 || s.CountRequests("") != 0 {
		t.Errorf("after reset: %+v", st)
	}
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRequestHookRunsBeforeTheAnswer(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{})
	s.PutSecretOutOfBand(testOrg, "VICTIM", []byte("v"), "all", nil)
	var seen []Request
	s.SetRequestHook(func(r Request) {
		seen = append(seen, r)
		if r.Method == "PUT" && r.Status == http.StatusCreated {
			s.DeleteSecretOutOfBand(testOrg, "VICTIM")
		}
	})
	wantCode(t, serve(s, "PUT", secretPath("A"), sealedPut(s, "all")), http.StatusCreated)
	if _, ok := s.Secret(testOrg, "VICTIM"); ok {
		t.Error("the hook had not run when the answer arrived")
	}
	s.SetRequestHook(nil)
	serve(s, "GET", listPath, "")
	want := []Request{{Method: "PUT", Path: secretPath("A"), Status: http.StatusCreated}}
	if !slices.Equal(seen, want) {
		t.Errorf("hook saw %+v, want %+v", seen, want)
	}
}

func TestDeleteRepositoryOutOfBand(t *testing.T) {
	t.Parallel()
	s, _ := newTrafficServer(t, Options{})
	api, web := s.AddRepository(testOrg, "api"), s.AddRepository(testOrg, "web")
	s.PutSecretOutOfBand(testOrg, "CHOSEN", []byte("v"), "selected", []int64{api.ID, web.ID})
	before, _ := s.Secret(testOrg, "CHOSEN")
	s.DeleteRepositoryOutOfBand(testOrg, api.ID)
	after, _ := s.Secret(testOrg, "CHOSEN")
	if !slices.Equal(after.SelectedRepositoryIDs, []int64{web.ID}) || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("after delete: %+v", after)
	}
	if got := s.Repositories(testOrg); !slices.Equal(got, []Repository{web}) {
		t.Errorf("repositories %+v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("deleting an unknown repository did not panic")
		}
	}()
	s.DeleteRepositoryOutOfBand(testOrg, api.ID)
}

func TestEndpointTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct{ method, path, want string }{
		{"GET", "/orgs/o/actions/secrets", "GET /orgs/{org}/actions/secrets"},
		{"GET", "/orgs/o/actions/secrets/public-key", "GET /orgs/{org}/actions/secrets/public-key"},
		{"PUT", "/orgs/o/actions/secrets/X", "PUT /orgs/{org}/actions/secrets/{secret_name}"},
		{"PUT", "/orgs/o/actions/secrets/X/repositories", "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories"},
		{"DELETE", "/orgs/o/actions/secrets/X/repositories/7", "DELETE /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"},
		{"GET", "/orgs/o/repos", "GET /orgs/{org}/repos"},
		{"POST", "/app/installations/12/access_tokens", "POST /app/installations/{installation_id}/access_tokens"},
		{"GET", "/user", "GET /user"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			if got := endpoint(tt.method, tt.path); got != tt.want {
				t.Errorf("endpoint %q, want %q", got, tt.want)
			}
		})
	}
}
