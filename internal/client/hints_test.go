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
				until := c.p.reject(s, c.now, tt.retryAfter, time.Minute)
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
	c.p.reject(burst[0], c.now, 5*time.Second, time.Minute)
	// The rest of the burst was sent before the pause: no repeat, no
	// escalation, and no pause shortened.
	c.now = c.now.Add(time.Second)
	until := c.p.reject(burst[1], c.now, time.Second, time.Minute)
	if want := t0.Add(time.Second + 5*time.Second); !until.Equal(want) {
		t.Errorf("a later rejection of the burst moved the pause to %v, want %v", until.Sub(t0), want.Sub(t0))
	}
	c.p.accept(burst[2])
	if c.p.streak != 1 {
		t.Errorf("streak %d after the acceptance of a request sent before the pause, want 1", c.p.streak)
	}
	c.waitOut()
	// After the pause one request goes first; the rest wait for its answer.
	probe := c.send()
	if b, blocked := c.p.block(c.now); !blocked || b.wait != 0 || !b.hint {
		t.Fatalf("a second request after the pause: %+v %v, want it held until the first is answered", b, blocked)
	}
	c.p.accept(probe)
	if _, blocked := c.p.block(c.now); blocked {
		t.Errorf("held after the first request was accepted")
	}
	if c.p.streak != 0 {
		t.Errorf("streak %d after an acceptance, want 0", c.p.streak)
	}
	// Without a pause, nothing is a probe.
	c.send()
	if _, blocked := c.p.block(c.now); blocked {
		t.Errorf("held with no pause")
	}
}

func TestSecondaryPauseProbeLost(t *testing.T) {
	t.Parallel()
	c := &pauseClock{now: t0}
	c.p.reject(c.send(), c.now, time.Second, time.Minute)
	c.waitOut()
	c.p.failed(c.send()) // the connection broke
	if _, blocked := c.p.block(c.now); blocked {
		t.Fatal("held after the first request failed without an answer")
	}
	probe := c.send()
	if _, blocked := c.p.block(c.now); !blocked {
		t.Fatal("the next request after the lost one is not the new first")
	}
	c.now = c.now.Add(time.Second)
	c.p.reject(probe, c.now, 5*time.Second, time.Minute)
	if b, _ := c.p.block(c.now); b.wait != time.Minute {
		t.Errorf("after the first request was rejected again: wait %v, want a minute", b.wait)
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
