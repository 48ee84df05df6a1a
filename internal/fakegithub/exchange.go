package fakegithub

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// exchange is one request on its way to an answer.
type exchange struct {
	req Request
	out *bufferedResponse
	// chargedWindow is the reset time of the primary window the request
	// was counted in; zero when it was not counted.
	chargedWindow time.Time
	hostile       Hostile
	reqBody       []byte // kept for an echo
}

// bufferedResponse holds a handler's answer until finish sends it. Its
// header map is the real response's.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	stamp  time.Time // updated_at of the change this answers; zero for none
}

func newBufferedResponse(h http.Header) *bufferedResponse { return &bufferedResponse{header: h} }

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// finish settles the answer (ETag, 304, Date), records it, runs the request
// hook and only then sends it, so a client never sees a reply that is not
// yet counted or whose out-of-band follow-up has not happened.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, ex *exchange) {
	status := cmp.Or(ex.out.status, http.StatusOK)
	body := ex.out.body.Bytes()
	h := ex.out.Header()
	if r.Method == http.MethodGet && status == http.StatusOK {
		tag := entityTag(body)
		h.Set("ETag", tag)
		if etagMatches(r.Header.Get("If-None-Match"), tag) {
			status, body = http.StatusNotModified, nil
			h.Del("Content-Type")
			h.Del("Content-Length")
			// GitHub does not count a 304 against the primary limit.
			s.refundPrimary(ex)
		}
	}
	if ex.hostile.EchoRequests && status >= http.StatusBadRequest {
		body = s.echo(r, ex.reqBody, h, body)
	}
	s.record(ex.req, status)
	ex.req.Status = status
	if hook := s.requestHook.Load(); hook != nil {
		(*hook)(ex.req)
	}
	h.Set("Date", s.date(ex.out.stamp).Format(http.TimeFormat))
	w.WriteHeader(status)
	if len(body) > 0 {
		_, _ = w.Write(body)
	}
}

// entityTag is the weak ETag GitHub gives a 200 GET: a digest of the body.
func entityTag(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + hex.EncodeToString(sum[:]) + `"`
}

// etagMatches applies If-None-Match's weak comparison.
func etagMatches(ifNoneMatch, tag string) bool {
	opaque := strings.TrimPrefix(tag, "W/")
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == opaque {
			return true
		}
	}
	return false
}

// date is the Date of a response: the clock, but never before the stamp of
// the change it answers.
func (s *Server) date(stamp time.Time) time.Time {
	now := s.now().UTC().Truncate(time.Second)
	if stamp.After(now) {
		return stamp
	}
	return now
}

// SetRequestHook calls hook after each request is answered and before the
// answer is sent (not for dropped or abandoned requests), so a test can
// change things out of band at an exact point of an apply, e.g. delete a
// secret right after another one is written. nil removes the hook. The hook
// may call the Server's helpers; it runs on the request's goroutine.
func (s *Server) SetRequestHook(hook func(Request)) {
	if hook == nil {
		s.requestHook.Store(nil)
		return
	}
	s.requestHook.Store(&hook)
}
