package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// newCheckedFixture is a fixture whose traffic is checked against GitHub's
// API description: a request or answer it refuses fails the test at its end.
// Requests the description refuses on purpose belong to a plain fixture.
func newCheckedFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	v, err := apispec.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if failures := v.Failures(); len(failures) > 0 {
			t.Errorf("traffic the API description refuses:\n%s", strings.Join(failures, "\n"))
		}
	})
	return startFixture(t, opts, v.Middleware)
}

// repoSecretsPath is the path of repo's secrets of kind in the test org.
func repoSecretsPath(kind, repo string) string {
	return "/repos/" + testOrg + "/" + repo + "/" + kind + "/secrets"
}

// sealedBody is a secret write of plaintext sealed for the key at keyPath.
func (f *fixture) sealedBody(t *testing.T, keyPath, plaintext string) map[string]any {
	t.Helper()
	enc, keyID := f.sealAt(t, keyPath, plaintext)
	return map[string]any{"encrypted_value": enc, "key_id": keyID}
}

// listedSecrets decodes a secret list, insisting on the repository and
// environment shape: no visibility.
func listedSecrets(t *testing.T, res response) (total int, secrets []map[string]any) {
	t.Helper()
	list := decodeOK[struct {
		TotalCount int              `json:"total_count"`
		Secrets    []map[string]any `json:"secrets"`
	}](t, res)
	for _, sec := range list.Secrets {
		wantSecretShape(t, sec)
	}
	return list.TotalCount, list.Secrets
}

// wantSecretShape: a repository or environment secret is its name and times.
func wantSecretShape(t *testing.T, sec map[string]any) {
	t.Helper()
	if len(sec) != 3 || sec["name"] == nil || sec["created_at"] == nil || sec["updated_at"] == nil {
		t.Errorf("secret %v, want name, created_at and updated_at alone", sec)
	}
}

// TestRepoSecretsLifecycle: every kind of repository secret is created (201),
// read, listed, updated (204, updated_at moving) and deleted, with its own
// key, in the shape the description gives.
func TestRepoSecretsLifecycle(t *testing.T) {
	t.Parallel()
	for _, kind := range allKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			base := repoSecretsPath(kind, "API") // names in any case
			keyPath := base + "/public-key"
			orgKey, _ := f.fake.Kind(kind).PublicKey(testOrg)
			if keyID, _ := f.fake.Repo(kind, testOrg, "api").PublicKey(); keyID == orgKey {
				t.Fatal("the repository shares the organization's key")
			}

			wantStatus(t, f.do(t, "PUT", base+"/deploy_key", f.sealedBody(t, keyPath, "one")), http.StatusCreated)
			created := f.clock.Now().UTC().Truncate(time.Second)
			got := decodeOK[map[string]any](t, f.do(t, "GET", base+"/DEPLOY_KEY", nil))
			wantSecretShape(t, got)
			if got["name"] != "DEPLOY_KEY" || got["created_at"] != formatTime(created) || got["updated_at"] != formatTime(created) {
				t.Errorf("secret %v", got)
			}

			f.clock.Advance(time.Minute)
			wantStatus(t, f.do(t, "PUT", base+"/DEPLOY_KEY", f.sealedBody(t, keyPath, "two")), http.StatusNoContent)
			wantStatus(t, f.do(t, "PUT", base+"/OTHER", f.sealedBody(t, keyPath, "x")), http.StatusCreated)
			f.clock.Advance(time.Minute)
			wantStatus(t, f.do(t, "DELETE", base+"/OTHER", nil), http.StatusNoContent)
			info, ok := f.fake.Repo(kind, testOrg, "api").Secret("deploy_key")
			if !ok || !info.CreatedAt.Equal(created) || !info.UpdatedAt.Equal(created.Add(time.Minute)) || info.Visibility != "" {
				t.Errorf("after an update and another secret's life: %+v, %v", info, ok)
			}
			if v, _ := f.fake.Repo(kind, testOrg, "api").SecretValue("DEPLOY_KEY"); string(v) != "two" {
				t.Errorf("value %q, want the update's", v)
			}
			total, secrets := listedSecrets(t, f.do(t, "GET", base, nil))
			if total != 1 || len(secrets) != 1 || secrets[0]["name"] != "DEPLOY_KEY" {
				t.Errorf("list: %d %v", total, secrets)
			}
			if n := len(f.fake.Kind(kind).Secrets(testOrg)) + len(f.fake.Repo(kind, testOrg, "web").Secrets()); n != 0 {
				t.Errorf("%d secrets of the organization or another repository", n)
			}

			wantStatus(t, f.do(t, "DELETE", base+"/deploy_KEY", nil), http.StatusNoContent)
			wantStatus(t, f.do(t, "GET", base+"/DEPLOY_KEY", nil), http.StatusNotFound)
			wantStatus(t, f.do(t, "DELETE", base+"/DEPLOY_KEY", nil), http.StatusNotFound)
		})
	}
}

// TestRepoSecretsPaginate: a repository's list pages as the organization's.
func TestRepoSecretsPaginate(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	repo := f.fake.Repo("dependabot", testOrg, "web")
	for _, name := range []string{"A", "B", "C"} {
		repo.PutSecretOutOfBand(name, []byte(name))
	}
	base := repoSecretsPath("dependabot", "web")
	res := f.do(t, "GET", base+"?per_page=2&page=2", nil)
	total, secrets := listedSecrets(t, res)
	if total != 3 || len(secrets) != 1 || secrets[0]["name"] != "C" {
		t.Errorf("page 2: %d %v", total, secrets)
	}
	if link := res.header.Get("Link"); !strings.Contains(link, `rel="prev"`) || !strings.Contains(link, base+"?page=1") {
		t.Errorf("Link %q", link)
	}
}

// TestRepoSecretRefusesOtherKeys: a repository secret's value must be sealed
// for that repository's key of that kind; the organization's key, another
// repository's and another kind's are refused.
func TestRepoSecretRefusesOtherKeys(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	target := repoSecretsPath("actions", "api") + "/X"
	for name, keyPath := range map[string]string{
		"organization's":       "/orgs/" + testOrg + "/actions/secrets/public-key",
		"another repository's": repoSecretsPath("actions", "web") + "/public-key",
		"another kind's":       repoSecretsPath("dependabot", "api") + "/public-key",
	} {
		res := f.do(t, "PUT", target, f.sealedBody(t, keyPath, "v"))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.apiError(t).Message, "Bad key_id") ||
			!strings.Contains(res.apiError(t).Message, "repository's actions secrets") {
			t.Errorf("sealed for the %s key: %d %s, want 422 Bad key_id", name, res.status, res.body)
		}
	}
	if n := len(f.fake.Repo("actions", testOrg, "api").Secrets()); n != 0 {
		t.Errorf("%d secrets stored from refused writes", n)
	}
}

// TestRepoSecretWriteRules: the organization's name rules and body checks,
// without a visibility: a repository secret has none.
func TestRepoSecretWriteRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	base := repoSecretsPath("codespaces", "worker")
	keyPath := base + "/public-key"
	docs := "https://docs.github.com/rest/codespaces/repository-secrets#create-or-update-a-repository-secret"
	tests := []struct {
		name, secret string
		body         func() any
		message      string
	}{
		{"bad characters", "MY-SECRET", func() any { return f.sealedBody(t, keyPath, "v") }, msgNameChars},
		{"GITHUB_ prefix", "github_token", func() any { return f.sealedBody(t, keyPath, "v") }, msgNamePrefix},
		{"no key_id", "OK", func() any { return map[string]any{"encrypted_value": "c2VjcmV0"} }, msgInvalidPrefix + `"key_id" wasn't supplied.`},
		{"nothing", "OK", func() any { return map[string]any{} }, msgInvalidPrefix + `"encrypted_value", "key_id" weren't supplied.`},
		{"not base64", "OK", func() any {
			b := f.sealedBody(t, keyPath, "v")
			b["encrypted_value"] = "!!"
			return b
		}, msgInvalidPrefix + "For 'properties/encrypted_value', the value does not match /" + encryptedValuePattern.String() + "/."},
	}
	for _, tt := range tests {
		wantError(t, f.do(t, "PUT", base+"/"+tt.secret, tt.body()), http.StatusUnprocessableEntity, tt.message, docs)
	}
	// A visibility is no part of a repository secret: it is not asked for,
	// and one sent is no visibility of the secret.
	body := f.sealedBody(t, keyPath, "v")
	body["visibility"] = "selected"
	wantStatus(t, f.do(t, "PUT", base+"/OK", body), http.StatusCreated)
	if info, _ := f.fake.Repo("codespaces", testOrg, "worker").Secret("OK"); info.Visibility != "" || info.SelectedRepositoryIDs != nil {
		t.Errorf("repository secret %+v has a visibility", info)
	}
}

// TestRepoSecretsLimit: a repository keeps up to 100 secrets of a kind.
func TestRepoSecretsLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	repo := f.fake.Repo("agents", testOrg, "api")
	for i := range 100 {
		repo.PutSecretOutOfBand(fmt.Sprintf("S%03d", i), []byte("v"))
	}
	base := repoSecretsPath("agents", "api")
	res := f.do(t, "PUT", base+"/ONE_MORE", f.sealedBody(t, base+"/public-key", "v"))
	if res.status != http.StatusUnprocessableEntity || res.apiError(t).Message != repoHolder.full {
		t.Errorf("101st secret: %d %s", res.status, res.body)
	}
	wantStatus(t, f.do(t, "PUT", base+"/S000", f.sealedBody(t, base+"/public-key", "v2")), http.StatusNoContent)
	wantStatus(t, f.do(t, "PUT", repoSecretsPath("actions", "api")+"/ONE_MORE",
		f.sealedBody(t, repoSecretsPath("actions", "api")+"/public-key", "v")), http.StatusCreated)
}

// TestRepoScopeNotFound: every endpoint of a repository that does not exist,
// or of an owner that does not, answers 404.
func TestRepoScopeNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.Repo("actions", testOrg, "api").PutSecretOutOfBand("THERE", []byte("v"))
	body := f.sealedBody(t, repoSecretsPath("actions", "api")+"/public-key", "v")
	for _, base := range []string{repoSecretsPath("actions", "nope"), "/repos/nobody/api/actions/secrets"} {
		for _, req := range []struct{ method, path string }{
			{"GET", base}, {"GET", base + "/public-key"}, {"GET", base + "/THERE"}, {"DELETE", base + "/THERE"}, {"PUT", base + "/THERE"},
		} {
			var b any
			if req.method == "PUT" {
				b = body
			}
			if res := f.do(t, req.method, req.path, b); res.status != http.StatusNotFound || res.apiError(t).Message != "Not Found" {
				t.Errorf("%s %s: %d %s", req.method, req.path, res.status, res.body)
			}
		}
	}
}

// TestRepoSecretsOnGHES: GitHub Enterprise Server has repository Actions and
// Dependabot secrets, not Codespaces or agents ones, as for organizations.
func TestRepoSecretsOnGHES(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{GHES: true})
	for _, kind := range allKinds {
		want := http.StatusNotFound
		if kinds[kind].onGHES {
			want = http.StatusOK
		}
		for _, path := range []string{repoSecretsPath(kind, "api"), repoSecretsPath(kind, "api") + "/public-key"} {
			if res := f.do(t, "GET", "/api/v3"+path, nil); res.status != want {
				t.Errorf("GHES %s: %d, want %d", path, res.status, want)
			}
		}
	}
}

// TestKindsTableFollowsDescriptions: the fake's kinds table says what
// GitHub's descriptions say, endpoint by endpoint: which kinds GHES 3.19
// has, and which endpoints GitHub App installation tokens may call.
func TestKindsTableFollowsDescriptions(t *testing.T) {
	t.Parallel()
	doc := apispec.MustLoad()
	for _, rt := range routes.Table {
		kind, verb, _ := strings.Cut(rt.Operation, "/")
		if _, ok := kinds[kind]; !ok {
			continue
		}
		if got, want := kinds[kind].onGHES, apispec.OnGHES(rt.Method, rt.Template); got != want {
			t.Errorf("%s: on GHES %v in the kinds table, %v in GHES 3.19's description", rt.Key(), got, want)
		}
		op := doc.Paths.Value(rt.Template).GetOperation(rt.Method)
		xgh, _ := op.Extensions["x-github"].(map[string]any)
		want, ok := xgh["enabledForGitHubApps"].(bool)
		if !ok {
			t.Errorf("%s: no enabledForGitHubApps in the description", rt.Key())
			continue
		}
		if got := appsMay(kind, verb, !strings.Contains(rt.Template, "{repo}")); got != want {
			t.Errorf("%s: open to Apps %v in the fake, %v in the description", rt.Key(), got, want)
		}
	}
}

// TestRepoSecretsForApps: an installation token may manage every kind of
// repository secret but may not read the Codespaces repository key, as the
// description says.
func TestRepoSecretsForApps(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	tok := f.issueToken(t)
	for _, kind := range allKinds {
		if res := f.doAuth(t, "GET", repoSecretsPath(kind, "api"), nil, "Bearer "+tok.Token); res.status != http.StatusOK {
			t.Errorf("%s list: %d", kind, res.status)
		}
		want := http.StatusOK
		if kind == "codespaces" {
			want = http.StatusForbidden
		}
		if res := f.doAuth(t, "GET", repoSecretsPath(kind, "api")+"/public-key", nil, "Bearer "+tok.Token); res.status != want {
			t.Errorf("%s public key: %d, want %d", kind, res.status, want)
		}
	}
}

// TestRepoHelpers: the helpers of a repository scope see and change what the
// API does, and a deleted repository takes its secrets with it.
func TestRepoHelpers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	repo := f.fake.Repo("dependabot", testOrg, "Web")
	repo.PutSecretOutOfBand("token", []byte("out of band"))
	res := f.do(t, "GET", repoSecretsPath("dependabot", "web")+"/TOKEN", nil)
	wantStatus(t, res, http.StatusOK)

	enc, keyID := repo.Seal([]byte("sealed by the helper"))
	old := repo.RotatePublicKey()
	body := map[string]any{"encrypted_value": enc, "key_id": keyID}
	if keyID == old || f.do(t, "PUT", repoSecretsPath("dependabot", "web")+"/TOKEN", body).status != http.StatusUnprocessableEntity {
		t.Error("a value sealed for the rotated key was accepted")
	}
	enc, keyID = repo.Seal([]byte("sealed again"))
	if now, _ := repo.PublicKey(); now != keyID || now != old {
		t.Errorf("key %s, sealed for %s, rotated to %s", now, keyID, old)
	}
	body = map[string]any{"encrypted_value": enc, "key_id": keyID}
	wantStatus(t, f.do(t, "PUT", repoSecretsPath("dependabot", "web")+"/TOKEN", body), http.StatusNoContent)
	if v, _ := repo.SecretValue("token"); string(v) != "sealed again" {
		t.Errorf("value %q", v)
	}
	repo.DeleteSecretOutOfBand("TOKEN")
	if _, ok := repo.Secret("TOKEN"); ok {
		t.Error("secret left after DeleteSecretOutOfBand")
	}

	repo.PutSecretOutOfBand("KEPT", []byte("v"))
	f.fake.DeleteRepositoryOutOfBand(testOrg, f.repos[1].ID)
	if got := repo.Secrets(); got != nil {
		t.Errorf("a deleted repository's secrets: %v", got)
	}
	f.fake.AddRepository(testOrg, "web")
	if got := repo.Secrets(); len(got) != 0 {
		t.Errorf("a new repository of the old name has its secrets: %v", got)
	}
	if keyID, _ := repo.PublicKey(); keyID == old {
		t.Error("a new repository of the old name has its key")
	}
	wantPanics(t, map[string]func(){
		"unknown repository": func() { f.fake.Repo("actions", testOrg, "nope").PutSecretOutOfBand("X", nil) },
		"unknown kind":       func() { f.fake.Repo("variables", testOrg, "api") },
		"bad name":           func() { f.fake.Repo("actions", testOrg, "api").PutSecretOutOfBand("GITHUB_X", nil) },
		"key of unknown org": func() { f.fake.Repo("actions", "nobody", "api").PublicKey() },
	})
}

// TestGetRepository: a repository is answered in the full-repository shape
// the description requires, so a client can tell a missing repository (404)
// from a missing secret in it.
func TestGetRepository(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	vault := f.fake.AddRepositoryWith(testOrg, Repository{Name: "Vault", Visibility: "internal", Archived: true})
	got := decodeOK[struct {
		ID         int64  `json:"id"`
		FullName   string `json:"full_name"`
		Private    bool   `json:"private"`
		Visibility string `json:"visibility"`
		Archived   bool   `json:"archived"`
		CreatedAt  string `json:"created_at"`
		CloneURL   string `json:"clone_url"`
	}](t, f.do(t, "GET", "/repos/octo-org/vault", nil))
	if got.ID != vault.ID || got.FullName != testOrg+"/Vault" || !got.Private || got.Visibility != "internal" || !got.Archived ||
		got.CreatedAt != formatTime(clockStart) || got.CloneURL != f.url+"/"+testOrg+"/Vault.git" {
		t.Errorf("repository %+v", got)
	}
	docs := "https://docs.github.com/rest/repos/repos#get-a-repository"
	wantError(t, f.do(t, "GET", "/repos/"+testOrg+"/nope", nil), http.StatusNotFound, "Not Found", docs)
	wantError(t, f.do(t, "GET", "/repos/nobody/vault", nil), http.StatusNotFound, "Not Found", docs)
	f.fake.DeleteRepositoryOutOfBand(testOrg, vault.ID)
	wantError(t, f.do(t, "GET", "/repos/"+testOrg+"/Vault", nil), http.StatusNotFound, "Not Found", docs)
}

// envPath is the path of environment env (escaped here) of the test org's
// repository repo.
func envPath(repo, env string) string {
	return "/repos/" + testOrg + "/" + repo + "/environments/" + url.PathEscape(env)
}

type envJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// TestEnvironmentsLifecycle: an environment, its name escaped in paths (a
// slash as %2F) and compared in any case, is created and updated by PUT,
// read and listed, holds Actions secrets under its own key, and takes them
// with it when deleted.
func TestEnvironmentsLifecycle(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Staging/EU", "prod env", "100%"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			path := envPath("api", name)
			env := decodeOK[envJSON](t, f.do(t, "PUT", path, nil))
			if env.Name != name || env.URL != f.url+path || env.CreatedAt != formatTime(clockStart) || env.UpdatedAt != env.CreatedAt ||
				!strings.HasSuffix(env.HTMLURL, "/"+testOrg+"/api/deployments/activity_log?environments_filter="+url.QueryEscape(name)) {
				t.Errorf("created %+v", env)
			}
			f.clock.Advance(time.Minute)
			again := decodeOK[envJSON](t, f.do(t, "PUT", envPath("API", strings.ToUpper(name)), map[string]any{"wait_timer": 0}))
			if again.ID != env.ID || again.Name != name || again.CreatedAt != env.CreatedAt || again.UpdatedAt != formatTime(clockStart.Add(time.Minute)) {
				t.Errorf("updated %+v, created %+v", again, env)
			}
			if got := decodeOK[envJSON](t, f.do(t, "GET", envPath("api", strings.ToLower(name)), nil)); got.ID != env.ID {
				t.Errorf("read %+v", got)
			}
			list := decodeOK[struct {
				TotalCount   int       `json:"total_count"`
				Environments []envJSON `json:"environments"`
			}](t, f.do(t, "GET", "/repos/"+testOrg+"/api/environments", nil))
			if list.TotalCount != 1 || len(list.Environments) != 1 || list.Environments[0].ID != env.ID {
				t.Errorf("list %+v", list)
			}

			secrets := path + "/secrets"
			wantStatus(t, f.do(t, "PUT", secrets+"/token", f.sealedBody(t, secrets+"/public-key", "one")), http.StatusCreated)
			wantStatus(t, f.do(t, "PUT", secrets+"/TOKEN", f.sealedBody(t, secrets+"/public-key", "two")), http.StatusNoContent)
			wantSecretShape(t, decodeOK[map[string]any](t, f.do(t, "GET", secrets+"/Token", nil)))
			if total, listed := listedSecrets(t, f.do(t, "GET", secrets, nil)); total != 1 || listed[0]["name"] != "TOKEN" {
				t.Errorf("secrets %d %v", total, listed)
			}
			if v, _ := f.fake.Env(testOrg, "api", name).SecretValue("token"); string(v) != "two" {
				t.Errorf("value %q", v)
			}
			if n := len(f.fake.Repo("actions", testOrg, "api").Secrets()); n != 0 {
				t.Errorf("%d repository secrets from environment writes", n)
			}

			wantStatus(t, f.do(t, "DELETE", path, nil), http.StatusNoContent)
			for _, p := range []string{path, secrets, secrets + "/TOKEN", secrets + "/public-key"} {
				wantError(t, f.do(t, "GET", p, nil), http.StatusNotFound, "Not Found", routeDocs(t, "GET", p))
			}
			wantStatus(t, f.do(t, "DELETE", path, nil), http.StatusNotFound)
			decodeOK[envJSON](t, f.do(t, "PUT", path, nil))
			if got := f.fake.Env(testOrg, "api", name).Secrets(); len(got) != 0 {
				t.Errorf("a new environment of the old name has the old one's secrets: %v", got)
			}
		})
	}
}

// routeDocs is the documentation link of the route of method and path.
func routeDocs(t *testing.T, method, path string) string {
	t.Helper()
	rt, _, ok := routes.Match(method, path)
	if !ok {
		t.Fatalf("no route for %s %s", method, path)
	}
	return rt.Docs
}

// TestEnvironmentSecretKeys: each environment has its own key; a value sealed
// for the repository's or another environment's is refused.
func TestEnvironmentSecretKeys(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.AddEnvironment(testOrg, "api", "staging")
	f.fake.AddEnvironment(testOrg, "api", "production")
	f.fake.AddEnvironment(testOrg, "web", "staging")
	target := envPath("api", "staging") + "/secrets/X"
	for name, keyPath := range map[string]string{
		"repository's":                    repoSecretsPath("actions", "api") + "/public-key",
		"another environment's":           envPath("api", "production") + "/secrets/public-key",
		"another repository's namesake's": envPath("web", "staging") + "/secrets/public-key",
	} {
		res := f.do(t, "PUT", target, f.sealedBody(t, keyPath, "v"))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.apiError(t).Message, "environment's actions secrets") {
			t.Errorf("sealed for the %s key: %d %s, want 422 Bad key_id", name, res.status, res.body)
		}
	}
	keys := map[string]bool{}
	for _, sc := range []ScopeSecrets{f.fake.Env(testOrg, "api", "staging"), f.fake.Env(testOrg, "api", "production"),
		f.fake.Env(testOrg, "web", "staging"), f.fake.Repo("actions", testOrg, "api")} {
		keyID, _ := sc.PublicKey()
		if keys[keyID] {
			t.Errorf("key %s shared", keyID)
		}
		keys[keyID] = true
	}
}

// TestEnvironmentNotFound: a secret write into an environment that does not
// exist answers 404 and creates nothing; so does anything under a missing
// repository.
func TestEnvironmentNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := f.sealedBody(t, repoSecretsPath("actions", "api")+"/public-key", "v")
	for _, req := range []struct{ method, path string }{
		{"PUT", envPath("api", "nowhere") + "/secrets/X"},
		{"GET", envPath("api", "nowhere") + "/secrets"},
		{"GET", envPath("api", "nowhere") + "/secrets/public-key"},
		{"DELETE", envPath("api", "nowhere") + "/secrets/X"},
		{"GET", envPath("api", "nowhere")},
		{"GET", "/repos/" + testOrg + "/nope/environments"},
		{"PUT", envPath("nope", "staging")},
		{"DELETE", envPath("nope", "staging")},
		{"PUT", "/repos/nobody/api/environments/staging/secrets/X"},
	} {
		var b any
		if req.method == "PUT" {
			b = body
		}
		wantError(t, f.do(t, req.method, req.path, b), http.StatusNotFound, "Not Found", routeDocs(t, req.method, req.path))
	}
	if got := f.fake.Environments(testOrg, "api"); len(got) != 0 {
		t.Errorf("environments %v", got)
	}
	long := strings.Repeat("é", maxEnvNameLen+1)
	if res := f.do(t, "PUT", envPath("api", long), nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a name of %d characters: %d", maxEnvNameLen+1, res.status)
	}
	wantStatus(t, f.do(t, "PUT", envPath("api", long[:2*maxEnvNameLen]), nil), http.StatusOK)
}

// TestEnvironmentHelpers: environments made and deleted out of band are
// what the API sees, and a deleted repository takes its environments and
// their secrets with it.
func TestEnvironmentHelpers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.AddEnvironment(testOrg, "Worker", "qa")
	f.fake.AddEnvironment(testOrg, "worker", "Prod")
	f.fake.AddEnvironment(testOrg, "worker", "QA") // exists: unchanged
	if got := f.fake.Environments(testOrg, "WORKER"); !slices.Equal(got, []string{"qa", "Prod"}) {
		t.Errorf("environments %v", got)
	}
	qa := f.fake.Env(testOrg, "worker", "QA")
	qa.PutSecretOutOfBand("deploy", []byte("v"))
	wantStatus(t, f.do(t, "GET", envPath("worker", "qa")+"/secrets/DEPLOY", nil), http.StatusOK)
	enc, keyID := qa.Seal([]byte("sealed"))
	wantStatus(t, f.do(t, "PUT", envPath("worker", "qa")+"/secrets/DEPLOY",
		map[string]any{"encrypted_value": enc, "key_id": keyID}), http.StatusNoContent)
	if v, _ := qa.SecretValue("DEPLOY"); string(v) != "sealed" {
		t.Errorf("value %q", v)
	}

	f.fake.DeleteEnvironmentOutOfBand(testOrg, "worker", "QA")
	f.fake.DeleteEnvironmentOutOfBand(testOrg, "worker", "QA") // missing: no error
	if qa.Secrets() != nil {
		t.Error("a deleted environment's secrets are listed")
	}
	if _, ok := qa.Secret("DEPLOY"); ok {
		t.Error("a deleted environment's secret is found")
	}
	f.fake.Env(testOrg, "worker", "prod").PutSecretOutOfBand("KEPT", []byte("v"))
	f.fake.DeleteRepositoryOutOfBand(testOrg, f.repos[2].ID)
	if got := f.fake.Environments(testOrg, "worker"); got != nil {
		t.Errorf("a deleted repository's environments: %v", got)
	}
	f.fake.AddRepository(testOrg, "worker")
	if got := f.fake.Environments(testOrg, "worker"); got == nil || len(got) != 0 {
		t.Errorf("a new repository of the old name: environments %v", got)
	}
	wantPanics(t, map[string]func(){
		"environment of unknown repository": func() { f.fake.AddEnvironment(testOrg, "nope", "qa") },
		"empty environment name":            func() { f.fake.AddEnvironment(testOrg, "api", "") },
		"secret of unknown environment":     func() { f.fake.Env(testOrg, "api", "nowhere").PutSecretOutOfBand("X", nil) },
		"key of unknown environment":        func() { f.fake.Env(testOrg, "api", "nowhere").PublicKey() },
		"delete in unknown repository":      func() { f.fake.DeleteEnvironmentOutOfBand(testOrg, "nope", "qa") },
	})
}

// wantPanics: each helper call, a bug in a test, panics.
func wantPanics(t *testing.T, calls map[string]func()) {
	t.Helper()
	for name, fn := range calls {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}

// decodeOK insists on a 200 and decodes its body.
func decodeOK[T any](t *testing.T, res response) T {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
