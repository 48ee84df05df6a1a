# The demo: run it with `make demo`, which serves a fake GitHub API on
# loopback and points the provider at it through GITHUB_BASE_URL.
terraform {
  required_version = ">= 1.11"
  required_providers {
    ghsecrets = {
      source = "ghsecrets/ghsecrets"
    }
  }
}

provider "ghsecrets" {} # owner, token and base_url from GITHUB_OWNER, GITHUB_TOKEN, GITHUB_BASE_URL

variable "deploy_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "repository_ids" {
  description = "Repositories that may use DEPLOY_TOKEN (the demo API creates these ids)."
  type        = set(number)
  default     = [1296269, 1296270]
}

resource "ghsecrets_org_actions_secret" "deploy_token" {
  secret_name      = "deploy_token"
  visibility       = "selected"
  value_wo         = var.deploy_token
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret_repositories" "deploy_token" {
  secret_name             = ghsecrets_org_actions_secret.deploy_token.secret_name
  selected_repository_ids = var.repository_ids
}

resource "ghsecrets_org_actions_secret" "sentry_dsn" {
  secret_name      = "SENTRY_DSN"
  visibility       = "private"
  value_wo         = var.deploy_token
  value_wo_version = 1
}

output "secrets" {
  value = {
    for s in [ghsecrets_org_actions_secret.deploy_token, ghsecrets_org_actions_secret.sentry_dsn] :
    s.id => { visibility = s.visibility, created_at = s.created_at }
  }
}
