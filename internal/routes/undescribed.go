package routes

// undescribed are endpoints the client calls that the secrets family's
// description leaves out, as GitHub's full description has them.
var undescribed = []Route{
	// Authenticated by the app's JWT, for an installation token.
	{"POST", "/app/installations/{installation_id}/access_tokens", Write, "apps/create-installation-access-token",
		"https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"},
}
