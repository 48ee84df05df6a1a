package client

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// credentials give each attempt the Authorization it is sent with.
type credentials interface {
	// header is the Authorization value for a request sent now.
	header(ctx context.Context) (string, error)
	// refused tells that the server answered 401 to header, and reports
	// whether a request sent again may carry one it accepts.
	refused(header string) bool
}

// staticToken is a token given in the configuration: nothing to renew.
type staticToken string

func (t staticToken) header(context.Context) (string, error) { return "Bearer " + string(t), nil }

func (staticToken) refused(string) bool { return false }

// appCredentials are a GitHub App installation's tokens, renewed before they
// expire and after the API refuses one.
type appCredentials struct{ c *Client }

func (a appCredentials) header(ctx context.Context) (string, error) {
	token, err := a.c.appToken(ctx)
	if err != nil {
		return "", err
	}
	return "Bearer " + token, nil
}

// refused drops the refused token unless it was already replaced: the
// installation may have been suspended and restored, or the token revoked.
func (a appCredentials) refused(header string) bool {
	a.c.forgetAppToken(header)
	return true
}

// authTransport sets each attempt's Authorization just before it is sent. It
// sits below the retries and rate-limit waits, so a request that waited for
// longer than an installation token lives still goes out with one that is
// valid then. Requests to any other origin than the API's, such as a
// redirect's, go without it.
type authTransport struct {
	base   http.RoundTripper
	creds  credentials
	origin *url.URL // scheme and host of the API root
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.origin.Scheme || req.URL.Host != t.origin.Host {
		return t.base.RoundTrip(req)
	}
	resp, sent, err := t.send(req, req.Body)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !t.creds.refused(sent) {
		return resp, err
	}
	// Once, with the credential that replaced the refused one.
	body, ok := replayBody(req)
	if !ok {
		return resp, nil
	}
	discard(resp)
	resp, _, err = t.send(req, body)
	return resp, err
}

// replayBody is a fresh copy of req's body to send it again; ok is false when
// there is none to be had.
func replayBody(req *http.Request) (body io.ReadCloser, ok bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req.Body, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	return body, err == nil
}

// send sends a copy of req with body and a current Authorization, which it
// returns.
func (t *authTransport) send(req *http.Request, body io.ReadCloser) (*http.Response, string, error) {
	auth, err := t.creds.header(req.Context())
	if err != nil {
		if body != nil {
			_ = body.Close()
		}
		return nil, "", err
	}
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", auth)
	resp, err := t.base.RoundTrip(r)
	return resp, auth, err
}
