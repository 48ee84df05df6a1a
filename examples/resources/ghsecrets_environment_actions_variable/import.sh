# Import by REPOSITORY:ENVIRONMENT:VARIABLE_NAME.
terraform import ghsecrets_environment_actions_variable.deploy_url api:production:DEPLOY_URL
