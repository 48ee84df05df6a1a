# No credential at all: Dependabot authenticates to AWS CodeArtifact through
# OIDC, assuming the role named here.
resource "ghsecrets_org_private_registry" "codeartifact" {
  registry_type = "maven_repository"
  url           = "https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"
  auth_type     = "oidc_aws"
  aws_region    = "eu-west-1"
  account_id    = "111122223333"
  role_name     = "dependabot-codeartifact"
  domain        = "acme"
  domain_owner  = "111122223333"
  visibility    = "private"
}
