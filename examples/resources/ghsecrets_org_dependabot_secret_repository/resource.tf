variable "registry_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_dependabot_secret" "registry_password" {
  secret_name      = "REGISTRY_PASSWORD"
  visibility       = "selected"
  value_wo         = var.registry_password
  value_wo_version = 1
}

data "ghsecrets_org_repositories" "worker" {
  names = ["worker"]
}

# worker may use REGISTRY_PASSWORD too, next to repositories given access
# elsewhere. Do not also manage REGISTRY_PASSWORD with
# ghsecrets_org_dependabot_secret_repositories: that resource owns the whole list.
resource "ghsecrets_org_dependabot_secret_repository" "worker" {
  secret_name   = ghsecrets_org_dependabot_secret.registry_password.secret_name
  repository_id = data.ghsecrets_org_repositories.worker.ids["worker"]
}
