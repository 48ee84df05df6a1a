# Import by the variable's name, in any case.
terraform import ghsecrets_org_actions_variable_repositories.cache_bucket CACHE_BUCKET
