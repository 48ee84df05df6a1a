# Import by the secret's name, in any case.
terraform import ghsecrets_org_dependabot_secret_repositories.registry_password REGISTRY_PASSWORD
