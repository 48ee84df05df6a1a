data "ghsecrets_org_private_registries" "all" {}

# Registries Dependabot reaches through OIDC, with no stored credential.
output "oidc_registries" {
  value = [for r in data.ghsecrets_org_private_registries.all.registries : r.name if startswith(r.auth_type, "oidc_")]
}
