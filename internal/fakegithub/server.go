// Package fakegithub is an in-memory fake of GitHub's organization secrets
// REST API (version 2022-11-28) for every kind of organization secret
// (Actions, Dependabot, Codespaces, Copilot coding agents), strict enough
// that tests against it catch the mistakes the real API would reject.
package fakegithub

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/nacl/box"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

const (
	apiVersion     = "2022-11-28"
	ghesPrefix     = "/api/v3"
	rateLimit      = 5000
	rateWindow     = time.Hour
	firstRepoID    = 1296269
	firstOrgID     = 9919
	firstUserID    = 583231
	firstEnvID     = 56780428
	maxSecrets     = 1000
	maxSecretBytes = 48 * 1024
	maxBodyBytes   = 4 << 20
	docsRoot       = "https://docs.github.com/rest"
)

// Options configures a Server. The zero value of every traffic knob keeps
// the plain behaviour: no latency, no faults, X-RateLimit headers for a
// 5000-request hour that is counted but not enforced, no secondary limits.
type Options struct {
	Token string   // the only accepted token; required
	Orgs  []string // org logins that exist (case-insensitive lookup; the given spelling is the login)
	// User is the login of the user the token belongs to; default "octocat".
	User string
	Now  func() time.Time // optional clock; default time.Now

	// Latency is how long each request waits before it is answered, plus a
	// uniformly random share of LatencyJitter. A request whose context ends
	// while it waits gets no answer.
	Latency, LatencyJitter time.Duration
	// Sleep waits out the latency; optional, a test seam. The default
	// waits on a timer and returns ctx.Err() when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error

	// RateLimitsOff serves like GitHub Enterprise Server with rate limiting
	// disabled: no X-RateLimit headers and no primary limit.
	RateLimitsOff bool
	// PrimaryLimit enforces that many requests per hour: once they are used
	// up, requests get 403 until X-RateLimit-Reset. 0 reports GitHub's 5000
	// in the headers without enforcing it.
	PrimaryLimit int
	// Secondary enforces GitHub's secondary rate limits when non-nil.
	Secondary *SecondaryLimits
	// Faults injects server errors and dropped connections.
	Faults Faults
	// Hostile makes the server echo requests into its errors and redirect
	// elsewhere; off by default (see SetHostile).
	Hostile Hostile
	// GHES serves as GitHub Enterprise Server 3.19 does: it names its
	// version in X-GitHub-Enterprise-Version and has only the kinds of
	// secret that release has. Either way the API answers at "/" and under
	// "/api/v3/".
	GHES bool
}

// ghesVersion is the release a GHES fake claims to be.
const ghesVersion = "3.19.0"

// Repository is a repository of an organization.
type Repository struct {
	ID       int64
	Name     string
	FullName string // "org/name"
	Private  bool
	// Visibility is public, private or internal; "" means private when
	// Private is set and public otherwise.
	Visibility string
	Archived   bool
	Fork       bool
	// Role is the token's user's role in the repository (RoleRead ...
	// RoleAdmin); "" is admin. See SetRepositoryRole.
	Role string
}

// SecretInfo is what GitHub holds for a secret, apart from its value.
type SecretInfo struct {
	Name                 string // as stored: upper-case
	Visibility           string // all | private | selected
	CreatedAt, UpdatedAt time.Time
	// Sorted ascending; non-nil (possibly empty) exactly when Visibility is selected.
	SelectedRepositoryIDs []int64
	KeyID                 string // key_id the current value was sealed for
}

// Request is one request the server answered.
type Request struct {
	Method string
	Path   string // escaped, as sent, without the /api/v3 prefix
	Query  string
	Status int // 0 when no answer was sent: dropped, or abandoned during the latency
}

// Server is an http.Handler serving the API at "/" and under "/api/v3/".
type Server struct {
	token string
	now   func() time.Time

	mu         sync.Mutex      // guards the API state below
	orgs       map[string]*org // by lower-case login
	user       *user           // the token's user
	nextOrgID  int64
	nextRepoID int64
	nextEnvID  int64

	// A lock of its own, so recording never waits for the API state.
	appReg appRegistry // GitHub Apps and the installation tokens issued

	sealedMu sync.Mutex
	sealed   []string // every encrypted_value received, for leak checks
	echoed   []string // every spelling of secret material put into an answer

	hostile atomic.Pointer[Hostile]

	listingMu        sync.Mutex
	listingFaults    ListingFaults
	listingPagesLeft int

	logMu         sync.Mutex
	requests      []Request
	stats         Stats // ByMethod, ByStatus and MaxInFlight are filled in by Stats
	requestSeq    uint64
	requestTag    uint32
	rateUsed      int
	rateReset     time.Time
	primaryLimit  int // 0: not enforced
	rateLimitsOff bool

	traffic     traffic // latency, faults and secondary limits
	requestHook atomic.Pointer[func(Request)]
	answerDrops answerDrops // see DropAnswers

	ops  map[string]func(*call) // by operation id
	ghes bool

	// KindSecrets of the Actions kind: s.Secret(org, name) and the other
	// secret helpers are about Actions secrets; s.Kind(k) has the others.
	KindSecrets
}

type org struct {
	login string
	id    int64
	repos map[int64]Repository
	state map[int64]*repoState // each repository's secrets and environments, by id
	kinds map[string]*store    // by kind: actions, dependabot, codespaces, agents
	// formerNames are the names repositories had before a rename, lower
	// case, to their ids: GitHub redirects requests that use them.
	formerNames map[string]int64
	registries  *registries // private registries; made when first used
	// variables by kind (actions, agents); made when first used.
	variables map[string]*varStore
}

// store is one kind's secrets in one scope, with the kind's own key pair.
type store struct {
	holder  *holder
	keyID   string
	public  *[32]byte
	private *[32]byte
	secrets map[string]*secret // by upper-case name
	// rotateAfter is how many more accepted value PUTs rotate the key; 0: none pending.
	rotateAfter int
}

func newStore(h *holder) *store {
	keyID, public, private := newKeyPair()
	return &store{holder: h, keyID: keyID, public: public, private: private, secrets: map[string]*secret{}}
}

// kindRule is what GitHub allows for one kind of secret, as its API
// description says.
type kindRule struct {
	onGHES bool // served by GitHub Enterprise Server 3.19, in every scope
	// apps: GitHub App installation tokens may manage its organization
	// secrets (enabledForGitHubApps). They may manage every kind's
	// repository and environment secrets.
	apps bool
	// repoKeyApps: they may read its repository public key. The description
	// refuses them Codespaces' alone, though not Codespaces repository secrets.
	repoKeyApps bool
	// stringIDs: a secret write may name repositories by strings of digits
	// as well as by integers.
	stringIDs bool
}

// kinds are the kinds of secret GitHub has.
var kinds = map[string]kindRule{
	"actions":    {onGHES: true, apps: true, repoKeyApps: true, stringIDs: true},
	"dependabot": {onGHES: true, apps: true, repoKeyApps: true, stringIDs: true},
	"codespaces": {onGHES: false, apps: false, repoKeyApps: false},
	"agents":     {onGHES: false, apps: true, repoKeyApps: true},
}

// appsMay reports whether a GitHub App installation token may call the
// endpoint verb (an operation id without its kind) of kind, for an
// organization's secrets or a repository's (or environment's). A user's
// secrets are the user's alone: an installation is no user.
func appsMay(kind, verb string, org bool) bool {
	switch {
	case strings.HasSuffix(verb, "-for-authenticated-user"):
		return false
	case org:
		return kinds[kind].apps
	case verb == "get-repo-public-key":
		return kinds[kind].repoKeyApps
	}
	return true
}

type secret struct {
	name    string
	created time.Time
	listed
	value []byte
	keyID string
}

// New returns a Server that accepts only opts.Token and knows opts.Orgs.
func New(opts Options) *Server {
	if opts.Token == "" {
		panic("fakegithub: Options.Token is required")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if opts.PrimaryLimit < 0 {
		panic("fakegithub: Options.PrimaryLimit is negative")
	}
	s := &Server{
		token:         opts.Token,
		now:           now,
		orgs:          map[string]*org{},
		nextOrgID:     firstOrgID,
		nextRepoID:    firstRepoID,
		nextEnvID:     firstEnvID,
		requestTag:    uint32(randomUint64()),
		primaryLimit:  opts.PrimaryLimit,
		rateLimitsOff: opts.RateLimitsOff,
		appReg:        appRegistry{ttl: defaultInstallationTokenTTL, tokens: map[string]installationToken{}},
		ghes:          opts.GHES,
		user:          &user{login: cmp.Or(opts.User, "octocat"), id: firstUserID, codespaces: newStore(userHolder)},
	}
	s.ops = s.operations()
	s.KindSecrets = KindSecrets{s: s, kind: "actions"}
	s.traffic.init(opts)
	s.SetHostile(opts.Hostile)
	for _, login := range opts.Orgs {
		s.AddOrg(login)
	}
	return s
}

// ServeHTTP answers one API request and records it. Every response is
// buffered, so its status, ETag and Date are settled before anything is sent.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Routed as sent: an environment name's %2F is no separator.
	path, prefix := stripPrefix(r.URL.EscapedPath())
	path = s.byRepositoryID(path)
	ex := &exchange{
		req:     Request{Method: r.Method, Path: path, Query: r.URL.RawQuery},
		out:     newBufferedResponse(w.Header()),
		hostile: s.hostility(),
	}
	if ex.hostile.EchoRequests {
		ex.reqBody = keepBody(r)
	}
	// Traffic control is for the API's callers: requests refused for
	// authentication see neither faults nor limits.
	_, authed := s.authenticate(r)
	slot := s.traffic.enter(authed)
	defer s.traffic.leave(slot)
	s.setIdentityHeaders(ex.out.Header())

	if err := s.traffic.wait(r.Context()); err != nil {
		s.record(ex.req, 0)
		return
	}
	switch f := s.fault(authed); {
	case f == dropFault:
		s.record(ex.req, 0)
		dropConnection(w)
		return
	case f != noFault:
		writeFault(ex.out, f)
	case !s.chargePrimary(ex, authed):
		rejectPrimary(ex.out)
	default:
		if retry, ok := s.traffic.admit(slot, r.Method, endpoint(r.Method, path), s.now()); !ok {
			s.rejectSecondary(ex.out, retry)
		} else if !s.hostileRedirect(ex.out, r, ex.hostile) {
			s.route(ex.out, r, path, prefix)
			if s.dropsAnswer(r.Method, path, ex.out.status) {
				s.record(ex.req, 0)
				dropConnection(w)
				return
			}
		}
	}
	s.finish(w, r, ex)
}

func stripPrefix(p string) (path, prefix string) {
	if p == ghesPrefix || strings.HasPrefix(p, ghesPrefix+"/") {
		rest := strings.TrimPrefix(p, ghesPrefix)
		if rest == "" {
			rest = "/"
		}
		return rest, ghesPrefix
	}
	return p, ""
}

func (s *Server) setIdentityHeaders(h http.Header) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.requestSeq++
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("%04X:%04X:%07X:%07X:%08X",
		s.requestTag>>16, s.requestTag&0xffff, s.requestSeq, uint32(randomUint64())&0xfffffff, uint32(s.now().Unix())))
	h.Set("X-GitHub-Api-Version-Selected", apiVersion)
	if s.ghes {
		h.Set("X-GitHub-Enterprise-Version", ghesVersion)
	}
}

// call carries what every handler needs about the request.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	s      *Server
	prefix string        // "/api/v3" when the request used it
	path   string        // as routed: escaped, without the prefix
	params routes.Params // the path's placeholders: org, secret_name, repository_id, ...
	org    *org
	place  place  // the org, or the repository or environment the path names
	kind   string // of the secrets the path names; "" for other endpoints
	store  *store // the place's secrets of kind
	docs   string // documentation_url for errors of this endpoint
}

// operations are the endpoints of the route table this fake serves, by
// GitHub's operation id; a secret's endpoints are the same for every kind
// ("dependabot/get-org-secret"), so they are listed by the part after the
// kind. One handler serves a secret's endpoint in every scope: the call's
// store is the scope's. The rest of the table answers 404.
func (s *Server) operations() map[string]func(*call) {
	return map[string]func(*call){
		"list-org-secrets":                     s.listSecrets,
		"get-org-public-key":                   s.getPublicKey,
		"get-org-secret":                       s.getSecret,
		"create-or-update-org-secret":          s.putSecret,
		"delete-org-secret":                    s.deleteSecret,
		"list-repo-secrets":                    s.listSecrets,
		"get-repo-public-key":                  s.getPublicKey,
		"get-repo-secret":                      s.getSecret,
		"create-or-update-repo-secret":         s.putSecret,
		"delete-repo-secret":                   s.deleteSecret,
		"list-environment-secrets":             s.listSecrets,
		"get-environment-public-key":           s.getPublicKey,
		"get-environment-secret":               s.getSecret,
		"create-or-update-environment-secret":  s.putSecret,
		"delete-environment-secret":            s.deleteSecret,
		"list-selected-repos-for-org-secret":   s.listSecretRepositories,
		"set-selected-repos-for-org-secret":    s.setSecretRepositories,
		"add-selected-repo-to-org-secret":      s.addSecretRepository,
		"remove-selected-repo-from-org-secret": s.removeSecretRepository,
		// The token's user's Codespaces secrets.
		"list-secrets-for-authenticated-user":                 s.listSecrets,
		"get-public-key-for-authenticated-user":               s.getPublicKey,
		"get-secret-for-authenticated-user":                   s.getSecret,
		"create-or-update-secret-for-authenticated-user":      s.putSecret,
		"delete-secret-for-authenticated-user":                s.deleteSecret,
		"list-repositories-for-secret-for-authenticated-user": s.listSecretRepositories,
		"set-repositories-for-secret-for-authenticated-user":  s.setSecretRepositories,
		"add-repository-for-secret-for-authenticated-user":    s.addSecretRepository,
		"remove-repository-for-secret-for-authenticated-user": s.removeSecretRepository,
		"repos/list-for-org":                                  s.listOrgRepositories,
		"repos/get":                                           s.getRepository,
		"repos/get-all-environments":                          s.listEnvironments,
		"repos/get-environment":                               s.getEnvironment,
		"repos/create-or-update-environment":                  s.putEnvironment,
		"repos/delete-an-environment":                         s.deleteEnvironment,
		"orgs/get":                                            s.getOrganization,
		"private-registries/list-org-private-registries":      s.listRegistries,
		"private-registries/create-org-private-registry":      s.createRegistry,
		"private-registries/get-org-public-key":               s.getRegistryKey,
		"private-registries/get-org-private-registry":         s.getRegistry,
		"private-registries/update-org-private-registry":      s.updateRegistry,
		"private-registries/delete-org-private-registry":      s.deleteRegistry,

		// Variables, of the Actions and Copilot coding agent kinds (variables.go).
		"list-org-variables":                     s.listVariables,
		"create-org-variable":                    s.createVariable,
		"get-org-variable":                       s.getVariable,
		"update-org-variable":                    s.updateVariable,
		"delete-org-variable":                    s.deleteVariable,
		"list-selected-repos-for-org-variable":   s.listVariableRepositories,
		"set-selected-repos-for-org-variable":    s.setVariableRepositories,
		"add-selected-repo-to-org-variable":      s.addVariableRepository,
		"remove-selected-repo-from-org-variable": s.removeVariableRepository,
		"list-repo-variables":                    s.listVariables,
		"create-repo-variable":                   s.createVariable,
		"get-repo-variable":                      s.getVariable,
		"update-repo-variable":                   s.updateVariable,
		"delete-repo-variable":                   s.deleteVariable,
		"list-repo-organization-variables":       s.listRepoOrganizationVariables,
		"list-environment-variables":             s.listVariables,
		"create-environment-variable":            s.createVariable,
		"get-environment-variable":               s.getVariable,
		"update-environment-variable":            s.updateVariable,
		"delete-environment-variable":            s.deleteVariable,
	}
}

// operation finds the handler of a route's operation id and the kind of
// secret it serves ("" for an endpoint of no kind).
func (s *Server) operation(id string) (op func(*call), kind string) {
	if op := s.ops[id]; op != nil {
		return op, ""
	}
	kind, verb, _ := strings.Cut(id, "/")
	if _, ok := kinds[kind]; !ok {
		return nil, ""
	}
	return s.ops[verb], kind
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, path, prefix string) {
	rts, params := routes.Find(path)
	i := slices.IndexFunc(rts, func(rt routes.Route) bool { return rt.Method == r.Method })
	// The token exchange's path is authenticated by the app's JWT, not by a token.
	if len(rts) == 1 && rts[0].Operation == opCreateInstallationToken {
		if i < 0 {
			writeError(w, http.StatusNotFound, "Not Found", docsRoot)
			return
		}
		s.createInstallationToken(w, r, params["installation_id"])
		return
	}
	if msg, ok := s.authenticate(r); !ok {
		writeError(w, http.StatusUnauthorized, msg, docsRoot)
		return
	}
	var op func(*call)
	var kind string
	if i >= 0 {
		op, kind = s.operation(rts[i].Operation)
	}
	// GitHub Enterprise Server 3.19 has only some kinds; the rest is 404 there.
	if op == nil || (kind != "" && s.ghes && !kinds[kind].onGHES) {
		writeError(w, http.StatusNotFound, "Not Found", docsRoot)
		return
	}
	c := &call{w: w, r: r, s: s, prefix: prefix, path: path, params: params, kind: kind, docs: rts[i].Docs}
	_, inRepo := params["repo"]
	if kind != "" && s.byInstallation(r) && !appsMay(kind, rts[i].Operation[len(kind)+1:], !inRepo) {
		c.fail(http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// A missing organization, repository or environment is 404 for every
	// endpoint under it. An environment's own endpoints find (or make) it
	// themselves.
	owner := cmp.Or(params["org"], params["owner"])
	env := ""
	if kind != "" {
		env = params["environment_name"]
	}
	p, ok := s.locate(owner, params["repo"], env)
	if strings.HasPrefix(path, "/user/") {
		p, ok = place{user: s.user}, true
	}
	if !ok {
		if !s.redirectFormerName(c, path) {
			c.fail(http.StatusNotFound, "Not Found")
		}
		return
	}
	c.place, c.org = p, p.org
	// Variables are no secrets: they keep stores of their own (variables.go).
	if kind != "" && !isVariableOperation(rts[i].Operation) {
		c.store = p.store(kind)
	}
	if !c.permitted(rts[i].Operation) {
		return
	}
	op(c)
}

func (s *Server) authenticate(r *http.Request) (msg string, ok bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return "Requires authentication", false
	}
	scheme, token, found := strings.Cut(h, " ")
	if !found || (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) {
		return "Bad credentials", false
	}
	// The static token, or an installation token this server issued until it expires.
	if token = strings.TrimSpace(token); token != s.token && !s.installationTokenValid(token) {
		return "Bad credentials", false
	}
	return "", true
}

// byInstallation reports whether r authenticated with an App installation
// token rather than the server's own token.
func (s *Server) byInstallation(r *http.Request) bool {
	_, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	return token != s.token && s.installationTokenValid(token)
}

type apiError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

func writeError(w http.ResponseWriter, status int, msg, docs string) {
	writeJSON(w, status, apiError{Message: msg, DocumentationURL: docs, Status: strconv.Itoa(status)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: encoding response: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeNoContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// stamp returns the updated_at of a change to a secret last changed at prev
// (zero for a new one), at GitHub's one-second resolution: secrets changed in
// the same second share it, as on GitHub. One secret's own stamps strictly
// increase, a test seam so that a change made within a second of the
// provider's write still shows, deterministically. w, when it is the answer
// being built, is never dated before the stamp: GitHub stamps a write before
// it answers.
func (s *Server) stamp(prev time.Time, w http.ResponseWriter) time.Time {
	t := s.now().UTC().Truncate(time.Second)
	if next := prev.Add(time.Second); !prev.IsZero() && t.Before(next) {
		t = next
	}
	if b, ok := w.(*bufferedResponse); ok && t.After(b.stamp) {
		b.stamp = t
	}
	return t
}

func newKeyPair() (keyID string, public, private *[32]byte) {
	public, private, err := box.GenerateKey(rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: generating key pair: %v", err))
	}
	// GitHub key ids are 18-19 digit decimal strings.
	const low = 100_000_000_000_000_000
	return strconv.FormatUint(low+randomUint64()%(9*low), 10), public, private
}

func randomUint64() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("fakegithub: reading random bytes: %v", err))
	}
	return binary.BigEndian.Uint64(b[:])
}

func seal(st *store, plaintext []byte) string {
	sealed, err := box.SealAnonymous(nil, plaintext, st.public, rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: sealing: %v", err))
	}
	return base64.StdEncoding.EncodeToString(sealed)
}
