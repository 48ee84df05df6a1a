#!/usr/bin/env bash
# make test-matrix: run the tests whose outcome depends on the CLI (the
# acctest.Matrix each package that drives a CLI declares; the others skip,
# saying so) once with each other CLI of the version matrix, and summarise
# each run: counts, skip reasons grouped, failures, slowest tests. make test
# has already run every test with the newest Terraform.
#
#   MATRIX_CLIS        the CLIs: a file name in the cache, a path, or a command
#                      on PATH (default: terraform tofu-1.12.6, that is the
#                      oldest Terraform supported, on PATH, and OpenTofu)
#   GHSECRETS_CLI_DIR  the cache (default: .cache/clis)
#   TEST_TIMEOUT       go test's -timeout (default: 30m)
#   TEST_PARALLEL      go test's -parallel (default: 4)
#   CI=true            a CLI that cannot be found fails the run
#
# Each run's event stream and summary are kept in .cache/matrix/NAME.json
# and NAME.txt. The provider is served to OpenTofu under its registry's
# address by the test harness itself (internal/acctest).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir=${GHSECRETS_CLI_DIR:-$root/.cache/clis}
read -r -a clis <<<"${MATRIX_CLIS:-terraform tofu-1.12.6}"
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
  if ! path=$(GHSECRETS_CLI_DIR=$dir "$root/scripts/test-cli.sh" "$cli" "" 2>/dev/null); then
    if [ "${CI:-}" = true ]; then
      echo "test-matrix: no CLI $cli (CI=true: every CLI of the matrix must run; see make clis)" >&2
      missing+=("$cli")
    else
      echo "test-matrix: no CLI $cli; skipping it (make clis unpacks the matrix's CLIs from ../shared/bin)"
    fi
    continue
  fi
  name=$(basename "$cli")
  version=$("$path" version 2>/dev/null | grep -m 1 -E '^(Terraform|OpenTofu) v' || true)
  echo "test-matrix: ${version:-an unknown CLI} from $path"
  status=0
  TF_ACC=1 TF_ACC_TERRAFORM_PATH=$path CHECKPOINT_DISABLE=1 GHSECRETS_TESTS=matrix \
    go test "${pkgs[@]}" -count=1 -json -parallel "${TEST_PARALLEL:-4}" -timeout "${TEST_TIMEOUT:-30m}" >"$out/$name.json" || status=$?
  "${summary[@]}" -title "$name" <"$out/$name.json" >"$out/$name.txt" || status=1
  cat "$out/$name.txt"
  [ "$status" -eq 0 ] || failed+=("$name")
done

if [ "${#missing[@]}" -gt 0 ] || [ "${#failed[@]}" -gt 0 ]; then
  echo "test-matrix: failed: ${failed[*]:-none}; missing: ${missing[*]:-none}" >&2
  exit 1
fi
