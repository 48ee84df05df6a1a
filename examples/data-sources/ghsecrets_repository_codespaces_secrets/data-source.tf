# The names and timestamps of every Codespaces secret of repository worker.
data "ghsecrets_repository_codespaces_secrets" "worker" {
  repository = "worker"
}

output "worker_codespaces_secrets" {
  value = data.ghsecrets_repository_codespaces_secrets.worker.secrets[*].name
}
