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
		{raw: "ftp://ghe.example.com", wantErr: `unsupported scheme "ftp"`},
		{raw: "https://", wantErr: "missing host"},
		{raw: "https:///api/v3", wantErr: "missing host"},
		{raw: "https://user:hunter2@ghe.example.com", wantErr: `"https://REDACTED@ghe.example.com": user info is not allowed`},
		{raw: "user:hunter2@ghe.example.com", wantErr: `"REDACTED@ghe.example.com": missing scheme`},
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

func TestNormalizeBaseURLErrorShowsURL(t *testing.T) {
	t.Parallel()
	_, err := NormalizeBaseURL("http://ghe.example.com/github")
	if err == nil || !strings.Contains(err.Error(), "http://ghe.example.com/github") {
		t.Fatalf("error = %v, want it to show the URL", err)
	}
}
