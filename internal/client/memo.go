package client

import (
	"context"
	"sync"
)

// memo is the one way this Client shares a request among the callers that
// ask for the same thing and keeps its answer for later ones: public keys,
// secret listings, repository lists and the App installation token, each
// keyed by what they belong to.
// golang.org/x/sync/singleflight shares a call in flight; a memo also keeps
// what it answered, lets a caller whose context ends leave without ending
// the others' wait, and orders its fetches by a clock of its own, so a
// caller can ask for an answer fetched after a given moment (a key read
// after a write was refused for the one before).
type memo[K comparable, V any] struct {
	mu    sync.Mutex
	clock uint64
	slots map[K]*memoSlot[V]
	// keep reports errors that are answers in their own right, kept like
	// values (a list's 404 or 409); other errors are not kept.
	keep func(error) bool
}

type memoSlot[V any] struct {
	kept     *memoFetch[V] // the newest answer; nil before the first, or once dropped
	inflight *memoFetch[V] // the fetch started last, until it ends
	// floor is the tick a fetch must have started after to be kept: the end
	// of the kept fetch, or when its answer was dropped.
	floor uint64
}

// memoFetch is one fetch; done is closed once val or err is set.
type memoFetch[V any] struct {
	done       chan struct{}
	start, end uint64
	val        V
	err        error
	// abandoned: the context of the caller that ran the fetch ended first.
	abandoned bool
	// joined counts the callers that waited on this fetch instead of
	// starting their own; tests use it to know every caller has arrived.
	joined int
}

func newMemo[K comparable, V any](keep func(error) bool) *memo[K, V] {
	return &memo[K, V]{slots: map[K]*memoSlot[V]{}, keep: keep}
}

// get returns k's kept answer, or the answer of a fetch of it, joining the
// one in flight if there is one.
func (m *memo[K, V]) get(ctx context.Context, k K, fetch func(context.Context) (V, error)) (V, error) {
	return m.answer(ctx, k, fetch, true, 0)
}

// fresh returns the answer of a fetch of k that starts now or later.
func (m *memo[K, V]) fresh(ctx context.Context, k K, fetch func(context.Context) (V, error)) (V, error) {
	return m.answer(ctx, k, fetch, false, m.tick())
}

// drop forgets k's kept answer when stale says it is stale (or nothing is
// kept yet, so a fetch in flight may still bring the stale answer), and
// returns the tick after which a fetch must start to replace it: pass it to
// after.
func (m *memo[K, V]) drop(k K, stale func(V) bool) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clock++
	s := m.slotLocked(k)
	if s.kept == nil || stale == nil || stale(s.kept.val) {
		s.kept = nil
		s.floor = max(s.floor, m.clock)
	}
	return m.clock
}

// dropIf forgets k's kept answer when there is one and stale says it is
// stale; a fetch in flight is left to finish and to be shared.
func (m *memo[K, V]) dropIf(k K, stale func(V) bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.slots[k]; s != nil && s.kept != nil && stale(s.kept.val) {
		m.clock++
		s.kept, s.floor = nil, max(s.floor, m.clock)
	}
}

// after returns the answer of a fetch of k that started after tick.
func (m *memo[K, V]) after(ctx context.Context, k K, tick uint64, fetch func(context.Context) (V, error)) (V, error) {
	return m.answer(ctx, k, fetch, false, tick)
}

// forget drops k's answer: the next get fetches again. Callers already
// waiting on a fetch keep it.
func (m *memo[K, V]) forget(k K) { m.drop(k, nil) }

func (m *memo[K, V]) tick() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clock++
	return m.clock
}

func (m *memo[K, V]) slotLocked(k K) *memoSlot[V] {
	s, ok := m.slots[k]
	if !ok {
		s = &memoSlot[V]{}
		m.slots[k] = s
	}
	return s
}

func (m *memo[K, V]) answer(ctx context.Context, k K, fetch func(context.Context) (V, error), cached bool, after uint64) (V, error) {
	for {
		m.mu.Lock()
		s := m.slotLocked(k)
		if s.kept != nil && (cached || s.kept.start > after) {
			f := s.kept
			m.mu.Unlock()
			return f.val, f.err
		}
		f, lead := s.inflight, false
		if f == nil || f.start <= max(after, s.floor) {
			m.clock++
			f = &memoFetch[V]{done: make(chan struct{}), start: m.clock}
			s.inflight, lead = f, true
		} else {
			f.joined++
		}
		m.mu.Unlock()
		if lead {
			m.run(ctx, s, f, fetch)
		}

		select {
		case <-f.done:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
		// A fetch that failed only because the caller who started it gave
		// up says nothing about this caller's request: try again.
		if !lead && f.err != nil && f.abandoned && ctx.Err() == nil {
			continue
		}
		return f.val, f.err
	}
}

func (m *memo[K, V]) run(ctx context.Context, s *memoSlot[V], f *memoFetch[V], fetch func(context.Context) (V, error)) {
	val, err := fetch(ctx)
	m.mu.Lock()
	m.clock++
	f.end = m.clock
	if s.inflight == f {
		s.inflight = nil
	}
	f.val, f.err = val, err
	f.abandoned = err != nil && ctx.Err() != nil
	// Of two fetches that overlapped, nothing says which answer is newer:
	// the one kept stays, unless this one started after it ended.
	if (err == nil || (m.keep != nil && m.keep(err))) && f.start > s.floor {
		s.kept, s.floor = f, f.end
	}
	m.mu.Unlock()
	close(f.done)
}

// joined is how many callers wait on k's fetch in flight besides its own.
func (m *memo[K, V]) joined(k K) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.slots[k]; s != nil && s.inflight != nil {
		return s.inflight.joined
	}
	return 0
}
