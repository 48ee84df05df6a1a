package fakegithub

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"testing"
)

// tlsClient trusts only caPEM and speaks the given TLS versions.
func tlsClient(t *testing.T, caPEM []byte, minVersion, maxVersion uint16) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if caPEM != nil && !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("CA PEM holds no certificate: %q", caPEM)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, MinVersion: minVersion, MaxVersion: maxVersion,
	}}}
}

func TestStartTLS(t *testing.T) {
	t.Parallel()
	fake := New(Options{Token: testToken, Orgs: []string{testOrg}})
	srv, err := StartTLS(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	tests := []struct {
		name       string
		caPEM      []byte
		minVersion uint16
		maxVersion uint16
		wantCert   bool // a certificate verification error
		wantFail   bool
	}{
		{name: "trusted CA", caPEM: srv.CACertPEM, minVersion: tls.VersionTLS12},
		{name: "TLS 1.3", caPEM: srv.CACertPEM, minVersion: tls.VersionTLS13},
		{name: "TLS 1.2 only", caPEM: srv.CACertPEM, minVersion: tls.VersionTLS12, maxVersion: tls.VersionTLS12},
		{name: "CA not trusted", minVersion: tls.VersionTLS12, wantFail: true, wantCert: true},
		{name: "TLS 1.1 refused", caPEM: srv.CACertPEM, minVersion: tls.VersionTLS10, maxVersion: tls.VersionTLS11, wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest("GET", srv.URL+"/orgs/"+testOrg+"/actions/secrets", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+testToken)
			res, err := tlsClient(t, tt.caPEM, tt.minVersion, tt.maxVersion).Do(req)
			if tt.wantFail {
				if err == nil {
					res.Body.Close()
					t.Fatal("request succeeded")
				}
				var unknownAuthority x509.UnknownAuthorityError
				if got := errors.As(err, &unknownAuthority); got != tt.wantCert {
					t.Fatalf("error %v: unknown-authority error = %v, want %v", err, got, tt.wantCert)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
	}
}

func TestStartTLSCertificateNames(t *testing.T) {
	t.Parallel()
	srv, err := StartTLS(http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	leaf := srv.srv.Certificate()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CACertPEM)
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool}); err != nil {
			t.Errorf("certificate for %s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "api.github.com", Roots: pool}); err == nil {
		t.Error("certificate also verifies for api.github.com")
	}
}

func TestStartLegacyTLS(t *testing.T) {
	t.Parallel()
	srv, err := StartLegacyTLS(http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	tests := []struct {
		name       string
		minVersion uint16
		wantOK     bool
	}{
		// The server really speaks TLS 1.0/1.1, so the refusal below is about the version.
		{name: "client allowing TLS 1.0", minVersion: tls.VersionTLS10, wantOK: true},
		{name: "client requiring TLS 1.2", minVersion: tls.VersionTLS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := tlsClient(t, srv.CACertPEM, tt.minVersion, 0).Get(srv.URL + "/")
			if err == nil {
				res.Body.Close()
			}
			if (err == nil) != tt.wantOK {
				t.Fatalf("error %v, want success %v", err, tt.wantOK)
			}
		})
	}
}

func TestNewLoopbackTLSConfig(t *testing.T) {
	t.Parallel()
	cfg, caPEM, err := NewLoopbackTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS12 || len(cfg.Certificates) != 1 {
		t.Fatalf("MinVersion %#x, %d certificates", cfg.MinVersion, len(cfg.Certificates))
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA PEM holds no certificate")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "127.0.0.1", Roots: pool}); err != nil {
		t.Fatal(err)
	}
	other, _, err := NewLoopbackTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if string(other.Certificates[0].Certificate[0]) == string(cfg.Certificates[0].Certificate[0]) {
		t.Error("two configs share a certificate")
	}
}
