# Terraform 1.12 and later: import by identity instead of an id.
# owner and kind may be left out; given, they must be the provider's
# owner and this type's kind.
import {
  to = ghsecrets_repository_codespaces_secret.dev_database_url
  identity = {
    repository  = "worker"
    secret_name = "DEV_DATABASE_URL"
    owner       = "my-org"
    kind        = "codespaces"
  }
}
