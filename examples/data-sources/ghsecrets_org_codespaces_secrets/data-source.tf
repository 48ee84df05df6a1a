data "ghsecrets_org_codespaces_secrets" "all" {}

# Codespaces secrets that only listed repositories may use.
output "codespaces_selected_secrets" {
  value = [for s in data.ghsecrets_org_codespaces_secrets.all.secrets : s.name if s.visibility == "selected"]
}
