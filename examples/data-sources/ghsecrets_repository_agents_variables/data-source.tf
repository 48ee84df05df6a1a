# Every Copilot coding agent variable of repository api, with its value.
data "ghsecrets_repository_agents_variables" "api" {
  repository = "api"
}

output "api_agents_variables" {
  value = { for v in data.ghsecrets_repository_agents_variables.api.variables : v.name => v.value }
}
