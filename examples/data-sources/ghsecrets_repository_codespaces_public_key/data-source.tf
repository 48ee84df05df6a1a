# The key to seal Codespaces secret values of repository worker outside Terraform;
# pass the sealed value to encrypted_value_wo with this key_id.
data "ghsecrets_repository_codespaces_public_key" "worker" {
  repository = "worker"
}

output "codespaces_key_id" {
  value = data.ghsecrets_repository_codespaces_public_key.worker.key_id
}
