package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"strings"
)

const defaultBaseURL = "https://api.github.com/"

// NormalizeBaseURL turns what users paste into the REST API root (always
// ending in "/"):
//
//   - "" and any github.com or api.github.com URL: https://api.github.com/
//   - https://NAME.ghe.com (data residency): https://api.NAME.ghe.com/
//   - any other host is GitHub Enterprise Server: https://HOST[/prefix]/api/v3/
//
// Only https is accepted, except plain http to a loopback host.
func NormalizeBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return url.Parse(defaultBaseURL)
	}
	if !strings.Contains(raw, "://") {
		return nil, missingScheme(raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid GitHub base URL (not shown, as it may hold a token): it cannot be parsed: %s; "+
			"expected an address such as https://ghe.example.com", parseReason(err))
	}
	// Errors show the scheme and host only: a token pasted into the URL sits
	// in its user info, query, fragment or path.
	shown := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	if len(u.Scheme) > 16 {
		shown = "the URL's"
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid GitHub base URL %q: user info is not allowed in the URL, set the token separately", shown)
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, fmt.Errorf("invalid GitHub base URL %q: a query string is not allowed", shown)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("invalid GitHub base URL %q: a fragment is not allowed", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("invalid GitHub base URL %q: missing host", shown)
	}
	if strings.Contains(u.Host, "%") {
		return nil, fmt.Errorf("invalid GitHub base URL %q: an IPv6 zone is not allowed in the host", shown)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("invalid GitHub base URL %q: not a hierarchical URL", shown)
	}

	host := strings.ToLower(u.Host)
	hostname := strings.ToLower(u.Hostname())
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(hostname) {
			return nil, fmt.Errorf("invalid GitHub base URL %q: use https; plain http is only allowed for loopback addresses (localhost, 127.0.0.0/8, ::1), since the token would cross the network in clear text", shown)
		}
	default:
		return nil, fmt.Errorf("invalid GitHub base URL %q: unsupported scheme, use https", shown)
	}
	scheme := strings.ToLower(u.Scheme)

	switch {
	case hostname == "github.com" || hostname == "www.github.com" || hostname == "api.github.com":
		return url.Parse(defaultBaseURL)
	case hostname == "ghe.com":
		return nil, fmt.Errorf("invalid GitHub base URL %q: use your enterprise's own subdomain, e.g. https://NAME.ghe.com", shown)
	case strings.HasSuffix(hostname, ".ghe.com"):
		if !strings.HasPrefix(host, "api.") {
			host = "api." + host
		}
		return &url.URL{Scheme: scheme, Host: host, Path: "/"}, nil
	}

	// GitHub Enterprise Server serves the REST API under /api/v3, below any
	// path prefix the instance is installed at.
	p := path.Clean("/" + u.Path)
	p = strings.TrimSuffix(p, "/")
	if !strings.HasSuffix(p, "/api/v3") {
		p += "/api/v3"
	}
	return &url.URL{Scheme: scheme, Host: host, Path: p + "/"}, nil
}

func isLoopback(hostname string) bool {
	if hostname == "localhost" {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}

// missingScheme is the error for a value without "://". It suggests the
// https address only when the value starts with what can only be a host
// name; anything else (a token pasted into the wrong setting) is not shown.
func missingScheme(raw string) error {
	rest := strings.TrimPrefix(raw, "//")
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	if looksLikeHost(rest) {
		return fmt.Errorf("invalid GitHub base URL: missing scheme, use e.g. %q", "https://"+strings.ToLower(rest))
	}
	return errors.New("invalid GitHub base URL (not shown, as it may hold a token): missing scheme; " +
		"expected an address such as https://ghe.example.com")
}

// looksLikeHost reports whether s is a dotted host name, with an optional
// port: letters, digits and hyphens in labels of at most 63 characters. A
// token has no dots.
func looksLikeHost(s string) bool {
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && (port == "" || strings.Trim(port, "0123456789") != "") {
		return false
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.Trim(strings.ToLower(l), "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	return true
}

// parseReason is url.Parse's complaint without the parts of the input it
// quotes.
func parseReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			b.WriteString(msg)
			break
		}
		b.WriteString(msg[:i])
		j := strings.IndexByte(msg[i+1:], '"')
		if j < 0 {
			break
		}
		msg = msg[i+1+j+1:]
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
