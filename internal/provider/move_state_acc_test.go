package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// movedSealedValue is the value the source gives sealed (encrypted_value).
const movedSealedValue = "moved-value-org-sealed"

// movedPair is one resource of integrations/github and its counterpart here.
// name is both resources' name; value the plaintext the source held.
type movedPair struct {
	from, to, name   string
	fromBody, toBody string
	value            string
	// codespaces: not on GitHub Enterprise Server.
	codespaces bool
}

// movedPairs is one of each source type, in an organization whose
// repositories api and web have the ids given.
func movedPairs(api, web int64) []movedPair {
	org := func(name, ids string) string {
		body := fmt.Sprintf("secret_name = %q\nvisibility = \"selected\"\n", name)
		if ids != "" {
			body += "selected_repository_ids = " + ids + "\n"
		}
		return body
	}
	list := fmt.Sprintf("[%d, %d]", api, web)
	return []movedPair{
		{from: "github_actions_organization_secret", to: "ghsecrets_org_actions_secret", name: "inline",
			fromBody: org("MOVED_INLINE", list) + `plaintext_value = "moved-value-org-inline"`,
			toBody:   org("MOVED_INLINE", list), value: "moved-value-org-inline"},
		{from: "github_actions_organization_secret", to: "ghsecrets_org_actions_secret", name: "listed",
			fromBody: org("MOVED_LISTED", "") + `value = "moved-value-org-listed"`,
			toBody:   org("MOVED_LISTED", ""), value: "moved-value-org-listed"},
		{from: "github_actions_organization_secret_repositories", to: "ghsecrets_org_actions_secret_repositories", name: "listed",
			fromBody: "secret_name = github_actions_organization_secret.listed.secret_name\nselected_repository_ids = " + list,
			toBody:   "secret_name = ghsecrets_org_actions_secret.listed.secret_name\nselected_repository_ids = " + list},
		{from: "github_dependabot_organization_secret", to: "ghsecrets_org_dependabot_secret", name: "registry",
			fromBody: org("MOVED_REGISTRY", "") + `plaintext_value = "moved-value-dependabot"`,
			toBody:   org("MOVED_REGISTRY", ""), value: "moved-value-dependabot"},
		{from: "github_dependabot_organization_secret_repositories", to: "ghsecrets_org_dependabot_secret_repositories", name: "registry",
			fromBody: fmt.Sprintf("secret_name = github_dependabot_organization_secret.registry.secret_name\nselected_repository_ids = [%d]", api),
			toBody:   fmt.Sprintf("secret_name = ghsecrets_org_dependabot_secret.registry.secret_name\nselected_repository_ids = [%d]", api)},
		{from: "github_dependabot_organization_secret", to: "ghsecrets_org_dependabot_secret", name: "granted",
			fromBody: org("MOVED_GRANTED", "") + `plaintext_value = "moved-value-dependabot-granted"`,
			toBody:   org("MOVED_GRANTED", ""), value: "moved-value-dependabot-granted"},
		{from: "github_dependabot_organization_secret_repository", to: "ghsecrets_org_dependabot_secret_repository", name: "granted",
			fromBody: fmt.Sprintf("secret_name = github_dependabot_organization_secret.granted.secret_name\nrepository_id = %d", web),
			toBody:   fmt.Sprintf("secret_name = ghsecrets_org_dependabot_secret.granted.secret_name\nrepository_id = %d", web)},
		{from: "github_actions_organization_secret", to: "ghsecrets_org_actions_secret", name: "grant",
			fromBody: org("MOVED_GRANT", "") + `value_encrypted = var.sealed` + "\nkey_id = var.key_id",
			toBody:   org("MOVED_GRANT", ""), value: movedSealedValue},
		{from: "github_actions_organization_secret_repository", to: "ghsecrets_org_actions_secret_repository", name: "grant",
			fromBody: fmt.Sprintf("secret_name = github_actions_organization_secret.grant.secret_name\nrepository_id = %d", web),
			toBody:   fmt.Sprintf("secret_name = ghsecrets_org_actions_secret.grant.secret_name\nrepository_id = %d", web)},
		{from: "github_actions_secret", to: "ghsecrets_repository_actions_secret", name: "deploy",
			fromBody: "repository = \"api\"\nsecret_name = \"MOVED_DEPLOY\"\nplaintext_value = \"moved-value-repo-actions\"",
			toBody:   "repository = \"api\"\nsecret_name = \"MOVED_DEPLOY\"", value: "moved-value-repo-actions"},
		{from: "github_dependabot_secret", to: "ghsecrets_repository_dependabot_secret", name: "npm",
			fromBody: "repository = \"api\"\nsecret_name = \"MOVED_NPM\"\nplaintext_value = \"moved-value-repo-dependabot\"",
			toBody:   "repository = \"api\"\nsecret_name = \"MOVED_NPM\"", value: "moved-value-repo-dependabot"},
		{from: "github_actions_environment_secret", to: "ghsecrets_environment_actions_secret", name: "prod",
			fromBody: "repository = \"api\"\nenvironment = \"prod\"\nsecret_name = \"MOVED_PROD\"\nplaintext_value = \"moved-value-environment\"",
			toBody:   "repository = \"api\"\nenvironment = \"prod\"\nsecret_name = \"MOVED_PROD\"", value: "moved-value-environment"},
		// Variables keep their value: it is no secret.
		{from: "github_actions_variable", to: "ghsecrets_repository_actions_variable", name: "region",
			fromBody: "repository = \"api\"\nvariable_name = \"MOVED_REGION\"\nvalue = \"moved-var-repo\"",
			toBody:   "repository = \"api\"\nvariable_name = \"MOVED_REGION\"\nvalue = \"moved-var-repo\""},
		{from: "github_actions_environment_variable", to: "ghsecrets_environment_actions_variable", name: "region",
			fromBody: "repository = \"api\"\nenvironment = \"prod\"\nvariable_name = \"MOVED_REGION\"\nvalue = \"moved-var-env\"",
			toBody:   "repository = \"api\"\nenvironment = \"prod\"\nvariable_name = \"MOVED_REGION\"\nvalue = \"moved-var-env\""},
		{from: "github_actions_organization_variable", to: "ghsecrets_org_actions_variable", name: "region",
			fromBody: "variable_name = \"MOVED_REGION\"\nvisibility = \"selected\"\nvalue = \"moved-var-org\"\nselected_repository_ids = " + list,
			toBody:   "variable_name = \"MOVED_REGION\"\nvisibility = \"selected\"\nvalue = \"moved-var-org\"\nselected_repository_ids = " + list},
		{from: "github_actions_organization_variable", to: "ghsecrets_org_actions_variable", name: "listed",
			fromBody: "variable_name = \"MOVED_LISTED\"\nvisibility = \"selected\"\nvalue = \"moved-var-listed\"",
			toBody:   "variable_name = \"MOVED_LISTED\"\nvisibility = \"selected\"\nvalue = \"moved-var-listed\""},
		{from: "github_actions_organization_variable_repositories", to: "ghsecrets_org_actions_variable_repositories", name: "listed",
			fromBody: "variable_name = github_actions_organization_variable.listed.variable_name\nselected_repository_ids = " + list,
			toBody:   "variable_name = ghsecrets_org_actions_variable.listed.variable_name\nselected_repository_ids = " + list},
		{from: "github_actions_organization_variable", to: "ghsecrets_org_actions_variable", name: "granted",
			fromBody: "variable_name = \"MOVED_GRANTED\"\nvisibility = \"selected\"\nvalue = \"moved-var-granted\"",
			toBody:   "variable_name = \"MOVED_GRANTED\"\nvisibility = \"selected\"\nvalue = \"moved-var-granted\""},
		{from: "github_actions_organization_variable_repository", to: "ghsecrets_org_actions_variable_repository", name: "granted",
			fromBody: fmt.Sprintf("variable_name = github_actions_organization_variable.granted.variable_name\nrepository_id = %d", web),
			toBody:   fmt.Sprintf("variable_name = ghsecrets_org_actions_variable.granted.variable_name\nrepository_id = %d", web)},
		{from: "github_codespaces_organization_secret", to: "ghsecrets_org_codespaces_secret", name: "dev", codespaces: true,
			fromBody: org("MOVED_DEV", "") + `plaintext_value = "moved-value-codespaces-org"`,
			toBody:   org("MOVED_DEV", ""), value: "moved-value-codespaces-org"},
		{from: "github_codespaces_organization_secret_repositories", to: "ghsecrets_org_codespaces_secret_repositories", name: "dev", codespaces: true,
			fromBody: fmt.Sprintf("secret_name = github_codespaces_organization_secret.dev.secret_name\nselected_repository_ids = [%d]", web),
			toBody:   fmt.Sprintf("secret_name = ghsecrets_org_codespaces_secret.dev.secret_name\nselected_repository_ids = [%d]", web)},
		{from: "github_codespaces_user_secret", to: "ghsecrets_user_codespaces_secret", name: "mine", codespaces: true,
			fromBody: fmt.Sprintf("secret_name = \"MOVED_MINE\"\nselected_repository_ids = [%d]\nplaintext_value = \"moved-value-codespaces-user\"", web),
			toBody:   fmt.Sprintf("secret_name = \"MOVED_MINE\"\nselected_repository_ids = [%d]", web), value: "moved-value-codespaces-user"},
		{from: "github_codespaces_secret", to: "ghsecrets_repository_codespaces_secret", name: "devrepo", codespaces: true,
			fromBody: "repository = \"web\"\nsecret_name = \"MOVED_DEVREPO\"\nplaintext_value = \"moved-value-codespaces-repo\"",
			toBody:   "repository = \"web\"\nsecret_name = \"MOVED_DEVREPO\"", value: "moved-value-codespaces-repo"},
	}
}

// TestAccMovedFromIntegrationsGitHub applies a configuration with the real
// integrations/github provider against the fake GitHub API, then moves every
// resource here with moved blocks: the plan holds moves only, the apply sends
// no request that writes, the state holds no value, and the next plan is
// empty. On a GitHub Enterprise Server (no Codespaces secrets) and on
// github.com, with every kind.
func TestAccMovedFromIntegrationsGitHub(t *testing.T) {
	t.Parallel()
	skipBelowMoved(t)
	github := filepath.Dir(acctest.CLI(t, "terraform-provider-github"))
	ours := acctest.BuildProvider(t)
	for _, ghes := range []bool{true, false} {
		name := map[bool]string{true: "ghes", false: "github.com"}[ghes]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testMoved(t, github, ours, ghes)
		})
	}
}

func testMoved(t *testing.T, githubDir, oursDir string, ghes bool) {
	// Not served through serveFake: the fake is not watched, since the
	// source provider keeps the values in its state, as this test needs it to.
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}, GHES: ghes})
	api, web := fake.AddRepository(testOrg, "api"), fake.AddRepository(testOrg, "web")
	fake.AddEnvironment(testOrg, "api", "prod")
	served := acctest.Serve(t, fake)

	var pairs []movedPair
	for _, p := range movedPairs(api.ID, web.ID) {
		if !ghes || !p.codespaces {
			pairs = append(pairs, p)
		}
	}
	base := served.URL + "/"
	if ghes {
		base = served.URL + "/api/v3/"
	}
	providers := fmt.Sprintf(`terraform {
  required_providers {
    github    = { source = "integrations/github" }
    ghsecrets = { source = "ghsecrets/ghsecrets" }
  }
}
provider "github" {
  owner    = %[1]q
  token    = %[2]q
  base_url = %[3]q
}
provider "ghsecrets" {
  owner    = %[1]q
  token    = %[2]q
  base_url = %[3]q
}
`, testOrg, testToken, base)
	var source, moved strings.Builder
	source.WriteString(providers)
	source.WriteString("variable \"sealed\" {\n  type      = string\n  sensitive = true\n}\nvariable \"key_id\" {\n  type = string\n}\n")
	moved.WriteString(providers)
	for _, p := range pairs {
		fmt.Fprintf(&source, "resource %q %q {\n%s\n}\n", p.from, p.name, p.fromBody)
		fmt.Fprintf(&moved, "moved {\n  from = %s.%s\n  to   = %s.%s\n}\n", p.from, p.name, p.to, p.name)
		body := p.toBody
		if p.value != "" {
			body += "\nvalue_wo = var.moved_value"
		}
		fmt.Fprintf(&moved, "resource %q %q {\n%s\n}\n", p.to, p.name, body)
	}
	moved.WriteString("variable \"moved_value\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n")

	sealed, keyID := fake.Kind("actions").Seal(testOrg, []byte(movedSealedValue))
	cli := acctest.NewCLIProviders(t, map[string]string{"integrations/github": githubDir, "ghsecrets/ghsecrets": oursDir},
		source.String(), "TF_VAR_moved_value=a-value-never-written", "TF_VAR_sealed="+sealed, "TF_VAR_key_id="+keyID)
	cli.MustRun("apply", "-auto-approve")
	values := map[string]string{}
	for _, p := range pairs {
		if p.value != "" {
			values[p.value] = p.from + "." + p.name
		}
	}
	if raw, _ := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate")); !strings.Contains(string(raw), pairs[0].value) {
		t.Fatal("the source provider's state does not hold the value: the test would prove nothing")
	}
	held := fake.Ciphertexts()
	if len(held) < len(values) {
		t.Fatalf("the fake received %d sealed values, want at least %d", len(held), len(values))
	}

	cli.WriteConfig(moved.String())
	if !ghes {
		checkIncompleteMoves(t, cli, fake)
	}
	fake.ResetRequests()
	// Machine-readable: one diagnostic per warning, where the human view
	// may fold similar warnings into one (OpenTofu does).
	plan := cli.MustRun("plan", "-json", "-out=moved.tfplan")
	t.Logf("requests during the plan with the moves: %d (%d writes)", len(fake.Requests()), fake.CountWrites())
	if n := fake.CountWrites(); n != 0 {
		t.Errorf("the plan with the moves sent %d writes", n)
	}
	if n := strings.Count(plan, `"summary":"Secret Value Left In Earlier State"`); n != len(values) {
		t.Errorf("the plan warns %d times of a value left in earlier state, want %d (one per source secret)", n, len(values))
	}
	checkOnlyMoves(t, cli, pairs)

	fake.ResetRequests()
	out := cli.MustRun("apply", "moved.tfplan")
	requests := fake.Requests()
	t.Logf("requests during the moved apply: %d (%d writes)", len(requests), fake.CountWrites())
	if n := fake.CountWrites(); n != 0 {
		t.Errorf("the moved apply sent %d writes, want none: %v", n, requests)
	}
	if !strings.Contains(out, "0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply: %s", acctest.Tail(out))
	}

	raw, err := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for v, from := range values {
		if strings.Contains(string(raw), v) {
			t.Errorf("the state holds the value %s held", from)
		}
	}
	for _, c := range held {
		if strings.Contains(string(raw), c) {
			t.Error("the state holds a sealed value")
		}
	}
	for _, p := range pairs {
		if strings.Contains(string(raw), `"type": "`+p.from+`"`) {
			t.Errorf("the state still holds a %s", p.from)
		}
	}
	// GitHub still holds every value as the source provider wrote it.
	for _, p := range pairs {
		if p.value == "" {
			continue
		}
		if got, ok := movedSecretValue(fake, p); !ok || string(got) != p.value {
			t.Errorf("%s.%s: GitHub no longer holds the value written before the move", p.to, p.name)
		}
	}

	fake.ResetRequests()
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the move is not empty (exit %d):\n%s", code, acctest.Tail(out))
	}
	if n := fake.CountWrites(); n != 0 {
		t.Errorf("the plan after the move sent %d writes", n)
	}
}

// checkIncompleteMoves: with the repository of a github_actions_secret and
// the environment of a github_actions_environment_secret taken out of the
// state (as a hand-edited or partial state may lack them), the plan with the
// moves fails naming each attribute, and sends nothing: moved as they were,
// they named another place (the organization's secret of that name, the
// repository's), which the next apply deleted. The state is put back after.
func checkIncompleteMoves(t *testing.T, cli *acctest.Workdir, fake *fakegithub.Server) {
	t.Helper()
	original := cli.MustRun("state", "pull")
	var state map[string]any
	if err := json.Unmarshal([]byte(original), &state); err != nil {
		t.Fatal(err)
	}
	cut := map[string]string{"github_actions_secret": "repository", "github_actions_environment_secret": "environment"}
	for _, r := range state["resources"].([]any) {
		res := r.(map[string]any)
		if attr, ok := cut[res["type"].(string)]; ok {
			for _, inst := range res["instances"].([]any) {
				inst.(map[string]any)["attributes"].(map[string]any)[attr] = nil
			}
			delete(cut, res["type"].(string))
		}
	}
	if len(cut) != 0 {
		t.Fatalf("the source state has no %v", cut)
	}
	edited, _ := json.Marshal(state)
	if err := os.WriteFile(filepath.Join(cli.Dir, "edited.tfstate"), edited, 0o600); err != nil {
		t.Fatal(err)
	}
	cli.MustRun("state", "push", "-force", "edited.tfstate")
	fake.ResetRequests()
	out, code := cli.Run("plan", "-input=false")
	if code == 0 {
		t.Fatalf("the plan moved states without their repository or environment:\n%s", acctest.Tail(out))
	}
	for _, want := range []string{"Moved State Lacks Its Repository", "Moved State Lacks Its Environment"} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, acctest.Tail(out))
		}
	}
	// Terraform moves every state before it reads any, so it sends nothing;
	// OpenTofu reads the other resources while it moves, which is harmless.
	// What must never happen is a request on a place only the refused states
	// could name: their secrets, and the listing of the repository secrets
	// the environment secret would have fallen back to.
	if n := fake.CountWrites(); n != 0 {
		t.Errorf("the refused moves sent %d writes: %v", n, fake.Requests())
	}
	for _, r := range fake.Requests() {
		if strings.Contains(r.Path, "MOVED_DEPLOY") || strings.Contains(r.Path, "MOVED_PROD") || r.Path == "/repos/"+testOrg+"/api/actions/secrets" {
			t.Errorf("the refused moves sent %s %s", r.Method, r.Path)
		}
	}
	t.Logf("requests during the refused moves: %d (%d writes)", len(fake.Requests()), fake.CountWrites())
	if err := os.WriteFile(filepath.Join(cli.Dir, "restored.tfstate"), []byte(original), 0o600); err != nil {
		t.Fatal(err)
	}
	cli.MustRun("state", "push", "-force", "restored.tfstate")
}

// checkOnlyMoves asserts, from the saved plan's JSON, that every change is a
// move of one of pairs, with nothing to do.
func checkOnlyMoves(t *testing.T, cli *acctest.Workdir, pairs []movedPair) {
	t.Helper()
	show := cli.Command("show", "-json", "moved.tfplan")
	raw, err := show.Output()
	if err != nil {
		var exit *exec.ExitError
		if ok := asExit(err, &exit); ok {
			t.Fatalf("terraform show: %s", exit.Stderr)
		}
		t.Fatal(err)
	}
	var plan struct {
		ResourceChanges []struct {
			Address         string `json:"address"`
			PreviousAddress string `json:"previous_address"`
			Change          struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, p := range pairs {
		want = append(want, p.from+"."+p.name+" -> "+p.to+"."+p.name)
	}
	for _, rc := range plan.ResourceChanges {
		got = append(got, rc.PreviousAddress+" -> "+rc.Address)
		if !slices.Equal(rc.Change.Actions, []string{"no-op"}) {
			t.Errorf("%s: actions %v, want a move with no-op", rc.Address, rc.Change.Actions)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the plan's changes:\n%s\nwant only the moves:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func asExit(err error, exit **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError) //nolint:errorlint // exec returns it unwrapped
	*exit = e
	return ok
}

// movedSecretValue is the plaintext GitHub holds for p's secret.
func movedSecretValue(fake *fakegithub.Server, p movedPair) ([]byte, bool) {
	kind := strings.Split(p.from, "_")[1]
	name := secretNameOf(p.toBody)
	switch {
	case strings.HasPrefix(p.to, "ghsecrets_user_"):
		return fake.User().SecretValue(name)
	case strings.Contains(p.toBody, "environment ="):
		return fake.Env(testOrg, "api", "prod").SecretValue(name)
	case strings.Contains(p.toBody, "repository ="):
		repo := "api"
		if strings.Contains(p.toBody, `repository = "web"`) {
			repo = "web"
		}
		return fake.Repo(kind, testOrg, repo).SecretValue(name)
	}
	return fake.Kind(kind).SecretValue(testOrg, name)
}

func secretNameOf(body string) string {
	_, rest, _ := strings.Cut(body, `secret_name = "`)
	name, _, _ := strings.Cut(rest, `"`)
	return name
}

// skipBelowMoved skips, with the framework's own version check, where the
// terraform CLI has no moved blocks between providers (before 1.8).
func skipBelowMoved(t *testing.T) {
	t.Helper()
	out, err := exec.Command(acctest.Terraform(t), "version", "-json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	tfv, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	var resp tfversion.CheckTerraformVersionResponse
	tfversion.SkipBelow(version.Must(version.NewVersion("1.8.0"))).CheckTerraformVersion(context.Background(),
		tfversion.CheckTerraformVersionRequest{TerraformVersion: tfv}, &resp)
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
}
