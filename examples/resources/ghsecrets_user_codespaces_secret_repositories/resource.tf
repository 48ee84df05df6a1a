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

data "ghsecrets_org_repositories" "mine" {
  names = ["api", "web"]
}

# Exactly the repositories whose codespaces (the token's user's) get NOTES_TOKEN.
resource "ghsecrets_user_codespaces_secret_repositories" "notes_token" {
  secret_name             = ghsecrets_user_codespaces_secret.notes_token.secret_name
  selected_repository_ids = values(data.ghsecrets_org_repositories.mine.ids)
}
