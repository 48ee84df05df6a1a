# Ephemeral: the value is never written to a plan or state file.
variable "deploy_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

# An environment secret: only workflow jobs that run in the environment
# "production" of repository api read it. The environment must exist; create
# it with the resource that manages it and reference it here.
resource "ghsecrets_environment_actions_secret" "deploy_key" {
  repository       = "api"
  environment      = "production"
  secret_name      = "DEPLOY_KEY"
  value_wo         = var.deploy_key
  value_wo_version = 1 # bump to write a new value
}
