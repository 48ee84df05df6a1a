# Terraform 1.12 and later: import by identity instead of an id.
# organization and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_org_actions_secret_repositories.npm_token
  identity = {
    secret_name  = "NPM_TOKEN"
    organization = "my-org"
    kind         = "actions"
  }
}
