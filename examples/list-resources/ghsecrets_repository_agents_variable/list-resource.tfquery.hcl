# The repository Copilot coding agent variables of two repositories; without
# repositories, those of every repository the token can see.
list "ghsecrets_repository_agents_variable" "api_and_web" {
  provider         = ghsecrets
  include_resource = true

  config {
    repositories = ["api", "web"]
  }
}
