# The names and timestamps of every Dependabot secret of repository web.
data "ghsecrets_repository_dependabot_secrets" "web" {
  repository = "web"
}

output "web_dependabot_secrets" {
  value = data.ghsecrets_repository_dependabot_secrets.web.secrets[*].name
}
