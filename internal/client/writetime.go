package client

import (
	"context"
	"sync"
	"time"
)

// WriteTime is when GitHub stamped a write this client made: its updated_at
// (Exact), or the Date of GitHub's answer, which bounds it from above.
type WriteTime struct {
	At    time.Time
	Exact bool
}

// maxAnswerLag is how far the Date of GitHub's answer to a write may run past
// the updated_at the write got, for that Date to be trusted as its bound:
// both have one-second resolution, and the answer leaves within a second.
const maxAnswerLag = time.Second

// dateTrust records whether the Date of this server's answers agrees with the
// timestamps GitHub gives secrets. It does on GitHub itself; a proxy in front
// of GitHub Enterprise Server may set its own Date from a clock minutes off,
// or none at all.
type dateTrust struct {
	mu      sync.Mutex
	judged  bool
	trusted bool
	probe   chan struct{} // closed when the probe under way ends; nil when none is
}

// TimeOfWrite says when GitHub stamped the write of a secret that res
// answered. The first write of a Client reads the secret back once
// and compares GitHub's updated_at with the answer's Date. If they agree, the
// Date of every later answer is the bound (no request); if not, or an answer
// has no Date, each write is read back (one GET), so no clock but GitHub's
// decides what the next plan calls a change made outside Terraform.
func (c *Client) TimeOfWrite(ctx context.Context, a Address, res WriteResult) (WriteTime, error) {
	t := &c.dates
	for {
		t.mu.Lock()
		switch {
		case t.judged && t.trusted && !res.At.IsZero():
			t.mu.Unlock()
			return WriteTime{At: res.At}, nil
		case t.judged || res.At.IsZero():
			t.mu.Unlock()
			return c.readBackTime(ctx, a)
		case t.probe != nil:
			wait := t.probe
			t.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return WriteTime{}, ctx.Err()
			}
		}
		done := make(chan struct{})
		t.probe = done
		t.mu.Unlock()

		wt, err := c.readBackTime(ctx, a)
		t.mu.Lock()
		if err == nil {
			lag := res.At.Sub(wt.At)
			t.judged, t.trusted = true, lag >= 0 && lag <= maxAnswerLag
			c.logger.Info(ctx, "compared the Date of GitHub's answers with GitHub's own timestamps", map[string]any{
				"lag_seconds": lag.Seconds(), "date_trusted": t.trusted,
			})
		}
		t.probe = nil
		close(done)
		t.mu.Unlock()
		return wt, err
	}
}

func (c *Client) readBackTime(ctx context.Context, a Address) (WriteTime, error) {
	s, err := c.GetSecret(ctx, a)
	if err != nil {
		return WriteTime{}, err
	}
	return WriteTime{At: s.UpdatedAt.UTC(), Exact: true}, nil
}
