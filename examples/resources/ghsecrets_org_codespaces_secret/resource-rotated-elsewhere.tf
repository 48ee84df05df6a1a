# Terraform creates the secret with a placeholder and a job rotates the development cloud token later;
# on_value_drift = "accept" keeps the value the job set: the plan stays
# empty, and the change is logged at INFO.
resource "ghsecrets_org_codespaces_secret" "cloud_dev_token" {
  secret_name      = "CLOUD_DEV_TOKEN"
  visibility       = "private"
  value_wo         = "set-by-the-rotation-job"
  value_wo_version = 1
  on_value_drift   = "accept"
}
