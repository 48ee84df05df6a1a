variable "sentry_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_agents_secret" "sentry_token" {
  secret_name      = "COPILOT_MCP_SENTRY_TOKEN"
  visibility       = "selected"
  value_wo         = var.sentry_token
  value_wo_version = 1
}

data "ghsecrets_org_repositories" "worker" {
  names = ["worker"]
}

# worker may use COPILOT_MCP_SENTRY_TOKEN too, next to repositories given access
# elsewhere. Do not also manage COPILOT_MCP_SENTRY_TOKEN with
# ghsecrets_org_agents_secret_repositories: that resource owns the whole list.
resource "ghsecrets_org_agents_secret_repository" "worker" {
  secret_name   = ghsecrets_org_agents_secret.sentry_token.secret_name
  repository_id = data.ghsecrets_org_repositories.worker.ids["worker"]
}
