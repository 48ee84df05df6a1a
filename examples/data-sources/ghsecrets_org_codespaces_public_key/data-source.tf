# The key to seal Codespaces secret values for outside Terraform; pass the
# sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_org_codespaces_public_key" "org" {}

output "codespaces_key_id" {
  value = data.ghsecrets_org_codespaces_public_key.org.key_id
}
