data "ghsecrets_org_agents_secrets" "all" {}

# Copilot coding agent secrets that only listed repositories may use.
output "agents_selected_secrets" {
  value = [for s in data.ghsecrets_org_agents_secrets.all.secrets : s.name if s.visibility == "selected"]
}
