# Ephemeral: the value is never written to a plan or state file.
variable "package_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A repository Copilot coding agent secret: Copilot coding agent reads it when it works in the repository.
resource "ghsecrets_repository_agents_secret" "package_token" {
  repository       = "api" # the name only: the owner is the provider's
  secret_name      = "PACKAGE_TOKEN"
  value_wo         = var.package_token
  value_wo_version = 1 # bump to write a new value
}
