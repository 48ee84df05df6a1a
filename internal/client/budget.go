package client

import (
	"slices"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// paceWindow is the span of GitHub's per-minute secondary limits.
const paceWindow = time.Minute

// sendSlot is one attempt as the pacer counts it: from when it is sent until
// a minute after its answer, so the client's minute always covers the
// server's.
type sendSlot struct {
	key      string // the endpoint, as routes.Route.Key names it
	class    routes.Class
	points   int
	sent     time.Time
	done     time.Time // when it was answered or failed; zero while in flight
	accepted bool      // answered without a rate-limit rejection
	resuming bool      // sent while its class resumes after a pause, and not yet answered
}

func (s *sendSlot) inFlight() bool { return s.done.IsZero() }

func (s *sendSlot) expires() time.Time { return s.done.Add(paceWindow) }

// window holds the slots that still count against one budget.
type window struct {
	slots []*sendSlot
}

func (w *window) add(s *sendSlot) { w.slots = append(w.slots, s) }

func (w *window) prune(now time.Time) {
	w.slots = slices.DeleteFunc(w.slots, func(s *sendSlot) bool {
		return !s.inFlight() && !s.expires().After(now)
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
// ok=false when only a request still in flight can make room. A window with
// nothing in it always takes one request, so a budget below one request's
// cost cannot stall.
func (w *window) freeAt(limit, need int) (at time.Time, ok bool) {
	total := w.used()
	if total == 0 || total+need <= limit {
		return time.Time{}, true
	}
	var done []*sendSlot
	for _, s := range w.slots {
		if !s.inFlight() {
			done = append(done, s)
		}
	}
	slices.SortFunc(done, func(a, b *sendSlot) int { return a.expires().Compare(b.expires()) })
	excess := total + need - limit
	for _, s := range done {
		excess -= s.points
		total -= s.points
		if excess <= 0 || total == 0 {
			return s.expires(), true
		}
	}
	return time.Time{}, false
}

// documentedBudget keeps to GitHub's documented secondary limits: so many
// points per endpoint in any minute (a read 1, a write 5), so many requests
// in flight, and writes one at a time, as GitHub asks of clients that make
// many of them.
type documentedBudget struct {
	pointsPerMinute int
	maxConcurrent   int
	maxWrites       int // writes in flight at once
	endpoints       map[string]*window
}

func newDocumentedBudget(p PacingPolicy) documentedBudget {
	return documentedBudget{
		pointsPerMinute: p.EndpointPointsPerMinute,
		maxConcurrent:   p.MaxConcurrent,
		maxWrites:       p.MaxConcurrentWrites,
		endpoints:       map[string]*window{},
	}
}

// block says why a request of class to endpoint key may not be sent yet,
// with inFlight requests and writes of them in flight.
func (b *documentedBudget) block(now time.Time, key string, class routes.Class, inFlight, writes int) (block, bool) {
	if inFlight >= b.maxConcurrent {
		return block{reason: "pacing: concurrency", fields: map[string]any{"in_flight": inFlight, "limit": b.maxConcurrent}}, true
	}
	if class == routes.Write && writes >= b.maxWrites {
		return block{reason: "pacing: writes in flight", fields: map[string]any{"in_flight": writes, "limit": b.maxWrites}}, true
	}
	w := b.window(key)
	w.prune(now)
	if at, ok := w.freeAt(b.pointsPerMinute, class.Points()); !ok || !at.IsZero() {
		return block{reason: "pacing: endpoint budget", wait: max(0, at.Sub(now)), fields: map[string]any{"budget": b.pointsPerMinute}}, true
	}
	return block{}, false
}

func (b *documentedBudget) admit(s *sendSlot) { b.window(s.key).add(s) }

func (b *documentedBudget) window(key string) *window {
	w := b.endpoints[key]
	if w == nil {
		w = &window{}
		b.endpoints[key] = w
	}
	return w
}
