# Import as VARIABLE_NAME:REPOSITORY_ID, with the variable's name in any case.
terraform import ghsecrets_org_agents_variable_repository.api DEPLOY_REGION:1296269
