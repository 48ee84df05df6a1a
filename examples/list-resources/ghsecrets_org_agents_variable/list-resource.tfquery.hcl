# Every organization Copilot coding agent variable whose name starts with DEPLOY_, with its value.
list "ghsecrets_org_agents_variable" "deploy" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "DEPLOY_"
  }
}
