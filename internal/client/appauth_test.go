package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const (
	appOrg            = "app-org"
	appID             = 4242
	appClientID       = "Iv23liAppClient01"
	appInstallationID = 777
)

var (
	appKey      = sync.OnceValues(fakegithub.NewAppKey)
	otherAppKey = sync.OnceValues(fakegithub.NewAppKey)
	appClock0   = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

// appTestClock is a clock tests move by hand.
type appTestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *appTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *appTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func appAuth(t *testing.T, id string) *AppAuth {
	t.Helper()
	_, pemBytes := appKey()
	return &AppAuth{AppID: id, InstallationID: appInstallationID, PrivateKeyPEM: pemBytes}
}

// appFixture is a fake GitHub with the app installed in appOrg, and a
// Client authenticating as that installation; both run on clock.
type appFixture struct {
	fake   *fakegithub.Server
	c      *Client
	clock  *appTestClock
	mu     sync.Mutex
	paths  []string // request paths as sent, with any /api/v3 prefix
	tokens []string // installation tokens the fake handed out
}

func newAppFixture(t *testing.T, auth *AppAuth) *appFixture {
	t.Helper()
	f := &appFixture{clock: &appTestClock{t: appClock0}}
	f.fake = fakegithub.New(fakegithub.Options{Token: "static-token", Now: f.clock.Now})
	key, _ := appKey()
	f.fake.AddApp(fakegithub.App{ID: appID, ClientID: appClientID, PublicKey: &key.PublicKey,
		Installations: map[int64]string{appInstallationID: appOrg}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.paths = append(f.paths, r.URL.Path)
		f.mu.Unlock()
		rec := httptest.NewRecorder()
		f.fake.ServeHTTP(rec, r)
		if strings.HasSuffix(r.URL.Path, "/access_tokens") && rec.Code == http.StatusCreated {
			var body struct{ Token string }
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			f.mu.Lock()
			f.tokens = append(f.tokens, body.Token)
			f.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, App: auth, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.app.now = f.clock.Now
	f.c = c
	return f
}

func (f *appFixture) sentPaths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

func TestNewWithAppAuth(t *testing.T) {
	t.Parallel()
	key, pkcs1 := appKey()
	pkcs8DER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8DER})
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})
	damaged := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)[:200]})
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: x509.MarshalPKCS1PrivateKey(key)})
	publicOnly := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)})
	// The base64 body of the PKCS#1 key, which no error may repeat.
	keyBody := strings.Split(string(pkcs1), "\n")[1]

	app := func(id string, installation int64, pemBytes []byte) *AppAuth {
		return &AppAuth{AppID: id, InstallationID: installation, PrivateKeyPEM: pemBytes}
	}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
		wantIss any
	}{
		{name: "PKCS#1 key, numeric id", cfg: Config{App: app("4242", 1, pkcs1)}, wantIss: int64(4242)},
		{name: "PKCS#8 key, client id", cfg: Config{App: app(" Iv23liAppClient01 ", 1, pkcs8)}, wantIss: "Iv23liAppClient01"},
		{name: "token and app", cfg: Config{Token: "t0ken", App: app("1", 1, pkcs1)}, wantErr: "both a GitHub token and GitHub App"},
		{name: "neither", cfg: Config{}, wantErr: "token is empty and no GitHub App"},
		{name: "empty app id", cfg: Config{App: app(" ", 1, pkcs1)}, wantErr: "GitHub App id is empty"},
		{name: "app id with space", cfg: Config{App: app("12 34", 1, pkcs1)}, wantErr: "whitespace or control"},
		{name: "zero installation", cfg: Config{App: app("1", 0, pkcs1)}, wantErr: "installation id 0 is not a positive number"},
		{name: "no PEM", cfg: Config{App: app("1", 1, []byte("not a key "+keyBody))}, wantErr: "no PEM block found"},
		{name: "empty PEM", cfg: Config{App: app("1", 1, nil)}, wantErr: "no PEM block found"},
		{name: "damaged PKCS#1", cfg: Config{App: app("1", 1, damaged)}, wantErr: "not a valid PKCS#1 RSA key"},
		{name: "PKCS#1 bytes labelled PKCS#8", cfg: Config{App: app("1", 1, []byte(strings.ReplaceAll(string(pkcs1), "RSA PRIVATE KEY", "PRIVATE KEY")))}, wantErr: "not a valid PKCS#8 key"},
		{name: "EC key", cfg: Config{App: app("1", 1, ecPEM)}, wantErr: "GitHub Apps use RSA keys"},
		{name: "encrypted key", cfg: Config{App: app("1", 1, encrypted)}, wantErr: "encrypted PEM keys are not supported"},
		{name: "public key", cfg: Config{App: app("1", 1, publicOnly)}, wantErr: `PEM block "RSA PUBLIC KEY" is not a private key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New error = %v, want containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), keyBody) || strings.Contains(err.Error(), "t0ken") {
					t.Fatalf("error %q repeats a credential", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if c.app.issuer != tt.wantIss {
				t.Errorf("issuer = %#v, want %#v", c.app.issuer, tt.wantIss)
			}
			if !c.app.key.Equal(key) {
				t.Error("parsed key differs from the app key")
			}
		})
	}
}

func TestAppJWT(t *testing.T) {
	t.Parallel()
	key, _ := appKey()
	other, _ := otherAppKey()
	tests := []struct {
		name    string
		id      string
		wantIss any // as decoded with UseNumber
	}{
		{name: "numeric app id", id: "4242", wantIss: json.Number("4242")},
		{name: "client id", id: appClientID, wantIss: appClientID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{App: appAuth(t, tt.id)})
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 3, 4, 5, 6, 7, 800_000_000, time.UTC)
			signed, err := c.app.signJWT(now)
			if err != nil {
				t.Fatal(err)
			}
			claims := jwt.MapClaims{}
			token, err := jwt.NewParser(jwt.WithJSONNumber(), jwt.WithoutClaimsValidation()).
				ParseWithClaims(signed, claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil })
			if err != nil {
				t.Fatalf("parsing with the app's public key: %v", err)
			}
			if token.Method != jwt.SigningMethodRS256 {
				t.Errorf("alg = %v, want RS256", token.Method.Alg())
			}
			want := jwt.MapClaims{
				"iat": json.Number("1772600707"), // now - 60s, whole seconds
				"exp": json.Number("1772601307"), // now + 9m
				"iss": tt.wantIss,
			}
			if len(claims) != len(want) {
				t.Errorf("claims = %v, want %v", claims, want)
			}
			for k, v := range want {
				if claims[k] != v {
					t.Errorf("claim %s = %#v, want %#v", k, claims[k], v)
				}
			}
			if _, err := jwt.Parse(signed, func(*jwt.Token) (any, error) { return &other.PublicKey, nil }, jwt.WithoutClaimsValidation()); err == nil {
				t.Error("the JWT verifies with another key")
			}
		})
	}
}

func TestAppTokenExchange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		id       string
		rootPath string // "" keeps the GHES root New derives from the loopback URL
		want     string // path of the exchange as sent
	}{
		{name: "enterprise server", id: "4242", want: "/api/v3/app/installations/777/access_tokens"},
		{name: "client id", id: appClientID, want: "/api/v3/app/installations/777/access_tokens"},
		{name: "api.github.com layout", id: "4242", rootPath: "/", want: "/app/installations/777/access_tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAppFixture(t, appAuth(t, tt.id))
			if tt.rootPath != "" {
				root, err := url.Parse(strings.TrimSuffix(f.c.baseURL.String(), "api/v3/"))
				if err != nil {
					t.Fatal(err)
				}
				f.c.baseURL = root
			}
			for range 3 {
				if _, err := f.c.PublicKey(t.Context(), orgScope(Actions, appOrg)); err != nil {
					t.Fatalf("GetOrgPublicKey: %v", err)
				}
				if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
					t.Fatalf("ListOrgSecrets: %v", err)
				}
			}
			if got := f.fake.IssuedTokens(); got != 1 {
				t.Errorf("IssuedTokens = %d, want 1 (the token is cached)", got)
			}
			if paths := f.sentPaths(); len(paths) == 0 || paths[0] != tt.want {
				t.Errorf("first request %v, want the exchange at %s", paths, tt.want)
			}
		})
	}
}

func TestAppTokenRefreshedBeforeExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		ttl         time.Duration
		stillCached time.Duration // since the first exchange; still the first token
		renewed     time.Duration // since the first exchange; a second token
	}{
		{name: "GitHub's hour", ttl: time.Hour, stillCached: 55*time.Minute - time.Second, renewed: 55 * time.Minute},
		{name: "short-lived tokens renew at half life", ttl: 4 * time.Minute, stillCached: 2*time.Minute - time.Second, renewed: 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAppFixture(t, appAuth(t, "4242"))
			f.fake.SetInstallationTokenTTL(tt.ttl)
			call := func() {
				t.Helper()
				if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
					t.Fatalf("at +%v: %v", f.clock.Now().Sub(appClock0), err)
				}
			}
			call()
			f.clock.Advance(tt.stillCached)
			call()
			if got := f.fake.IssuedTokens(); got != 1 {
				t.Fatalf("IssuedTokens = %d at +%v, want 1", got, tt.stillCached)
			}
			f.clock.Advance(tt.renewed - tt.stillCached)
			call()
			if got := f.fake.IssuedTokens(); got != 2 {
				t.Fatalf("IssuedTokens = %d at +%v, want 2", got, tt.renewed)
			}
			// Well past the first token's expiry, the second one carries on.
			f.clock.Advance(tt.ttl - tt.renewed + time.Second)
			call()
		})
	}
}

func TestAppTokenSharedByConcurrentCallers(t *testing.T) {
	t.Parallel()
	var exchanges sync.WaitGroup
	var mu sync.Mutex
	count := 0
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/access_tokens") {
			mu.Lock()
			count++
			first := count == 1
			mu.Unlock()
			if first {
				close(arrived)
			}
			<-release
			writeJSON(w, http.StatusCreated, map[string]string{"token": "ghs_shared", "expires_at": time.Now().Add(time.Hour).Format(time.RFC3339)})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"total_count": 0, "secrets": []any{}})
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, App: appAuth(t, "4242"), HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}

	const callers = 8
	results := make(chan string, callers)
	for range callers {
		exchanges.Go(func() {
			auth, err := appCredentials{c}.header(t.Context())
			if err != nil {
				t.Error(err)
			}
			results <- auth
		})
	}
	<-arrived
	close(release)
	exchanges.Wait()
	close(results)
	for auth := range results {
		if auth != "Bearer ghs_shared" {
			t.Errorf("Authorization %q, want the shared token", auth)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if count != 1 {
		t.Errorf("%d exchanges, want 1", count)
	}
}

func TestAppTokenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		wantStatus int // of AppTokenError.Response; 0 when not an API answer
		wantErr    []string
	}{
		{name: "bad JWT", status: 401, body: `{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest"}`,
			wantStatus: 401, wantErr: []string{"installation 777", "401 Unauthorized", "A JSON web token could not be decoded", "check the app id"}},
		{name: "unknown installation", status: 404, body: `{"message":"Not Found"}`,
			wantStatus: 404, wantErr: []string{"installation 777", "404 Not Found", "check the installation id"}},
		{name: "suspended", status: 403, body: `{"message":"This installation has been suspended"}`,
			wantStatus: 403, wantErr: []string{"403 Forbidden", "This installation has been suspended"}},
		{name: "no token", status: 201, body: `{"expires_at":"2030-01-01T00:00:00Z"}`, wantErr: []string{"installation 777", "response has no token"}},
		{name: "no expiry", status: 201, body: `{"token":"ghs_noexpiry"}`, wantErr: []string{"response has no expires_at"}},
		{name: "token with a space", status: 201, body: `{"token":"ghs_a b","expires_at":"2030-01-01T00:00:00Z"}`, wantErr: []string{"whitespace or control"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var sentAuth []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				sentAuth = append(sentAuth, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c, err := New(Config{BaseURL: srv.URL, App: appAuth(t, "4242"), HTTPClient: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}

			_, err = c.GetSecret(t.Context(), orgSecret(Actions, appOrg, "S"))
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			for _, cred := range append(sentAuth, "ghs_noexpiry", "ghs_a b") {
				if strings.Contains(err.Error(), cred) {
					t.Errorf("error %q contains a credential", err)
				}
			}
			var tokenErr *AppTokenError
			if !errors.As(err, &tokenErr) || tokenErr.InstallationID != appInstallationID {
				t.Fatalf("error %T %v is not an AppTokenError for the installation", err, err)
			}
			if got := StatusCode(tokenErr.Response); got != tt.wantStatus {
				t.Errorf("Response status %d, want %d", got, tt.wantStatus)
			}
			// Above all, a missing installation is no missing secret.
			if IsNotFound(err) || StatusCode(err) != 0 {
				t.Errorf("StatusCode(err) = %d, want 0", StatusCode(err))
			}
			// Nothing is cached: the next call tries again.
			_, _ = c.GetSecret(t.Context(), orgSecret(Actions, appOrg, "S"))
			mu.Lock()
			defer mu.Unlock()
			if len(sentAuth) != 2 {
				t.Errorf("%d exchanges, want 2", len(sentAuth))
			}
		})
	}
}

func TestAppTokenRefusedByFake(t *testing.T) {
	t.Parallel()
	_, otherPEM := otherAppKey()
	tests := []struct {
		name    string
		auth    *AppAuth
		advance time.Duration // the client's clock ahead of the fake's
		wantErr string
	}{
		{name: "wrong key", auth: &AppAuth{AppID: "4242", InstallationID: appInstallationID, PrivateKeyPEM: otherPEM}, wantErr: "A JSON web token could not be decoded"},
		{name: "unknown app", auth: &AppAuth{AppID: "4243", InstallationID: appInstallationID, PrivateKeyPEM: nil}, wantErr: "Integration not found"},
		{name: "unknown installation", auth: &AppAuth{AppID: "4242", InstallationID: 778}, wantErr: "404 Not Found"},
		{name: "client clock two minutes ahead", auth: &AppAuth{AppID: appClientID, InstallationID: appInstallationID}, advance: 2 * time.Minute,
			wantErr: "'Expiration time' claim ('exp') is too far in the future"},
		{name: "client clock ten minutes behind", auth: &AppAuth{AppID: appClientID, InstallationID: appInstallationID}, advance: -10 * time.Minute,
			wantErr: "'Expiration time' claim ('exp') must be a numeric value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.auth.PrivateKeyPEM == nil {
				_, tt.auth.PrivateKeyPEM = appKey()
			}
			f := newAppFixture(t, tt.auth)
			f.c.app.now = func() time.Time { return f.clock.Now().Add(tt.advance) }
			_, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want containing %q", err, tt.wantErr)
			}
			if f.fake.IssuedTokens() != 0 {
				t.Error("the fake issued a token")
			}
		})
	}
}

func TestAppTokenRedacted(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t, appAuth(t, "4242"))
	if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	token := f.tokens[0]
	f.mu.Unlock()
	// A proxy that echoes the credential back in its error.
	req, err := f.c.newRequest(t.Context(), http.MethodGet, f.c.endpoint(orgScope(Actions, appOrg).secretsPath(), ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := (appCredentials{f.c}).header(t.Context()); got != "Bearer "+token {
		t.Fatalf("Authorization %q, want the installation token", got)
	}
	resp := &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{"X-Github-Request-Id": {token}}}
	apiErr := f.c.newAPIError(req, resp, []byte(`{"message":"upstream refused `+token+`"}`))
	if strings.Contains(apiErr.Error(), token) || apiErr.(*ErrorResponse).RequestID != "[REDACTED]" {
		t.Errorf("error %q shows the installation token", apiErr)
	}
	if !strings.Contains(apiErr.Error(), "upstream refused [REDACTED]") {
		t.Errorf("error %q lost the rest of the message", apiErr)
	}
}

func TestAppTokenExpiredTokenRejectedByFake(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t, appAuth(t, "4242"))
	f.fake.SetInstallationTokenTTL(10 * time.Minute)
	if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	token := f.tokens[0]
	f.mu.Unlock()
	// The client would have renewed by now; a caller holding on to the old
	// token is turned away.
	f.clock.Advance(10 * time.Minute)
	c, err := New(Config{BaseURL: f.c.baseURL.String(), Token: token, HTTPClient: f.c.httpClient})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSecrets(t.Context(), orgScope(Actions, appOrg))
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), "Bad credentials") {
		t.Fatalf("error %v, want 401 Bad credentials", err)
	}
	if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
		t.Fatalf("the app client did not renew: %v", err)
	}
}

func TestForgetAppToken(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t, appAuth(t, "4242"))
	current := func() string {
		t.Helper()
		auth, err := appCredentials{f.c}.header(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return auth
	}
	first := current()
	f.c.forgetAppToken("Bearer ghs_someOtherToken")
	if current() != first || f.fake.IssuedTokens() != 1 {
		t.Fatal("a refusal of another token dropped the cached one")
	}
	f.c.forgetAppToken(first)
	if second := current(); second == first || f.fake.IssuedTokens() != 2 {
		t.Fatalf("after a refusal: %d exchanges, same token %v", f.fake.IssuedTokens(), second == first)
	}
	// A token client has nothing to forget.
	c, err := New(Config{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	c.forgetAppToken("Bearer t0ken")
}

func TestAppTokenCancelledCaller(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t, appAuth(t, "4242"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.c.ListSecrets(ctx, orgScope(Actions, appOrg))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// The failure was this caller's alone.
	if _, err := f.c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
		t.Fatal(err)
	}
}

func TestAppTokenAlreadyExpiredIsNotReused(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	exchanges := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/access_tokens") {
			mu.Lock()
			exchanges++
			mu.Unlock()
			// A server clock far behind ours.
			writeJSON(w, http.StatusCreated, map[string]string{"token": "ghs_stale", "expires_at": "2001-01-01T00:00:00Z"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"total_count": 0, "secrets": []any{}})
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, App: appAuth(t, "4242"), HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.ListSecrets(t.Context(), orgScope(Actions, appOrg)); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if exchanges != 2 {
		t.Errorf("%d exchanges, want 2", exchanges)
	}
}
