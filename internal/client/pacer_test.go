package client

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
	log := &recLogger{}
	p := pacerOf(c)
	p.log = log
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
	want := []budgetChange{
		{budget: "writes", from: 900, to: 45},
		{budget: "writes", from: 45, to: 135},
		{budget: "writes", from: 135, to: 45},
	}
	if got := budgetLog(log, "writes"); !slices.Equal(got, want) {
		t.Errorf("write budget changes %v, want %v", got, want)
	}
	if srv.rejected != 3 {
		t.Errorf("%d rejections, want 3: one in the first minute, the one that teaches, and the one probe above the learned budget", srv.rejected)
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
	// A configured budget of 100 puts the learned budgets' floor at one
	// write, so the few writes below are enough to learn from.
	p := newPacer(PacingPolicy{EndpointPointsPerMinute: 100})
	p.now, p.sleep = clk.now, clk.sleep
	pastFirstMinute(p, clk)
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
	const floor = 45
	accepted := func(n int) []*sendSlot {
		var out []*sendSlot
		for range n {
			out = append(out, &sendSlot{points: writePoints, finished: true, accepted: true})
		}
		return out
	}
	inFlight := func(n int) []*sendSlot {
		var out []*sendSlot
		for range n {
			out = append(out, &sendSlot{points: writePoints})
		}
		return out
	}
	tests := []struct {
		name     string
		slots    []*sendSlot // besides the rejected one
		learned  int         // before the rejection
		want     int
		wantDown bool
	}{
		{"nothing accepted", nil, 0, 0, false},
		// Eight writes in flight would count as taken, but only what was
		// accepted shows this client's own pace: 5 points accepted say
		// little when the process has only just started.
		{"less than the floor accepted", append(accepted(1), inFlight(8)...), 0, 0, false},
		{"floor accepted, estimate below it", accepted(9), 0, floor, true},
		{"well over the floor accepted", accepted(20), 0, 90, true},
		{"in flight count once enough was accepted", append(accepted(10), inFlight(4)...), 0, 63, true},
		{"learned budget never lowered by a rejection with little accepted", accepted(2), 200, 200, false},
		{"learned budget lowered, not below the floor", accepted(9), 200, floor, true},
		{"learned budget never raised by a rejection", accepted(40), 100, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &sendSlot{points: writePoints}
			w := &window{slots: append(tt.slots, r), learned: tt.learned}
			if down := w.learn(r, floor); w.learned != tt.want || down != tt.wantDown {
				t.Errorf("learned %d (lowered %v), want %d (%v)", w.learned, down, tt.want, tt.wantDown)
			}
		})
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
	// Additive increase: +1 after a cap's worth of successes, up to the
	// maximum. Past the 1s pause but within a minute of it, so no clean
	// window has raised the cap yet (TestPacerLearnedBudgetsRecover).
	_ = clk.sleep(t.Context(), 30*time.Second)
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
	// Past the 1s pause, within the minute after which the cap would rise.
	_ = clk.sleep(t.Context(), 30*time.Second)
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

func pacerOf(c *Client) *pacer { return c.httpClient.Transport.(*transport).pacer }

// budgetLog returns the budget changes logged for budget, or for all when
// budget is "", without their units.
func budgetLog(log *recLogger, budget string) []budgetChange {
	var out []budgetChange
	for _, e := range log.at("info") {
		name, ok := e.fields["budget"].(string)
		if !ok || (budget != "" && name != budget) {
			continue
		}
		c := budgetChange{budget: name, from: e.fields["from"].(int), to: e.fields["to"].(int)}
		if (c.to < c.from) != (e.msg == "lowering GitHub API pacing budget") {
			panic(fmt.Sprintf("%q logged for %v", e.msg, c))
		}
		out = append(out, c)
	}
	return out
}

// newTestPacer returns a pacer on clk that logs to log.
func newTestPacer(policy PacingPolicy, clk *fakeClock, log Logger) *pacer {
	p := newPacer(policy)
	p.now, p.sleep, p.log = clk.now, clk.sleep, log
	return p
}

// pastFirstMinute makes p a client that began sending a minute ago, whose
// rejections teach it budgets: within its first minute they only pause it.
func pastFirstMinute(p *pacer, clk *fakeClock) {
	p.firstSent = [2]time.Time{clk.now().Add(-paceWindow), clk.now().Add(-paceWindow)}
}

// admit acquires a slot, failing the test if it cannot.
func admit(t *testing.T, p *pacer, class reqClass, key string) *sendSlot {
	t.Helper()
	s, err := p.acquire(t.Context(), class, key, 0, func(block) {})
	if err != nil {
		t.Fatalf("acquire %s: %v", key, err)
	}
	return s
}

func TestPacerLearnedBudgetsRecover(t *testing.T) {
	t.Parallel()
	// Configured budgets of 100 points and 20 in flight: steps of 10 points
	// and 2 requests per clean minute.
	policy := PacingPolicy{EndpointPointsPerMinute: 100, MaxConcurrent: 20}
	tests := []struct {
		name   string
		budget string
		// reject brings about one secondary-limit rejection.
		reject func(t *testing.T, p *pacer)
		value  func(p *pacer) int
		// want is the value after the rejection and after each clean
		// minute; 0 is no learned budget, as it is dropped at the ceiling.
		want []int
	}{
		{
			name:   "write budget",
			budget: "writes",
			reject: func(t *testing.T, p *pacer) {
				for range 10 {
					p.finish(admit(t, p, classWrite, "PUT /a"), true)
				}
				p.rejectedSecondary(admit(t, p, classWrite, "PUT /a"), 0, time.Minute)
			},
			value: func(p *pacer) int { return p.writes.learned },
			want:  []int{45, 55, 65, 75, 85, 95, 0, 0},
		},
		{
			name:   "endpoint budget",
			budget: "GET /x",
			reject: func(t *testing.T, p *pacer) {
				for range 50 {
					p.finish(admit(t, p, classRead, "GET /x"), true)
				}
				p.rejectedSecondary(admit(t, p, classRead, "GET /x"), 0, time.Minute)
			},
			value: func(p *pacer) int { return p.endpoints["GET /x"].learned },
			want:  []int{45, 55, 65, 75, 85, 95, 0, 0},
		},
		{
			name:   "concurrency cap",
			budget: "concurrency",
			reject: func(t *testing.T, p *pacer) {
				var slots []*sendSlot
				for range 20 {
					slots = append(slots, admit(t, p, classRead, "GET /y"))
				}
				p.rejectedSecondary(slots[0], 0, time.Minute)
				for _, s := range slots[1:] {
					p.finish(s, false) // failed: no per-success increase
				}
			},
			value: func(p *pacer) int { return p.concCap },
			want:  []int{10, 12, 14, 16, 18, 20, 20},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			log := &recLogger{}
			p := newTestPacer(policy, clk, log)
			pastFirstMinute(p, clk)
			tt.reject(t, p)
			value := func() int {
				// A request to another endpoint lets the pacer catch up.
				p.finish(admit(t, p, classRead, "GET /probe"), true)
				p.mu.Lock()
				defer p.mu.Unlock()
				return tt.value(p)
			}
			// The clean minute starts when the 1s pause ends.
			_ = clk.sleep(t.Context(), time.Second+paceWindow-time.Nanosecond)
			if got := value(); got != tt.want[0] {
				t.Fatalf("just before a clean minute: %d, want %d", got, tt.want[0])
			}
			_ = clk.sleep(t.Context(), time.Nanosecond)
			for i, want := range tt.want[1:] {
				if got := value(); got != want {
					t.Fatalf("after %d clean minutes: %d, want %d", i+1, got, want)
				}
				_ = clk.sleep(t.Context(), paceWindow)
			}
			var want []budgetChange
			ceiling := 100
			if tt.budget == "concurrency" {
				ceiling = 20
			}
			want = append(want, budgetChange{budget: tt.budget, from: ceiling, to: tt.want[0]})
			for i := 1; i < len(tt.want) && tt.want[i-1] != 0 && tt.want[i-1] != ceiling; i++ {
				to := tt.want[i]
				if to == 0 {
					to = ceiling
				}
				want = append(want, budgetChange{budget: tt.budget, from: tt.want[i-1], to: to})
			}
			if got := budgetLog(log, tt.budget); !slices.Equal(got, want) {
				t.Errorf("logged %v, want %v", got, want)
			}
		})
	}
}

func TestPacerRejectionDuringRecovery(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	log := &recLogger{}
	p := newTestPacer(PacingPolicy{EndpointPointsPerMinute: 100}, clk, log)
	pastFirstMinute(p, clk)
	learned := func() (writes, endpoint int) {
		p.finish(admit(t, p, classRead, "GET /probe"), true)
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.writes.learned, p.window("PUT /a").learned
	}
	for range 10 {
		p.finish(admit(t, p, classWrite, "PUT /a"), true)
	}
	p.rejectedSecondary(admit(t, p, classWrite, "PUT /a"), 0, time.Minute)
	_ = clk.sleep(t.Context(), time.Second+2*paceWindow) // the pause, two clean minutes
	if w, _ := learned(); w != 65 {
		t.Fatalf("write budget %d after two clean minutes, want 65", w)
	}

	// Twelve writes accepted under the raised budget, then a rejection: the
	// raise was a probe, so the write budget (not /a) answers for it.
	for range 12 {
		p.finish(admit(t, p, classWrite, "PUT /a"), true)
	}
	p.rejectedSecondary(admit(t, p, classWrite, "PUT /a"), 0, time.Minute)
	if w, a := learned(); w != 54 || a != 0 {
		t.Fatalf("after a rejection during recovery: writes %d, /a %d; want 54 (90%% of 60) and none", w, a)
	}
	// The rejection restarted the clean minute.
	_ = clk.sleep(t.Context(), time.Second+paceWindow-time.Nanosecond)
	if w, _ := learned(); w != 54 {
		t.Errorf("write budget %d within a minute of the rejection, want 54", w)
	}
	_ = clk.sleep(t.Context(), time.Nanosecond)
	if w, _ := learned(); w != 64 {
		t.Errorf("write budget %d after a clean minute, want 64", w)
	}
	want := []budgetChange{
		{budget: "writes", from: 100, to: 45},
		{budget: "writes", from: 45, to: 65}, // two clean minutes at once
		{budget: "writes", from: 65, to: 54},
		{budget: "writes", from: 54, to: 64},
	}
	if got := budgetLog(log, "writes"); !slices.Equal(got, want) {
		t.Errorf("logged %v, want %v", got, want)
	}
}

func TestPacerWaitEndsWhenBudgetRises(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newTestPacer(PacingPolicy{EndpointPointsPerMinute: 100}, clk, nopLogger{})
	pastFirstMinute(p, clk)
	for range 10 {
		p.finish(admit(t, p, classWrite, "PUT /a"), true)
	}
	p.rejectedSecondary(admit(t, p, classWrite, "PUT /a"), 0, time.Minute)
	raise := clk.now().Add(time.Second + paceWindow)
	// Nine writes half-way through the clean minute fill the budget of 45
	// until a minute later, but the budget rises before that.
	_ = clk.sleep(t.Context(), 30*time.Second)
	for range 9 {
		p.finish(admit(t, p, classWrite, "PUT /b"), true)
	}
	s := admit(t, p, classWrite, "PUT /b")
	if !s.sent.Equal(raise) {
		t.Errorf("held-back write sent %v after the rise, want at it", s.sent.Sub(raise))
	}
}

func TestPacerRejectionAtStartKeepsFullPace(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	log := &recLogger{}
	p := newTestPacer(PacingPolicy{}, clk, log)
	// Ten writes at once as a command starts; the server takes two and
	// rejects the rest, as its window still holds a previous command's
	// writes. Ten points accepted are under the floor of 45.
	var slots []*sendSlot
	for range 10 {
		slots = append(slots, admit(t, p, classWrite, "DELETE /a"))
	}
	_ = clk.sleep(t.Context(), time.Second) // the answers take a moment
	p.finish(slots[0], true)
	p.finish(slots[1], true)
	var pause time.Duration
	for _, s := range slots[2:] {
		pause = max(pause, p.rejectedSecondary(s, -1, time.Minute))
	}
	if got := budgetLog(log, ""); len(got) != 1 || got[0].budget != "concurrency" {
		t.Errorf("budget changes %v, want only the concurrency cut", got)
	}
	_ = clk.sleep(t.Context(), pause)
	// The documented budget (180 writes) still applies, less the ten sent.
	for i := range 170 {
		s, err := p.acquire(t.Context(), classWrite, "DELETE /a", 0, func(b block) {
			t.Fatalf("write %d after the pause waited for %s", i, b.reason)
		})
		if err != nil {
			t.Fatal(err)
		}
		p.finish(s, true)
	}
}

func TestPacingStrictServer(t *testing.T) {
	t.Parallel()
	// 80 writes a minute for all endpoints, as GitHub limits content
	// creation: 200 writes take 150s at that rate. The server's window may
	// still hold a previous command's writes. One worker, as the fake clock
	// adds up sleeps of several goroutines instead of overlapping them.
	const perMinute, writes = 80, 200
	bound := 3 * (time.Duration(writes) * time.Minute / perMinute) / 2
	tests := []struct {
		name     string
		previous int           // writes of a previous command in the server's window
		ago      time.Duration // how long before this one started
	}{
		{"fresh server", 0, 0},
		{"previous command 20s ago", 72, 20 * time.Second},
		{"previous command just ended", 79, time.Second},
		{"half-used window", 40, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			start := clk.now()
			srv := &limitedServer{clk: clk, perMinute: perMinute}
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
			if srv.rejected > 3 {
				t.Errorf("%d rejections, want at most 3", srv.rejected)
			}
		})
	}
}

// TestPacerFirstMinuteRejectionOnlyPauses: a rejection within a client's
// first minute may be due to requests sent before it began (the previous
// command's), so it lowers no budget; the same rejection a minute later does.
func TestPacerFirstMinuteRejectionOnlyPauses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		older time.Duration // how long before the rejection the client began
		want  int           // learned write budget
	}{
		{"within the first minute", paceWindow - time.Second, 0},
		{"after the first minute", paceWindow, 90}, // 90% of the 100 points accepted
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			p := newTestPacer(PacingPolicy{}, clk, nopLogger{})
			// One write to another endpoint starts the client's clock, long
			// enough ago to have left every window.
			p.finish(admit(t, p, classWrite, "PUT /first"), true)
			_ = clk.sleep(t.Context(), tt.older-time.Second)
			for range 20 {
				p.finish(admit(t, p, classWrite, "PUT /a"), true)
			}
			_ = clk.sleep(t.Context(), time.Second)
			wait := p.rejectedSecondary(admit(t, p, classWrite, "PUT /a"), -1, time.Minute)
			if wait < time.Minute {
				t.Errorf("paused %v, want at least a minute", wait)
			}
			if p.writes.learned != tt.want {
				t.Errorf("learned write budget %d, want %d", p.writes.learned, tt.want)
			}
		})
	}
}
