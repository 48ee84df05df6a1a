# The key to seal private registry credentials for outside Terraform; pass
# the sealed credential to encrypted_value_wo with this key_id.
data "ghsecrets_org_private_registries_public_key" "org" {}

output "private_registries_key_id" {
  value = data.ghsecrets_org_private_registries_public_key.org.key_id
}
