package apispec

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const (
	testToken = "ghp_apispecTestToken000000000000000000"
	testOrg   = "octo-org"
)

func newValidator(t *testing.T) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

func TestDocument(t *testing.T) {
	t.Parallel()
	doc, err := Document()
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	// Every kind and scope of the family, and the reads it depends on.
	for _, p := range []string{
		"/orgs/{org}/actions/secrets",
		"/orgs/{org}/actions/secrets/public-key",
		"/orgs/{org}/actions/secrets/{secret_name}",
		"/orgs/{org}/actions/secrets/{secret_name}/repositories",
		"/orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}",
		"/orgs/{org}/dependabot/secrets/{secret_name}",
		"/orgs/{org}/codespaces/secrets/{secret_name}",
		"/orgs/{org}/agents/secrets/{secret_name}",
		"/repos/{owner}/{repo}/actions/secrets/{secret_name}",
		"/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}",
		"/orgs/{org}/repos",
		"/repos/{owner}/{repo}",
		"/repos/{owner}/{repo}/environments/{environment_name}",
	} {
		if doc.Paths.Value(p) == nil {
			t.Errorf("path %s is not described", p)
		}
	}
	if doc.Paths.Value("/app/installations/{installation_id}/access_tokens") != nil {
		t.Error("the token exchange is described; TestUnspecifiedTrafficIsCountedNotFailed relies on it not being")
	}
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	if got := strings.Join(urls, " "); got != "/ /api/v3" {
		t.Errorf("servers = %q, want %q", got, "/ /api/v3")
	}
	if MustLoad() != doc {
		t.Error("MustLoad returned another document than Document")
	}
}

// call sends one request to srv and returns the status.
func call(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) int {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Accept", "application/vnd.github+json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestFakeConforms(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			t.Parallel()
			fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}})
			web := fake.AddRepository(testOrg, "web")
			api := fake.AddRepository(testOrg, "api")
			fake.PutSecretOutOfBand(testOrg, "EXISTING", []byte("x"), "all", nil)
			fake.AddEnvironment(testOrg, "api", "staging/eu")
			v := newValidator(t)
			srv := httptest.NewServer(v.Middleware(fake))
			t.Cleanup(srv.Close)

			sealed, keyID := fake.Seal(testOrg, []byte("value"))
			base := prefix + "/orgs/" + testOrg + "/actions/secrets"
			put := `{"encrypted_value":"` + sealed + `","key_id":"` + keyID + `","visibility":"selected","selected_repository_ids":[` + itoa(web.ID) + `]}`
			repo := prefix + "/repos/" + testOrg + "/api"
			steps := []step{
				{"GET", base + "/public-key", "", 200},
				{"PUT", base + "/NEW_SECRET", put, 201},
				{"PUT", base + "/NEW_SECRET", put, 204},
				{"GET", base + "/NEW_SECRET", "", 200},
				{"GET", base + "/EXISTING", "", 200},
				{"GET", base + "?per_page=1", "", 200},
				{"GET", base + "?per_page=1&page=2", "", 200},
				{"GET", base + "/NEW_SECRET/repositories?per_page=100", "", 200},
				{"PUT", base + "/NEW_SECRET/repositories", `{"selected_repository_ids":[` + itoa(api.ID) + `]}`, 204},
				{"PUT", base + "/NEW_SECRET/repositories/" + itoa(web.ID), "", 204},
				{"DELETE", base + "/NEW_SECRET/repositories/" + itoa(api.ID), "", 204},
				{"PUT", base + "/EXISTING/repositories/" + itoa(web.ID), "", 409}, // listed: checked
				{"DELETE", base + "/NEW_SECRET", "", 204},
				{"GET", prefix + "/orgs/" + testOrg + "/repos", "", 200},
				{"GET", prefix + "/orgs/" + testOrg + "/repos?type=private&sort=full_name&per_page=1", "", 200},
				{"GET", repo, "", 200},
				{"GET", prefix + "/repos/" + testOrg + "/missing", "", 404}, // listed: checked
				{"GET", repo + "/environments", "", 200},
				{"GET", repo + "/environments/staging%2Feu", "", 200},
			}
			// A repository's and an environment's secrets: the value alone.
			steps = append(steps, scopeSteps(repo+"/dependabot/secrets", fake.Repo("dependabot", testOrg, "api"))...)
			steps = append(steps, scopeSteps(repo+"/environments/staging%2Feu/secrets", fake.Env(testOrg, "api", "staging/eu"))...)
			for _, s := range steps {
				if got := call(t, srv, s.method, s.path, s.body); got != s.want {
					t.Fatalf("%s %s = %d, want %d", s.method, s.path, got, s.want)
				}
			}
			if f := v.Failures(); len(f) > 0 {
				t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
			}
			if got, want := v.Checked(), 2*len(steps); got != want {
				t.Errorf("Checked = %d, want %d", got, want)
			}
			if got := v.Unspecified(); got != 0 {
				t.Errorf("Unspecified = %d, want 0", got)
			}
		})
	}
}

type step struct {
	method, path, body string
	want               int
}

// scopeSteps are a secret's life in the repository or environment scope
// whose secrets are at base.
func scopeSteps(base string, sc fakegithub.ScopeSecrets) []step {
	sealed, keyID := sc.Seal([]byte("value"))
	put := `{"encrypted_value":"` + sealed + `","key_id":"` + keyID + `"}`
	return []step{
		{"GET", base + "/public-key", "", 200},
		{"PUT", base + "/SCOPED", put, 201},
		{"PUT", base + "/SCOPED", put, 204},
		{"GET", base + "/SCOPED", "", 200},
		{"GET", base + "?per_page=1", "", 200},
		{"DELETE", base + "/SCOPED", "", 204},
	}
}

func TestUnspecifiedTrafficIsCountedNotFailed(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}})
	fake.AddRepository(testOrg, "web")
	v := newValidator(t)
	srv := httptest.NewServer(v.Middleware(fake))
	t.Cleanup(srv.Close)

	base := "/orgs/" + testOrg + "/actions/secrets"
	tests := []struct {
		name, method, path string
		header             []string
		want               int
		unspecified        int // messages not covered: 2 for an undescribed path, 1 for an unlisted status
	}{
		{"installation token", "POST", "/app/installations/1/access_tokens", nil, 401, 2},
		{"missing secret", "GET", base + "/MISSING", nil, 404, 1},
		{"unknown org", "GET", "/orgs/nobody/actions/secrets", nil, 404, 1},
		{"bad token", "GET", base, []string{"Authorization", "Bearer wrong"}, 401, 1},
		{"not modified", "GET", base + "/public-key", []string{"If-None-Match", "*"}, 304, 1},
	}
	for _, tt := range tests {
		before := v.Unspecified()
		if got := call(t, srv, tt.method, tt.path, "", tt.header...); got != tt.want {
			t.Fatalf("%s: status %d, want %d", tt.name, got, tt.want)
		}
		if got := v.Unspecified() - before; got != tt.unspecified {
			t.Errorf("%s: %d more unspecified, want %d", tt.name, got, tt.unspecified)
		}
	}
	if f := v.Failures(); len(f) > 0 {
		t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
	}
}

func TestFaultsPassThrough(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		faults  fakegithub.Faults
		dropped bool // no answer at all, else a 5xx
	}{
		{"server error", fakegithub.Faults{ServerErrorRate: 1, Seed: 1}, false},
		{"dropped connection", fakegithub.Faults{DropRate: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}, Faults: tt.faults})
			v := newValidator(t)
			srv := httptest.NewServer(v.Middleware(fake))
			t.Cleanup(srv.Close)

			req, err := http.NewRequest(http.MethodGet, srv.URL+"/orgs/"+testOrg+"/actions/secrets", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := srv.Client().Do(req)
			switch {
			case tt.dropped && err == nil:
				resp.Body.Close()
				t.Fatalf("got %d, want the connection dropped", resp.StatusCode)
			case !tt.dropped && err != nil:
				t.Fatal(err)
			case err == nil:
				resp.Body.Close()
				if resp.StatusCode < 500 {
					t.Fatalf("status %d, want a server error", resp.StatusCode)
				}
			}
			if f := v.Failures(); len(f) > 0 {
				t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
			}
			// The request is checked; the answer (a 5xx, or none) is not described.
			// A dropped connection reaches the client before the handler
			// returns and the middleware counts it: wait for that.
			for deadline := time.Now().Add(5 * time.Second); v.Unspecified() == 0 && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			if v.Checked() != 1 || v.Unspecified() != 1 {
				t.Errorf("Checked = %d, Unspecified = %d, want 1 and 1", v.Checked(), v.Unspecified())
			}
		})
	}
}

// roundTripFunc serves a Transport without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWrongTrafficFails(t *testing.T) {
	t.Parallel()
	const (
		secretPath = "/orgs/octo-org/actions/secrets/DEPLOY"
		listPath   = "/orgs/octo-org/actions/secrets"
		goodSecret = `{"name":"DEPLOY","created_at":"2024-01-10T20:29:14Z","updated_at":"2024-01-10T20:29:14Z","visibility":"all"}`
		// A value that fails the pattern; no failure may quote it.
		badCiphertext = "c2VjcmV0IHZhbHVl!!"
	)
	tests := []struct {
		name           string
		method, path   string
		reqBody        string
		status         int
		respBody       string
		wantInFailures []string
	}{
		{
			name: "put without visibility", method: "PUT", path: secretPath,
			reqBody: `{"encrypted_value":"c2VjcmV0","key_id":"1"}`, status: 204,
			wantInFailures: []string{"PUT " + secretPath + ": request: body", `"visibility"`},
		},
		{
			name: "encrypted_value not base64", method: "PUT", path: secretPath,
			reqBody: `{"encrypted_value":"` + badCiphertext + `","key_id":"1","visibility":"all"}`, status: 204,
			wantInFailures: []string{"/encrypted_value", "regular expression"},
		},
		{
			name: "put with unknown visibility", method: "PUT", path: secretPath,
			reqBody: `{"encrypted_value":"c2VjcmV0","key_id":"1","visibility":"public"}`, status: 204,
			wantInFailures: []string{"/visibility"},
		},
		{
			name: "repository ids as strings", method: "PUT", path: secretPath + "/repositories",
			reqBody: `{"selected_repository_ids":["1296269"]}`, status: 204,
			wantInFailures: []string{"/selected_repository_ids/0"},
		},
		{
			name: "put without body", method: "PUT", path: secretPath, status: 204,
			wantInFailures: []string{"request: body: value is required but missing"},
		},
		{
			name: "per_page not an integer", method: "GET", path: listPath + "?per_page=many",
			status: 200, respBody: `{"total_count":0,"secrets":[]}`,
			wantInFailures: []string{`query parameter "per_page"`},
		},
		{
			name: "repository id not an integer", method: "PUT", path: secretPath + "/repositories/web", status: 204,
			wantInFailures: []string{`path parameter "repository_id"`},
		},
		{
			name: "visibility everyone", method: "GET", path: secretPath, status: 200,
			respBody:       strings.Replace(goodSecret, `"all"`, `"everyone"`, 1),
			wantInFailures: []string{"GET " + secretPath + ": 200 response", "/visibility", "allowed values"},
		},
		{
			name: "list without total_count", method: "GET", path: listPath, status: 200,
			respBody:       `{"secrets":[` + goodSecret + `]}`,
			wantInFailures: []string{`"total_count"`},
		},
		{
			name: "total_count as string", method: "GET", path: listPath, status: 200,
			respBody:       `{"total_count":"1","secrets":[` + goodSecret + `]}`,
			wantInFailures: []string{"/total_count", "integer"},
		},
		{
			name: "secret without updated_at", method: "GET", path: listPath, status: 200,
			respBody:       `{"total_count":1,"secrets":[{"name":"DEPLOY","created_at":"2024-01-10T20:29:14Z","visibility":"all"}]}`,
			wantInFailures: []string{"/secrets/0", `"updated_at"`},
		},
		{
			name: "created_at not a date-time", method: "GET", path: secretPath, status: 200,
			respBody:       strings.Replace(goodSecret, `"created_at":"2024-01-10T20:29:14Z"`, `"created_at":"yesterday"`, 1),
			wantInFailures: []string{"/created_at"},
		},
		{
			name: "public key without key", method: "GET", path: listPath + "/public-key", status: 200,
			respBody:       `{"key_id":"1"}`,
			wantInFailures: []string{`"key"`},
		},
		{
			name: "create answered with a non-empty object", method: "PUT", path: secretPath,
			reqBody: `{"encrypted_value":"c2VjcmV0","key_id":"1","visibility":"all"}`, status: 201,
			respBody:       `{"name":"DEPLOY"}`,
			wantInFailures: []string{"201 response"},
		},
		{
			// The shape the fake served before it followed GitHub's
			// minimal-repository: no *_url templates, a short owner.
			name: "repository without its URLs", method: "GET", path: secretPath + "/repositories", status: 200,
			respBody: `{"total_count":1,"repositories":[{"id":1296269,"node_id":"MDEwOlJlcG9zaXRvcnkxMjk2MjY5","name":"web",` +
				`"full_name":"octo-org/web","private":false,"owner":{"login":"octo-org","id":9919,"node_id":"MDEyOk9yZ2FuaXphdGlvbjk5MTk=",` +
				`"url":"https://api.github.com/users/octo-org","html_url":"https://github.com/octo-org","type":"Organization","site_admin":false},` +
				`"html_url":"https://github.com/octo-org/web","description":null,"fork":false,"url":"https://api.github.com/repos/octo-org/web"}]}`,
			wantInFailures: []string{"/repositories/0/branches_url", "/repositories/0/owner/avatar_url"},
		},
		{
			name: "not json", method: "GET", path: secretPath, status: 200,
			respBody:       `<html>login</html>`,
			wantInFailures: []string{"200 response"},
		},
	}
	for _, tt := range tests {
		for _, side := range []string{"middleware", "transport"} {
			t.Run(tt.name+"/"+side, func(t *testing.T) {
				t.Parallel()
				v := newValidator(t)
				respond := func(w http.ResponseWriter) {
					if tt.respBody != "" {
						w.Header().Set("Content-Type", "application/json; charset=utf-8")
					}
					w.WriteHeader(tt.status)
					_, _ = io.WriteString(w, tt.respBody)
				}
				var body io.Reader
				if tt.reqBody != "" {
					body = strings.NewReader(tt.reqBody)
				}
				req := httptest.NewRequest(tt.method, "http://127.0.0.1"+tt.path, body)
				if tt.reqBody != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				var gotStatus int
				var gotBody string
				switch side {
				case "middleware":
					rec := httptest.NewRecorder()
					v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { respond(w) })).ServeHTTP(rec, req)
					gotStatus, gotBody = rec.Code, rec.Body.String()
				case "transport":
					req.RequestURI = ""
					rt := v.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) {
						rec := httptest.NewRecorder()
						respond(rec)
						return rec.Result(), nil
					}))
					resp, err := rt.RoundTrip(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					gotStatus, gotBody = resp.StatusCode, string(b)
				}
				if gotStatus != tt.status || gotBody != tt.respBody {
					t.Errorf("traffic changed: got %d %q, want %d %q", gotStatus, gotBody, tt.status, tt.respBody)
				}
				failures := v.Failures()
				if len(failures) != 1 {
					t.Fatalf("got %d failures, want 1:\n%s", len(failures), strings.Join(failures, "\n"))
				}
				for _, want := range tt.wantInFailures {
					if !strings.Contains(failures[0], want) {
						t.Errorf("failure %q does not mention %q", failures[0], want)
					}
				}
				if strings.Contains(failures[0], badCiphertext) {
					t.Errorf("failure %q quotes the request body", failures[0])
				}
				if v.Checked() != 2 {
					t.Errorf("Checked = %d, want 2", v.Checked())
				}
			})
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
