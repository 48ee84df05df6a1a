# The names and timestamps of every Actions secret of repository api.
data "ghsecrets_repository_actions_secrets" "api" {
  repository = "api"
}

output "api_actions_secrets" {
  value = data.ghsecrets_repository_actions_secrets.api.secrets[*].name
}
