# Ephemeral: the value is never written to a plan or state file.
variable "deploy_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A secret every private and internal repository may use.
resource "ghsecrets_org_actions_secret" "deploy_token" {
  secret_name      = "DEPLOY_TOKEN"
  visibility       = "private"
  value_wo         = var.deploy_token
  value_wo_version = 1 # bump to write a new value
}

# A secret only listed repositories may use, with its list alongside: the
# list travels in the same request as the value.
resource "ghsecrets_org_actions_secret" "npm_token" {
  secret_name             = "NPM_TOKEN"
  visibility              = "selected"
  value_wo                = var.deploy_token
  value_wo_version        = 1
  selected_repository_ids = [1296269, 1296270]
}

# A selected secret whose list is left to
# ghsecrets_org_actions_secret_repositories (or to one
# ghsecrets_org_actions_secret_repository per repository), for example when
# another team owns the list.
resource "ghsecrets_org_actions_secret" "registry_token" {
  secret_name      = "REGISTRY_TOKEN"
  visibility       = "selected"
  value_wo         = var.deploy_token
  value_wo_version = 1
}
