# Ephemeral: the value is never written to a plan or state file.
variable "package_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# An organization Codespaces secret: every codespace of the repositories that may use it gets it as an environment variable.
resource "ghsecrets_org_codespaces_secret" "package_token" {
  secret_name      = "PACKAGE_READ_TOKEN"
  visibility       = "selected"
  value_wo         = var.package_token
  value_wo_version = 1 # bump to write a new value

  # The list travels in the same request as the value.
  selected_repository_ids = [1296269, 1296270]
}
