# The names and timestamps of every secret of environment production.
data "ghsecrets_environment_actions_secrets" "production" {
  repository  = "api"
  environment = "production"
}

output "production_secrets" {
  value = data.ghsecrets_environment_actions_secrets.production.secrets[*].name
}
