# Terraform 1.12 and later: import by identity instead of an id.
# organization and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_org_dependabot_secret_repositories.registry_password
  identity = {
    secret_name  = "REGISTRY_PASSWORD"
    organization = "my-org"
    kind         = "dependabot"
  }
}
