package provider

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// whereValuesLand are the facts every page that tells users how to pass a
// value must state, each as a pattern over its text with spaces collapsed.
var whereValuesLand = map[string]string{
	"use an ephemeral variable":          `ephemeral variable`,
	"or an ephemeral resource":           `ephemeral resource`,
	"a literal goes into a saved plan":   `literal[^.]*saved plan`,
	"a sensitive variable is stored":     `sensitive variable that is not ephemeral[^.]*stored`,
	"the protocol dump holds plain text": `TF_LOG_SDK_PROTO_DATA_DIR[^.]*plain ?text`,
	"a data source's value is in state":  `data source[^.]*stored in (the )?state`,
}

// TestDocsSayWhereAValueLands checks that the README, the resource's page, the
// policy guide and value_wo's own description say how to keep a value out of
// every file Terraform writes, not only that write-only attributes stay out
// of state.
func TestDocsSayWhereAValueLands(t *testing.T) {
	t.Parallel()
	texts := map[string]string{}
	for _, file := range []string{"../../README.md", "../../docs/resources/org_actions_secret.md", "../../docs/guides/policy-as-code.md"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(file)] = string(raw)
	}
	srv := providerserver.NewProtocol6(New("test")())()
	sr, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sr.ResourceSchemas["ghsecrets_org_actions_secret"].Block.Attributes {
		if a.Name == "value_wo" {
			texts["value_wo's description"] = a.Description
		}
	}
	for where, text := range texts {
		flat := strings.Join(strings.Fields(text), " ")
		for fact, pattern := range whereValuesLand {
			if !regexp.MustCompile(`(?i)` + pattern).MatchString(flat) {
				t.Errorf("%s does not say: %s", where, fact)
			}
		}
	}
}

// TestAccWhereValuesLand checks what the docs say with the real CLI: a saved
// plan holds a literal value (in its copy of the configuration) and the value
// of a sensitive variable that is not ephemeral, not the value of an
// ephemeral variable; TF_LOG_SDK_PROTO_DATA_DIR dumps the configuration with
// value_wo in it. The values here are planted on purpose and not watched.
func TestAccWhereValuesLand(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const literal, ephemeralValue, sensitiveValue = "literal-8d1c4f0e2a", "ephemeral-5b7e9a3c61", "sensitive-2f6d8b0c94"
	cli := acctest.NewCLI(t, acctest.BuildProvider(t), requiredProviders+`
variable "ephemeral_value" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "sensitive_value" {
  type      = string
  sensitive = true
}

resource "ghsecrets_org_actions_secret" "literal" {
  secret_name = "FROM_LITERAL"
  visibility  = "all"
  value_wo    = "`+literal+`"
}

resource "ghsecrets_org_actions_secret" "ephemeral" {
  secret_name = "FROM_EPHEMERAL"
  visibility  = "all"
  value_wo    = var.ephemeral_value
}

resource "ghsecrets_org_actions_secret" "sensitive" {
  secret_name = "FROM_SENSITIVE"
  visibility  = "all"
  value_wo    = var.sensitive_value
}
`, "GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+env.url,
		"TF_VAR_ephemeral_value="+ephemeralValue, "TF_VAR_sensitive_value="+sensitiveValue)

	cli.MustRun("plan", "-input=false", "-out=plan.out")
	plan := unzipAll(t, filepath.Join(cli.Dir, "plan.out"))
	for value, want := range map[string]bool{literal: true, sensitiveValue: true, ephemeralValue: false} {
		if got := bytes.Contains(plan, []byte(value)); got != want {
			t.Errorf("saved plan holds %s: %v, want %v", value, got, want)
		}
	}

	dump := t.TempDir()
	cli.Env = append(cli.Env, "TF_LOG_SDK_PROTO_DATA_DIR="+dump)
	cli.MustRun("plan", "-input=false")
	var dumped []byte
	_ = filepath.WalkDir(dump, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(p)
			dumped = append(dumped, raw...)
		}
		return nil
	})
	if !bytes.Contains(dumped, []byte(ephemeralValue)) {
		t.Errorf("TF_LOG_SDK_PROTO_DATA_DIR did not dump the value of an ephemeral variable (%d bytes dumped)", len(dumped))
	}
}

// unzipAll returns the contents of every file in a zip archive, one after another.
func unzipAll(t *testing.T, name string) []byte {
	t.Helper()
	r, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var all []byte
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(fmt.Errorf("%s in %s: %w", f.Name, name, err))
		}
		all = append(all, raw...)
	}
	return all
}
