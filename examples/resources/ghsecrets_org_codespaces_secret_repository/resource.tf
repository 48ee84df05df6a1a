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

data "ghsecrets_org_repositories" "worker" {
  names = ["worker"]
}

# worker may use CLOUD_DEV_KEY too, next to repositories given access
# elsewhere. Do not also manage CLOUD_DEV_KEY with
# ghsecrets_org_codespaces_secret_repositories: that resource owns the whole list.
resource "ghsecrets_org_codespaces_secret_repository" "worker" {
  secret_name   = ghsecrets_org_codespaces_secret.cloud_dev_key.secret_name
  repository_id = data.ghsecrets_org_repositories.worker.ids["worker"]
}
