package client

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AppAuth makes the Client act as one installation of a GitHub App: it signs
// a short-lived JWT with the app's private key and exchanges it for an
// installation access token, which it renews before it expires.
type AppAuth struct {
	AppID          string // the app's numeric id or its client id; both work as the JWT issuer
	InstallationID int64
	PrivateKeyPEM  []byte // the app's RSA private key, PKCS#1 or PKCS#8 PEM; never echoed back
}

const (
	// appJWTBackdate covers a local clock running ahead of GitHub's.
	appJWTBackdate = 60 * time.Second
	// appJWTLifetime stays under GitHub's 10-minute maximum, counted from now.
	appJWTLifetime = 9 * time.Minute
	// appTokenRefreshMargin renews an installation token this long before it
	// expires, so a request never goes out with a token about to lapse.
	appTokenRefreshMargin = 5 * time.Minute
	// rememberedCredentials bounds how many JWTs and tokens redact knows.
	rememberedCredentials = 16
)

// AppTokenError is a failed exchange of the app's JWT for an installation
// access token. It does not unwrap to the API error on purpose: a 404 for
// the installation must not read as a 404 for the resource that was asked
// for. Other causes (a cancelled context, a network error) do unwrap.
type AppTokenError struct {
	InstallationID int64
	// Response is GitHub's answer when it refused the exchange, else nil.
	Response *ErrorResponse
	Err      error // set when Response is nil
}

func (e *AppTokenError) Error() string {
	prefix := fmt.Sprintf("GitHub App installation %d: getting an installation access token: ", e.InstallationID)
	if e.Response == nil {
		return prefix + e.Err.Error()
	}
	msg := prefix + e.Response.Error()
	switch e.Response.StatusCode {
	case http.StatusUnauthorized:
		msg += "; check the app id and that the private key belongs to that app"
	case http.StatusNotFound:
		msg += "; check the installation id and that the app is installed there"
	}
	return msg
}

// Unwrap returns the cause unless it is an API answer.
func (e *AppTokenError) Unwrap() error { return e.Err }

// appTokenSource holds an app's credentials and its current installation
// token. It is safe for concurrent use.
type appTokenSource struct {
	issuer         any // int64 for a numeric app id, else the client id
	installationID int64
	key            *rsa.PrivateKey
	now            func() time.Time // a test seam

	// tokens keeps the installation token (one, under the key struct{}),
	// shares one exchange among concurrent callers, and keeps no failure.
	tokens *memo[struct{}, installationToken]

	mu sync.Mutex
	// recent JWTs and installation tokens, newest last, for redact
	credentials []string
}

// installationToken is one exchange's answer.
type installationToken struct {
	token     string
	refreshAt time.Time // when to exchange a new one, before it expires
}

func newAppTokenSource(a *AppAuth) (*appTokenSource, error) {
	appID := strings.TrimSpace(a.AppID)
	if appID == "" {
		return nil, errors.New("GitHub App id is empty")
	}
	if strings.ContainsFunc(appID, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return nil, errors.New("GitHub App id contains whitespace or control characters")
	}
	if a.InstallationID <= 0 {
		return nil, fmt.Errorf("GitHub App installation id %d is not a positive number", a.InstallationID)
	}
	key, err := parseAppPrivateKey(a.PrivateKeyPEM)
	if err != nil {
		return nil, err
	}
	var issuer any = appID
	// A number where one is meant: older GitHub Enterprise Server releases
	// accept only an integer issuer.
	if n, err := strconv.ParseInt(appID, 10, 64); err == nil && n > 0 {
		issuer = n
	}
	return &appTokenSource{issuer: issuer, installationID: a.InstallationID, key: key, now: time.Now,
		tokens: newMemo[struct{}, installationToken](nil)}, nil
}

// parseAppPrivateKey reads the RSA key GitHub generates for an app (PKCS#1)
// or the same key converted to PKCS#8. Errors name the PEM block type at
// most, never any of the key's bytes.
func parseAppPrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("GitHub App private key: no PEM block found, expected \"-----BEGIN RSA PRIVATE KEY-----\"")
	}
	if _, encrypted := block.Headers["Proc-Type"]; encrypted {
		return nil, errors.New("GitHub App private key: encrypted PEM keys are not supported, use the key file GitHub generated")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("GitHub App private key: the RSA PRIVATE KEY block is not a valid PKCS#1 RSA key")
		}
		return key, nil
	case "PRIVATE KEY":
		parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("GitHub App private key: the PRIVATE KEY block is not a valid PKCS#8 key")
		}
		key, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("GitHub App private key: the PKCS#8 key is a %T, GitHub Apps use RSA keys", parsed)
		}
		return key, nil
	default:
		return nil, fmt.Errorf("GitHub App private key: PEM block %q is not a private key, expected RSA PRIVATE KEY or PRIVATE KEY", block.Type)
	}
}

// signJWT returns the app's RS256 JWT as GitHub wants it.
func (a *appTokenSource) signJWT(now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iat": now.Add(-appJWTBackdate).Unix(),
		"exp": now.Add(appJWTLifetime).Unix(),
		"iss": a.issuer,
	}
	return jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(a.key)
}

// appToken returns a current installation token. It is kept until it is
// close to expiry and concurrent callers share one exchange; a failed
// exchange is not kept.
func (c *Client) appToken(ctx context.Context) (string, error) {
	a := c.app
	a.tokens.dropIf(struct{}{}, func(t installationToken) bool { return !a.now().Before(t.refreshAt) })
	t, err := a.tokens.get(ctx, struct{}{}, func(ctx context.Context) (installationToken, error) {
		token, expiresAt, err := c.exchangeAppToken(ctx)
		if err != nil {
			return installationToken{}, err
		}
		// Half the lifetime at most, so a server issuing short-lived tokens
		// does not get an exchange before every request.
		margin := max(min(appTokenRefreshMargin, expiresAt.Sub(a.now())/2), 0)
		return installationToken{token: token, refreshAt: expiresAt.Add(-margin)}, nil
	})
	return t.token, err
}

// exchangeAppToken trades a fresh JWT for an installation access token.
func (c *Client) exchangeAppToken(ctx context.Context) (token string, expiresAt time.Time, err error) {
	a := c.app
	fail := func(err error) (string, time.Time, error) {
		tokenErr := &AppTokenError{InstallationID: a.installationID, Err: err}
		var er *ErrorResponse
		if errors.As(err, &er) {
			tokenErr.Response, tokenErr.Err = er, nil
		}
		return "", time.Time{}, tokenErr
	}
	signed, err := a.signJWT(a.now())
	if err != nil {
		return fail(fmt.Errorf("signing the app JWT: %w", err))
	}
	a.remember(signed)
	req, err := c.newRequest(ctx, http.MethodPost, c.endpoint(appTokenPath(a.installationID), ""), nil)
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Authorization", "Bearer "+signed)
	var body struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if _, err := c.doVia(c.tokenClient, req, &body); err != nil {
		return fail(err)
	}
	// Remembered first, so even the errors below cannot show it.
	a.remember(body.Token)
	switch {
	case body.Token == "":
		return fail(fmt.Errorf("POST %s: response has no token", c.reqPath(req)))
	case strings.ContainsFunc(body.Token, func(r rune) bool { return r < 0x21 || r == 0x7f }):
		return fail(fmt.Errorf("POST %s: response token contains whitespace or control characters", c.reqPath(req)))
	case body.ExpiresAt.IsZero():
		return fail(fmt.Errorf("POST %s: response has no expires_at", c.reqPath(req)))
	}
	return body.Token, body.ExpiresAt, nil
}

// forgetAppToken drops the kept installation token after the API refused
// it, so the next request exchanges a new one (the installation may have
// been suspended and restored, or the token revoked).
func (c *Client) forgetAppToken(refused string) {
	if c.app == nil {
		return
	}
	c.app.tokens.dropIf(struct{}{}, func(t installationToken) bool { return "Bearer "+t.token == refused })
}

func (a *appTokenSource) remember(credential string) {
	if credential == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.credentials = append(a.credentials, credential)
	if extra := len(a.credentials) - rememberedCredentials; extra > 0 {
		a.credentials = append(a.credentials[:0:0], a.credentials[extra:]...)
	}
}
