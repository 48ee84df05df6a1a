# Import by the variable's name, in any case.
terraform import ghsecrets_org_agents_variable.npm_registry_url NPM_REGISTRY_URL
