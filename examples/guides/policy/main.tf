# The configuration the policy-as-code guide plans and checks.
variable "npm_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_actions_secret" "npm_token" {
  secret_name      = "NPM_TOKEN"
  visibility       = "selected"
  value_wo         = var.npm_token
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret_repositories" "npm_token" {
  secret_name             = ghsecrets_org_actions_secret.npm_token.secret_name
  selected_repository_ids = [1296269, 1296270]
}
