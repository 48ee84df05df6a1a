# Ephemeral: the value is never written to a plan or state file.
variable "mcp_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# An organization Copilot coding agent secret: Copilot coding agent passes it to the MCP servers it starts (names starting with COPILOT_MCP_ are).
resource "ghsecrets_org_agents_secret" "mcp_token" {
  secret_name      = "COPILOT_MCP_ISSUES_TOKEN"
  visibility       = "selected"
  value_wo         = var.mcp_token
  value_wo_version = 1 # bump to write a new value

  # The list travels in the same request as the value.
  selected_repository_ids = [1296269, 1296270]
}
