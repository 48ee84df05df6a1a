resource "ghsecrets_org_actions_variable" "cache_bucket" {
  variable_name = "CACHE_BUCKET"
  value         = "build-cache"
  visibility    = "selected"
}

# Exactly these repositories may use CACHE_BUCKET.
resource "ghsecrets_org_actions_variable_repositories" "cache_bucket" {
  variable_name           = ghsecrets_org_actions_variable.cache_bucket.variable_name
  selected_repository_ids = [1296269, 1296270]
}
