#!/usr/bin/env bash
# The README's run command: install what is missing, build nvmesim, run the default scenario.
# Arguments after the script go to `nvmesim run` (e.g. --seed 7 --trace out/trace.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
echo "run: bazel build --config=opt //harness:nvmesim"
bazel build --config=opt //harness:nvmesim
bin="$(bazel info --config=opt bazel-bin 2>/dev/null)/harness/nvmesim"
echo "run: nvmesim run scenarios/default.toml $*"
exec "$bin" run scenarios/default.toml "$@"
