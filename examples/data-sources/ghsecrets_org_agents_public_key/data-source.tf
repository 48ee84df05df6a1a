# The key to seal Copilot coding agent secret values for outside Terraform; pass the
# sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_org_agents_public_key" "org" {}

output "agents_key_id" {
  value = data.ghsecrets_org_agents_public_key.org.key_id
}
