# GitHub Enterprise Server: the server's address in any usual form works;
# the API is reached under /api/v3/.
provider "ghsecrets" {
  alias    = "ghes"
  owner    = "platform"
  base_url = "https://ghe.example.com"
}
