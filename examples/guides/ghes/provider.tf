# GitHub Enterprise Server behind a private certificate authority, with the
# provider authenticating as a GitHub App installation.
terraform {
  required_version = ">= 1.11"
  required_providers {
    ghsecrets = {
      source = "ghsecrets/ghsecrets"
    }
  }
}

variable "github_app_id" {
  description = "The app's id, from its settings page."
  type        = string
}

variable "github_app_installation_id" {
  description = "The id of the app's installation on the organization."
  type        = string
}

variable "github_app_pem_file" {
  description = "Path of the private key generated for the app."
  type        = string
}

variable "ghes_ca_cert_file" {
  description = "PEM bundle of the CA that signed the server's certificate."
  type        = string
}

provider "ghsecrets" {
  owner        = "platform"
  base_url     = "https://ghe.example.com" # served under /api/v3/
  ca_cert_file = var.ghes_ca_cert_file

  app_auth {
    id              = var.github_app_id
    installation_id = var.github_app_installation_id
    pem_file        = var.github_app_pem_file
  }
}
