package apispec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator checks requests and responses against the description and
// records what does not match. It is safe for concurrent use; one Validator
// may serve a server and any number of clients at once.
type Validator struct {
	router  routers.Router
	options *openapi3filter.Options

	mu          sync.Mutex
	failures    []string
	checked     int
	unspecified int
}

// New returns a Validator with no traffic recorded.
func New() (*Validator, error) {
	doc, err := Document()
	if err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing the API description: %w", err)
	}
	options := &openapi3filter.Options{
		MultiError: true,
		// Authentication is the server's business; the description checks shapes.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// Validation must never change the request it looks at.
		SkipSettingDefaults:     true,
		SchemaValidationOptions: doc.GetSchemaValidationOptions(),
	}
	return &Validator{router: router, options: options}, nil
}

// Failures returns one line per mismatch seen so far: method, path and what
// was wrong. Lines never quote a body, which may carry a ciphertext.
func (v *Validator) Failures() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.failures...)
}

// Checked counts the requests and responses checked against the description
// so far, whether they matched or not.
func (v *Validator) Checked() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.checked
}

// Unspecified counts the requests and responses the description does not
// cover: requests to paths or methods it does not describe (and their
// responses), and responses with a status their operation does not list,
// such as 304 or most errors.
func (v *Validator) Unspecified() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.unspecified
}

func (v *Validator) record(checked bool, failure string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !checked {
		v.unspecified++
		return
	}
	v.checked++
	if failure != "" {
		v.failures = append(v.failures, failure)
	}
}

// checkRequest validates req, whose body is body, and returns what the
// response check needs; nil when the description does not cover req.
func (v *Validator) checkRequest(ctx context.Context, req *http.Request, body []byte) *openapi3filter.RequestValidationInput {
	probe := req.Clone(ctx)
	probe.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := v.router.FindRoute(probe)
	if err != nil {
		v.record(false, "")
		return nil
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    probe,
		PathParams: params,
		Route:      route,
		Options:    v.options,
	}
	failure := ""
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		failure = fmt.Sprintf("%s %s: request: %s", req.Method, req.URL.EscapedPath(), describe(err))
	}
	v.record(true, failure)
	return in
}

// checkResponse validates one response to the request checked as in; a nil
// in (an undescribed request) counts the response as unspecified.
func (v *Validator) checkResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) {
	if in == nil || !listed(in.Route.Operation, status) {
		v.record(false, "")
		return
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                v.options,
	}
	out.SetBodyBytes(body)
	failure := ""
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		failure = fmt.Sprintf("%s %s: %d response: %s", in.Request.Method, in.Request.URL.EscapedPath(), status, describe(err))
	}
	v.record(true, failure)
}

// listed reports whether op describes responses with status; 304 is never
// described, whatever an operation says.
func listed(op *openapi3.Operation, status int) bool {
	return op != nil && op.Responses != nil && status != http.StatusNotModified &&
		op.Responses.Status(status) != nil
}

// readBody reads and closes body; a nil body reads as empty.
func readBody(body io.ReadCloser) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	defer body.Close()
	return io.ReadAll(body)
}

// replay gives back what readBody read, then its error, so the reader of a
// body that failed midway still sees the failure.
func replay(data []byte, err error) io.ReadCloser {
	r := io.Reader(bytes.NewReader(data))
	if err != nil {
		r = io.MultiReader(r, errReader{err})
	}
	return io.NopCloser(r)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
