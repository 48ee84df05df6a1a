package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestEndpointTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"/api/v3/orgs/acme/actions/secrets", "/orgs/{org}/actions/secrets"},
		{"/orgs/acme/actions/secrets/public-key", "/orgs/{org}/actions/secrets/public-key"},
		{"/api/v3/orgs/acme/actions/secrets/FOO", "/orgs/{org}/actions/secrets/{secret_name}"},
		{"/orgs/acme/actions/secrets/FOO/", "/orgs/{org}/actions/secrets/{secret_name}"},
		{"/orgs/acme/actions/secrets/FOO/repositories", "/orgs/{org}/actions/secrets/{secret_name}/repositories"},
		{"/orgs/acme/actions/secrets/FOO/repositories/1296269", "/orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"},
		{"/app/installations/42/access_tokens", "/app/installations/{installation_id}/access_tokens"},
		{"/orgs/acme/repos", "/orgs/{org}/repos"},
		{"/ghe/api/v3/orgs/acme/repos", "/orgs/{org}/repos"},
		{"/orgs/acme", "/orgs/{org}"},
		{"/users/octocat/gists/7", "/users/octocat/gists/{id}"},
		{"/api/v3", "/"},
		{"/", "/"},
	}
	for _, tt := range tests {
		if got := endpointTemplate(tt.path); got != tt.want {
			t.Errorf("endpointTemplate(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got, want := endpointKey("PUT", "/api/v3/orgs/a/actions/secrets/X"), "PUT /orgs/{org}/actions/secrets/{secret_name}"; got != want {
		t.Errorf("endpointKey = %q, want %q", got, want)
	}
}

// arrival is one request as a test server saw it.
type arrival struct {
	at     time.Time
	points int
}

// maxInWindow is the most points of arrivals within any 60 seconds.
func maxInWindow(arrivals []arrival) int {
	most := 0
	for _, a := range arrivals {
		sum := 0
		for _, b := range arrivals {
			if !b.at.After(a.at) && b.at.After(a.at.Add(-paceWindow)) {
				sum += b.points
			}
		}
		most = max(most, sum)
	}
	return most
}

// pacedServer answers every request, with X-RateLimit headers when
// advertise is set, and records arrivals on clk.
type pacedServer struct {
	clk       *fakeClock
	advertise bool
	mu        sync.Mutex
	arrivals  map[string][]arrival // by endpoint key
}

func (s *pacedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	key := endpointKey(r.Method, r.URL.Path)
	s.arrivals[key] = append(s.arrivals[key], arrival{s.clk.now(), pointsOf(classOf(r.Method))})
	s.mu.Unlock()
	if s.advertise {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "4000")
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeAll sends n PUTs to distinct secrets from workers goroutines.
func writeAll(t *testing.T, c *Client, n, workers int, path func(i int) string) {
	t.Helper()
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := call(t.Context(), c, http.MethodPut, path(i), map[string]any{}); err != nil {
					t.Errorf("write %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func secretN(i int) string { return fmt.Sprintf("orgs/acme/actions/secrets/S%d", i) }

func TestPacingSpreadsBurstWhenLimitsAdvertised(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := &pacedServer{clk: clk, advertise: true, arrivals: map[string][]arrival{}}
	log := &recLogger{}
	c := newClockedClient(t, clk, srv, Config{Pacing: PacingPolicy{EndpointPointsPerMinute: 50}, Logger: log})
	writeAll(t, c, 30, 5, secretN)

	got := srv.arrivals["PUT /orgs/{org}/actions/secrets/{secret_name}"]
	if len(got) != 30 {
		t.Fatalf("%d writes arrived, want 30", len(got))
	}
	if most := maxInWindow(got); most > 50 {
		t.Errorf("%d points within 60s, want at most the budget of 50", most)
	}
	// 150 points at 50 per minute take at least two more minutes.
	if span := got[len(got)-1].at.Sub(got[0].at); span < 2*time.Minute {
		t.Errorf("writes spread over %v, want at least 2m", span)
	}
	if reasons := log.waits(); len(reasons) == 0 || reasons[0] != "pacing: endpoint budget" {
		t.Errorf("wait reasons %q, want endpoint budget waits", reasons)
	}
}

func TestPacingDocumentedBudget(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := &pacedServer{clk: clk, advertise: true, arrivals: map[string][]arrival{}}
	c := newClockedClient(t, clk, srv, Config{})
	// 200 writes are 1000 points, over GitHub's 900 per endpoint.
	writeAll(t, c, 200, 8, secretN)
	got := srv.arrivals["PUT /orgs/{org}/actions/secrets/{secret_name}"]
	if most := maxInWindow(got); most > defaultEndpointPoints {
		t.Errorf("%d points within 60s, want at most %d", most, defaultEndpointPoints)
	}
	if len(clk.slept()) == 0 {
		t.Errorf("no waits, want the 181st write held back")
	}
}

func TestPacingNoWaitsWithoutAdvertisedLimits(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := &pacedServer{clk: clk, arrivals: map[string][]arrival{}}
	log := &recLogger{}
	c := newClockedClient(t, clk, srv, Config{Logger: log})
	// 2,000 points to one endpoint, more than twice the documented budget.
	writeAll(t, c, 400, 8, secretN)
	if got := clk.slept(); len(got) != 0 {
		t.Errorf("slept %d times, want never", len(got))
	}
	if info := log.at("info"); len(info) != 0 {
		t.Errorf("logged waits %v, want none", info[0])
	}
}

// limitedServer accepts at most perMinute writes in any 60 seconds, across
// all endpoints, and rejects the rest as a secondary rate limit without
// Retry-After.
type limitedServer struct {
	clk       *fakeClock
	perMinute int

	mu       sync.Mutex
	accepted []time.Time
	rejected int
}

func (s *limitedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.clk.now()
	n := 0
	for _, at := range s.accepted {
		if at.After(now.Add(-paceWindow)) {
			n++
		}
	}
	ok := n < s.perMinute
	if ok {
		s.accepted = append(s.accepted, now)
	} else {
		s.rejected++
	}
	s.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit", "5000")
	if !ok {
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func twoEndpoints(i int) string {
	if i%2 == 0 {
		return secretN(i)
	}
	return secretN(i) + "/repositories/7"
}

func TestPacingLearnsFromRejection(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := &limitedServer{clk: clk, perMinute: 10}
	c := newClockedClient(t, clk, srv, Config{})
	writeAll(t, c, 40, 1, twoEndpoints)

	if srv.rejected != 1 {
		t.Errorf("%d rejections, want 1: the budget learned from it keeps the rest under the limit", srv.rejected)
	}
	if len(srv.accepted) != 40 {
		t.Errorf("%d writes accepted, want 40", len(srv.accepted))
	}
	p := c.httpClient.Transport.(*transport).pacer
	// Ten writes (50 points) were accepted in the minute before the rejection.
	if p.writes.learned != 45 {
		t.Errorf("learned write budget %d, want 45 (90%% of 50)", p.writes.learned)
	}
	// A limit on all writes explains the rejection: no endpoint is held to
	// its share.
	for key, w := range p.endpoints {
		if w.learned != 0 {
			t.Errorf("learned budget %d for %s, want none", w.learned, key)
		}
	}
}

func TestPacerLearnsEndpointBudgetWhenWriteBudgetDoesNotExplain(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(PacingPolicy{})
	p.now, p.sleep = clk.now, clk.sleep
	write := func(key string) *sendSlot {
		t.Helper()
		s, err := p.acquire(t.Context(), classWrite, key, 0, func(block) {})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for range 3 {
		p.finish(write("PUT /a"), true)
		p.finish(write("PUT /b"), true)
	}
	// One more to /a is still in flight when its neighbour is rejected: the
	// server most likely took it, so it counts.
	inFlight := write("PUT /a")
	p.rejectedSecondary(write("PUT /a"), 0, time.Minute)
	p.finish(inFlight, true)
	if p.writes.learned != 31 || p.endpoints["PUT /a"].learned != 0 {
		t.Fatalf("learned writes %d, /a %d; want 31 (90%% of 35) and none", p.writes.learned, p.endpoints["PUT /a"].learned)
	}
	// Sent under the write budget and still rejected: /a has its own limit.
	p.finish(write("PUT /a"), true) // waits for the window to free
	p.finish(write("PUT /a"), true)
	p.rejectedSecondary(write("PUT /a"), 0, time.Minute)
	if p.writes.learned != 31 || p.endpoints["PUT /a"].learned != 9 {
		t.Errorf("learned writes %d, /a %d; want 31 and 9 (90%% of 10)", p.writes.learned, p.endpoints["PUT /a"].learned)
	}
	if p.endpoints["PUT /b"].learned != 0 {
		t.Errorf("learned /b %d, want none", p.endpoints["PUT /b"].learned)
	}
}

func TestWindowLearnFloor(t *testing.T) {
	t.Parallel()
	r := &sendSlot{points: writePoints}
	w := &window{slots: []*sendSlot{{points: 1, accepted: true, finished: true}, r}}
	w.learn(r)
	if w.learned != writePoints {
		t.Errorf("learned %d, want the floor of one request (%d)", w.learned, writePoints)
	}
	empty := &window{slots: []*sendSlot{r}}
	empty.learn(r)
	if empty.learned != 0 {
		t.Errorf("learned %d with nothing accepted, want none", empty.learned)
	}
}

func TestPacingConcurrentWritesAgainstStricterServer(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := &limitedServer{clk: clk, perMinute: 16}
	c := newClockedClient(t, clk, srv, Config{})
	writeAll(t, c, 80, 6, twoEndpoints)
	if len(srv.accepted) != 80 {
		t.Errorf("%d writes accepted, want all 80", len(srv.accepted))
	}
	if srv.rejected < 1 || srv.rejected > 12 {
		t.Errorf("%d rejections, want a few in the first burst only", srv.rejected)
	}
}

func TestPacerConcurrencyAIMD(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(PacingPolicy{MaxConcurrent: 8})
	p.now, p.sleep = clk.now, clk.sleep
	acquire := func() *sendSlot {
		t.Helper()
		s, err := p.acquire(t.Context(), classRead, "GET /x", 0, func(block) {})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	capNow := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.concCap
	}

	var burst []*sendSlot
	for range 8 {
		burst = append(burst, acquire())
	}
	// The ninth waits until one of the eight finishes.
	got := make(chan *sendSlot)
	go func() {
		s, _ := p.acquire(t.Context(), classRead, "GET /x", 0, func(block) {})
		got <- s
	}()
	p.finish(burst[0], true)
	ninth := <-got
	if ninth == nil {
		t.Fatal("the ninth acquire failed")
	}

	_ = clk.sleep(t.Context(), time.Second)
	p.rejectedSecondary(burst[1], 0, time.Minute)
	if c := capNow(); c != 4 {
		t.Fatalf("cap after a rejection with 8 in flight = %d, want 4", c)
	}
	// More rejections of the same burst do not cut again.
	p.rejectedSecondary(burst[2], 0, time.Minute)
	if c := capNow(); c != 4 {
		t.Fatalf("cap after a second rejection from the same burst = %d, want 4", c)
	}
	for _, s := range append(burst[3:], ninth) {
		p.finish(s, true)
	}
	// Each later burst halves it again, down to 1.
	for _, want := range []int{1, 1} {
		_ = clk.sleep(t.Context(), 2*time.Minute) // past the pause and the window
		s := acquire()
		_ = clk.sleep(t.Context(), time.Second)
		p.rejectedSecondary(s, 0, time.Minute)
		if c := capNow(); c != want {
			t.Fatalf("cap = %d, want %d", c, want)
		}
	}
	// Additive increase: +1 after a cap's worth of successes, up to the maximum.
	_ = clk.sleep(t.Context(), 20*time.Minute)
	for _, want := range []int{2, 2, 3, 3, 3, 4} {
		p.finish(acquire(), true)
		if c := capNow(); c != want {
			t.Fatalf("cap = %d, want %d", c, want)
		}
	}
	for range 100 {
		p.finish(acquire(), true)
	}
	if c := capNow(); c != 8 {
		t.Errorf("cap = %d after many successes, want the maximum 8", c)
	}
}

func TestPacerConcurrencyCapOnlyLearnedWithoutAdvertisedLimits(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(PacingPolicy{MaxConcurrent: 2})
	p.now, p.sleep = clk.now, clk.sleep
	p.observe(http.Header{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var slots []*sendSlot
	for range 5 {
		s, err := p.acquire(ctx, classRead, "GET /x", 0, func(b block) { cancel() })
		if err != nil {
			t.Fatalf("acquire %d waited, want no cap before a rejection: %v", len(slots)+1, err)
		}
		slots = append(slots, s)
	}
	p.rejectedSecondary(slots[0], 0, time.Minute)
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = clk.sleep(t.Context(), time.Hour)
	if b, blocked := p.blockedLocked(clk.now(), classRead, "GET /y", 0); !blocked || !strings.Contains(b.reason, "concurrency") {
		t.Errorf("after a rejection with 4 in flight: blocked=%v %q, want the learned cap to apply", blocked, b.reason)
	}
}

func TestWindowFreeAt(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_000_000, 0)
	w := &window{slots: []*sendSlot{
		{points: 5, finished: true, expires: t0.Add(30 * time.Second)},
		{points: 5, finished: true, expires: t0.Add(10 * time.Second)},
		{points: 5}, // in flight
	}}
	tests := []struct {
		limit, need int
		wantAt      time.Time
		wantOK      bool
	}{
		{20, 5, time.Time{}, true},
		{15, 5, t0.Add(10 * time.Second), true},
		{10, 5, t0.Add(30 * time.Second), true},
		{5, 5, time.Time{}, false},
	}
	for _, tt := range tests {
		at, ok := w.freeAt(tt.limit, tt.need)
		if !at.Equal(tt.wantAt) || ok != tt.wantOK {
			t.Errorf("freeAt(limit %d) = %v %v, want %v %v", tt.limit, at, ok, tt.wantAt, tt.wantOK)
		}
	}
}
