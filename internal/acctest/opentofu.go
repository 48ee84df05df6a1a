package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// OpenTofu's registry host: a configuration's "ghsecrets/ghsecrets" means
// registry.opentofu.org/ghsecrets/ghsecrets to OpenTofu, and the provider
// under test must be served to it under that address.
const openTofuRegistry = "registry.opentofu.org"

// IsOpenTofu tells whether the CLI at path is OpenTofu rather than
// Terraform. Both answer `version -json` alike and OpenTofu numbers its
// releases in Terraform's range, so only the product name in `version`
// tells them apart. The answer is kept per path.
func IsOpenTofu(path string) (bool, error) {
	productsMu.Lock()
	ask, ok := products[path]
	if !ok {
		ask = sync.OnceValues(func() (bool, error) {
			out, err := exec.Command(path, "version").CombinedOutput()
			if err != nil {
				return false, fmt.Errorf("%s version: %w\n%s", path, err, out)
			}
			return strings.Contains(string(out), "OpenTofu v"), nil
		})
		products[path] = ask
	}
	productsMu.Unlock()
	return ask()
}

var (
	productsMu sync.Mutex
	products   = map[string]func() (bool, error){}
)

// useOpenTofuRegistry makes terraform-plugin-testing serve the provider
// under OpenTofu's registry host when the CLI is OpenTofu and no host was
// chosen; Terraform keeps the framework's default.
func useOpenTofuRegistry(cli string) error {
	if cli == "" || os.Getenv("TF_ACC_PROVIDER_HOST") != "" {
		return nil
	}
	tofu, err := IsOpenTofu(cli)
	if err != nil || !tofu {
		return err
	}
	return os.Setenv("TF_ACC_PROVIDER_HOST", openTofuRegistry)
}

// SkipOnOpenTofu is a TestCase's TerraformVersionChecks entry for a feature
// that no OpenTofu release offers: it skips the test case when the CLI in
// TF_ACC_TERRAFORM_PATH is OpenTofu, naming the feature. Version checks
// alone cannot: tfversion.SkipBelow sees OpenTofu 1.12 as Terraform 1.12.
// Pair it with the Terraform version the feature needs, e.g.
//
//	TerraformVersionChecks: []tfversion.TerraformVersionCheck{
//		tfversion.SkipBelow(tfversion.Version1_14_0),
//		acctest.SkipOnOpenTofu("list resources (terraform query)"),
//	},
func SkipOnOpenTofu(feature string) tfversion.TerraformVersionCheck {
	return skipOnOpenTofu{feature: feature}
}

type skipOnOpenTofu struct{ feature string }

func (s skipOnOpenTofu) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		return
	}
	tofu, err := IsOpenTofu(cli)
	switch {
	case err != nil:
		resp.Error = err
	case tofu:
		resp.Skip = fmt.Sprintf("OpenTofu %s does not support %s", req.TerraformVersion, s.feature)
	}
}
