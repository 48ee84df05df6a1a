# Ephemeral: the value is never written to a plan or state file.
variable "dev_database_url" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A repository Codespaces secret: codespaces of the repository get it as an environment variable.
resource "ghsecrets_repository_codespaces_secret" "dev_database_url" {
  repository       = "worker" # the name only: the owner is the provider's
  secret_name      = "DEV_DATABASE_URL"
  value_wo         = var.dev_database_url
  value_wo_version = 1 # bump to write a new value
}
