# The key to seal the token's user's Codespaces secret values outside
# Terraform; pass the sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_user_codespaces_public_key" "mine" {}

output "user_codespaces_key_id" {
  value = data.ghsecrets_user_codespaces_public_key.mine.key_id
}
