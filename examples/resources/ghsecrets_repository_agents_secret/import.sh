# Import by REPOSITORY:SECRET_NAME.
terraform import ghsecrets_repository_agents_secret.package_token api:PACKAGE_TOKEN
