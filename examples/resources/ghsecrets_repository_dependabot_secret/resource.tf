# Ephemeral: the value is never written to a plan or state file.
variable "registry_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A repository Dependabot secret: Dependabot reads it to reach a private npm registry when it updates the repository's dependencies.
resource "ghsecrets_repository_dependabot_secret" "registry_token" {
  repository       = "web" # the name only: the owner is the provider's
  secret_name      = "NPM_REGISTRY_TOKEN"
  value_wo         = var.registry_token
  value_wo_version = 1 # bump to write a new value
}
