# Import by the secret's name, in any case.
terraform import ghsecrets_org_actions_secret.deploy_token DEPLOY_TOKEN
