# Import as SECRET_NAME:REPOSITORY_ID, with the secret's name in any case.
terraform import ghsecrets_org_actions_secret_repository.api DEPLOY_KEY:1296269
