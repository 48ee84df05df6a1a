# A password sealed outside Terraform for the organization's
# private-registries key (its own, apart from every kind of secret), so the
# plaintext never reaches Terraform at all.
variable "sealed_docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_org_private_registries_public_key" "org" {}

resource "ghsecrets_org_private_registry" "docker" {
  registry_type      = "docker_registry"
  url                = "https://registry.example.com"
  auth_type          = "username_password"
  username           = "dependabot"
  encrypted_value_wo = var.sealed_docker_password
  key_id             = data.ghsecrets_org_private_registries_public_key.org.key_id
  value_wo_version   = 1
  visibility         = "all"
}
