# Import by REPOSITORY:SECRET_NAME.
terraform import ghsecrets_repository_actions_secret.deploy_token api:DEPLOY_TOKEN
