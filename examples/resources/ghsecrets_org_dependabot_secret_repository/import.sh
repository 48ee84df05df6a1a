# Import as SECRET_NAME:REPOSITORY_ID, with the secret's name in any case.
terraform import ghsecrets_org_dependabot_secret_repository.worker REGISTRY_PASSWORD:1296271
