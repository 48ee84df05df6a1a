# The secrets of the production environment of every repository that has
# one; without environments, those of every environment.
list "ghsecrets_environment_actions_secret" "production" {
  provider         = ghsecrets
  include_resource = true
  limit            = 1000 # at most 100 results unless set

  config {
    environments = ["production"]
  }
}
