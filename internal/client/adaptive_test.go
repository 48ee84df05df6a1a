package client

import (
	"testing"
	"time"
)

func TestParsePacingOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want pacingParts
		ok   bool
	}{
		{"", pacingParts{}, true},
		{"learned", pacingParts{noLearned: true}, true},
		{"escalation, resume", pacingParts{noEscalation: true, noResume: true}, true},
		{"learned,escalation,resume", pacingParts{true, true, true}, true},
		{"learn", pacingParts{}, false},
	}
	for _, tt := range tests {
		got, err := parsePacingOff(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parsePacingOff(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if buildParts != (pacingParts{}) {
		t.Errorf("a plain build leaves out %+v", buildParts)
	}
}

// TestPacingPartsLeftOut: a build without escalation honours each
// Retry-After as it is, one without the gentle resume sends again at once
// after a pause, and one without the learned budget learns none.
func TestPacingPartsLeftOut(t *testing.T) {
	t.Parallel()
	c := &pauseClock{now: t0}
	c.p.parts = pacingParts{noEscalation: true, noResume: true}
	for i := range 3 {
		s := c.send()
		c.now = c.now.Add(time.Second)
		if got := c.p.reject(s, c.now, 5*time.Second, time.Minute, false).Sub(c.now); got != 5*time.Second {
			t.Fatalf("rejection %d: paused %v, want the server's 5s", i+1, got)
		}
		c.waitOut()
		c.send()
		if b, blocked := c.p.block(c.now); blocked {
			t.Fatalf("rejection %d: the second request after the pause held by %q", i+1, b.reason)
		}
	}

	clk := newFakeClock()
	log := &recLogger{}
	cl := newClockedClient(t, clk, &limitedServer{clk: clk, perMinute: 10}, Config{Logger: log})
	cl.httpClient.Transport.(*transport).pacer.setParts(pacingParts{noLearned: true})
	writeAll(t, cl, 40, 1, twoEndpoints)
	if got := budgetLog(log); len(got) != 0 {
		t.Errorf("write budget changes %v, want none", got)
	}
}
