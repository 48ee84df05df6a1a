# Import by REPOSITORY:ENVIRONMENT:SECRET_NAME; the environment name may hold
# colons, spaces and slashes (the id is split on its first and last colon).
terraform import ghsecrets_environment_actions_secret.deploy_key "api:production:DEPLOY_KEY"
