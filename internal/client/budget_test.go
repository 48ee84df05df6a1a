package client

import (
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

var t0 = time.Unix(1_000_000, 0)

// answeredAt is a slot of points sent at t0 and answered at done.
func answeredAt(points int, done time.Time) *sendSlot {
	return &sendSlot{points: points, sent: t0, done: done, accepted: true}
}

func TestWindowFreeAt(t *testing.T) {
	t.Parallel()
	w := &window{slots: []*sendSlot{
		answeredAt(5, t0.Add(30*time.Second)),
		answeredAt(5, t0.Add(10*time.Second)),
		{points: 5, sent: t0}, // in flight
	}}
	tests := []struct {
		limit, need int
		wantAt      time.Time
		wantOK      bool
	}{
		{20, 5, time.Time{}, true},
		{15, 5, t0.Add(10*time.Second + paceWindow), true},
		{10, 5, t0.Add(30*time.Second + paceWindow), true},
		{5, 5, time.Time{}, false},
	}
	for _, tt := range tests {
		at, ok := w.freeAt(tt.limit, tt.need)
		if !at.Equal(tt.wantAt) || ok != tt.wantOK {
			t.Errorf("freeAt(limit %d) = %v %v, want %v %v", tt.limit, at, ok, tt.wantAt, tt.wantOK)
		}
	}
	if at, ok := (&window{}).freeAt(1, 5); !ok || !at.IsZero() {
		t.Errorf("an empty window holds back a request over the whole budget: %v %v", at, ok)
	}
}

func TestWindowPrune(t *testing.T) {
	t.Parallel()
	inFlight := &sendSlot{points: 5, sent: t0}
	w := &window{slots: []*sendSlot{answeredAt(1, t0), answeredAt(5, t0.Add(time.Second)), inFlight}}
	w.prune(t0.Add(paceWindow))
	if got := w.used(); got != 10 {
		t.Errorf("a minute after the first answer: %d points used, want 10", got)
	}
	w.prune(t0.Add(time.Hour))
	if len(w.slots) != 1 || w.slots[0] != inFlight {
		t.Errorf("an hour later: %d slots, want the one in flight", len(w.slots))
	}
}

func TestDocumentedBudget(t *testing.T) {
	t.Parallel()
	const put = "PUT /orgs/{org}/actions/secrets/{secret_name}"
	tests := []struct {
		name     string
		policy   PacingPolicy
		fill     func(b *documentedBudget) // slots already sent
		key      string
		class    routes.Class
		inFlight int
		writes   int
		want     string // reason; "" for none
		wantWait time.Duration
	}{
		{name: "empty", policy: PacingPolicy{}, key: put, class: routes.Write},
		{
			name: "endpoint budget full until the first answer leaves the minute",
			fill: func(b *documentedBudget) {
				for i := range 180 {
					b.admit(&sendSlot{key: put, points: 5, sent: t0, done: t0.Add(time.Duration(i) * time.Millisecond)})
				}
			},
			key: put, class: routes.Write, want: "pacing: endpoint budget", wantWait: paceWindow,
		},
		{
			name: "other endpoints are not held",
			fill: func(b *documentedBudget) {
				for range 180 {
					b.admit(&sendSlot{key: put, points: 5, sent: t0, done: t0})
				}
			},
			key: "DELETE /orgs/{org}/actions/secrets/{secret_name}", class: routes.Write,
		},
		{
			name: "reads cost a point",
			fill: func(b *documentedBudget) {
				for range 899 {
					b.admit(&sendSlot{key: "GET /x", points: 1, sent: t0, done: t0})
				}
			},
			key: "GET /x", class: routes.Read,
		},
		{name: "concurrency", key: "GET /x", class: routes.Read, inFlight: 100, want: "pacing: concurrency"},
		{name: "writes in flight", key: put, class: routes.Write, inFlight: 2, writes: 2, want: "pacing: writes in flight"},
		{name: "reads pass the writes in flight", key: "GET /x", class: routes.Read, inFlight: 2, writes: 2},
		{name: "configured writes in flight", policy: PacingPolicy{MaxConcurrentWrites: 3}, key: put, class: routes.Write, inFlight: 2, writes: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newDocumentedBudget(tt.policy.withDefaults())
			if tt.fill != nil {
				tt.fill(&b)
			}
			got, blocked := b.block(t0, tt.key, tt.class, tt.inFlight, tt.writes)
			if blocked != (tt.want != "") || got.reason != tt.want || got.wait != tt.wantWait {
				t.Errorf("block = %q %v (blocked %v), want %q %v", got.reason, got.wait, blocked, tt.want, tt.wantWait)
			}
		})
	}
}
