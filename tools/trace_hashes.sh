#!/usr/bin/env bash
# Behaviour fingerprint of the whole model: runs every shipped scenario at every
# fidelity level and prints "scenario fidelity trace-hash verdict", one line each
# (the scale scenario at functional only). A change meant to make the simulator
# faster without changing what it does must leave this output identical:
#
#   bash tools/trace_hashes.sh > before.txt   # on the old commit
#   bash tools/trace_hashes.sh > after.txt    # on the new one
#   diff before.txt after.txt
#
# NVMESIM=/path/to/nvmesim uses that binary instead of building one (copy it
# aside first if you keep building while this runs). About 3-4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${NVMESIM:-}"
if [ -z "$bin" ]; then
  bazel build --config=opt //harness:nvmesim >&2
  bin="$(bazel info --config=opt bazel-bin 2>/dev/null)/harness/nvmesim"
fi
for s in $(find scenarios -name '*.toml' -not -path '*/profiles/*' | sort); do
  for f in functional approximate cycle; do
    case "$s" in *scale*) [ "$f" = functional ] || continue ;; esac
    line=$(timeout 600 "$bin" run "$s" --fidelity "$f" --quiet 2>&1 | grep -E "(PASSED|FAILED).*trace hash" | tail -1 || true)
    hash=$(sed -n 's/.*trace hash \([0-9a-f]*\).*/\1/p' <<<"$line")
    verdict=$(grep -o "PASSED\|FAILED" <<<"$line" | head -1 || true)
    echo "$s $f ${hash:-none} ${verdict:-none}"
  done
done
