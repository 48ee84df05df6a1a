#!/usr/bin/env bash
# make test-matrix: run the acceptance tests (every package whose tests use
# internal/acctest, and so drive a CLI) once more with each CLI of the
# version matrix from the cache that `make clis` fills, and summarise each
# run: counts, skip reasons grouped, failures, slowest tests.
#
#   MATRIX_CLIS        the CLIs, by file name in the cache
#                      (default: terraform-1.15.9 tofu-1.12.6)
#   GHSECRETS_CLI_DIR  the cache (default: .cache/clis)
#   TEST_TIMEOUT       go test's -timeout (default: 20m)
#   CI=true            a CLI missing from the cache fails the run
#
# Each run's event stream and summary are kept in .cache/matrix/NAME.json
# and NAME.txt. The provider is served to OpenTofu under its registry's
# address by the test harness itself (internal/acctest).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir=${GHSECRETS_CLI_DIR:-$root/.cache/clis}
read -r -a clis <<<"${MATRIX_CLIS:-terraform-1.15.9 tofu-1.12.6}"
out=$root/.cache/matrix
mkdir -p "$out"

mapfile -t pkgs < <(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
  awk '{ for (i = 2; i <= NF; i++) if ($i ~ /\/internal\/acctest$/) { print $1; next } }')
if [ "${#pkgs[@]}" -eq 0 ]; then
  echo "test-matrix: no package's tests use internal/acctest; nothing drives a CLI" >&2
  exit 1
fi
echo "test-matrix: packages: ${pkgs[*]}"

summary=(go run ./internal/testsummary/cmd/testsummary)
failed=() missing=()
for cli in "${clis[@]}"; do
  path=$dir/$cli
  if [ ! -x "$path" ]; then
    if [ "${CI:-}" = true ]; then
      echo "test-matrix: no $path (CI=true: every CLI of the matrix must run; see make clis)" >&2
      missing+=("$cli")
    else
      echo "test-matrix: no $path; skipping $cli (make clis unpacks it from ../shared/bin)"
    fi
    continue
  fi
  version=$("$path" version 2>/dev/null | grep -m 1 -E '^(Terraform|OpenTofu) v' || true)
  echo "test-matrix: ${version:-an unknown CLI} from $path"
  status=0
  TF_ACC=1 TF_ACC_TERRAFORM_PATH=$path CHECKPOINT_DISABLE=1 \
    go test "${pkgs[@]}" -count=1 -json -timeout "${TEST_TIMEOUT:-20m}" >"$out/$cli.json" || status=$?
  "${summary[@]}" -title "$cli" <"$out/$cli.json" >"$out/$cli.txt" || status=1
  cat "$out/$cli.txt"
  [ "$status" -eq 0 ] || failed+=("$cli")
done

if [ "${#missing[@]}" -gt 0 ] || [ "${#failed[@]}" -gt 0 ]; then
  echo "test-matrix: failed: ${failed[*]:-none}; missing: ${missing[*]:-none}" >&2
  exit 1
fi
