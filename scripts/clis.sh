#!/usr/bin/env bash
# make clis: unpack the command-line tools of the version matrix from the
# shared folder beside the repository into the ignored cache, each checked
# against the sha256 that the folder's README lists for it.
#
#   GHSECRETS_SHARED_BIN  where the NAME.xz files and README.md are
#                         (default: ../shared/bin next to the repository)
#   GHSECRETS_CLI_DIR     where they are unpacked (default: .cache/clis)
#   CI=true               a missing folder, file or hash is an error
#
# A tool already unpacked with the listed hash is left as it is. A hash that
# differs from the list is always an error, and nothing is left behind.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${GHSECRETS_SHARED_BIN:-$root/../shared/bin}
dest=${GHSECRETS_CLI_DIR:-$root/.cache/clis}
names=(terraform-1.15.9 tofu-1.12.6 terraform-provider-github)

ci=false
[ "${CI:-}" = true ] && ci=true
missing=0
# missing explains why a tool is not unpacked: a note locally, an error in CI.
note_missing() {
  if $ci; then
    echo "clis: $* (CI=true: the version matrix needs it)" >&2
    missing=$((missing + 1))
  else
    echo "clis: $*; skipped (the tests that need it will skip)"
  fi
}

if [ ! -d "$shared" ]; then
  note_missing "no folder $shared"
  if [ "$missing" -gt 0 ]; then exit 1; fi
  exit 0
fi
readme=$shared/README.md
if [ ! -f "$readme" ]; then
  echo "clis: $readme is missing: it lists the sha256 of each tool, without which none is unpacked" >&2
  exit 1
fi
command -v sha256sum >/dev/null || { echo "clis: sha256sum (coreutils) is required" >&2; exit 1; }

# listed_hash NAME prints the sha256 the README's table gives for NAME.xz:
# the row whose first cell is NAME.xz, its last cell of 64 hex digits.
listed_hash() {
  awk -F'|' -v file="$1.xz" '
    {
      first = $2; gsub(/^[ \t`]+|[ \t`]+$/, "", first)
      if (first != file) next
      for (i = NF; i > 2; i--) {
        cell = $i; gsub(/^[ \t`]+|[ \t`]+$/, "", cell)
        if (cell ~ /^[0-9a-f]+$/ && length(cell) == 64) { print cell; exit }
      }
    }' "$readme"
}

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$dest"
for name in "${names[@]}"; do
  xzfile=$shared/$name.xz
  if [ ! -f "$xzfile" ]; then
    note_missing "no $xzfile"
    continue
  fi
  want=$(listed_hash "$name")
  if [ -z "$want" ]; then
    echo "clis: $readme lists no sha256 for $name.xz; refusing to unpack it" >&2
    exit 1
  fi
  out=$dest/$name
  if [ -x "$out" ] && [ "$(hash_of "$out")" = "$want" ]; then
    echo "clis: $name is unpacked and verified"
    continue
  fi
  command -v xz >/dev/null || { echo "clis: xz (xz-utils) is required to unpack $xzfile" >&2; exit 1; }
  tmp=$(mktemp "$dest/.$name.XXXXXX")
  if ! xz -dc "$xzfile" >"$tmp"; then
    rm -f "$tmp"
    echo "clis: $xzfile does not decompress" >&2
    exit 1
  fi
  got=$(hash_of "$tmp")
  if [ "$got" != "$want" ]; then
    rm -f "$tmp"
    printf 'clis: sha256 mismatch for %s:\n  listed in %s: %s\n  unpacked file:  %s\nrefusing to use it\n' \
      "$name" "$readme" "$want" "$got" >&2
    exit 1
  fi
  chmod 0755 "$tmp"
  mv -f "$tmp" "$out"
  echo "clis: unpacked $name (sha256 $want)"
done
if [ "$missing" -gt 0 ]; then exit 1; fi
