# Ephemeral: the value is never written to a plan or state file.
variable "deploy_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A repository Actions secret: the repository's GitHub Actions workflows read it to deploy.
resource "ghsecrets_repository_actions_secret" "deploy_token" {
  repository       = "api" # the name only: the owner is the provider's
  secret_name      = "DEPLOY_TOKEN"
  value_wo         = var.deploy_token
  value_wo_version = 1 # bump to write a new value
}
