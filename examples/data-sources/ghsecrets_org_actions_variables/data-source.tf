data "ghsecrets_org_actions_variables" "all" {}

# The organization's Actions variables every repository can use, by name.
output "org_wide_actions_variables" {
  value = { for v in data.ghsecrets_org_actions_variables.all.variables : v.name => v.value if v.visibility == "all" }
}
