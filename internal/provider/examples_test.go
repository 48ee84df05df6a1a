package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// examplesOrg is the organization the examples are written for.
const examplesOrg = "my-org"

var (
	variableBlock = regexp.MustCompile(`(?s)variable "(\w+)" \{(.*?)\n\}`)
	hasResource   = regexp.MustCompile(`(?m)^(resource|output) "`)
)

// TestAccExamples applies every Terraform file under examples/ against the
// fake API, so no example can rot. Not parallel: it configures the provider
// through the environment, as the examples tell users to.
func TestAccExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../examples/*/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(files) < 8 {
		t.Fatalf("found only %d example files; the glob is wrong", len(files))
	}

	for _, file := range files {
		name := strings.TrimPrefix(filepath.ToSlash(file), "../../examples/")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src := string(raw)

			env := newTestEnvFor(t, examplesOrg)
			fake := env.fake
			t.Setenv(envOwner, examplesOrg)
			t.Setenv(envToken, testToken)
			t.Setenv(envBaseURL, env.url)

			if !strings.Contains(src, "required_providers") {
				src = requiredProviders + src
			}
			vars := config.Variables{}
			for _, m := range variableBlock.FindAllStringSubmatch(src, -1) {
				if strings.Contains(m[2], "default") {
					continue
				}
				value := "example value for " + m[1]
				if strings.HasPrefix(m[1], "sealed_") {
					value, _ = fake.Seal(examplesOrg, []byte(value))
				}
				vars[m[1]] = config.StringVariable(value)
			}

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:             src,
						ConfigVariables:    vars,
						PlanOnly:           true,
						ExpectNonEmptyPlan: hasResource.MatchString(src),
					},
					{
						Config:          src,
						ConfigVariables: vars,
					},
				},
			})
			if n := fake.CountRequests(""); hasResource.MatchString(src) && n == 0 {
				t.Fatalf("example %s made no request to the API", name)
			}
		})
	}
}
