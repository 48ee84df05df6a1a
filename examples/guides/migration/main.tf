# The configuration after the move from integrations/github: the same three
# secrets, adopted by import blocks. The first apply writes nothing to GitHub;
# the import blocks may be deleted after it.
terraform {
  required_version = ">= 1.11"
  required_providers {
    ghsecrets = {
      source = "ghsecrets/ghsecrets"
    }
  }
}

provider "ghsecrets" {
  owner = "my-org"
}

# Ephemeral: read during plan and apply, never written to a plan or state file.
variable "npm_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "sentry_dsn" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "deploy_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Was github_actions_organization_secret.npm_token with selected_repository_ids.
import {
  to = ghsecrets_org_actions_secret.npm_token
  id = "NPM_TOKEN"
}

resource "ghsecrets_org_actions_secret" "npm_token" {
  secret_name = "NPM_TOKEN"
  visibility  = "selected"
  value_wo    = var.npm_token
  # No value_wo_version yet: adding one later is what writes a new value.
}

import {
  to = ghsecrets_org_actions_secret_repositories.npm_token
  id = "NPM_TOKEN"
}

resource "ghsecrets_org_actions_secret_repositories" "npm_token" {
  secret_name             = ghsecrets_org_actions_secret.npm_token.secret_name
  selected_repository_ids = [1296269, 1296270]
}

# Was github_actions_organization_secret.sentry_dsn.
import {
  to = ghsecrets_org_actions_secret.sentry_dsn
  id = "SENTRY_DSN"
}

resource "ghsecrets_org_actions_secret" "sentry_dsn" {
  secret_name = "SENTRY_DSN"
  visibility  = "private"
  value_wo    = var.sentry_dsn
}

# Was github_actions_organization_secret.deploy_key and
# github_actions_organization_secret_repository.deploy_key_worker.
import {
  to = ghsecrets_org_actions_secret.deploy_key
  id = "DEPLOY_KEY"
}

resource "ghsecrets_org_actions_secret" "deploy_key" {
  secret_name = "DEPLOY_KEY"
  visibility  = "selected"
  value_wo    = var.deploy_key
}

import {
  to = ghsecrets_org_actions_secret_repository.deploy_key_worker
  id = "DEPLOY_KEY:1296271"
}

resource "ghsecrets_org_actions_secret_repository" "deploy_key_worker" {
  secret_name   = ghsecrets_org_actions_secret.deploy_key.secret_name
  repository_id = 1296271
}
