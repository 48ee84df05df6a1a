# A repository Copilot coding agent variable, read by the repository's Copilot coding agent.
# Variables are not secret: the value is in plan and state.
resource "ghsecrets_repository_agents_variable" "npm_registry_url" {
  repository    = "api" # the name only: the owner is the provider's
  variable_name = "NPM_REGISTRY_URL"
  value         = "https://npm.example.com/"
}
