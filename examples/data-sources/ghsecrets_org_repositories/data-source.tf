variable "app_repositories" {
  type    = list(string)
  default = ["api", "web"]
}

# Only the named repositories; a name that does not exist fails the plan.
data "ghsecrets_org_repositories" "app" {
  names = var.app_repositories
}

output "app_repository_ids" {
  value = [for name in var.app_repositories : data.ghsecrets_org_repositories.app.ids[name]]
}

# Every repository that is not archived.
data "ghsecrets_org_repositories" "active" {
  include_archived = false
}

output "private_repositories" {
  value = [for r in data.ghsecrets_org_repositories.active.repositories : r.full_name if r.visibility != "public"]
}
