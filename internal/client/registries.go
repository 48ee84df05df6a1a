package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// An organization's private registries (Dependabot's): configurations that
// GitHub names itself (MAVEN_REPOSITORY_SECRET, ...), with a credential
// sealed for a key of their own, apart from every kind of secret.

// Registry is a private registry as GitHub reports it; its credential is
// never readable.
type Registry struct {
	Name         string // GitHub's, upper-case; compare with SameRegistryName
	RegistryType string
	URL          string
	Username     string // "" for none
	ReplacesBase bool
	Visibility   string // all, private or selected
	// SelectedRepositoryIDs is known only from the answer to a create (or
	// the request of a create that was adopted, see CreateRegistry): reads
	// leave it out. SelectedRepositoriesKnown says whether it is known.
	SelectedRepositoryIDs     []int64
	SelectedRepositoriesKnown bool
	AuthType                  string // token, username_password or an oidc_* type
	OIDC                      RegistryOIDC
	CreatedAt, UpdatedAt      time.Time
}

// RegistryOIDC are the fields of the OIDC auth types; a registry has those
// of its auth type. None is secret.
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

// fields are o's fields by their API names, set or not.
func (o RegistryOIDC) fields() map[string]string {
	return map[string]string{
		"tenant_id": o.TenantID, "client_id": o.ClientID, "aws_region": o.AWSRegion, "account_id": o.AccountID,
		"role_name": o.RoleName, "domain": o.Domain, "domain_owner": o.DomainOwner,
		"jfrog_oidc_provider_name": o.JFrogOIDCProviderName, "audience": o.Audience,
		"identity_mapping_name": o.IdentityMappingName, "namespace": o.Namespace, "service_slug": o.ServiceSlug,
		"api_host": o.APIHost, "workload_identity_provider": o.WorkloadIdentityProvider, "service_account": o.ServiceAccount,
	}
}

// RegistryWrite is a create (RegistryType, URL and Visibility required) or
// an update (any subset). A nil field is not sent, so an update changes
// only what is set.
type RegistryWrite struct {
	RegistryType *string
	URL          *string
	Username     *string // a pointer to "" says "no username" (sent as null)
	ReplacesBase *bool
	Visibility   *string
	// nil: not sent; non-nil (even empty): sent, and on an update it
	// replaces the list.
	SelectedRepositoryIDs []int64
	AuthType              *string      // a create without it is token; an update cannot change it
	OIDC                  RegistryOIDC // its non-empty fields are sent
	Credential            *RegistryCredential
}

// RegistryCredential is a registry's secret: Plaintext, which the client
// seals for the organization's registries key, or a value already sealed
// (EncryptedValue with the KeyID it was sealed for). Set one of the two.
type RegistryCredential struct {
	Plaintext             []byte
	EncryptedValue, KeyID string
}

// Ptr is a pointer to v, for RegistryWrite's fields.
func Ptr[T any](v T) *T { return &v }

// SameRegistryName reports whether two spellings name the same registry:
// GitHub compares them case-insensitively.
func SameRegistryName(a, b string) bool { return strings.EqualFold(a, b) }

// registriesPath lists org's registries.
func registriesPath(org string) (apiPath, error) {
	if err := CheckOwner(org); err != nil {
		return "", err
	}
	return ownerPath(org) + "/private-registries", nil
}

// registryPath is one registry's path; a registry name follows the rule of
// secret names, so "public-key" can never be one.
func registryPath(org, name string) (apiPath, error) {
	p, err := registriesPath(org)
	if err != nil {
		return "", err
	}
	if err := CheckSecretName(name); err != nil {
		return "", err
	}
	return p + "/" + apiPath(segment(name)), nil
}

// registryKeyScope is the key cache's key for org's registries key: no
// Scope has level 0, so it is apart from every kind's keys.
func registryKeyScope(org string) ScopeKey {
	return ScopeKey{kind: "private-registries", owner: fold(org)}
}

// registryJSON is both shapes GitHub answers with: a configuration, and a
// create's answer, which adds selected_repository_ids.
type registryJSON struct {
	Name                  string   `json:"name"`
	RegistryType          string   `json:"registry_type"`
	AuthType              string   `json:"auth_type"`
	URL                   string   `json:"url"`
	Username              *string  `json:"username"`
	ReplacesBase          bool     `json:"replaces_base"`
	Visibility            string   `json:"visibility"`
	SelectedRepositoryIDs *[]int64 `json:"selected_repository_ids"`
	RegistryOIDC
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// check refuses a registry GitHub would never report.
func (r registryJSON) check() error {
	if CheckSecretName(r.Name) != nil || r.RegistryType == "" || !knownVisibility(r.Visibility) ||
		r.CreatedAt.IsZero() || r.UpdatedAt.IsZero() {
		return errors.New("lacks a name, a registry_type, a known visibility, a created_at or an updated_at")
	}
	return nil
}

func (r registryJSON) registry() Registry {
	out := Registry{
		Name: r.Name, RegistryType: r.RegistryType, URL: r.URL, ReplacesBase: r.ReplacesBase,
		Visibility: r.Visibility, AuthType: r.AuthType, OIDC: r.RegistryOIDC,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if out.AuthType == "" {
		out.AuthType = "token" // GitHub's default, which older answers leave out
	}
	if r.Username != nil {
		out.Username = *r.Username
	}
	if r.SelectedRepositoryIDs != nil {
		out.SelectedRepositoryIDs = slices.Clone(*r.SelectedRepositoryIDs)
		out.SelectedRepositoriesKnown = true
	}
	return out
}

type registriesPage struct {
	TotalCount     *int           `json:"total_count"`
	Configurations []registryJSON `json:"configurations"`
}

func (p *registriesPage) check() error {
	if p.TotalCount == nil || p.Configurations == nil {
		return errors.New("the page has no total_count or no configurations array")
	}
	for i, r := range p.Configurations {
		if err := r.check(); err != nil {
			return fmt.Errorf("registry %d of the page %w", i+1, err)
		}
	}
	return nil
}

// RegistryPublicKey returns org's private registries key, read once for the
// Client's life as a scope's key is.
func (c *Client) RegistryPublicKey(ctx context.Context, org string) (*PublicKey, error) {
	fetch, err := c.registryKeyFetch(org)
	if err != nil {
		return nil, err
	}
	return keyResult(c.keys.get(ctx, registryKeyScope(org), fetch))
}

func (c *Client) registryKeyFetch(org string) (func(context.Context) (PublicKey, error), error) {
	p, err := registriesPath(org)
	if err != nil {
		return nil, err
	}
	return c.keyFetchAt(p+"/public-key", "the private registries key of organization "+org), nil
}

// registryKeyAfterRefusal is keyAfterRefusal for org's registries key.
func (c *Client) registryKeyAfterRefusal(ctx context.Context, org, refusedKeyID string) (*PublicKey, error) {
	fetch, err := c.registryKeyFetch(org)
	if err != nil {
		return nil, err
	}
	return c.keyAfterRefusalOf(ctx, registryKeyScope(org), refusedKeyID, fetch)
}

// ListRegistries returns every private registry of org, across all pages,
// in GitHub's order. Their repository lists are not known.
func (c *Client) ListRegistries(ctx context.Context, org string) ([]Registry, error) {
	p, err := registriesPath(org)
	if err != nil {
		return nil, err
	}
	items, err := listAll(ctx, c, p, func(pg *registriesPage) []registryJSON { return pg.Configurations })
	if err != nil {
		return nil, fmt.Errorf("the private registries of organization %s: %w", org, err)
	}
	out := make([]Registry, 0, len(items))
	for _, r := range items {
		out = append(out, r.registry())
	}
	return out, nil
}

// LookupRegistry returns one private registry from org's listing, read once
// for every registry a run reads (a page per 100 registries, not a request
// each) and again after this Client writes one; one the listing lacks is
// read on its own, and a missing one is an error IsNotFound recognises. Its
// repository list is not known.
func (c *Client) LookupRegistry(ctx context.Context, org, name string) (*Registry, error) {
	if _, err := registryPath(org, name); err != nil {
		return nil, err
	}
	all, err := c.registries.get(ctx, strings.ToLower(org), func(ctx context.Context) ([]Registry, error) {
		return c.ListRegistries(ctx, org)
	})
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if SameRegistryName(r.Name, name) {
			return &r, nil
		}
	}
	// Absent from the listing: asked on its own before anyone takes it for
	// gone, since a registry taken for gone is made again, and GitHub would
	// then keep two.
	return c.GetRegistry(ctx, org, name)
}

// forgetRegistries drops org's listing: this Client is about to change it.
func (c *Client) forgetRegistries(org string) { c.registries.forget(strings.ToLower(org)) }

// GetRegistry returns one private registry; a missing one is an error
// IsNotFound recognises.
func (c *Client) GetRegistry(ctx context.Context, org, name string) (*Registry, error) {
	p, err := registryPath(org, name)
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(p, ""), nil)
	if err != nil {
		return nil, err
	}
	var r registryJSON
	resp, err := c.do(req, &r)
	if err != nil {
		return nil, registryError(org, name, err)
	}
	if err := r.check(); err != nil || !SameRegistryName(r.Name, name) {
		return nil, fmt.Errorf("GET %s: %s: unexpected response: the registry %s, or is not %s",
			c.reqPath(req), statusLine(resp.StatusCode), errText(err, "has another name"), strings.ToUpper(name))
	}
	out := r.registry()
	return &out, nil
}

func errText(err error, otherwise string) string {
	if err != nil {
		return err.Error()
	}
	return otherwise
}

func registryError(org, name string, err error) error {
	return fmt.Errorf("private registry %s of organization %s: %w", strings.ToUpper(name), org, err)
}

// maxCreateSends bounds how often one create is sent after earlier sends
// may or may not have made the registry.
const maxCreateSends = 3

// CreateRegistry creates a private registry; GitHub names it. A create is
// not idempotent: the transport never sends it again by itself. After an
// answer that leaves unknown whether GitHub made the registry (no answer,
// a 5xx, an unreadable 2xx), CreateRegistry lists org's registries and
// adopts the one it made, if exactly one matches; only when none does is
// the create sent again. When a plaintext credential is refused (422) for a
// key that has since rotated, it is sealed again for the new key and sent
// again, as SetSecretValue does.
func (c *Client) CreateRegistry(ctx context.Context, org string, w RegistryWrite) (Registry, error) {
	p, err := registriesPath(org)
	if err != nil {
		return Registry{}, err
	}
	defer c.forgetRegistries(org)
	if w.RegistryType == nil || w.URL == nil || w.Visibility == nil {
		return Registry{}, errors.New("a private registry is created with a registry type, a URL and a visibility")
	}
	if err := w.Credential.check(); err != nil {
		return Registry{}, err
	}
	what := fmt.Sprintf("private registry of type %s at %s in organization %s", *w.RegistryType, *w.URL, org)
	var since time.Time // when the first send that may have made a registry began
	for sends, seals := 0, 0; ; {
		body, sealedFor, err := c.registryBody(ctx, org, w)
		if err != nil {
			return Registry{}, err
		}
		req, err := c.newRequest(withoutResend(ctx), http.MethodPost, c.endpoint(p, ""), body, sealedValue(body))
		if err != nil {
			return Registry{}, err
		}
		start := time.Now()
		sends++
		seals++
		var out registryJSON
		resp, err := c.do(req, &out)
		if err == nil {
			err = out.check()
			if err == nil {
				r := out.registry()
				r.SelectedRepositoriesKnown = true // a create's answer has the list when there is one
				return r, nil
			}
			err = fmt.Errorf("POST %s: %s: unexpected response: the registry %w", c.reqPath(req), statusLine(resp.StatusCode), err)
		}
		switch {
		case IsValidation(err) && sealedFor != "":
			if rerr := c.rotatedRegistryKey(ctx, org, sealedFor, seals, err); rerr != nil {
				return Registry{}, rerr
			}
			continue // a 422 made nothing: safe to send again
		case !mayHaveCreated(resp, err):
			return Registry{}, fmt.Errorf("%s: %w", what, err)
		}
		if since.IsZero() {
			since = start
		}
		if ctx.Err() != nil {
			return Registry{}, fmt.Errorf("%s: %w; GitHub may have made it, list the organization's private registries to see", what, err)
		}
		found, lerr := c.adoptCreated(ctx, org, w, since)
		switch {
		case lerr != nil:
			return Registry{}, errors.Join(fmt.Errorf("%s: %w", what, err),
				fmt.Errorf("looking for a registry that this create may have made: %w", lerr))
		case found != nil:
			return *found, nil
		case sends >= maxCreateSends:
			return Registry{}, fmt.Errorf("%s: %w (sent %d times, and no registry was made)", what, err, sends)
		}
	}
}

// mayHaveCreated reports whether a create answered so (resp nil: none) may
// have made the registry.
func mayHaveCreated(resp *http.Response, err error) bool {
	if resp == nil {
		return !errors.Is(err, context.Canceled)
	}
	return resp.StatusCode >= 500 || (resp.StatusCode >= 200 && resp.StatusCode <= 299)
}

// rotatedRegistryKey reads the key again after a write sealed for keyID was
// refused with err; nil when it changed, so the write may be sealed again.
func (c *Client) rotatedRegistryKey(ctx context.Context, org, keyID string, round int, err error) error {
	fresh, ferr := c.registryKeyAfterRefusal(ctx, org, keyID)
	switch {
	case ferr != nil:
		return errors.Join(err, fmt.Errorf("reading the private registries key again after the refusal: %w", ferr))
	case fresh.KeyID == keyID:
		return err // the key is current: GitHub refused something else
	case round >= maxSealRounds:
		return fmt.Errorf("%w (the public key changed %d times while this value was being written)", err, round)
	}
	return nil
}

// adoptCreated looks for the registry that a create of w, first sent at
// since, made: one of w's settings created no earlier than since.
func (c *Client) adoptCreated(ctx context.Context, org string, w RegistryWrite, since time.Time) (*Registry, error) {
	all, floor, err := c.listRegistriesSince(ctx, org, since)
	if err != nil {
		return nil, err
	}
	var matches []Registry
	for _, r := range all {
		if !r.CreatedAt.Before(floor) && w.describes(r) {
			matches = append(matches, r)
		}
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
		r := matches[0]
		// A listing leaves the repository list out; the create carried it,
		// and the registry is new, so it is the request's.
		r.SelectedRepositoriesKnown = true
		if r.Visibility == "selected" {
			r.SelectedRepositoryIDs = slices.Sorted(slices.Values(w.SelectedRepositoryIDs))
			if r.SelectedRepositoryIDs == nil {
				r.SelectedRepositoryIDs = []int64{}
			}
		}
		c.logger.Info(ctx, "adopted the private registry an unanswered create made", map[string]any{
			"organization": org, "registry": r.Name,
		})
		return &r, nil
	}
	names := make([]string, len(matches))
	for i, r := range matches {
		names[i] = r.Name
	}
	return nil, fmt.Errorf("the create may have been made more than once: registries %s all match it; "+
		"delete the ones not wanted", strings.Join(names, ", "))
}

// listRegistriesSince lists org's registries with floor, the earliest
// created_at GitHub can have given a registry made after since by the
// client's clock. GitHub's clock is read from the Date of the answer,
// which runs no later than the listing itself; both have one-second
// resolution. Without a Date, the client's clock stands in.
func (c *Client) listRegistriesSince(ctx context.Context, org string, since time.Time) ([]Registry, time.Time, error) {
	p, err := registriesPath(org)
	if err != nil {
		return nil, time.Time{}, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(p, "per_page=100"), nil)
	if err != nil {
		return nil, time.Time{}, err
	}
	var page registriesPage
	resp, err := c.do(req, &page)
	received := time.Now()
	if err == nil {
		err = page.check()
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	floor := since.UTC().Add(-time.Second).Truncate(time.Second)
	if date := responseDate(resp); !date.IsZero() {
		floor = date.Add(-received.Sub(since)).Truncate(time.Second)
	}
	if _, more := parseLink(resp.Header.Values("Link"))["next"]; more {
		all, err := c.ListRegistries(ctx, org)
		return all, floor, err
	}
	all := make([]Registry, 0, len(page.Configurations))
	for _, r := range page.Configurations {
		all = append(all, r.registry())
	}
	return all, floor, nil
}

// describes reports whether r has every setting the create w sent that a
// configuration shows.
func (w RegistryWrite) describes(r Registry) bool {
	authType := "token"
	if w.AuthType != nil {
		authType = *w.AuthType
	}
	same := r.RegistryType == deref(w.RegistryType) && r.URL == deref(w.URL) && r.Username == deref(w.Username) &&
		r.Visibility == deref(w.Visibility) && r.AuthType == authType &&
		(w.ReplacesBase == nil || r.ReplacesBase == *w.ReplacesBase)
	have := r.OIDC.fields()
	for name, v := range w.OIDC.fields() {
		same = same && (v == "" || have[name] == v)
	}
	return same
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (cr *RegistryCredential) check() error {
	if cr == nil {
		return nil
	}
	if (cr.Plaintext != nil) == (cr.EncryptedValue != "" || cr.KeyID != "") ||
		(cr.Plaintext == nil && (cr.EncryptedValue == "" || cr.KeyID == "")) {
		return errors.New("a private registry's credential is a plaintext or a sealed value with its key id, one of the two")
	}
	return nil
}

// registryBody is w as GitHub's JSON, its credential sealed; sealedFor is
// the key id the client sealed it for ("" when it did not).
func (c *Client) registryBody(ctx context.Context, org string, w RegistryWrite) (body map[string]any, sealedFor string, err error) {
	body = map[string]any{}
	for name, v := range map[string]*string{
		"registry_type": w.RegistryType, "url": w.URL, "visibility": w.Visibility, "auth_type": w.AuthType,
	} {
		if v != nil {
			body[name] = *v
		}
	}
	if w.Username != nil {
		body["username"] = w.Username
		if *w.Username == "" {
			body["username"] = nil
		}
	}
	if w.ReplacesBase != nil {
		body["replaces_base"] = *w.ReplacesBase
	}
	if w.SelectedRepositoryIDs != nil {
		body["selected_repository_ids"] = w.SelectedRepositoryIDs
	}
	for name, v := range w.OIDC.fields() {
		if v != "" {
			body[name] = v
		}
	}
	switch cr := w.Credential; {
	case cr == nil:
	case cr.Plaintext == nil:
		body["encrypted_value"], body["key_id"] = cr.EncryptedValue, cr.KeyID
	default:
		key, err := c.RegistryPublicKey(ctx, org)
		if err != nil {
			return nil, "", err
		}
		sealed, err := Seal(key.Key, cr.Plaintext)
		if err != nil {
			return nil, "", fmt.Errorf("private registry credential: %w", err)
		}
		body["encrypted_value"], body["key_id"] = sealed, key.KeyID
		sealedFor = key.KeyID
	}
	return body, sealedFor, nil
}

// sealedValue is the ciphertext body carries, for masking; "" for none.
func sealedValue(body map[string]any) string {
	v, _ := body["encrypted_value"].(string)
	return v
}

// UpdateRegistry changes what w sets of a private registry. A plaintext
// credential refused for a rotated key is sealed again and sent again.
func (c *Client) UpdateRegistry(ctx context.Context, org, name string, w RegistryWrite) error {
	p, err := registryPath(org, name)
	if err != nil {
		return err
	}
	defer c.forgetRegistries(org)
	if err := w.Credential.check(); err != nil {
		return err
	}
	for round := 1; ; round++ {
		body, sealedFor, err := c.registryBody(ctx, org, w)
		if err != nil {
			return err
		}
		req, err := c.newRequest(ctx, http.MethodPatch, c.endpoint(p, ""), body, sealedValue(body))
		if err != nil {
			return err
		}
		_, err = c.do(req, nil)
		if err == nil {
			return nil
		}
		err = registryError(org, name, err)
		if !IsValidation(err) || sealedFor == "" {
			return err
		}
		if rerr := c.rotatedRegistryKey(ctx, org, sealedFor, round, err); rerr != nil {
			return rerr
		}
	}
}

// DeleteRegistry deletes a private registry.
func (c *Client) DeleteRegistry(ctx context.Context, org, name string) error {
	p, err := registryPath(org, name)
	if err != nil {
		return err
	}
	defer c.forgetRegistries(org)
	req, err := c.newRequest(ctx, http.MethodDelete, c.endpoint(p, ""), nil)
	if err != nil {
		return err
	}
	if _, err := c.do(req, nil); err != nil {
		return registryError(org, name, err)
	}
	return nil
}

// resendOffKey marks a request context whose write the transport must not
// send again after a failure that may have followed the work.
type resendOffKey struct{}

// withoutResend is ctx for a write that is not idempotent: the transport
// still waits out rate limits (GitHub refused before doing anything) but
// leaves a connection error or a 5xx to the caller.
func withoutResend(ctx context.Context) context.Context {
	return context.WithValue(ctx, resendOffKey{}, true)
}

func resendOff(ctx context.Context) bool {
	off, _ := ctx.Value(resendOffKey{}).(bool)
	return off
}
