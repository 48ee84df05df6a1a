# The key to seal Dependabot secret values of repository web outside Terraform;
# pass the sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_repository_dependabot_public_key" "web" {
  repository = "web"
}

output "dependabot_key_id" {
  value = data.ghsecrets_repository_dependabot_public_key.web.key_id
}
