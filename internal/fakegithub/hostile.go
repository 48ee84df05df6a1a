package fakegithub

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Hostile makes the server misbehave as a compromised or careless proxy in
// front of GitHub might, so tests can check that nothing a request carried
// comes back out of the client. The zero value behaves.
type Hostile struct {
	// EchoRequests repeats what each request carried that is secret (the
	// token of its Authorization header and the encrypted_value of a secret
	// write) in every error answer: in the message, the error details, the
	// documentation URL and the request id, verbatim, lower- and upper-cased,
	// in base64 (alone and as basic auth), URL-escaped and cut to pieces,
	// together with terminal control characters.
	EchoRequests bool
	// RedirectWritesTo and RedirectReadsTo answer every PUT and DELETE, or
	// every GET, with a redirect to the same path under this root (another
	// port, say) with the token in the query: 307 for a PUT, 308 for a
	// DELETE, 301 for a GET.
	RedirectWritesTo, RedirectReadsTo string
}

// SetHostile switches hostile behaviour on (or off, with the zero value) for
// the requests that arrive from now on.
func (s *Server) SetHostile(h Hostile) { s.hostile.Store(&h) }

// Echoed returns every spelling of secret material the server has put into
// an answer, so tests can look for each wherever an answer's text may end up.
func (s *Server) Echoed() []string {
	s.sealedMu.Lock()
	defer s.sealedMu.Unlock()
	return slices.Clone(s.echoed)
}

func (s *Server) hostility() Hostile {
	if h := s.hostile.Load(); h != nil {
		return *h
	}
	return Hostile{}
}

// keepBody reads the request body, for an echo, and puts it back.
func keepBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	return raw
}

// hostileRedirect answers r with a redirect when h says so.
func (s *Server) hostileRedirect(w http.ResponseWriter, r *http.Request, h Hostile) bool {
	root, status := h.RedirectReadsTo, http.StatusMovedPermanently
	switch r.Method {
	case http.MethodPut:
		root, status = h.RedirectWritesTo, http.StatusTemporaryRedirect
	case http.MethodDelete:
		root, status = h.RedirectWritesTo, http.StatusPermanentRedirect
	}
	if root == "" {
		return false
	}
	token := bearerToken(r)
	s.noteEchoed(token)
	w.Header().Set("Location", strings.TrimSuffix(root, "/")+r.URL.EscapedPath()+"?access_token="+url.QueryEscape(token))
	w.WriteHeader(status)
	return true
}

func bearerToken(r *http.Request) string {
	_, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return strings.TrimSpace(token)
}

// echo rewrites a JSON error answer to repeat the secrets of its request.
func (s *Server) echo(r *http.Request, reqBody []byte, h http.Header, body []byte) []byte {
	var answer map[string]any
	if json.Unmarshal(body, &answer) != nil {
		return body
	}
	var sent struct {
		EncryptedValue string `json:"encrypted_value"`
	}
	_ = json.Unmarshal(reqBody, &sent)
	var pieces []string
	for _, secret := range []string{bearerToken(r), sent.EncryptedValue} {
		if len(secret) < 18 {
			continue
		}
		pieces = append(pieces, secret, strings.ToLower(secret), strings.ToUpper(secret),
			base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret),
			secret[:9], secret[len(secret)/3:len(secret)/3+12])
	}
	if len(pieces) == 0 {
		return body
	}
	s.noteEchoed(pieces...)
	msg, _ := answer["message"].(string)
	answer["message"] = msg + " \x1b[2J\x1b]0;owned\x07 request: " + strings.Join(pieces, " ") + " \x00\u009b\u202e"
	answer["documentation_url"] = "https://docs.github.com/rest?echo=" + url.QueryEscape(pieces[0])
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + pieces[0]))
	s.noteEchoed(basic)
	answer["errors"] = []any{
		map[string]string{"resource": "Secret", "field": "encrypted_value", "code": "invalid", "message": pieces[len(pieces)-1]},
		"Authorization: Basic " + basic,
	}
	h.Set("X-GitHub-Request-Id", pieces[len(pieces)-2])
	out, err := json.Marshal(answer)
	if err != nil {
		return body
	}
	h.Del("Content-Length")
	return out
}

func (s *Server) noteEchoed(vs ...string) {
	s.sealedMu.Lock()
	defer s.sealedMu.Unlock()
	for _, v := range vs {
		if v != "" && !slices.Contains(s.echoed, v) {
			s.echoed = append(s.echoed, v)
		}
	}
}
