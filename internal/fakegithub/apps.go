package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// App is a GitHub App known to the fake. Its installation access tokens
// are accepted wherever the static token is.
type App struct {
	ID            int64
	ClientID      string // e.g. "Iv23liExample"; optional, accepted as the JWT issuer too
	PublicKey     *rsa.PublicKey
	Installations map[int64]string // installation id -> org login
}

const (
	defaultInstallationTokenTTL = time.Hour
	// GitHub refuses app JWTs valid for longer, and tolerates this much
	// clock drift on iat.
	maxAppJWTLifetime = 10 * time.Minute
	appJWTIatLeeway   = 60 * time.Second
	docsAccessTokens  = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"
	// opCreateInstallationToken is authenticated by the app's JWT instead of a token.
	opCreateInstallationToken = "apps/create-installation-access-token"

	msgJWTUndecodable = "A JSON web token could not be decoded"
	msgJWTExpired     = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	msgJWTTooLong     = "'Expiration time' claim ('exp') is too far in the future"
	msgJWTIssuedAt    = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	msgJWTUnknownApp  = "Integration not found"
)

var errUnknownIssuer = errors.New("no app with this issuer")

// appRegistry is a Server's apps and the installation tokens it issued.
type appRegistry struct {
	mu     sync.Mutex
	apps   []App
	ttl    time.Duration
	tokens map[string]installationToken
	issued int
}

type installationToken struct {
	installationID int64
	expiresAt      time.Time
}

// AddApp registers a GitHub App and creates the orgs it is installed in.
// It panics on a zero id, a missing key, or an app id, client id or
// installation id already registered.
func (s *Server) AddApp(app App) {
	if app.ID <= 0 || app.PublicKey == nil {
		panic("fakegithub: an App needs a positive ID and a PublicKey")
	}
	app.Installations = maps.Clone(app.Installations)
	s.appReg.add(app)
	for _, login := range app.Installations {
		s.AddOrg(login)
	}
}

func (reg *appRegistry) add(app App) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for _, known := range reg.apps {
		if known.ID == app.ID || (app.ClientID != "" && known.ClientID == app.ClientID) {
			panic(fmt.Sprintf("fakegithub: app %d (client id %q) is already registered", app.ID, app.ClientID))
		}
		for id := range app.Installations {
			if _, dup := known.Installations[id]; dup {
				panic(fmt.Sprintf("fakegithub: installation %d already belongs to app %d", id, known.ID))
			}
		}
	}
	reg.apps = append(reg.apps, app)
}

// SetInstallationTokenTTL sets how long installation tokens issued from now
// on stay valid; the default is GitHub's hour.
func (s *Server) SetInstallationTokenTTL(d time.Duration) {
	if d <= 0 {
		panic("fakegithub: installation token TTL must be positive")
	}
	reg := &s.appReg
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.ttl = d
}

// RevokeInstallationTokens makes every installation token issued so far
// invalid, as when an installation is suspended and restored.
func (s *Server) RevokeInstallationTokens() {
	reg := &s.appReg
	reg.mu.Lock()
	defer reg.mu.Unlock()
	clear(reg.tokens)
}

// IssuedTokens counts the installation access tokens issued so far.
func (s *Server) IssuedTokens() int {
	reg := &s.appReg
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.issued
}

// NewAppKey generates a 2048-bit RSA key, as GitHub does for an app, and
// returns it with its PKCS#1 PEM encoding (the format of GitHub's download).
func NewAppKey() (*rsa.PrivateKey, []byte) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: generating an RSA key: %v", err))
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// installationTokenValid reports whether token is an installation token
// this server issued that has not expired.
func (s *Server) installationTokenValid(token string) bool {
	reg := &s.appReg
	reg.mu.Lock()
	defer reg.mu.Unlock()
	t, ok := reg.tokens[token]
	return ok && s.now().Before(t.expiresAt)
}

type installationTokenJSON struct {
	Token               string            `json:"token"`
	ExpiresAt           string            `json:"expires_at"`
	Permissions         map[string]string `json:"permissions"`
	RepositorySelection string            `json:"repository_selection"`
}

func (s *Server) createInstallationToken(w http.ResponseWriter, r *http.Request, installation string) {
	reg := &s.appReg
	app, msg := s.verifyAppJWT(r, reg)
	if msg != "" {
		writeError(w, http.StatusUnauthorized, msg, docsAccessTokens)
		return
	}
	id, err := strconv.ParseInt(installation, 10, 64)
	if _, installed := app.Installations[id]; err != nil || !installed {
		writeError(w, http.StatusNotFound, "Not Found", docsAccessTokens)
		return
	}
	token := newInstallationToken()
	reg.mu.Lock()
	// Whole seconds, as GitHub sends them, so the client's idea of the
	// expiry is exactly the server's.
	expiresAt := s.now().Add(reg.ttl).UTC().Truncate(time.Second)
	reg.tokens[token] = installationToken{installationID: id, expiresAt: expiresAt}
	reg.issued++
	reg.mu.Unlock()
	writeJSON(w, http.StatusCreated, installationTokenJSON{
		Token:               token,
		ExpiresAt:           formatTime(expiresAt),
		Permissions:         map[string]string{"organization_secrets": "write"},
		RepositorySelection: "all",
	})
}

// verifyAppJWT checks the request's JWT as GitHub does and returns the app
// it names, or GitHub's message for the first problem found.
func (s *Server) verifyAppJWT(r *http.Request, reg *appRegistry) (App, string) {
	scheme, raw, found := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !found || !strings.EqualFold(scheme, "bearer") {
		return App{}, msgJWTUndecodable
	}
	claims := jwt.MapClaims{}
	var app App
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
	_, err := parser.ParseWithClaims(strings.TrimSpace(raw), claims, func(*jwt.Token) (any, error) {
		var ok bool
		if app, ok = reg.appByIssuer(claims["iss"]); !ok {
			return nil, errUnknownIssuer
		}
		return app.PublicKey, nil
	})
	switch {
	case errors.Is(err, errUnknownIssuer):
		return App{}, msgJWTUnknownApp
	case err != nil:
		return App{}, msgJWTUndecodable
	}

	now := s.now()
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil || !exp.After(now) {
		return App{}, msgJWTExpired
	}
	iat, err := claims.GetIssuedAt()
	if err != nil || iat == nil || iat.After(now.Add(appJWTIatLeeway)) {
		return App{}, msgJWTIssuedAt
	}
	if exp.Sub(iat.Time) > maxAppJWTLifetime || exp.After(now.Add(maxAppJWTLifetime)) {
		return App{}, msgJWTTooLong
	}
	return app, ""
}

// appByIssuer finds the app whose id (as a JSON number or string) or client
// id is iss.
func (reg *appRegistry) appByIssuer(iss any) (App, bool) {
	var issuer string
	switch v := iss.(type) {
	case string:
		issuer = v
	case json.Number:
		issuer = v.String()
	default:
		return App{}, false
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for _, app := range reg.apps {
		if (app.ClientID != "" && issuer == app.ClientID) || issuer == strconv.FormatInt(app.ID, 10) {
			return app, true
		}
	}
	return App{}, false
}

// newInstallationToken returns "ghs_" and 36 random letters and digits, the
// shape of GitHub's installation tokens.
func newInstallationToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 0, 36)
	var buf [64]byte
	for len(out) < cap(out) {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(fmt.Sprintf("fakegithub: reading random bytes: %v", err))
		}
		for _, b := range buf {
			// Rejecting the top of the byte range keeps every letter equally likely.
			if int(b) < 4*len(alphabet) && len(out) < cap(out) {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return "ghs_" + string(out)
}
