#!/usr/bin/env bash
# The README's test command: install what is missing, build everything, run every test.
# Extra arguments go to `bazel test` (e.g. --config=asan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
echo "test: bazel test //... $*"
bazel test "$@" //...
