# Ephemeral: the value is never written to a plan or state file.
variable "dotfiles_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A Codespaces secret of the user the provider's token belongs to (the
# provider's owner plays no part): the user's own codespaces of the listed
# repositories get it as an environment variable.
resource "ghsecrets_user_codespaces_secret" "dotfiles_token" {
  secret_name      = "DOTFILES_TOKEN"
  value_wo         = var.dotfiles_token
  value_wo_version = 1 # bump to write a new value

  # Repositories of any owner the user can reach; the list travels in the
  # same request as the value.
  selected_repository_ids = [1296269, 1296270]
}
