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

data "ghsecrets_org_repositories" "users" {
  names = ["api", "web"]
}

# Exactly the repositories whose Dependabot updates use the private registry.
resource "ghsecrets_org_dependabot_secret_repositories" "registry_password" {
  secret_name             = ghsecrets_org_dependabot_secret.registry_password.secret_name
  selected_repository_ids = values(data.ghsecrets_org_repositories.users.ids)
}
