package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// Identity attribute names, shared by the resources that return identities
// and the list resources that build them.
const (
	identityOrganization = "organization"
	identityOwner        = "owner"
	identityKind         = "kind"
	identityRepository   = "repository"
	identityEnvironment  = "environment"
	identitySecretName   = "secret_name"
	identityVariableName = "variable_name"
	identityRepositoryID = "repository_id"
)

// identityShape says which attributes a resource type's identity has: one
// for each type of a kind or scope row. An identity names a secret (and a
// repository's access to it), never its value.
type identityShape struct {
	kind client.Kind
	// ownerAttr is identityOrganization for organization secrets, "" for a
	// user's (GitHub names the user by the token), else identityOwner.
	ownerAttr   string
	repository  bool
	environment bool
	// repositoryID: the identity of one repository's access to a secret.
	repositoryID bool
	// variable: the identity names a variable (variable_name), not a secret.
	variable bool
}

// thing is what the identity names: "secret" or "variable".
func (s identityShape) thing() string {
	if s.variable {
		return "variable"
	}
	return "secret"
}

// nameAttr is the identity's attribute that holds the name.
func (s identityShape) nameAttr() string {
	if s.variable {
		return identityVariableName
	}
	return identitySecretName
}

// identity is the identity of the row's resource type with the given
// suffix ("", "_repositories" or "_repository").
func (k orgKind) identity(suffix string) identityShape {
	owner := identityOrganization
	if k.user {
		owner = ""
	}
	return identityShape{kind: k.kind, ownerAttr: owner, repositoryID: suffix == "_repository"}
}

// identity is the identity of the row's secret resource.
func (k scopeKind) identity() identityShape {
	return identityShape{kind: k.kind, ownerAttr: identityOwner, repository: true, environment: k.env}
}

// schema is the identity schema: the names GitHub addresses the secret by,
// with organization or owner and kind optional on import (they can only
// be the provider's owner and the type's kind).
func (s identityShape) schema() identityschema.Schema {
	thing := s.thing()
	attrs := map[string]identityschema.Attribute{
		identityKind: identityschema.StringAttribute{
			OptionalForImport: true,
			Description: "The kind of " + thing + ", as GitHub's API paths name it: `" + string(s.kind) + "` for this type. " +
				"Optional on import; when given it must be `" + string(s.kind) + "`.",
		},
	}
	if s.ownerAttr != "" {
		attrs[s.ownerAttr] = identityschema.StringAttribute{
			OptionalForImport: true,
			Description: "The provider's `owner`: the organization (or user) the " + thing + " belongs to. Optional on import; " +
				"when given it must be the provider's `owner`.",
		}
	}
	for _, a := range s.required() {
		if a.name == identityRepositoryID {
			attrs[a.name] = identityschema.Int64Attribute{RequiredForImport: true, Description: a.description}
		} else {
			attrs[a.name] = identityschema.StringAttribute{RequiredForImport: true, Description: a.description}
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// identityAttribute is an attribute an import by identity must give. Each
// has a state attribute of the same name, which the import sets.
type identityAttribute struct {
	name, description string
}

func (s identityShape) required() []identityAttribute {
	var out []identityAttribute
	if s.repository {
		out = append(out, identityAttribute{identityRepository, "The repository's name in the owner, without the owner."})
	}
	if s.environment {
		out = append(out, identityAttribute{identityEnvironment, "The environment's name."})
	}
	out = append(out, identityAttribute{s.nameAttr(), "The " + s.thing() + "'s name as GitHub stores it (upper-case); on import, any case."})
	if s.repositoryID {
		out = append(out, identityAttribute{identityRepositoryID, "The id of the repository that may use the " + s.thing() + "."})
	}
	return out
}

// secretIdentity is the values of an identity; the shape says which apply.
type secretIdentity struct {
	Owner, Repository, Environment, SecretName string
	RepositoryID                               int64
}

// identityOf is the identity of the secret at a.
func identityOf(a client.Address) secretIdentity {
	s := a.Scope()
	return secretIdentity{Owner: s.Owner(), Repository: s.Repo(), Environment: s.Env(), SecretName: a.Name()}
}

// level is where the secrets of the shape's type are.
func (s identityShape) level() client.Level {
	switch {
	case s.environment:
		return client.EnvLevel
	case s.repository:
		return client.RepoLevel
	case s.ownerAttr == "":
		return client.UserLevel
	}
	return client.OrgLevel
}

// address is the secret (or variable) v names, through the one constructor
// of an address.
func (s identityShape) address(owner string, v secretIdentity) (client.Address, error) {
	scope, err := client.NewScope(s.level(), s.kind, owner, v.Repository, v.Environment)
	if err == nil && s.variable {
		scope, err = scope.Variables()
	}
	if err != nil {
		return client.Address{}, err
	}
	return scope.Secret(v.SecretName)
}

// set writes the identity of v into to, with the secret name as GitHub
// stores it. An identity already there keeps its spelling of the owner, the
// repository and the environment wherever GitHub takes the new one for the
// same name, so that a change of case (an update in place that writes
// nothing) keeps the identity; another owner is an error: a resource cannot
// move to another owner.
func (s identityShape) set(ctx context.Context, to *tfsdk.ResourceIdentity, v secretIdentity) diag.Diagnostics {
	var diags diag.Diagnostics
	if to == nil {
		return diags
	}
	if !to.Raw.IsNull() {
		prior := func(attr string) string {
			var p types.String
			diags.Append(to.GetAttribute(ctx, path.Root(attr), &p)...)
			return p.ValueString()
		}
		owner := ""
		if s.ownerAttr != "" {
			owner = prior(s.ownerAttr)
		}
		if p := owner; p != "" {
			if !client.SameName(client.FieldOwner, p, v.Owner) {
				diags.AddError("Owner Changed",
					fmt.Sprintf("This resource was created or imported with %s %q, and the provider's owner is now %q: "+
						"a resource cannot move to another owner. Set the provider's owner back to %q, or remove the resource "+
						"from state (a removed block, or terraform state rm) and import it with a provider for %q.",
						s.ownerAttr, p, v.Owner, p, v.Owner))
				return diags
			}
			v.Owner = p
		}
		if s.repository {
			if p := prior(identityRepository); p != "" && client.SameName(client.FieldRepository, p, v.Repository) {
				v.Repository = p
			}
		}
		if s.environment {
			if p := prior(identityEnvironment); p != "" && client.SameName(client.FieldEnvironment, p, v.Environment) {
				v.Environment = p
			}
		}
	}
	values := map[string]any{
		identityKind: string(s.kind),
		s.nameAttr(): secretname.Normalize(v.SecretName),
	}
	if s.ownerAttr != "" {
		values[s.ownerAttr] = v.Owner
	}
	if s.repository {
		values[identityRepository] = v.Repository
	}
	if s.environment {
		values[identityEnvironment] = v.Environment
	}
	if s.repositoryID {
		values[identityRepositoryID] = v.RepositoryID
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		diags.Append(to.SetAttribute(ctx, path.Root(name), values[name])...)
	}
	return diags
}

// importByIdentity starts the state of a resource imported by identity
// (Terraform 1.12 and later), and reports whether the import is one: the
// attributes that name the secret are checked and set in state, then Read
// fills in the rest. organization (or owner) and kind, when given, must be
// the provider's owner and the type's kind. No request is made.
func (s identityShape) importByIdentity(ctx context.Context, typeName, owner string, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse) bool {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return false
	}
	var given, kind types.String
	if s.ownerAttr == "" {
		owner = "" // the token's user, whom no attribute names
	} else {
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(s.ownerAttr), &given)...)
	}
	resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(identityKind), &kind)...)
	if !given.IsNull() && !client.SameName(client.FieldOwner, given.ValueString(), owner) {
		resp.Diagnostics.AddError("Import Identity Names Another Owner",
			fmt.Sprintf("The import identity's %s is %q, but this provider's owner is %q, and a provider manages its owner's "+
				"secrets only. Leave %s out of the identity, or import with a provider whose owner is %q.",
				s.ownerAttr, given.ValueString(), owner, s.ownerAttr, given.ValueString()))
	}
	if !kind.IsNull() && kind.ValueString() != string(s.kind) {
		resp.Diagnostics.AddError("Import Identity Names Another Kind",
			fmt.Sprintf("The import identity's kind is %q, but %s holds %q secrets. Leave kind out of the identity, "+
				"or import into the resource type of kind %q.", kind.ValueString(), typeName, s.kind, kind.ValueString()))
	}
	v := secretIdentity{Owner: owner}
	for _, a := range s.required() {
		if a.name == identityRepositoryID {
			var id types.Int64
			resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(a.name), &id)...)
			if id.ValueInt64() < 1 {
				resp.Diagnostics.AddError("Invalid Import Identity",
					fmt.Sprintf("The import identity's %s must be a repository id, a whole number of at least 1; it is %s.", a.name, id))
			}
			v.RepositoryID = id.ValueInt64()
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a.name), id)...)
			continue
		}
		var text types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(a.name), &text)...)
		switch a.name {
		case identityRepository:
			v.Repository = text.ValueString()
		case identityEnvironment:
			v.Environment = text.ValueString()
		case identitySecretName, identityVariableName:
			v.SecretName = text.ValueString()
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a.name), text)...)
	}
	// The names go through the one constructor of an address, as every
	// other entry point's do.
	if _, err := s.address(owner, v); err != nil {
		addressDiagnostic(&resp.Diagnostics, "the import identity", err)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(s.set(ctx, resp.Identity, v)...)
	}
	return true
}
