# Import by the secret's name, in any case: the secret is the token's user's.
terraform import ghsecrets_user_codespaces_secret.dotfiles_token DOTFILES_TOKEN
