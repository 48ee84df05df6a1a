# Import by the secret's name, in any case.
terraform import ghsecrets_org_dependabot_secret.registry_token NPM_REGISTRY_TOKEN
