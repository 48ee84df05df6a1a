package fakegithub

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// TLSServer serves a handler over HTTPS with a certificate from a private
// CA of its own, as a GitHub Enterprise Server behind a company CA would.
type TLSServer struct {
	URL       string // https://127.0.0.1:PORT, no trailing slash
	CACertPEM []byte // the CA that signed the server's certificate
	srv       *httptest.Server
}

// Close shuts the server down.
func (s *TLSServer) Close() { s.srv.Close() }

// StartTLS serves h over TLS 1.2 or later on a loopback port, with a fresh
// CA (ECDSA P-256) and a leaf certificate for 127.0.0.1, ::1 and localhost.
func StartTLS(h http.Handler) (*TLSServer, error) {
	return startTLS(h, tls.VersionTLS12, 0)
}

// StartLegacyTLS is StartTLS serving only TLS 1.0 and 1.1, for checking
// that clients refuse such servers.
func StartLegacyTLS(h http.Handler) (*TLSServer, error) {
	return startTLS(h, tls.VersionTLS10, tls.VersionTLS11)
}

func startTLS(h http.Handler, minVersion, maxVersion uint16) (*TLSServer, error) {
	cfg, caPEM, err := NewLoopbackTLSConfig()
	if err != nil {
		return nil, err
	}
	cfg.MinVersion, cfg.MaxVersion = minVersion, maxVersion
	srv := httptest.NewUnstartedServer(h)
	// Refused handshakes are what some tests are about, not news for the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = cfg
	srv.StartTLS()
	return &TLSServer{URL: srv.URL, CACertPEM: caPEM, srv: srv}, nil
}

// NewLoopbackTLSConfig returns a server TLS config (TLS 1.2 or later) whose
// certificate, for 127.0.0.1, ::1 and localhost, is signed by a fresh CA,
// and that CA's certificate as PEM; for serving on a listener of one's own.
func NewLoopbackTLSConfig() (cfg *tls.Config, caPEM []byte, err error) {
	caPEM, leaf, err := newTestPKI()
	if err != nil {
		return nil, nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}, caPEM, nil
}

// newTestPKI returns a CA certificate (PEM) and a loopback server
// certificate it signed.
func newTestPKI() (caPEM []byte, leaf tls.Certificate, err error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("generating the CA key: %w", err)
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "fakegithub test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("creating the CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("parsing the CA certificate: %w", err)
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("generating the server key: %w", err)
	}
	leafTemplate := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("creating the server certificate: %w", err)
	}
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, nil
}

func randomSerial() *big.Int {
	return new(big.Int).SetUint64(randomUint64()>>1 | 1) // positive, as RFC 5280 requires
}
