package client

import (
	"context"
	"net/http"
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
// until it rejects a request. After a server stricter than documented rejects
// a write, the Client keeps all its writes to nine tenths of the pace the
// server was seen to accept, and gives a tenth of the documented budget back
// each minute without a rejection.
type PacingPolicy struct {
	// EndpointPointsPerMinute is what one endpoint (method and path template)
	// may use in any 60 seconds. A GET or HEAD costs 1 point; a PUT, POST,
	// PATCH or DELETE costs 5. Default 900.
	EndpointPointsPerMinute int
	// MaxConcurrent caps the requests in flight at once. Default 100.
	MaxConcurrent int
	// MaxConcurrentWrites caps the writes in flight at once. Default 2:
	// GitHub asks for many writes to be sent one after another, and every
	// write in flight when a stricter server first refuses one is refused
	// too. Two still reach an endpoint's documented 180 writes a minute
	// while each takes up to 600 ms.
	MaxConcurrentWrites int
}

const (
	defaultEndpointPoints      = routes.EndpointPointsPerMin
	defaultMaxConcurrent       = 100
	defaultMaxConcurrentWrites = 2
)

func (p PacingPolicy) withDefaults() PacingPolicy {
	if p.EndpointPointsPerMinute <= 0 {
		p.EndpointPointsPerMinute = defaultEndpointPoints
	}
	if p.MaxConcurrent <= 0 {
		p.MaxConcurrent = defaultMaxConcurrent
	}
	if p.MaxConcurrentWrites <= 0 {
		p.MaxConcurrentWrites = defaultMaxConcurrentWrites
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

// block is why a request may not be sent yet.
type block struct {
	reason string
	wait   time.Duration // 0: until a request in flight is answered
	hint   bool          // the server asked for this wait
	fields map[string]any
}

// verdict is what became of an attempt.
type verdict int

const (
	answered         verdict = iota // any answer but a rate-limit rejection
	unanswered                      // no answer: the connection failed
	primaryLimited                  // rejected: the primary rate limit is used up
	secondaryLimited                // rejected for a secondary rate limit
)

// answer is what the server said about an attempt, as far as pacing goes.
type answer struct {
	verdict      verdict
	header       http.Header   // nil when unanswered
	retryAfter   time.Duration // secondaryLimited: the server's Retry-After; negative: none
	primaryUntil time.Time     // primaryLimited: when to try again; zero: not to
}

// pacer is the gate every attempt of one Client passes before it is sent: it
// hands out a slot when the server's hints (primaryHold, secondaryPause),
// GitHub's documented budgets (documentedBudget) and what was learned of a
// stricter server (learnedBudget) all allow one, and takes it back with the
// answer. Every slot belongs to one attempt: transport.attempt takes it from
// acquire just before sending and gives it back to release with the
// server's answer, and nothing else calls either.
type pacer struct {
	minWait time.Duration // the first wait after a rejection without Retry-After
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	log     Logger

	mu         sync.Mutex
	mode       limitMode
	inFlight   int
	writes     int // of inFlight
	documented documentedBudget
	primary    primaryHold
	pauses     [2]secondaryPause // by routes.Class
	learned    learnedBudget     // of writes
	parts      pacingParts       // the adaptive parts left out of this build
	// changed is closed and replaced whenever a request is answered.
	changed chan struct{}
	// One waiter sleeps until sleeperUntil; others due no earlier wait for
	// tick, closed and replaced when it wakes, instead of each sleeping.
	sleeperUntil time.Time
	tick         chan struct{}
}

func newPacer(policy PacingPolicy, minWait time.Duration) *pacer {
	policy = policy.withDefaults()
	p := &pacer{
		minWait:    minWait,
		now:        time.Now,
		sleep:      sleepCtx,
		log:        nopLogger{},
		documented: newDocumentedBudget(policy),
		learned:    newLearnedBudget(policy.EndpointPointsPerMinute),
		changed:    make(chan struct{}),
		tick:       make(chan struct{}),
	}
	p.setParts(buildParts)
	return p
}

// setParts leaves out the adaptive parts parts names (measurements only).
func (p *pacer) setParts(parts pacingParts) {
	p.parts = parts
	for i := range p.pauses {
		p.pauses[i].parts = parts
	}
}

// acquire waits until a request of class to endpoint key may be sent and
// counts it as in flight. A primary-limit hold longer than maxHold is not
// waited for: the server will answer with the limit error. onWait is called
// each time the reason for waiting changes. It returns the slot, to be
// handed back to release, and how long it waited because the server asked.
func (p *pacer) acquire(ctx context.Context, key string, class routes.Class, maxHold time.Duration, onWait func(block)) (*sendSlot, time.Duration, error) {
	last := ""
	var hinted time.Duration
	for {
		p.mu.Lock()
		now := p.now()
		raised := p.recoverLocked(now)
		b, blocked := p.blockedLocked(now, key, class, maxHold)
		if !blocked {
			s := p.admitLocked(now, key, class)
			p.mu.Unlock()
			p.logChanges(ctx, raised)
			return s, hinted, nil
		}
		// A timed wait ends when a pause or a window slot runs out or a
		// learned budget is next raised; in between pauses only grow and
		// budgets only shrink, so no answer ends it earlier. Other waits end
		// when a request is answered.
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
		var err error
		if !until.IsZero() {
			err = p.sleep(ctx, b.wait)
			p.mu.Lock()
			if p.sleeperUntil.Equal(until) {
				p.sleeperUntil = time.Time{}
			}
			close(p.tick)
			p.tick = make(chan struct{})
			p.mu.Unlock()
		} else {
			select {
			case <-ctx.Done():
				err = ctx.Err()
			case <-wake:
			}
		}
		if b.hint {
			hinted += p.now().Sub(now)
		}
		if err != nil {
			return nil, hinted, err
		}
	}
}

func (p *pacer) blockedLocked(now time.Time, key string, class routes.Class, maxHold time.Duration) (block, bool) {
	if b, ok := p.primary.block(now, maxHold); ok {
		return b, true
	}
	if b, ok := p.pauses[class].block(now); ok {
		return b, true
	}
	if p.mode != modeUnadvertised {
		if b, ok := p.documented.block(now, key, class, p.inFlight, p.writes); ok {
			return b, true
		}
	}
	if class == routes.Write && !p.parts.noLearned {
		return p.learned.block(now, class.Points())
	}
	return block{}, false
}

func (p *pacer) admitLocked(now time.Time, key string, class routes.Class) *sendSlot {
	s := &sendSlot{key: key, class: class, points: class.Points(), sent: now}
	p.documented.admit(s)
	p.pauses[class].admit(s)
	p.inFlight++
	if class == routes.Write {
		p.learned.admit(s)
		p.writes++
	}
	return s
}

// release takes back the slot of an attempt with what the server said, and
// returns how long its class is now paused (after a secondary-limit
// rejection).
func (p *pacer) release(ctx context.Context, s *sendSlot, a answer) time.Duration {
	p.mu.Lock()
	now := p.now()
	if a.header != nil {
		if a.header.Get("X-RateLimit-Limit") != "" {
			p.mode = modeAdvertised
		} else if p.mode == modeUnknown {
			p.mode = modeUnadvertised
		}
		p.primary.observe(a.header)
	}
	s.done = now
	p.inFlight--
	if s.class == routes.Write {
		p.writes--
	}
	var changes []budgetChange
	var pause time.Duration
	pz := &p.pauses[s.class]
	switch a.verdict {
	case answered:
		s.accepted = true
		pz.accept(s)
	case unanswered:
		pz.failed(s)
	case primaryLimited:
		pz.failed(s)
		if !a.primaryUntil.IsZero() {
			p.primary.hold(a.primaryUntil)
		}
	case secondaryLimited:
		lowered := false
		if s.class == routes.Write && !p.parts.noLearned {
			var from, to int
			if from, to, lowered = p.learned.learn(s, now); lowered {
				changes = append(changes, budgetChange{from: from, to: to})
			}
		}
		until := pz.reject(s, now, a.retryAfter, p.minWait, lowered)
		if s.class == routes.Write {
			p.learned.resume(until)
		}
		pause = until.Sub(now)
	}
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
	p.logChanges(ctx, changes)
	return pause
}

// recoverLocked raises the learned write budget for each full minute without
// a secondary-limit rejection, and returns the change.
func (p *pacer) recoverLocked(now time.Time) []budgetChange {
	if from, to, ok := p.learned.recover(now); ok {
		return []budgetChange{{from: from, to: to}}
	}
	return nil
}

// budgetChange is the learned write budget moving, for the log.
type budgetChange struct {
	from, to int
}

// logChanges logs each change at Info, outside the pacer's lock.
func (p *pacer) logChanges(ctx context.Context, changes []budgetChange) {
	for _, c := range changes {
		msg := "raising GitHub API pacing budget"
		if c.to < c.from {
			msg = "lowering GitHub API pacing budget"
		}
		p.log.Info(ctx, msg, map[string]any{"budget": "writes", "unit": "points per minute", "from": c.from, "to": c.to})
	}
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
