variable "cloud_dev_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_codespaces_secret" "cloud_dev_key" {
  secret_name      = "CLOUD_DEV_KEY"
  visibility       = "selected"
  value_wo         = var.cloud_dev_key
  value_wo_version = 1
}

data "ghsecrets_org_repositories" "users" {
  names = ["api", "web"]
}

# Exactly the repositories whose codespaces get the development cloud key.
resource "ghsecrets_org_codespaces_secret_repositories" "cloud_dev_key" {
  secret_name             = ghsecrets_org_codespaces_secret.cloud_dev_key.secret_name
  selected_repository_ids = values(data.ghsecrets_org_repositories.users.ids)
}
