package apispec

import (
	"bufio"
	"bytes"
	"net"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Middleware checks each request to next and the response next sends. The
// response is held back until next returns, so it can be checked whole; it
// then goes out unchanged. Mismatches never change the traffic: they are
// only recorded.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(r.Body)
		r.Body = replay(body, err)
		var in *openapi3filter.RequestValidationInput
		if err == nil {
			in = v.checkRequest(r.Context(), r, body)
		} else {
			v.record(false, "")
		}

		buf := &bufferedWriter{w: w}
		next.ServeHTTP(buf, r)
		if buf.hijacked {
			v.record(false, "") // the handler took the connection: no response to check
			return
		}
		status := buf.status
		if status == 0 {
			if r.Context().Err() != nil && buf.body.Len() == 0 {
				v.record(false, "") // the client left before any answer
				return
			}
			status = http.StatusOK
		}
		if err == nil {
			v.checkResponse(r.Context(), in, status, sentHeader(w.Header(), buf.body.Bytes()), buf.body.Bytes())
		} else {
			v.record(false, "")
		}
		w.WriteHeader(status)
		if buf.body.Len() > 0 {
			_, _ = w.Write(buf.body.Bytes())
		}
	})
}

// sentHeader is h as the client receives it: net/http adds a sniffed
// Content-Type to a body sent without one.
func sentHeader(h http.Header, body []byte) http.Header {
	if len(body) == 0 || h.Get("Content-Type") != "" {
		return h
	}
	h = h.Clone()
	h.Set("Content-Type", http.DetectContentType(body))
	return h
}

// bufferedWriter holds a handler's status and body; headers go straight to
// the real writer's map, which is sent only when the buffer is flushed.
type bufferedWriter struct {
	w        http.ResponseWriter
	status   int
	body     bytes.Buffer
	hijacked bool
}

func (b *bufferedWriter) Header() http.Header { return b.w.Header() }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// Flush does nothing: the response goes out once the handler returns.
func (b *bufferedWriter) Flush() {}

// Hijack hands the connection over, as handlers that simulate a dropped
// connection need.
func (b *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(b.w).Hijack()
	if err == nil {
		b.hijacked = true
	}
	return conn, rw, err
}
