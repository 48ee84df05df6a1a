# Import as SECRET_NAME:REPOSITORY_ID, with the secret's name in any case.
terraform import ghsecrets_org_codespaces_secret_repository.worker CLOUD_DEV_KEY:1296271
