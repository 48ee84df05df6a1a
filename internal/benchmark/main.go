// Command benchmark measures whole Terraform runs against the fake GitHub API:
// terraform apply, a no-change plan and destroy of N organization secrets, each
// "selected" with a few repositories, with injected latency and, optionally,
// GitHub's documented secondary rate limits enforced. For every phase it
// prints wall time, requests by method, rejected requests, the ratio of
// requests to the minimum the API allows, and the provider's peak memory.
//
//	go run ./internal/benchmark -n 200,1000 -latency 50ms -limits off,on
//
// With -list-sizes it also measures one secret whose repository list holds
// that many repositories: validate, plan, apply, a no-change plan and destroy.
//
//	go run ./internal/benchmark -n '' -list-sizes 1000,5000,10000
//
// With -scoped it measures repository and environment secrets instead:
// that many secrets spread over -scoped-repos repositories, each with one
// environment, the secrets of every repository kind and of environments.
//
//	go run ./internal/benchmark -n '' -scoped 500 -scoped-repos 100
//
// With -registries it measures that many organization private registries
// and as many of the token's user's Codespaces secrets.
//
//	go run ./internal/benchmark -n '' -registries 50
//
// With -variables it measures that many variables spread over
// -variables-repos repositories, each with one environment: organization
// Actions variables (a third selected, with a list), repository and
// environment Actions variables, and organization and repository Copilot
// coding agent variables.
//
//	go run ./internal/benchmark -n '' -variables 500 -variables-repos 100
//
// With -pacing it builds one provider per variant, each leaving some of the
// client's adaptive pacing parts out, and runs every configuration with each.
//
//	go run ./internal/benchmark -n 120 -limits strict -pacing adaptive,plain
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	var (
		counts      = flag.String("n", "200", "comma-separated numbers of secrets; empty skips these runs")
		listSizes   = flag.String("list-sizes", "", "comma-separated sizes of one secret's repository list, e.g. 1000,5000,10000; empty skips these runs")
		listTimeout = flag.Duration("list-timeout", 0, "with -list-sizes: stop a command that takes longer and report it as such; 0 waits")
		limits      = flag.String("limits", "off,on", "comma-separated limit modes: off (rate limits disabled, as GHES by default), on (GitHub's documented secondary limits), strict (80 writes a minute, every rejection answered Retry-After: 5)")
		latency     = flag.Duration("latency", 50*time.Millisecond, "latency the fake adds to every request")
		lists       = flag.String("lists", "inline", "comma-separated places for each secret's repository list: inline (selected_repository_ids on the secret), resource (a ghsecrets_org_actions_secret_repositories per secret)")
		repos       = flag.Int("repos", 3, "repositories selected per secret")
		gap         = flag.Duration("gap", 0, "pause between commands, e.g. 61s so each command with limits on starts after the previous one's requests have left the server's sliding minute; 0 runs them back to back")
		parallelism = flag.Int("parallelism", 10, "terraform -parallelism")
		kinds       = flag.String("kinds", "actions", "comma-separated kinds of organization secret, -n secrets of each: actions, dependabot, codespaces, agents")
		scoped      = flag.String("scoped", "", "comma-separated numbers of repository and environment secrets, spread over -scoped-repos repositories; empty skips these runs")
		scopedRepos = flag.Int("scoped-repos", 100, "with -scoped: repositories, each with one environment")
		variables   = flag.String("variables", "", "comma-separated numbers of variables of every kind and scope, spread over -variables-repos repositories; empty skips these runs")
		varRepos    = flag.Int("variables-repos", 100, "with -variables: repositories, each with one environment")
		registries  = flag.String("registries", "", "comma-separated numbers of organization private registries, each run with as many of the token's user's Codespaces secrets (-repos each); empty skips these runs")
		provider    = flag.String("provider", "", "provider binary to run (default: build it from this module)")
		floor       = flag.String("floor", "", "comma-separated numbers of organization secrets to run with the provider and with its floor twin (no API), at no latency: Actions secrets, and for each 1,000 more another kind, spread evenly; empty skips")
		nullDir     = flag.String("null-provider", "", "with -floor: a directory holding terraform-provider-null built from hashicorp/terraform-provider-null; each row also runs N null_resource (same for_each, the lists as triggers)")
		discover    = flag.Int("discover", 0, "repositories of an organization to adopt with terraform query (a fifth with an environment, a tenth unreadable, secrets of every kind and scope); 0 skips; needs Terraform 1.14 or later")
		terraform   = flag.String("terraform", "terraform", "the terraform CLI to run: a path or a command on PATH")
		pacing      = flag.String("pacing", "adaptive", "comma-separated builds of the provider to compare: adaptive (as released), plain (documented budgets and the server's hints only), no-learned, no-escalation, no-resume (all but that adaptive part)")
	)
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *counts, *limits, *lists, *kinds, *pacing, *latency, *gap, *repos, *parallelism, *provider, *listSizes, *listTimeout,
		*scoped, *scopedRepos, *variables, *varRepos, *registries, *discover, *terraform, *floor, *nullDir); err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, counts, limits, lists, kindList, pacing string, latency, gap time.Duration, repos, parallelism int, providerBin,
	listSizes string, listTimeout time.Duration, scoped string, scopedRepos int, variables string, varRepos int, registries string, discover int, terraform, floor, nullDir string) error {
	tf, err := exec.LookPath(terraform)
	if err != nil {
		return fmt.Errorf("terraform (>= 1.11) must be on PATH or given with -terraform: %w", err)
	}
	if tf, err = filepath.Abs(tf); err != nil { // commands run in their own directories
		return err
	}
	work, err := os.MkdirTemp("", "ghsecrets-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	var variants []variant
	for _, s := range strings.Split(pacing, ",") {
		v, err := parseVariant(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		if providerBin != "" && v != adaptive {
			return fmt.Errorf("-pacing %s needs a provider built from this module, not -provider", v)
		}
		variants = append(variants, v)
	}
	cliConfigs := map[variant]string{}
	for _, v := range variants {
		if cliConfigs[v], err = installProvider(ctx, filepath.Join(work, string(v)), v, providerBin); err != nil {
			return err
		}
	}
	cliConfig := cliConfigs[variants[0]]

	ns, err := numbers("-n", counts, 1000, "a number of secrets from 1 to 1000 (GitHub's limit per organization)")
	if err != nil {
		return err
	}
	sizes, err := numbers("-list-sizes", listSizes, 100000, "a list size from 1 to 100000")
	if err != nil {
		return err
	}
	scopedNs, err := numbers("-scoped", scoped, 100000, "a number of secrets from 1 to 100000")
	if err != nil {
		return err
	}
	// GitHub holds at most 100 Codespaces secrets of a user.
	registryNs, err := numbers("-registries", registries, 100, "a number of registries from 1 to 100")
	if err != nil {
		return err
	}
	if len(scopedNs) > 0 && (scopedRepos < 1 || scopedRepos > 1000) {
		return fmt.Errorf("-scoped-repos: %d is not a number of repositories from 1 to 1000", scopedRepos)
	}
	variableNs, err := numbers("-variables", variables, 100000, "a number of variables from 1 to 100000")
	if err != nil {
		return err
	}
	if len(variableNs) > 0 && (varRepos < 1 || varRepos > 1000) {
		return fmt.Errorf("-variables-repos: %d is not a number of repositories from 1 to 1000", varRepos)
	}
	for _, n := range variableNs {
		if err := (&variableLayout{n: n, repos: varRepos}).check(); err != nil {
			return err
		}
	}
	var modes []limitMode
	for _, s := range strings.Split(limits, ",") {
		m, err := parseLimitMode(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		modes = append(modes, m)
	}

	kinds, err := parseKinds(kindList)
	if err != nil {
		return err
	}

	var places []listMode
	for _, s := range strings.Split(lists, ",") {
		l, err := parseListMode(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		places = append(places, l)
	}

	if len(ns) > 0 || len(scopedNs) > 0 || len(variableNs) > 0 || len(registryNs) > 0 {
		perSecret := repos
		if len(ns) == 0 && len(registryNs) == 0 {
			perSecret = 0
		}
		printHeader(os.Stdout, latency, gap, perSecret, parallelism)
	}
	failed := 0
	for _, n := range ns {
		for _, l := range places {
			for _, m := range modes {
				for _, v := range variants {
					sc := scenario{
						terraform: tf, cliConfig: cliConfigs[v], dir: filepath.Join(work, string(v), fmt.Sprintf("n%d-%s-%s", n, l, m)),
						secrets: n, reposPerSecret: repos, latency: latency, limits: m, lists: l, pacing: v,
						parallelism: parallelism, gap: gap, kinds: kinds,
					}
					ok, err := runAndReport(ctx, sc, fmt.Sprintf("with %d secrets, lists %s, limits %s and pacing %s", n, l, m, v))
					if err != nil {
						return err
					}
					if !ok {
						failed++
					}
				}
			}
		}
	}
	// runLayout runs the configuration of l with every limit mode and pacing.
	runLayout := func(l layout, name string, secrets int, what string) error {
		for _, m := range modes {
			for _, v := range variants {
				sc := scenario{
					terraform: tf, cliConfig: cliConfigs[v], dir: filepath.Join(work, string(v), fmt.Sprintf("%s-%s", name, m)),
					secrets: secrets, latency: latency, limits: m, pacing: v, parallelism: parallelism, gap: gap, layout: l,
				}
				ok, err := runAndReport(ctx, sc, fmt.Sprintf("with %s, limits %s and pacing %s", what, m, v))
				if err != nil {
					return err
				}
				if !ok {
					failed++
				}
			}
		}
		return nil
	}
	for _, n := range scopedNs {
		if err := runLayout(scopeLayout{secrets: n, repos: scopedRepos}, fmt.Sprintf("scoped%d", n), n,
			fmt.Sprintf("%d repository and environment secrets", n)); err != nil {
			return err
		}
	}
	for _, n := range variableNs {
		if err := runLayout(&variableLayout{n: n, repos: varRepos}, fmt.Sprintf("variables%d", n), n,
			fmt.Sprintf("%d variables", n)); err != nil {
			return err
		}
	}
	for _, n := range registryNs {
		if err := runLayout(&registryLayout{n: n, repos: repos}, fmt.Sprintf("registries%d", n), 2*n,
			fmt.Sprintf("%d private registries and %d user secrets", n, n)); err != nil {
			return err
		}
	}
	if len(sizes) > 0 {
		printListHeader(os.Stdout, latency, listTimeout)
	}
	for _, n := range sizes {
		for _, l := range places {
			ls := listScenario{
				terraform: tf, cliConfig: cliConfig, dir: filepath.Join(work, string(variants[0]), fmt.Sprintf("list%d-%s", n, l)),
				ids: n, lists: l, latency: latency, timeout: listTimeout,
			}
			results, err := ls.run(ctx)
			printListResults(os.Stdout, ls, results)
			if err != nil {
				return fmt.Errorf("with a list of %d repositories %s: %w", n, l, err)
			}
		}
	}
	floorNs, err := numbers("-floor", floor, len(floorKinds)*floorKindCap, fmt.Sprintf("a number of secrets from 1 to %d", len(floorKinds)*floorKindCap))
	if err != nil {
		return err
	}
	for _, n := range floorNs {
		if err := checkFloorSize(n); err != nil {
			return err
		}
	}
	if len(floorNs) > 0 {
		floorConfig, err := buildFloor(ctx, filepath.Join(work, "floor"))
		if err != nil {
			return err
		}
		cliConfigs := map[string]string{"ghsecrets": cliConfig, "floor": floorConfig}
		if nullDir != "" {
			if cliConfigs["null"], err = nullCLIConfig(filepath.Join(work, "null"), nullDir); err != nil {
				return err
			}
		}
		printFloorHeader(os.Stdout, parallelism, nullDir != "")
		for _, n := range floorNs {
			fs := floorScenario{terraform: tf, cliConfigs: cliConfigs,
				dir: filepath.Join(work, fmt.Sprintf("floor%d", n)), secrets: n, parallelism: parallelism}
			rows, err := fs.run(ctx)
			if err != nil {
				return fmt.Errorf("floor with %d secrets: %w", n, err)
			}
			printFloor(os.Stdout, n, rows)
		}
		fmt.Println()
	}
	if discover > 0 {
		d := discoverScenario{terraform: tf, cliConfig: cliConfig, dir: filepath.Join(work, "discover"), repos: discover,
			latency: latency, parallelism: parallelism}
		f, err := d.run(ctx)
		printDiscover(os.Stdout, d, f)
		if err != nil {
			return fmt.Errorf("discovery of %d repositories: %w", discover, err)
		}
		if err := f.check(); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d configurations failed; their last phase is marked FAILED", failed)
	}
	return nil
}

// runAndReport runs sc and prints its phases; ok is false when a command
// failed, which is told on stderr, and the run goes on.
func runAndReport(ctx context.Context, sc scenario, what string) (ok bool, err error) {
	results, err := sc.run(ctx)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	printResults(os.Stdout, sc, results)
	if last := results[len(results)-1]; last.failed != "" {
		fmt.Fprintf(os.Stderr, "%s: %s\n", what, last.failed)
		return false, nil
	}
	return true, nil
}

// numbers parses a comma-separated list of numbers from 1 to most; "" is none.
func numbers(flagName, s string, most int, what string) ([]int, error) {
	var out []int
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > most {
			return nil, fmt.Errorf("%s: %q is not %s", flagName, f, what)
		}
		out = append(out, n)
	}
	return out, nil
}

// variant is a build of the provider with some adaptive pacing parts left
// out, to measure what each is worth.
type variant string

const adaptive variant = "adaptive"

// pacingOff is what each variant leaves out, as internal/client's pacingOff.
var pacingOff = map[variant]string{
	adaptive:        "",
	"plain":         "learned,escalation,resume",
	"no-learned":    "learned",
	"no-escalation": "escalation",
	"no-resume":     "resume",
}

func parseVariant(s string) (variant, error) {
	if _, ok := pacingOff[variant(s)]; !ok {
		return "", fmt.Errorf("-pacing: %q is not one of adaptive, plain, no-learned, no-escalation, no-resume", s)
	}
	return variant(s), nil
}

// installProvider puts the provider of variant v (providerBin, or built from
// this module) in dir/bin and writes a terraform CLI configuration that uses
// it, returning its path.
func installProvider(ctx context.Context, dir string, v variant, providerBin string) (string, error) {
	binDir := filepath.Join(dir, "bin")
	if providerBin == "" {
		ldflags := "-X github.com/ghsecrets/terraform-provider-ghsecrets/internal/client.pacingOff=" + pacingOff[v]
		build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags,
			"-o", filepath.Join(binDir, "terraform-provider-ghsecrets"), ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return "", fmt.Errorf("building the provider (pacing %s): %w", v, err)
		}
	} else {
		if err := os.MkdirAll(binDir, 0o755); err != nil {
			return "", err
		}
		if err := os.Symlink(providerBin, filepath.Join(binDir, "terraform-provider-ghsecrets")); err != nil {
			return "", err
		}
	}
	return writeCLIConfig(dir, binDir)
}

// writeCLIConfig writes dir/terraformrc, which loads the provider from
// binDir, and returns its path.
func writeCLIConfig(dir, binDir string) (string, error) {
	return writeOverride(dir, "ghsecrets/ghsecrets", binDir)
}

// writeOverride writes dir/terraformrc, which loads source's provider from
// binDir, and returns its path.
func writeOverride(dir, source, binDir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cliConfig := filepath.Join(dir, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", source, binDir)
	return cliConfig, os.WriteFile(cliConfig, []byte(rc), 0o600)
}
