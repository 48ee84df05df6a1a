# The key to seal Dependabot secret values for outside Terraform; pass the
# sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_org_dependabot_public_key" "org" {}

output "dependabot_key_id" {
  value = data.ghsecrets_org_dependabot_public_key.org.key_id
}
