package client

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// echoingServer answers every secret PUT with a 422 whose every field
// repeats what the request carried, spelled in the ways a server, a proxy or
// a template might: the ciphertext verbatim, cut, lower-cased, URL-escaped;
// the token lower- and upper-cased, in base64 (alone and as basic auth) and
// cut to a prefix. It also answers with control characters in its text.
func echoingServer(t *testing.T, keyB64 string) http.Handler {
	t.Helper()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": keyB64})
			return
		}
		var body struct {
			EncryptedValue string `json:"encrypted_value"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.EncryptedValue == "" {
			t.Errorf("request body: %v", err)
		}
		ct := body.EncryptedValue
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("X-GitHub-Request-Id", "id-"+ct[10:40])
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Invalid request.\n\nFor 'properties/encrypted_value', \"" + ct + "\" is not valid; " +
				"lower " + strings.ToLower(ct) + " part " + ct[10:40] + " token " + strings.ToLower(token) + " " + strings.ToUpper(token) +
				" \x1b[2J\x1b]0;owned\x07\x1b[31mred\x1b[0m nul\x00 csi\u009b1m bidi\u202egnp.exe\u202c cr\rover",
			"documentation_url": "https://docs.github.com/rest?v=" + url.QueryEscape(ct) + "&t=" + base64.StdEncoding.EncodeToString([]byte(token)),
			"errors": []any{
				map[string]string{"resource": "Secret", "field": "encrypted_value", "code": "invalid", "message": ct[:12]},
				"basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token)),
				"prefix " + token[:9] + "...",
			},
		})
	})
}

// spellingsOf lists what must not appear, named for the failure message
// (which never repeats the value).
func echoedSpellings(ciphertext, token string) map[string]string {
	return map[string]string{
		"the ciphertext":                       ciphertext,
		"the lower-cased ciphertext":           strings.ToLower(ciphertext),
		"a part of the ciphertext":             ciphertext[10:40],
		"the ciphertext's first 12 characters": ciphertext[:12],
		"the URL-escaped ciphertext":           url.QueryEscape(ciphertext)[20:60],
		"the token":                            token,
		"the lower-cased token":                strings.ToLower(token),
		"the upper-cased token":                strings.ToUpper(token),
		"the token in base64":                  base64.StdEncoding.EncodeToString([]byte(token)),
		"the token in basic auth":              base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))[20:],
		"the token's first 9 characters":       token[:9],
		"an escape sequence":                   "\x1b",
		"a NUL":                                "\x00",
		"a BEL":                                "\x07",
		"a C1 control":                         "\u009b",
		"a right-to-left override":             "\u202e",
		"a carriage return":                    "\r",
	}
}

// TestErrorsMaskWhatTheRequestCarried sends a sealed value to a server that
// echoes it (and the token) back in every field of its error, and checks the
// error and the logs: the secret material is masked in every spelling, the
// control characters are gone, and the status and GitHub's words remain.
func TestErrorsMaskWhatTheRequestCarried(t *testing.T) {
	t.Parallel()
	pub, _, _ := newTestKey(t)
	log := &recLogger{}
	clk := newFakeClock()
	c := newClockedClient(t, clk, echoingServer(t, pub), Config{Logger: log, Retry: RetryPolicy{MaxRetries: -1}})

	var ciphertext string
	c.httpClient.Transport = observeBody(c.httpClient.Transport, func(b []byte) {
		var body struct {
			EncryptedValue string `json:"encrypted_value"`
		}
		if json.Unmarshal(b, &body) == nil && body.EncryptedValue != "" {
			ciphertext = body.EncryptedValue
		}
	})
	_, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte("plaintext-value"), "all", nil)
	if err == nil || ciphertext == "" {
		t.Fatalf("SetOrgSecretValue = %v (ciphertext sent: %v); want a 422", err, ciphertext != "")
	}
	texts := map[string]string{"the error": err.Error()}
	var er *ErrorResponse
	if !errors.As(err, &er) {
		t.Fatalf("error %T is not an *ErrorResponse", err)
	}
	texts["RequestID"] = er.RequestID
	log.mu.Lock()
	entries := log.entries
	log.mu.Unlock()
	for i, e := range entries {
		texts[fmt.Sprintf("log entry %d (%s)", i, e.msg)] = fmt.Sprint(e.fields)
	}
	for where, text := range texts {
		for what, v := range echoedSpellings(ciphertext, testToken) {
			if strings.Contains(text, v) {
				t.Errorf("%s contains %s", where, what)
			}
		}
	}
	msg := err.Error()
	for _, want := range []string{"PUT", "422 Unprocessable Entity", "Invalid request.", "is not valid", "red", "gnp.exe", "[REDACTED]"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q: %s", want, msg)
		}
	}
}

// observeBody calls f with the body of every request before sending it.
func observeBody(next http.RoundTripper, f func([]byte)) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.GetBody != nil {
			if b, err := r.GetBody(); err == nil {
				if raw, err := io.ReadAll(b); err == nil {
					f(raw)
				}
			}
		}
		return next.RoundTrip(r)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestAnswerTextLosesControlCharacters checks that an answer cannot drive the
// terminal that shows its error: escape sequences, NUL and other C0 and C1
// controls, bidirectional overrides and bytes that are not UTF-8 are
// removed from every field, and the words around them stay.
func TestAnswerTextLosesControlCharacters(t *testing.T) {
	t.Parallel()
	const dirty = "Bad \x1b[2J\x1b]0;title\x07\x1b[31mthing\x1b[0m: nul\x00 csi\u009b1m bidi\u202etxt.exe\u2066x\u2069 cr\rlf\n" +
		"del\x7f ls\u2028 bad\xffutf8"
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(`{"message":` + jsonString(dirty) + `,"documentation_url":` + jsonString("https://docs.github.com/"+dirty) +
			`,"errors":[{"resource":` + jsonString(dirty) + `,"code":"invalid","message":` + jsonString(dirty) + `},` + jsonString(dirty) + `]}`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write(body)
	}))
	_, err := c.GetSecret(t.Context(), orgSecret(Actions, "acme", "FOO"))
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	var bad []string
	for _, r := range msg {
		if isTerminalControl(r) && !slices.Contains(bad, fmt.Sprintf("%U", r)) {
			bad = append(bad, fmt.Sprintf("%U", r))
		}
	}
	if len(bad) > 0 {
		t.Errorf("the error holds %s", strings.Join(bad, ", "))
	}
	for _, want := range []string{"422 Unprocessable Entity", "Bad", "thing", "nul", "txt.exe", "crlf\n", "bad"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q: %q", want, msg)
		}
	}
}

// isTerminalControl is the test's own list of what must not reach a terminal.
func isTerminalControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c ||
		r == 0x2028 || r == 0x2029
}

// jsonString encodes s as a JSON string, invalid UTF-8 as raw bytes, as a
// careless server would (the decoder turns those into U+FFFD).
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '"' || ch == '\\':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch < 0x20:
			fmt.Fprintf(&b, `\u%04x`, ch)
		default:
			b.WriteByte(ch)
		}
	}
	b.WriteByte('"')
	return b.String()
}
