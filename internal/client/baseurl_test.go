package client

import (
	"strings"
	"testing"
)

func TestNormalizeBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    string
		wantErr string // substring of the error; "" means no error
	}{
		{raw: "", want: "https://api.github.com/"},
		{raw: "   ", want: "https://api.github.com/"},

		// github.com, any case, any path.
		{raw: "https://github.com", want: "https://api.github.com/"},
		{raw: "https://github.com/", want: "https://api.github.com/"},
		{raw: "https://GitHub.com/acme", want: "https://api.github.com/"},
		{raw: "https://api.github.com", want: "https://api.github.com/"},
		{raw: "https://api.github.com/", want: "https://api.github.com/"},
		{raw: "https://API.GITHUB.COM/v3/", want: "https://api.github.com/"},
		{raw: "HTTPS://api.github.com", want: "https://api.github.com/"},

		// Data residency.
		{raw: "https://octo.ghe.com", want: "https://api.octo.ghe.com/"},
		{raw: "https://octo.ghe.com/", want: "https://api.octo.ghe.com/"},
		{raw: "https://Octo.GHE.com/some/path", want: "https://api.octo.ghe.com/"},
		{raw: "https://api.octo.ghe.com", want: "https://api.octo.ghe.com/"},
		{raw: "https://api.octo.ghe.com/", want: "https://api.octo.ghe.com/"},

		// GitHub Enterprise Server.
		{raw: "https://ghe.example.com", want: "https://ghe.example.com/api/v3/"},
		{raw: "https://ghe.example.com/", want: "https://ghe.example.com/api/v3/"},
		{raw: "https://ghe.example.com/api/v3", want: "https://ghe.example.com/api/v3/"},
		{raw: "https://ghe.example.com/api/v3/", want: "https://ghe.example.com/api/v3/"},
		{raw: "https://GHE.Example.com:8443/api/v3", want: "https://ghe.example.com:8443/api/v3/"},
		{raw: "https://ghe.example.com/github", want: "https://ghe.example.com/github/api/v3/"},
		{raw: "https://ghe.example.com/github/", want: "https://ghe.example.com/github/api/v3/"},
		{raw: "https://ghe.example.com/github/api/v3/", want: "https://ghe.example.com/github/api/v3/"},
		{raw: "  https://ghe.example.com  ", want: "https://ghe.example.com/api/v3/"},

		// Loopback may use plain http (test fakes).
		{raw: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080/api/v3/"},
		{raw: "http://127.0.0.1:8080/api/v3/", want: "http://127.0.0.1:8080/api/v3/"},
		{raw: "http://127.1.2.3", want: "http://127.1.2.3/api/v3/"},
		{raw: "http://localhost:3000", want: "http://localhost:3000/api/v3/"},
		{raw: "http://LOCALHOST:3000", want: "http://localhost:3000/api/v3/"},
		{raw: "http://[::1]:9000", want: "http://[::1]:9000/api/v3/"},
		{raw: "https://localhost:3000", want: "https://localhost:3000/api/v3/"},

		// Errors.
		{raw: "ghe.example.com", wantErr: `missing scheme, use e.g. "https://ghe.example.com"`},
		{raw: "github.com", wantErr: "missing scheme"},
		{raw: "//ghe.example.com", wantErr: "missing scheme"},
		{raw: "http://ghe.example.com", wantErr: "clear text"},
		{raw: "http://github.com", wantErr: "clear text"},
		{raw: "http://10.0.0.1", wantErr: "clear text"},
		{raw: "http://localhost.example.com", wantErr: "clear text"},
		{raw: "ftp://ghe.example.com", wantErr: `"ftp://ghe.example.com": unsupported scheme`},
		{raw: "https://", wantErr: "missing host"},
		{raw: "https:///api/v3", wantErr: "missing host"},
		{raw: "https://user:hunter2@ghe.example.com", wantErr: `"https://ghe.example.com": user info is not allowed`},
		{raw: "user:hunter2@ghe.example.com", wantErr: `missing scheme, use e.g. "https://ghe.example.com"`},
		{raw: "https://hunter2@ghe.example.com:bad/", wantErr: "invalid port"},
		{raw: "https://ghe.example.com/?x=1", wantErr: "query string is not allowed"},
		{raw: "https://ghe.example.com/?", wantErr: "query string is not allowed"},
		{raw: "https://ghe.example.com/#top", wantErr: "fragment is not allowed"},
		{raw: "https://ghe.com", wantErr: "subdomain"},
		{raw: "https://ghe.example.com:port", wantErr: "invalid port"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeBaseURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NormalizeBaseURL(%q) = %q, want error containing %q", tt.raw, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NormalizeBaseURL(%q) error = %q, want containing %q", tt.raw, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("error shows the password: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeBaseURL(%q): %v", tt.raw, err)
			}
			if got.String() != tt.want {
				t.Errorf("NormalizeBaseURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

// TestNormalizeBaseURLErrorsShowSchemeAndHostOnly pastes tokens where users
// put them by mistake: in the query, the path, the fragment, the user info,
// as the whole value. An error about the URL shows its scheme and host at
// most, and a value that does not look like a host name not at all.
func TestNormalizeBaseURLErrorsShowSchemeAndHostOnly(t *testing.T) {
	t.Parallel()
	const tok = "ghp_S3cretT0ken0123456789abcdefABCD"
	const hexTok = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		raw, wantShown string // wantShown: "" when nothing of the value may be shown
		secrets        []string
	}{
		{raw: "https://api.github.com/?access_token=" + tok, wantShown: "https://api.github.com", secrets: []string{tok, "access_token"}},
		{raw: "https://ghe.example.com/x?token=" + hexTok, wantShown: "https://ghe.example.com", secrets: []string{hexTok, "token="}},
		{raw: tok, secrets: []string{tok, "S3cret"}},
		{raw: hexTok, secrets: []string{hexTok, "0123456789"}},
		{raw: "Bearer " + tok, secrets: []string{tok, "Bearer"}},
		{raw: "http://alice:pw0rd/xy@ghe.example.com", secrets: []string{"pw0rd", "xy@", "alice"}},
		{raw: "http://alice:" + tok + "@ghe.example.com/api/v3", wantShown: "http://ghe.example.com", secrets: []string{tok, "alice"}},
		{raw: "https://x:" + tok + "@ghe.example.com", wantShown: "https://ghe.example.com", secrets: []string{tok}},
		{raw: "https://ghe.example.com/" + tok + "#xyzzy", wantShown: "https://ghe.example.com", secrets: []string{tok, "xyzzy"}},
		{raw: "https://ghe.example.com/#" + tok, wantShown: "https://ghe.example.com", secrets: []string{tok}},
		{raw: "http://ghe.example.com/" + tok, wantShown: "http://ghe.example.com", secrets: []string{tok}},
		{raw: "ftp://mallory:" + tok + "@ghe.example.com/" + hexTok, wantShown: "ftp://ghe.example.com", secrets: []string{tok, hexTok, "mallory"}},
		{raw: "https://ghe.example.com:" + tok + "/", secrets: []string{tok, "S3cret"}},
		{raw: "ghe.example.com/" + tok, wantShown: "https://ghe.example.com", secrets: []string{tok}},
		{raw: "alice:" + tok + "@ghe.example.com", wantShown: "https://ghe.example.com", secrets: []string{tok, "alice"}},
	}
	for n, tt := range tests {
		_, err := NormalizeBaseURL(tt.raw)
		if err == nil {
			t.Errorf("case %d was accepted", n)
			continue
		}
		msg := err.Error()
		shown := msg // for failure messages, which never repeat a secret
		for _, s := range tt.secrets {
			shown = strings.ReplaceAll(shown, s, "<secret>")
		}
		for i, s := range tt.secrets {
			if strings.Contains(msg, s) {
				t.Errorf("case %d: the error repeats secret %d: %s", n, i, shown)
			}
		}
		if tt.wantShown != "" && !strings.Contains(msg, tt.wantShown) {
			t.Errorf("case %d: the error does not show %s: %s", n, tt.wantShown, shown)
		}
	}
}
