# Terraform 1.12 and later: import by identity instead of an id.
# organization and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_org_agents_variable.npm_registry_url
  identity = {
    variable_name = "NPM_REGISTRY_URL"
    organization  = "my-org"
    kind          = "agents"
  }
}
