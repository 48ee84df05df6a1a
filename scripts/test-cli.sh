#!/usr/bin/env bash
# test-cli.sh WANT NEWEST: the absolute path of the CLI a test run uses.
# WANT, when set, is a path, a file name in the CLI cache (tofu-1.12.6) or a
# command on PATH (terraform); else NEWEST when it is unpacked; else the
# terraform on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=${1:-} newest=${2:-}
dir=${GHSECRETS_CLI_DIR:-$root/.cache/clis}
pick=""
if [ -n "$want" ]; then
  if [ -x "$want" ]; then pick=$want
  elif [ -x "$dir/$want" ]; then pick=$dir/$want
  else pick=$(command -v "$want" || true)
  fi
  [ -n "$pick" ] || { echo "no CLI $want: neither a path, nor in $dir, nor on PATH" >&2; exit 1; }
elif [ -n "$newest" ] && [ -x "$newest" ]; then
  pick=$newest
else
  pick=$(command -v terraform || true)
  [ -n "$pick" ] || { echo "no terraform CLI (>= 1.11): put one on PATH, run make clis, or set TEST_TERRAFORM" >&2; exit 1; }
fi
realpath "$pick"
