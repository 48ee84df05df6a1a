# Every organization Codespaces secret whose name starts with DEPLOY_, with its metadata.
list "ghsecrets_org_codespaces_secret" "deploy" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "DEPLOY_"
  }
}
