resource "ghsecrets_org_actions_variable" "deploy_region" {
  variable_name = "DEPLOY_REGION"
  value         = "eu-west-1"
  visibility    = "selected"
}

data "ghsecrets_org_repositories" "deployers" {
  names = ["api", "web"]
}

# api and web may use DEPLOY_REGION, next to any repository given access
# elsewhere. Do not also manage DEPLOY_REGION with
# ghsecrets_org_actions_variable_repositories: that resource owns the whole list.
resource "ghsecrets_org_actions_variable_repository" "api" {
  variable_name = ghsecrets_org_actions_variable.deploy_region.variable_name
  repository_id = data.ghsecrets_org_repositories.deployers.ids["api"]
}

resource "ghsecrets_org_actions_variable_repository" "web" {
  variable_name = ghsecrets_org_actions_variable.deploy_region.variable_name
  repository_id = data.ghsecrets_org_repositories.deployers.ids["web"]
}
