# A value sealed outside Terraform for the public key of the user's
# Codespaces secrets, so the plaintext never reaches Terraform at all.
variable "sealed_editor_license" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_user_codespaces_public_key" "mine" {}

resource "ghsecrets_user_codespaces_secret" "editor_license" {
  secret_name        = "EDITOR_LICENSE"
  encrypted_value_wo = var.sealed_editor_license
  key_id             = data.ghsecrets_user_codespaces_public_key.mine.key_id
  value_wo_version   = 1
}
