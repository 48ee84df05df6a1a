package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/apispec"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestAccAppAuthOverPrivateCA runs the provider as GitHub Enterprise Server
// users do: a GitHub App installation (app_auth with a key file), a server
// certificate from a private CA (ca_cert_file), the /api/v3 layout. The
// installation tokens live 3 seconds here, so the steps outlive several and
// the provider must keep exchanging new ones.
func TestAccAppAuthOverPrivateCA(t *testing.T) {
	t.Parallel()
	const appID, installationID = 4242, 7
	fake := fakegithub.New(fakegithub.Options{Token: "ghp_unused-static-token", Orgs: []string{testOrg}})
	acctest.WatchFake(fake)
	key, keyPEM := fakegithub.NewAppKey()
	fake.AddApp(fakegithub.App{ID: appID, PublicKey: &key.PublicKey, Installations: map[int64]string{installationID: testOrg}})
	fake.SetInstallationTokenTTL(3 * time.Second)
	spec, err := apispec.New()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := fakegithub.StartTLS(spec.Middleware(fake))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	keyFile, caFile := filepath.Join(dir, "app.pem"), filepath.Join(dir, "ca.pem")
	for file, data := range map[string][]byte{keyFile: keyPEM, caFile: srv.CACertPEM} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	provider := func(withCA bool) string {
		ca := ""
		if withCA {
			ca = fmt.Sprintf("  ca_cert_file = %q\n", caFile)
		}
		return requiredProviders + fmt.Sprintf(`
provider "ghsecrets" {
  owner    = %q
  base_url = %q
%s  app_auth {
    id              = "%d"
    installation_id = "%d"
    pem_file        = %q
  }
}
`, testOrg, srv.URL+"/api/v3/", ca, appID, installationID, keyFile)
	}
	secret := func(version int) string {
		return fmt.Sprintf(`
variable "value" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_actions_secret" "test" {
  secret_name      = "VIA_APP"
  visibility       = "private"
  value_wo         = var.value
  value_wo_version = %d
}
`, version)
	}
	value := testPlaintext(t, "app")
	checkValue := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got, ok := fake.SecretValue(testOrg, "VIA_APP")
			if !ok || string(got) != want {
				return fmt.Errorf("the fake does not hold the configured value of VIA_APP")
			}
			return nil
		}
	}
	acctest.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: withValue(value, []resource.TestStep{
			{
				// Without the CA the server's certificate is not trusted.
				Config:      provider(false) + secret(1),
				ExpectError: regexp.MustCompile(`(?s)certificate`),
			},
			{Config: provider(true) + secret(1), Check: checkValue(value)},
			{
				// Longer than a token's life: the next run needs a new one.
				PreConfig: func() { time.Sleep(3500 * time.Millisecond) },
				Config:    provider(true) + secret(2),
				Check: resource.ComposeAggregateTestCheckFunc(checkValue(value), func(*terraform.State) error {
					if n := fake.IssuedTokens(); n < 2 {
						return fmt.Errorf("the fake issued %d installation tokens, want a new one after the first expired", n)
					}
					return nil
				}),
			},
		}),
	})
	if f := spec.Failures(); len(f) > 0 {
		t.Errorf("traffic does not match the API description: %q", f)
	}
}
