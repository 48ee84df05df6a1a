# Import as SECRET_NAME:REPOSITORY_ID, with the secret's name in any case.
terraform import ghsecrets_org_agents_secret_repository.worker COPILOT_MCP_SENTRY_TOKEN:1296271
