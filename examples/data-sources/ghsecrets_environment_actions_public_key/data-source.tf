# The key to seal secret values of environment production outside Terraform;
# pass the sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_environment_actions_public_key" "production" {
  repository  = "api"
  environment = "production"
}

output "production_key_id" {
  value = data.ghsecrets_environment_actions_public_key.production.key_id
}
