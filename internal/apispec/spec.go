// Package apispec checks HTTP traffic against GitHub's OpenAPI description of
// the secrets family: organization, repository and environment secrets of
// every kind, and the repository and environment reads they depend on.
//
// A Validator wraps the fake GitHub server (Middleware) or a client's
// transport (Transport) and records every request and response that does not
// match the description. Traffic the description does not cover is counted,
// not failed: paths outside the family (such as
// /app/installations/{installation_id}/access_tokens), statuses an operation
// does not list (401, most 403, 404 and 422, 5xx and, except where listed,
// 409) and 304 Not Modified.
package apispec

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// GitHub's own text, cut from @octokit/openapi to the secrets family (its
// x-source says how). internal/routes is generated from it as well.
//
//go:embed spec/secrets-family.api.github.com.json
var specFiles embed.FS

const dotcomFile = "spec/secrets-family.api.github.com.json"

// Servers are the API roots the description is served at: github.com's and
// GitHub Enterprise Server's. GitHub's description names only
// https://api.github.com; the fake serves both roots on any host.
var servers = []string{"/", "/api/v3"}

// loadDocument is the loaded, validated description, built once.
var loadDocument = sync.OnceValues(buildDocument)

// Document returns the OpenAPI description traffic is checked against. It
// is shared: callers must not change it.
func Document() (*openapi3.T, error) {
	return loadDocument()
}

// MustLoad is Document for callers that cannot go on without it; the
// description is embedded, so a failure is a bug in this package.
func MustLoad() *openapi3.T {
	doc, err := Document()
	if err != nil {
		panic(err)
	}
	return doc
}

func buildDocument() (*openapi3.T, error) {
	raw, err := specFiles.ReadFile(dotcomFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dotcomFile, err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", dotcomFile, err)
	}
	if len(doc.Servers) > 0 {
		return nil, fmt.Errorf("%s names servers; this package expects none", dotcomFile)
	}
	for _, s := range servers {
		doc.Servers = append(doc.Servers, &openapi3.Server{URL: s})
	}
	// GitHub's description gives null as the example of the empty-object
	// answer to a create, which its own schema refuses.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validating %s: %w", dotcomFile, err)
	}
	doc.SetStringFormatValidator("uri", openapi3.NewCallbackValidator(validateURI))
	return doc, nil
}

// validateURI checks the "uri" format, which kin-openapi leaves unchecked:
// an absolute URL.
func validateURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return errors.New("not an absolute URI")
	}
	return nil
}
