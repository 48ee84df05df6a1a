// Package client is a small GitHub REST client for organization Actions
// secrets on github.com, GitHub Enterprise Cloud with data residency and
// GitHub Enterprise Server.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// APIVersion is the REST API version every request asks for.
const APIVersion = "2022-11-28"

const (
	defaultUserAgent = "terraform-provider-ghsecrets"
	defaultTimeout   = 60 * time.Second
	mediaTypeJSON    = "application/vnd.github+json"

	// maxBodyBytes bounds what is read from any response so a misbehaving
	// proxy cannot exhaust memory.
	maxBodyBytes = 16 << 20
)

// Config holds what New needs to build a Client.
type Config struct {
	BaseURL    string       // raw as the user typed it; "" means https://api.github.com/
	Token      string       // sent as a Bearer token; never echoed back
	UserAgent  string       // e.g. "terraform-provider-ghsecrets/1.0.0"
	HTTPClient *http.Client // optional; default: a client with a 60s timeout
	// App authenticates as a GitHub App installation instead of with Token;
	// set exactly one of the two.
	App *AppAuth
	// CACertPEM holds CA certificates trusted besides the system's, for
	// GitHub Enterprise Server behind a private CA; default HTTP client only.
	CACertPEM []byte

	// Retry bounds retries after server errors, connection errors and rate
	// limits; the zero value takes the defaults. HTTPClient.Timeout bounds
	// each attempt, not the waits between attempts.
	Retry RetryPolicy
	// Pacing sets the budgets that keep requests within GitHub's secondary
	// rate limits; the zero value takes GitHub's documented ones.
	Pacing PacingPolicy
	// Logger receives every request (Debug) and every wait (Info); nil is
	// silent.
	Logger Logger
}

// Client talks to one GitHub REST API root with one token. It is safe for
// concurrent use.
type Client struct {
	baseURL    *url.URL
	token      string
	app        *appTokenSource // nil when authenticating with token
	userAgent  string
	httpClient *http.Client
	// tokenClient exchanges the app's JWT for installation tokens. It paces
	// apart from httpClient: a request waiting for its token may hold one of
	// httpClient's slots.
	tokenClient *http.Client

	// What the Client keeps for its life, one request shared by concurrent
	// callers (see memo): public keys and secret listings by scope,
	// repository lists by secret, organizations' repositories.
	keys     *memo[ScopeKey, PublicKey]
	listings *memo[ScopeKey, listing]
	selected *memo[AddressKey, RepositoryList]
	// refusedAt is the memo tick of the first refusal of each key: later
	// writes refused for the same key share a read started after it.
	refusedMu sync.Mutex
	refusedAt map[refusedKey]uint64
	orgRepos  *memo[string, []OrgRepository] // by lower-case organization
	// registries are organizations' private registry listings, by
	// lower-case organization, until this Client writes one of them.
	registries *memo[string, []Registry]
	// variables are scopes' variable listings, by name, until this Client
	// writes in the scope.
	variables *memo[ScopeKey, map[string]Variable]
	// orgPages are organizations' repository lists read as far as a
	// caller of EachOrgRepository needed, by lower-case organization.
	orgPagesMu sync.Mutex
	orgPages   map[string]*orgRepoPages

	writesMu sync.Mutex
	writes   writes // what this Client changed; see LookupSecret

	dates  dateTrust // whether answers' Date agrees with GitHub's timestamps
	logger Logger

	maskMu        sync.Mutex
	maskKey       string   // the credentials maskSpellings was worked out for
	maskSpellings []string // of the token and the app credentials, for redact
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(cfg.Token)
	var app *appTokenSource
	switch {
	case token != "" && cfg.App != nil:
		return nil, errors.New("both a GitHub token and GitHub App authentication are set: use one of them")
	case cfg.App != nil:
		if app, err = newAppTokenSource(cfg.App); err != nil {
			return nil, err
		}
	case token == "":
		return nil, errors.New("GitHub token is empty and no GitHub App authentication is set")
	// net/http would reject such a header anyway; failing here gives a clearer
	// message and keeps the value out of it.
	case strings.ContainsFunc(token, func(r rune) bool { return r < 0x21 || r == 0x7f }):
		return nil, errors.New("GitHub token contains whitespace or control characters")
	}
	ua := strings.TrimSpace(cfg.UserAgent)
	if ua == "" {
		ua = defaultUserAgent
	}
	hc := cfg.HTTPClient
	switch {
	case hc == nil:
		if hc, err = newDefaultHTTPClient(cfg.CACertPEM); err != nil {
			return nil, err
		}
	case len(cfg.CACertPEM) > 0:
		return nil, errors.New("CA certificates apply only to the default HTTP client, not to a given HTTPClient")
	}
	c := &Client{
		baseURL:    base,
		token:      token,
		app:        app,
		userAgent:  ua,
		httpClient: hc,
		keys:       newMemo[ScopeKey, PublicKey](nil),
		listings:   newMemo[ScopeKey, listing](nil),
		selected:   newMemo[AddressKey, RepositoryList](keptListError),
		refusedAt:  map[refusedKey]uint64{},
		orgRepos:   newMemo[string, []OrgRepository](nil),
		registries: newMemo[string, []Registry](nil),
		variables:  newMemo[ScopeKey, map[string]Variable](nil),
		orgPages:   map[string]*orgRepoPages{},
		logger:     nopLogger{},
	}
	if cfg.Logger != nil {
		// The Client and its transport log what answers say (the request
		// id, dates); a hostile one could repeat a request's secrets there.
		cfg.Logger = maskedLogger{next: cfg.Logger, c: c}
		c.logger = cfg.Logger
	}
	// Retries, rate limits, pacing and authentication live in the transport,
	// below every call.
	var creds credentials = staticToken(token)
	if app != nil {
		creds = appCredentials{c}
		c.tokenClient = wrapHTTPClient(hc, cfg, c.redact, nil, nil)
	}
	c.httpClient = wrapHTTPClient(hc, cfg, c.redact, creds, base)
	c.httpClient.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	if c.tokenClient != nil {
		c.tokenClient.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	}
	return c, nil
}

// checkRedirect follows a redirect only to the API root's own scheme, host
// and port, as pagination links are: net/http would send the Authorization
// header to another port of the same host, or over plain http, and re-send a
// PUT's sealed value on a 307 or 308. next is the given HTTP client's own
// policy, applied after this one.
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if !sameOrigin(req.URL, c.baseURL) {
			return &redirectError{host: req.URL.Host}
		}
		if m, ok := c.movedRepository(via[0].URL, req.URL); ok {
			return m
		}
		if from, to := c.relativePath(via[0].URL), c.relativePath(req.URL); !samePlace(from, to) {
			return &elsewhereError{from: from, to: to}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// elsewhereError is a redirect to another place than the request names:
// another secret, scope or endpoint of the same API host. Paths are relative
// to the API root, as the server sent them.
type elsewhereError struct{ from, to string }

func (e *elsewhereError) Error() string { return "redirect to another place not followed" }

// relativePath is u's escaped path relative to the API root, or its whole
// path when it lies outside the root (which then names no place of it).
func (c *Client) relativePath(u *url.URL) string {
	if rel, ok := strings.CutPrefix(u.EscapedPath(), c.baseURL.EscapedPath()); ok {
		return rel
	}
	return u.EscapedPath()
}

// redirectError is a redirect away from the API root; host is the
// target's, as the server sent it.
type redirectError struct{ host string }

func (e *redirectError) Error() string { return "redirect to " + e.host + " not followed" }

// BaseURL returns a copy of the normalized REST API root.
func (c *Client) BaseURL() *url.URL {
	u := *c.baseURL
	return &u
}

// endpoint is the absolute URL of p under the API root, with query (already
// encoded) when not empty. It joins rather than resolves: nothing in p is
// taken for a dot segment or a scheme.
func (c *Client) endpoint(p apiPath, query string) *url.URL {
	u := *c.baseURL
	u.RawPath = c.baseURL.EscapedPath() + string(p)
	u.Path, _ = url.PathUnescape(u.RawPath) // p's segments were escaped by url.PathEscape
	u.RawQuery, u.Fragment, u.RawFragment = query, "", ""
	return &u
}

// newRequest builds a request for u, an endpoint of the API root or a
// pagination link checked against it. A non-nil body is sent as JSON;
// secrets names what it carries that must never be shown, should an answer
// repeat it.
func (c *Client) newRequest(ctx context.Context, method string, u *url.URL, body any, secrets ...string) (*http.Request, error) {
	ctx = withRequestSecrets(ctx, secrets...)
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding request body: %w", method, c.redact(u.EscapedPath()), err)
		}
		// A *bytes.Reader lets net/http set GetBody, so a retrying transport
		// can replay the body.
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return nil, fmt.Errorf("building %s request: %w", method, err)
	}
	req.Header.Set("Accept", mediaTypeJSON)
	req.Header.Set("X-GitHub-Api-Version", APIVersion)
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// do sends req and, for a 2xx answer, decodes its JSON body into v (when v is
// non-nil). Any other status becomes an *ErrorResponse or *RateLimitError.
// The body is always consumed and closed.
func (c *Client) do(req *http.Request, v any) (*http.Response, error) {
	return c.doVia(c.httpClient, req, v)
}

// EnterpriseServer reports whether the base URL is a GitHub Enterprise
// Server's, as far as the address tells: a loopback address may be either,
// and reports false (its answers say which, see KindUnavailableError).
func (c *Client) EnterpriseServer() bool {
	return strings.HasSuffix(c.baseURL.Path, "/api/v3/") && !isLoopback(c.baseURL.Hostname())
}

// doVia is do through hc.
func (c *Client) doVia(hc *http.Client, req *http.Request, v any) (*http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		// Prefer the caller's own cancellation over the transport's wrapping.
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", req.Method, c.reqPath(req), ctxErr)
		}
		var moved *repositoryMove
		if errors.As(err, &moved) && resp != nil {
			return nil, &RepositoryMovedError{Method: req.Method, Path: c.reqPath(req), Status: resp.StatusCode,
				Owner: moved.owner, Repo: moved.repo, ID: moved.id}
		}
		var elsewhere *elsewhereError
		if errors.As(err, &elsewhere) {
			status := "redirect"
			if resp != nil {
				status = statusLine(resp.StatusCode)
			}
			return nil, fmt.Errorf("%s %s: %s: GitHub redirected this request for %s to %s, another place; not followed, "+
				"so nothing was sent there", req.Method, c.reqPath(req), status,
				c.responseText(req.Context(), describePath(elsewhere.from)), c.responseText(req.Context(), describePath(elsewhere.to)))
		}
		var re *redirectError
		if errors.As(err, &re) {
			status := "redirect"
			if resp != nil {
				status = statusLine(resp.StatusCode)
			}
			return nil, fmt.Errorf("%s %s: %s: redirected to host %s, which is not the API host %s; not followed, "+
				"so neither the token nor the request body leaves the API host",
				req.Method, c.reqPath(req), status, c.responseText(req.Context(), re.host), c.baseURL.Host)
		}
		// *url.Error names method and URL, which a redirect may have set to
		// what the server sent: name this request instead, and keep only
		// the cause's cleaned text.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = c.redact(req.URL.Redacted())
			ue.Err = &cleanError{text: c.responseText(req.Context(), ue.Err.Error()), cause: ue.Err}
		}
		return nil, err
	}
	defer func() {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()

	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, c.newAPIError(req, resp, body)
	}
	if readErr != nil {
		return resp, fmt.Errorf("%s %s: reading response body: %w", req.Method, c.reqPath(req), readErr)
	}
	if len(body) > maxBodyBytes {
		return resp, fmt.Errorf("%s %s: response body larger than %d bytes", req.Method, c.reqPath(req), maxBodyBytes)
	}
	if v == nil {
		return resp, nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return resp, fmt.Errorf("%s %s: %s: empty response body, expected JSON", req.Method, c.reqPath(req), statusLine(resp.StatusCode))
	}
	if err := json.Unmarshal(body, v); err != nil {
		// The decoder may quote what it could not parse: redact it, and keep
		// only the text, since the wrapped error would carry it unredacted.
		return resp, fmt.Errorf("%s %s: %s: decoding response body%s: %s",
			req.Method, c.reqPath(req), statusLine(resp.StatusCode), c.contentTypeNote(req, resp), c.responseText(req.Context(), err.Error()))
	}
	return resp, nil
}

// reqPath is the request's URL path for messages.
func (c *Client) reqPath(req *http.Request) string {
	return c.redact(req.URL.EscapedPath())
}

// contentTypeNote names a non-JSON Content-Type, which usually means a proxy
// or login page answered instead of GitHub.
func (c *Client) contentTypeNote(req *http.Request, resp *http.Response) string {
	ct := c.responseText(req.Context(), resp.Header.Get("Content-Type"))
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		return ""
	}
	return " (Content-Type " + mt + ")"
}

// cleanError shows text, a cleaned form of its cause's message, and unwraps
// to the cause so errors.Is still sees a cancelled context or a timeout.
type cleanError struct {
	text  string
	cause error
}

func (e *cleanError) Error() string { return e.text }
func (e *cleanError) Unwrap() error { return e.cause }

func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprintf("%d", code)
}
