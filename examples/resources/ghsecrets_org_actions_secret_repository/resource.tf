variable "deploy_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_actions_secret" "deploy_key" {
  secret_name      = "DEPLOY_KEY"
  visibility       = "selected"
  value_wo         = var.deploy_key
  value_wo_version = 1
}

data "ghsecrets_org_repositories" "deployers" {
  names = ["api", "web"]
}

# api and web may use DEPLOY_KEY, next to any repository given access
# elsewhere. Do not also manage DEPLOY_KEY with
# ghsecrets_org_actions_secret_repositories: that resource owns the whole list.
resource "ghsecrets_org_actions_secret_repository" "api" {
  secret_name   = ghsecrets_org_actions_secret.deploy_key.secret_name
  repository_id = data.ghsecrets_org_repositories.deployers.ids["api"]
}

resource "ghsecrets_org_actions_secret_repository" "web" {
  secret_name   = ghsecrets_org_actions_secret.deploy_key.secret_name
  repository_id = data.ghsecrets_org_repositories.deployers.ids["web"]
}
