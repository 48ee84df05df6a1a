# Every variable of environment production of repository api, with its value.
data "ghsecrets_environment_actions_variables" "production" {
  repository  = "api"
  environment = "production"
}

output "production_variables" {
  value = { for v in data.ghsecrets_environment_actions_variables.production.variables : v.name => v.value }
}
