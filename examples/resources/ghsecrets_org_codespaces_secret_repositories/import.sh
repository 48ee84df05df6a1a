# Import by the secret's name, in any case.
terraform import ghsecrets_org_codespaces_secret_repositories.cloud_dev_key CLOUD_DEV_KEY
