# Terraform creates the secret with a placeholder; a rotation job sets the
# real value later. on_value_drift = "accept" keeps the value the job set:
# the plan stays empty, and the change is logged at INFO.
resource "ghsecrets_org_actions_secret" "database_password" {
  secret_name      = "DATABASE_PASSWORD"
  visibility       = "private"
  value_wo         = "set-by-the-rotation-job"
  value_wo_version = 1
  on_value_drift   = "accept"
}
