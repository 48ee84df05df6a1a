# Every organization Dependabot secret whose name starts with DEPLOY_, with its metadata.
list "ghsecrets_org_dependabot_secret" "deploy" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "DEPLOY_"
  }
}
