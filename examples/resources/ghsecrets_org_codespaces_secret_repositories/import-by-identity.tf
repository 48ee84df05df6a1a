# Terraform 1.12 and later: import by identity instead of an id.
# organization and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_org_codespaces_secret_repositories.cloud_dev_key
  identity = {
    secret_name  = "CLOUD_DEV_KEY"
    organization = "my-org"
    kind         = "codespaces"
  }
}
