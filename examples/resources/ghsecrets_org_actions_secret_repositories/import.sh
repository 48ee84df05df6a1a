# Import by the secret's name, in any case.
terraform import ghsecrets_org_actions_secret_repositories.npm_token NPM_TOKEN
