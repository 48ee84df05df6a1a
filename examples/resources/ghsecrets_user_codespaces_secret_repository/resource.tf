variable "notes_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_user_codespaces_secret" "notes_token" {
  secret_name      = "NOTES_TOKEN"
  value_wo         = var.notes_token
  value_wo_version = 1
}

data "ghsecrets_org_repositories" "worker" {
  names = ["worker"]
}

# The user's codespaces of worker get NOTES_TOKEN too, next to repositories
# added elsewhere. Do not also manage NOTES_TOKEN with
# ghsecrets_user_codespaces_secret_repositories: that resource owns the whole list.
resource "ghsecrets_user_codespaces_secret_repository" "worker" {
  secret_name   = ghsecrets_user_codespaces_secret.notes_token.secret_name
  repository_id = data.ghsecrets_org_repositories.worker.ids["worker"]
}
