# The variables of every environment called production, in every
# repository the token can see that has one.
list "ghsecrets_environment_actions_variable" "production" {
  provider         = ghsecrets
  include_resource = true

  config {
    environments = ["production"]
  }
}
