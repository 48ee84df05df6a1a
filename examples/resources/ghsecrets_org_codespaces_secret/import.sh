# Import by the secret's name, in any case.
terraform import ghsecrets_org_codespaces_secret.package_token PACKAGE_READ_TOKEN
