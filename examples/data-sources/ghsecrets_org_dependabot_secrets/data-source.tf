data "ghsecrets_org_dependabot_secrets" "all" {}

# Dependabot secrets that only listed repositories may use.
output "dependabot_selected_secrets" {
  value = [for s in data.ghsecrets_org_dependabot_secrets.all.secrets : s.name if s.visibility == "selected"]
}
