package client

import (
	"strings"
	"testing"
)

func TestAddressPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr Address
		want string
	}{
		{orgSecret(Actions, "acme", "S"), "orgs/acme/actions/secrets/S"},
		{orgSecret(Dependabot, "acme", "S"), "orgs/acme/dependabot/secrets/S"},
		{orgSecret(Codespaces, "acme", "S"), "orgs/acme/codespaces/secrets/S"},
		{orgSecret(Agents, "acme", "S"), "orgs/acme/agents/secrets/S"},
		{must(repoScope(Dependabot, "acme", "web").Secret("S")), "repos/acme/web/dependabot/secrets/S"},
		{must(envScope("acme", "web", "prod eu/1").Secret("S")), "repos/acme/web/environments/prod%20eu%2F1/secrets/S"},
		{must(envScope("acme", "web", "...").Secret("S")), "repos/acme/web/environments/.../secrets/S"},
		{must(envScope("acme", "web", "%2e%2E").Secret("S")), "repos/acme/web/environments/%252e%252E/secrets/S"},
		{must(envScope("acme", "web", "a/../b").Secret("S")), "repos/acme/web/environments/a%2F..%2Fb/secrets/S"},
		{must(envScope("acme", "web", "x:y?#").Secret("S")), "repos/acme/web/environments/x:y%3F%23/secrets/S"},
	}
	for _, tt := range tests {
		if got := string(tt.addr.path()); got != tt.want {
			t.Errorf("%v: path %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestAddressRefuses: every part GitHub could never name is refused, naming
// the part; lengths count characters, as GitHub counts them.
func TestAddressRefuses(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", 256)
	tests := []struct {
		level                        Level
		kind                         Kind
		owner, repo, env, name, want string
		field                        Field
	}{
		{OrgLevel, "", "acme", "", "", "S", "not a kind", FieldKind},
		{OrgLevel, "secrets", "acme", "", "", "S", "not a kind", FieldKind},
		{OrgLevel, Actions, "", "", "", "S", "empty", FieldOwner},
		{OrgLevel, Actions, "-acme", "", "", "S", "login", FieldOwner},
		{OrgLevel, Actions, "ac/me", "", "", "S", "login", FieldOwner},
		{OrgLevel, Actions, "..", "", "", "S", "login", FieldOwner},
		{OrgLevel, Actions, "acme", "api", "", "S", "organization secret", FieldRepository},
		{OrgLevel, Actions, "acme", "", "prod", "S", "organization secret", FieldEnvironment},
		{OrgLevel, Actions, "acme", "", "", "", "empty", FieldName},
		{OrgLevel, Actions, "acme", "", "", "github_token", "GITHUB_", FieldName},
		{OrgLevel, Actions, "acme", "", "", "1A", "digit", FieldName},
		{OrgLevel, Actions, "acme", "", "", "A/B", "character", FieldName},
		{OrgLevel, Actions, "acme", "", "", "..", "character", FieldName},
		{RepoLevel, Actions, "acme", "", "", "S", "empty", FieldRepository},
		{RepoLevel, Actions, "acme", "acme/api", "", "S", "`/`", FieldRepository},
		{RepoLevel, Actions, "acme", ".", "", "S", "dot segment", FieldRepository},
		{RepoLevel, Actions, "acme", "..", "", "S", "dot segment", FieldRepository},
		{RepoLevel, Actions, "acme", "a b", "", "S", "character", FieldRepository},
		{RepoLevel, Actions, "acme", strings.Repeat("a", 101), "", "S", "101 characters", FieldRepository},
		{RepoLevel, Actions, "acme", "api", "prod", "S", "repository secret", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "", "S", "empty", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", ".", "S", "dot segment", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "..", "S", "dot segment", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "a\x00b", "S", "control", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "prod\n", "S", "control", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "prod\u0085", "S", "control", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", "\xff", "S", "UTF-8", FieldEnvironment},
		{EnvLevel, Actions, "acme", "api", long, "S", "256 characters", FieldEnvironment},
		{EnvLevel, Dependabot, "acme", "api", "prod", "S", "no environment secrets", FieldKind},
		{EnvLevel, Actions, "acme", "", "prod", "S", "empty", FieldRepository},
		{0, Actions, "acme", "", "", "S", "not a level", ""},
	}
	for _, tt := range tests {
		_, err := NewAddress(tt.level, tt.kind, tt.owner, tt.repo, tt.env, tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v %q %q %q %q %q: error %v, want one saying %q", tt.level, tt.kind, tt.owner, tt.repo, tt.env, tt.name, err, tt.want)
			continue
		}
		ae, ok := AsAddressError(err)
		if tt.field != "" && (!ok || ae.Field != tt.field) {
			t.Errorf("%q %q %q: error %v names %v, want %v", tt.repo, tt.env, tt.name, err, ae, tt.field)
		}
		if strings.ContainsAny(err.Error(), "\x00\n\u0085") {
			t.Errorf("the error shows a control character raw: %q", err)
		}
	}
	// 255 characters are allowed, however many bytes they take.
	if _, err := EnvScope("acme", "api", strings.Repeat("ü", 255)); err != nil {
		t.Errorf("an environment of 255 characters (510 bytes) is refused: %v", err)
	}
	if _, err := (Scope{}).Secret("S"); err == nil {
		t.Error("the zero scope gave a secret")
	}
	if err := (Address{}).check(); err == nil {
		t.Error("the zero address passed its check")
	}
}

// TestAddressKeys: GitHub compares owners, repositories, environments and
// secret names case-insensitively, and keeps levels and kinds apart.
func TestAddressKeys(t *testing.T) {
	t.Parallel()
	same := [][2]Address{
		{must(envScope("Acme", "Web", "X:Y").Secret("npm_token")), must(envScope("acme", "web", "x:y").Secret("NPM_TOKEN"))},
		{must(envScope("acme", "web", "ÜBER").Secret("S")), must(envScope("acme", "web", "über").Secret("S"))},
		{must(repoScope(Actions, "acme", "Repo-5").Secret("CBD")), must(repoScope(Actions, "ACME", "repo-5").Secret("cbd"))},
		{orgSecret(Agents, "Acme", "a"), orgSecret(Agents, "acme", "A")},
	}
	for _, p := range same {
		if !p[0].Same(p[1]) || p[0].Key() != p[1].Key() {
			t.Errorf("%v and %v are one secret on GitHub, and not here", p[0], p[1])
		}
	}
	apart := [][2]Address{
		{orgSecret(Actions, "acme", "S"), orgSecret(Dependabot, "acme", "S")},
		{orgSecret(Actions, "acme", "S"), must(repoScope(Actions, "acme", "acme").Secret("S"))},
		{must(repoScope(Actions, "acme", "api").Secret("S")), must(envScope("acme", "api", "api").Secret("S"))},
		{must(envScope("acme", "api", "prod").Secret("S")), must(envScope("acme", "api", "prod ").Secret("S"))},
	}
	for _, p := range apart {
		if p[0].Same(p[1]) {
			t.Errorf("%v and %v are two secrets on GitHub, and one here", p[0], p[1])
		}
	}
}

// TestParsePath: a path read back gives the address it was built from,
// spelling and all; a path GitHub could never have been asked for is refused.
func TestParsePath(t *testing.T) {
	t.Parallel()
	for _, a := range []Address{
		orgSecret(Codespaces, "Acme", "tok"),
		must(repoScope(Agents, "acme", "a.b-c_d").Secret("S")),
		must(envScope("acme", "api", "staging/eu west:1 %2F ü").Secret("S")),
	} {
		got, err := parsePath(string(a.path()))
		if err != nil || got.scope != a.scope || got.name != a.name || len(got.rest) != 0 {
			t.Errorf("%v: read back as %+v, %v", a, got, err)
		}
		key, err := parsePath(string(a.scope.publicKeyPath()))
		if err != nil || key.scope != a.scope || key.name != "" || len(key.rest) != 1 {
			t.Errorf("%v: its key's path read back as %+v, %v", a, key, err)
		}
	}
	for _, bad := range []string{
		"repos/acme/api/environments/../secrets/S",
		"repos/acme/api/environments/./secrets/S",
		"repos/acme/api/environments//secrets/S",
		"repos/acme/%2E%2E/actions/secrets/S",
		"repos/acme/api/environments/a%00/secrets/S",
		"orgs/acme/actions/secrets/GITHUB_X",
		"orgs/acme/bogus/secrets/S",
		"repos/acme/api/dependabot/secrets/%zz",
	} {
		if got, err := parsePath(bad); err == nil {
			t.Errorf("%s read as %+v", bad, got)
		}
	}
}

// TestSamePlace: the comparison a redirect or a next page link is held to.
func TestSamePlace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		same bool
	}{
		{"repos/acme/repo-3/actions/secrets/MOVEME", "repos/ACME/Repo-3/actions/secrets/moveme", true},
		{"repos/acme/repo-3/actions/secrets/MOVEME", "repos/acme/repo-4/actions/secrets/MOVEME", false},
		{"repos/acme/repo-3/actions/secrets/MOVEME", "repos/acme/repo-3/actions/secrets/OTHER", false},
		{"repos/acme/repo-3/actions/secrets/MOVEME", "repos/acme/repo-3/dependabot/secrets/MOVEME", false},
		{"repos/acme/api/environments/x%3Ay/secrets/S", "repos/acme/api/environments/X:Y/secrets/S", true},
		{"repos/acme/api/environments/prod/secrets/S", "repos/acme/api/actions/secrets/S", false},
		{"orgs/acme/actions/secrets/public-key", "orgs/Acme/actions/secrets/public-key", true},
		{"orgs/acme/actions/secrets/public-key", "orgs/acme/actions/secrets", false},
		{"orgs/acme/repos", "orgs/ACME/repos", true},
		{"orgs/acme/repos", "orgs/other/repos", false},
		{"orgs/acme/actions/secrets/S", "login", false},
		{"orgs/acme/actions/secrets/S", "orgs/acme/actions/secrets/S/../T", false},
	}
	for _, tt := range tests {
		if got := samePlace(tt.a, tt.b); got != tt.same {
			t.Errorf("samePlace(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

// FuzzAddress: whatever the constructor accepts has a path with no empty or
// dot segment and no segment outside its place, and reads back as the same
// address, spelling and all.
func FuzzAddress(f *testing.F) {
	f.Add(uint8(EnvLevel), "actions", "acme", "api", "staging/eu west", "token")
	f.Add(uint8(RepoLevel), "dependabot", "Acme", "repo-5", "", "NPM")
	f.Add(uint8(OrgLevel), "agents", "acme", "", "", "A_1")
	f.Add(uint8(EnvLevel), "actions", "acme", "api", "..", "X")
	f.Add(uint8(EnvLevel), "actions", "acme", "api", "%2e%2e", "X")
	f.Add(uint8(EnvLevel), "actions", "acme", "..", "x", "X")
	f.Fuzz(func(t *testing.T, level uint8, kind, owner, repo, env, name string) {
		a, err := NewAddress(Level(level), Kind(kind), owner, repo, env, name)
		if err != nil {
			return
		}
		p := string(a.path())
		segs := strings.Split(p, "/")
		want := map[Level]int{OrgLevel: 5, RepoLevel: 6, EnvLevel: 7}[a.scope.level]
		if len(segs) != want {
			t.Fatalf("%v: path %q has %d segments, want %d", a, p, len(segs), want)
		}
		for _, s := range segs {
			if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "?#") {
				t.Fatalf("%v: path %q has the segment %q", a, p, s)
			}
		}
		if !strings.HasPrefix(p, string(a.scope.secretsPath())+"/") {
			t.Fatalf("%v: path %q is not under its scope's %q", a, p, a.scope.secretsPath())
		}
		got, err := parsePath(p)
		if err != nil || got.scope != a.scope || got.name != a.name || len(got.rest) != 0 {
			t.Fatalf("%v: path %q reads back as %+v, %v", a, p, got, err)
		}
		if u := (&Client{baseURL: mustURL("https://ghe.example.com/api/v3/")}).endpoint(a.path(), ""); u.EscapedPath() != "/api/v3/"+p {
			t.Fatalf("%v: URL path %q, want /api/v3/%s", a, u.EscapedPath(), p)
		}
	})
}

// TestVariableAddresses: variables are the same places' other things: their
// own paths and keys (a variable and a secret of one name are apart), the
// same name rule under their own attribute, only where GitHub keeps them,
// and read back from their paths as variables.
func TestVariableAddresses(t *testing.T) {
	t.Parallel()
	orgVars := must(must(OrgScope(Actions, "acme")).Variables())
	repoVars := must(must(RepoScope(Agents, "acme", "api")).Variables())
	envVars := must(must(EnvScope("acme", "api", "prod")).Variables())
	for _, tc := range []struct {
		a    Address
		path string
		text string
	}{
		{must(orgVars.Secret("npm_registry_url")), "orgs/acme/actions/variables/npm_registry_url", "organization Actions variable NPM_REGISTRY_URL in acme"},
		{must(repoVars.Secret("MODEL")), "repos/acme/api/agents/variables/MODEL", "Copilot coding agent variable MODEL of repository acme/api"},
		{must(envVars.Secret("REGION")), "repos/acme/api/environments/prod/variables/REGION", `variable REGION of environment "prod" in repository acme/api`},
	} {
		if got := string(tc.a.path()); got != tc.path {
			t.Errorf("%v: path %s, want %s", tc.a, got, tc.path)
		}
		if got := tc.a.String(); got != tc.text {
			t.Errorf("named %q, want %q", got, tc.text)
		}
		back, err := parsePath(tc.path)
		if err != nil || back.scope != tc.a.scope || back.name != tc.a.name {
			t.Errorf("%s read back as %+v, %v", tc.path, back, err)
		}
		if kept := must(tc.a.scope.WithKind(tc.a.scope.Kind())); kept != tc.a.scope {
			t.Errorf("%v with its own kind is %v", tc.a.scope, kept)
		}
	}
	secret := must(must(OrgScope(Actions, "acme")).Secret("NPM_REGISTRY_URL"))
	variable := must(orgVars.Secret("npm_registry_url"))
	if secret.Same(variable) || secret.Key() == variable.Key() {
		t.Error("a secret and a variable of one name are taken for one thing")
	}
	if again := must(must(must(OrgScope(Actions, "ACME")).Variables()).Secret("NPM_REGISTRY_URL")); !again.Same(variable) {
		t.Error("one variable spelled two ways is taken for two")
	}
	if _, err := orgVars.Secret("GITHUB_TOKEN_URL"); err == nil {
		t.Error("a variable name starting with GITHUB_ is accepted")
	} else if e, ok := AsAddressError(err); !ok || e.Field != FieldVariableName {
		t.Errorf("a bad variable name is reported as %v", err)
	}
	for _, s := range []Scope{must(OrgScope(Dependabot, "acme")), must(RepoScope(Codespaces, "acme", "api")), UserScope()} {
		if v, err := s.Variables(); err == nil {
			t.Errorf("%v has variables: %v", s, v)
		}
	}
	if _, err := parsePath("orgs/acme/dependabot/variables/X"); err == nil {
		t.Error("a Dependabot variables path is read as a place")
	}
}
