package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// listScenario measures one secret whose repository list holds ids
// repositories, on the secret or in a list resource, through the commands of
// its life. The work that grows with a list is the provider's and
// Terraform's own handling of it, so the fake adds no rate limits.
type listScenario struct {
	terraform, cliConfig, dir string
	ids                       int
	lists                     listMode
	latency                   time.Duration
	// timeout stops a command that takes longer; 0 waits as long as it takes.
	timeout time.Duration
}

type listPhase struct {
	name string
	wall time.Duration
	// cpu is the user and system time of terraform and the providers it ran,
	// which a busy machine does not inflate as it does wall time.
	cpu      time.Duration
	requests int
	timedOut bool
}

func (ls listScenario) run(ctx context.Context) ([]listPhase, error) {
	fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}, Latency: ls.latency, RateLimitsOff: true})
	ids := make([]string, 0, ls.ids)
	for i := range ls.ids {
		ids = append(ids, strconv.FormatInt(fake.AddRepository(benchOrg, fmt.Sprintf("repo-%05d", i)).ID, 10))
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	if err := os.MkdirAll(ls.dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(ls.dir, "main.tf"), []byte(ls.config()), 0o600); err != nil {
		return nil, err
	}
	vars := `{"repository_ids": [` + strings.Join(ids, ", ") + `]}`
	if err := os.WriteFile(filepath.Join(ls.dir, "ids.auto.tfvars.json"), []byte(vars), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+ls.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"GITHUB_OWNER="+benchOrg, "GITHUB_TOKEN="+benchToken, "GITHUB_BASE_URL="+srv.URL,
		"TF_VAR_value=bench-list-value",
	)
	steps := []struct {
		name string
		args []string
	}{
		{"validate", []string{"validate"}},
		{"plan", []string{"plan", "-input=false"}},
		{"apply", []string{"apply", "-auto-approve", "-input=false"}},
		{"replan", []string{"plan", "-detailed-exitcode", "-input=false"}},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false"}},
	}
	var out []listPhase
	for _, st := range steps {
		fake.ResetRequests()
		p, err := ls.command(ctx, env, st.name, st.args)
		if err != nil {
			return out, err
		}
		p.requests = len(fake.Requests())
		out = append(out, p)
		if p.timedOut {
			// What follows needs this command's result.
			break
		}
	}
	return out, nil
}

func (ls listScenario) command(ctx context.Context, env []string, name string, args []string) (listPhase, error) {
	p, _, err := runCommand(ctx, ls.terraform, ls.dir, ls.timeout, env, name, args)
	return p, err
}

// runCommand runs terraform with args in dir, timed, and returns its
// output; a command stopped by timeout (0: none) is reported as timed out,
// not as an error.
func runCommand(ctx context.Context, terraform, dir string, timeout time.Duration, env []string, name string, args []string) (listPhase, string, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, terraform, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = dir, env
	// Terraform stops its providers when interrupted; a kill would leave them running.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	err := cmd.Run()
	p := listPhase{name: name, wall: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		p.cpu = ps.UserTime() + ps.SystemTime()
	}
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		p.timedOut = true
		return p, log.String(), nil
	}
	if err != nil {
		tail := log.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return p, log.String(), fmt.Errorf("terraform %s: %v\n%s", name, err, tail)
	}
	return p, log.String(), nil
}

// config is one selected secret whose list holds every id, given as a
// variable, as a list from a data source or another module would arrive.
func (ls listScenario) config() string {
	list, onSecret := "", "  selected_repository_ids = var.repository_ids\n"
	if ls.lists == listsResource {
		list, onSecret = `
resource "ghsecrets_org_actions_secret_repositories" "big" {
  secret_name             = ghsecrets_org_actions_secret.big.secret_name
  selected_repository_ids = var.repository_ids
}
`, ""
	}
	return configHead + `
variable "repository_ids" {
  type = list(number)
}

resource "ghsecrets_org_actions_secret" "big" {
  secret_name      = "BENCH_BIG_LIST"
  visibility       = "selected"
  value_wo         = var.value
  value_wo_version = 1
` + onSecret + "}\n" + list
}

func printListHeader(w io.Writer, latency, timeout time.Duration) {
	limit := "none"
	if timeout > 0 {
		limit = timeout.String()
	}
	fmt.Fprintf(w, "one selected secret with a list of N repositories, against the fake GitHub API (%s latency, no rate limits); "+
		"time limit per command: %s\n\n", latency, limit)
	fmt.Fprintf(w, "%-6s %-8s %-9s %9s %9s %9s\n", "N", "lists", "command", "wall s", "cpu s", "requests")
}

func printListResults(w io.Writer, ls listScenario, phases []listPhase) {
	for _, p := range phases {
		wall := fmt.Sprintf("%9.1f", p.wall.Seconds())
		if p.timedOut {
			wall = fmt.Sprintf("%9s", fmt.Sprintf(">%.0f", p.wall.Seconds()))
		}
		fmt.Fprintf(w, "%-6d %-8s %-9s %s %9.1f %9d\n", ls.ids, ls.lists, p.name, wall, p.cpu.Seconds(), p.requests)
	}
}
