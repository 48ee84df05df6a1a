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
	shown := showURL(raw)
	if !strings.Contains(raw, "://") {
		return nil, fmt.Errorf("invalid GitHub base URL %q: missing scheme, use e.g. %q", shown, "https://"+strings.TrimLeft(shown, "/"))
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the input, whose user info may hold a credential.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid GitHub base URL %q: %w", shown, err)
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
		return nil, fmt.Errorf("invalid GitHub base URL %q: unsupported scheme %q, use https", shown, u.Scheme)
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

// showURL is raw with any user info masked, for error messages.
func showURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	lead := ""
	if !ok {
		scheme, rest = "", raw
		// "//user:token@host" has no scheme but does have user info.
		if r, found := strings.CutPrefix(rest, "//"); found {
			lead, rest = "//", r
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = "REDACTED" + rest[at:]
	}
	if !ok {
		return lead + rest
	}
	return scheme + "://" + rest
}
