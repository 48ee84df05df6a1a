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
// server asked, and then lets the class resume gently: one request in flight
// at first, one more with each accepted, as TCP's slow start does. A limit
// still in force then costs one or two more rejections, not one per request
// waiting.
//
// A rejection of a request sent after the last pause began, within a minute
// of its end, is a repeat, unless the client's own pace explains it (the
// rejection lowered its learned budget): the server's minute evidently holds
// traffic the client cannot see. As GitHub advises, repeats wait longer each
// time: without Retry-After from a minute (SecondaryMinWait) doubling; with a
// Retry-After that proved too short, from the minute GitHub's limits are
// counted over, doubling, and never less than the server asked.
type secondaryPause struct {
	until  time.Time
	began  time.Time // when the current pause began; zero before any
	streak int       // repeated rejections, counting the first
	// allowed is how many requests of the class may be in flight while it
	// resumes, out how many are; allowed is 0 when it is not resuming.
	allowed, out int
	parts        pacingParts // noEscalation, noResume: left out of this build
}

// reject takes the rejection at now of s, whose answer carried retryAfter
// (negative: none), and returns when the pause ends. explained says that the
// client's own pace explains it.
func (p *secondaryPause) reject(s *sendSlot, now time.Time, retryAfter, minWait time.Duration, explained bool) time.Time {
	p.answered(s)
	if explained || (!p.until.IsZero() && now.Sub(p.until) >= paceWindow) {
		p.streak = 0
	}
	repeat := !s.sent.Before(p.began)
	if repeat {
		p.streak++
		p.began = now
	}
	var wait time.Duration
	switch {
	case p.parts.noEscalation && retryAfter >= 0:
		wait = max(retryAfter, minSecondaryWait)
	case p.parts.noEscalation:
		wait = minWait
	case retryAfter >= 0 && p.streak > 1 && repeat:
		wait = max(retryAfter, backoffStep(paceWindow, p.streak-1, maxSecondaryWait))
	case retryAfter >= 0:
		wait = max(retryAfter, minSecondaryWait)
	case repeat:
		wait = max(backoffStep(minWait, p.streak, maxSecondaryWait), minSecondaryWait)
	}
	p.until = later(p.until, now.Add(wait))
	if !p.parts.noResume {
		p.allowed = 1
	}
	return p.until
}

// accept takes the answer to s, which was not a rate-limit rejection.
func (p *secondaryPause) accept(s *sendSlot) {
	if !p.answered(s) || p.allowed == 0 {
		return
	}
	// Resumed once as many may be in flight as GitHub allows at all.
	if p.allowed++; p.allowed >= defaultMaxConcurrent {
		p.allowed = 0
	}
}

// failed takes the end of s without an answer.
func (p *secondaryPause) failed(s *sendSlot) { p.answered(s) }

// answered takes s out of those in flight while resuming, and reports
// whether it was one of them.
func (p *secondaryPause) answered(s *sendSlot) bool {
	if !s.resuming {
		return false
	}
	s.resuming = false
	p.out--
	return true
}

// block says whether a request of the class must wait, and how long: zero
// while it must wait for an answer to a request sent since the pause.
func (p *secondaryPause) block(now time.Time) (block, bool) {
	if d := p.until.Sub(now); d > 0 {
		return block{reason: "secondary rate limit", wait: d, hint: true}, true
	}
	if p.allowed > 0 && p.out >= p.allowed {
		return block{reason: "secondary rate limit: resuming after the pause", hint: true,
			fields: map[string]any{"in_flight": p.out, "limit": p.allowed}}, true
	}
	return block{}, false
}

// admit notes that s is sent.
func (p *secondaryPause) admit(s *sendSlot) {
	if p.allowed > 0 {
		s.resuming = true
		p.out++
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
