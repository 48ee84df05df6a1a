# Rotation: a new value is written when its version number changes. The
# pipeline that provides a new value raises the version with it, for example
# TF_VAR_npm_token=... TF_VAR_npm_token_version=2 terraform apply
variable "npm_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "npm_token_version" {
  description = "Raise it whenever npm_token holds a new value."
  type        = number
  default     = 1
}

resource "ghsecrets_org_actions_secret" "npm_token" {
  secret_name      = "NPM_TOKEN"
  visibility       = "private"
  value_wo         = var.npm_token
  value_wo_version = var.npm_token_version
}

# A value sealed outside Terraform for the organization's public key. It is
# bound to that key: when the organization key changes, key_id changes in the
# plan, and the value must be sealed again for the new key before apply.
variable "sealed_signing_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "signing_key_version" {
  description = "Raise it whenever sealed_signing_key holds a new value."
  type        = number
  default     = 1
}

data "ghsecrets_org_actions_public_key" "org" {}

resource "ghsecrets_org_actions_secret" "signing_key" {
  secret_name        = "SIGNING_KEY"
  visibility         = "all"
  encrypted_value_wo = var.sealed_signing_key
  key_id             = data.ghsecrets_org_actions_public_key.org.key_id
  value_wo_version   = var.signing_key_version
}
