# An environment variable, read by workflow jobs that use the environment
# production of repository api. Variables are not secret: the value is in
# plan and state.
resource "ghsecrets_environment_actions_variable" "deploy_url" {
  repository    = "api" # the name only: the owner is the provider's
  environment   = "production"
  variable_name = "DEPLOY_URL"
  value         = "https://api.example.com/"
}
