package client

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// gate is a fetch that counts its calls and answers only when released.
type gate struct {
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
	answer  func(n int32) (string, error)
}

func newGate(answer func(n int32) (string, error)) *gate {
	return &gate{started: make(chan struct{}, 100), release: make(chan struct{}), answer: answer}
}

func (g *gate) fetch(ctx context.Context) (string, error) {
	n := g.calls.Add(1)
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return g.answer(n)
}

func numbered(n int32) (string, error) { return string('a' - 1 + n), nil }

func TestMemoSharesOneFetchAndKeepsIt(t *testing.T) {
	t.Parallel()
	m := newMemo[string, string](nil)
	g := newGate(numbered)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if v, err := m.get(t.Context(), "k", g.fetch); err != nil || v != "a" {
				t.Errorf("get = %q, %v; want the one fetch's answer", v, err)
			}
		})
	}
	<-g.started
	close(g.release)
	wg.Wait()
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "a" || g.calls.Load() != 1 {
		t.Errorf("after: %q with %d fetches, want the kept answer and one fetch", v, g.calls.Load())
	}
	if v, _ := m.get(t.Context(), "other", g.fetch); v != "b" {
		t.Errorf("another key shares nothing: got %q", v)
	}
}

func TestMemoForgetAndFresh(t *testing.T) {
	t.Parallel()
	m := newMemo[string, string](nil)
	g := newGate(numbered)
	close(g.release)
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "a" {
		t.Fatalf("first get = %q", v)
	}
	m.forget("k")
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "b" {
		t.Errorf("get after forget = %q, want a new fetch", v)
	}
	if v, _ := m.fresh(t.Context(), "k", g.fetch); v != "c" {
		t.Errorf("fresh = %q, want a new fetch", v)
	}
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "c" {
		t.Errorf("get after fresh = %q, want the fresh answer kept", v)
	}
}

// TestMemoDropWaitsForALaterFetch: after a drop, a caller gets an answer
// fetched after it, never one that was already in flight.
func TestMemoDropWaitsForALaterFetch(t *testing.T) {
	t.Parallel()
	m := newMemo[string, string](nil)
	g := newGate(numbered)
	first := make(chan string)
	go func() {
		v, _ := m.get(context.Background(), "k", g.fetch)
		first <- v
	}()
	<-g.started // fetch "a" is in flight
	tick := m.drop("k", func(v string) bool { return v == "a" })
	second := make(chan string)
	go func() {
		v, _ := m.after(context.Background(), "k", tick, g.fetch)
		second <- v
	}()
	<-g.started // fetch "b" started after the drop
	close(g.release)
	if v := <-first; v != "a" {
		t.Errorf("the caller of the first fetch got %q", v)
	}
	if v := <-second; v != "b" {
		t.Errorf("after the drop: %q, want the later fetch's answer", v)
	}
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "b" {
		t.Errorf("kept %q, want b: a fetch that overlapped the drop must not replace the later one", v)
	}
}

func TestMemoErrors(t *testing.T) {
	t.Parallel()
	answer := errors.New("an answer")
	m := newMemo[string, string](func(err error) bool { return errors.Is(err, answer) })
	calls := 0
	failing := func(err error) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { calls++; return "", err }
	}
	if _, err := m.get(t.Context(), "gone", failing(errors.New("transient"))); err == nil {
		t.Fatal("no error")
	}
	if _, err := m.get(t.Context(), "gone", failing(answer)); !errors.Is(err, answer) || calls != 2 {
		t.Errorf("a transient error is not kept: %v after %d calls", err, calls)
	}
	if _, err := m.get(t.Context(), "gone", failing(errors.New("unused"))); !errors.Is(err, answer) || calls != 2 {
		t.Errorf("an error that is an answer is kept: %v after %d calls", err, calls)
	}
}

// TestMemoAbandonedFetch: when the caller running a fetch gives up, the
// others waiting on it fetch again instead of sharing its cancellation.
func TestMemoAbandonedFetch(t *testing.T) {
	t.Parallel()
	m := newMemo[string, string](nil)
	g := newGate(numbered)
	ctx, cancel := context.WithCancel(context.Background())
	leader := make(chan error)
	go func() {
		_, err := m.get(ctx, "k", g.fetch)
		leader <- err
	}()
	<-g.started
	follower := make(chan string)
	go func() {
		v, _ := m.get(context.Background(), "k", g.fetch)
		follower <- v
	}()
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v", err)
	}
	<-g.started // the follower's own fetch
	close(g.release)
	if v := <-follower; v != "b" {
		t.Errorf("follower got %q, want its own fetch's answer", v)
	}
}

// TestMemoDropIf: only a kept answer that is stale is dropped; a fetch in
// flight stays shared.
func TestMemoDropIf(t *testing.T) {
	t.Parallel()
	m := newMemo[string, string](nil)
	g := newGate(numbered)
	close(g.release)
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "a" {
		t.Fatalf("first get = %q", v)
	}
	m.dropIf("k", func(v string) bool { return v == "z" })
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "a" || g.calls.Load() != 1 {
		t.Fatalf("after a dropIf that did not apply: %q, %d fetches", v, g.calls.Load())
	}
	m.dropIf("k", func(v string) bool { return v == "a" })
	if v, _ := m.get(t.Context(), "k", g.fetch); v != "b" || g.calls.Load() != 2 {
		t.Fatalf("after dropping the stale answer: %q, %d fetches", v, g.calls.Load())
	}
	m.dropIf("none", func(string) bool { return true }) // nothing kept: nothing to do
}
