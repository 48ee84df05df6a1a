// Package apispec checks HTTP traffic against GitHub's OpenAPI description of
// the organization Actions secrets endpoints (REST API version 2022-11-28).
//
// A Validator wraps the fake GitHub server (Middleware) or a client's
// transport (Transport) and records every request and response that does not
// match the description. Traffic the description does not cover is counted,
// not failed: paths outside the secrets endpoints (such as
// /app/installations/{id}/access_tokens or /orgs/{org}/repos), statuses an
// operation does not list (401, 403, 404, 422, 5xx and, except where listed,
// 409) and 304 Not Modified.
package apispec

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// The two fragments are GitHub's own text; supplement.json carries the
// components they refer to without including them. The secrets family's
// description beside them is what internal/routes is generated from.
//
//go:embed spec/orgs-actions-secrets.paths.2022-11-28.json
//go:embed spec/orgs-actions-secrets.components.2022-11-28.json
//go:embed spec/supplement.json
var specFiles embed.FS

const (
	pathsFile      = "spec/orgs-actions-secrets.paths.2022-11-28.json"
	componentsFile = "spec/orgs-actions-secrets.components.2022-11-28.json"
	supplementFile = "spec/supplement.json"
)

// Servers are the API roots the description is served at: github.com's and
// GitHub Enterprise Server's.
var servers = []string{"/", "/api/v3"}

// componentSections are the parts of components the fragments use.
var componentSections = []string{"schemas", "parameters", "headers", "examples"}

// loadDocument is the assembled, validated description, built once.
var loadDocument = sync.OnceValues(buildDocument)

// Document returns the assembled OpenAPI description. It is shared: callers
// must not change it.
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
	raw, err := assemble()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("loading the API description: %w", err)
	}
	// GitHub's description gives null as the example of the empty-object
	// answer to a create, which its own schema refuses.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validating the API description: %w", err)
	}
	doc.SetStringFormatValidator("uri", openapi3.NewCallbackValidator(validateURI))
	return doc, nil
}

// assemble joins the fragments into one OpenAPI 3.0 document in JSON.
func assemble() ([]byte, error) {
	var paths struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := readJSON(pathsFile, &paths); err != nil {
		return nil, err
	}
	if len(paths.Paths) == 0 {
		return nil, fmt.Errorf("%s describes no paths", pathsFile)
	}
	components := make(map[string]map[string]json.RawMessage, len(componentSections))
	for _, section := range componentSections {
		components[section] = map[string]json.RawMessage{}
	}
	for _, file := range []string{componentsFile, supplementFile} {
		if err := mergeComponents(file, components); err != nil {
			return nil, err
		}
	}
	serverList := make([]map[string]string, 0, len(servers))
	for _, s := range servers {
		serverList = append(serverList, map[string]string{"url": s})
	}
	return json.Marshal(map[string]any{
		"openapi": "3.0.3",
		"info": map[string]string{
			"title":   "GitHub REST API: organization Actions secrets",
			"version": "2022-11-28",
		},
		"servers":    serverList,
		"paths":      paths.Paths,
		"components": components,
	})
}

// mergeComponents adds file's components to into; a name defined twice is
// an error, so the supplement can never shadow GitHub's text.
func mergeComponents(file string, into map[string]map[string]json.RawMessage) error {
	var doc struct {
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := readJSON(file, &doc); err != nil {
		return err
	}
	for section, entries := range doc.Components {
		dst, ok := into[section]
		if !ok {
			return fmt.Errorf("%s: unexpected components section %q", file, section)
		}
		for name, v := range entries {
			if _, dup := dst[name]; dup {
				return fmt.Errorf("%s: component %s/%s is defined twice", file, section, name)
			}
			dst[name] = v
		}
	}
	return nil
}

func readJSON(file string, v any) error {
	b, err := specFiles.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decoding %s: %w", file, err)
	}
	return nil
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
