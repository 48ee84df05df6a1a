# Terraform 1.12 and later: import by identity instead of an id.
# owner and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_repository_actions_variable.npm_registry_url
  identity = {
    repository    = "api"
    variable_name = "NPM_REGISTRY_URL"
    owner         = "my-org"
    kind          = "actions"
  }
}
