# Terraform creates the secret with a placeholder and a job rotates the registry key later;
# on_value_drift = "accept" keeps the value the job set: the plan stays
# empty, and the change is logged at INFO.
resource "ghsecrets_org_dependabot_secret" "registry_api_key" {
  secret_name      = "REGISTRY_API_KEY"
  visibility       = "private"
  value_wo         = "set-by-the-rotation-job"
  value_wo_version = 1
  on_value_drift   = "accept"
}
