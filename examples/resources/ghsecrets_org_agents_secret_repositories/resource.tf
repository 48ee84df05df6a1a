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

data "ghsecrets_org_repositories" "users" {
  names = ["api", "web"]
}

# Exactly the repositories where Copilot coding agent may use the Sentry MCP server.
resource "ghsecrets_org_agents_secret_repositories" "sentry_token" {
  secret_name             = ghsecrets_org_agents_secret.sentry_token.secret_name
  selected_repository_ids = values(data.ghsecrets_org_repositories.users.ids)
}
