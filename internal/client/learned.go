package client

import (
	"time"
)

const (
	// learnedShare is the part of the points seen taken in the last minute
	// that a learned budget allows, in tenths.
	learnedShare = 9
	// floorPercent is the least a learned budget allows, in percent of
	// EndpointPointsPerMinute (45 of 900 points: nine writes a minute). A
	// rejection before this client had that much accepted says more about
	// other traffic than about the server's budget.
	floorPercent = 5
	// raisePercent is what a learned budget regains per minute without a
	// rejection, in percent of EndpointPointsPerMinute: a tenth brings it
	// back from the floor within ten clean minutes.
	raisePercent = 10
)

// learnedBudget is the pace of writes, in all, that a server stricter than
// GitHub documents was seen to accept: after a secondary-limit rejection of a
// write, nine tenths of the points the server took in the minute before it.
// Each minute without a rejection raises it by a tenth of the documented
// budget, until it is dropped at that budget. Reads have no learned budget:
// no server was seen to limit them below the documented one.
type learnedBudget struct {
	floor, step, ceiling int

	sent   window    // every write this client sent in the last minute
	budget int       // points per minute; 0: none learned
	steady time.Time // when the stretch without a rejection began, for the raises
	first  time.Time // when this client first sent a write
}

func newLearnedBudget(documented int) learnedBudget {
	return learnedBudget{
		floor:   max(writePointsFloor, documented*floorPercent/100),
		step:    max(1, documented*raisePercent/100),
		ceiling: documented,
	}
}

// writePointsFloor: a learned budget always lets one write through.
const writePointsFloor = 5

func (l *learnedBudget) admit(s *sendSlot) {
	if l.first.IsZero() {
		l.first = s.sent
	}
	l.sent.prune(s.sent)
	l.sent.add(s)
}

// learn lowers the budget after the rejection of r at now, when the server
// took enough from this client to show its pace: the points accepted, and
// those still in flight that were sent before r, as the server most likely
// took them too. Within the client's first minute the server's minute also
// holds what was sent before the client began (the previous command's
// requests), which it cannot see, so such a rejection teaches nothing. It
// reports the budget before and after, and whether it went down. The
// stretch without a rejection that raises the budget starts again at now
// (or later, by resume).
func (l *learnedBudget) learn(r *sendSlot, now time.Time) (from, to int, lowered bool) {
	l.steady = now
	if now.Sub(l.first) < paceWindow {
		return 0, 0, false
	}
	l.sent.prune(now)
	accepted, taken := 0, 0
	for _, s := range l.sent.slots {
		switch {
		case s.accepted:
			accepted += s.points
			taken += s.points
		case s.inFlight() && s != r && !s.sent.After(r.sent):
			taken += s.points
		}
	}
	if accepted < l.floor {
		return 0, 0, false
	}
	budget := max(l.floor, taken*learnedShare/10)
	if l.budget != 0 && budget >= l.budget {
		return 0, 0, false
	}
	from = l.budget
	if from == 0 {
		from = l.ceiling
	}
	l.budget = budget
	return from, budget, true
}

// resume notes that sending resumes at t after a pause: a paused minute
// proves nothing about the budget.
func (l *learnedBudget) resume(t time.Time) { l.steady = later(l.steady, t) }

// recover raises the budget for each full minute since the last rejection
// (and its pause) and drops it at the ceiling. It reports the change.
func (l *learnedBudget) recover(now time.Time) (from, to int, moved bool) {
	n := windowsSince(l.steady, now)
	if l.budget == 0 || n == 0 {
		return 0, 0, false
	}
	from = l.budget
	l.budget += n * l.step
	l.steady = l.steady.Add(time.Duration(n) * paceWindow)
	if l.budget >= l.ceiling {
		l.budget = 0
		return from, l.ceiling, true
	}
	return from, l.budget, true
}

// block says whether need more points must wait for the learned budget: until
// a slot leaves the minute or the budget is next raised, whichever is first.
func (l *learnedBudget) block(now time.Time, need int) (block, bool) {
	if l.budget == 0 {
		return block{}, false
	}
	l.sent.prune(now)
	at, ok := l.sent.freeAt(l.budget, need)
	if ok && at.IsZero() {
		return block{}, false
	}
	if raise := l.steady.Add(paceWindow); raise.After(now) && (at.IsZero() || raise.Before(at)) {
		at = raise
	}
	return block{reason: "pacing: learned budget", wait: max(0, at.Sub(now)), fields: map[string]any{"budget": l.budget}}, true
}

// windowsSince counts the full paceWindows from since to now.
func windowsSince(since, now time.Time) int {
	if since.IsZero() || !now.After(since) {
		return 0
	}
	return int(now.Sub(since) / paceWindow)
}
