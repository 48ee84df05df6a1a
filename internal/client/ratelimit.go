package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// SecondaryRateLimitError is a 403 or 429 answer for one of GitHub's
// secondary rate limits, handed back once waiting again would have taken the
// request past RetryPolicy.MaxRateLimitWait.
type SecondaryRateLimitError struct {
	*ErrorResponse
	RetryAfter time.Duration // what the last answer asked for; 0 when it did not say
}

func (e *SecondaryRateLimitError) Error() string {
	msg := e.ErrorResponse.Error() + "; GitHub secondary rate limit exceeded, retry later"
	if e.RetryAfter > 0 {
		msg += " (GitHub asked for " + e.RetryAfter.String() + ")"
	}
	return msg
}

func (e *SecondaryRateLimitError) Unwrap() error { return e.ErrorResponse }

// IsRateLimited reports whether err is a rejection for GitHub's primary or
// secondary rate limit, as opposed to one for permissions.
func IsRateLimited(err error) bool {
	var primary *RateLimitError
	var secondary *SecondaryRateLimitError
	return errors.As(err, &primary) || errors.As(err, &secondary)
}

// secondaryLimitError makes er a *SecondaryRateLimitError when resp, whose
// body starts with head, is a secondary-limit rejection.
func secondaryLimitError(er *ErrorResponse, resp *http.Response, head []byte) error {
	hint := retryAfter(resp.Header, time.Now())
	if !isSecondaryLimitAnswer(resp.StatusCode, hint != nil, head) {
		return er
	}
	e := &SecondaryRateLimitError{ErrorResponse: er}
	if hint != nil {
		e.RetryAfter = *hint
	}
	return e
}

// isSecondaryLimitAnswer tells a secondary-rate-limit 403 or 429 from others
// by a Retry-After, or by its message or documentation link.
func isSecondaryLimitAnswer(status int, hasRetryAfter bool, head []byte) bool {
	if status != http.StatusForbidden && status != http.StatusTooManyRequests {
		return false
	}
	if hasRetryAfter {
		return true
	}
	var payload struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if json.Unmarshal(head, &payload) != nil {
		return false
	}
	return strings.Contains(strings.ToLower(payload.Message), "secondary rate limit") ||
		strings.Contains(strings.ToLower(payload.DocumentationURL), "secondary-rate-limit")
}
