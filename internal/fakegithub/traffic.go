package fakegithub

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

const (
	secondaryWindow = time.Minute
	docsPrimary     = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
	docsSecondary   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	msgPrimary      = "API rate limit exceeded for installation ID 1."
	msgSecondary    = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
		"If you reach out to GitHub Support for help, please include the request ID %s."
	// What a proxy in front of the API answers when the API is unreachable.
	badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
		"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)

// SecondaryLimits are GitHub's documented secondary rate limits. A zero
// field takes GitHub's value.
type SecondaryLimits struct {
	// MaxConcurrent is how many requests may be in flight at once; default 100.
	MaxConcurrent int
	// PointsPerMinute is what one endpoint (method and route template) may
	// use in any 60 seconds; default 900.
	PointsPerMinute int
	// ReadPoints is the cost of a GET, WritePoints of a PUT, POST, PATCH or
	// DELETE; defaults 1 and 5.
	ReadPoints, WritePoints int
	// WritesPerMinute caps writes across all endpoints in any 60 seconds;
	// 0 means no such cap (a stricter server might use 80).
	WritesPerMinute int
	// OmitRetryAfter leaves the Retry-After header out of rejections, as
	// GitHub sometimes does.
	OmitRetryAfter bool
	// RetryAfter, when set, is the Retry-After of every rejection instead of
	// the time until the windows have room: a server whose hint is shorter
	// than its window, so a client that only honours it is rejected again.
	RetryAfter time.Duration
}

func (l SecondaryLimits) withDefaults() SecondaryLimits {
	l.MaxConcurrent = defaultInt(l.MaxConcurrent, 100)
	l.PointsPerMinute = defaultInt(l.PointsPerMinute, 900)
	l.ReadPoints = defaultInt(l.ReadPoints, 1)
	l.WritePoints = defaultInt(l.WritePoints, 5)
	return l
}

func defaultInt(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// Faults makes a share of authenticated requests fail before they change
// anything. Rates are between 0 and 1 and add up to at most 1.
type Faults struct {
	// ServerErrorRate is the share answered 500, 502 or 503 (evenly mixed);
	// the 502 comes as a proxy's HTML page.
	ServerErrorRate float64
	// DropRate is the share whose connection is closed without an answer.
	DropRate float64
	// Seed makes the choice of failing requests repeatable.
	Seed int64
}

func (f Faults) validate() {
	for _, rate := range []float64{f.ServerErrorRate, f.DropRate} {
		if !(rate >= 0 && rate <= 1) {
			panic(fmt.Sprintf("fakegithub: fault rate %v is not between 0 and 1", rate))
		}
	}
	if f.ServerErrorRate+f.DropRate > 1 {
		panic("fakegithub: fault rates add up to more than 1")
	}
}

type fault int

const (
	noFault fault = iota
	dropFault
	serverErrorFault // 500
	badGatewayFault  // 502
	unavailableFault // 503
)

// traffic holds what shapes requests before the API sees them: latency,
// faults, concurrency and the secondary limits' windows.
type traffic struct {
	sleep     func(context.Context, time.Duration) error
	secondary *SecondaryLimits // with defaults; nil when off

	mu          sync.Mutex
	latency     time.Duration
	jitter      time.Duration
	jitterRand  *rand.Rand
	faults      Faults
	faultRand   *rand.Rand
	inFlight    int
	maxInFlight int
	endpoints   map[string]*window // by "METHOD /route/{template}"
	writes      window
}

func (t *traffic) init(opts Options) {
	t.sleep = opts.Sleep
	if t.sleep == nil {
		t.sleep = sleepContext
	}
	if opts.Secondary != nil {
		limits := opts.Secondary.withDefaults()
		t.secondary = &limits
	}
	t.endpoints = map[string]*window{}
	t.jitterRand = rand.New(rand.NewPCG(1, 2))
	t.setLatency(opts.Latency, opts.LatencyJitter)
	t.setFaults(opts.Faults)
}

func (t *traffic) setLatency(d, jitter time.Duration) {
	if d < 0 || jitter < 0 {
		panic("fakegithub: negative latency")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.latency, t.jitter = d, jitter
}

func (t *traffic) setFaults(f Faults) {
	f.validate()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = f
	t.faultRand = rand.New(rand.NewPCG(uint64(f.Seed), uint64(f.Seed)))
}

// SetLatency changes Options.Latency and Options.LatencyJitter for the
// requests that arrive from now on.
func (s *Server) SetLatency(d, jitter time.Duration) { s.traffic.setLatency(d, jitter) }

// SetFaults changes Options.Faults for the requests that arrive from now
// on; the choice of failing requests starts again from f.Seed.
func (s *Server) SetFaults(f Faults) { s.traffic.setFaults(f) }

// wait holds the request for the configured latency.
func (t *traffic) wait(ctx context.Context) error {
	t.mu.Lock()
	d := t.latency
	if t.jitter > 0 {
		d += time.Duration(t.jitterRand.Int64N(int64(t.jitter) + 1))
	}
	t.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return t.sleep(ctx, d)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (t *traffic) drawFault() fault {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.faults
	if f.DropRate == 0 && f.ServerErrorRate == 0 {
		return noFault
	}
	switch x := t.faultRand.Float64(); {
	case x < f.DropRate:
		return dropFault
	case x < f.DropRate+f.ServerErrorRate:
		return []fault{serverErrorFault, badGatewayFault, unavailableFault}[t.faultRand.IntN(3)]
	default:
		return noFault
	}
}

// slot is a request's place among those in flight.
type slot struct {
	authed  bool
	counted bool // holds an in-flight place
	over    bool // arrived with the concurrency limit reached
}

func (t *traffic) enter(authed bool) slot {
	t.mu.Lock()
	defer t.mu.Unlock()
	if authed && t.secondary != nil && t.inFlight >= t.secondary.MaxConcurrent {
		return slot{authed: true, over: true}
	}
	t.inFlight++
	t.maxInFlight = max(t.maxInFlight, t.inFlight)
	return slot{authed: authed, counted: true}
}

func (t *traffic) leave(sl slot) {
	if !sl.counted {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inFlight--
}

// admit applies the secondary limits and charges an accepted request's
// points. A rejected request charges nothing; retry is how long until the
// windows have room for it.
func (t *traffic) admit(sl slot, method, endpoint string, now time.Time) (retry time.Duration, ok bool) {
	limits := t.secondary
	if limits == nil || !sl.authed {
		return 0, true
	}
	if sl.over {
		return time.Second, false
	}
	write := routes.ClassOf(method) == routes.Write
	cost := limits.ReadPoints
	if write {
		cost = limits.WritePoints
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	win := t.endpoints[endpoint]
	if win == nil {
		win = &window{}
		t.endpoints[endpoint] = win
	}
	retry = win.wait(now, limits.PointsPerMinute, cost)
	if write && limits.WritesPerMinute > 0 {
		retry = max(retry, t.writes.wait(now, limits.WritesPerMinute, 1))
	}
	if retry > 0 {
		return retry, false
	}
	win.add(now, cost)
	if write {
		t.writes.add(now, 1)
	}
	return 0, true
}

// window is a sliding 60-second window of charges, oldest first.
type window struct {
	hits []hit
	used int
}

type hit struct {
	at   time.Time
	cost int
}

func (w *window) prune(now time.Time) {
	n := 0
	for n < len(w.hits) && !now.Before(w.hits[n].at.Add(secondaryWindow)) {
		w.used -= w.hits[n].cost
		n++
	}
	w.hits = w.hits[n:]
}

// wait is how long until cost more fits under limit; 0 when it fits now.
func (w *window) wait(now time.Time, limit, cost int) time.Duration {
	w.prune(now)
	excess := w.used + cost - limit
	if excess <= 0 {
		return 0
	}
	for _, h := range w.hits {
		if excess -= h.cost; excess <= 0 {
			return h.at.Add(secondaryWindow).Sub(now)
		}
	}
	return secondaryWindow // cost alone is over the limit
}

func (w *window) add(now time.Time, cost int) {
	w.hits = append(w.hits, hit{at: now, cost: cost})
	w.used += cost
}

// endpoint names a request's endpoint the way the secondary limits count
// it, by its route: method and template, e.g. "PUT
// /orgs/{org}/actions/secrets/{secret_name}". Paths of no known route count
// as themselves.
func endpoint(method, path string) string {
	if rt, _, ok := routes.Match(method, path); ok {
		return rt.Key()
	}
	return method + " " + path
}

// retryAfter renders a wait as GitHub's Retry-After: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	secs := (d + time.Second - 1) / time.Second
	return strconv.FormatInt(max(1, int64(secs)), 10)
}

// fault draws whether an authenticated request fails, counting what is injected.
func (s *Server) fault(authed bool) fault {
	if !authed {
		return noFault
	}
	f := s.traffic.drawFault()
	switch f {
	case noFault:
	case dropFault:
		s.count(func(st *Stats) { st.Dropped++ })
	default:
		s.count(func(st *Stats) { st.ServerErrors++ })
	}
	return f
}

// writeFault answers an injected server error.
func writeFault(w http.ResponseWriter, f fault) {
	switch f {
	case serverErrorFault:
		writeError(w, http.StatusInternalServerError, "Server Error", docsRoot)
	case unavailableFault:
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable", docsRoot)
	default:
		// A proxy answers, so none of the API's own headers come with it.
		h := w.Header()
		h.Del("X-GitHub-Request-Id")
		h.Del("X-GitHub-Api-Version-Selected")
		h.Set("Content-Type", "text/html")
		h.Set("Content-Length", strconv.Itoa(len(badGatewayHTML)))
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(badGatewayHTML))
	}
}

// dropConnection closes the connection without an answer. Where the
// connection cannot be taken over (HTTP/2), aborting the handler resets
// the stream instead.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// chargePrimary counts the request in the hour window and sets the
// X-RateLimit headers. It reports false, counting nothing, when enforce is
// set and an enforced limit is used up.
func (s *Server) chargePrimary(ex *exchange, enforce bool) bool {
	if s.rateLimitsOff {
		return true
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	now := s.now()
	if s.rateReset.IsZero() || !now.Before(s.rateReset) {
		s.rateUsed = 0
		s.rateReset = now.Add(rateWindow).Truncate(time.Second)
	}
	if enforce && s.primaryLimit > 0 && s.rateUsed >= s.primaryLimit {
		s.stats.PrimaryRejected++
		s.setRateHeaders(ex.out.Header())
		return false
	}
	s.rateUsed++
	ex.chargedWindow = s.rateReset
	s.setRateHeaders(ex.out.Header())
	return true
}

// refundPrimary takes back a request's charge, as for a 304, if its
// window is still the current one.
func (s *Server) refundPrimary(ex *exchange) {
	if ex.chargedWindow.IsZero() {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.rateReset.Equal(ex.chargedWindow) && s.rateUsed > 0 {
		s.rateUsed--
		s.setRateHeaders(ex.out.Header())
	}
	ex.chargedWindow = time.Time{}
}

// setRateHeaders needs logMu.
func (s *Server) setRateHeaders(h http.Header) {
	limit := s.primaryLimit
	if limit == 0 {
		limit = rateLimit
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, limit-s.rateUsed)))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.rateUsed))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.rateReset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// rateLimitError is GitHub's body for rate limit rejections, which carries
// no status field.
type rateLimitError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
}

func rejectPrimary(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, rateLimitError{Message: msgPrimary, DocumentationURL: docsPrimary})
}

func (s *Server) rejectSecondary(w http.ResponseWriter, retry time.Duration) {
	s.count(func(st *Stats) { st.SecondaryRejected++ })
	switch limits := s.traffic.secondary; {
	case limits.OmitRetryAfter:
	case limits.RetryAfter > 0:
		w.Header().Set("Retry-After", retryAfter(limits.RetryAfter))
	default:
		w.Header().Set("Retry-After", retryAfter(retry))
	}
	msg := fmt.Sprintf(msgSecondary, w.Header().Get("X-GitHub-Request-Id"))
	writeJSON(w, http.StatusForbidden, rateLimitError{Message: msg, DocumentationURL: docsSecondary})
}
