# A value sealed outside Terraform for the public key of the organization's
# Copilot coding agent secrets (each kind has its own key), so the plaintext never
# reaches Terraform at all: Copilot coding agent passes it to its MCP servers.
variable "sealed_mcp_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "ghsecrets_org_agents_public_key" "org" {}

resource "ghsecrets_org_agents_secret" "mcp_api_key" {
  secret_name        = "COPILOT_MCP_API_KEY"
  visibility         = "all"
  encrypted_value_wo = var.sealed_mcp_api_key
  key_id             = data.ghsecrets_org_agents_public_key.org.key_id
  value_wo_version   = 1
}
