# Import by SECRET_NAME:REPOSITORY_ID.
terraform import ghsecrets_user_codespaces_secret_repository.worker NOTES_TOKEN:1296271
