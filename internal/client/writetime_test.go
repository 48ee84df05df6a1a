package client

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTimeOfWrite: the Date of GitHub's answers bounds a write's updated_at
// only once one read back shows it agrees with GitHub's own clock; otherwise
// every write is read back, so a proxy's clock never decides what is a change.
func TestTimeOfWrite(t *testing.T) {
	t.Parallel()
	stamp := time.Date(2026, 11, 29, 10, 0, 5, 0, time.UTC)
	tests := []struct {
		name string
		// date is the Date of every answer, as an offset from GitHub's
		// updated_at; nil for answers without one.
		date      *time.Duration
		wantReads int // for three writes
		wantExact bool
	}{
		{"Date in the same second as updated_at", durationPtr(0), 1, false},
		{"Date the second after updated_at", durationPtr(time.Second), 1, false},
		{"Date a minute behind (a proxy's clock)", durationPtr(-time.Minute), 3, true},
		{"Date a second behind", durationPtr(-time.Second), 3, true},
		{"Date a minute ahead (a proxy's clock)", durationPtr(time.Minute), 3, true},
		{"no Date", nil, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var reads atomic.Int32
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reads.Add(1)
				writeJSON(w, http.StatusOK, map[string]any{"name": "FOO", "visibility": "all",
					"created_at": stamp.Format(time.RFC3339), "updated_at": stamp.Format(time.RFC3339)})
			}))
			res := WriteResult{}
			if tt.date != nil {
				res.At = stamp.Add(*tt.date)
			}
			for i := range 3 {
				wt, err := c.TimeOfWrite(t.Context(), orgSecret(Actions, "acme", "FOO"), res)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case i == 0 || tt.wantExact:
					// Read back: GitHub's own time.
					if !wt.Exact || !wt.At.Equal(stamp) {
						t.Errorf("write %d: %+v, want GitHub's updated_at %v, exact", i, wt, stamp)
					}
				case wt.Exact || !wt.At.Equal(res.At):
					t.Errorf("write %d: %+v, want the answer's Date %v as a bound", i, wt, res.At)
				}
			}
			if got := int(reads.Load()); got != tt.wantReads {
				t.Errorf("%d reads back for 3 writes, want %d", got, tt.wantReads)
			}
		})
	}
}

// TestTimeOfWriteProbesOnce: writes answered at once share the one read back
// that judges the Date.
func TestTimeOfWriteProbesOnce(t *testing.T) {
	t.Parallel()
	stamp := time.Date(2026, 11, 29, 10, 0, 5, 0, time.UTC)
	var reads atomic.Int32
	release := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reads.Add(1)
		<-release
		writeJSON(w, http.StatusOK, map[string]any{"name": "FOO", "visibility": "all",
			"created_at": stamp.Format(time.RFC3339), "updated_at": stamp.Format(time.RFC3339)})
	}))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := c.TimeOfWrite(t.Context(), orgSecret(Actions, "acme", "FOO"), WriteResult{At: stamp}); err != nil {
				t.Error(err)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	// Hold the read back until it has started, or until every write has
	// been answered without one (which fails below).
	for reads.Load() == 0 {
		select {
		case <-done:
		case <-time.After(time.Millisecond):
			continue
		}
		break
	}
	close(release)
	<-done
	if got := reads.Load(); got != 1 {
		t.Errorf("%d reads back for 10 writes answered together, want 1", got)
	}
}

func durationPtr(d time.Duration) *time.Duration { return &d }
