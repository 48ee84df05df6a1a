# Every Actions variable of repository api, with its value.
data "ghsecrets_repository_actions_variables" "api" {
  repository = "api"
}

output "api_actions_variables" {
  value = { for v in data.ghsecrets_repository_actions_variables.api.variables : v.name => v.value }
}
