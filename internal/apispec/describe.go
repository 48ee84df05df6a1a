package apispec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describe renders a validation error from its structure and never from
// the values it carries: request bodies hold ciphertexts, and kin-openapi's
// own messages may quote them.
func describe(err error) string {
	switch e := err.(type) {
	case openapi3.MultiError:
		parts := make([]string, 0, len(e))
		for _, sub := range e {
			parts = append(parts, describe(sub))
		}
		return strings.Join(parts, "; ")
	case *openapi3filter.RequestError:
		if p := e.Parameter; p != nil {
			// Parameters are path, query and header values: no secrets.
			return fmt.Sprintf("%s parameter %q: %s", p.In, p.Name, detail(e.Reason, e.Err, true))
		}
		return "body: " + detail(e.Reason, e.Err, false)
	case *openapi3filter.ResponseError:
		return detail(e.Reason, e.Err, false)
	case *openapi3filter.SecurityRequirementsError:
		return "security requirements not met"
	case *openapi3.SchemaError:
		return describeSchema(e)
	case *openapi3filter.ParseError:
		return describeParse(e)
	}
	// kin-openapi's own sentinels say nothing of the value.
	for _, known := range []error{openapi3filter.ErrInvalidRequired, openapi3filter.ErrInvalidEmptyValue} {
		if errors.Is(err, known) {
			return known.Error()
		}
	}
	if inner := errors.Unwrap(err); inner != nil {
		return describe(inner)
	}
	return "does not match the description"
}

// detail joins a reason with what its cause says; quoteCause allows the
// cause's own message, for errors that cannot hold a body.
func detail(reason string, cause error, quoteCause bool) string {
	var why string
	switch {
	case cause == nil:
	case quoteCause:
		why = cause.Error()
	default:
		why = describe(cause)
	}
	switch {
	case reason == "" && why == "":
		return "does not match the description"
	case reason == "" || reason == why:
		return why
	case why == "":
		return reason
	}
	return reason + ": " + why
}

func describeSchema(e *openapi3.SchemaError) string {
	at := "/" + strings.Join(e.JSONPointer(), "/")
	reason := e.Reason
	if reason == "" {
		reason = fmt.Sprintf("does not satisfy %q", e.SchemaField)
	}
	return "at " + at + ": " + reason
}

func describeParse(e *openapi3filter.ParseError) string {
	reason := e.Reason
	if reason == "" {
		reason = "cannot be parsed"
	}
	if p := e.Path(); len(p) > 0 {
		parts := make([]string, 0, len(p))
		for _, s := range p {
			parts = append(parts, fmt.Sprint(s))
		}
		return "at /" + strings.Join(parts, "/") + ": " + reason
	}
	return reason
}
