# The key to seal Copilot coding agent secret values of repository api outside Terraform;
# pass the sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_repository_agents_public_key" "api" {
  repository = "api"
}

output "agents_key_id" {
  value = data.ghsecrets_repository_agents_public_key.api.key_id
}
