package fakegithub

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"
)

// An organization's private registries (Dependabot's), as GitHub's API
// description has them: configurations GitHub names itself, sealed for a key
// pair of their own, apart from every kind of secret.

// registryTypes are the registry_type values the description lists.
var registryTypes = []string{
	"maven_repository", "nuget_feed", "goproxy_server", "npm_registry", "rubygems_server",
	"cargo_registry", "composer_repository", "docker_registry", "git_source", "helm_registry",
	"hex_organization", "hex_repository", "pub_repository", "python_index", "terraform_registry",
}

// registryAuth is what one auth_type needs: a sealed value, or the OIDC
// fields it requires and those it may have.
type registryAuth struct {
	sealed             bool
	required, optional []string
}

var registryAuths = map[string]registryAuth{
	"token":             {sealed: true},
	"username_password": {sealed: true},
	"oidc_azure":        {required: []string{"tenant_id", "client_id"}},
	"oidc_aws":          {required: []string{"aws_region", "account_id", "role_name", "domain", "domain_owner"}, optional: []string{"audience"}},
	"oidc_jfrog":        {required: []string{"jfrog_oidc_provider_name"}, optional: []string{"audience", "identity_mapping_name"}},
	"oidc_cloudsmith":   {required: []string{"namespace", "service_slug", "audience"}, optional: []string{"api_host"}},
	"oidc_gcp":          {required: []string{"workload_identity_provider"}, optional: []string{"service_account", "audience"}},
}

// registryAuthTypes are the auth_type values, in the description's order.
var registryAuthTypes = []string{"token", "username_password", "oidc_azure", "oidc_aws", "oidc_jfrog", "oidc_cloudsmith", "oidc_gcp"}

// oidcFieldNames are every OIDC field, in the description's order.
var oidcFieldNames = []string{
	"tenant_id", "client_id", "aws_region", "account_id", "role_name", "domain", "domain_owner",
	"jfrog_oidc_provider_name", "audience", "identity_mapping_name", "namespace", "service_slug",
	"api_host", "workload_identity_provider", "service_account",
}

// RegistryOIDC are a registry's OIDC fields; only those of its auth type are
// ever set.
type RegistryOIDC struct {
	TenantID                 string `json:"tenant_id,omitempty"`
	ClientID                 string `json:"client_id,omitempty"`
	AWSRegion                string `json:"aws_region,omitempty"`
	AccountID                string `json:"account_id,omitempty"`
	RoleName                 string `json:"role_name,omitempty"`
	Domain                   string `json:"domain,omitempty"`
	DomainOwner              string `json:"domain_owner,omitempty"`
	JFrogOIDCProviderName    string `json:"jfrog_oidc_provider_name,omitempty"`
	Audience                 string `json:"audience,omitempty"`
	IdentityMappingName      string `json:"identity_mapping_name,omitempty"`
	Namespace                string `json:"namespace,omitempty"`
	ServiceSlug              string `json:"service_slug,omitempty"`
	APIHost                  string `json:"api_host,omitempty"`
	WorkloadIdentityProvider string `json:"workload_identity_provider,omitempty"`
	ServiceAccount           string `json:"service_account,omitempty"`
}

// field is the OIDC field of the API name name.
func (o *RegistryOIDC) field(name string) *string {
	switch name {
	case "tenant_id":
		return &o.TenantID
	case "client_id":
		return &o.ClientID
	case "aws_region":
		return &o.AWSRegion
	case "account_id":
		return &o.AccountID
	case "role_name":
		return &o.RoleName
	case "domain":
		return &o.Domain
	case "domain_owner":
		return &o.DomainOwner
	case "jfrog_oidc_provider_name":
		return &o.JFrogOIDCProviderName
	case "audience":
		return &o.Audience
	case "identity_mapping_name":
		return &o.IdentityMappingName
	case "namespace":
		return &o.Namespace
	case "service_slug":
		return &o.ServiceSlug
	case "api_host":
		return &o.APIHost
	case "workload_identity_provider":
		return &o.WorkloadIdentityProvider
	case "service_account":
		return &o.ServiceAccount
	}
	panic("fakegithub: no OIDC field " + name)
}

// RegistryInfo is what GitHub holds for a private registry, apart from its
// value.
type RegistryInfo struct {
	Name         string // GitHub's, upper-case
	RegistryType string
	URL          string
	Username     string // "" for none
	ReplacesBase bool
	Visibility   string // all | private | selected
	// Sorted ascending; non-nil (possibly empty) exactly when Visibility is selected.
	SelectedRepositoryIDs []int64
	AuthType              string // token, username_password or an oidc_* type
	OIDC                  RegistryOIDC
	KeyID                 string // key_id the value was sealed for; "" for OIDC
	CreatedAt, UpdatedAt  time.Time
}

// registries are an organization's private registries with their key pair.
type registries struct {
	keyID   string
	public  *[32]byte
	private *[32]byte
	byName  map[string]*registry // by upper-case name
}

type registry struct {
	RegistryInfo
	value []byte // nil for OIDC
}

// registriesOf is o's registries, made with a key pair when first used. The
// caller holds s.mu.
func (o *org) registriesOf() *registries {
	if o.registries == nil {
		keyID, public, private := newKeyPair()
		o.registries = &registries{keyID: keyID, public: public, private: private, byName: map[string]*registry{}}
	}
	return o.registries
}

// registryJSON is both of the description's shapes: the configuration, and
// with SelectedRepositoryIDs the create answer's. No value ever.
type registryJSON struct {
	Name                  string   `json:"name"`
	RegistryType          string   `json:"registry_type"`
	AuthType              string   `json:"auth_type"`
	URL                   string   `json:"url"`
	Username              string   `json:"username,omitempty"`
	ReplacesBase          bool     `json:"replaces_base"`
	Visibility            string   `json:"visibility"`
	SelectedRepositoryIDs *[]int64 `json:"selected_repository_ids,omitempty"`
	RegistryOIDC
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func (r *registry) json(withRepos bool) registryJSON {
	out := registryJSON{
		Name: r.Name, RegistryType: r.RegistryType, AuthType: r.AuthType, URL: r.URL, Username: r.Username,
		ReplacesBase: r.ReplacesBase, Visibility: r.Visibility, RegistryOIDC: r.OIDC,
		CreatedAt: formatTime(r.CreatedAt), UpdatedAt: formatTime(r.UpdatedAt),
	}
	if withRepos && r.Visibility == "selected" {
		ids := slices.Clone(r.SelectedRepositoryIDs)
		if ids == nil {
			ids = []int64{}
		}
		out.SelectedRepositoryIDs = &ids
	}
	return out
}

func (c *call) registries() *registries { return c.org.registriesOf() }

// registry finds the path's registry or answers 404.
func (c *call) registry() (*registry, bool) {
	reg := c.registries().byName[strings.ToUpper(c.params["secret_name"])]
	if reg == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return nil, false
	}
	return reg, true
}

func (s *Server) listRegistries(c *call) {
	rs := c.registries()
	names := sortedKeys(rs.byName)
	start, end := paginate(c, len(names))
	page := make([]registryJSON, 0, end-start)
	for _, name := range names[start:end] {
		page = append(page, rs.byName[name].json(false))
	}
	writeJSON(c.w, http.StatusOK, struct {
		TotalCount     int            `json:"total_count"`
		Configurations []registryJSON `json:"configurations"`
	}{len(names), page})
}

func (s *Server) getRegistryKey(c *call) {
	rs := c.registries()
	writeJSON(c.w, http.StatusOK, struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}{rs.keyID, base64.StdEncoding.EncodeToString(rs.public[:])})
}

func (s *Server) getRegistry(c *call) {
	if reg, ok := c.registry(); ok {
		writeJSON(c.w, http.StatusOK, reg.json(false))
	}
}

func (s *Server) deleteRegistry(c *call) {
	if reg, ok := c.registry(); ok {
		delete(c.registries().byName, reg.Name)
		writeNoContent(c.w)
	}
}

// createRegistry makes a registry of the body and names it as GitHub does:
// the registry type upper-cased with _SECRET.
func (s *Server) createRegistry(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	if msg := body.missing("registry_type", "url", "visibility"); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	reg := &registry{RegistryInfo: RegistryInfo{AuthType: "token"}}
	if !s.applyRegistry(c, reg, body, true) {
		return
	}
	rs := c.registries()
	reg.Name = freeRegistryName(rs, reg.RegistryType)
	reg.CreatedAt = s.stamp(time.Time{}, c.w)
	reg.UpdatedAt = reg.CreatedAt
	rs.byName[reg.Name] = reg
	writeJSON(c.w, http.StatusCreated, reg.json(true))
}

// freeRegistryName is GitHub's name for a registry of registryType. Where
// that is taken, the fake's choice is the first free numeric suffix
// (MAVEN_REPOSITORY_SECRET_1, _2, ...).
func freeRegistryName(rs *registries, registryType string) string {
	base := strings.ToUpper(registryType) + "_SECRET"
	name := base
	for n := 1; rs.byName[name] != nil; n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	return name
}

// updateRegistry changes what the body names; the result must be a
// configuration a create would accept.
func (s *Server) updateRegistry(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	reg, ok := c.registry()
	if !ok {
		return
	}
	next := &registry{RegistryInfo: reg.RegistryInfo, value: reg.value}
	next.SelectedRepositoryIDs = slices.Clone(reg.SelectedRepositoryIDs)
	if !s.applyRegistry(c, next, body, false) {
		return
	}
	next.UpdatedAt = s.stamp(reg.UpdatedAt, c.w)
	*reg = *next
	writeNoContent(c.w)
}

// applyRegistry checks a create's or update's body and applies it to reg,
// answering 422 (and leaving reg half changed) when GitHub would refuse it.
func (s *Server) applyRegistry(c *call, reg *registry, body requestBody, create bool) bool {
	fail := func(msg string) bool {
		c.fail(http.StatusUnprocessableEntity, msg)
		return false
	}
	strs := map[string]*string{}
	for _, name := range append([]string{"registry_type", "url", "visibility", "auth_type", "encrypted_value", "key_id"}, oidcFieldNames...) {
		if _, ok := body[name]; !ok {
			continue
		}
		var v string
		if msg := body.stringField(name, &v); msg != "" {
			return fail(msg)
		}
		strs[name] = &v
	}
	if v := strs["registry_type"]; v != nil {
		if !slices.Contains(registryTypes, *v) {
			return fail(notMember("registry_type", *v, registryTypes))
		}
		reg.RegistryType = *v
	}
	if v := strs["url"]; v != nil {
		if u, err := url.Parse(*v); err != nil || !u.IsAbs() || u.Host == "" {
			return fail(msgInvalidPrefix + fmt.Sprintf("For 'properties/url', %q is not a uri.", *v))
		}
		reg.URL = *v
	}
	if raw, ok := body["username"]; ok {
		var name *string
		if err := json.Unmarshal(raw, &name); err != nil {
			return fail(msgInvalidPrefix + fmt.Sprintf("For 'properties/username', %s is not a string or null.", showJSON(raw)))
		}
		reg.Username = ""
		if name != nil {
			reg.Username = *name
		}
	}
	if raw, ok := body["replaces_base"]; ok {
		if err := json.Unmarshal(raw, &reg.ReplacesBase); err != nil || string(raw) == "null" {
			return fail(msgInvalidPrefix + fmt.Sprintf("For 'properties/replaces_base', %s is not a boolean.", showJSON(raw)))
		}
	}
	if v := strs["auth_type"]; v != nil {
		if !slices.Contains(registryAuthTypes, *v) {
			return fail(notMember("auth_type", *v, registryAuthTypes))
		}
		if !create && *v != reg.AuthType {
			return fail(fmt.Sprintf("auth_type cannot be changed: the configuration's is %s. "+
				"To change the authentication type, delete and recreate the configuration.", reg.AuthType))
		}
		reg.AuthType = *v
	}
	if !s.applyVisibility(c, reg, body, strs["visibility"]) {
		return false
	}

	auth := registryAuths[reg.AuthType]
	allowed := append(slices.Clone(auth.required), auth.optional...)
	for _, name := range oidcFieldNames {
		if v := strs[name]; v != nil {
			if !slices.Contains(allowed, name) {
				return fail(fmt.Sprintf("%s is not used with auth_type %s.", name, reg.AuthType))
			}
			*reg.OIDC.field(name) = *v
		}
	}
	var missing []string
	for _, name := range auth.required {
		if *reg.OIDC.field(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fail(fmt.Sprintf("auth_type %s requires %s.", reg.AuthType, strings.Join(missing, ", ")))
	}
	if reg.AuthType == "username_password" && reg.Username == "" {
		return fail("auth_type username_password requires username.")
	}

	enc, keyID := strs["encrypted_value"], strs["key_id"]
	if enc != nil {
		s.noteCiphertext(*enc)
	}
	switch {
	case !auth.sealed && (enc != nil || keyID != nil):
		return fail(fmt.Sprintf("encrypted_value and key_id must be omitted for auth_type %s.", reg.AuthType))
	case !auth.sealed:
		return true
	case create && (enc == nil || keyID == nil):
		return fail(fmt.Sprintf("encrypted_value and key_id are required for auth_type %s.", reg.AuthType))
	case (enc == nil) != (keyID == nil):
		return fail("encrypted_value and key_id go together: send both or neither.")
	case enc == nil:
		return true
	}
	plaintext, ok := c.openRegistryValue(*enc, *keyID)
	if !ok {
		return false
	}
	reg.value, reg.KeyID = plaintext, *keyID
	return true
}

// applyVisibility applies a write's visibility and repository list.
func (s *Server) applyVisibility(c *call, reg *registry, body requestBody, visibility *string) bool {
	if visibility != nil {
		if !isVisibility(*visibility) {
			c.fail(http.StatusUnprocessableEntity, notMember("visibility", *visibility, visibilities))
			return false
		}
		reg.Visibility = *visibility
	}
	ids, msg := body.selectedIDs(false)
	if msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return false
	}
	_, sent := body["selected_repository_ids"]
	switch {
	case sent && reg.Visibility != "selected":
		c.fail(http.StatusUnprocessableEntity,
			"You can only provide a list of repository ids when the visibility is set to selected.")
		return false
	case reg.Visibility != "selected":
		reg.SelectedRepositoryIDs = nil
		return true
	case sent:
		var unknown []string
		for _, id := range ids {
			if _, ok := c.org.repos[id]; !ok {
				unknown = append(unknown, strconv.FormatInt(id, 10))
			}
		}
		if len(unknown) > 0 {
			c.fail(http.StatusUnprocessableEntity, fmt.Sprintf("Repository ids %s are not repositories of the %s organization.",
				strings.Join(unknown, ", "), c.org.login))
			return false
		}
		slices.Sort(ids)
		reg.SelectedRepositoryIDs = ids
	}
	if reg.SelectedRepositoryIDs == nil {
		reg.SelectedRepositoryIDs = []int64{}
	}
	return true
}

// openRegistryValue opens a value sealed for the registries' key, or
// answers 422 as a secret write does.
func (c *call) openRegistryValue(encrypted, keyID string) ([]byte, bool) {
	rs := c.registries()
	if !encryptedValuePattern.MatchString(encrypted) {
		c.fail(http.StatusUnprocessableEntity, msgInvalidPrefix+
			"For 'properties/encrypted_value', the value does not match /"+encryptedValuePattern.String()+"/.")
		return nil, false
	}
	if keyID != rs.keyID {
		c.fail(http.StatusUnprocessableEntity, fmt.Sprintf(
			"Bad key_id: %q is not the current public key of the organization's private registries. "+
				"Get the public key again and re-encrypt the value.", keyID))
		return nil, false
	}
	sealed, err := base64.StdEncoding.DecodeString(encrypted)
	var plaintext []byte
	ok := false
	if err == nil {
		plaintext, ok = box.OpenAnonymous(nil, sealed, rs.public, rs.private)
	}
	if !ok {
		c.fail(http.StatusUnprocessableEntity,
			"Bad encrypted_value: it could not be decrypted with the public key of key_id "+keyID+".")
		return nil, false
	}
	if len(plaintext) > maxSecretBytes {
		c.fail(http.StatusUnprocessableEntity, "Secret value is too large: secrets are limited to 48 KB.")
		return nil, false
	}
	return plaintext, true
}

// notMember is the schema's refusal of a value outside an enum.
func notMember(field, v string, members []string) string {
	quoted := make([]string, len(members))
	for i, m := range members {
		quoted[i] = strconv.Quote(m)
	}
	return msgInvalidPrefix + fmt.Sprintf("For 'properties/%s', %q is not a member of [%s].", field, v, strings.Join(quoted, ", "))
}

// Test helpers for private registries. Like the others they take org logins
// and names case-insensitively and panic on misuse.

// mustRegistries is org's registries; the caller holds s.mu.
func (s *Server) mustRegistries(org string) (*org, *registries) {
	o := s.orgs[strings.ToLower(org)]
	if o == nil {
		panic(fmt.Sprintf("fakegithub: no org %q", org))
	}
	return o, o.registriesOf()
}

func (r *registry) info() RegistryInfo {
	info := r.RegistryInfo
	info.SelectedRepositoryIDs = slices.Clone(r.SelectedRepositoryIDs)
	return info
}

// Registries lists org's private registries by name; nil for an unknown org.
func (s *Server) Registries(org string) []RegistryInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(org)]
	if o == nil {
		return nil
	}
	rs := o.registriesOf()
	out := make([]RegistryInfo, 0, len(rs.byName))
	for _, name := range sortedKeys(rs.byName) {
		out = append(out, rs.byName[name].info())
	}
	return out
}

// Registry reports one private registry.
func (s *Server) Registry(org, name string) (RegistryInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(org)]
	if o == nil {
		return RegistryInfo{}, false
	}
	reg := o.registriesOf().byName[strings.ToUpper(name)]
	if reg == nil {
		return RegistryInfo{}, false
	}
	return reg.info(), true
}

// RegistryValue is the opened value GitHub holds for a private registry;
// false for an unknown one or one of an OIDC auth type.
func (s *Server) RegistryValue(org, name string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(org)]
	if o == nil {
		return nil, false
	}
	reg := o.registriesOf().byName[strings.ToUpper(name)]
	if reg == nil || reg.value == nil {
		return nil, false
	}
	return slices.Clone(reg.value), true
}

// RegistryPublicKey is org's private registries key as the public-key
// endpoint serves it.
func (s *Server) RegistryPublicKey(org string) (keyID, keyB64 string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rs := s.mustRegistries(org)
	return rs.keyID, base64.StdEncoding.EncodeToString(rs.public[:])
}

// RotateRegistryKey gives org's private registries a new key pair; values
// sealed for the old key_id are refused from then on.
func (s *Server) RotateRegistryKey(org string) (newKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rs := s.mustRegistries(org)
	rs.keyID, rs.public, rs.private = newKeyPair()
	return rs.keyID
}

// UpdateRegistry changes a private registry as if done in GitHub's UI:
// change may set anything but Name, CreatedAt, UpdatedAt and KeyID, which
// are kept; updated_at moves. It panics on an unknown registry or a result
// GitHub would refuse (unknown type, auth type or visibility, a repository
// not of org).
func (s *Server) UpdateRegistry(org, name string, change func(*RegistryInfo)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, rs := s.mustRegistries(org)
	reg := rs.byName[strings.ToUpper(name)]
	if reg == nil {
		panic(fmt.Sprintf("fakegithub: no private registry %q in org %q", name, org))
	}
	info := reg.info()
	change(&info)
	info.Name, info.CreatedAt, info.UpdatedAt, info.KeyID = reg.Name, reg.CreatedAt, reg.UpdatedAt, reg.KeyID
	switch {
	case !slices.Contains(registryTypes, info.RegistryType), !slices.Contains(registryAuthTypes, info.AuthType),
		!isVisibility(info.Visibility):
		panic(fmt.Sprintf("fakegithub: private registry %+v has an unknown type, auth type or visibility", info))
	case info.Visibility != "selected":
		info.SelectedRepositoryIDs = nil
	case info.SelectedRepositoryIDs == nil:
		info.SelectedRepositoryIDs = []int64{}
	}
	if msg := o.unknownRepository(info.SelectedRepositoryIDs); msg != "" {
		panic("fakegithub: " + msg)
	}
	slices.Sort(info.SelectedRepositoryIDs)
	if !registryAuths[info.AuthType].sealed {
		reg.value, info.KeyID = nil, ""
	}
	reg.RegistryInfo = info
	reg.UpdatedAt = s.stamp(reg.UpdatedAt, nil)
}

// SealForRegistries seals plaintext for org's private registries key, as a
// client does before it sends a credential.
func (s *Server) SealForRegistries(org string, plaintext []byte) (encryptedB64, keyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rs := s.mustRegistries(org)
	sealed, err := box.SealAnonymous(nil, plaintext, rs.public, rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: sealing: %v", err))
	}
	return base64.StdEncoding.EncodeToString(sealed), rs.keyID
}

// SetRegistryValueOutOfBand gives a registry of a credential auth type a
// new credential as if set in GitHub's UI, sealed for the current key;
// updated_at moves. It panics on an unknown registry or an OIDC one.
func (s *Server) SetRegistryValueOutOfBand(org, name string, plaintext []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rs := s.mustRegistries(org)
	reg := rs.byName[strings.ToUpper(name)]
	if reg == nil || !registryAuths[reg.AuthType].sealed {
		panic(fmt.Sprintf("fakegithub: no private registry %q with a credential in org %q", name, org))
	}
	reg.value, reg.KeyID = slices.Clone(plaintext), rs.keyID
	reg.UpdatedAt = s.stamp(reg.UpdatedAt, nil)
}

// DeleteRegistry deletes a private registry as if done in GitHub's UI; a
// missing one is no error.
func (s *Server) DeleteRegistry(org, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rs := s.mustRegistries(org)
	delete(rs.byName, strings.ToUpper(name))
}

// PutRegistryOutOfBand creates a private registry as if done in GitHub's
// UI: GitHub names it when info.Name is empty, auth_type is token when
// empty, and the timestamps are now. value is the credential (nil for an
// OIDC auth type), held as if sealed for the current key. It returns the
// registry as held, and panics where GitHub would refuse it.
func (s *Server) PutRegistryOutOfBand(org string, info RegistryInfo, value []byte) RegistryInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, rs := s.mustRegistries(org)
	if info.AuthType == "" {
		info.AuthType = "token"
	}
	auth, known := registryAuths[info.AuthType]
	switch {
	case !slices.Contains(registryTypes, info.RegistryType), !known, !isVisibility(info.Visibility), info.URL == "":
		panic(fmt.Sprintf("fakegithub: private registry %+v has no URL or an unknown type, auth type or visibility", info))
	case auth.sealed != (value != nil):
		panic(fmt.Sprintf("fakegithub: a private registry of auth_type %s takes a value: %t", info.AuthType, auth.sealed))
	case info.AuthType == "username_password" && info.Username == "":
		panic("fakegithub: auth_type username_password requires a username")
	}
	allowed := append(slices.Clone(auth.required), auth.optional...)
	for _, name := range oidcFieldNames {
		set := *info.OIDC.field(name) != ""
		if (set && !slices.Contains(allowed, name)) || (!set && slices.Contains(auth.required, name)) {
			panic(fmt.Sprintf("fakegithub: OIDC field %s is missing from or not used with auth_type %s", name, info.AuthType))
		}
	}
	if info.Visibility != "selected" {
		info.SelectedRepositoryIDs = nil
	} else if info.SelectedRepositoryIDs == nil {
		info.SelectedRepositoryIDs = []int64{}
	}
	if msg := o.unknownRepository(info.SelectedRepositoryIDs); msg != "" {
		panic("fakegithub: " + msg)
	}
	info.SelectedRepositoryIDs = slices.Sorted(slices.Values(info.SelectedRepositoryIDs))
	if info.Name == "" {
		info.Name = freeRegistryName(rs, info.RegistryType)
	}
	info.Name = strings.ToUpper(info.Name)
	if rs.byName[info.Name] != nil {
		panic(fmt.Sprintf("fakegithub: org %q already has private registry %q", org, info.Name))
	}
	info.KeyID = ""
	if value != nil {
		info.KeyID = rs.keyID
	}
	info.CreatedAt = s.stamp(time.Time{}, nil)
	info.UpdatedAt = info.CreatedAt
	reg := &registry{RegistryInfo: info, value: slices.Clone(value)}
	rs.byName[info.Name] = reg
	return reg.info()
}
