# Ephemeral: the token is never written to a plan or state file.
variable "npm_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Dependabot reaches the organization's npm registry with this token, for
# the repositories listed. GitHub names the registry (NPM_REGISTRY_SECRET).
resource "ghsecrets_org_private_registry" "npm" {
  registry_type    = "npm_registry"
  url              = "https://npm.pkg.example.com/"
  replaces_base    = true
  value_wo         = var.npm_token
  value_wo_version = 1 # bump to write a new token

  visibility              = "selected"
  selected_repository_ids = [1296269, 1296270]
}
