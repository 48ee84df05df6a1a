terraform {
  required_version = ">= 1.11"
  required_providers {
    ghsecrets = {
      source = "ghsecrets/ghsecrets"
    }
  }
}

# The token comes from GITHUB_TOKEN (or GH_TOKEN); never write it in a file.
provider "ghsecrets" {
  owner = "my-org"
}
