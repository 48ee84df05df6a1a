data "ghsecrets_org_actions_public_key" "org" {}

output "org_public_key" {
  value = {
    key_id = data.ghsecrets_org_actions_public_key.org.key_id
    key    = data.ghsecrets_org_actions_public_key.org.key
  }
}
