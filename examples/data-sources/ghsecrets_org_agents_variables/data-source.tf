data "ghsecrets_org_agents_variables" "all" {}

# The organization's Copilot coding agent variables every repository can use, by name.
output "org_wide_agents_variables" {
  value = { for v in data.ghsecrets_org_agents_variables.all.variables : v.name => v.value if v.visibility == "all" }
}
