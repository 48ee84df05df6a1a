package apispec

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// Transport returns a RoundTripper that checks each request sent through
// base (http.DefaultTransport when nil) and the response it brings back.
// Bodies are read whole and handed on unchanged; mismatches are only
// recorded.
func (v *Validator) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{v: v, base: base}
}

type transport struct {
	v    *Validator
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the request body: %w", req.Method, req.URL.EscapedPath(), err)
	}
	// A RoundTripper must not change the request it is given: send a copy.
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	in := t.v.checkRequest(req.Context(), req, body)

	resp, err := t.base.RoundTrip(out)
	if err != nil {
		t.v.record(false, "") // no response to check
		return nil, err
	}
	data, err := readBody(resp.Body)
	resp.Body = replay(data, err)
	if err != nil {
		t.v.record(false, "") // the body broke off; the caller sees the same error
		return resp, nil      //nolint:nilerr // the replayed body hands the read error to the caller
	}
	t.v.checkResponse(req.Context(), in, resp.StatusCode, resp.Header, data)
	return resp, nil
}
