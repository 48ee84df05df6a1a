package fakegithub

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"
)

const (
	testToken = "test-token"
	testOrg   = "Octo-Org"
	docsPut   = "https://docs.github.com/rest/reference/actions#create-or-update-an-organization-secret" // as GitHub's description links it
)

var clockStart = time.Date(2026, 1, 2, 3, 4, 5, 500_000_000, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	fake  *Server
	url   string // base URL without a trailing slash
	clock *testClock
	repos []Repository // api, web, worker
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return startFixture(t, Options{}, func(h http.Handler) http.Handler { return h })
}

// startFixture serves a fake of opts, with the fixture's token, org and
// clock, through wrap.
func startFixture(t *testing.T, opts Options, wrap func(http.Handler) http.Handler) *fixture {
	t.Helper()
	clock := &testClock{t: clockStart}
	opts.Token, opts.Orgs, opts.Now = testToken, []string{testOrg}, clock.Now
	fake := New(opts)
	ts := httptest.NewServer(wrap(fake))
	t.Cleanup(ts.Close)
	f := &fixture{fake: fake, url: ts.URL, clock: clock}
	for _, name := range []string{"api", "web", "worker"} {
		f.repos = append(f.repos, fake.AddRepository(testOrg, name))
	}
	return f
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) apiError(t *testing.T) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return e
}

// do sends body as is when it is a string and as JSON otherwise.
func (f *fixture) do(t *testing.T, method, path string, body any) response {
	t.Helper()
	return f.doAuth(t, method, path, body, "Bearer "+testToken)
}

func (f *fixture) doAuth(t *testing.T, method, path string, body any, auth string) response {
	t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.url+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// seal encrypts plaintext the way a client does: with the key the
// public-key endpoint serves and an anonymous sealed box.
func (f *fixture) seal(t *testing.T, plaintext string) (encrypted, keyID string) {
	t.Helper()
	return f.sealAt(t, "/orgs/"+testOrg+"/actions/secrets/public-key", plaintext)
}

// sealAt seals plaintext for the key the public-key endpoint keyPath serves.
func (f *fixture) sealAt(t *testing.T, keyPath, plaintext string) (encrypted, keyID string) {
	t.Helper()
	res := f.do(t, "GET", keyPath, nil)
	if res.status != http.StatusOK {
		t.Fatalf("public key: status %d", res.status)
	}
	var key struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}
	if err := json.Unmarshal(res.body, &key); err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(key.Key)
	if err != nil || len(raw) != 32 {
		t.Fatalf("key %q: %v (%d bytes)", key.Key, err, len(raw))
	}
	sealed, err := box.SealAnonymous(nil, []byte(plaintext), (*[32]byte)(raw), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sealed), key.KeyID
}

func (f *fixture) putBody(t *testing.T, plaintext, visibility string, ids ...int64) map[string]any {
	t.Helper()
	enc, keyID := f.seal(t, plaintext)
	body := map[string]any{"encrypted_value": enc, "key_id": keyID, "visibility": visibility}
	if ids != nil {
		body["selected_repository_ids"] = ids
	}
	return body
}

func (f *fixture) mustPut(t *testing.T, name, plaintext, visibility string, ids ...int64) {
	t.Helper()
	res := f.do(t, "PUT", "/orgs/"+testOrg+"/actions/secrets/"+name, f.putBody(t, plaintext, visibility, ids...))
	if res.status != http.StatusCreated && res.status != http.StatusNoContent {
		t.Fatalf("PUT %s: status %d, body %s", name, res.status, res.body)
	}
}

func (f *fixture) secret(t *testing.T, name string) SecretInfo {
	t.Helper()
	info, ok := f.fake.Secret(testOrg, name)
	if !ok {
		t.Fatalf("secret %s missing", name)
	}
	return info
}

func secretPath(name string) string { return "/orgs/" + testOrg + "/actions/secrets/" + name }

func wantStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d; body %s", res.status, want, res.body)
	}
}

func wantError(t *testing.T, res response, status int, message, docs string) {
	t.Helper()
	wantStatus(t, res, status)
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	want := apiError{Message: message, DocumentationURL: docs, Status: strconv.Itoa(status)}
	if got := res.apiError(t); got != want {
		t.Errorf("error body\n got %+v\nwant %+v", got, want)
	}
}

func TestPutSecretCreatesThenUpdates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	res := f.do(t, "PUT", secretPath("DB_PASSWORD"), f.putBody(t, "hunter2", "all"))
	wantStatus(t, res, http.StatusCreated)
	if string(res.body) != "{}" || res.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("create body %q, Content-Type %q", res.body, res.header.Get("Content-Type"))
	}
	created := f.secret(t, "DB_PASSWORD")
	wantTime := clockStart.Truncate(time.Second)
	if !created.CreatedAt.Equal(wantTime) || !created.UpdatedAt.Equal(wantTime) || created.Visibility != "all" {
		t.Errorf("after create: %+v", created)
	}
	if v, _ := f.fake.SecretValue(testOrg, "DB_PASSWORD"); string(v) != "hunter2" {
		t.Errorf("value %q, want hunter2", v)
	}

	f.clock.Advance(time.Minute)
	res = f.do(t, "PUT", secretPath("DB_PASSWORD"), f.putBody(t, "correct horse", "private"))
	wantStatus(t, res, http.StatusNoContent)
	if len(res.body) != 0 || res.header.Get("Content-Type") != "" {
		t.Errorf("update body %q, Content-Type %q", res.body, res.header.Get("Content-Type"))
	}
	updated := f.secret(t, "DB_PASSWORD")
	if !updated.CreatedAt.Equal(wantTime) || !updated.UpdatedAt.Equal(wantTime.Add(time.Minute)) || updated.Visibility != "private" {
		t.Errorf("after update: %+v", updated)
	}
	if v, _ := f.fake.SecretValue(testOrg, "db_password"); string(v) != "correct horse" {
		t.Errorf("value %q, want correct horse", v)
	}
	keyID, _ := f.fake.PublicKey(testOrg)
	if updated.KeyID != keyID {
		t.Errorf("KeyID %q, want %q", updated.KeyID, keyID)
	}
}

func TestSecretNamesAreCaseInsensitive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	wantStatus(t, f.do(t, "PUT", "/orgs/octo-org/actions/secrets/my_Secret", f.putBody(t, "v1", "all")), http.StatusCreated)
	if got := f.fake.Secrets("OCTO-ORG"); len(got) != 1 || got[0].Name != "MY_SECRET" {
		t.Fatalf("stored %+v, want one secret MY_SECRET", got)
	}
	res := f.do(t, "GET", "/orgs/OCTO-ORG/actions/secrets/My_Secret", nil)
	wantStatus(t, res, http.StatusOK)
	var got secretJSON
	if err := json.Unmarshal(res.body, &got); err != nil || got.Name != "MY_SECRET" {
		t.Errorf("GET body %s (%v)", res.body, err)
	}
	wantStatus(t, f.do(t, "PUT", secretPath("MY_SECRET"), f.putBody(t, "v2", "all")), http.StatusNoContent)
	if v, _ := f.fake.SecretValue("octo-org", "my_secret"); string(v) != "v2" {
		t.Errorf("value %q, want v2", v)
	}
	wantStatus(t, f.do(t, "DELETE", "/orgs/octo-ORG/actions/secrets/my_secret", nil), http.StatusNoContent)
	if _, ok := f.fake.Secret(testOrg, "MY_SECRET"); ok {
		t.Error("secret still there after DELETE")
	}
}

func TestGetSecretBody(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mustPut(t, "PLAIN", "x", "private")
	f.clock.Advance(2 * time.Second)
	f.mustPut(t, "CHOSEN", "x", "selected", f.repos[0].ID)

	tests := []struct {
		path string
		want string
	}{
		{secretPath("plain"), `{"name":"PLAIN","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","visibility":"private"}`},
		{secretPath("chosen"), `{"name":"CHOSEN","created_at":"2026-01-02T03:04:07Z","updated_at":"2026-01-02T03:04:07Z","visibility":"selected",` +
			`"selected_repositories_url":"` + f.url + `/orgs/Octo-Org/actions/secrets/CHOSEN/repositories"}`},
		{"/api/v3" + secretPath("chosen"), `{"name":"CHOSEN","created_at":"2026-01-02T03:04:07Z","updated_at":"2026-01-02T03:04:07Z","visibility":"selected",` +
			`"selected_repositories_url":"` + f.url + `/api/v3/orgs/Octo-Org/actions/secrets/CHOSEN/repositories"}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			res := f.do(t, "GET", tt.path, nil)
			wantStatus(t, res, http.StatusOK)
			if string(res.body) != tt.want {
				t.Errorf("body\n got %s\nwant %s", res.body, tt.want)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestPutSecretValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	enc, keyID := f.seal(t, "value")
	garbage := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 64))
	tooBig, _ := f.seal(t, strings.Repeat("x", maxSecretBytes+1))
	foreign := New(Options{Token: "x", Orgs: []string{"other"}})
	foreignEnc, _ := foreign.Seal("other", []byte("value"))
	valid := func(extra map[string]any) map[string]any {
		body := map[string]any{"encrypted_value": enc, "key_id": keyID, "visibility": "all"}
		for k, v := range extra {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		return body
	}
	const badName = "Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). " +
		"Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_)."

	tests := []struct {
		name       string
		secretName string // escaped for the path
		body       any
		status     int
		message    string
	}{
		{"name with hyphen", "MY-SECRET", valid(nil), 422, badName},
		{"name with space", "MY%20SECRET", valid(nil), 422, badName},
		{"name starting with digit", "1SECRET", valid(nil), 422, badName},
		{"name with dot", "A.B", valid(nil), 422, badName},
		{"GITHUB_ prefix", "GITHUB_TOKEN", valid(nil), 422, "Secret names must not start with GITHUB_."},
		{"github_ prefix lower case", "github_x", valid(nil), 422, "Secret names must not start with GITHUB_."},
		{"unparsable JSON", "OK", `{"encrypted_value":`, 400, "Problems parsing JSON"},
		{"JSON array", "OK", `[]`, 400, "Problems parsing JSON"},
		{"trailing garbage", "OK", `{} x`, 400, "Problems parsing JSON"},
		{"empty body", "OK", ``, 422, "Invalid request.\n\n\"encrypted_value\", \"key_id\", \"visibility\" weren't supplied."},
		{"missing encrypted_value", "OK", valid(map[string]any{"encrypted_value": nil}), 422, "Invalid request.\n\n\"encrypted_value\" wasn't supplied."},
		{"missing key_id", "OK", valid(map[string]any{"key_id": nil}), 422, "Invalid request.\n\n\"key_id\" wasn't supplied."},
		{"missing visibility", "OK", valid(map[string]any{"visibility": nil}), 422, "Invalid request.\n\n\"visibility\" wasn't supplied."},
		{"key_id not a string", "OK", valid(map[string]any{"key_id": 12}), 422, "Invalid request.\n\nFor 'properties/key_id', 12 is not a string."},
		{"visibility null", "OK", `{"encrypted_value":"` + enc + `","key_id":"` + keyID + `","visibility":null}`, 422,
			"Invalid request.\n\nFor 'properties/visibility', nil is not a string."},
		{"encrypted_value not base64", "OK", valid(map[string]any{"encrypted_value": "not base64!"}), 422,
			"Invalid request.\n\nFor 'properties/encrypted_value', the value does not match /" + encryptedValuePattern.String() + "/."},
		{"encrypted_value empty", "OK", valid(map[string]any{"encrypted_value": ""}), 422,
			"Invalid request.\n\nFor 'properties/encrypted_value', the value does not match /" + encryptedValuePattern.String() + "/."},
		{"encrypted_value unpadded", "OK", valid(map[string]any{"encrypted_value": "abc"}), 422,
			"Invalid request.\n\nFor 'properties/encrypted_value', the value does not match /" + encryptedValuePattern.String() + "/."},
		{"visibility not in enum", "OK", valid(map[string]any{"visibility": "public"}), 422,
			"Invalid request.\n\nFor 'properties/visibility', \"public\" is not a member of [\"all\", \"private\", \"selected\"]."},
		{"ids not an array", "OK", valid(map[string]any{"visibility": "selected", "selected_repository_ids": "1"}), 422,
			"Invalid request.\n\nFor 'properties/selected_repository_ids', \"1\" is not an array."},
		{"ids not integers", "OK", valid(map[string]any{"visibility": "selected", "selected_repository_ids": []any{1.5}}), 422,
			"Invalid request.\n\nFor 'items', 1.5 is not an integer."},
		{"ids with visibility all", "OK", valid(map[string]any{"selected_repository_ids": []int64{f.repos[0].ID}}), 422,
			"You can only provide a list of repository ids when the visibility is set to selected."},
		{"ids with visibility private", "OK", valid(map[string]any{"visibility": "private", "selected_repository_ids": []int64{f.repos[0].ID}}), 422,
			"You can only provide a list of repository ids when the visibility is set to selected."},
		{"stale key_id", "OK", valid(map[string]any{"key_id": "123456789012345678"}), 422,
			"Bad key_id: \"123456789012345678\" is not the current public key of the organization's actions secrets. Get the public key again and re-encrypt the value."},
		{"value that does not open", "OK", valid(map[string]any{"encrypted_value": garbage}), 422,
			"Bad encrypted_value: it could not be decrypted with the public key of key_id " + keyID + "."},
		{"value sealed for another key", "OK", valid(map[string]any{"encrypted_value": foreignEnc}), 422,
			"Bad encrypted_value: it could not be decrypted with the public key of key_id " + keyID + "."},
		{"value over 48 KB", "OK", valid(map[string]any{"encrypted_value": tooBig}), 422,
			"Secret value is too large: secrets are limited to 48 KB."},
		{"repository of no org", "OK", valid(map[string]any{"visibility": "selected", "selected_repository_ids": []int64{f.repos[0].ID, 42}}), 422,
			"Repository id 42 is not a repository of the Octo-Org organization."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := f.do(t, "PUT", secretPath(tt.secretName), tt.body)
			wantError(t, res, tt.status, tt.message, docsPut)
		})
	}
	t.Cleanup(func() {
		if got := f.fake.Secrets(testOrg); len(got) != 0 {
			t.Errorf("rejected PUTs stored secrets: %+v", got)
		}
	})
}

func TestPutSecretAcceptsExactly48KB(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mustPut(t, "BIG", strings.Repeat("x", maxSecretBytes), "all")
	if v, _ := f.fake.SecretValue(testOrg, "BIG"); len(v) != maxSecretBytes {
		t.Errorf("stored %d bytes", len(v))
	}
}

func TestThousandSecretLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range maxSecrets {
		f.fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("S%04d", i), []byte("v"), "all", nil)
	}
	wantError(t, f.do(t, "PUT", secretPath("ONE_MORE"), f.putBody(t, "v", "all")), 422,
		"Organizations can store up to 1,000 secrets. Delete a secret before adding another.", docsPut)
	wantStatus(t, f.do(t, "PUT", secretPath("s0000"), f.putBody(t, "v2", "all")), http.StatusNoContent)
	wantStatus(t, f.do(t, "DELETE", secretPath("S0001"), nil), http.StatusNoContent)
	wantStatus(t, f.do(t, "PUT", secretPath("ONE_MORE"), f.putBody(t, "v", "all")), http.StatusCreated)
}

func TestDeleteSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mustPut(t, "GONE", "v", "all")
	wantStatus(t, f.do(t, "DELETE", secretPath("gone"), nil), http.StatusNoContent)
	docsDelete := "https://docs.github.com/rest/actions/secrets#delete-an-organization-secret"
	wantError(t, f.do(t, "DELETE", secretPath("GONE"), nil), 404, "Not Found", docsDelete)
	wantError(t, f.do(t, "GET", secretPath("GONE"), nil), 404, "Not Found",
		"https://docs.github.com/rest/actions/secrets#get-an-organization-secret")
}

func TestAuthenticationAndRouting(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mustPut(t, "EXISTS", "v", "all")
	const root = "https://docs.github.com/rest"
	tests := []struct {
		name, method, path, auth string
		status                   int
		message, docs            string
	}{
		{"no token", "GET", "/orgs/Octo-Org/actions/secrets", "", 401, "Requires authentication", root},
		{"no token under /api/v3", "GET", "/api/v3/orgs/Octo-Org/actions/secrets", "", 401, "Requires authentication", root},
		{"wrong bearer token", "GET", "/orgs/Octo-Org/actions/secrets", "Bearer nope", 401, "Bad credentials", root},
		{"wrong token scheme", "GET", "/orgs/Octo-Org/actions/secrets", "Basic " + testToken, 401, "Bad credentials", root},
		{"scheme only", "GET", "/orgs/Octo-Org/actions/secrets", "Bearer", 401, "Bad credentials", root},
		{"bad token on unknown route", "GET", "/user", "token nope", 401, "Bad credentials", root},
		{"token scheme", "GET", "/orgs/Octo-Org/actions/secrets", "token " + testToken, 200, "", ""},
		{"bearer scheme", "GET", "/api/v3/orgs/Octo-Org/actions/secrets", "Bearer " + testToken, 200, "", ""},
		{"unknown org", "GET", "/orgs/nobody/actions/secrets", "Bearer " + testToken, 404, "Not Found",
			"https://docs.github.com/rest/actions/secrets#list-organization-secrets"},
		{"unknown org public key", "GET", "/orgs/nobody/actions/secrets/public-key", "Bearer " + testToken, 404, "Not Found",
			"https://docs.github.com/rest/actions/secrets#get-an-organization-public-key"},
		{"unknown route", "GET", "/user", "Bearer " + testToken, 404, "Not Found", root},
		{"unknown nested route", "GET", "/orgs/Octo-Org/actions/runners", "Bearer " + testToken, 404, "Not Found", root},
		{"trailing segment", "GET", "/orgs/Octo-Org/actions/secrets/EXISTS/repositories/1/x", "Bearer " + testToken, 404, "Not Found", root},
		{"non-numeric repository id", "PUT", "/orgs/Octo-Org/actions/secrets/EXISTS/repositories/abc", "Bearer " + testToken, 404, "Not Found", root},
		{"POST on list", "POST", "/orgs/Octo-Org/actions/secrets", "Bearer " + testToken, 404, "Not Found", root},
		{"PATCH on secret", "PATCH", "/orgs/Octo-Org/actions/secrets/EXISTS", "Bearer " + testToken, 404, "Not Found", root},
		{"PUT on public key", "PUT", "/orgs/Octo-Org/actions/secrets/public-key", "Bearer " + testToken, 404, "Not Found", root},
		{"DELETE on repository list", "DELETE", "/orgs/Octo-Org/actions/secrets/EXISTS/repositories", "Bearer " + testToken, 404, "Not Found", root},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := f.doAuth(t, tt.method, tt.path, nil, tt.auth)
			if tt.message == "" {
				wantStatus(t, res, tt.status)
				return
			}
			wantError(t, res, tt.status, tt.message, tt.docs)
		})
	}
}

func TestCommonHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	seen := map[string]bool{}
	paths := []struct{ path, auth string }{
		{"/orgs/Octo-Org/actions/secrets", "Bearer " + testToken},
		{"/api/v3/orgs/Octo-Org/actions/secrets/public-key", "Bearer " + testToken},
		{"/orgs/Octo-Org/actions/secrets", ""},
		{"/nowhere", "Bearer " + testToken},
	}
	for i, p := range paths {
		res := f.doAuth(t, "GET", p.path, nil, p.auth)
		h := res.header
		id := h.Get("X-GitHub-Request-Id")
		if id == "" || seen[id] {
			t.Errorf("%s: request id %q empty or repeated", p.path, id)
		}
		seen[id] = true
		want := map[string]string{
			"X-GitHub-Api-Version-Selected": "2022-11-28",
			"X-RateLimit-Limit":             "5000",
			"X-RateLimit-Remaining":         strconv.Itoa(4999 - i),
			"X-RateLimit-Used":              strconv.Itoa(i + 1),
			"X-RateLimit-Reset":             strconv.FormatInt(clockStart.Add(time.Hour).Unix(), 10),
			"X-RateLimit-Resource":          "core",
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", p.path, k, got, v)
			}
		}
	}

	// A new window starts once the reset time has passed.
	f.clock.Advance(time.Hour)
	res := f.do(t, "GET", "/orgs/Octo-Org/actions/secrets", nil)
	if got := res.header.Get("X-RateLimit-Remaining"); got != "4999" {
		t.Errorf("after reset: remaining %q, want 4999", got)
	}
	if got, want := res.header.Get("X-RateLimit-Reset"), strconv.FormatInt(clockStart.Add(2*time.Hour).Unix(), 10); got != want {
		t.Errorf("after reset: reset %q, want %q", got, want)
	}
}

func TestRateLimitRemainingStopsAtZero(t *testing.T) {
	t.Parallel()
	s := New(Options{Token: testToken, Orgs: []string{testOrg}})
	var last *httptest.ResponseRecorder
	for range rateLimit + 2 {
		last = httptest.NewRecorder()
		s.ServeHTTP(last, httptest.NewRequest("GET", "/orgs/Octo-Org/actions/secrets", nil))
	}
	if got := last.Header().Get("X-RateLimit-Remaining"); got != "0" {
		t.Errorf("remaining %q, want 0", got)
	}
	if got := last.Header().Get("X-RateLimit-Used"); got != strconv.Itoa(rateLimit+2) {
		t.Errorf("used %q", got)
	}
}

func TestListSecretsPagination(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range 5 {
		f.fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("s%d", 5-i), []byte("v"), "all", nil)
	}
	link := func(prefix, query, rel string) string {
		return "<" + f.url + prefix + "/orgs/Octo-Org/actions/secrets?" + query + ">; rel=\"" + rel + "\""
	}
	tests := []struct {
		name, prefix, query string
		names               []string
		links               []string
	}{
		{"defaults", "", "", []string{"S1", "S2", "S3", "S4", "S5"}, nil},
		{"first page", "", "per_page=2", []string{"S1", "S2"}, []string{
			link("", "page=2&per_page=2", "next"), link("", "page=3&per_page=2", "last")}},
		{"middle page", "", "per_page=2&page=2", []string{"S3", "S4"}, []string{
			link("", "page=1&per_page=2", "prev"), link("", "page=3&per_page=2", "next"),
			link("", "page=3&per_page=2", "last"), link("", "page=1&per_page=2", "first")}},
		{"last page", "", "page=3&per_page=2", []string{"S5"}, []string{
			link("", "page=2&per_page=2", "prev"), link("", "page=1&per_page=2", "first")}},
		{"past the end", "", "page=9&per_page=2", []string{}, []string{
			link("", "page=8&per_page=2", "prev"), link("", "page=1&per_page=2", "first")}},
		{"under /api/v3 keeping other parameters", "/api/v3", "per_page=2&visibility=x", []string{"S1", "S2"}, []string{
			link("/api/v3", "page=2&per_page=2&visibility=x", "next"), link("/api/v3", "page=3&per_page=2&visibility=x", "last")}},
		{"invalid numbers fall back to defaults", "", "per_page=abc&page=-1", []string{"S1", "S2", "S3", "S4", "S5"}, nil},
		{"zero per_page is the default", "", "per_page=0", []string{"S1", "S2", "S3", "S4", "S5"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := f.do(t, "GET", tt.prefix+"/orgs/Octo-Org/actions/secrets?"+tt.query, nil)
			wantStatus(t, res, http.StatusOK)
			var page struct {
				TotalCount int          `json:"total_count"`
				Secrets    []secretJSON `json:"secrets"`
			}
			if err := json.Unmarshal(res.body, &page); err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for _, s := range page.Secrets {
				names = append(names, s.Name)
			}
			if page.TotalCount != 5 || !slices.Equal(names, tt.names) {
				t.Errorf("total %d names %v, want 5 %v", page.TotalCount, names, tt.names)
			}
			if got, want := res.header.Get("Link"), strings.Join(tt.links, ", "); got != want {
				t.Errorf("Link\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestPerPageIsClampedTo100(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range 101 {
		f.fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("S%03d", i), []byte("v"), "all", nil)
	}
	res := f.do(t, "GET", "/api/v3/orgs/Octo-Org/actions/secrets?per_page=500", nil)
	wantStatus(t, res, http.StatusOK)
	var page struct {
		TotalCount int          `json:"total_count"`
		Secrets    []secretJSON `json:"secrets"`
	}
	if err := json.Unmarshal(res.body, &page); err != nil {
		t.Fatal(err)
	}
	if page.TotalCount != 101 || len(page.Secrets) != 100 || page.Secrets[99].Name != "S099" {
		t.Errorf("total %d, %d secrets", page.TotalCount, len(page.Secrets))
	}
	base := f.url + "/api/v3/orgs/Octo-Org/actions/secrets?"
	want := `<` + base + `page=2&per_page=500>; rel="next", <` + base + `page=2&per_page=500>; rel="last"`
	if got := res.header.Get("Link"); got != want {
		t.Errorf("Link\n got %s\nwant %s", got, want)
	}
}

func TestPublicKeyEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.do(t, "GET", "/api/v3/orgs/octo-org/actions/secrets/public-key", nil)
	wantStatus(t, res, http.StatusOK)
	keyID, key := f.fake.PublicKey(testOrg)
	if want := `{"key_id":"` + keyID + `","key":"` + key + `"}`; string(res.body) != want {
		t.Errorf("body %s, want %s", res.body, want)
	}
	if _, err := strconv.ParseUint(keyID, 10, 64); err != nil || len(keyID) < 18 {
		t.Errorf("key_id %q is not an 18-digit number", keyID)
	}
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 32 {
		t.Errorf("key %q is not 32 bytes of base64", key)
	}
}

func TestRotatedKeyRejectsOldKeyID(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	oldBody := f.putBody(t, "before", "all")
	f.mustPut(t, "ROTATED", "before", "all")
	oldKeyID := oldBody["key_id"].(string)

	newKeyID := f.fake.RotatePublicKey(testOrg)
	if newKeyID == oldKeyID {
		t.Fatal("rotation kept the key id")
	}
	res := f.do(t, "PUT", secretPath("ROTATED"), oldBody)
	wantStatus(t, res, 422)
	if msg := res.apiError(t).Message; !strings.Contains(msg, "key_id") || !strings.Contains(msg, oldKeyID) {
		t.Errorf("message %q should name the stale key_id", msg)
	}
	if info := f.secret(t, "ROTATED"); info.KeyID != oldKeyID {
		t.Errorf("stored KeyID %q, want the old %q until rewritten", info.KeyID, oldKeyID)
	}

	body := f.putBody(t, "after", "all")
	if body["key_id"] != newKeyID {
		t.Fatalf("endpoint serves key_id %v, want %s", body["key_id"], newKeyID)
	}
	wantStatus(t, f.do(t, "PUT", secretPath("ROTATED"), body), http.StatusNoContent)
	if v, _ := f.fake.SecretValue(testOrg, "ROTATED"); string(v) != "after" {
		t.Errorf("value %q", v)
	}
	if info := f.secret(t, "ROTATED"); info.KeyID != newKeyID {
		t.Errorf("stored KeyID %q, want %q", info.KeyID, newKeyID)
	}
}

func TestSealHelperMatchesEndpointKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	enc, keyID := f.fake.Seal(testOrg, []byte("pre-encrypted"))
	body := map[string]any{"encrypted_value": enc, "key_id": keyID, "visibility": "private"}
	wantStatus(t, f.do(t, "PUT", secretPath("PRE"), body), http.StatusCreated)
	if v, _ := f.fake.SecretValue(testOrg, "PRE"); string(v) != "pre-encrypted" {
		t.Errorf("value %q", v)
	}
}

func TestSelectedListOnPut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api, web, worker := f.repos[0], f.repos[1], f.repos[2]
	// Steps run in order: each builds on the state the previous left.
	steps := []struct {
		name       string
		visibility string
		ids        []int64 // nil: key absent
		want       []int64 // nil: not selected
	}{
		{"selected with ids", "selected", []int64{web.ID, api.ID, web.ID}, []int64{api.ID, web.ID}},
		{"selected with other ids", "selected", []int64{worker.ID}, []int64{worker.ID}},
		{"selected without the key clears", "selected", nil, []int64{}},
		{"selected with ids again", "selected", []int64{api.ID}, []int64{api.ID}},
		{"another visibility clears", "all", nil, nil},
		{"an empty list with visibility private is fine", "private", []int64{}, nil},
		{"back to selected starts empty", "selected", nil, []int64{}},
	}
	for i, step := range steps {
		f.clock.Advance(time.Second)
		f.mustPut(t, "LIST", "v", step.visibility, step.ids...)
		info := f.secret(t, "LIST")
		if info.Visibility != step.visibility || !slices.Equal(info.SelectedRepositoryIDs, step.want) ||
			(step.want == nil) != (info.SelectedRepositoryIDs == nil) {
			t.Errorf("%s: %s %#v, want %s %#v", step.name, info.Visibility, info.SelectedRepositoryIDs, step.visibility, step.want)
		}
		if want := clockStart.Truncate(time.Second).Add(time.Duration(i+1) * time.Second); !info.UpdatedAt.Equal(want) {
			t.Errorf("%s: updated_at %v, want %v", step.name, info.UpdatedAt, want)
		}
	}
}

func TestSelectedRepositoriesEndpoints(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api, web, worker := f.repos[0], f.repos[1], f.repos[2]
	f.mustPut(t, "CHOSEN", "v", "selected", api.ID)
	repos := secretPath("chosen") + "/repositories"
	byID := func(id int64) string { return repos + "/" + strconv.FormatInt(id, 10) }

	// Each step: request, expected status, expected list after, and whether
	// updated_at moved.
	steps := []struct {
		name, method, path string
		body               any
		status             int
		want               []int64
		bumped             bool
	}{
		{"add", "PUT", byID(web.ID), nil, 204, []int64{api.ID, web.ID}, true},
		{"add present is a no-op", "PUT", byID(web.ID), nil, 204, []int64{api.ID, web.ID}, false},
		{"remove", "DELETE", byID(api.ID), nil, 204, []int64{web.ID}, true},
		{"remove absent is a no-op", "DELETE", byID(api.ID), nil, 204, []int64{web.ID}, false},
		{"remove a repository of no org is a no-op", "DELETE", byID(42), nil, 204, []int64{web.ID}, false},
		{"set", "PUT", repos, map[string]any{"selected_repository_ids": []int64{worker.ID, api.ID}}, 204, []int64{api.ID, worker.ID}, true},
		{"set the same set", "PUT", repos, map[string]any{"selected_repository_ids": []int64{api.ID, worker.ID, api.ID}}, 204, []int64{api.ID, worker.ID}, false},
		{"set empty", "PUT", repos, map[string]any{"selected_repository_ids": []int64{}}, 204, []int64{}, true},
		{"set via /api/v3", "PUT", "/api/v3" + repos, map[string]any{"selected_repository_ids": []int64{web.ID}}, 204, []int64{web.ID}, true},
	}
	for _, step := range steps {
		before := f.secret(t, "CHOSEN").UpdatedAt
		f.clock.Advance(time.Second)
		res := f.do(t, step.method, step.path, step.body)
		wantStatus(t, res, step.status)
		if len(res.body) != 0 {
			t.Errorf("%s: body %q, want none", step.name, res.body)
		}
		info := f.secret(t, "CHOSEN")
		if !slices.Equal(info.SelectedRepositoryIDs, step.want) {
			t.Errorf("%s: ids %v, want %v", step.name, info.SelectedRepositoryIDs, step.want)
		}
		if bumped := !info.UpdatedAt.Equal(before); bumped != step.bumped {
			t.Errorf("%s: updated_at %v -> %v, bumped %v want %v", step.name, before, info.UpdatedAt, bumped, step.bumped)
		}
	}
}

func TestListSelectedRepositories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api, web, worker := f.repos[0], f.repos[1], f.repos[2]
	f.mustPut(t, "CHOSEN", "v", "selected", worker.ID, api.ID, web.ID)

	res := f.do(t, "GET", "/api/v3"+secretPath("chosen")+"/repositories?per_page=2&page=2", nil)
	wantStatus(t, res, http.StatusOK)
	user, repo := f.url+"/api/v3/users/Octo-Org", f.url+"/api/v3/repos/Octo-Org/worker"
	want := `{"total_count":3,"repositories":[{"id":1296271,"node_id":"MDEwOlJlcG9zaXRvcnkxMjk2Mjcx","name":"worker","full_name":"Octo-Org/worker",` +
		`"private":false,"owner":{"login":"Octo-Org","id":9919,"node_id":"MDEyOk9yZ2FuaXphdGlvbjk5MTk=",` +
		`"avatar_url":"` + f.url + `/avatars/u/9919?v=4","gravatar_id":"","url":"` + user + `","html_url":"` + f.url + `/Octo-Org",` +
		`"followers_url":"` + user + `/followers","following_url":"` + user + `/following{/other_user}",` +
		`"gists_url":"` + user + `/gists{/gist_id}","starred_url":"` + user + `/starred{/owner}{/repo}",` +
		`"subscriptions_url":"` + user + `/subscriptions","organizations_url":"` + user + `/orgs","repos_url":"` + user + `/repos",` +
		`"events_url":"` + user + `/events{/privacy}","received_events_url":"` + user + `/received_events",` +
		`"type":"Organization","user_view_type":"public","site_admin":false},"html_url":"` + f.url + `/Octo-Org/worker",` +
		`"description":null,"fork":false,"url":"` + repo + `","forks_url":"` + repo + `/forks","keys_url":"` + repo + `/keys{/key_id}",` +
		`"collaborators_url":"` + repo + `/collaborators{/collaborator}","teams_url":"` + repo + `/teams","hooks_url":"` + repo + `/hooks",` +
		`"issue_events_url":"` + repo + `/issues/events{/number}","events_url":"` + repo + `/events",` +
		`"assignees_url":"` + repo + `/assignees{/user}","branches_url":"` + repo + `/branches{/branch}","tags_url":"` + repo + `/tags",` +
		`"blobs_url":"` + repo + `/git/blobs{/sha}","git_tags_url":"` + repo + `/git/tags{/sha}","git_refs_url":"` + repo + `/git/refs{/sha}",` +
		`"trees_url":"` + repo + `/git/trees{/sha}","statuses_url":"` + repo + `/statuses/{sha}","languages_url":"` + repo + `/languages",` +
		`"stargazers_url":"` + repo + `/stargazers","contributors_url":"` + repo + `/contributors","subscribers_url":"` + repo + `/subscribers",` +
		`"subscription_url":"` + repo + `/subscription","commits_url":"` + repo + `/commits{/sha}","git_commits_url":"` + repo + `/git/commits{/sha}",` +
		`"comments_url":"` + repo + `/comments{/number}","issue_comment_url":"` + repo + `/issues/comments{/number}",` +
		`"contents_url":"` + repo + `/contents/{+path}","compare_url":"` + repo + `/compare/{base}...{head}","merges_url":"` + repo + `/merges",` +
		`"archive_url":"` + repo + `/{archive_format}{/ref}","downloads_url":"` + repo + `/downloads","issues_url":"` + repo + `/issues{/number}",` +
		`"pulls_url":"` + repo + `/pulls{/number}","milestones_url":"` + repo + `/milestones{/number}",` +
		`"notifications_url":"` + repo + `/notifications{?since,all,participating}","labels_url":"` + repo + `/labels{/name}",` +
		`"releases_url":"` + repo + `/releases{/id}","deployments_url":"` + repo + `/deployments"}]}`
	if string(res.body) != want {
		t.Errorf("body\n got %s\nwant %s", res.body, want)
	}
	base := f.url + "/api/v3/orgs/Octo-Org/actions/secrets/chosen/repositories?"
	wantLink := `<` + base + `page=1&per_page=2>; rel="prev", <` + base + `page=1&per_page=2>; rel="first"`
	if got := res.header.Get("Link"); got != wantLink {
		t.Errorf("Link\n got %s\nwant %s", got, wantLink)
	}

	res = f.do(t, "GET", secretPath("CHOSEN")+"/repositories", nil)
	var page struct {
		TotalCount   int `json:"total_count"`
		Repositories []struct {
			ID int64 `json:"id"`
		} `json:"repositories"`
	}
	if err := json.Unmarshal(res.body, &page); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range page.Repositories {
		ids = append(ids, r.ID)
	}
	if page.TotalCount != 3 || !slices.Equal(ids, []int64{api.ID, web.ID, worker.ID}) || res.header.Get("Link") != "" {
		t.Errorf("total %d ids %v Link %q", page.TotalCount, ids, res.header.Get("Link"))
	}
}

func TestSelectedRepositoriesErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api := f.repos[0]
	f.mustPut(t, "CHOSEN", "v", "selected", api.ID)
	f.mustPut(t, "EVERYONE", "v", "all")
	const (
		docsList   = "https://docs.github.com/rest/actions/secrets#list-selected-repositories-for-an-organization-secret"
		docsSet    = "https://docs.github.com/rest/actions/secrets#set-selected-repositories-for-an-organization-secret"
		docsAdd    = "https://docs.github.com/rest/actions/secrets#add-selected-repository-to-an-organization-secret"
		docsRemove = "https://docs.github.com/rest/actions/secrets#remove-selected-repository-from-an-organization-secret"
	)
	setBody := map[string]any{"selected_repository_ids": []int64{api.ID}}
	apiPath := "/repositories/" + strconv.FormatInt(api.ID, 10)
	tests := []struct {
		name, method, path string
		body               any
		status             int
		message, docs      string
	}{
		{"list for visibility all", "GET", secretPath("everyone") + "/repositories", nil, 409, msgNotSelected, docsList},
		{"set for visibility all", "PUT", secretPath("EVERYONE") + "/repositories", setBody, 409, msgNotSelected, docsSet},
		{"add for visibility all", "PUT", secretPath("EVERYONE") + apiPath, nil, 409, msgNotSelected, docsAdd},
		{"remove for visibility all", "DELETE", secretPath("EVERYONE") + apiPath, nil, 409, msgNotSelected, docsRemove},
		{"list for missing secret", "GET", secretPath("NONE") + "/repositories", nil, 404, "Not Found", docsList},
		{"set for missing secret", "PUT", secretPath("NONE") + "/repositories", setBody, 404, "Not Found", docsSet},
		{"add for missing secret", "PUT", secretPath("NONE") + apiPath, nil, 404, "Not Found", docsAdd},
		{"remove for missing secret", "DELETE", secretPath("NONE") + apiPath, nil, 404, "Not Found", docsRemove},
		{"set without the key", "PUT", secretPath("CHOSEN") + "/repositories", map[string]any{}, 422,
			"Invalid request.\n\n\"selected_repository_ids\" wasn't supplied.", docsSet},
		{"set with unparsable JSON", "PUT", secretPath("CHOSEN") + "/repositories", "{", 400, "Problems parsing JSON", docsSet},
		{"set with strings", "PUT", secretPath("CHOSEN") + "/repositories", `{"selected_repository_ids":["1"]}`, 422,
			"Invalid request.\n\nFor 'items', \"1\" is not an integer.", docsSet},
		{"set with unknown repository", "PUT", secretPath("CHOSEN") + "/repositories",
			map[string]any{"selected_repository_ids": []int64{api.ID, 7}}, 422,
			"Repository id 7 is not a repository of the Octo-Org organization.", docsSet},
		{"add unknown repository", "PUT", secretPath("CHOSEN") + "/repositories/7", nil, 422,
			"Repository id 7 is not a repository of the Octo-Org organization.", docsAdd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantError(t, f.do(t, tt.method, tt.path, tt.body), tt.status, tt.message, tt.docs)
		})
	}
	t.Cleanup(func() {
		if info := f.secret(t, "CHOSEN"); !slices.Equal(info.SelectedRepositoryIDs, []int64{api.ID}) ||
			!info.UpdatedAt.Equal(info.CreatedAt) {
			t.Errorf("rejected requests changed the secret: %+v", info)
		}
	})
}

// TestStampsIncreasePerSecret: secrets changed in the same second share it,
// as on GitHub, but one secret's changes always move its updated_at.
func TestStampsIncreasePerSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	base := clockStart.Truncate(time.Second)
	f.mustPut(t, "A", "v", "all")
	f.mustPut(t, "A", "v", "all")
	f.mustPut(t, "B", "v", "all")
	a, b := f.secret(t, "A"), f.secret(t, "B")
	if !a.CreatedAt.Equal(base) || !a.UpdatedAt.Equal(base.Add(time.Second)) || !b.UpdatedAt.Equal(base) {
		t.Errorf("frozen clock: A %v/%v B %v", a.CreatedAt, a.UpdatedAt, b.UpdatedAt)
	}
	// Once the real clock is ahead, it wins again.
	f.clock.Advance(time.Hour)
	f.mustPut(t, "A", "v", "all")
	if got := f.secret(t, "A").UpdatedAt; !got.Equal(base.Add(time.Hour)) {
		t.Errorf("after advancing: %v", got)
	}
	res := f.do(t, "GET", secretPath("A"), nil)
	if !strings.Contains(string(res.body), `"updated_at":"2026-01-02T04:04:05Z"`) {
		t.Errorf("body %s", res.body)
	}
}

func TestOutOfBandHelpers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api, web := f.repos[0], f.repos[1]
	base := clockStart.Truncate(time.Second)

	f.fake.PutSecretOutOfBand(testOrg, "drift", []byte("ui"), "selected", []int64{web.ID, api.ID})
	info := f.secret(t, "DRIFT")
	if info.Name != "DRIFT" || !info.CreatedAt.Equal(base) || !info.UpdatedAt.Equal(base) ||
		!slices.Equal(info.SelectedRepositoryIDs, []int64{api.ID, web.ID}) {
		t.Errorf("after create: %+v", info)
	}
	if v, _ := f.fake.SecretValue(testOrg, "drift"); string(v) != "ui" {
		t.Errorf("value %q", v)
	}

	// Same second: the timestamp still moves.
	f.fake.SetSelectedRepositoriesOutOfBand(testOrg, "Drift", []int64{api.ID})
	if info := f.secret(t, "DRIFT"); !info.UpdatedAt.Equal(base.Add(time.Second)) || !slices.Equal(info.SelectedRepositoryIDs, []int64{api.ID}) {
		t.Errorf("after set: %+v", info)
	}
	f.fake.SetSelectedRepositoriesOutOfBand(testOrg, "DRIFT", []int64{api.ID})
	if info := f.secret(t, "DRIFT"); !info.UpdatedAt.Equal(base.Add(time.Second)) {
		t.Errorf("unchanged set bumped updated_at: %+v", info)
	}
	res := f.do(t, "GET", secretPath("DRIFT"), nil)
	if !strings.Contains(string(res.body), `"updated_at":"2026-01-02T03:04:06Z"`) {
		t.Errorf("body %s", res.body)
	}

	f.fake.PutSecretOutOfBand(testOrg, "DRIFT", []byte("ui2"), "private", []int64{api.ID})
	info = f.secret(t, "DRIFT")
	if info.Visibility != "private" || info.SelectedRepositoryIDs != nil || !info.UpdatedAt.Equal(base.Add(2*time.Second)) ||
		!info.CreatedAt.Equal(base) {
		t.Errorf("after update: %+v", info)
	}
	keyID, _ := f.fake.PublicKey(testOrg)
	if info.KeyID != keyID {
		t.Errorf("KeyID %q, want %q", info.KeyID, keyID)
	}

	f.fake.DeleteSecretOutOfBand(testOrg, "drift")
	wantStatus(t, f.do(t, "GET", secretPath("DRIFT"), nil), http.StatusNotFound)
	f.fake.DeleteSecretOutOfBand(testOrg, "drift") // missing is fine
}

// TestRestoreSecret: a snapshot's secret comes back with its own timestamps,
// list and value, and answers like any other.
func TestRestoreSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	api := f.repos[0]
	created := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	f.fake.RestoreSecret(testOrg, SecretInfo{Name: "snap", Visibility: "selected", CreatedAt: created,
		UpdatedAt: created.Add(time.Minute), SelectedRepositoryIDs: []int64{api.ID}}, []byte("restored"))
	info := f.secret(t, "SNAP")
	keyID, _ := f.fake.PublicKey(testOrg)
	if info.Name != "SNAP" || !info.CreatedAt.Equal(created) || !info.UpdatedAt.Equal(created.Add(time.Minute)) ||
		!slices.Equal(info.SelectedRepositoryIDs, []int64{api.ID}) || info.KeyID != keyID {
		t.Errorf("restored: %+v", info)
	}
	if v, _ := f.fake.SecretValue(testOrg, "snap"); string(v) != "restored" {
		t.Errorf("value %q", v)
	}
	res := f.do(t, "GET", secretPath("SNAP"), nil)
	if !strings.Contains(string(res.body), `"updated_at":"2025-05-06T07:09:09Z"`) {
		t.Errorf("body %s", res.body)
	}
	// The next change moves updated_at on from the restored one.
	f.fake.SetSelectedRepositoriesOutOfBand(testOrg, "SNAP", nil)
	if info := f.secret(t, "SNAP"); !info.UpdatedAt.Equal(clockStart.Truncate(time.Second)) {
		t.Errorf("after a change: %+v", info)
	}
}

func TestHelpersPanicOnMisuse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.PutSecretOutOfBand(testOrg, "EVERYONE", []byte("v"), "all", nil)
	tests := map[string]func(){
		"unknown org":               func() { f.fake.PutSecretOutOfBand("nobody", "X", nil, "all", nil) },
		"bad name":                  func() { f.fake.PutSecretOutOfBand(testOrg, "GITHUB_X", nil, "all", nil) },
		"bad visibility":            func() { f.fake.PutSecretOutOfBand(testOrg, "X", nil, "public", nil) },
		"unknown repository":        func() { f.fake.PutSecretOutOfBand(testOrg, "X", nil, "selected", []int64{1}) },
		"set on missing secret":     func() { f.fake.SetSelectedRepositoriesOutOfBand(testOrg, "NONE", nil) },
		"set on non-selected":       func() { f.fake.SetSelectedRepositoriesOutOfBand(testOrg, "EVERYONE", nil) },
		"public key of unknown org": func() { f.fake.PublicKey("nobody") },
		"restore without timestamps": func() {
			f.fake.RestoreSecret(testOrg, SecretInfo{Name: "R", Visibility: "all"}, nil)
		},
		"restore updated before created": func() {
			f.fake.RestoreSecret(testOrg, SecretInfo{Name: "R", Visibility: "all", CreatedAt: clockStart, UpdatedAt: clockStart.Add(-time.Hour)}, nil)
		},
		"missing token": func() { New(Options{}) },
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			fn()
		})
	}
}

func TestRepositoriesAndOrgs(t *testing.T) {
	t.Parallel()
	s := New(Options{Token: testToken, Orgs: []string{"First"}})
	a := s.AddRepository("first", "api")
	b := s.AddRepository("Second", "web") // creates the org
	again := s.AddRepository("FIRST", "API")
	if a != (Repository{ID: 1296269, Name: "api", FullName: "First/api"}) || b.ID != 1296270 || b.FullName != "Second/web" || again != a {
		t.Errorf("a %+v b %+v again %+v", a, b, again)
	}
	c := s.AddRepository("first", "zeta")
	if got := s.Repositories("FIRST"); !slices.Equal(got, []Repository{a, c}) {
		t.Errorf("Repositories %+v", got)
	}
	if s.Repositories("nobody") != nil || s.Secrets("nobody") != nil {
		t.Error("unknown org should have no repositories or secrets")
	}
	if _, ok := s.Secret("nobody", "X"); ok {
		t.Error("secret in unknown org")
	}
	s.AddOrg("first") // same org, other case: no new key
	k1, _ := s.PublicKey("First")
	s.AddOrg("FIRST")
	if k2, _ := s.PublicKey("first"); k1 != k2 {
		t.Error("re-adding an org replaced its key")
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.ResetRequests()
	f.do(t, "GET", "/api/v3/orgs/Octo-Org/actions/secrets?per_page=1", nil)
	f.do(t, "PUT", "/orgs/Octo-Org/actions/secrets/bad-name", map[string]any{})
	f.doAuth(t, "DELETE", "/api/v3/orgs/Octo-Org/actions/secrets/X", nil, "")
	f.do(t, "PATCH", "/orgs/Octo-Org/actions/secrets/X", nil)

	want := []Request{
		{Method: "GET", Path: "/orgs/Octo-Org/actions/secrets", Query: "per_page=1", Status: 200},
		{Method: "PUT", Path: "/orgs/Octo-Org/actions/secrets/bad-name", Status: 422},
		{Method: "DELETE", Path: "/orgs/Octo-Org/actions/secrets/X", Status: 401},
		{Method: "PATCH", Path: "/orgs/Octo-Org/actions/secrets/X", Status: 404},
	}
	got := f.fake.Requests()
	if !slices.Equal(got, want) {
		t.Errorf("Requests\n got %+v\nwant %+v", got, want)
	}
	got[0].Method = "changed"
	if f.fake.Requests()[0].Method != "GET" {
		t.Error("Requests returned the server's own slice")
	}
	if n := f.fake.CountRequests(""); n != 4 {
		t.Errorf("CountRequests(\"\") = %d", n)
	}
	if n := f.fake.CountRequests("GET"); n != 1 {
		t.Errorf("CountRequests(GET) = %d", n)
	}
	if n := f.fake.CountWrites(); n != 3 {
		t.Errorf("CountWrites = %d", n)
	}
	f.fake.ResetRequests()
	if n := f.fake.CountRequests(""); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// t.Fatal may not be called off the test goroutine, so requests here
	// report through t.Error.
	send := func(method, path string, body any) int {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, f.url+path, bytes.NewReader(raw))
		req.Header.Set("Authorization", "token "+testToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("C%d", i)
			enc, keyID := f.fake.Seal(testOrg, []byte("v"))
			body := map[string]any{"encrypted_value": enc, "key_id": keyID, "visibility": "selected",
				"selected_repository_ids": []int64{f.repos[i%3].ID}}
			if status := send("PUT", secretPath(name), body); status != http.StatusCreated {
				t.Errorf("PUT %s: %d", name, status)
			}
			if status := send("GET", secretPath(name)+"/repositories", nil); status != http.StatusOK {
				t.Errorf("GET %s repositories: %d", name, status)
			}
			f.fake.SetSelectedRepositoriesOutOfBand(testOrg, name, nil)
			f.fake.Secrets(testOrg)
		})
	}
	wg.Wait()
	infos := f.fake.Secrets(testOrg)
	if len(infos) != 8 {
		t.Errorf("%d secrets, want 8", len(infos))
	}
	for _, info := range infos {
		// Created, then its list emptied: two changes, two stamps.
		if !info.UpdatedAt.After(info.CreatedAt) {
			t.Errorf("secret %s: updated_at %v not after created_at %v", info.Name, info.UpdatedAt, info.CreatedAt)
		}
	}
}
