package client

import (
	"testing"
	"time"
)

// learner is a learnedBudget on a clock tests move.
type learner struct {
	l   learnedBudget
	now time.Time
}

func newLearner(documented int) *learner {
	return &learner{l: newLearnedBudget(documented), now: t0}
}

// write sends a write now and, unless inFlight, has it accepted at once.
func (lr *learner) write(accepted bool) *sendSlot {
	s := &sendSlot{points: writePoints, sent: lr.now}
	lr.l.admit(s)
	if accepted {
		s.done, s.accepted = lr.now, true
	}
	return s
}

// learned45 is a learner for a documented budget of 100 points (floor 5,
// steps of 10) that has just learned 45 from ten writes accepted and the
// eleventh rejected, a second's pause ago.
func learned45(t *testing.T) *learner {
	t.Helper()
	lr := newLearner(100)
	lr.write(true) // the client's first write, long ago
	lr.now = lr.now.Add(2 * paceWindow)
	for range 10 {
		lr.write(true)
	}
	if _, to, _ := lr.reject(lr.write(false)); to != 45 {
		t.Fatalf("learned %d, want 45", to)
	}
	return lr
}

// reject has s rejected now, and sending resume a second later.
func (lr *learner) reject(s *sendSlot) (from, to int, lowered bool) {
	s.done = lr.now
	from, to, lowered = lr.l.learn(s, lr.now)
	lr.l.resume(lr.now.Add(time.Second))
	return from, to, lowered
}

func TestLearnedBudgetLearn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		accepted int // writes accepted in the minute before the rejection
		inFlight int // writes still in flight, sent before it
		learned  int // budget before
		want     int
		wantDown bool
	}{
		{"nothing accepted", 0, 0, 0, 0, false},
		// Writes in flight would count as taken, but only what was accepted
		// shows this client's own pace.
		{"less than the floor accepted", 1, 8, 0, 0, false},
		{"floor accepted, estimate below it", 9, 0, 0, 45, true},
		{"well over the floor accepted", 20, 0, 0, 90, true},
		{"in flight count once enough was accepted", 10, 4, 0, 63, true},
		{"learned budget never lowered by a rejection with little accepted", 2, 0, 200, 200, false},
		{"learned budget lowered, not below the floor", 9, 0, 200, 45, true},
		{"learned budget never raised by a rejection", 40, 0, 100, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lr := newLearner(900) // floor 45 points
			lr.write(true)        // the client's first request, long ago
			lr.now = lr.now.Add(2 * paceWindow)
			lr.l.budget = tt.learned
			for range tt.accepted {
				lr.write(true)
			}
			for range tt.inFlight {
				lr.write(false)
			}
			_, to, down := lr.reject(lr.write(false))
			if got := lr.l.budget; got != tt.want || down != tt.wantDown || (down && to != tt.want) {
				t.Errorf("learned %d (lowered %v), want %d (%v)", got, down, tt.want, tt.wantDown)
			}
		})
	}
}

// TestLearnedBudgetFirstMinute: a rejection within a client's first minute
// may be due to requests sent before it began (the previous command's), so
// it lowers no budget; the same rejection a minute later does.
func TestLearnedBudgetFirstMinute(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		older time.Duration // how long before the rejection the client began
		want  int
	}{
		{"within the first minute", paceWindow - time.Second, 0},
		{"after the first minute", paceWindow, 90},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lr := newLearner(900)
			lr.write(true)
			lr.now = lr.now.Add(tt.older)
			lr.l.sent.prune(lr.now) // the first write has left the minute
			for range 20 {
				lr.write(true)
			}
			lr.reject(lr.write(false))
			if lr.l.budget != tt.want {
				t.Errorf("learned %d, want %d", lr.l.budget, tt.want)
			}
		})
	}
}

func TestLearnedBudgetRecovers(t *testing.T) {
	t.Parallel()
	lr := learned45(t)
	// The clean minute starts when the pause ends, a second after the rejection.
	resume := lr.now.Add(time.Second)
	if _, _, moved := lr.l.recover(resume.Add(paceWindow - time.Nanosecond)); moved {
		t.Fatal("raised before a clean minute")
	}
	var got []int
	for i := 1; i <= 7 && (i == 1 || lr.l.budget != 0); i++ {
		if _, to, moved := lr.l.recover(resume.Add(time.Duration(i) * paceWindow)); moved {
			got = append(got, to)
		}
	}
	want := []int{55, 65, 75, 85, 95, 100}
	if len(got) != len(want) {
		t.Fatalf("raises %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("raises %v, want %v", got, want)
		}
	}
	if lr.l.budget != 0 {
		t.Errorf("budget %d at the ceiling, want it dropped", lr.l.budget)
	}
}

func TestLearnedBudgetRejectionDuringRecovery(t *testing.T) {
	t.Parallel()
	lr := learned45(t)
	lr.now = lr.now.Add(time.Second + 2*paceWindow) // the pause, two clean minutes
	if _, to, _ := lr.l.recover(lr.now); to != 65 {
		t.Fatalf("after two clean minutes: %d, want 65", to)
	}
	// Twelve writes accepted under the raised budget, then a rejection.
	for range 12 {
		lr.write(true)
	}
	if _, to, down := lr.reject(lr.write(false)); !down || to != 54 {
		t.Fatalf("after a rejection during recovery: %d (lowered %v), want 54 (90%% of 60)", to, down)
	}
	// The rejection restarted the clean minute.
	if _, _, moved := lr.l.recover(lr.now.Add(time.Second + paceWindow - time.Nanosecond)); moved {
		t.Error("raised within a minute of the rejection")
	}
	if _, to, _ := lr.l.recover(lr.now.Add(time.Second + paceWindow)); to != 64 {
		t.Errorf("after a clean minute: %d, want 64", to)
	}
}

func TestLearnedBudgetBlock(t *testing.T) {
	t.Parallel()
	lr := learned45(t)
	raise := lr.now.Add(time.Second + paceWindow)
	// Nine writes half-way through the clean minute fill the budget of 45
	// until a minute later, but the budget rises before that.
	lr.now = lr.now.Add(30 * time.Second)
	lr.l.sent.prune(lr.now)
	for range 9 {
		lr.write(true)
	}
	b, blocked := lr.l.block(lr.now, writePoints)
	if !blocked || lr.now.Add(b.wait) != raise || b.hint {
		t.Errorf("block %+v %v, want a wait until the rise at +%v", b, blocked, raise.Sub(lr.now))
	}
	if _, blocked := (&learnedBudget{}).block(lr.now, writePoints); blocked {
		t.Error("blocked with nothing learned")
	}
}
