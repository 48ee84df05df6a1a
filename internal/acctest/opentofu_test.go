package acctest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// fakeCLI writes an executable that answers `version` as a CLI would.
func fakeCLI(t *testing.T, versionOutput string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cli")
	script := "#!/bin/sh\ncat <<'EOF'\n" + versionOutput + "\nEOF\n"
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	terraformVersion = "Terraform v1.15.9\non linux_amd64"
	// What OpenTofu prints when TF_CLI_CONFIG_FILE names no file.
	openTofuVersion = "\nWarning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\non linux_amd64"
)

func TestIsOpenTofu(t *testing.T) {
	for out, want := range map[string]bool{terraformVersion: false, openTofuVersion: true} {
		got, err := IsOpenTofu(fakeCLI(t, out))
		if err != nil || got != want {
			t.Errorf("IsOpenTofu for %q = %v, %v; want %v", out, got, err, want)
		}
	}
	if _, err := IsOpenTofu(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("IsOpenTofu of a missing CLI gave no error")
	}
}

// These tests set the process's environment, so they are not parallel.

func TestSkipOnOpenTofu(t *testing.T) {
	check := SkipOnOpenTofu("list resources")
	req := tfversion.CheckTerraformVersionRequest{TerraformVersion: version.Must(version.NewVersion("1.12.6"))}
	for out, wantSkip := range map[string]string{
		terraformVersion: "",
		openTofuVersion:  "OpenTofu 1.12.6 does not support list resources",
	} {
		t.Setenv("TF_ACC_TERRAFORM_PATH", fakeCLI(t, out))
		var resp tfversion.CheckTerraformVersionResponse
		check.CheckTerraformVersion(context.Background(), req, &resp)
		if resp.Skip != wantSkip || resp.Error != nil {
			t.Errorf("for %q: skip %q, error %v; want skip %q", strings.SplitN(out, "\n", 3)[1], resp.Skip, resp.Error, wantSkip)
		}
	}
}

func TestOpenTofuRegistryHost(t *testing.T) {
	for out, want := range map[string]string{terraformVersion: "", openTofuVersion: openTofuRegistry} {
		t.Setenv("TF_ACC_PROVIDER_HOST", "")
		os.Unsetenv("TF_ACC_PROVIDER_HOST")
		if err := useOpenTofuRegistry(fakeCLI(t, out)); err != nil {
			t.Fatal(err)
		}
		if got := os.Getenv("TF_ACC_PROVIDER_HOST"); got != want {
			t.Errorf("TF_ACC_PROVIDER_HOST = %q, want %q", got, want)
		}
	}
	// A host chosen by the developer stays.
	t.Setenv("TF_ACC_PROVIDER_HOST", "example.com")
	if err := useOpenTofuRegistry(fakeCLI(t, openTofuVersion)); err != nil || os.Getenv("TF_ACC_PROVIDER_HOST") != "example.com" {
		t.Errorf("the developer's host was replaced (%v)", err)
	}
}
