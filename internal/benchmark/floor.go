package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// floorScenario runs the same configuration of N organization Actions
// secrets (lists inline) with the provider and with its floor twin
// (internal/benchmark/floor: the same schema, identity and plan modifiers,
// no API), against a fake with no latency and no limits: the twin's times
// are Terraform's and the framework's, the difference is the provider's.
// Given a null provider, it also runs N null_resource with the same for_each
// and the lists as triggers: a provider of another hand on the same
// framework that calls no API.
type floorScenario struct {
	terraform   string
	cliConfigs  map[string]string // by provider: ghsecrets, floor, and null when given
	dir         string
	secrets     int
	parallelism int
}

// floorKinds are the kinds of organization secret a floor run fills in turn:
// GitHub keeps at most floorKindCap secrets of a kind in an organization.
var floorKinds = []string{"actions", "dependabot", "codespaces", "agents"}

const floorKindCap = 1000

// kinds are the kinds the run's secrets are spread over, evenly.
func (fs floorScenario) kinds() []string {
	return floorKinds[:(fs.secrets+floorKindCap-1)/floorKindCap]
}

// checkFloorSize says why n secrets cannot make a floor run: more than all
// kinds hold, or not spread evenly over the kinds they need.
func checkFloorSize(n int) error {
	k := (n + floorKindCap - 1) / floorKindCap
	switch {
	case k > len(floorKinds):
		return fmt.Errorf("-floor %d: an organization holds at most %d secrets of each of %d kinds", n, floorKindCap, len(floorKinds))
	case n%k != 0:
		return fmt.Errorf("-floor %d: above %d, the secrets are spread evenly over %d kinds (GitHub keeps at most %d of a kind); give a multiple of %d",
			n, floorKindCap, k, floorKindCap, k)
	}
	return nil
}

// floorProviders are the providers a floor run can compare, the provider
// first.
var floorProviders = []string{"ghsecrets", "floor", "null"}

type floorRow struct {
	phase    string
	byName   map[string]listPhase
	requests int // the provider's; the floor sends none
}

func (fs floorScenario) run(ctx context.Context) ([]floorRow, error) {
	rows := []floorRow{{phase: "apply"}, {phase: "plan"}, {phase: "destroy"}}
	for i := range rows {
		rows[i].byName = map[string]listPhase{}
	}
	for _, name := range floorProviders {
		if fs.cliConfigs[name] == "" {
			continue
		}
		fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}, RateLimitsOff: true})
		var ids []int64
		for i := range orgRepos {
			ids = append(ids, fake.AddRepository(benchOrg, fmt.Sprintf("repo-%02d", i)).ID)
		}
		srv := httptest.NewServer(fake)
		dir := filepath.Join(fs.dir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			srv.Close()
			return nil, err
		}
		sc := scenario{secrets: fs.secrets / len(fs.kinds()), reposPerSecret: 3, lists: listsInline, kinds: fs.kinds()}
		config := sc.config(ids)
		if name == "null" {
			config = sc.nullConfig(ids)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
			srv.Close()
			return nil, err
		}
		env := append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+fs.cliConfigs[name], "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
			"GITHUB_OWNER="+benchOrg, "GITHUB_TOKEN="+benchToken, "GITHUB_BASE_URL="+srv.URL,
			"TF_VAR_value=bench-floor-value",
		)
		parallelism := fmt.Sprintf("-parallelism=%d", fs.parallelism)
		for i, args := range [][]string{
			{"apply", "-auto-approve", "-input=false", parallelism},
			{"plan", "-input=false", parallelism},
			{"destroy", "-auto-approve", "-input=false", parallelism},
		} {
			fake.ResetRequests()
			p, _, err := runCommand(ctx, fs.terraform, dir, 0, env, rows[i].phase, args)
			if err != nil {
				srv.Close()
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			rows[i].byName[name] = p
			if name == floorProviders[0] {
				rows[i].requests = len(fake.Requests())
			}
		}
		srv.Close()
	}
	return rows, nil
}

// buildFloor builds the floor twin into dir/bin and writes a CLI
// configuration that uses it, returning its path.
func buildFloor(ctx context.Context, dir string) (string, error) {
	binDir := filepath.Join(dir, "bin")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(binDir, "terraform-provider-ghsecrets"), "./internal/benchmark/floor")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the floor twin: %w", err)
	}
	return writeCLIConfig(dir, binDir)
}

// nullCLIConfig writes a CLI configuration that runs hashicorp/null from
// binDir, after checking the binary is there.
func nullCLIConfig(dir, binDir string) (string, error) {
	if _, err := os.Stat(filepath.Join(binDir, "terraform-provider-null")); err != nil {
		return "", fmt.Errorf("-null-provider: %w", err)
	}
	return writeOverride(dir, "hashicorp/null", binDir)
}

func printFloorHeader(w io.Writer, parallelism int, withNull bool) {
	fmt.Fprintf(w, "N organization secrets (3 repositories each, inline; Actions, then Dependabot, Codespaces and agents "+
		"secrets for each 1,000 more, spread evenly), the provider beside its floor twin (same schema, "+
		"identity and plan modifiers, no API); fake with no latency and no limits; -parallelism=%d\n", parallelism)
	if withNull {
		fmt.Fprintln(w, "null: N null_resource of hashicorp/null (same for_each, each list as a trigger); ratios are the provider's time over theirs")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-6s %-8s %10s %10s %7s %10s %10s %7s %9s", "N", "phase", "wall s", "floor s", "ratio", "cpu s", "floor cpu", "ratio", "requests")
	if withNull {
		fmt.Fprintf(w, " %10s %7s %10s %7s", "null s", "ratio", "null cpu", "ratio")
	}
	fmt.Fprintln(w)
}

func printFloor(w io.Writer, n int, rows []floorRow) {
	for _, r := range rows {
		p, f := r.byName["ghsecrets"], r.byName["floor"]
		fmt.Fprintf(w, "%-6d %-8s %10.1f %10.1f %6.2fx %10.1f %10.1f %6.2fx %9d", n, r.phase,
			p.wall.Seconds(), f.wall.Seconds(), p.wall.Seconds()/f.wall.Seconds(),
			p.cpu.Seconds(), f.cpu.Seconds(), p.cpu.Seconds()/f.cpu.Seconds(), r.requests)
		if u, ok := r.byName["null"]; ok {
			fmt.Fprintf(w, " %10.1f %6.2fx %10.1f %6.2fx", u.wall.Seconds(), p.wall.Seconds()/u.wall.Seconds(),
				u.cpu.Seconds(), p.cpu.Seconds()/u.cpu.Seconds())
		}
		fmt.Fprintln(w)
	}
}
