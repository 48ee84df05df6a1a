package client

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

func TestEndpointKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ method, path, want string }{
		{"GET", "/api/v3/orgs/acme/actions/secrets", "GET /orgs/{org}/actions/secrets"},
		{"GET", "/orgs/acme/actions/secrets/public-key", "GET /orgs/{org}/actions/secrets/public-key"},
		{"PUT", "/api/v3/orgs/acme/actions/secrets/FOO", "PUT /orgs/{org}/actions/secrets/{secret_name}"},
		{"PUT", "/orgs/acme/actions/secrets/FOO/", "PUT /orgs/{org}/actions/secrets/{secret_name}"},
		{"GET", "/orgs/acme/actions/secrets/FOO/repositories", "GET /orgs/{org}/actions/secrets/{secret_name}/repositories"},
		{"DELETE", "/orgs/acme/actions/secrets/FOO/repositories/1296269", "DELETE /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"},
		{"POST", "/app/installations/42/access_tokens", "POST /app/installations/{installation_id}/access_tokens"},
		{"GET", "/orgs/acme/repos", "GET /orgs/{org}/repos"},
		{"GET", "/ghe/api/v3/orgs/acme/repos", "GET /orgs/{org}/repos"},
		{"GET", "/users/octocat/gists/7", "GET /users/octocat/gists/{id}"},
		{"GET", "/api/v3", "GET /"},
		{"GET", "/", "GET /"},
	}
	for _, tt := range tests {
		if got := endpointKey(tt.method, tt.path); got != tt.want {
			t.Errorf("endpointKey(%s %q) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
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
	s.arrivals[key] = append(s.arrivals[key], arrival{s.clk.now(), routes.ClassOf(r.Method).Points()})
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
	if reasons := log.waits(); !slices.Contains(reasons, "pacing: endpoint budget") {
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
	// Every command reads first (the key or the listing); the budgets hold
	// until an answer shows whether the server advertises limits.
	if err := call(t.Context(), c, http.MethodGet, "orgs/acme/actions/secrets/public-key", nil); err != nil {
		t.Fatal(err)
	}
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
// all endpoints, and rejects the rest as a secondary rate limit, with
// retryAfter as Retry-After when it is set.
type limitedServer struct {
	clk        *fakeClock
	perMinute  int
	retryAfter string

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
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
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
	log := &recLogger{}
	c := newClockedClient(t, clk, srv, Config{Logger: log})
	writeAll(t, c, 40, 1, twoEndpoints)

	if len(srv.accepted) != 40 {
		t.Errorf("%d writes accepted, want 40", len(srv.accepted))
	}
	// The first rejection comes in the client's first minute, when the
	// server's window may hold writes the client cannot see: it only
	// pauses. Ten writes (50 points) are accepted in the minute before the
	// next, which lowers the write budget to 45 (90% of 50) and keeps a whole
	// minute under the limit. After that clean minute the budget rises by 90
	// (a tenth of the documented 900); that probe is rejected once and the
	// budget falls back to 45. So three rejections in all.
	want := []budgetChange{{from: 900, to: 45}, {from: 45, to: 135}, {from: 135, to: 45}}
	if got := budgetLog(log); !slices.Equal(got, want) {
		t.Errorf("write budget changes %v, want %v", got, want)
	}
	if srv.rejected != 3 {
		t.Errorf("%d rejections, want 3: one in the first minute, the one that teaches, and the one probe above the learned budget", srv.rejected)
	}
}

// TestPacingStrictServer: a server that takes 80 writes a minute in all,
// stricter than GitHub documents, is learned from its first rejections.
// The server's window may still hold a previous command's writes. One
// worker, as the fake clock adds up sleeps of several goroutines instead of
// overlapping them.
func TestPacingStrictServer(t *testing.T) {
	t.Parallel()
	const perMinute, writes = 80, 200
	// 200 writes at 80 a minute take 150s.
	bound := 3 * (time.Duration(writes) * time.Minute / perMinute) / 2
	tests := []struct {
		name        string
		previous    int           // writes of a previous command in the server's window
		ago         time.Duration // how long before this one started
		retryAfter  string
		maxRejected int
	}{
		{"fresh server", 0, 0, "", 3},
		{"previous command 20s ago", 72, 20 * time.Second, "", 3},
		{"previous command just ended", 79, time.Second, "", 3},
		{"half-used window", 40, 30 * time.Second, "", 3},
		{"fresh server, Retry-After: 5", 0, 0, "5", 3},
		// Two rejections while the previous command's writes fill the
		// server's minute (the first waits 5s, the second a minute), one
		// that teaches the budget, one that refutes its first raise.
		{"previous command just ended, Retry-After: 5", 79, time.Second, "5", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			start := clk.now()
			srv := &limitedServer{clk: clk, perMinute: perMinute, retryAfter: tt.retryAfter}
			for range tt.previous {
				srv.accepted = append(srv.accepted, start.Add(-tt.ago))
			}
			c := newClockedClient(t, clk, srv, Config{})
			writeAll(t, c, writes, 1, secretN)
			took := clk.now().Sub(start)
			t.Logf("%d writes in %v simulated, %d rejected", writes, took, srv.rejected)
			if took > bound {
				t.Errorf("%d writes took %v, want at most %v", writes, took, bound)
			}
			if srv.rejected > tt.maxRejected {
				t.Errorf("%d rejections, want at most %d", srv.rejected, tt.maxRejected)
			}
		})
	}
}

// budgetLog returns the changes of the learned write budget that were logged.
func budgetLog(log *recLogger) []budgetChange {
	var out []budgetChange
	for _, e := range log.at("info") {
		if e.fields["budget"] != "writes" || e.fields["unit"] != "points per minute" {
			continue
		}
		c := budgetChange{from: e.fields["from"].(int), to: e.fields["to"].(int)}
		if (c.to < c.from) != (e.msg == "lowering GitHub API pacing budget") {
			panic(fmt.Sprintf("%q logged for %v", e.msg, c))
		}
		out = append(out, c)
	}
	return out
}

// newTestPacer returns a pacer on clk that logs to log.
func newTestPacer(policy PacingPolicy, clk *fakeClock, log Logger) *pacer {
	p := newPacer(policy, time.Minute)
	p.now, p.sleep, p.log = clk.now, clk.sleep, log
	return p
}

// admit acquires a slot, failing the test if it has to wait.
func admit(t *testing.T, p *pacer, class routes.Class, key string) *sendSlot {
	t.Helper()
	s, _, err := p.acquire(t.Context(), key, class, 0, func(b block) { t.Fatalf("acquire %s waited: %s", key, b.reason) })
	if err != nil {
		t.Fatalf("acquire %s: %v", key, err)
	}
	return s
}

// acquireAfter acquires a slot, however long that takes on the fake clock,
// and returns it with the reasons it waited for.
func acquireAfter(t *testing.T, p *pacer, class routes.Class, key string) (*sendSlot, []string) {
	t.Helper()
	var reasons []string
	s, _, err := p.acquire(t.Context(), key, class, time.Hour, func(b block) { reasons = append(reasons, b.reason) })
	if err != nil {
		t.Fatalf("acquire %s: %v", key, err)
	}
	return s, reasons
}

// acquireLater starts an acquire that must wait, and returns once it waits,
// with the reason and a channel for its slot.
func acquireLater(t *testing.T, p *pacer, class routes.Class, key string) (string, <-chan *sendSlot) {
	t.Helper()
	waiting, got := make(chan string, 1), make(chan *sendSlot, 1)
	go func() {
		s, _, err := p.acquire(t.Context(), key, class, time.Hour, func(b block) {
			select {
			case waiting <- b.reason:
			default:
			}
		})
		if err != nil {
			t.Errorf("acquire %s: %v", key, err)
		}
		got <- s
	}()
	select {
	case reason := <-waiting:
		return reason, got
	case <-got:
		t.Fatalf("acquire %s did not wait", key)
		return "", got
	}
}

var (
	accepted  = answer{verdict: answered, header: http.Header{"X-Ratelimit-Limit": {"5000"}}}
	limited5s = answer{verdict: secondaryLimited, header: http.Header{"X-Ratelimit-Limit": {"5000"}}, retryAfter: 5 * time.Second}
)

// TestPacerSlot: a slot counts as in flight from acquire to release, and
// against its endpoint's minute from then on.
func TestPacerSlot(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{EndpointPointsPerMinute: 10, MaxConcurrent: 2}, clk, nopLogger{})
	ctx := t.Context()
	a := admit(t, p, routes.Read, "GET /a")
	b := admit(t, p, routes.Read, "GET /b")
	if p.inFlight != 2 {
		t.Fatalf("%d in flight, want 2", p.inFlight)
	}
	// The third waits for one of the two to be answered.
	reason, got := acquireLater(t, p, routes.Read, "GET /c")
	if reason != "pacing: concurrency" {
		t.Errorf("the third waited for %q, want concurrency", reason)
	}
	p.release(ctx, a, accepted)
	c := <-got
	p.release(ctx, b, accepted)
	p.release(ctx, c, accepted)
	if p.inFlight != 0 {
		t.Errorf("%d in flight after every release, want 0", p.inFlight)
	}
	// A write to /a costs 5 of its 10 points: the next two fit, a third waits
	// until the first is a minute old.
	first := admit(t, p, routes.Write, "PUT /a")
	p.release(ctx, first, accepted)
	p.release(ctx, admit(t, p, routes.Read, "GET /a"), accepted)
	_, reasons := acquireAfter(t, p, routes.Write, "PUT /a")
	if len(reasons) != 0 {
		t.Errorf("a write to PUT /a waited for %q; GET /a is another endpoint", reasons)
	}
}

func TestPacerWritesInFlight(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{}, clk, nopLogger{})
	w1 := admit(t, p, routes.Write, "PUT /a")
	admit(t, p, routes.Write, "PUT /b")
	admit(t, p, routes.Read, "GET /a") // reads pass
	reason, got := acquireLater(t, p, routes.Write, "DELETE /c")
	if reason != "pacing: writes in flight" {
		t.Errorf("third write waited for %q, want the writes in flight", reason)
	}
	p.release(t.Context(), w1, accepted)
	<-got
}

func TestPacerNoBudgetsWithoutAdvertisedLimits(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{MaxConcurrent: 2}, clk, nopLogger{})
	p.release(t.Context(), admit(t, p, routes.Read, "GET /x"), answer{verdict: answered, header: http.Header{}})
	for range 5 {
		admit(t, p, routes.Write, "PUT /x")
	}
}

// TestPacerSecondaryPause: a rejection pauses its class for as long as the
// server asks and lets the other class pass; the first write after the
// pause goes alone.
func TestPacerSecondaryPause(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{}, clk, nopLogger{})
	ctx := t.Context()
	if pause := p.release(ctx, admit(t, p, routes.Write, "PUT /a"), limited5s); pause != 5*time.Second {
		t.Fatalf("paused %v, want the server's 5s", pause)
	}
	p.release(ctx, admit(t, p, routes.Read, "GET /a"), accepted)
	start := clk.now()
	first, reasons := acquireAfter(t, p, routes.Write, "PUT /b")
	if waited := clk.now().Sub(start); waited != 5*time.Second || len(reasons) != 1 || reasons[0] != "secondary rate limit" {
		t.Fatalf("waited %v for %q, want 5s for the secondary rate limit", waited, reasons)
	}
	reason, got := acquireLater(t, p, routes.Write, "PUT /c")
	if reason != "secondary rate limit: resuming after the pause" {
		t.Errorf("second write waited for %q, want the first after the pause to be answered", reason)
	}
	p.release(ctx, first, accepted)
	<-got
}

func TestPacerHintedWait(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{EndpointPointsPerMinute: 5}, clk, nopLogger{})
	ctx := t.Context()
	p.release(ctx, admit(t, p, routes.Write, "PUT /a"), limited5s)
	first, waited, err := p.acquire(ctx, "PUT /b", routes.Write, 0, func(block) {})
	if err != nil || waited != 5*time.Second {
		t.Fatalf("waited %v (%v) for the server, want 5s", waited, err)
	}
	p.release(ctx, first, accepted)
	// A wait for the pacer's own budget is not the server's.
	s := admit(t, p, routes.Write, "PUT /c")
	p.release(ctx, s, accepted)
	_, waited, _ = p.acquire(ctx, "PUT /c", routes.Write, 0, func(block) {})
	if waited != 0 {
		t.Errorf("waited %v for the server after a budget wait, want 0", waited)
	}
}

// TestPacerRejectionAtStartKeepsFullPace: a command that starts while the
// server's minute still holds a previous command's writes is rejected at
// once; that teaches no budget, so after the pause it goes on at GitHub's
// documented pace.
func TestPacerRejectionAtStartKeepsFullPace(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	log := &recLogger{}
	p := newTestPacer(PacingPolicy{}, clk, log)
	ctx := t.Context()
	first := admit(t, p, routes.Write, "DELETE /a")
	second := admit(t, p, routes.Write, "DELETE /a")
	_ = clk.sleep(ctx, time.Second) // the answers take a moment
	p.release(ctx, first, accepted)
	pause := p.release(ctx, second, answer{verdict: secondaryLimited, header: accepted.header, retryAfter: -1})
	if pause != time.Minute {
		t.Errorf("paused %v without Retry-After, want a minute", pause)
	}
	if got := budgetLog(log); len(got) != 0 {
		t.Errorf("budget changes %v, want none", got)
	}
	_ = clk.sleep(ctx, pause)
	// The documented budget (180 writes) still applies, less the two sent.
	for i := range 178 {
		s, _, err := p.acquire(ctx, "DELETE /a", routes.Write, 0, func(b block) {
			t.Fatalf("write %d after the pause waited for %s", i, b.reason)
		})
		if err != nil {
			t.Fatal(err)
		}
		p.release(ctx, s, accepted)
	}
}
