package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
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
	identityRepositoryID = "repository_id"
)

// identityShape says which attributes a resource type's identity has: one
// for each type of a kind or scope row. An identity names a secret (and a
// repository's access to it), never its value.
type identityShape struct {
	kind client.Kind
	// ownerAttr is identityOrganization for organization secrets, else identityOwner.
	ownerAttr   string
	repository  bool
	environment bool
	// repositoryID: the identity of one repository's access to a secret.
	repositoryID bool
}

// identity is the identity of the row's resource type with the given
// suffix ("", "_repositories" or "_repository").
func (k orgKind) identity(suffix string) identityShape {
	return identityShape{kind: k.kind, ownerAttr: identityOrganization, repositoryID: suffix == "_repository"}
}

// identity is the identity of the row's secret resource.
func (k scopeKind) identity() identityShape {
	return identityShape{kind: k.kind, ownerAttr: identityOwner, repository: true, environment: k.env}
}

// schema is the identity schema: the names GitHub addresses the secret by,
// with organization or owner and kind optional on import (they can only
// be the provider's owner and the type's kind).
func (s identityShape) schema() identityschema.Schema {
	attrs := map[string]identityschema.Attribute{
		s.ownerAttr: identityschema.StringAttribute{
			OptionalForImport: true,
			Description:       "The provider's `owner`: the organization (or user) the secret belongs to. Optional on import; when given it must be the provider's `owner`.",
		},
		identityKind: identityschema.StringAttribute{
			OptionalForImport: true,
			Description: "The kind of secret, as GitHub's API paths name it: `" + string(s.kind) + "` for this type. " +
				"Optional on import; when given it must be `" + string(s.kind) + "`.",
		},
		identitySecretName: identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The secret's name as GitHub stores it (upper-case); on import, any case.",
		},
	}
	if s.repository {
		attrs[identityRepository] = identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The repository's name in the owner, without the owner.",
		}
	}
	if s.environment {
		attrs[identityEnvironment] = identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The environment's name.",
		}
	}
	if s.repositoryID {
		attrs[identityRepositoryID] = identityschema.Int64Attribute{
			RequiredForImport: true,
			Description:       "The id of the repository that may use the secret.",
		}
	}
	return identityschema.Schema{Attributes: attrs}
}
