package client

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
)

// newDefaultHTTPClient is the client New uses when Config.HTTPClient is nil:
// a 60s timeout, TLS 1.2 or later, caPEM's certificates trusted besides the
// system roots (for GHES behind a private CA), and an idle connection kept
// for each request that may be in flight. New limits its redirects.
func newDefaultHTTPClient(caPEM []byte) (*http.Client, error) {
	tlsConfig, err := newTLSConfig(caPEM)
	if err != nil {
		return nil, err
	}
	// A clone keeps the standard proxy, dialer and idle-connection settings.
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		base = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	transport := base.Clone()
	transport.TLSClientConfig = tlsConfig
	// Go keeps two idle connections per host by default: after each burst
	// of Terraform's parallel requests the rest would be closed, and the
	// next burst would open (and, against GitHub, handshake) them again.
	// Keep as many as may be in flight.
	transport.MaxIdleConnsPerHost = defaultMaxConcurrent
	transport.MaxIdleConns = max(transport.MaxIdleConns, defaultMaxConcurrent)
	return &http.Client{Timeout: defaultTimeout, Transport: transport}, nil
}

func newTLSConfig(caPEM []byte) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) == 0 {
		return cfg, nil
	}
	certs, err := parseCACertificates(caPEM)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		// Some systems have no readable root store; the given CAs still apply.
		pool = x509.NewCertPool()
	}
	for _, cert := range certs {
		pool.AddCert(cert)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// parseCACertificates reads every CERTIFICATE block of caPEM. Unlike
// CertPool.AppendCertsFromPEM it reports a damaged block instead of skipping
// it, so a truncated bundle is noticed at configuration time.
func parseCACertificates(caPEM []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := caPEM
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("CA certificates: PEM block %d: %w", n, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("CA certificates: the PEM text holds no CERTIFICATE block")
	}
	return certs, nil
}
