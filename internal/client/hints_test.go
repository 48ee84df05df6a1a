package client

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// pauseClock drives a secondaryPause the way the pacer does: requests are
// sent (admit), answered, and time passes.
type pauseClock struct {
	p   secondaryPause
	now time.Time
}

func (c *pauseClock) send() *sendSlot {
	s := &sendSlot{points: writePoints, sent: c.now}
	c.p.admit(s)
	return s
}

// wait lets time pass until the pause would let a request through, and
// returns how long that was.
func (c *pauseClock) waitOut() time.Duration {
	b, blocked := c.p.block(c.now)
	if !blocked {
		return 0
	}
	c.now = c.now.Add(b.wait)
	return b.wait
}

const writePoints = 5

func TestSecondaryPauseWaits(t *testing.T) {
	t.Parallel()
	const none = -1
	tests := []struct {
		name       string
		retryAfter time.Duration   // of every rejection; none for no header
		want       []time.Duration // the pause after each of a run of rejections of one request
	}{
		{"Retry-After is honoured", 7 * time.Second, []time.Duration{7 * time.Second}},
		{"zero is not a tight loop", 0, []time.Duration{time.Second}},
		{"a short Retry-After repeated: a minute, doubling", 5 * time.Second,
			[]time.Duration{5 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}},
		{"a long Retry-After is never shortened", 20 * time.Minute, []time.Duration{20 * time.Minute, 20 * time.Minute}},
		{"no Retry-After: a minute, doubling up to 15", none,
			[]time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &pauseClock{now: t0}
			for i, want := range tt.want {
				s := c.send()
				c.now = c.now.Add(time.Second) // the answer takes a moment
				until := c.p.reject(s, c.now, tt.retryAfter, time.Minute, false)
				if got := until.Sub(c.now); got != want {
					t.Fatalf("rejection %d: paused %v, want %v", i+1, got, want)
				}
				if got := c.waitOut(); got != want {
					t.Fatalf("rejection %d: waited %v, want %v", i+1, got, want)
				}
			}
		})
	}
}

func TestSecondaryPauseBurst(t *testing.T) {
	t.Parallel()
	c := &pauseClock{now: t0}
	burst := []*sendSlot{c.send(), c.send(), c.send()}
	c.now = c.now.Add(time.Second)
	c.p.reject(burst[0], c.now, 5*time.Second, time.Minute, false)
	// The rest of the burst was sent before the pause: no repeat, no
	// escalation, and no pause shortened.
	c.now = c.now.Add(time.Second)
	until := c.p.reject(burst[1], c.now, time.Second, time.Minute, false)
	if want := t0.Add(time.Second + 5*time.Second); !until.Equal(want) {
		t.Errorf("a later rejection of the burst moved the pause to %v, want %v", until.Sub(t0), want.Sub(t0))
	}
	c.p.accept(burst[2])
	if c.p.streak != 1 {
		t.Errorf("streak %d after the acceptance of a request sent before the pause, want 1", c.p.streak)
	}
}

// TestSecondaryPauseResumesGently: after a pause one request goes, then one
// more for each accepted, until as many may be in flight as GitHub allows.
func TestSecondaryPauseResumesGently(t *testing.T) {
	t.Parallel()
	c := &pauseClock{now: t0}
	c.p.reject(c.send(), c.now, time.Second, time.Minute, false)
	c.waitOut()
	var out []*sendSlot
	sendAll := func() {
		for c.p.allowed != 0 { // once resumed nothing holds a request back
			if b, blocked := c.p.block(c.now); blocked {
				if b.wait != 0 || !b.hint || b.reason != "secondary rate limit: resuming after the pause" {
					t.Fatalf("held by %+v, want a wait for an answer", b)
				}
				return
			}
			out = append(out, c.send())
		}
	}
	// One in flight, then each acceptance frees its place and adds one.
	for want := 1; want <= 4; want++ {
		sendAll()
		if len(out) != want {
			t.Fatalf("%d in flight, want %d", len(out), want)
		}
		c.p.accept(out[0])
		out = out[1:]
	}
	for len(out) > 0 && c.p.allowed != 0 {
		c.p.accept(out[0])
		out = out[1:]
		sendAll()
	}
	if c.p.allowed != 0 {
		t.Fatalf("still resuming with %d allowed", c.p.allowed)
	}
	if _, blocked := c.p.block(c.now); blocked {
		t.Errorf("held once resumed")
	}
}

func TestSecondaryPauseRepeats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		after     time.Duration // from the end of the pause to the next rejection
		explained bool
		want      time.Duration
	}{
		{"within a minute of the pause: a repeat", 59 * time.Second, false, time.Minute},
		{"a minute after the pause: a new streak", time.Minute, false, 5 * time.Second},
		{"the client's own pace explains it: a new streak", time.Second, true, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &pauseClock{now: t0}
			c.p.reject(c.send(), c.now, 5*time.Second, time.Minute, false)
			c.waitOut()
			s := c.send()
			c.now = c.now.Add(tt.after)
			if got := c.p.reject(s, c.now, 5*time.Second, time.Minute, tt.explained).Sub(c.now); got != tt.want {
				t.Errorf("paused %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSecondaryPauseResumeLostRequest(t *testing.T) {
	t.Parallel()
	c := &pauseClock{now: t0}
	c.p.reject(c.send(), c.now, time.Second, time.Minute, false)
	c.waitOut()
	c.p.failed(c.send()) // the connection broke
	if _, blocked := c.p.block(c.now); blocked {
		t.Fatal("held after the first request failed without an answer")
	}
	if c.send(); c.p.out != 1 || c.p.allowed != 1 {
		t.Errorf("%d in flight of %d allowed, want the next one alone", c.p.out, c.p.allowed)
	}
}

func TestPrimaryHold(t *testing.T) {
	t.Parallel()
	reset := t0.Add(90 * time.Second)
	var h primaryHold
	h.observe(http.Header{"X-Ratelimit-Remaining": {"1"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}})
	if _, blocked := h.block(t0, time.Hour); blocked {
		t.Fatal("held with requests remaining")
	}
	h.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}})
	if b, blocked := h.block(t0, time.Hour); !blocked || b.wait != 91*time.Second || !b.hint {
		t.Errorf("used up: %+v %v, want a wait until a second after the reset", b, blocked)
	}
	if _, blocked := h.block(t0, time.Minute); blocked {
		t.Errorf("held for longer than the longest wait; the server's own error should say when")
	}
	h.hold(t0.Add(time.Second)) // an earlier hold shortens nothing
	if b, _ := h.block(t0, time.Hour); b.wait != 91*time.Second {
		t.Errorf("wait %v after an earlier hold, want 91s", b.wait)
	}
}
