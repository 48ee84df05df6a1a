package client

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

func startTLSFake(t *testing.T, start func(http.Handler) (*fakegithub.TLSServer, error)) *fakegithub.TLSServer {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"tls-org"}})
	srv, err := start(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestPrivateCA(t *testing.T) {
	t.Parallel()
	srv := startTLSFake(t, fakegithub.StartTLS)
	other := startTLSFake(t, fakegithub.StartTLS)
	legacy := startTLSFake(t, fakegithub.StartLegacyTLS)
	tests := []struct {
		name        string
		url         string
		caPEM       []byte
		wantErr     string
		wantUnknown bool // an unknown-authority certificate error
	}{
		{name: "trusted CA", url: srv.URL, caPEM: srv.CACertPEM},
		{name: "CA bundle with the right CA second", url: srv.URL, caPEM: append(append([]byte{}, other.CACertPEM...), srv.CACertPEM...)},
		{name: "no CA given", url: srv.URL, wantUnknown: true, wantErr: "certificate"},
		{name: "another CA", url: srv.URL, caPEM: other.CACertPEM, wantUnknown: true, wantErr: "certificate"},
		{name: "server only speaks TLS 1.0 and 1.1", url: legacy.URL, caPEM: legacy.CACertPEM, wantErr: "protocol version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// No retries: a handshake failure is answered at once.
			c, err := New(Config{BaseURL: tt.url, Token: testToken, CACertPEM: tt.caPEM, Retry: RetryPolicy{MaxRetries: -1}})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			_, err = c.PublicKey(t.Context(), orgScope(Actions, "tls-org"))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("GetOrgPublicKey: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want containing %q", err, tt.wantErr)
			}
			var unknown x509.UnknownAuthorityError
			if got := errors.As(err, &unknown); got != tt.wantUnknown {
				t.Errorf("unknown-authority error = %v, want %v (%v)", got, tt.wantUnknown, err)
			}
		})
	}
}

func TestCACertPEMRejected(t *testing.T) {
	t.Parallel()
	srv := startTLSFake(t, fakegithub.StartTLS)
	block, _ := pem.Decode(srv.CACertPEM)
	truncated := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: block.Bytes[:len(block.Bytes)/2]})
	_, keyPEM := appKey()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "not PEM", cfg: Config{CACertPEM: []byte("hello")}, wantErr: "holds no CERTIFICATE block"},
		{name: "only a key", cfg: Config{CACertPEM: keyPEM}, wantErr: "holds no CERTIFICATE block"},
		{name: "damaged certificate", cfg: Config{CACertPEM: append(append([]byte{}, srv.CACertPEM...), truncated...)}, wantErr: "PEM block 2"},
		{name: "with an HTTPClient", cfg: Config{CACertPEM: srv.CACertPEM, HTTPClient: http.DefaultClient}, wantErr: "only to the default HTTP client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Token = testToken
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	t.Parallel()
	srv := startTLSFake(t, fakegithub.StartTLS)
	for _, caPEM := range [][]byte{nil, srv.CACertPEM} {
		hc, err := newDefaultHTTPClient(caPEM)
		if err != nil {
			t.Fatal(err)
		}
		if hc.Timeout != defaultTimeout {
			t.Errorf("timeout %v, want %v", hc.Timeout, defaultTimeout)
		}
		transport, ok := hc.Transport.(*http.Transport)
		if !ok {
			t.Fatalf("transport is a %T", hc.Transport)
		}
		if transport.Proxy == nil {
			t.Error("the transport ignores proxy settings")
		}
		if transport == http.DefaultTransport || transport.TLSClientConfig.MinVersion != tls.VersionTLS12 {
			t.Errorf("TLS minimum %#x, want TLS 1.2 on a transport of its own", transport.TLSClientConfig.MinVersion)
		}
		if got := transport.TLSClientConfig.RootCAs != nil; got != (caPEM != nil) {
			t.Errorf("RootCAs set = %v with CA PEM %v", got, caPEM != nil)
		}
	}
	if cfg := http.DefaultTransport.(*http.Transport).TLSClientConfig; cfg != nil && cfg.RootCAs != nil {
		t.Error("the shared default transport was changed")
	}
}

func TestPrivateCAWithAppAuth(t *testing.T) {
	t.Parallel()
	key, pemBytes := appKey()
	fake := fakegithub.New(fakegithub.Options{Token: "unused"})
	fake.AddApp(fakegithub.App{ID: appID, PublicKey: &key.PublicKey, Installations: map[int64]string{appInstallationID: appOrg}})
	srv, err := fakegithub.StartTLS(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, CACertPEM: srv.CACertPEM,
		App: &AppAuth{AppID: "4242", InstallationID: appInstallationID, PrivateKeyPEM: pemBytes}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
		t.Fatal(err)
	}
	if fake.IssuedTokens() != 1 {
		t.Errorf("IssuedTokens = %d, want 1", fake.IssuedTokens())
	}
}

// TestConnectionsAreKeptBetweenBursts: Terraform sends up to -parallelism
// requests at once, in bursts; the default client keeps that many
// connections open between them rather than two (Go's default), so a large
// plan does not open a connection (a TLS handshake, against GitHub) for most
// of its requests.
func TestConnectionsAreKeptBetweenBursts(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"conn-org"}})
	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(fake)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	const bursts, width = 5, 10
	for range bursts {
		var wg sync.WaitGroup
		for range width {
			wg.Go(func() {
				// A secret that is not there: a 404, read on every call.
				if _, err := c.GetSecret(t.Context(), orgSecret(Actions, "conn-org", "ABSENT")); !IsNotFound(err) {
					t.Errorf("GetSecret: %v, want a 404", err)
				}
			})
		}
		wg.Wait()
	}
	// One connection per request in flight, opened in the first burst (and
	// a few more where a request found none idle for a moment); two kept
	// would open width-2 again in every later burst.
	if got := dials.Load(); got >= 2*width {
		t.Errorf("%d bursts of %d requests opened %d connections, want fewer than %d", bursts, width, got, 2*width)
	}
}
