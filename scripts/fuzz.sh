#!/usr/bin/env bash
# make fuzz: every Fuzz target of the module for FUZZTIME each, one after
# another. A target fails on a failing input (Go writes it under
# testdata/fuzz/ and names it). Go's fuzzing engine can also end a short
# run with "context deadline exceeded" and no input at all, when its
# workers are slow to stop on a loaded machine; such a run says nothing
# about the code, so it is run once more, and fails only if it happens again.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:?FUZZTIME}
targets=$(go test -list '^Fuzz' ./... | awk '/^Fuzz/ { names = names " " $1; next } /^ok / { n = split(names, f, " "); for (i = 1; i <= n; i++) print $2 "," f[i]; names = "" }')
[ -n "$targets" ] || { echo "no Fuzz targets found" >&2; exit 1; }

# fuzz runs one target; its output goes to the log as it comes and to $out.
fuzz() {
  out=$(go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" 2>&1 | tee /dev/stderr) && return 0
  return 1
}

failed=""
for t in $targets; do
  pkg=${t%%,*} name=${t#*,}
  echo "==> $pkg $name ($fuzztime)"
  if fuzz "$pkg" "$name"; then continue; fi
  if grep -q "context deadline exceeded" <<<"$out" && ! grep -q "Failing input written" <<<"$out"; then
    echo "==> $name: the fuzzing engine timed out stopping its workers, with no failing input; once more"
    fuzz "$pkg" "$name" && continue
  fi
  failed="$failed $name"
done
[ -z "$failed" ] || { echo "fuzz targets failed:$failed" >&2; exit 1; }
