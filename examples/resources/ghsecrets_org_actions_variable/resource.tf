# Variables are not secret: the value is in plan and state, and a change
# made outside Terraform shows in the plan as it is.

# A variable every repository may use.
resource "ghsecrets_org_actions_variable" "npm_registry_url" {
  variable_name = "NPM_REGISTRY_URL"
  value         = "https://npm.example.com/"
  visibility    = "all"
}

# A variable only listed repositories may use, with its list alongside: the
# list travels in the same request as the value.
resource "ghsecrets_org_actions_variable" "deploy_region" {
  variable_name           = "DEPLOY_REGION"
  value                   = "eu-west-1"
  visibility              = "selected"
  selected_repository_ids = [1296269, 1296270]
}

# A selected variable whose list is left to
# ghsecrets_org_actions_variable_repositories (or to one
# ghsecrets_org_actions_variable_repository per repository), for example when
# another team owns the list.
resource "ghsecrets_org_actions_variable" "cache_bucket" {
  variable_name = "CACHE_BUCKET"
  value         = "build-cache"
  visibility    = "selected"
}
