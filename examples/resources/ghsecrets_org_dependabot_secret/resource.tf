# Ephemeral: the value is never written to a plan or state file.
variable "registry_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# An organization Dependabot secret: Dependabot reads it to reach a private npm registry when it updates dependencies.
resource "ghsecrets_org_dependabot_secret" "registry_token" {
  secret_name      = "NPM_REGISTRY_TOKEN"
  visibility       = "selected"
  value_wo         = var.registry_token
  value_wo_version = 1 # bump to write a new value

  # The list travels in the same request as the value.
  selected_repository_ids = [1296269, 1296270]
}
