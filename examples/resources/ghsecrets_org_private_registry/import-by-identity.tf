# Terraform 1.12 and later: import by identity instead of an id.
# organization may be left out; given, it must be the provider's owner.
import {
  to = ghsecrets_org_private_registry.npm
  identity = {
    name         = "NPM_REGISTRY_SECRET"
    organization = "my-org"
  }
}
