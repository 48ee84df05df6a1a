# Terraform 1.12 and later: import by identity instead of an id.
# owner and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_environment_actions_variable.deploy_url
  identity = {
    repository    = "api"
    environment   = "production"
    variable_name = "DEPLOY_URL"
    owner         = "my-org"
    kind          = "actions"
  }
}
