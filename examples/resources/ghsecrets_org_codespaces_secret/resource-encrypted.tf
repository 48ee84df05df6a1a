# A value sealed outside Terraform for the public key of the organization's
# Codespaces secrets (each kind has its own key), so the plaintext never
# reaches Terraform at all: every codespace of the organization gets it.
variable "sealed_license_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_org_codespaces_public_key" "org" {}

resource "ghsecrets_org_codespaces_secret" "license_key" {
  secret_name        = "IDE_LICENSE_KEY"
  visibility         = "all"
  encrypted_value_wo = var.sealed_license_key
  key_id             = data.ghsecrets_org_codespaces_public_key.org.key_id
  value_wo_version   = 1
}
