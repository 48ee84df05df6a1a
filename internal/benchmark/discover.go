package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// discoverScenario is the adoption of an existing organization: terraform
// query -generate-config-out over every kind and scope, where the token
// cannot read a tenth of the repositories, then the generated configuration
// applied (imports only) and planned again.
type discoverScenario struct {
	terraform, cliConfig, dir string
	repos                     int // repositories; a fifth have an environment
	latency                   time.Duration
	parallelism               int
}

// The organization's shape: secrets of each organization kind, of each
// repository kind per repository (those with a share), and per environment.
var (
	discoverOrgSecrets = map[string]int{"actions": 400, "dependabot": 200, "codespaces": 200, "agents": 200}
	// discoverRepoSecrets: a repository kind's secrets go to every n-th
	// repository, so many to each.
	discoverRepoSecrets = map[string]struct{ every, each int }{
		"actions": {1, 1}, "dependabot": {2, 2}, "codespaces": {4, 2}, "agents": {4, 2},
	}
	discoverListTypes = []string{
		"org_actions", "org_dependabot", "org_codespaces", "org_agents",
		"repository_actions", "repository_dependabot", "repository_codespaces", "repository_agents", "environment_actions",
	}
)

const discoverEnvSecrets = 5 // per environment

// unreadable reports whether the token cannot read repository i's secrets:
// about one in ten, spread without a pattern.
func unreadable(i int) bool { return (uint32(i)*2654435761)>>16%10 == 0 }

// discoverFigures are what the scenario measured.
type discoverFigures struct {
	secrets, readable, found, unreadableRepos, envs int
	requests, minimum                               int
	warnings, partial                               int
	phases                                          []listPhase
	imported, writes, importRequests                int
	replanExit                                      string
}

// setUp builds the organization and returns the secrets in it, those the
// token can read, and the fewest requests that find the readable ones.
func (d discoverScenario) setUp(fake *fakegithub.Server) (f discoverFigures) {
	pages := func(n int) int { return max(1, (n+99)/100) }
	for kind, n := range discoverOrgSecrets {
		for i := range n {
			fake.Kind(kind).PutSecretOutOfBand(benchOrg, fmt.Sprintf("ORG_%s_%04d", strings.ToUpper(kind), i), []byte("v"), "private", nil)
		}
		f.secrets += n
		f.readable += n
		f.minimum += pages(n)
	}
	f.minimum += pages(d.repos) // the repository list, shared by the list blocks
	for i := range d.repos {
		name := fmt.Sprintf("svc-%04d", i)
		fake.AddRepository(benchOrg, name)
		readable := !unreadable(i)
		if !readable {
			fake.SetRepositoryRole(benchOrg, name, fakegithub.RoleRead)
			f.unreadableRepos++
		}
		for kind, share := range discoverRepoSecrets {
			f.minimum++ // each repository kind's listing, refused or not
			if i%share.every != 0 {
				continue
			}
			for j := range share.each {
				fake.Repo(kind, benchOrg, name).PutSecretOutOfBand(fmt.Sprintf("REPO_%s_%d", strings.ToUpper(kind), j), []byte("v"))
			}
			f.secrets += share.each
			if readable {
				f.readable += share.each
			}
		}
		f.minimum++ // the repository's environments
		if i%5 != 0 {
			continue
		}
		fake.AddEnvironment(benchOrg, name, "production")
		f.envs++
		f.minimum++
		for j := range discoverEnvSecrets {
			fake.Env(benchOrg, name, "production").PutSecretOutOfBand(fmt.Sprintf("ENV_%d", j), []byte("v"))
		}
		f.secrets += discoverEnvSecrets
		if readable {
			f.readable += discoverEnvSecrets
		}
	}
	return f
}

func (d discoverScenario) run(ctx context.Context) (discoverFigures, error) {
	fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}, Latency: d.latency, RateLimitsOff: true})
	f := d.setUp(fake)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return f, err
	}
	var blocks strings.Builder
	for _, typ := range discoverListTypes {
		fmt.Fprintf(&blocks, "list \"ghsecrets_%s_secret\" \"all\" {\n  provider         = ghsecrets\n  include_resource = true\n  limit            = 100000\n}\n", typ)
	}
	for name, content := range map[string]string{"main.tf": configHead, "find.tfquery.hcl": blocks.String()} {
		if err := os.WriteFile(filepath.Join(d.dir, name), []byte(content), 0o600); err != nil {
			return f, err
		}
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+d.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"GITHUB_OWNER="+benchOrg, "GITHUB_TOKEN="+benchToken, "GITHUB_BASE_URL="+srv.URL,
		"TF_VAR_value=bench-adopted-value",
	)
	run := func(name string, args ...string) (listPhase, string, error) {
		fake.ResetRequests()
		p, out, err := runCommand(ctx, d.terraform, d.dir, 0, env, name, args)
		p.requests = len(fake.Requests())
		f.phases = append(f.phases, p)
		return p, out, err
	}

	p, out, err := run("query", "query", "-json", "-generate-config-out=generated.tf")
	if err != nil {
		return f, err
	}
	f.requests = p.requests
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary string
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		switch {
		case msg.Type == "list_resource_found":
			f.found++
		case msg.Type == "diagnostic" && msg.Diagnostic.Summary == "Secrets Left Out Of The Listing":
			f.warnings++
		case msg.Type == "diagnostic" && msg.Diagnostic.Summary == "Partial Listing":
			f.partial++
		}
	}

	// What a user adds to the generated configuration: the value.
	raw, err := os.ReadFile(filepath.Join(d.dir, "generated.tf"))
	if err != nil {
		return f, err
	}
	nullValue := regexp.MustCompile(`(?m)^ +value_wo += null # sensitive$`)
	if err := os.WriteFile(filepath.Join(d.dir, "generated.tf"), nullValue.ReplaceAll(raw, []byte("  value_wo = var.value")), 0o600); err != nil {
		return f, err
	}
	if err := os.Remove(filepath.Join(d.dir, "find.tfquery.hcl")); err != nil {
		return f, err
	}
	parallelism := fmt.Sprintf("-parallelism=%d", d.parallelism)
	p, out, err = run("import", "apply", "-auto-approve", "-input=false", parallelism)
	if err != nil {
		return f, err
	}
	f.importRequests = p.requests
	if m := regexp.MustCompile(`(\d+) imported, 0 added, 0 changed, 0 destroyed`).FindStringSubmatch(out); m != nil {
		f.imported, _ = strconv.Atoi(m[1])
	}
	f.writes = fake.CountWrites()
	_, _, err = run("replan", "plan", "-detailed-exitcode", "-input=false", parallelism)
	f.replanExit = "0 (empty)"
	if err != nil {
		f.replanExit = "not empty: " + err.Error()
	}
	return f, nil
}

func printDiscover(w io.Writer, d discoverScenario, f discoverFigures) {
	fmt.Fprintf(w, "terraform query of an organization of %d repositories (%d of them unreadable), %d environments and %d secrets "+
		"of every kind and scope, against the fake GitHub API (%s latency, no rate limits)\n\n", d.repos, f.unreadableRepos, f.envs, f.secrets, d.latency)
	fmt.Fprintf(w, "%-8s %9s %9s %9s\n", "command", "wall s", "cpu s", "requests")
	for _, p := range f.phases {
		fmt.Fprintf(w, "%-8s %9.1f %9.1f %9d\n", p.name, p.wall.Seconds(), p.cpu.Seconds(), p.requests)
	}
	fmt.Fprintf(w, "\nfound %d of the %d secrets the token can read; query requests %d, minimum %d (%.2fx); "+
		"%d places left out, each named in a warning, %d list blocks marked partial\n",
		f.found, f.readable, f.requests, f.minimum, float64(f.requests)/float64(f.minimum), f.warnings, f.partial)
	fmt.Fprintf(w, "generated configuration applied: %d imported, %d writes; next plan exit %s\n\n", f.imported, f.writes, f.replanExit)
}

// check reports what the scenario got wrong.
func (f discoverFigures) check() error {
	var wrong []string
	if f.found != f.readable {
		wrong = append(wrong, fmt.Sprintf("found %d secrets, want the %d readable", f.found, f.readable))
	}
	if f.requests != f.minimum {
		wrong = append(wrong, fmt.Sprintf("the query cost %d requests, want the minimum %d", f.requests, f.minimum))
	}
	if f.imported != f.readable || f.writes != 0 {
		wrong = append(wrong, fmt.Sprintf("the apply imported %d with %d writes, want %d with none", f.imported, f.writes, f.readable))
	}
	if len(wrong) > 0 {
		return fmt.Errorf("discovery: %s", strings.Join(wrong, "; "))
	}
	return nil
}
