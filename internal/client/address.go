package client

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// A secret's place on GitHub is one value here, made by one constructor
// (NewScope, then Scope.Secret) from whatever names it: configuration, an
// import id, an identity, a moved state, a listing, a redirect. Past the
// constructor every part is valid by construction, Key compares as GitHub
// compares (names case-insensitively), and the URL paths of this file are
// built from such values and nothing else.

// Level is where a set of secrets lives.
type Level uint8

const (
	// OrgLevel is an organization's secrets of one kind.
	OrgLevel Level = iota + 1
	// RepoLevel is a repository's secrets of one kind.
	RepoLevel
	// EnvLevel is an environment's (Actions) secrets.
	EnvLevel
	// UserLevel is the Codespaces secrets of the user the token belongs to:
	// GitHub names that user by the token alone, so the scope has no owner.
	UserLevel
)

func (l Level) String() string {
	switch l {
	case OrgLevel:
		return "organization"
	case RepoLevel:
		return "repository"
	case EnvLevel:
		return "environment"
	case UserLevel:
		return "user"
	}
	return "level " + strconv.Itoa(int(l))
}

// Thing is what a scope holds: secrets, or the variables GitHub keeps
// beside them. A secret and a variable of one name are different things.
type Thing uint8

const (
	// Secrets are what every scope NewScope makes holds.
	Secrets Thing = iota
	// Variables are the scope's variables (Scope.Variables).
	Variables
)

func (t Thing) String() string {
	if t == Variables {
		return "variable"
	}
	return "secret"
}

// Field is a part of an address, named as the provider's attributes name it.
type Field string

const (
	FieldOwner       Field = "owner"
	FieldKind        Field = "kind"
	FieldRepository  Field = "repository"
	FieldEnvironment Field = "environment"
	FieldName        Field = "secret_name"
	// FieldVariableName is a variable's name.
	FieldVariableName Field = "variable_name"
)

// The rules of each part, in the words every message uses.
const (
	OwnerRule = "a GitHub login: letters, digits, hyphens and underscores, not starting or ending with a hyphen"
	// RepositoryRule: GitHub's own rule for repository names.
	RepositoryRule = "a repository name without its owner (no `/`): 1 to 100 letters, digits, `.`, `-` or `_`, other than `.` and `..`"
	// EnvironmentRule: GitHub counts an environment name's length in characters.
	EnvironmentRule = "an environment name of 1 to 255 characters, none of them a control character, other than `.` and `..`"

	// NameRule is GitHub's rule for secret names.
	NameRule = "a secret name of letters, digits and underscores, not starting with a digit or with `GITHUB_` (in any case)"
	// VariableNameRule is GitHub's rule for variable names: the secrets' rule.
	VariableNameRule = "a variable name of letters, digits and underscores, not starting with a digit or with `GITHUB_` (in any case)"

	maxRepositoryName  = 100
	maxEnvironmentName = 255
)

var (
	ownerPattern      = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$`)
	repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// AddressError says which part of an address GitHub could never name, and
// why. Names are not secret, so the value is shown (quoted, shortened).
type AddressError struct {
	Field   Field
	Value   string
	Problem string // what is wrong with Value
	Rule    string // what the part must be; empty when the problem says it
}

func (e *AddressError) Error() string {
	msg := fmt.Sprintf("%s %s %s", e.Field, shortQuote(e.Value), e.Problem)
	if e.Rule != "" {
		msg += ": it must be " + e.Rule
	}
	return msg
}

// AsAddressError returns the address error in err's chain, if any.
func AsAddressError(err error) (*AddressError, bool) {
	var e *AddressError
	ok := errors.As(err, &e)
	return e, ok
}

// shortQuote quotes s for a message (control characters escaped), cut to
// 80 characters.
func shortQuote(s string) string {
	if utf8.RuneCountInString(s) <= 80 {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:80])) + "…"
}

// CheckOwner applies GitHub's login rule to an organization or owner.
func CheckOwner(owner string) error {
	if owner == "" {
		return &AddressError{Field: FieldOwner, Value: owner, Problem: "is empty", Rule: OwnerRule}
	}
	if !ownerPattern.MatchString(owner) {
		return &AddressError{Field: FieldOwner, Value: owner, Problem: "is not a GitHub login", Rule: OwnerRule}
	}
	return nil
}

// CheckRepository applies GitHub's rule for repository names; a name with
// its owner ("acme/api") is refused with a hint.
func CheckRepository(repo string) error {
	bad := func(problem string) error {
		return &AddressError{Field: FieldRepository, Value: repo, Problem: problem, Rule: RepositoryRule}
	}
	switch {
	case repo == "":
		return bad("is empty")
	case strings.Contains(repo, "/"):
		return bad("holds a `/` (the owner is the provider's `owner` setting: give the name after the `/` only)")
	case repo == "." || repo == "..":
		return bad("is a path's dot segment, which GitHub can never name")
	case len(repo) > maxRepositoryName:
		return bad(fmt.Sprintf("has %d characters", len(repo)))
	case !repositoryPattern.MatchString(repo):
		return bad("holds a character GitHub does not allow in repository names")
	}
	return nil
}

// CheckEnvironment applies GitHub's rule for environment names, whose
// length GitHub counts in characters, not bytes.
func CheckEnvironment(env string) error {
	bad := func(problem string) error {
		return &AddressError{Field: FieldEnvironment, Value: env, Problem: problem, Rule: EnvironmentRule}
	}
	switch n := utf8.RuneCountInString(env); {
	case env == "":
		return bad("is empty")
	case !utf8.ValidString(env):
		return bad("is not valid UTF-8")
	case n > maxEnvironmentName:
		return bad(fmt.Sprintf("has %d characters", n))
	case env == "." || env == "..":
		return bad("is a path's dot segment, which GitHub can never name")
	case strings.ContainsFunc(env, unicode.IsControl):
		return bad("holds a control character")
	}
	return nil
}

// CheckSecretName applies GitHub's naming rule for secrets.
func CheckSecretName(name string) error {
	if problem := secretname.Problem(name); problem != "" {
		return &AddressError{Field: FieldName, Value: name, Problem: problem, Rule: NameRule}
	}
	return nil
}

// CheckVariableName applies GitHub's naming rule for variables: the secrets'.
func CheckVariableName(name string) error {
	if problem := secretname.Problem(name); problem != "" {
		return &AddressError{Field: FieldVariableName, Value: name, Problem: problem, Rule: VariableNameRule}
	}
	return nil
}

// Scope is one set of secrets: an organization's, a repository's or an
// environment's, of one kind. The zero Scope names nothing, and every call
// refuses it.
type Scope struct {
	level            Level
	kind             Kind
	thing            Thing
	owner, repo, env string // as given; compared through Key
}

// NewScope is the one constructor of a scope: it checks every part against
// GitHub's rules for the level, which says which parts there are (a part the
// level does not have must be empty, never a hint of another level).
func NewScope(level Level, kind Kind, owner, repo, env string) (Scope, error) {
	if _, ok := kindRules[kind]; !ok {
		return Scope{}, &AddressError{Field: FieldKind, Value: string(kind), Problem: "is not a kind of secret GitHub has",
			Rule: "one of actions, dependabot, codespaces, agents"}
	}
	if level == UserLevel {
		return userScope(kind, owner, repo, env)
	}
	if err := CheckOwner(owner); err != nil {
		return Scope{}, err
	}
	switch level {
	case OrgLevel:
		if repo != "" {
			return Scope{}, &AddressError{Field: FieldRepository, Value: repo, Problem: "is set for an organization secret, which has none"}
		}
		if env != "" {
			return Scope{}, &AddressError{Field: FieldEnvironment, Value: env, Problem: "is set for an organization secret, which has none"}
		}
	case RepoLevel:
		if err := CheckRepository(repo); err != nil {
			return Scope{}, err
		}
		if env != "" {
			return Scope{}, &AddressError{Field: FieldEnvironment, Value: env, Problem: "is set for a repository secret, which has none"}
		}
	case EnvLevel:
		if kind != Actions {
			return Scope{}, &AddressError{Field: FieldKind, Value: string(kind), Problem: "has no environment secrets",
				Rule: "actions: environments hold Actions secrets only"}
		}
		if err := CheckRepository(repo); err != nil {
			return Scope{}, err
		}
		if err := CheckEnvironment(env); err != nil {
			return Scope{}, err
		}
	default:
		return Scope{}, fmt.Errorf("%s is not a level of secrets", level)
	}
	return Scope{level: level, kind: kind, owner: owner, repo: repo, env: env}, nil
}

// userScope is the token's user's secrets of kind: Codespaces only, and no
// part but the kind.
func userScope(kind Kind, owner, repo, env string) (Scope, error) {
	if kind != Codespaces {
		return Scope{}, &AddressError{Field: FieldKind, Value: string(kind), Problem: "has no user secrets",
			Rule: "codespaces: users hold Codespaces secrets only"}
	}
	for _, part := range []struct {
		field Field
		value string
	}{{FieldOwner, owner}, {FieldRepository, repo}, {FieldEnvironment, env}} {
		if part.value != "" {
			return Scope{}, &AddressError{Field: part.field, Value: part.value,
				Problem: "is set for a user secret, which belongs to the token's user and has none"}
		}
	}
	return Scope{level: UserLevel, kind: kind}, nil
}

// UserScope is the Codespaces secrets of the user the token belongs to.
func UserScope() Scope { return Scope{level: UserLevel, kind: Codespaces} }

// OrgScope is an organization's secrets of a kind.
func OrgScope(kind Kind, org string) (Scope, error) { return NewScope(OrgLevel, kind, org, "", "") }

// RepoScope is a repository's secrets of a kind.
func RepoScope(kind Kind, owner, repo string) (Scope, error) {
	return NewScope(RepoLevel, kind, owner, repo, "")
}

// EnvScope is an environment's secrets.
func EnvScope(owner, repo, env string) (Scope, error) {
	return NewScope(EnvLevel, Actions, owner, repo, env)
}

func (s Scope) Level() Level  { return s.level }
func (s Scope) Kind() Kind    { return s.kind }
func (s Scope) Owner() string { return s.owner }
func (s Scope) Repo() string  { return s.repo }
func (s Scope) Env() string   { return s.env }

// IsOrg reports whether s is an organization scope, whose secrets have a
// visibility and may have a repository list.
func (s Scope) IsOrg() bool { return s.level == OrgLevel }

// IsUser reports whether s is the token's user's scope.
func (s Scope) IsUser() bool { return s.level == UserLevel }

// HasRepositoryLists reports whether the scope's secrets have a list of
// selected repositories: an organization's, and a user's.
func (s Scope) HasRepositoryLists() bool { return s.level == OrgLevel || s.level == UserLevel }

// IsZero reports whether s names nothing.
func (s Scope) IsZero() bool { return s.level == 0 }

// Thing is what s holds: Secrets, or Variables.
func (s Scope) Thing() Thing { return s.thing }

// Variables is the variables GitHub keeps beside s's secrets: an
// organization's, a repository's or an environment's, of a kind that has
// them (Actions, Copilot coding agent).
func (s Scope) Variables() (Scope, error) {
	if err := s.check(); err != nil {
		return Scope{}, err
	}
	if !s.kind.HasVariables() || s.level == UserLevel {
		return Scope{}, &AddressError{Field: FieldKind, Value: string(s.kind), Problem: "has no variables in " + s.level.String() + " scopes",
			Rule: "actions (organizations, repositories, environments) or agents (organizations, repositories)"}
	}
	s.thing = Variables
	return s, nil
}

// check refuses the zero Scope, before any request.
func (s Scope) check() error {
	if s.IsZero() {
		return errors.New("no scope: secrets are addressed through NewScope")
	}
	return nil
}

// Repository is the repository scope of the same kind that holds s (s
// itself for a repository scope); for an organization scope, the zero Scope.
func (s Scope) Repository() Scope {
	if s.level != RepoLevel && s.level != EnvLevel {
		return Scope{}
	}
	return Scope{level: RepoLevel, kind: s.kind, thing: s.thing, owner: s.owner, repo: s.repo}
}

// WithKind is s for another kind of secret (or variable); an environment
// scope has Actions secrets and variables only.
func (s Scope) WithKind(kind Kind) (Scope, error) {
	o, err := NewScope(s.level, kind, s.owner, s.repo, s.env)
	if err != nil || s.thing == Secrets {
		return o, err
	}
	return o.Variables()
}

// ScopeKey is a scope as GitHub compares scopes: names case-insensitively,
// every level and kind apart. Equal keys are the same scope.
type ScopeKey struct {
	level            Level
	kind             Kind
	thing            Thing
	owner, repo, env string
}

// Key is s as GitHub compares it.
func (s Scope) Key() ScopeKey {
	return ScopeKey{level: s.level, kind: s.kind, thing: s.thing, owner: fold(s.owner), repo: fold(s.repo), env: fold(s.env)}
}

// Same reports whether s and o are the same scope on GitHub.
func (s Scope) Same(o Scope) bool { return s.Key() == o.Key() }

// fold is the spelling two names that GitHub takes for one another share.
func fold(s string) string { return strings.ToLower(strings.ToUpper(s)) }

// String names the scope for messages: "organization acme (Dependabot)",
// "organization acme (Actions variables)".
func (s Scope) String() string {
	what := s.kind.Title()
	if s.thing == Variables {
		what += " variables"
	}
	switch s.level {
	case EnvLevel:
		if s.thing == Variables {
			return fmt.Sprintf("environment %q of repository %s/%s (variables)", s.env, s.owner, s.repo)
		}
		return fmt.Sprintf("environment %q of repository %s/%s", s.env, s.owner, s.repo)
	case RepoLevel:
		return fmt.Sprintf("repository %s/%s (%s)", s.owner, s.repo, what)
	case OrgLevel:
		return fmt.Sprintf("organization %s (%s)", s.owner, what)
	case UserLevel:
		return fmt.Sprintf("the token's user (%s)", what)
	}
	return "no scope"
}

// Address is one secret: its scope and its name.
type Address struct {
	scope Scope
	name  string // as given; GitHub stores it upper-case
}

// Secret is the address of the secret called name in s.
func (s Scope) Secret(name string) (Address, error) {
	if err := s.check(); err != nil {
		return Address{}, err
	}
	if s.thing == Variables {
		if err := CheckVariableName(name); err != nil {
			return Address{}, err
		}
		return Address{scope: s, name: name}, nil
	}
	if err := CheckSecretName(name); err != nil {
		return Address{}, err
	}
	return Address{scope: s, name: name}, nil
}

// NewAddress is NewScope and Scope.Secret in one.
func NewAddress(level Level, kind Kind, owner, repo, env, name string) (Address, error) {
	s, err := NewScope(level, kind, owner, repo, env)
	if err != nil {
		return Address{}, err
	}
	return s.Secret(name)
}

func (a Address) Scope() Scope { return a.scope }

// Name is the name as given.
func (a Address) Name() string { return a.name }

// StoredName is the name as GitHub stores it: upper-case.
func (a Address) StoredName() string { return secretname.Normalize(a.name) }

// IsZero reports whether a names nothing.
func (a Address) IsZero() bool { return a.scope.IsZero() }

func (a Address) check() error { return a.scope.check() }

// AddressKey is a secret as GitHub compares secrets.
type AddressKey struct {
	scope ScopeKey
	name  string
}

// Key is a as GitHub compares it.
func (a Address) Key() AddressKey { return AddressKey{scope: a.scope.Key(), name: a.StoredName()} }

// Same reports whether a and b are the same secret on GitHub.
func (a Address) Same(b Address) bool { return a.Key() == b.Key() }

// String names the secret for messages: "organization Dependabot secret
// TOKEN in acme".
func (a Address) String() string {
	s, name, thing := a.scope, a.StoredName(), a.scope.thing
	switch s.level {
	case EnvLevel:
		return fmt.Sprintf("%s %s of environment %q in repository %s/%s", thing, name, s.env, s.owner, s.repo)
	case RepoLevel:
		return fmt.Sprintf("%s %s %s of repository %s/%s", s.kind.Title(), thing, name, s.owner, s.repo)
	case OrgLevel:
		return fmt.Sprintf("organization %s %s %s in %s", s.kind.Title(), thing, name, s.owner)
	case UserLevel:
		return fmt.Sprintf("user %s %s %s of the token's user", s.kind.Title(), thing, name)
	}
	return "no " + thing.String()
}

// apiPath is an escaped path relative to the API root. Only this file
// builds one, from checked parts: no segment is empty or a dot segment,
// and none holds a "/".
type apiPath string

func segment(s string) string { return url.PathEscape(s) }

// placePath is the path of the organization, repository or environment.
func (s Scope) placePath() apiPath {
	switch s.level {
	case EnvLevel:
		return s.repoPath() + "/environments/" + apiPath(segment(s.env))
	case RepoLevel:
		return s.repoPath()
	case UserLevel:
		return "user"
	}
	return ownerPath(s.owner)
}

func ownerPath(org string) apiPath { return "orgs/" + apiPath(segment(org)) }

// repoPath is the path of the repository of a repository or environment scope.
func (s Scope) repoPath() apiPath {
	return "repos/" + apiPath(segment(s.owner)) + "/" + apiPath(segment(s.repo))
}

// environmentsPath lists the environments of the scope's repository.
func (s Scope) environmentsPath() apiPath { return s.repoPath() + "/environments" }

// secretsPath lists the scope's secrets (or variables).
func (s Scope) secretsPath() apiPath {
	things := apiPath("secrets")
	if s.thing == Variables {
		things = "variables"
	}
	if s.level == EnvLevel {
		return s.placePath() + "/" + things
	}
	return s.placePath() + "/" + apiPath(s.kind) + "/" + things
}

func (s Scope) publicKeyPath() apiPath { return s.secretsPath() + "/public-key" }

func (a Address) path() apiPath { return a.scope.secretsPath() + "/" + apiPath(segment(a.name)) }

func (a Address) repositoriesPath() apiPath { return a.path() + "/repositories" }

func (a Address) repositoryPath(id int64) apiPath {
	return a.repositoriesPath() + "/" + apiPath(strconv.FormatInt(id, 10))
}

// orgRepositoriesPath lists an organization's repositories.
func orgRepositoriesPath(org string) (apiPath, error) {
	if err := CheckOwner(org); err != nil {
		return "", err
	}
	return ownerPath(org) + "/repos", nil
}

func repositoryByIDPath(id int64) apiPath {
	return "repositories/" + apiPath(strconv.FormatInt(id, 10))
}

func appTokenPath(installationID int64) apiPath {
	return "app/installations/" + apiPath(strconv.FormatInt(installationID, 10)) + "/access_tokens"
}

// target is what a path relative to the API root names: a scope (and in it
// a secret, when name is set) and what follows, or, for a path that names
// no secrets, its unescaped segments alone.
type target struct {
	scope Scope
	name  string
	rest  []string
}

// parsePath reads an escaped path relative to the API root through the
// same constructor as every other entry point. A path of secrets that the
// constructor refuses is an error; a path of anything else is kept as its
// segments.
func parsePath(p string) (target, error) {
	raw := strings.Split(p, "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		s, err := url.PathUnescape(r)
		if err != nil {
			return target{}, fmt.Errorf("path segment %q is not escaped right", r)
		}
		if s == "" || s == "." || s == ".." {
			return target{}, fmt.Errorf("path %q has an empty or dot segment", p)
		}
		segs[i] = s
	}
	level, kind, owner, repo, env, n := scopeOfSegments(segs)
	if n == 0 {
		return target{rest: segs}, nil
	}
	scope, err := NewScope(level, kind, owner, repo, env)
	if err == nil && segs[n-1] == "variables" {
		scope, err = scope.Variables()
	}
	if err != nil {
		return target{}, err
	}
	t := target{scope: scope, rest: segs[n:]}
	if len(t.rest) > 0 && t.rest[0] != "public-key" {
		t.name, t.rest = t.rest[0], t.rest[1:]
		if _, err := scope.Secret(t.name); err != nil {
			return target{}, err
		}
	}
	return t, nil
}

// scopeOfSegments recognises the segments of a secrets (or variables) path:
// n is how many name the scope (through "secrets" or "variables"), 0 when
// they name none.
func scopeOfSegments(s []string) (level Level, kind Kind, owner, repo, env string, n int) {
	things := func(i int) bool { return s[i] == "secrets" || s[i] == "variables" }
	switch {
	case len(s) >= 4 && s[0] == "orgs" && things(3):
		return OrgLevel, Kind(s[2]), s[1], "", "", 4
	case len(s) >= 5 && s[0] == "repos" && things(4) && s[3] != "environments":
		return RepoLevel, Kind(s[3]), s[1], s[2], "", 5
	case len(s) >= 6 && s[0] == "repos" && s[3] == "environments" && things(5):
		return EnvLevel, Actions, s[1], s[2], s[4], 6
	case len(s) >= 3 && s[0] == "user" && s[2] == "secrets":
		return UserLevel, Kind(s[1]), "", "", "", 3
	}
	return 0, "", "", "", "", 0
}

// samePlace reports whether two escaped paths relative to the API root name
// the same thing on GitHub: the same secret or scope (compared as GitHub
// compares names) and the same rest, or, for other paths, the same
// segments in any case.
func samePlace(a, b string) bool {
	ta, errA := parsePath(a)
	tb, errB := parsePath(b)
	if errA != nil || errB != nil {
		return false
	}
	if ta.scope.Key() != tb.scope.Key() || !strings.EqualFold(ta.name, tb.name) || len(ta.rest) != len(tb.rest) {
		return false
	}
	for i := range ta.rest {
		if fold(ta.rest[i]) != fold(tb.rest[i]) {
			return false
		}
	}
	return true
}

// describePath names what a path relative to the API root addresses, for
// messages: the secret or scope when it is one, else the path.
func describePath(p string) string {
	t, err := parsePath(p)
	switch {
	case err != nil || t.scope.IsZero():
		return "/" + strings.TrimPrefix(p, "/")
	case t.name != "":
		a, _ := t.scope.Secret(t.name)
		return a.String()
	}
	return t.scope.String()
}

// SameName reports whether two spellings of one part of an address name the
// same thing on GitHub, as Key compares them.
func SameName(field Field, a, b string) bool {
	if field == FieldName {
		return secretname.Normalize(a) == secretname.Normalize(b)
	}
	return fold(a) == fold(b)
}
