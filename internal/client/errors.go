package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrorResponse is a non-2xx answer from the API.
type ErrorResponse struct {
	StatusCode       int
	Method           string
	Path             string        // URL path of the request (no query, no host)
	Message          string        // GitHub's "message"
	DocumentationURL string        // GitHub's "documentation_url"
	Errors           []ErrorDetail // GitHub's "errors", if any
	RequestID        string        // X-GitHub-Request-Id
	// EnterpriseVersion is the X-GitHub-Enterprise-Version of a GitHub
	// Enterprise Server's answer; "" from github.com.
	EnterpriseVersion string

	// bodyNote describes a body that carried no GitHub JSON, e.g.
	// "non-JSON response body"; the body itself is never kept.
	bodyNote string
}

// ErrorDetail is one entry of GitHub's "errors" array.
type ErrorDetail struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// UnmarshalJSON also accepts a bare string, which some GitHub endpoints send
// in place of an object.
func (d *ErrorDetail) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*d = ErrorDetail{Message: s}
		return nil
	}
	type plain ErrorDetail
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = ErrorDetail(p)
	return nil
}

func (d ErrorDetail) String() string {
	var b strings.Builder
	switch {
	case d.Resource != "" && d.Field != "":
		b.WriteString(d.Resource + "." + d.Field)
	case d.Field != "":
		b.WriteString(d.Field)
	case d.Resource != "":
		b.WriteString(d.Resource)
	}
	for _, s := range []string{d.Code, d.Message} {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(s)
	}
	return b.String()
}

func (e *ErrorResponse) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.Path, statusLine(e.StatusCode))
	switch {
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.bodyNote != "":
		b.WriteString(": " + e.bodyNote)
	}
	if len(e.Errors) > 0 {
		parts := make([]string, 0, len(e.Errors))
		for _, d := range e.Errors {
			if s := d.String(); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			b.WriteString(" [" + strings.Join(parts, "; ") + "]")
		}
	}
	if e.DocumentationURL != "" {
		b.WriteString(" (" + e.DocumentationURL + ")")
	}
	return b.String()
}

// RateLimitError is a 403 or 429 answer sent because the primary rate limit
// is used up (X-RateLimit-Remaining: 0).
type RateLimitError struct {
	*ErrorResponse
	Reset     time.Time // zero when GitHub did not say
	Remaining int
}

func (e *RateLimitError) Error() string {
	return e.ErrorResponse.Error() + "; GitHub API rate limit exceeded, " + retryAdvice(e.Reset, time.Now())
}

// retryAdvice says when the limit resets, in UTC and as a wait from now.
func retryAdvice(reset, now time.Time) string {
	if reset.IsZero() {
		return "retry later"
	}
	s := "retry after " + reset.UTC().Format(time.RFC3339)
	if d := reset.Sub(now).Round(time.Second); d > 0 {
		s += " (in " + d.String() + ")"
	}
	return s
}

func (e *RateLimitError) Unwrap() error { return e.ErrorResponse }

// IsNotFound reports whether err is a 404 from the API.
// A server without the kind of secret at all is not a missing secret.
func IsNotFound(err error) bool {
	return StatusCode(err) == http.StatusNotFound && !IsKindUnavailable(err)
}

// IsConflict reports whether err is a 409 from the API.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

// IsValidation reports whether err is a 422 from the API.
func IsValidation(err error) bool { return StatusCode(err) == http.StatusUnprocessableEntity }

// IsUnauthorized reports whether err is a 401 from the API.
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// StatusCode returns the HTTP status of an API error, or 0 if err is not one.
func StatusCode(err error) int {
	var er *ErrorResponse
	if errors.As(err, &er) && er != nil {
		return er.StatusCode
	}
	return 0
}

// newAPIError turns a non-2xx response into a typed error. body is what was
// read of the response; it is parsed, never copied into the error.
func (c *Client) newAPIError(req *http.Request, resp *http.Response, body []byte) error {
	text := func(s string) string { return c.responseText(req.Context(), s) }
	er := &ErrorResponse{
		StatusCode:        resp.StatusCode,
		Method:            req.Method,
		Path:              c.reqPath(req),
		RequestID:         text(resp.Header.Get("X-GitHub-Request-Id")),
		EnterpriseVersion: text(resp.Header.Get("X-GitHub-Enterprise-Version")),
	}
	var payload struct {
		Message          string        `json:"message"`
		DocumentationURL string        `json:"documentation_url"`
		Errors           []ErrorDetail `json:"errors"`
	}
	switch {
	case len(strings.TrimSpace(string(body))) == 0:
		er.bodyNote = "empty response body"
	case len(body) > maxBodyBytes || json.Unmarshal(body, &payload) != nil:
		er.bodyNote = "non-JSON response body" + c.contentTypeNote(req, resp)
	default:
		er.Message = text(payload.Message)
		er.DocumentationURL = text(payload.DocumentationURL)
		for _, d := range payload.Errors {
			er.Errors = append(er.Errors, ErrorDetail{
				Resource: text(d.Resource),
				Field:    text(d.Field),
				Code:     text(d.Code),
				Message:  text(d.Message),
			})
		}
		if er.Message == "" && er.DocumentationURL == "" && len(er.Errors) == 0 {
			er.bodyNote = "no error message in response body"
		}
	}

	if kind := kindOfPath(req.URL.Path); resp.StatusCode == http.StatusNotFound && kind != "" &&
		er.EnterpriseVersion != "" && !kind.OnGHES() {
		return &KindUnavailableError{Kind: kind, ErrorResponse: er}
	}
	if (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests) &&
		strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) == "0" {
		rl := &RateLimitError{ErrorResponse: er}
		if secs, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-RateLimit-Reset")), 10, 64); err == nil && secs > 0 {
			rl.Reset = time.Unix(secs, 0)
		}
		return rl
	}
	return secondaryLimitError(er, resp, body)
}

// KindUnavailableError is GitHub Enterprise Server's 404 for a kind of secret
// it does not have (Codespaces, Copilot coding agents).
type KindUnavailableError struct {
	Kind Kind
	*ErrorResponse
}

func (e *KindUnavailableError) Error() string {
	return fmt.Sprintf("GitHub Enterprise Server %s has no %s secrets; they exist on github.com and GitHub "+
		"Enterprise Cloud only (%s)", e.EnterpriseVersion, e.Kind.Title(), e.ErrorResponse.Error())
}

func (e *KindUnavailableError) Unwrap() error { return e.ErrorResponse }

// IsKindUnavailable reports whether err says the server has no secrets of
// the kind.
func IsKindUnavailable(err error) bool {
	var e *KindUnavailableError
	return errors.As(err, &e)
}
