# Import by the secret's name, in any case.
terraform import ghsecrets_org_agents_secret_repositories.sentry_token COPILOT_MCP_SENTRY_TOKEN
