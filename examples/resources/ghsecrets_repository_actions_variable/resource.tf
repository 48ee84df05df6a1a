# A repository Actions variable, read by the repository's GitHub Actions workflows.
# Variables are not secret: the value is in plan and state.
resource "ghsecrets_repository_actions_variable" "npm_registry_url" {
  repository    = "api" # the name only: the owner is the provider's
  variable_name = "NPM_REGISTRY_URL"
  value         = "https://npm.example.com/"
}
