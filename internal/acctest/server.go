package acctest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
)

// Served is a handler (the fake GitHub API, or a wrapper of it) served on
// loopback for one test. Every request the provider sends and every answer
// the handler gives is checked against GitHub's API description; a mismatch
// fails the test.
type Served struct {
	URL string
	// intercept, when set, answers a request in place of the handler (a
	// proxy or a broken server) when it returns true; its answers are not
	// checked.
	intercept atomic.Pointer[func(http.ResponseWriter, *http.Request) bool]
}

// Serve serves h until the test ends.
func Serve(t testing.TB, h http.Handler) *Served {
	t.Helper()
	spec, err := apispec.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &Served{}
	validated := spec.Middleware(h)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := s.intercept.Load(); f != nil && (*f)(w, r) {
			return
		}
		validated.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, f := range spec.Failures() {
			t.Errorf("traffic does not match the API description: %s", f)
		}
	})
	s.URL = srv.URL
	return s
}

// Intercept makes f answer in place of the handler; nil restores it.
func (s *Served) Intercept(f func(http.ResponseWriter, *http.Request) bool) {
	if f == nil {
		s.intercept.Store(nil)
		return
	}
	s.intercept.Store(&f)
}

// Clock is a fake's clock: real time plus an offset tests move forward.
type Clock struct{ offset atomic.Int64 }

// Now is the clock's time.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }
