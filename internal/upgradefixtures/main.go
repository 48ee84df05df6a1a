// Command upgradefixtures records what a release of the provider writes to
// state, so later releases can prove they read it without planning a change.
// It builds the provider from this module, applies a configuration with every
// resource type and visibility against the fake GitHub API with the terraform
// CLI on PATH, and writes one fixture per moment of a configuration's life:
// right after apply, after a refresh, and after a refresh that saw a value
// changed outside Terraform. Each fixture holds the raw state file (private
// state included) and what the fake held then, so a test can serve the same
// secrets with the same timestamps again.
//
// Run it on the commit of a release whose state format is new, then commit the
// output beside the earlier ones:
//
//	go run ./internal/upgradefixtures -out internal/provider/testdata/upgrade/v1 -release v1
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const (
	org   = "acme"
	token = "fixture-token"
)

// config is the configuration of every fixture. Repository ids are those the
// fake gives api, web and worker, created in that order.
const config = `terraform {
  required_providers {
    ghsecrets = { source = "ghsecrets/ghsecrets" }
  }
}

provider "ghsecrets" {}

variable "values" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_actions_secret" "all" {
  secret_name      = "FIX_ALL"
  visibility       = "all"
  value_wo         = var.values["FIX_ALL"]
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret" "private" {
  secret_name = "fix_private"
  visibility  = "private"
  value_wo    = var.values["FIX_PRIVATE"]
}

resource "ghsecrets_org_actions_secret" "selected_bare" {
  secret_name      = "FIX_SELECTED_BARE"
  visibility       = "selected"
  value_wo         = var.values["FIX_SELECTED_BARE"]
  value_wo_version = 3
}

resource "ghsecrets_org_actions_secret" "selected_list" {
  secret_name      = "FIX_SELECTED_LIST"
  visibility       = "selected"
  value_wo         = var.values["FIX_SELECTED_LIST"]
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret_repositories" "selected_list" {
  secret_name             = ghsecrets_org_actions_secret.selected_list.secret_name
  selected_repository_ids = [1296269, 1296270]
}

resource "ghsecrets_org_actions_secret" "selected_one" {
  secret_name      = "FIX_SELECTED_ONE"
  visibility       = "selected"
  value_wo         = var.values["FIX_SELECTED_ONE"]
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret_repository" "selected_one" {
  secret_name   = ghsecrets_org_actions_secret.selected_one.secret_name
  repository_id = 1296271
}

resource "ghsecrets_org_actions_secret" "inline" {
  secret_name             = "FIX_INLINE"
  visibility              = "selected"
  value_wo                = var.values["FIX_INLINE"]
  value_wo_version        = 1
  selected_repository_ids = [1296269, 1296271]
}

resource "ghsecrets_org_actions_secret" "inline_empty" {
  secret_name             = "FIX_INLINE_EMPTY"
  visibility              = "selected"
  value_wo                = var.values["FIX_INLINE_EMPTY"]
  value_wo_version        = 1
  selected_repository_ids = []
}
`

// values are the plaintexts the fixtures' configuration writes.
var values = map[string]string{
	"FIX_ALL":           "fixture-all",
	"FIX_PRIVATE":       "fixture-private",
	"FIX_SELECTED_BARE": "fixture-selected-bare",
	"FIX_SELECTED_LIST": "fixture-selected-list",
	"FIX_SELECTED_ONE":  "fixture-selected-one",
	"FIX_INLINE":        "fixture-inline",
	"FIX_INLINE_EMPTY":  "fixture-inline-empty",
}

// drifted are the secrets changed outside Terraform before the "drifted"
// fixture's refresh, and the values they then hold.
var drifted = map[string]string{
	"FIX_PRIVATE": "changed-outside-private",
	"FIX_INLINE":  "changed-outside-inline",
}

// Fixture is one moment of the configuration's life.
type Fixture struct {
	Release   string `json:"release"`
	Terraform string `json:"terraform"`
	Moment    string `json:"moment"`
	Config    string `json:"config"`
	// Values are the configured plaintexts, by secret name.
	Values map[string]string `json:"values"`
	// Drifted names the secrets changed outside Terraform before this moment.
	Drifted []string        `json:"drifted,omitempty"`
	Secrets []Secret        `json:"secrets"`
	State   json.RawMessage `json:"state"`
}

// Secret is what the fake held for one secret at that moment.
type Secret struct {
	Name         string    `json:"name"`
	Visibility   string    `json:"visibility"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Repositories []int64   `json:"repositories"`
	Value        string    `json:"value"`
}

func main() {
	out := flag.String("out", "", "folder to write the fixtures to (required)")
	release := flag.String("release", "", "the release or commit whose state format the fixtures hold (required)")
	flag.Parse()
	if *out == "" || *release == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *out, *release); err != nil {
		fmt.Fprintln(os.Stderr, "upgradefixtures:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, release string) error {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return fmt.Errorf("terraform must be on PATH: %w", err)
	}
	work, err := os.MkdirTemp("", "ghsecrets-fixtures-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "bin")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(bin, "terraform-provider-ghsecrets"), ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the provider: %w", err)
	}

	// The fake's clock moves a minute on before each change made outside
	// Terraform, as a person's edit would come well after an apply.
	var offset atomic.Int64
	fake := fakegithub.New(fakegithub.Options{Token: token, Orgs: []string{org},
		Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	for _, name := range []string{"api", "web", "worker"} {
		fake.AddRepository(org, name)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	dir := filepath.Join(work, "tf")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	rc := filepath.Join(work, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"ghsecrets/ghsecrets\" = %q\n  }\n  direct {}\n}\n", bin)
	for name, body := range map[string]string{rc: overrides, filepath.Join(dir, "main.tf"): config} {
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			return err
		}
	}
	vars, err := json.Marshal(values)
	if err != nil {
		return err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"GITHUB_OWNER="+org, "GITHUB_TOKEN="+token, "GITHUB_BASE_URL="+srv.URL+"/", "TF_VAR_values="+string(vars))
	terraform := func(args ...string) error {
		cmd := exec.CommandContext(ctx, tf, append(args, "-no-color", "-input=false")...)
		cmd.Dir, cmd.Env = dir, env
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, b)
		}
		return nil
	}
	version, err := exec.CommandContext(ctx, tf, "version").Output()
	if err != nil {
		return err
	}
	held := func() map[string]string {
		v := map[string]string{}
		for name := range values {
			b, _ := fake.SecretValue(org, name)
			v[name] = string(b)
		}
		return v
	}
	var changed []string
	write := func(moment string) error {
		raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
		if err != nil {
			return err
		}
		f := Fixture{
			Release: release, Moment: moment, Config: config, Values: values, Drifted: changed, State: raw,
			Terraform: strings.TrimPrefix(strings.SplitN(string(version), "\n", 2)[0], "Terraform v"),
		}
		current := held()
		for _, s := range fake.Secrets(org) {
			f.Secrets = append(f.Secrets, Secret{Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt,
				UpdatedAt: s.UpdatedAt, Repositories: s.SelectedRepositoryIDs, Value: current[s.Name]})
		}
		b, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, moment+".json"), append(b, '\n'), 0o644)
	}

	if err := terraform("apply", "-auto-approve"); err != nil {
		return err
	}
	if err := write("applied"); err != nil {
		return err
	}
	offset.Add(int64(time.Minute))
	if err := terraform("apply", "-refresh-only", "-auto-approve"); err != nil {
		return err
	}
	if err := write("refreshed"); err != nil {
		return err
	}
	offset.Add(int64(time.Minute))
	for _, name := range slices.Sorted(maps.Keys(drifted)) {
		s, _ := fake.Secret(org, name)
		fake.PutSecretOutOfBand(org, name, []byte(drifted[name]), s.Visibility, s.SelectedRepositoryIDs)
		changed = append(changed, name)
	}
	if err := terraform("apply", "-refresh-only", "-auto-approve"); err != nil {
		return err
	}
	return write("drifted")
}
