#!/usr/bin/env bash
# make demo: build the provider, serve the fake GitHub API on loopback, and
# run terraform apply / plan / destroy on examples/demo through dev_overrides.
# Offline; no GitHub account; leaves nothing behind. TERRAFORM names another
# CLI, such as OpenTofu: TERRAFORM=.cache/clis/tofu-1.12.6 make demo
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ghsecrets-demo.XXXXXX")
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -t 1 ]; then bold=$'\033[1m' red=$'\033[31m' off=$'\033[0m'; else bold="" red="" off=""; fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$off"; }
fail() { printf '\n%sdemo failed: %s%s\n' "$red" "$*" "$off" >&2; exit 1; }

tf=${TERRAFORM:-terraform}
tf=$(command -v "$tf") || fail "${TERRAFORM:-terraform} not found: terraform (>= 1.11) must be on PATH, or TERRAFORM must name a CLI"
tf=$(cd "$(dirname "$tf")" && pwd)/$(basename "$tf")
cli=$(basename "$tf")

say "Building the provider and the fake GitHub API"
mkdir -p "$work/bin" "$work/tf"
(cd "$root" && go build -trimpath -o "$work/bin/terraform-provider-ghsecrets" .)
(cd "$root" && go build -trimpath -o "$work/bin/fakegithub" ./internal/fakegithub/cmd/fakegithub)

say "Starting the fake GitHub API on loopback"
"$work/bin/fakegithub" -listen 127.0.0.1:0 -token demo-token -org demo-org \
  -repos api,web,worker -url-file "$work/url" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { cat "$work/fake.log" >&2; fail "the fake GitHub API did not start"; }
echo "serving $(cat "$work/url")"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "ghsecrets/ghsecrets" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
version=$("$tf" version)
echo "using ${version%%$'\n'*} ($tf)"
export GITHUB_BASE_URL GITHUB_TOKEN=demo-token GITHUB_OWNER=demo-org
GITHUB_BASE_URL=$(cat "$work/url")
# The value only ever travels in an ephemeral variable.
TF_VAR_deploy_token="demo-value-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export TF_VAR_deploy_token

cp "$root/examples/demo/main.tf" "$work/tf/"
cd "$work/tf"

say "$cli apply"
"$tf" apply -auto-approve -input=false -no-color

say "$cli plan (expect: no changes)"
set +e
"$tf" plan -detailed-exitcode -input=false -no-color
code=$?
set -e
[ "$code" -eq 0 ] || fail "the plan after apply is not empty (exit code $code)"

say "The state holds metadata only"
if grep -q "$TF_VAR_deploy_token" terraform.tfstate; then
  fail "the secret value is in terraform.tfstate"
fi
echo "terraform.tfstate does not contain the secret value; what it holds of DEPLOY_TOKEN:"
"$tf" show -json | python3 -c '
import json, sys
state = json.load(sys.stdin)
for r in state["values"]["root_module"]["resources"]:
    if r["address"] == "ghsecrets_org_actions_secret.deploy_token":
        print(json.dumps(r["values"], indent=2, sort_keys=True))
'

say "$cli destroy"
"$tf" destroy -auto-approve -input=false -no-color

say "Demo finished: applied, planned with no changes, state checked, destroyed"
