package client

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const registryOrg = "acme"

// registryFixture is a fake whose traffic is checked against GitHub's API
// description on both sides: what the client sends and what the fake
// answers. wrap, when set, stands between them.
type registryFixture struct {
	fake  *fakegithub.Server
	c     *Client
	repos []fakegithub.Repository
}

func newRegistryFixture(t *testing.T, opts fakegithub.Options, retry RetryPolicy, wrap func(http.Handler) http.Handler) *registryFixture {
	t.Helper()
	opts.Token, opts.Orgs = testToken, []string{registryOrg}
	fake := fakegithub.New(opts)
	serverSide, clientSide := mustValidator(t), mustValidator(t)
	var h http.Handler = fake
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(serverSide.Middleware(h))
	t.Cleanup(srv.Close)
	c, err := New(Config{
		BaseURL:    srv.URL,
		Token:      testToken,
		HTTPClient: &http.Client{Transport: clientSide.Transport(http.DefaultTransport)},
		Retry:      retry,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if opts.Hostile.EchoRequests {
			return // its echoes break the description's error shape on purpose
		}
		for side, v := range map[string]*apispec.Validator{"server": serverSide, "client": clientSide} {
			if f := v.Failures(); len(f) > 0 {
				t.Errorf("%s side: traffic the API description refuses:\n%s", side, strings.Join(f, "\n"))
			}
		}
	})
	f := &registryFixture{fake: fake, c: c}
	for _, name := range []string{"api", "web"} {
		f.repos = append(f.repos, fake.AddRepository(registryOrg, name))
	}
	return f
}

func mustValidator(t *testing.T) *apispec.Validator {
	t.Helper()
	v, err := apispec.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// serverClock is the fake's clock, apart from the client's.
type serverClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *serverClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *serverClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// noResends keeps waits out of tests while leaving retries on, so a test
// shows the transport would retry but does not for a create.
var noResends = RetryPolicy{MaxRateLimitWait: -1}

func npmWrite(plaintext string) RegistryWrite {
	return RegistryWrite{
		RegistryType: Ptr("npm_registry"),
		URL:          Ptr("https://npm.example.com/"),
		Visibility:   Ptr("private"),
		Credential:   &RegistryCredential{Plaintext: []byte(plaintext)},
	}
}

// requestLog is the fake's log as "METHOD path status" lines.
func requestLog(fake *fakegithub.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		out = append(out, r.Method+" "+r.Path+" "+strconv.Itoa(r.Status))
	}
	return out
}

func TestRegistriesRoundTrip(t *testing.T) {
	t.Parallel()
	f := newRegistryFixture(t, fakegithub.Options{}, RetryPolicy{MaxRetries: -1, MaxRateLimitWait: -1}, nil)
	ctx := t.Context()

	key, err := f.c.RegistryPublicKey(ctx, registryOrg)
	if wantID, _ := f.fake.RegistryPublicKey(registryOrg); err != nil || key.KeyID != wantID {
		t.Fatalf("key %+v, %v", key, err)
	}
	if actions, _ := f.c.PublicKey(ctx, must(OrgScope(Actions, registryOrg))); actions.KeyID == key.KeyID {
		t.Fatal("the registries key is cached as the Actions key")
	}

	w := RegistryWrite{
		RegistryType:          Ptr("maven_repository"),
		URL:                   Ptr("https://maven.example.com/"),
		Username:              Ptr("monalisa"),
		ReplacesBase:          Ptr(true),
		Visibility:            Ptr("selected"),
		SelectedRepositoryIDs: []int64{f.repos[1].ID, f.repos[0].ID},
		AuthType:              Ptr("username_password"),
		Credential:            &RegistryCredential{Plaintext: []byte("maven-pass")},
	}
	maven, err := f.c.CreateRegistry(ctx, registryOrg, w)
	if err != nil {
		t.Fatal(err)
	}
	if maven.Name != "MAVEN_REPOSITORY_SECRET" || !maven.SelectedRepositoriesKnown ||
		!slices.Equal(maven.SelectedRepositoryIDs, []int64{f.repos[0].ID, f.repos[1].ID}) ||
		maven.Username != "monalisa" || !maven.ReplacesBase || maven.AuthType != "username_password" || maven.CreatedAt.IsZero() {
		t.Errorf("created %+v", maven)
	}
	if v, _ := f.fake.RegistryValue(registryOrg, maven.Name); string(v) != "maven-pass" {
		t.Errorf("value %q", v)
	}

	azure, err := f.c.CreateRegistry(ctx, registryOrg, RegistryWrite{
		RegistryType: Ptr("docker_registry"), URL: Ptr("https://r.azurecr.io"), Visibility: Ptr("all"),
		AuthType: Ptr("oidc_azure"), OIDC: RegistryOIDC{TenantID: "t", ClientID: "c"},
	})
	if err != nil || azure.OIDC.TenantID != "t" || azure.SelectedRepositoriesKnown != true || azure.SelectedRepositoryIDs != nil {
		t.Fatalf("OIDC create %+v, %v", azure, err)
	}
	enc, keyID := f.fake.RegistryPublicKey(registryOrg)
	sealed, err := Seal(keyID, []byte("pre-sealed"))
	if err != nil {
		t.Fatal(err)
	}
	npm, err := f.c.CreateRegistry(ctx, registryOrg, RegistryWrite{
		RegistryType: Ptr("npm_registry"), URL: Ptr("https://npm.example.com/"), Visibility: Ptr("private"),
		Credential: &RegistryCredential{EncryptedValue: sealed, KeyID: enc},
	})
	if err != nil || npm.Name != "NPM_REGISTRY_SECRET" {
		t.Fatalf("pre-sealed create %+v, %v", npm, err)
	}
	if v, _ := f.fake.RegistryValue(registryOrg, npm.Name); string(v) != "pre-sealed" {
		t.Errorf("pre-sealed value %q", v)
	}

	got, err := f.c.GetRegistry(ctx, registryOrg, "maven_repository_secret")
	if err != nil || got.SelectedRepositoriesKnown || got.SelectedRepositoryIDs != nil || got.Username != "monalisa" ||
		got.URL != "https://maven.example.com/" || got.Visibility != "selected" {
		t.Errorf("get %+v, %v", got, err)
	}
	all, err := f.c.ListRegistries(ctx, registryOrg)
	if err != nil || len(all) != 3 || all[0].Name != "DOCKER_REGISTRY_SECRET" || all[0].OIDC.ClientID != "c" {
		t.Errorf("list %+v, %v", all, err)
	}

	// The cached key is stale after a rotation: 422, the key again, resealed.
	f.fake.RotateRegistryKey(registryOrg)
	f.fake.ResetRequests()
	if err := f.c.UpdateRegistry(ctx, registryOrg, "Maven_Repository_Secret", RegistryWrite{
		Username:              Ptr("octocat"),
		SelectedRepositoryIDs: []int64{f.repos[1].ID},
		Credential:            &RegistryCredential{Plaintext: []byte("maven-pass-2")},
	}); err != nil {
		t.Fatal(err)
	}
	wantLog := []string{
		"PATCH /orgs/acme/private-registries/Maven_Repository_Secret 422",
		"GET /orgs/acme/private-registries/public-key 200",
		"PATCH /orgs/acme/private-registries/Maven_Repository_Secret 204",
	}
	if got := requestLog(f.fake); !slices.Equal(got, wantLog) {
		t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLog, "\n"))
	}
	info, _ := f.fake.Registry(registryOrg, "MAVEN_REPOSITORY_SECRET")
	if v, _ := f.fake.RegistryValue(registryOrg, info.Name); string(v) != "maven-pass-2" || info.Username != "octocat" ||
		!slices.Equal(info.SelectedRepositoryIDs, []int64{f.repos[1].ID}) {
		t.Errorf("after update %+v, value %q", info, v)
	}

	if err := f.c.DeleteRegistry(ctx, registryOrg, "npm_registry_secret"); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.GetRegistry(ctx, registryOrg, "npm_registry_secret")
	if !IsNotFound(err) || !strings.Contains(err.Error(), "NPM_REGISTRY_SECRET") || !strings.Contains(err.Error(), "404") {
		t.Errorf("get after delete: %v", err)
	}
	if err := f.c.DeleteRegistry(ctx, registryOrg, "npm_registry_secret"); !IsNotFound(err) {
		t.Errorf("delete again: %v", err)
	}
	if _, err := f.c.GetRegistry(ctx, registryOrg, "public-key"); err == nil {
		t.Error("a name that is no registry's was sent")
	}
}

// TestCreateRegistryAdoptsAfterDroppedAnswer: GitHub made the registry but
// its answer was lost; the client looks before sending again, finds it and
// takes it as its own.
func TestCreateRegistryAdoptsAfterDroppedAnswer(t *testing.T) {
	t.Parallel()
	clock := &serverClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	f := newRegistryFixture(t, fakegithub.Options{Now: clock.Now}, noResends, nil)
	ctx := t.Context()
	// An older registry of the same settings is not this create's.
	if _, err := f.c.CreateRegistry(ctx, registryOrg, npmWrite("old")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)

	f.fake.DropAnswerAfterCreate(1)
	f.fake.ResetRequests()
	w := npmWrite("new")
	w.Visibility, w.SelectedRepositoryIDs = Ptr("selected"), []int64{f.repos[0].ID}
	got, err := f.c.CreateRegistry(ctx, registryOrg, w)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "NPM_REGISTRY_SECRET_1" || !got.SelectedRepositoriesKnown || !slices.Equal(got.SelectedRepositoryIDs, []int64{f.repos[0].ID}) {
		t.Errorf("adopted %+v", got)
	}
	if all := f.fake.Registries(registryOrg); len(all) != 2 {
		t.Errorf("registries %+v", all)
	}
	wantLog := []string{"POST /orgs/acme/private-registries 0", "GET /orgs/acme/private-registries 200"}
	if got := requestLog(f.fake); !slices.Equal(got, wantLog) {
		t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLog, "\n"))
	}
}

// failFirstPost answers the first POST with a 502 after passing it to next
// times times (0: GitHub made nothing).
func failFirstPost(times int) func(http.Handler) http.Handler {
	var once sync.Once
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			first := false
			if r.Method == http.MethodPost {
				once.Do(func() { first = true })
			}
			if !first {
				next.ServeHTTP(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			for range times {
				r2 := r.Clone(r.Context())
				r2.Body = io.NopCloser(bytes.NewReader(body))
				next.ServeHTTP(httptest.NewRecorder(), r2)
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		})
	}
}

// TestCreateRegistryResendsWhenNothingWasMade: a 5xx that made nothing is
// sent again, once the listing shows nothing was made.
func TestCreateRegistryResendsWhenNothingWasMade(t *testing.T) {
	t.Parallel()
	f := newRegistryFixture(t, fakegithub.Options{}, noResends, failFirstPost(0))
	got, err := f.c.CreateRegistry(t.Context(), registryOrg, npmWrite("v"))
	if err != nil || got.Name != "NPM_REGISTRY_SECRET" {
		t.Fatalf("%+v, %v", got, err)
	}
	var methods []string
	for _, r := range f.fake.Requests() {
		methods = append(methods, r.Method+" "+r.Path)
	}
	want := []string{"GET /orgs/acme/private-registries/public-key", "GET /orgs/acme/private-registries", "POST /orgs/acme/private-registries"}
	if !slices.Equal(methods, want) {
		t.Errorf("requests %v, want %v (the failed POST never reached the fake)", methods, want)
	}
}

// TestCreateRegistryDoesNotGuess: when the listing holds more than one
// registry the create may have made, it says so and names them.
func TestCreateRegistryDoesNotGuess(t *testing.T) {
	t.Parallel()
	f := newRegistryFixture(t, fakegithub.Options{}, noResends, failFirstPost(2))
	_, err := f.c.CreateRegistry(t.Context(), registryOrg, npmWrite("v"))
	if err == nil || !strings.Contains(err.Error(), "NPM_REGISTRY_SECRET, NPM_REGISTRY_SECRET_1") {
		t.Fatalf("error %v, want one naming both", err)
	}
	if n := len(f.fake.Registries(registryOrg)); n != 2 {
		t.Errorf("%d registries", n)
	}
}

// TestRegistryErrorsLeakNothing: a server that repeats what it was sent in
// its errors gets neither the value nor its ciphertext into the client's.
func TestRegistryErrorsLeakNothing(t *testing.T) {
	t.Parallel()
	f := newRegistryFixture(t, fakegithub.Options{Hostile: fakegithub.Hostile{EchoRequests: true}}, RetryPolicy{MaxRetries: -1, MaxRateLimitWait: -1}, nil)
	ctx := t.Context()
	plaintext := "registry-plaintext-value"
	var errs []error
	w := npmWrite(plaintext)
	w.AuthType = Ptr("oidc_gcp") // a value with an OIDC type: 422
	_, err := f.c.CreateRegistry(ctx, registryOrg, w)
	errs = append(errs, err)
	errs = append(errs, f.c.UpdateRegistry(ctx, registryOrg, "NPM_REGISTRY_SECRET", npmWrite(plaintext)))
	if _, err := f.c.CreateRegistry(ctx, registryOrg, npmWrite(plaintext)); err != nil {
		t.Fatal(err)
	}
	errs = append(errs, f.c.UpdateRegistry(ctx, registryOrg, "NPM_REGISTRY_SECRET", RegistryWrite{
		Visibility: Ptr("all"), SelectedRepositoryIDs: []int64{1}, Credential: &RegistryCredential{Plaintext: []byte(plaintext)},
	}))
	secrets := append([]string{plaintext, testToken}, f.fake.Ciphertexts()...)
	secrets = append(secrets, f.fake.Echoed()...)
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: no error", i)
			continue
		}
		for _, s := range secrets {
			if len(s) >= 8 && strings.Contains(err.Error(), s) {
				t.Errorf("call %d: error %q holds secret material %q", i, err, s)
			}
		}
	}
}

// TestLookupRegistryReadsOneListing: a run's lookups share one listing of
// the organization's registries, whatever their number; a registry the
// listing lacks is asked for on its own before it is reported gone, so a
// listing taken before it was made never passes it for deleted; and a write
// makes the next lookup list again.
func TestLookupRegistryReadsOneListing(t *testing.T) {
	t.Parallel()
	f := newRegistryFixture(t, fakegithub.Options{}, RetryPolicy{}, nil)
	ctx := t.Context()
	var names []string
	for _, typ := range []string{"npm_registry", "maven_repository", "nuget_feed"} {
		names = append(names, f.fake.PutRegistryOutOfBand(registryOrg, fakegithub.RegistryInfo{
			RegistryType: typ, URL: "https://" + typ + ".example.com/", Visibility: "all"}, []byte("v")).Name)
	}
	f.fake.ResetRequests()
	for _, name := range names {
		got, err := f.c.LookupRegistry(ctx, registryOrg, strings.ToLower(name))
		if err != nil || got.Name != name {
			t.Fatalf("lookup %s: %+v, %v", name, got, err)
		}
	}
	if n := len(f.fake.Requests()); n != 1 {
		t.Errorf("%d requests for 3 lookups, want 1 listing: %v", n, f.fake.Requests())
	}

	late := f.fake.PutRegistryOutOfBand(registryOrg, fakegithub.RegistryInfo{
		RegistryType: "python_index", URL: "https://pypi.example.com/simple/", Visibility: "all"}, []byte("v")).Name
	if got, err := f.c.LookupRegistry(ctx, registryOrg, late); err != nil || got.Name != late {
		t.Errorf("a registry made after the listing: %+v, %v; want it read on its own", got, err)
	}
	if _, err := f.c.LookupRegistry(ctx, registryOrg, "GONE_SECRET"); !IsNotFound(err) {
		t.Errorf("a registry that does not exist: %v, want a 404", err)
	}

	if err := f.c.DeleteRegistry(ctx, registryOrg, names[0]); err != nil {
		t.Fatal(err)
	}
	f.fake.ResetRequests()
	if _, err := f.c.LookupRegistry(ctx, registryOrg, names[1]); err != nil {
		t.Fatal(err)
	}
	if reqs := f.fake.Requests(); len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/private-registries") {
		t.Errorf("after a delete, the lookup sent %v, want one new listing", reqs)
	}
	if _, err := f.c.LookupRegistry(ctx, registryOrg, names[0]); !IsNotFound(err) {
		t.Errorf("the deleted registry: %v, want a 404", err)
	}
}
