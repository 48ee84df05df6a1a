# Import by the registry's name as GitHub made it, in any case. GitHub does
# not return the repository list: the first apply after the import sends the
# configured one.
terraform import ghsecrets_org_private_registry.npm NPM_REGISTRY_SECRET
