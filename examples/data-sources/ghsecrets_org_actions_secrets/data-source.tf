data "ghsecrets_org_actions_secrets" "all" {}

# Names of the secrets every repository can use.
output "org_wide_secrets" {
  value = [for s in data.ghsecrets_org_actions_secrets.all.secrets : s.name if s.visibility == "all"]
}
