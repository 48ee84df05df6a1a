package client

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// maxSecondaryWait caps the back-off after repeated secondary-limit
	// rejections; a longer Retry-After is honoured as it is.
	maxSecondaryWait = 15 * time.Minute
	// minSecondaryWait keeps a Retry-After of 0 from becoming a tight loop.
	minSecondaryWait = time.Second
)

// secondaryPause holds back one class of requests (reads or writes) after
// the server rejected one for a secondary rate limit, for as long as the
// server asked, and then lets one request go first: the others follow once
// it is accepted, so a limit still in force costs one more rejection, not
// one per request waiting.
//
// A rejection of a request sent after the last pause began is a repeat. As
// GitHub advises, repeats wait longer each time: without Retry-After from a
// minute (SecondaryMinWait) doubling; with a Retry-After that proved too
// short, from the minute GitHub's limits are counted over, doubling, and
// never less than the server asked.
type secondaryPause struct {
	until  time.Time
	began  time.Time // when the current pause began; zero before any
	streak int       // rejections in a row, each of a request sent after the previous pause began
	// probe is the first request sent after the pause; until it is
	// answered, the others of its class wait.
	probe   *sendSlot
	probing bool // a pause ended and no request after it was accepted yet
}

// reject takes the rejection at now of s, whose answer carried retryAfter
// (negative: none), and returns when the pause ends.
func (p *secondaryPause) reject(s *sendSlot, now time.Time, retryAfter, minWait time.Duration) time.Time {
	if p.probe == s {
		p.probe = nil
	}
	repeat := !s.sent.Before(p.began)
	if repeat {
		p.streak++
		p.began = now
	}
	var wait time.Duration
	switch {
	case retryAfter >= 0 && p.streak > 1 && repeat:
		wait = max(retryAfter, backoffStep(paceWindow, p.streak-1, maxSecondaryWait))
	case retryAfter >= 0:
		wait = max(retryAfter, minSecondaryWait)
	case repeat:
		wait = max(backoffStep(minWait, p.streak, maxSecondaryWait), minSecondaryWait)
	}
	p.until = later(p.until, now.Add(wait))
	p.probing = true
	return p.until
}

// accept takes the answer to s, which was not a rate-limit rejection.
func (p *secondaryPause) accept(s *sendSlot) {
	if p.probe == s {
		p.probe, p.probing = nil, false
	}
	if !s.sent.Before(p.began) {
		p.streak = 0
	}
}

// failed takes the end of s without an answer.
func (p *secondaryPause) failed(s *sendSlot) {
	if p.probe == s {
		p.probe = nil
	}
}

// block says whether a request of the class must wait, and how long: zero
// while the first request after the pause is still out.
func (p *secondaryPause) block(now time.Time) (block, bool) {
	if d := p.until.Sub(now); d > 0 {
		return block{reason: "secondary rate limit", wait: d, hint: true}, true
	}
	if p.probe != nil {
		return block{reason: "secondary rate limit: first request after the pause", hint: true}, true
	}
	return block{}, false
}

// admit notes that s is sent; after a pause, the first one goes alone.
func (p *secondaryPause) admit(s *sendSlot) {
	if p.probing && p.probe == nil {
		p.probe = s
	}
}

// primaryHold holds every request until the primary rate limit resets, once
// a response says it is used up.
type primaryHold struct {
	until time.Time
}

// observe takes what a response's headers say of the primary limit.
func (h *primaryHold) observe(header http.Header) {
	if strings.TrimSpace(header.Get("X-RateLimit-Remaining")) != "0" {
		return
	}
	if reset, ok := rateLimitReset(header); ok {
		h.hold(reset.Add(time.Second))
	}
}

func (h *primaryHold) hold(t time.Time) { h.until = later(h.until, t) }

// block says whether requests must wait for the reset: not when it is
// further off than maxWait, as the server then answers with the limit error
// that says when to come back.
func (h *primaryHold) block(now time.Time, maxWait time.Duration) (block, bool) {
	if d := h.until.Sub(now); d > 0 && d <= maxWait {
		return block{reason: "primary rate limit", wait: d, hint: true}, true
	}
	return block{}, false
}

// rateLimitReset reads X-RateLimit-Reset (Unix seconds).
func rateLimitReset(h http.Header) (time.Time, bool) {
	secs, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// backoffStep is base doubled for each step after the first, capped.
func backoffStep(base time.Duration, step int, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < step && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
