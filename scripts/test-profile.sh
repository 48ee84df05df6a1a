#!/usr/bin/env bash
# make test-profile: where the acceptance tests' time goes. Runs the
# provider package's tests with the CLI given (default: make test's) with
# every CLI run timed by the CLI shim (GHSECRETS_CLI_TIMING), and prints the
# runs by subcommand with their wall and CPU time, beside the CPU of the
# whole run: what is left is the test process (provider, fake, harness) and
# the compiler.
#
#   PROFILE_RUN   go test -run pattern (default: every test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cli=${1:?the CLI to profile with}
out=$root/.cache/profile
mkdir -p "$out"
log=$out/cli-runs.txt
: >"$log"
start=$(date +%s.%N)
before=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
TF_ACC=1 TF_ACC_TERRAFORM_PATH=$cli CHECKPOINT_DISABLE=1 GHSECRETS_CLI_TIMING=$log \
  go test ./internal/provider -count=1 -parallel "${TEST_PARALLEL:-4}" -timeout 60m -run "${PROFILE_RUN:-.}" >"$out/go-test.txt" 2>&1 || {
  tail -n 40 "$out/go-test.txt"
  exit 1
}
after=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
tick=$(getconf CLK_TCK)
awk -v wall="$wall" -v cpu="$(( (after - before) ))" -v tick="$tick" -v cli="$cli" '
  { n[$1]++; w[$1] += $2; c[$1] += $3; N++; W += $2; C += $3 }
  END {
    total = cpu / tick
    printf "acceptance tests with %s: %.0f s wall, %.0f s CPU in all (%.0f%% of one core)\n\n", cli, wall, total, 100 * total / wall
    printf "| CLI runs | runs | wall (sum) | CPU | CPU per run |\n|---|---|---|---|---|\n"
    for (k in n) printf "| %s | %d | %.0f s | %.0f s | %.0f ms |\n", k, n[k], w[k] / 1000, c[k] / 1000, c[k] / n[k]
    printf "| **all CLI runs** | %d | %.0f s | %.0f s (%.0f%% of the CPU) | %.0f ms |\n", N, W / 1000, C / 1000, 100 * C / 1000 / total, C / N
    printf "| test process, provider, fake, compiler | | | %.0f s (%.0f%%) | |\n", total - C / 1000, 100 * (total - C / 1000) / total
  }' "$log"
