# Terraform 1.12 and later: import by identity instead of an id.
# owner and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_repository_actions_secret.deploy_token
  identity = {
    repository  = "api"
    secret_name = "DEPLOY_TOKEN"
    owner       = "my-org"
    kind        = "actions"
  }
}
