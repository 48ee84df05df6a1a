# Every Codespaces secret of the token's user whose name starts with DEV_, with its metadata.
list "ghsecrets_user_codespaces_secret" "dev" {
  provider         = ghsecrets
  include_resource = true

  config {
    name_prefix = "DEV_"
  }
}
