package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// The rules of a private registry's configuration, as GitHub's API
// description states them: the registry types, and for each auth type
// whether it carries a credential and which of the OIDC fields it requires
// or takes. One table serves the schema, plan-time validation and the
// documentation.

// registryTypes are GitHub's registry types, in its description's order.
var registryTypes = []string{
	"maven_repository", "nuget_feed", "goproxy_server", "npm_registry", "rubygems_server", "cargo_registry",
	"composer_repository", "docker_registry", "git_source", "helm_registry", "hex_organization", "hex_repository",
	"pub_repository", "python_index", "terraform_registry",
}

// oidcField is one of the fields the OIDC auth types use; none is secret.
type oidcField struct {
	attr, description string
	get               func(*client.RegistryOIDC) *string
}

// oidcFields are every OIDC field, by attribute name (the API's own).
var oidcFields = []oidcField{
	{"tenant_id", "The tenant ID of the Azure AD application.", func(o *client.RegistryOIDC) *string { return &o.TenantID }},
	{"client_id", "The client ID of the Azure AD application.", func(o *client.RegistryOIDC) *string { return &o.ClientID }},
	{"aws_region", "The AWS region.", func(o *client.RegistryOIDC) *string { return &o.AWSRegion }},
	{"account_id", "The AWS account ID.", func(o *client.RegistryOIDC) *string { return &o.AccountID }},
	{"role_name", "The AWS IAM role name.", func(o *client.RegistryOIDC) *string { return &o.RoleName }},
	{"domain", "The CodeArtifact domain.", func(o *client.RegistryOIDC) *string { return &o.Domain }},
	{"domain_owner", "The CodeArtifact domain owner (AWS account ID).", func(o *client.RegistryOIDC) *string { return &o.DomainOwner }},
	{"jfrog_oidc_provider_name", "The JFrog OIDC provider name.", func(o *client.RegistryOIDC) *string { return &o.JFrogOIDCProviderName }},
	{"audience", "The OIDC audience.", func(o *client.RegistryOIDC) *string { return &o.Audience }},
	{"identity_mapping_name", "The JFrog identity mapping name.", func(o *client.RegistryOIDC) *string { return &o.IdentityMappingName }},
	{"namespace", "The Cloudsmith organization namespace.", func(o *client.RegistryOIDC) *string { return &o.Namespace }},
	{"service_slug", "The Cloudsmith service account slug.", func(o *client.RegistryOIDC) *string { return &o.ServiceSlug }},
	{"api_host", "The Cloudsmith API host; GitHub uses `api.cloudsmith.io` when it is left out.", func(o *client.RegistryOIDC) *string { return &o.APIHost }},
	{"workload_identity_provider", "The full resource name of the GCP Workload Identity Provider " +
		"(`projects/<NUM>/locations/global/workloadIdentityPools/<POOL>/providers/<PROVIDER>`).",
		func(o *client.RegistryOIDC) *string { return &o.WorkloadIdentityProvider }},
	{"service_account", "The GCP service account email to impersonate; without it the federated token is used directly.",
		func(o *client.RegistryOIDC) *string { return &o.ServiceAccount }},
}

// authRule is what one auth type needs.
type authRule struct {
	name string
	// credential: the registry holds a secret (value_wo or
	// encrypted_value_wo), which OIDC types must not have.
	credential bool
	// username: it must have a username.
	username bool
	// required and optional are the OIDC fields it requires and takes.
	required, optional []string
}

// authDefault is the auth type GitHub takes when none is given.
const authDefault = "token"

// authRules are GitHub's auth types, in its description's order.
var authRules = []authRule{
	{name: "token", credential: true},
	{name: "username_password", credential: true, username: true},
	{name: "oidc_azure", required: []string{"tenant_id", "client_id"}},
	{name: "oidc_aws", required: []string{"aws_region", "account_id", "role_name", "domain", "domain_owner"}, optional: []string{"audience"}},
	{name: "oidc_jfrog", required: []string{"jfrog_oidc_provider_name"}, optional: []string{"audience", "identity_mapping_name"}},
	{name: "oidc_cloudsmith", required: []string{"namespace", "service_slug", "audience"}, optional: []string{"api_host"}},
	{name: "oidc_gcp", required: []string{"workload_identity_provider"}, optional: []string{"service_account", "audience"}},
}

// authRuleOf is the rule of auth type name; false for a name GitHub does not have.
func authRuleOf(name string) (authRule, bool) {
	i := slices.IndexFunc(authRules, func(r authRule) bool { return r.name == name })
	if i < 0 {
		return authRule{}, false
	}
	return authRules[i], true
}

// authTypeNames are the auth types' names.
func authTypeNames() []string {
	out := make([]string, len(authRules))
	for i, r := range authRules {
		out[i] = r.name
	}
	return out
}

// takes reports whether the auth type uses the OIDC field attr.
func (r authRule) takes(attr string) bool {
	return slices.Contains(r.required, attr) || slices.Contains(r.optional, attr)
}

// fieldUsers names the auth types that use attr, for messages and
// documentation: "`oidc_aws`, `oidc_jfrog`".
func fieldUsers(attr string, required bool) string {
	var names []string
	for _, r := range authRules {
		if (required && slices.Contains(r.required, attr)) || (!required && r.takes(attr)) {
			names = append(names, "`"+r.name+"`")
		}
	}
	return strings.Join(names, ", ")
}

// oidcFieldDescription documents an OIDC attribute: what it is and which
// auth types require or take it.
func oidcFieldDescription(f oidcField) string {
	d := f.description
	if req := fieldUsers(f.attr, true); req != "" {
		d += " Required with auth_type " + req + "."
	}
	var opt []string
	for _, r := range authRules {
		if slices.Contains(r.optional, f.attr) {
			opt = append(opt, "`"+r.name+"`")
		}
	}
	if len(opt) > 0 {
		d += " Optional with auth_type " + strings.Join(opt, ", ") + "."
	}
	return d + " Not allowed with any other auth type."
}

// describeAuthTypes is the auth_type attribute's documentation of every rule.
func describeAuthTypes() string {
	var b strings.Builder
	for _, r := range authRules {
		fmt.Fprintf(&b, " `%s`: ", r.name)
		switch {
		case r.credential && r.username:
			b.WriteString("a `username` and a credential (`value_wo` or `encrypted_value_wo`).")
		case r.credential:
			b.WriteString("a credential (`value_wo` or `encrypted_value_wo`).")
		default:
			b.WriteString("no credential; requires `" + strings.Join(r.required, "`, `") + "`")
			if len(r.optional) > 0 {
				b.WriteString(", takes `" + strings.Join(r.optional, "`, `") + "`")
			}
			b.WriteString(".")
		}
	}
	return b.String()
}
