# Every organization Actions secret whose name starts with DEPLOY_, with its metadata.
list "ghsecrets_org_actions_secret" "deploy" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "DEPLOY_"
  }
}
