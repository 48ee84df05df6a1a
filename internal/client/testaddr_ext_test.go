package client_test

import "github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"

// must is the value of a call that a test knows succeeds.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func orgScope(kind client.Kind, org string) client.Scope { return must(client.OrgScope(kind, org)) }

// orgSecret is an organization Actions secret of the benchmark's organization.
func orgSecret(name string) client.Address {
	return must(orgScope(client.Actions, benchOrg).Secret(name))
}
