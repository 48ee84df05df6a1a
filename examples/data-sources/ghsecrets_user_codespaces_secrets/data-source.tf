# Every Codespaces secret of the user the token belongs to.
data "ghsecrets_user_codespaces_secrets" "mine" {}

output "user_codespaces_secret_names" {
  value = [for s in data.ghsecrets_user_codespaces_secrets.mine.secrets : s.name]
}
