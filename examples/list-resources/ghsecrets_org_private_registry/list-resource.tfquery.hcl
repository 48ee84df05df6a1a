# Every private registry of the organization whose name starts with NPM_, with its settings.
list "ghsecrets_org_private_registry" "npm" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "NPM_"
  }
}
