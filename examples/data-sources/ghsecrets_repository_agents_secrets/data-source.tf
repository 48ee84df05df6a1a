# The names and timestamps of every Copilot coding agent secret of repository api.
data "ghsecrets_repository_agents_secrets" "api" {
  repository = "api"
}

output "api_agents_secrets" {
  value = data.ghsecrets_repository_agents_secrets.api.secrets[*].name
}
