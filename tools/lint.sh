#!/usr/bin/env bash
# Style check: clang-format over every C++ file the repository tracks.
# `tools/lint.sh --fix` rewrites files in place instead of reporting.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cc' | grep -v '^third_party/')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "lint: $f is not clang-formatted"; bad=1
  fi
done
((bad == 0)) && echo "lint: ${#files[@]} files clean"
exit $bad
