# A value sealed outside Terraform for the organization's public key, so the
# plaintext never reaches Terraform at all.
variable "sealed_signing_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_org_actions_public_key" "org" {}

resource "ghsecrets_org_actions_secret" "signing_key" {
  secret_name        = "SIGNING_KEY"
  visibility         = "all"
  encrypted_value_wo = var.sealed_signing_key
  key_id             = data.ghsecrets_org_actions_public_key.org.key_id
  value_wo_version   = 1
}
