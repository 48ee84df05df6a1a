# Import by the secret's name, in any case.
terraform import ghsecrets_user_codespaces_secret_repositories.notes_token NOTES_TOKEN
