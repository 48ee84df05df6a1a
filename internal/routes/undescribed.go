package routes

// undescribed are endpoints the client calls or the fake serves that the
// description leaves out, as GitHub's full description has
// them.
var undescribed = []Route{
	// Authenticated by the app's JWT, for an installation token.
	{"POST", "/app/installations/{installation_id}/access_tokens", Write, "apps/create-installation-access-token",
		"https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"},
	// Where GitHub redirects a request that names a repository by a former
	// name; the client reads it to name the repository as it is now. The
	// fake serves every repository endpoint in this form too.
	{"GET", "/repositories/{repository_id}", Read, "repos/get-by-id",
		"https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"},
	// Read by clients (integrations/github among them) to learn that their
	// owner is an organization.
	{"GET", "/orgs/{org}", Read, "orgs/get", "https://docs.github.com/rest/orgs/orgs#get-an-organization"},
}
