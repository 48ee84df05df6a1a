# Terraform 1.12 and later: import by identity instead of an id. The
# identity names no owner: GitHub names the user by the token. kind may be
# left out; given, it must be "codespaces".
import {
  to = ghsecrets_user_codespaces_secret_repositories.notes_token
  identity = {
    secret_name = "NOTES_TOKEN"
    kind        = "codespaces"
  }
}
