package client

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// PacingPolicy sets the budgets a Client keeps to on its own, so that GitHub's
// secondary rate limits are rarely hit. Zero fields take GitHub's documented
// values. The budgets apply once a response carries X-RateLimit-Limit (and
// before the first response); a server that advertises no limits, such as
// GitHub Enterprise Server with rate limiting off, is served at full speed
// until it rejects a request. After a secondary-limit rejection the Client
// lowers its budgets to what the server was seen to accept and halves its
// concurrency; each minute without another rejection then raises them by a
// tenth of the configured values until they are back there.
type PacingPolicy struct {
	// EndpointPointsPerMinute is what one endpoint (method and path template)
	// may use in any 60 seconds. A GET or HEAD costs 1 point; a PUT, POST,
	// PATCH or DELETE costs 5. Default 900.
	EndpointPointsPerMinute int
	// MaxConcurrent caps the requests in flight at once. Default 100.
	MaxConcurrent int
}

const (
	defaultEndpointPoints = 900
	defaultMaxConcurrent  = 100

	// paceWindow is the span of GitHub's per-minute secondary limits.
	paceWindow  = time.Minute
	readPoints  = 1
	writePoints = 5
	// learnedShare is the part of the points seen accepted in the last
	// minute that a learned budget allows, in tenths.
	learnedShare = 9
	// floorPercent is the least a learned budget allows, in percent of
	// EndpointPointsPerMinute (45 of 900 points: nine writes a minute). A
	// rejection before this client had that much accepted says more about
	// other traffic, such as a previous command's writes still in the
	// server's window, than about the server's budget.
	floorPercent = 5
	// raisePercent is what a learned budget, or the concurrency cap, regains
	// per minute without a rejection, in percent of the configured value. A
	// tenth brings a budget back from the floor within ten clean minutes, so a
	// rejection with another cause slows a long command for a few minutes
	// only; a probe past the server's real limit costs one burst of
	// rejections per two minutes at most, as the next cut lands below it.
	raisePercent = 10
	// maxSecondaryWait caps the back-off after repeated secondary-limit
	// rejections; a longer Retry-After is handed back to the caller.
	maxSecondaryWait = 15 * time.Minute
)

func (p PacingPolicy) withDefaults() PacingPolicy {
	if p.EndpointPointsPerMinute <= 0 {
		p.EndpointPointsPerMinute = defaultEndpointPoints
	}
	if p.MaxConcurrent <= 0 {
		p.MaxConcurrent = defaultMaxConcurrent
	}
	return p
}

// limitMode is what the server has said about its rate limits.
type limitMode int

const (
	modeUnknown      limitMode = iota // no response yet; budgets apply to be safe
	modeAdvertised                    // a response carried X-RateLimit-Limit
	modeUnadvertised                  // responses carry no X-RateLimit headers
)

// reqClass groups requests that GitHub limits together: a secondary-limit
// pause for writes does not hold back reads.
type reqClass int

const (
	classRead reqClass = iota
	classWrite
)

func classOf(method string) reqClass {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return classRead
	}
	return classWrite
}

func pointsOf(c reqClass) int {
	if c == classWrite {
		return writePoints
	}
	return readPoints
}

// sendSlot is one sent request as the pacer counts it: from when it is sent
// until a minute after its response, so the client's window always covers
// the server's.
type sendSlot struct {
	ctx      context.Context // the request's, for what its rejection logs
	key      string
	class    reqClass
	points   int
	sent     time.Time
	finished bool
	expires  time.Time // set when finished
	accepted bool      // the server answered without a rate-limit rejection
}

// window holds the slots of one endpoint, or of all writes, that still count.
type window struct {
	slots   []*sendSlot
	learned int // points per minute learned from rejections; 0 = none
	// steady is when the current stretch without a rejection began, for
	// raising learned once per full paceWindow of it.
	steady time.Time
}

func (w *window) prune(now time.Time) {
	w.slots = slices.DeleteFunc(w.slots, func(s *sendSlot) bool {
		return s.finished && !s.expires.After(now)
	})
}

func (w *window) used() int {
	total := 0
	for _, s := range w.slots {
		total += s.points
	}
	return total
}

// freeAt says when need more points fit under limit: zero when they fit now,
// ok=false when only a request still in flight can make room.
func (w *window) freeAt(limit, need int) (at time.Time, ok bool) {
	total := w.used()
	if total == 0 || total+need <= limit {
		return time.Time{}, true
	}
	var done []*sendSlot
	for _, s := range w.slots {
		if s.finished {
			done = append(done, s)
		}
	}
	slices.SortFunc(done, func(a, b *sendSlot) int { return a.expires.Compare(b.expires) })
	excess := total + need - limit
	for _, s := range done {
		excess -= s.points
		total -= s.points
		if excess <= 0 || total == 0 {
			return s.expires, true
		}
	}
	return time.Time{}, false
}

// learn lowers the window's budget after the rejection of r to a share of
// the points the server took in it: those accepted, and those still in flight
// that were sent before r, as the server most likely took them too. An
// estimate too high is lowered by the next rejection; one too low is raised
// again by recover. The budget never falls below floor. With fewer than floor
// points accepted, this client's pace did not cause the rejection (another
// client, a previous command or a longer window did), so only the pause
// answers it. It reports whether the budget went down.
func (w *window) learn(r *sendSlot, floor int) bool {
	accepted, taken := 0, 0
	for _, s := range w.slots {
		switch {
		case s.accepted:
			accepted += s.points
			taken += s.points
		case !s.finished && s != r && !s.sent.After(r.sent):
			taken += s.points
		}
	}
	if accepted < floor {
		return false
	}
	budget := max(floor, taken*learnedShare/10)
	if w.learned != 0 && budget >= w.learned {
		return false
	}
	w.learned = budget
	return true
}

// recover raises a learned budget by step for each full paceWindow since
// w.steady and drops it once it reaches ceiling. It returns the budget before
// and after (ceiling when dropped) and whether it moved.
func (w *window) recover(now time.Time, step, ceiling int) (from, to int, moved bool) {
	n := windowsSince(w.steady, now)
	if w.learned == 0 || n == 0 {
		return 0, 0, false
	}
	from = w.learned
	w.learned += n * step
	w.steady = w.steady.Add(time.Duration(n) * paceWindow)
	if w.learned >= ceiling {
		w.learned = 0
		return from, ceiling, true
	}
	return from, w.learned, true
}

// nextRaise is when a learned budget next rises; zero for none.
func (w *window) nextRaise() time.Time {
	if w.learned == 0 {
		return time.Time{}
	}
	return w.steady.Add(paceWindow)
}

// windowsSince counts the full paceWindows from since to now.
func windowsSince(since, now time.Time) int {
	if !now.After(since) {
		return 0
	}
	return int(now.Sub(since) / paceWindow)
}

// pause holds back a class of requests after a secondary-limit rejection.
type pause struct {
	until   time.Time
	decided time.Time // when the current pause began; older rejections do not extend it
	streak  int       // rejections in a row, for the back-off
}

// block is why a request may not be sent yet.
type block struct {
	reason string
	wait   time.Duration // 0: until a request in flight finishes
	fields map[string]any
}

// pacer is the gate every request of one Client passes before it is sent.
type pacer struct {
	policy PacingPolicy
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	log    Logger

	mu        sync.Mutex
	mode      limitMode
	endpoints map[string]*window
	writes    window // all writes, for a learned global write budget
	// writesLearnedAt is when the write budget was last lowered; zero once
	// it has been raised since, as a raised budget is a guess that the next
	// rejection may refute.
	writesLearnedAt time.Time
	inFlight        int
	concCap         int
	capLearned      bool      // the cap applies even when no limits are advertised
	successes       int       // since the cap last moved
	capSteady       time.Time // when the cap's stretch without a rejection began
	lastCut         time.Time
	primaryUntil    time.Time
	pauses          [2]pause     // by reqClass
	firstSent       [2]time.Time // when this client first sent a request of the class
	// changed is closed and replaced whenever a request finishes.
	changed chan struct{}
	// One waiter sleeps until sleeperUntil; others due no earlier wait for
	// tick, closed and replaced when it wakes, instead of each sleeping.
	sleeperUntil time.Time
	tick         chan struct{}
}

func newPacer(policy PacingPolicy) *pacer {
	policy = policy.withDefaults()
	return &pacer{
		policy:    policy,
		now:       time.Now,
		sleep:     sleepCtx,
		log:       nopLogger{},
		endpoints: make(map[string]*window),
		concCap:   policy.MaxConcurrent,
		changed:   make(chan struct{}),
		tick:      make(chan struct{}),
	}
}

// acquire waits until a request of class to endpoint key may be sent and
// counts it as in flight. A primary-limit pause longer than maxPrimaryWait is
// not waited for: the server will answer with the limit error. onWait is
// called once each time the reason for waiting changes.
func (p *pacer) acquire(ctx context.Context, class reqClass, key string, maxPrimaryWait time.Duration, onWait func(block)) (*sendSlot, error) {
	last := ""
	for {
		p.mu.Lock()
		now := p.now()
		raised := p.recoverLocked(now)
		b, blocked := p.blockedLocked(now, class, key, maxPrimaryWait)
		if !blocked {
			s := p.admitLocked(ctx, now, class, key)
			p.mu.Unlock()
			p.logChanges(ctx, raised)
			return s, nil
		}
		// A timed wait ends when a pause or a window slot runs out or a
		// learned budget is next raised; in between pauses only grow and
		// budgets only shrink, so no finished request ends it earlier. Other
		// waits end when a request finishes.
		wake := p.changed
		var until time.Time
		if b.wait > 0 {
			if until = now.Add(b.wait); !p.sleeperUntil.IsZero() && !p.sleeperUntil.After(until) {
				wake, until = p.tick, time.Time{}
			} else {
				p.sleeperUntil = until
			}
		}
		p.mu.Unlock()
		p.logChanges(ctx, raised)

		if b.reason != last {
			onWait(b)
			last = b.reason
		}
		if !until.IsZero() {
			err := p.sleep(ctx, b.wait)
			p.mu.Lock()
			if p.sleeperUntil.Equal(until) {
				p.sleeperUntil = time.Time{}
			}
			close(p.tick)
			p.tick = make(chan struct{})
			p.mu.Unlock()
			if err != nil {
				return nil, err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wake:
		}
	}
}

func (p *pacer) blockedLocked(now time.Time, class reqClass, key string, maxPrimaryWait time.Duration) (block, bool) {
	if d := p.primaryUntil.Sub(now); d > 0 && d <= maxPrimaryWait {
		return block{reason: "primary rate limit", wait: d}, true
	}
	if d := p.pauses[class].until.Sub(now); d > 0 {
		return block{reason: "secondary rate limit", wait: d}, true
	}
	enforce := p.mode != modeUnadvertised
	if (enforce || p.capLearned) && p.inFlight >= p.concCap {
		return block{reason: "pacing: concurrency", fields: map[string]any{"in_flight": p.inFlight, "limit": p.concCap}}, true
	}
	points := pointsOf(class)
	w := p.window(key)
	w.prune(now)
	if limit := p.endpointLimit(w, enforce); limit > 0 {
		if at, ok := w.freeAt(limit, points); !ok || !at.IsZero() {
			if limit == w.learned {
				at = sooner(at, w.nextRaise(), now)
			}
			return block{reason: "pacing: endpoint budget", wait: max(0, at.Sub(now)), fields: map[string]any{"budget": limit}}, true
		}
	}
	if class == classWrite && p.writes.learned > 0 {
		p.writes.prune(now)
		if at, ok := p.writes.freeAt(p.writes.learned, points); !ok || !at.IsZero() {
			at = sooner(at, p.writes.nextRaise(), now)
			return block{reason: "pacing: write budget", wait: max(0, at.Sub(now)), fields: map[string]any{"budget": p.writes.learned}}, true
		}
	}
	return block{}, false
}

// sooner is when a budget wait ends: when a slot frees (at; zero when only a
// request in flight can free one) or when the budget is raised, if that
// comes first and is still ahead.
func sooner(at, raise, now time.Time) time.Time {
	if raise.After(now) && (at.IsZero() || raise.Before(at)) {
		return raise
	}
	return at
}

// endpointLimit is the budget w keeps to: the learned one, and GitHub's
// documented one while the server advertises limits; 0 for none.
func (p *pacer) endpointLimit(w *window, enforce bool) int {
	limit := w.learned
	if enforce && (limit == 0 || p.policy.EndpointPointsPerMinute < limit) {
		limit = p.policy.EndpointPointsPerMinute
	}
	return limit
}

func (p *pacer) admitLocked(ctx context.Context, now time.Time, class reqClass, key string) *sendSlot {
	s := &sendSlot{ctx: ctx, key: key, class: class, points: pointsOf(class), sent: now}
	if p.firstSent[class].IsZero() {
		p.firstSent[class] = now
	}
	w := p.window(key)
	w.slots = append(w.slots, s)
	if class == classWrite {
		p.writes.prune(now) // else it only grows while no write budget is learned
		p.writes.slots = append(p.writes.slots, s)
	}
	p.inFlight++
	return s
}

func (p *pacer) window(key string) *window {
	w := p.endpoints[key]
	if w == nil {
		w = &window{}
		p.endpoints[key] = w
	}
	return w
}

// finish records that s got an answer (accepted) or failed. Calling it
// again for the same slot does nothing.
func (p *pacer) finish(s *sendSlot, accepted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked(s, accepted)
}

func (p *pacer) finishLocked(s *sendSlot, accepted bool) {
	if s.finished {
		return
	}
	now := p.now()
	s.finished, s.expires, s.accepted = true, now.Add(paceWindow), accepted
	// The slot stays in its window for a minute; its context, and all a
	// context holds, need not.
	s.ctx = nil
	p.inFlight--
	if accepted {
		if pz := &p.pauses[s.class]; !s.sent.Before(pz.decided) {
			pz.streak = 0
		}
		// Additive increase: one more slot after a cap's worth of successes.
		if p.concCap < p.policy.MaxConcurrent {
			p.successes++
			if p.successes >= p.concCap {
				p.concCap++
				p.successes = 0
			}
		}
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// observe takes what a response says about the server's limits.
func (p *pacer) observe(h http.Header) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if h.Get("X-RateLimit-Limit") != "" {
		p.mode = modeAdvertised
	} else if p.mode == modeUnknown {
		p.mode = modeUnadvertised
	}
	if strings.TrimSpace(h.Get("X-RateLimit-Remaining")) != "0" {
		return
	}
	if reset, ok := rateLimitReset(h); ok {
		p.holdPrimaryLocked(reset.Add(time.Second))
	}
}

// holdPrimary makes every request wait until t, when the primary limit has
// been reset.
func (p *pacer) holdPrimary(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holdPrimaryLocked(t)
}

func (p *pacer) holdPrimaryLocked(t time.Time) {
	if t.After(p.primaryUntil) {
		p.primaryUntil = t
	}
}

// rejectedSecondary learns from a secondary-limit rejection of s, pauses its
// class and returns how long the pause still lasts. retryAfter < 0 means the
// server sent no Retry-After.
func (p *pacer) rejectedSecondary(s *sendSlot, retryAfter, minWait time.Duration) time.Duration {
	p.mu.Lock()
	now := p.now()
	until := p.pauseLocked(s, now, retryAfter, minWait)
	// A paused minute proves nothing about a budget: the stretch without
	// rejections that raises one starts when sending resumes.
	steady := later(now, until)

	// A write budget learned before s was sent, and not raised since, did
	// not stop this rejection, so the limit is narrower: the endpoint's.
	// Otherwise a limit on all writes explains it, and holding each endpoint
	// to its share of the writes would slow the others for nothing.
	w := p.window(s.key)
	w.prune(now)
	p.writes.prune(now)
	name, learner := s.key, w
	if s.class == classWrite && (p.writes.learned == 0 || p.writesLearnedAt.IsZero() || !s.sent.After(p.writesLearnedAt)) {
		name, learner = "writes", &p.writes
	}
	var changes []budgetChange
	// Within a minute of this client's first request of the class, the
	// server's sliding minute also holds what came before it, such as the
	// previous command's requests, which this client cannot see: what it
	// was seen to accept says nothing of the server's budget yet. The
	// pause, at least a minute, lets those requests leave the window.
	if young := now.Sub(p.firstSent[s.class]) < paceWindow; !young {
		if c, ok := p.lowerLocked(name, learner, s); ok {
			changes = append(changes, c)
			if learner == &p.writes {
				p.writesLearnedAt = now
			}
		}
	}
	w.steady = steady
	if s.class == classWrite {
		p.writes.steady = steady
	}
	// Multiplicative decrease, once per burst: requests sent before the last
	// cut were already accounted for by it.
	if !s.sent.Before(p.lastCut) {
		from := p.concCap
		p.concCap = max(1, min(p.concCap, p.inFlight)/2)
		p.capLearned, p.successes, p.lastCut = true, 0, now
		if p.concCap < from {
			changes = append(changes, budgetChange{budget: "concurrency", unit: "requests in flight", from: from, to: p.concCap})
		}
	}
	p.capSteady = steady
	ctx := s.ctx
	p.finishLocked(s, false)
	p.mu.Unlock()
	p.logChanges(ctx, changes)
	return until.Sub(now)
}

// pauseLocked pauses the class of s after its rejection and returns when
// the pause ends.
func (p *pacer) pauseLocked(s *sendSlot, now time.Time, retryAfter, minWait time.Duration) time.Time {
	pz := &p.pauses[s.class]
	fresh := !s.sent.Before(pz.decided)
	if fresh {
		pz.streak++
		pz.decided = now
	}
	var wait time.Duration
	switch {
	case retryAfter >= 0:
		wait = max(retryAfter, time.Second)
	case fresh:
		// At least a second even when configured lower: never a tight loop.
		wait = max(backoffStep(minWait, pz.streak, maxSecondaryWait), time.Second)
	}
	if until := now.Add(wait); until.After(pz.until) {
		pz.until = until
	}
	return pz.until
}

// lowerLocked learns w's budget, named name, from the rejection of r and
// returns the change, if it went down.
func (p *pacer) lowerLocked(name string, w *window, r *sendSlot) (budgetChange, bool) {
	from := w.learned
	if !w.learn(r, p.budgetFloor()) {
		return budgetChange{}, false
	}
	if from == 0 {
		from = p.policy.EndpointPointsPerMinute
	}
	return budgetChange{budget: name, unit: "points per minute", from: from, to: w.learned}, true
}

// recoverLocked raises the learned budgets and the concurrency cap for each
// full paceWindow without a secondary-limit rejection (additive increase),
// and returns what moved. A budget back at the configured one is dropped.
func (p *pacer) recoverLocked(now time.Time) []budgetChange {
	var changes []budgetChange
	// All writes share the endpoint ceiling too: with no rejection to go by,
	// the documented budget is the only limit this client keeps to.
	ceiling := p.policy.EndpointPointsPerMinute
	step := max(1, ceiling*raisePercent/100)
	if from, to, ok := p.writes.recover(now, step, ceiling); ok {
		// A raised write budget is a probe: a rejection under it is its own.
		p.writesLearnedAt = time.Time{}
		changes = append(changes, budgetChange{budget: "writes", unit: "points per minute", from: from, to: to})
	}
	var endpoints []budgetChange
	for key, w := range p.endpoints {
		if from, to, ok := w.recover(now, step, ceiling); ok {
			endpoints = append(endpoints, budgetChange{budget: key, unit: "points per minute", from: from, to: to})
		}
	}
	// Map order is random; the log should not be.
	slices.SortFunc(endpoints, func(a, b budgetChange) int { return strings.Compare(a.budget, b.budget) })
	changes = append(changes, endpoints...)

	if n := windowsSince(p.capSteady, now); n > 0 && p.concCap < p.policy.MaxConcurrent {
		from := p.concCap
		p.concCap = min(p.policy.MaxConcurrent, p.concCap+n*max(1, p.policy.MaxConcurrent*raisePercent/100))
		p.capSteady = p.capSteady.Add(time.Duration(n) * paceWindow)
		p.successes = 0
		changes = append(changes, budgetChange{budget: "concurrency", unit: "requests in flight", from: from, to: p.concCap})
	}
	return changes
}

// budgetFloor is the least a learned budget allows: a small share of the
// configured budget, and never less than one write.
func (p *pacer) budgetFloor() int {
	return max(writePoints, p.policy.EndpointPointsPerMinute*floorPercent/100)
}

// budgetChange is a learned budget or the concurrency cap moving, for the log.
type budgetChange struct {
	budget   string // "writes", an endpoint key or "concurrency"
	unit     string
	from, to int
}

// logChanges logs each change at Info, outside the pacer's lock.
func (p *pacer) logChanges(ctx context.Context, changes []budgetChange) {
	for _, c := range changes {
		msg := "raising GitHub API pacing budget"
		if c.to < c.from {
			msg = "lowering GitHub API pacing budget"
		}
		p.log.Info(ctx, msg, map[string]any{"budget": c.budget, "unit": c.unit, "from": c.from, "to": c.to})
	}
}

// backoffStep is base doubled for each step after the first, capped.
func backoffStep(base time.Duration, step int, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < step && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// rateLimitReset reads X-RateLimit-Reset (Unix seconds).
func rateLimitReset(h http.Header) (time.Time, bool) {
	secs, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// endpointKey names the endpoint a request goes to, as GitHub counts
// secondary limits: method and path template, from the route table. An
// escaped URL path of no known route keeps its segments, with numeric ones as
// {id}.
func endpointKey(method, path string) string {
	if i := strings.Index(path+"/", "/api/v3/"); i >= 0 {
		path = path[i+len("/api/v3"):]
	}
	path = "/" + strings.Trim(path, "/")
	if rt, _, ok := routes.Match(method, path); ok {
		return rt.Key()
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "{id}"
		}
	}
	return method + " " + strings.Join(segs, "/")
}
