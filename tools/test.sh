#!/usr/bin/env bash
# The README's test command: install what is missing, check the style, build
# the run command's optimised binary, build everything, run every test.
# Extra arguments go to `bazel test` (e.g. --config=asan). Ends with one line
# "tests: N passed, N failed" counted from Bazel's per-target summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
# Style first: every tracked C++ file must be clang-formatted (.clang-format).
echo "test: tools/lint.sh"
bash tools/lint.sh
# The README's run command builds optimised, where the compiler checks more
# (e.g. format truncation): that build must stay clean too.
echo "test: bazel build --config=opt //harness:nvmesim"
bazel build --config=opt //harness:nvmesim
echo "test: bazel test --test_summary=short $* //..."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
bazel test --test_summary=short "$@" //... 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|NO STATUS|FAILED TO BUILD)' "$log" || true)
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
