package fakegithub

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

var allKinds = []string{"actions", "dependabot", "codespaces", "agents"}

// sealFor seals plaintext for kind's key as its public-key endpoint serves it.
func (f *fixture) sealFor(t *testing.T, kind, plaintext string) map[string]any {
	t.Helper()
	keyID, keyB64 := f.fake.Kind(kind).PublicKey(testOrg)
	raw, err := base64.StdEncoding.DecodeString(keyB64)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.SealAnonymous(nil, []byte(plaintext), (*[32]byte)(raw), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"encrypted_value": base64.StdEncoding.EncodeToString(sealed), "key_id": keyID}
}

// TestKindsAreApart: each kind has its own key pair and its own secrets;
// a secret of one kind is invisible to the others, and its repository list
// link names its kind.
func TestKindsAreApart(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	keys := map[string]bool{}
	for _, kind := range allKinds {
		keyID, _ := f.fake.Kind(kind).PublicKey(testOrg)
		if keys[keyID] {
			t.Fatalf("kind %s shares key %s with another kind", kind, keyID)
		}
		keys[keyID] = true
		body := f.sealFor(t, kind, "value of "+kind)
		body["visibility"] = "selected"
		body["selected_repository_ids"] = []int64{f.repos[0].ID}
		if res := f.do(t, "PUT", "/orgs/"+testOrg+"/"+kind+"/secrets/SHARED", body); res.status != http.StatusCreated {
			t.Fatalf("%s: PUT status %d: %s", kind, res.status, res.body)
		}
	}
	for _, kind := range allKinds {
		got, ok := f.fake.Kind(kind).SecretValue(testOrg, "shared")
		if !ok || string(got) != "value of "+kind {
			t.Errorf("%s: value %q, %v", kind, got, ok)
		}
		res := f.do(t, "GET", "/orgs/"+testOrg+"/"+kind+"/secrets/SHARED", nil)
		if want := "/orgs/" + testOrg + "/" + kind + "/secrets/SHARED/repositories"; res.status != 200 || !strings.Contains(string(res.body), want) {
			t.Errorf("%s: GET %d %s, want a link to %s", kind, res.status, res.body, want)
		}
	}
	f.fake.Kind("dependabot").DeleteSecretOutOfBand(testOrg, "SHARED")
	if _, ok := f.fake.Secret(testOrg, "SHARED"); !ok {
		t.Error("deleting the Dependabot secret deleted the Actions one")
	}
	if res := f.do(t, "GET", "/orgs/"+testOrg+"/dependabot/secrets/SHARED", nil); res.status != http.StatusNotFound {
		t.Errorf("deleted Dependabot secret: GET %d", res.status)
	}
}

// TestKindRefusesAnotherKindsKey: a value sealed for one kind's key is
// refused by every other kind, naming the key.
func TestKindRefusesAnotherKindsKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, sealedFor := range allKinds {
		for _, sentTo := range allKinds {
			if sealedFor == sentTo {
				continue
			}
			body := f.sealFor(t, sealedFor, "v")
			body["visibility"] = "all"
			res := f.do(t, "PUT", "/orgs/"+testOrg+"/"+sentTo+"/secrets/X", body)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.apiError(t).Message, "Bad key_id") {
				t.Errorf("sealed for %s, sent to %s: %d %s, want 422 Bad key_id", sealedFor, sentTo, res.status, res.body)
			}
		}
	}
	if n := len(f.fake.Kind("agents").Secrets(testOrg)); n != 0 {
		t.Errorf("%d secrets stored from refused writes", n)
	}
}

// TestKindsOnGHES: GitHub Enterprise Server 3.19 has organization Actions
// and Dependabot secrets, not Codespaces or Copilot coding agent ones, and
// says which release it is on every answer.
func TestKindsOnGHES(t *testing.T) {
	t.Parallel()
	fake := New(Options{Token: testToken, Orgs: []string{testOrg}, GHES: true})
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	ghes := &fixture{fake: fake, url: ts.URL}
	dotcom := newFixture(t)
	for kind, want := range map[string]int{"actions": 200, "dependabot": 200, "codespaces": 404, "agents": 404} {
		res := ghes.do(t, "GET", "/api/v3/orgs/"+testOrg+"/"+kind+"/secrets/public-key", nil)
		if res.status != want || res.header.Get("X-GitHub-Enterprise-Version") != ghesVersion {
			t.Errorf("%s on GHES: %d (version %q), want %d", kind, res.status, res.header.Get("X-GitHub-Enterprise-Version"), want)
		}
		res = dotcom.do(t, "GET", "/api/v3/orgs/"+testOrg+"/"+kind+"/secrets/public-key", nil)
		if res.status != 200 || res.header.Get("X-GitHub-Enterprise-Version") != "" {
			t.Errorf("%s on github.com: %d, want 200 and no enterprise version", kind, res.status)
		}
	}
}

// TestCodespacesRefusesApps: GitHub Apps may not manage organization
// Codespaces secrets; the other kinds accept an installation token.
func TestCodespacesRefusesApps(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	tok := f.issueToken(t)
	for _, kind := range allKinds {
		want := http.StatusOK
		if kind == "codespaces" {
			want = http.StatusForbidden
		}
		res := f.doAuth(t, "GET", "/orgs/"+testOrg+"/"+kind+"/secrets", nil, "Bearer "+tok.Token)
		if res.status != want {
			t.Errorf("%s with an installation token: %d %s, want %d", kind, res.status, res.body, want)
		}
		if res := f.do(t, "GET", "/orgs/"+testOrg+"/"+kind+"/secrets", nil); res.status != http.StatusOK {
			t.Errorf("%s with the token: %d", kind, res.status)
		}
	}
}

// TestKindRepositoryIDsAsStrings: Actions and Dependabot secret writes take
// repository ids as strings of digits too; Codespaces and agents writes take
// integers only, as the description says.
func TestKindRepositoryIDsAsStrings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.repos[1].ID
	for kind, want := range map[string]int{"actions": 201, "dependabot": 201, "codespaces": 422, "agents": 422} {
		body := f.sealFor(t, kind, "v")
		body["visibility"] = "selected"
		body["selected_repository_ids"] = []any{strconv.FormatInt(id, 10)}
		res := f.do(t, "PUT", "/orgs/"+testOrg+"/"+kind+"/secrets/IDS", body)
		if res.status != want {
			t.Errorf("%s: %d %s, want %d", kind, res.status, res.body, want)
			continue
		}
		if info, _ := f.fake.Kind(kind).Secret(testOrg, "IDS"); want == 201 && !slices.Equal(info.SelectedRepositoryIDs, []int64{id}) {
			t.Errorf("%s: list %v, want [%d]", kind, info.SelectedRepositoryIDs, id)
		}
	}
}
