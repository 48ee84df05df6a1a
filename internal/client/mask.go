package client

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// What a server sends back is shown only after two things: control
// characters are removed, so an answer cannot drive the terminal that shows
// the error, and the secret material of the request it answers is masked in
// every spelling a server, proxy or template might use. The secret material
// of a request is its credential (the token, an installation token, the app's
// JWT) and what its body carried that is secret (the sealed value): it is
// attached to the request's context where the request is built, so wherever
// a response's text turns into an error or a log entry the same list is at
// hand.

const (
	// maskWindow is the shortest run of a secret that is masked on its own:
	// any 8 characters of a token or sealed value in a row, in any case.
	maskWindow = 8
	// minMaskLen is the shortest secret masked at all, so that a short
	// secret cannot mask every other word of a message.
	minMaskLen = 4
	redacted   = "[REDACTED]"
)

// requestSecretsKey is the context key of a request's secret material.
type requestSecretsKey struct{}

// requestSecrets is the secret material of one request; its spellings are
// worked out once, the first time an answer's text needs them.
type requestSecrets struct {
	values []string
	once   sync.Once
	all    []string
}

func (s *requestSecrets) spellings() []string {
	s.once.Do(func() { s.all = spellingsOf(s.values) })
	return s.all
}

// withRequestSecrets marks ctx as the context of a request that carries
// secrets besides its credential.
func withRequestSecrets(ctx context.Context, secrets ...string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	return context.WithValue(ctx, requestSecretsKey{}, &requestSecrets{values: secrets})
}

// responseText makes text taken from an answer to a request made with ctx
// fit for an error or a log: control characters removed, the Client's
// credentials and the request's secrets masked.
func (c *Client) responseText(ctx context.Context, s string) string {
	s = stripControls(s)
	if rs, ok := ctx.Value(requestSecretsKey{}).(*requestSecrets); ok {
		s = maskSpellings(s, rs.spellings())
	}
	return c.redact(s)
}

// redact masks every credential this Client has used, in every spelling.
func (c *Client) redact(s string) string {
	if s == "" {
		return s
	}
	return maskSpellings(s, c.credentialSpellings())
}

// credentialSpellings are the spellings of the token and of every app JWT
// and installation token the Client remembers, recomputed only when those
// change.
func (c *Client) credentialSpellings() []string {
	creds := c.app.remembered()
	if c.token != "" {
		creds = append(creds, c.token)
	}
	key := strings.Join(creds, "\x00")
	c.maskMu.Lock()
	defer c.maskMu.Unlock()
	if c.maskKey != key || c.maskSpellings == nil {
		c.maskKey, c.maskSpellings = key, spellingsOf(creds)
	}
	return c.maskSpellings
}

// remembered returns the app credentials redact knows; nil-safe.
func (a *appTokenSource) remembered() []string {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.credentials)
}

// spellingsOf returns, lower-cased, each secret as it is, escaped for a URL
// or JSON, and in base64 (of itself, lower-cased and upper-cased, alone or
// inside longer text such as "user:token"), leaving out those too short to
// mask.
func spellingsOf(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = asciiLower(s)
		if len(s) >= minMaskLen && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, secret := range secrets {
		if len(secret) < minMaskLen {
			continue
		}
		add(secret)
		add(url.QueryEscape(secret))
		add(url.PathEscape(secret))
		add(strings.ReplaceAll(secret, "/", `\/`))
		for _, v := range []string{secret, strings.ToLower(secret), strings.ToUpper(secret)} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				add(enc.EncodeToString([]byte(v)))
				// Inside longer text the secret starts one or two bytes into a
				// group of three; the characters that depend on it alone are
				// those of the groups it fills.
				for lead := 1; lead <= 2; lead++ {
					raw := append(make([]byte, lead), v...)
					full := len(raw) / 3 * 4
					if full > 4 {
						add(enc.EncodeToString(raw)[4:full])
					}
				}
			}
		}
	}
	return out
}

// maskSpellings replaces every run of text that matches at least maskWindow
// characters in a row of a spelling (or a whole spelling shorter than that),
// compared case-insensitively, with [REDACTED].
func maskSpellings(text string, spellings []string) string {
	if text == "" || len(spellings) == 0 {
		return text
	}
	lower := asciiLower(text)
	var marked []bool
	mark := func(from, to int) {
		if marked == nil {
			marked = make([]bool, len(text))
		}
		for i := from; i < to; i++ {
			marked[i] = true
		}
	}
	// The text is short and the spellings may be long (a sealed value of
	// 64 KB): index the text's windows and look each of theirs up.
	var windows map[uint64][]int
	for _, sp := range spellings {
		if len(sp) < maskWindow {
			for from := 0; from <= len(lower)-len(sp); {
				i := strings.Index(lower[from:], sp)
				if i < 0 {
					break
				}
				mark(from+i, from+i+len(sp))
				from += i + 1
			}
			continue
		}
		if len(lower) < maskWindow {
			continue
		}
		if windows == nil {
			windows = make(map[uint64][]int, len(lower))
			for i := 0; i+maskWindow <= len(lower); i++ {
				k := windowKey(lower, i)
				windows[k] = append(windows[k], i)
			}
		}
		for i := 0; i+maskWindow <= len(sp); i++ {
			for _, at := range windows[windowKey(sp, i)] {
				mark(at, at+maskWindow)
			}
		}
	}
	if marked == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if !marked[i] {
			b.WriteByte(text[i])
			i++
			continue
		}
		b.WriteString(redacted)
		for i < len(text) && marked[i] {
			i++
		}
	}
	return b.String()
}

func windowKey(s string, i int) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[i : i+maskWindow]))
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay the same.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// stripControls removes what could drive a terminal or hide text: C0
// controls other than tab and newline, DEL, C1 controls, bidirectional
// formatting characters, line and paragraph separators, and bytes that are
// not UTF-8.
func stripControls(s string) string {
	if !strings.ContainsFunc(s, isControl) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		invalid := r == utf8.RuneError && size == 1
		if !invalid && !isControl(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// maskedLogger passes the Client's log entries on with every string field
// treated as the answer's text it may hold.
type maskedLogger struct {
	next Logger
	c    *Client
}

func (l maskedLogger) fields(ctx context.Context, f map[string]any) map[string]any {
	out := make(map[string]any, len(f))
	for k, v := range f {
		if s, ok := v.(string); ok {
			v = l.c.responseText(ctx, s)
		}
		out[k] = v
	}
	return out
}

func (l maskedLogger) Debug(ctx context.Context, msg string, f map[string]any) {
	l.next.Debug(ctx, msg, l.fields(ctx, f))
}

func (l maskedLogger) Info(ctx context.Context, msg string, f map[string]any) {
	l.next.Info(ctx, msg, l.fields(ctx, f))
}

func (l maskedLogger) Warn(ctx context.Context, msg string, f map[string]any) {
	l.next.Warn(ctx, msg, l.fields(ctx, f))
}
