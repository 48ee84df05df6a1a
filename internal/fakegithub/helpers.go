package fakegithub

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// Test helpers. All are safe for concurrent use and take org logins and
// secret names case-insensitively. Those about secrets are KindSecrets'. Those that change state panic on misuse
// (unknown org, secret or repository; a name or visibility GitHub would
// refuse), since that is a bug in the test, not a case to simulate.

// AddOrg makes an organization exist, with its own key pair. Adding an
// existing org (in any case) changes nothing.
func (s *Server) AddOrg(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addOrg(login)
}

func (s *Server) addOrg(login string) *org {
	if login == "" {
		panic("fakegithub: empty org login")
	}
	if o := s.orgs[strings.ToLower(login)]; o != nil {
		return o
	}
	o := &org{login: login, id: s.nextOrgID, repos: map[int64]Repository{}, state: map[int64]*repoState{}, kinds: map[string]*store{}}
	for kind := range kinds {
		o.kinds[kind] = newStore(orgHolder)
	}
	s.nextOrgID++
	s.orgs[strings.ToLower(login)] = o
	return o
}

// AddRepository creates a repository in org (creating the org if needed) and
// returns it; a repository of that name already there is returned as is.
// Ids increase across the server, starting at 1296269.
func (s *Server) AddRepository(org, name string) Repository {
	if name == "" {
		panic("fakegithub: empty repository name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.addOrg(org)
	if id := o.repoNamed(name); id != 0 {
		return o.repos[id]
	}
	return s.insertRepo(o, Repository{Name: name})
}

// Repositories lists org's repositories by id; nil for an unknown org.
func (s *Server) Repositories(org string) []Repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(org)]
	if o == nil {
		return nil
	}
	out := make([]Repository, 0, len(o.repos))
	for _, id := range sortedKeys(o.repos) {
		out = append(out, o.repos[id])
	}
	return out
}

// KindSecrets are the helpers for one kind of organization secret. Server
// embeds the Actions kind's, so s.Secret(org, name) is an Actions secret and
// s.Kind("dependabot").Secret(org, name) a Dependabot one.
type KindSecrets struct {
	s    *Server
	kind string
}

// Kind is the helpers for kind: actions, dependabot, codespaces or agents.
func (s *Server) Kind(kind string) KindSecrets {
	mustKind(kind)
	return KindSecrets{s: s, kind: kind}
}

func mustKind(kind string) {
	if _, ok := kinds[kind]; !ok {
		panic(fmt.Sprintf("fakegithub: unknown kind of secret %q", kind))
	}
}

// org is the helpers for the kind's secrets in org.
func (k KindSecrets) org(org string) ScopeSecrets {
	return ScopeSecrets{s: k.s, kind: k.kind, owner: org}
}

// Secret reports a secret's metadata.
func (k KindSecrets) Secret(org, name string) (SecretInfo, bool) { return k.org(org).Secret(name) }

// SecretValue is the decrypted value GitHub holds for a secret.
func (k KindSecrets) SecretValue(org, name string) ([]byte, bool) {
	return k.org(org).SecretValue(name)
}

// Secrets lists org's secrets by name; nil for an unknown org.
func (k KindSecrets) Secrets(org string) []SecretInfo { return k.org(org).Secrets() }

// PutSecretOutOfBand creates or updates a secret as if done in GitHub's UI:
// updated_at moves, and the repository list becomes repoIDs when visibility
// is selected and is cleared otherwise.
func (k KindSecrets) PutSecretOutOfBand(org, name string, plaintext []byte, visibility string, repoIDs []int64) {
	k.s.mu.Lock()
	defer k.s.mu.Unlock()
	p, st := k.org(org).must()
	if !isVisibility(visibility) {
		panic(fmt.Sprintf("fakegithub: visibility %q is not one of all, private, selected", visibility))
	}
	if visibility != "selected" {
		repoIDs = nil
	}
	if msg := p.org.unknownRepository(repoIDs); msg != "" {
		panic("fakegithub: " + msg)
	}
	k.s.putOutOfBand(st, name, plaintext).setVisibility(visibility, repoIDs)
}

// RestoreSecret makes a secret hold exactly what info says (name,
// visibility, timestamps, repository list) and plaintext, sealed for the
// kind's current key, as a snapshot taken earlier held it.
func (k KindSecrets) RestoreSecret(org string, info SecretInfo, plaintext []byte) {
	k.s.mu.Lock()
	defer k.s.mu.Unlock()
	p, st := k.org(org).must()
	if msg := validateSecretName(info.Name); msg != "" {
		panic(fmt.Sprintf("fakegithub: secret name %q: %s", info.Name, msg))
	}
	if !isVisibility(info.Visibility) || info.CreatedAt.IsZero() || info.UpdatedAt.Before(info.CreatedAt) {
		panic(fmt.Sprintf("fakegithub: secret %+v has no visibility or no consistent timestamps", info))
	}
	if msg := p.org.unknownRepository(info.SelectedRepositoryIDs); msg != "" {
		panic("fakegithub: " + msg)
	}
	sec := &secret{name: strings.ToUpper(info.Name), created: info.CreatedAt.UTC(),
		listed: listed{updated: info.UpdatedAt.UTC()}, value: slices.Clone(plaintext), keyID: st.keyID}
	sec.setVisibility(info.Visibility, info.SelectedRepositoryIDs)
	st.secrets[sec.name] = sec
}

// DeleteSecretOutOfBand deletes a secret as if done in GitHub's UI; a
// missing secret is no error.
func (k KindSecrets) DeleteSecretOutOfBand(org, name string) { k.org(org).DeleteSecretOutOfBand(name) }

// SetSelectedRepositoriesOutOfBand replaces a selected secret's repository
// list as if done in GitHub's UI; updated_at moves only if the set changes.
func (k KindSecrets) SetSelectedRepositoriesOutOfBand(org, name string, ids []int64) {
	k.s.mu.Lock()
	defer k.s.mu.Unlock()
	p, st := k.org(org).must()
	sec := st.secrets[strings.ToUpper(name)]
	if sec == nil {
		panic(fmt.Sprintf("fakegithub: no %s secret %q in org %q", k.kind, name, org))
	}
	if sec.visibility != "selected" {
		panic(fmt.Sprintf("fakegithub: secret %q has visibility %q, not selected", name, sec.visibility))
	}
	if msg := p.org.unknownRepository(ids); msg != "" {
		panic("fakegithub: " + msg)
	}
	k.s.setRepositories(&sec.listed, ids, nil)
}

// PublicKey is the kind's current key in org as the public-key endpoint
// serves it.
func (k KindSecrets) PublicKey(org string) (keyID, keyB64 string) { return k.org(org).PublicKey() }

// RotatePublicKey gives the kind in org a new key pair; values sealed for
// the old key_id are refused from then on. Stored secrets keep their values.
func (k KindSecrets) RotatePublicKey(org string) (newKeyID string) {
	return k.org(org).RotatePublicKey()
}

// RotatePublicKeyAfterWrites rotates the kind's key in org right after the
// n-th next accepted secret value PUT of the kind, before that PUT is
// answered, so the writes after it that still use the old key_id get 422.
// n < 1 cancels a pending rotation.
func (k KindSecrets) RotatePublicKeyAfterWrites(org string, n int) {
	k.org(org).RotatePublicKeyAfterWrites(n)
}

// Seal encrypts plaintext for the kind's current key in org, as a client
// would.
func (k KindSecrets) Seal(org string, plaintext []byte) (encryptedB64, keyID string) {
	return k.org(org).Seal(plaintext)
}

// ScopeSecrets are the helpers for the secrets of one kind in one
// repository, s.Repo("dependabot", "acme", "api"), or of one environment,
// s.Env("acme", "api", "prod"). They find the repository or environment
// anew on each call, by name in any case; those that change state panic when
// it does not exist.
type ScopeSecrets struct {
	s                *Server
	kind             string
	owner, repo, env string
	user             bool // the token's user's Codespaces secrets
}

// User is the helpers for the Codespaces secrets of the user the token
// belongs to.
func (s *Server) User() ScopeSecrets { return ScopeSecrets{s: s, kind: "codespaces", user: true} }

// UserLogin is the login of the user the token belongs to.
func (s *Server) UserLogin() string { return s.user.login }

// locate finds the scope's place. The caller holds s.mu.
func (sc ScopeSecrets) locate() (place, bool) {
	if sc.user {
		return place{user: sc.s.user}, true
	}
	return sc.s.locate(sc.owner, sc.repo, sc.env)
}

// Repo is the helpers for repo's secrets of kind: actions, dependabot,
// codespaces or agents.
func (s *Server) Repo(kind, owner, repo string) ScopeSecrets {
	mustKind(kind)
	if repo == "" {
		panic("fakegithub: empty repository name")
	}
	return ScopeSecrets{s: s, kind: kind, owner: owner, repo: repo}
}

// Env is the helpers for the secrets of environment env of repo: Actions
// secrets, the only kind environments have.
func (s *Server) Env(owner, repo, env string) ScopeSecrets {
	if repo == "" || env == "" {
		panic("fakegithub: an environment needs its repository's name and its own")
	}
	return ScopeSecrets{s: s, kind: "actions", owner: owner, repo: repo, env: env}
}

// store is the scope's secrets; nil when the scope does not exist. The
// caller holds s.mu.
func (sc ScopeSecrets) store() *store {
	p, ok := sc.locate()
	if !ok {
		return nil
	}
	return p.store(sc.kind)
}

// must is store for helpers that need the scope to exist.
func (sc ScopeSecrets) must() (place, *store) {
	p, ok := sc.locate()
	if !ok {
		panic("fakegithub: unknown " + describePlace(sc.owner, sc.repo, sc.env))
	}
	return p, p.store(sc.kind)
}

func (sc ScopeSecrets) lookupSecret(name string) *secret {
	if st := sc.store(); st != nil {
		return st.secrets[strings.ToUpper(name)]
	}
	return nil
}

// Secret reports a secret's metadata.
func (sc ScopeSecrets) Secret(name string) (SecretInfo, bool) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	sec := sc.lookupSecret(name)
	if sec == nil {
		return SecretInfo{}, false
	}
	return sec.info(), true
}

// SecretValue is the decrypted value GitHub holds for a secret.
func (sc ScopeSecrets) SecretValue(name string) ([]byte, bool) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	sec := sc.lookupSecret(name)
	if sec == nil {
		return nil, false
	}
	return slices.Clone(sec.value), true
}

// Secrets lists the scope's secrets by name; nil when the scope does not
// exist.
func (sc ScopeSecrets) Secrets() []SecretInfo {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	st := sc.store()
	if st == nil {
		return nil
	}
	out := make([]SecretInfo, 0, len(st.secrets))
	for _, name := range sortedKeys(st.secrets) {
		out = append(out, st.secrets[name].info())
	}
	return out
}

// PutSecretOutOfBand creates or updates a secret as if done in GitHub's UI:
// updated_at moves. For an organization's secrets use KindSecrets, which
// sets the visibility too. A user's new secret selects no repository.
func (sc ScopeSecrets) PutSecretOutOfBand(name string, plaintext []byte) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	sec := sc.s.putOutOfBand(st, name, plaintext)
	if sc.user && sec.visibility == "" {
		sec.setVisibility("selected", nil)
	}
}

// SetSelectedRepositoriesOutOfBand replaces a user's secret's repository
// list as if done in GitHub's settings; updated_at moves when it changes.
func (sc ScopeSecrets) SetSelectedRepositoriesOutOfBand(name string, ids []int64) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	if !sc.user {
		panic("fakegithub: only a user's secrets are selected here; organization secrets through KindSecrets")
	}
	sec := sc.lookupSecret(name)
	if sec == nil {
		panic(fmt.Sprintf("fakegithub: the user has no Codespaces secret %q", name))
	}
	for _, id := range ids {
		if _, ok := sc.s.repositoryByID(id); !ok {
			panic(fmt.Sprintf("fakegithub: no repository has id %d", id))
		}
	}
	sc.s.setRepositories(&sec.listed, ids, nil)
}

// putOutOfBand writes a secret's value for a helper, panicking where GitHub
// would refuse the write. The caller holds s.mu.
func (s *Server) putOutOfBand(st *store, name string, plaintext []byte) *secret {
	if msg := validateSecretName(name); msg != "" {
		panic(fmt.Sprintf("fakegithub: secret name %q: %s", name, msg))
	}
	if len(plaintext) > maxSecretBytes {
		panic(fmt.Sprintf("fakegithub: secret value of %d bytes is over 48 KB", len(plaintext)))
	}
	if st.full(name) {
		panic(fmt.Sprintf("fakegithub: the %s already has %d secrets of the kind", st.holder.name, st.holder.limit))
	}
	sec, _ := s.writeValue(st, name, plaintext, nil)
	return sec
}

// DeleteSecretOutOfBand deletes a secret as if done in GitHub's UI; a
// missing secret is no error.
func (sc ScopeSecrets) DeleteSecretOutOfBand(name string) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	delete(st.secrets, strings.ToUpper(name))
}

// PublicKey is the scope's current key as its public-key endpoint serves it.
func (sc ScopeSecrets) PublicKey() (keyID, keyB64 string) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	return st.keyID, base64.StdEncoding.EncodeToString(st.public[:])
}

// RotatePublicKey gives the scope a new key pair; values sealed for the old
// key_id are refused from then on. Stored secrets keep their values.
func (sc ScopeSecrets) RotatePublicKey() (newKeyID string) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	return st.rotateKey()
}

// RotatePublicKeyAfterWrites rotates the scope's key right after the n-th
// next accepted secret value PUT to it, before that PUT is answered, so the
// writes after it that still use the old key_id get 422. n < 1 cancels a
// pending rotation.
func (sc ScopeSecrets) RotatePublicKeyAfterWrites(n int) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	st.rotateAfter = max(0, n)
}

// Seal encrypts plaintext for the scope's current key, as a client would.
func (sc ScopeSecrets) Seal(plaintext []byte) (encryptedB64, keyID string) {
	sc.s.mu.Lock()
	defer sc.s.mu.Unlock()
	_, st := sc.must()
	return seal(st, plaintext), st.keyID
}

func (st *store) rotateKey() (newKeyID string) {
	for {
		keyID, public, private := newKeyPair()
		if keyID != st.keyID {
			st.keyID, st.public, st.private = keyID, public, private
			return keyID
		}
	}
}

// valueWritten counts an accepted secret value PUT towards a pending rotation.
func (st *store) valueWritten() {
	if st.rotateAfter == 0 {
		return
	}
	if st.rotateAfter--; st.rotateAfter == 0 {
		st.rotateKey()
	}
}

// DeleteRepositoryOutOfBand deletes one of org's repositories as if done in
// GitHub's UI: its own secrets and environments go with it, and it
// disappears from every organization secret's and variable's selected
// repositories, of every kind, whose updated_at does not move.
func (s *Server) DeleteRepositoryOutOfBand(org string, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(org)
	if _, ok := o.repos[id]; !ok {
		panic(fmt.Sprintf("fakegithub: no repository %d in org %q", id, org))
	}
	delete(o.repos, id)
	delete(o.state, id)
	for _, st := range o.kinds {
		for _, sec := range st.secrets {
			delete(sec.repos, id)
		}
	}
	for _, vs := range o.variables {
		for _, v := range vs.vars {
			delete(v.repos, id)
		}
	}
}

// Requests returns every request served so far, in order.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return slices.Clone(s.requests)
}

// CountRequests counts the requests with the given method; "" counts all.
func (s *Server) CountRequests(method string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, r := range s.requests {
		if method == "" || strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}

// CountWrites counts PUT, POST, PATCH and DELETE requests.
func (s *Server) CountWrites() int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, r := range s.requests {
		switch r.Method {
		case "PUT", "POST", "PATCH", "DELETE":
			n++
		}
	}
	return n
}

// ResetRequests forgets the requests recorded so far and resets Stats.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	s.requests = nil
	s.logMu.Unlock()
	s.resetStats()
}

func (s *Server) mustOrg(login string) *org {
	o := s.orgs[strings.ToLower(login)]
	if o == nil {
		panic(fmt.Sprintf("fakegithub: unknown org %q", login))
	}
	return o
}

func (sec *secret) info() SecretInfo {
	info := SecretInfo{
		Name:       sec.name,
		Visibility: sec.visibility,
		CreatedAt:  sec.created,
		UpdatedAt:  sec.updated,
		KeyID:      sec.keyID,
	}
	if sec.visibility == "selected" {
		info.SelectedRepositoryIDs = sortedKeys(sec.repos)
		if info.SelectedRepositoryIDs == nil {
			info.SelectedRepositoryIDs = []int64{}
		}
	}
	return info
}

// Ciphertexts returns every encrypted_value the fake was sent, so tests can
// check that no sealed value surfaces where only metadata belongs.
func (s *Server) Ciphertexts() []string {
	s.sealedMu.Lock()
	defer s.sealedMu.Unlock()
	return slices.Clone(s.sealed)
}

func (s *Server) noteCiphertext(v string) {
	if v == "" {
		return
	}
	s.sealedMu.Lock()
	defer s.sealedMu.Unlock()
	s.sealed = append(s.sealed, v)
}
