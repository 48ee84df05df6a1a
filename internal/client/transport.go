package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// Logger receives what the Client does on the wire: every request at Debug
// once answered (method, path, status, request_id, attempt, duration_ms; error
// in place of status when no answer came), every wait at Info (reason,
// wait_ms, method, path; a wait for a request in flight to be answered has
// no wait_ms, and in_flight and limit when it waits for a cap) and every
// rate-limit or server error handed back to the caller at Warn. Fields never
// hold a token, a body or a header value other than X-GitHub-Request-Id.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Info(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// RetryPolicy bounds how a Client retries and waits. Zero fields take the
// defaults named on each; a negative count or wait turns that retry off.
type RetryPolicy struct {
	// MaxRetries is how often a request is retried after a 500, 502, 503 or
	// 504 or a connection error. Default 4. Rate-limit rejections do not
	// count: MaxRateLimitWait bounds those.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the exponential back-off between those
	// retries, drawn at random up to the step's length. Default 1s and 30s.
	MinBackoff, MaxBackoff time.Duration
	// SecondaryMinWait is the first wait after a secondary-rate-limit
	// rejection without Retry-After; it doubles on each rejection in a row,
	// up to 15 minutes. Default 60s.
	SecondaryMinWait time.Duration
	// MaxRateLimitWait is the longest one request waits, in all, for rate
	// limits: for the primary limit to reset and out the pauses that
	// secondary-limit rejections ask for. A request rejected when waiting
	// again would take it past this bound fails with the rejection.
	// Default 5m.
	MaxRateLimitWait time.Duration
}

const (
	defaultMaxRetries       = 4
	defaultMinBackoff       = time.Second
	defaultMaxBackoff       = 30 * time.Second
	defaultSecondaryMinWait = time.Minute
	defaultMaxRateLimitWait = 5 * time.Minute

	// maxPrimaryRetries bounds retries after primary-limit rejections, for a
	// server whose clock runs behind.
	maxPrimaryRetries = 2
	// staleReset is how far in the past an X-RateLimit-Reset may be and still
	// be taken for clock skew rather than nonsense.
	staleReset = time.Minute
	// sniffBytes is how much of a 403 or 429 body is read to tell a
	// secondary rate limit from a permission error.
	sniffBytes = 64 << 10
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	p.MaxRetries = orDefault(p.MaxRetries, defaultMaxRetries)
	p.MinBackoff = orDefault(p.MinBackoff, defaultMinBackoff)
	p.MaxBackoff = max(orDefault(p.MaxBackoff, defaultMaxBackoff), p.MinBackoff)
	p.SecondaryMinWait = orDefault(p.SecondaryMinWait, defaultSecondaryMinWait)
	p.MaxRateLimitWait = orDefault(p.MaxRateLimitWait, defaultMaxRateLimitWait)
	return p
}

// orDefault maps 0 to def and a negative value to 0 (off).
func orDefault[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// transport retries server errors and connection errors, waits out rate
// limits and paces requests; it wraps the HTTP client's own transport (wire),
// through an authTransport when it authenticates requests.
type transport struct {
	base   http.RoundTripper // what sends one attempt
	wire   http.RoundTripper // the HTTP client's own transport
	policy RetryPolicy
	pacer  *pacer
	log    Logger
	redact func(string) string
	// attemptTimeout bounds one attempt including its body, as
	// http.Client.Timeout would, but not the waits between attempts.
	attemptTimeout time.Duration

	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	jitter func(time.Duration) time.Duration // uniform in [0, d]
}

// wrapHTTPClient returns a copy of hc whose transport is a retrying, pacing
// transport over hc's own, setting each attempt's Authorization from creds
// for requests to origin when creds is not nil; hc itself is left as it is.
func wrapHTTPClient(hc *http.Client, cfg Config, redact func(string) string, creds credentials, origin *url.URL) *http.Client {
	wire, timeout := hc.Transport, hc.Timeout
	if inner, ok := wire.(*transport); ok {
		// Another Client's HTTP client: retry, pace and authenticate once, not twice.
		wire, timeout = inner.wire, inner.attemptTimeout
	}
	if wire == nil {
		wire = http.DefaultTransport
	}
	base := wire
	if creds != nil {
		base = &authTransport{base: wire, creds: creds, origin: origin}
	}
	t := &transport{
		base:           base,
		wire:           wire,
		policy:         cfg.Retry.withDefaults(),
		pacer:          newPacer(cfg.Pacing, cfg.Retry.withDefaults().SecondaryMinWait),
		log:            cfg.Logger,
		redact:         redact,
		attemptTimeout: timeout,
		now:            time.Now,
		sleep:          sleepCtx,
		jitter:         func(d time.Duration) time.Duration { return rand.N(d + 1) },
	}
	if t.log == nil {
		t.log = nopLogger{}
	}
	t.pacer.log = t.log // budget changes are logged with the waits
	wrapped := *hc
	wrapped.Transport = t
	// Rate-limit waits may outlast the client's timeout; it bounds each
	// attempt instead.
	wrapped.Timeout = 0
	return &wrapped
}

// setClock replaces the clock of the transport and its pacer (tests).
func (t *transport) setClock(now func() time.Time, sleep func(context.Context, time.Duration) error) {
	t.now, t.sleep = now, sleep
	t.pacer.mu.Lock()
	t.pacer.now, t.pacer.sleep = now, sleep
	t.pacer.mu.Unlock()
}

// RoundTrip sends req, retrying and waiting as the policy allows. It returns
// the last response when retries are used up, so the Client reports it.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// A body without GetBody cannot be sent twice.
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	// After a failure that may follow the work, a write that is not
	// idempotent is its caller's to resend (see withoutResend).
	resendable := replayable && !resendOff(ctx)
	var serverRetries, primaryRetries int
	var rateWaited time.Duration // waits the server asked for, in all

	for n := 1; ; n++ {
		resp, o, err := t.attempt(ctx, req, n, t.policy.MaxRateLimitWait-rateWaited)
		rateWaited += o.waited
		switch {
		case !o.sent:
			if n == 1 {
				closeBody(req)
			}
			return nil, err
		case o.verdict == unanswered:
			if ctx.Err() != nil || !resendable || serverRetries >= t.policy.MaxRetries || !retryableConnError(err) {
				return nil, err
			}
			serverRetries++
			if err := t.backoff(ctx, req, serverRetries, "connection error", nil); err != nil {
				return nil, err
			}
		case o.verdict == primaryLimited:
			if o.primaryUntil.IsZero() || !replayable || primaryRetries >= maxPrimaryRetries ||
				rateWaited+o.primaryUntil.Sub(t.now()) > t.policy.MaxRateLimitWait {
				t.warnGiveUp(ctx, req, "primary rate limit", n)
				return resp, nil
			}
			primaryRetries++
			discard(resp)
		case o.verdict == secondaryLimited:
			// Not a failure while the server says when to come back and the
			// waits stay within the bound: MaxRetries does not count these.
			if !replayable || rateWaited+o.pause > t.policy.MaxRateLimitWait {
				t.warnGiveUp(ctx, req, "secondary rate limit", n)
				return resp, nil
			}
			discard(resp)
		case isServerError(resp.StatusCode):
			reason := "server error " + strconv.Itoa(resp.StatusCode)
			if !resendable || serverRetries >= t.policy.MaxRetries {
				if serverRetries > 0 {
					t.warnGiveUp(ctx, req, reason, n)
				}
				return resp, nil
			}
			serverRetries++
			hint := retryAfter(resp.Header, t.now())
			discard(resp)
			if err := t.backoff(ctx, req, serverRetries, reason, hint); err != nil {
				return nil, err
			}
		default:
			return resp, nil
		}
	}
}

// outcome is what became of one attempt.
type outcome struct {
	answer               // what the server said, as the pacer took it
	sent   bool          // false: the wait for a slot ended with the request's context
	pause  time.Duration // secondaryLimited: how long the request's class is paused
	waited time.Duration // spent waiting for the slot because the server asked
}

// attempt sends req once within a pacing slot: the one place where a slot
// is acquired and released. maxHold bounds a wait for the primary limit to
// reset.
func (t *transport) attempt(ctx context.Context, req *http.Request, n int, maxHold time.Duration) (*http.Response, outcome, error) {
	key := endpointKey(req.Method, req.URL.EscapedPath())
	slot, waited, err := t.pacer.acquire(ctx, key, routes.ClassOf(req.Method), maxHold,
		func(b block) { t.logWait(ctx, req, b.reason, b.wait, b.fields) })
	if err != nil {
		return nil, outcome{waited: waited}, err
	}
	start := t.now()
	resp, err := t.send(ctx, req, n)
	o := outcome{answer: t.judge(resp, err), sent: true, waited: waited}
	o.pause = t.pacer.release(ctx, slot, o.answer)
	t.logRequest(ctx, req, n, start, resp, err)
	return resp, o, err
}

// judge says what became of an attempt, for the pacer. A 403 or 429 body is
// read in part to tell a rate limit from a permission error, and put back.
func (t *transport) judge(resp *http.Response, err error) answer {
	if err != nil {
		return answer{verdict: unanswered}
	}
	a := answer{verdict: answered, header: resp.Header}
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return a
	}
	if strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) == "0" {
		a.verdict = primaryLimited
		a.primaryUntil, _ = t.primaryRetryAt(resp.Header)
		return a
	}
	hint := retryAfter(resp.Header, t.now())
	if isSecondaryLimit(resp, hint != nil) {
		a.verdict, a.retryAfter = secondaryLimited, -1
		if hint != nil {
			a.retryAfter = *hint
		}
	}
	return a
}

// send makes one attempt. The attempt's timeout covers reading its body.
func (t *transport) send(ctx context.Context, req *http.Request, attempt int) (*http.Response, error) {
	r := req
	if attempt > 1 && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replaying request body: %w", err)
		}
		r = req.Clone(ctx)
		r.Body = body
	}
	cancel := context.CancelFunc(func() {})
	if t.attemptTimeout > 0 {
		var actx context.Context
		actx, cancel = context.WithTimeout(ctx, t.attemptTimeout)
		r = r.WithContext(actx)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &attemptBody{rc: resp.Body, release: cancel}
	return resp, nil
}

// primaryRetryAt says when to retry after a primary-limit rejection, if that
// is soon enough to wait for.
func (t *transport) primaryRetryAt(h http.Header) (time.Time, bool) {
	reset, ok := rateLimitReset(h)
	if !ok {
		return time.Time{}, false
	}
	now := t.now()
	until := reset.Add(time.Second)
	if until.Before(now.Add(-staleReset)) || until.Sub(now) > t.policy.MaxRateLimitWait {
		return time.Time{}, false
	}
	// Never retry at once: the server's clock may run behind ours.
	return later(until, now.Add(time.Second)), true
}

// backoff waits before retry number n, the longer of a full-jitter
// exponential step and the server's Retry-After (within MaxBackoff).
func (t *transport) backoff(ctx context.Context, req *http.Request, n int, reason string, hint *time.Duration) error {
	d := t.jitter(backoffStep(t.policy.MinBackoff, n, t.policy.MaxBackoff))
	if hint != nil {
		d = max(d, min(*hint, t.policy.MaxBackoff))
	}
	t.logWait(ctx, req, reason, d, nil)
	return t.sleep(ctx, d)
}

func (t *transport) logRequest(ctx context.Context, req *http.Request, attempt int, start time.Time, resp *http.Response, err error) {
	f := map[string]any{
		"method":      req.Method,
		"path":        t.redact(req.URL.EscapedPath()),
		"attempt":     attempt,
		"duration_ms": t.now().Sub(start).Milliseconds(),
	}
	if resp != nil {
		f["status"] = resp.StatusCode
		f["request_id"] = t.redact(resp.Header.Get("X-GitHub-Request-Id"))
	} else {
		f["error"] = t.redact(err.Error())
	}
	t.log.Debug(ctx, "GitHub API request", f)
}

func (t *transport) logWait(ctx context.Context, req *http.Request, reason string, d time.Duration, extra map[string]any) {
	f := map[string]any{
		"reason": reason,
		"method": req.Method,
		"path":   t.redact(req.URL.EscapedPath()),
	}
	if d > 0 {
		f["wait_ms"] = d.Milliseconds()
	}
	for k, v := range extra {
		f[k] = v
	}
	t.log.Info(ctx, "waiting before GitHub API request", f)
}

func (t *transport) warnGiveUp(ctx context.Context, req *http.Request, reason string, attempt int) {
	t.log.Warn(ctx, "GitHub API request rejected, not retrying", map[string]any{
		"reason":  reason,
		"method":  req.Method,
		"path":    t.redact(req.URL.EscapedPath()),
		"attempt": attempt,
	})
}

func isServerError(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isSecondaryLimit tells a secondary-rate-limit 403 or 429 from others. It
// reads the start of the body and puts it back.
func isSecondaryLimit(resp *http.Response, hasRetryAfter bool) bool {
	head, err := io.ReadAll(io.LimitReader(resp.Body, sniffBytes))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil && !hasRetryAfter {
		return false
	}
	return isSecondaryLimitAnswer(resp.StatusCode, hasRetryAfter, head)
}

// retryAfter reads Retry-After, in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) *time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return nil
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(secs, 0), int64(24*time.Hour/time.Second))) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = max(at.Sub(now), 0)
	} else {
		return nil
	}
	return &d
}

// retryableConnError reports whether err is a failure to reach the server or
// a dropped connection, as opposed to a TLS trust or request problem.
func retryableConnError(err error) bool {
	var (
		certErr    *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		dnsErr     *net.DNSError
		netErr     net.Error
		opErr      *net.OpError
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return false
	case errors.As(err, &dnsErr):
		return !dnsErr.IsNotFound
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &netErr) && netErr.Timeout():
		return true
	case errors.As(err, &opErr):
		return true
	}
	return false
}

// attemptBody is a response body that ends its attempt when closed.
type attemptBody struct {
	rc      io.ReadCloser
	once    sync.Once
	release func()
}

func (b *attemptBody) Read(p []byte) (int, error) { return b.rc.Read(p) }

func (b *attemptBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.release)
	return err
}

// discard drains a little of a response that is not returned, so its
// connection can be reused, and closes it.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sleepCtx waits for d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Info(context.Context, string, map[string]any)  {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}
