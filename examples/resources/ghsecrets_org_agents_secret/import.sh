# Import by the secret's name, in any case.
terraform import ghsecrets_org_agents_secret.mcp_token COPILOT_MCP_ISSUES_TOKEN
