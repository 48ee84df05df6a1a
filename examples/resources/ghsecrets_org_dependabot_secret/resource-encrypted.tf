# A value sealed outside Terraform for the public key of the organization's
# Dependabot secrets (each kind has its own key), so the plaintext never
# reaches Terraform at all: Dependabot uses it to reach a private Maven repository.
variable "sealed_maven_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_org_dependabot_public_key" "org" {}

resource "ghsecrets_org_dependabot_secret" "maven_password" {
  secret_name        = "MAVEN_REPOSITORY_PASSWORD"
  visibility         = "all"
  encrypted_value_wo = var.sealed_maven_password
  key_id             = data.ghsecrets_org_dependabot_public_key.org.key_id
  value_wo_version   = 1
}
