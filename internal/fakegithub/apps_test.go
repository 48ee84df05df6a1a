package fakegithub

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testAppID          = 4242
	testClientID       = "Iv23liTestApp0001"
	testInstallationID = 777
	otherInstallation  = 888 // belongs to another app
)

var (
	testAppKey  = sync.OnceValues(NewAppKey)
	otherAppKey = sync.OnceValues(NewAppKey)
)

// newAppFixture is newFixture with one app installed in testOrg and another
// app installed elsewhere.
func newAppFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	key, _ := testAppKey()
	other, _ := otherAppKey()
	f.fake.AddApp(App{ID: testAppID, ClientID: testClientID, PublicKey: &key.PublicKey,
		Installations: map[int64]string{testInstallationID: testOrg}})
	f.fake.AddApp(App{ID: testAppID + 1, PublicKey: &other.PublicKey,
		Installations: map[int64]string{otherInstallation: "other-org"}})
	return f
}

// appClaims are the claims a well-behaved client sends at now.
func appClaims(now time.Time, iss any) jwt.MapClaims {
	return jwt.MapClaims{"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix(), "iss": iss}
}

func signAppJWT(t *testing.T, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func accessTokensPath(id string) string { return "/app/installations/" + id + "/access_tokens" }

// issueToken exchanges a valid JWT for an installation token.
func (f *fixture) issueToken(t *testing.T) installationTokenJSON {
	t.Helper()
	key, _ := testAppKey()
	res := f.doAuth(t, "POST", accessTokensPath("777"), nil, "Bearer "+signAppJWT(t, key, appClaims(f.clock.Now(), testAppID)))
	wantStatus(t, res, http.StatusCreated)
	var tok installationTokenJSON
	if err := json.Unmarshal(res.body, &tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestInstallationTokenIssuedAndAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		prefix string
		iss    any
	}{
		{name: "numeric issuer", iss: testAppID},
		{name: "app id as a string", iss: "4242"},
		{name: "client id", iss: testClientID},
		{name: "enterprise server path", prefix: "/api/v3", iss: testAppID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAppFixture(t)
			key, _ := testAppKey()
			jwtAuth := "Bearer " + signAppJWT(t, key, appClaims(f.clock.Now(), tt.iss))

			res := f.doAuth(t, "POST", tt.prefix+accessTokensPath("777"), nil, jwtAuth)
			wantStatus(t, res, http.StatusCreated)
			var tok installationTokenJSON
			if err := json.Unmarshal(res.body, &tok); err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^ghs_[A-Za-z0-9]{36}$`).MatchString(tok.Token) {
				t.Errorf("token %q does not look like an installation token", tok.Token)
			}
			if want := "2026-01-02T04:04:05Z"; tok.ExpiresAt != want {
				t.Errorf("expires_at = %q, want %q (an hour on, whole seconds)", tok.ExpiresAt, want)
			}
			if tok.Permissions["organization_secrets"] != "write" || tok.RepositorySelection != "all" {
				t.Errorf("permissions %v, repository_selection %q", tok.Permissions, tok.RepositorySelection)
			}
			if got := f.fake.IssuedTokens(); got != 1 {
				t.Errorf("IssuedTokens = %d, want 1", got)
			}

			wantStatus(t, f.doAuth(t, "GET", tt.prefix+"/orgs/"+testOrg+"/actions/secrets", nil, "Bearer "+tok.Token), http.StatusOK)
			// The JWT is for this one endpoint only.
			wantError(t, f.doAuth(t, "GET", "/orgs/"+testOrg+"/actions/secrets", nil, jwtAuth), http.StatusUnauthorized, "Bad credentials", docsRoot)
		})
	}
}

func TestInstallationTokenRefused(t *testing.T) {
	t.Parallel()
	key, _ := testAppKey()
	other, _ := otherAppKey()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := clockStart
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := appClaims(now, testAppID)
		change(c)
		return c
	}
	tests := []struct {
		name       string
		path       string // default: installation 777
		method     string // default: POST
		auth       func(t *testing.T) string
		wantStatus int
		wantMsg    string
	}{
		{name: "no authorization", auth: func(*testing.T) string { return "" }, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "static token", auth: func(*testing.T) string { return "Bearer " + testToken }, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "token scheme", auth: func(t *testing.T) string { return "token " + signAppJWT(t, key, appClaims(now, testAppID)) }, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "signed by another key", auth: func(t *testing.T) string { return "Bearer " + signAppJWT(t, other, appClaims(now, testAppID)) }, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "HS256", auth: func(t *testing.T) string {
			signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, appClaims(now, testAppID)).SignedString(x509.MarshalPKCS1PublicKey(&key.PublicKey))
			if err != nil {
				t.Fatal(err)
			}
			return "Bearer " + signed
		}, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "ES256", auth: func(t *testing.T) string {
			signed, err := jwt.NewWithClaims(jwt.SigningMethodES256, appClaims(now, testAppID)).SignedString(ecKey)
			if err != nil {
				t.Fatal(err)
			}
			return "Bearer " + signed
		}, wantStatus: 401, wantMsg: msgJWTUndecodable},
		{name: "unknown issuer", auth: func(t *testing.T) string { return "Bearer " + signAppJWT(t, key, appClaims(now, 1)) }, wantStatus: 401, wantMsg: msgJWTUnknownApp},
		{name: "no issuer", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { delete(c, "iss") }))
		}, wantStatus: 401, wantMsg: msgJWTUnknownApp},
		{name: "expired", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) {
				c["iat"], c["exp"] = now.Add(-11*time.Minute).Unix(), now.Add(-time.Minute).Unix()
			}))
		}, wantStatus: 401, wantMsg: msgJWTExpired},
		{name: "no exp", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { delete(c, "exp") }))
		}, wantStatus: 401, wantMsg: msgJWTExpired},
		{name: "exp too far after iat", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { c["iat"] = now.Add(-2 * time.Minute).Unix() }))
		}, wantStatus: 401, wantMsg: msgJWTTooLong},
		{name: "exp too far after now", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { c["iat"], c["exp"] = now.Unix(), now.Add(10*time.Minute+time.Second).Unix() }))
		}, wantStatus: 401, wantMsg: msgJWTTooLong},
		{name: "iat in the future", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { c["iat"] = now.Add(2 * time.Minute).Unix() }))
		}, wantStatus: 401, wantMsg: msgJWTIssuedAt},
		{name: "no iat", auth: func(t *testing.T) string {
			return "Bearer " + signAppJWT(t, key, with(func(c jwt.MapClaims) { delete(c, "iat") }))
		}, wantStatus: 401, wantMsg: msgJWTIssuedAt},
		{name: "unknown installation", path: accessTokensPath("999"), wantStatus: 404, wantMsg: "Not Found"},
		{name: "installation of another app", path: accessTokensPath("888"), wantStatus: 404, wantMsg: "Not Found"},
		{name: "installation id not a number", path: accessTokensPath("abc"), wantStatus: 404, wantMsg: "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAppFixture(t)
			path := tt.path
			if path == "" {
				path = accessTokensPath("777")
			}
			auth := "Bearer " + signAppJWT(t, key, appClaims(now, testAppID))
			if tt.auth != nil {
				auth = tt.auth(t)
			}
			wantError(t, f.doAuth(t, "POST", path, nil, auth), tt.wantStatus, tt.wantMsg, docsAccessTokens)
			if got := f.fake.IssuedTokens(); got != 0 {
				t.Errorf("IssuedTokens = %d after a refusal", got)
			}
		})
	}
}

func TestAccessTokensOnlyByPost(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	key, _ := testAppKey()
	res := f.doAuth(t, "GET", accessTokensPath("777"), nil, "Bearer "+signAppJWT(t, key, appClaims(f.clock.Now(), testAppID)))
	wantError(t, res, http.StatusNotFound, "Not Found", docsRoot)
}

func TestInstallationTokenExpires(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	f.fake.SetInstallationTokenTTL(10 * time.Minute)
	tok := f.issueToken(t)
	if want := "2026-01-02T03:14:05Z"; tok.ExpiresAt != want {
		t.Fatalf("expires_at = %q, want %q", tok.ExpiresAt, want)
	}
	list := "/orgs/" + testOrg + "/actions/secrets"

	f.clock.Advance(10*time.Minute - time.Second) // 03:14:04.5
	wantStatus(t, f.doAuth(t, "GET", list, nil, "Bearer "+tok.Token), http.StatusOK)
	f.clock.Advance(time.Second) // 03:14:05.5, past expires_at
	wantError(t, f.doAuth(t, "GET", list, nil, "Bearer "+tok.Token), http.StatusUnauthorized, "Bad credentials", docsRoot)
	// A new exchange gives a working token again.
	wantStatus(t, f.doAuth(t, "GET", list, nil, "Bearer "+f.issueToken(t).Token), http.StatusOK)
	if got := f.fake.IssuedTokens(); got != 2 {
		t.Errorf("IssuedTokens = %d, want 2", got)
	}
}

func TestRevokeInstallationTokens(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	list := "/orgs/" + testOrg + "/actions/secrets"
	revoked := f.issueToken(t).Token
	f.fake.RevokeInstallationTokens()
	wantError(t, f.doAuth(t, "GET", list, nil, "Bearer "+revoked), http.StatusUnauthorized, "Bad credentials", docsRoot)
	wantStatus(t, f.doAuth(t, "GET", list, nil, "Bearer "+f.issueToken(t).Token), http.StatusOK)
	wantStatus(t, f.do(t, "GET", list, nil), http.StatusOK) // the static token is no installation's
}

func TestStaticTokenStillAcceptedWithApps(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	wantStatus(t, f.do(t, "GET", "/orgs/"+testOrg+"/actions/secrets", nil), http.StatusOK)
	if got := f.fake.IssuedTokens(); got != 0 {
		t.Errorf("IssuedTokens = %d, want 0", got)
	}
}

func TestAddAppRegistersOrgs(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	// other-org came into being with the second app.
	res := f.do(t, "GET", "/orgs/other-org/actions/secrets", nil)
	wantStatus(t, res, http.StatusOK)
}

func TestAddAppMisuse(t *testing.T) {
	t.Parallel()
	key, _ := testAppKey()
	tests := []struct {
		name string
		app  App
	}{
		{name: "zero id", app: App{PublicKey: &key.PublicKey}},
		{name: "no key", app: App{ID: 99}},
		{name: "same id", app: App{ID: testAppID, PublicKey: &key.PublicKey}},
		{name: "same client id", app: App{ID: 99, ClientID: testClientID, PublicKey: &key.PublicKey}},
		{name: "same installation", app: App{ID: 99, PublicKey: &key.PublicKey, Installations: map[int64]string{testInstallationID: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAppFixture(t)
			defer func() {
				if recover() == nil {
					t.Fatal("AddApp did not panic")
				}
			}()
			f.fake.AddApp(tt.app)
		})
	}
}

func TestNewAppKey(t *testing.T) {
	t.Parallel()
	key, pemBytes := NewAppKey()
	block, rest := pem.Decode(pemBytes)
	if block == nil || block.Type != "RSA PRIVATE KEY" || len(strings.TrimSpace(string(rest))) != 0 {
		t.Fatalf("PEM is not one RSA PRIVATE KEY block: %q", pemBytes)
	}
	parsed, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !parsed.Equal(key) || key.N.BitLen() != 2048 {
		t.Errorf("PEM key differs from the returned key, or is not 2048-bit (%d)", key.N.BitLen())
	}
}

func TestInstallationTokensAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		tok := newInstallationToken()
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
	}
}
