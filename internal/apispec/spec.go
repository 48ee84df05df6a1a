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
//
// OnGHES answers from GitHub Enterprise Server 3.19's description of the same
// family whether an endpoint exists there.
package apispec

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Both files are GitHub's own text, cut from @octokit/openapi to the secrets
// family (each says how in its x-source). internal/routes is generated from
// the first as well.
//
//go:embed spec/secrets-and-variables.api.github.com.json
//go:embed spec/secrets-and-variables.ghes-3.19.json
var specFiles embed.FS

const (
	dotcomFile = "spec/secrets-and-variables.api.github.com.json"
	ghesFile   = "spec/secrets-and-variables.ghes-3.19.json"
)

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

// ghesOperations are GHES 3.19's endpoints of the family, as "METHOD template".
var ghesOperations = sync.OnceValue(func() map[string]bool {
	ops, err := operations(ghesFile)
	if err != nil {
		panic(err) // embedded: a failure is a bug in this package
	}
	return ops
})

// OnGHES reports whether GitHub Enterprise Server 3.19 has the endpoint
// method on template, a path template as GitHub's description writes it
// (such as "/orgs/{org}/codespaces/secrets"), without the /api/v3 prefix.
// Only endpoints of the secrets family are known: any other answers false.
func OnGHES(method, template string) bool {
	return ghesOperations()[strings.ToUpper(method)+" "+template]
}

// operations reads file's endpoints as "METHOD template".
func operations(file string) (map[string]bool, error) {
	raw, err := specFiles.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", file, err)
	}
	if len(doc.Paths) == 0 {
		return nil, fmt.Errorf("%s describes no paths", file)
	}
	ops := make(map[string]bool)
	for template, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "patch", "delete", "head", "options", "trace":
				ops[strings.ToUpper(method)+" "+template] = true
			}
		}
	}
	return ops, nil
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
