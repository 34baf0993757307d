#!/usr/bin/env bash
# Lints every GitHub workflow file (.github/workflows/*.yml) against the
# workflow schema with @action-validator/cli (installed by scripts/install-deps
# into third_party/npm; else npx fetches it), and checks that the linter does
# reject a broken copy of the first one (so a pass means something).
# Usage: workflow_lint_test.sh (no arguments)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

validator=("$root/third_party/npm/node_modules/.bin/action-validator")
if [ ! -x "${validator[0]}" ]; then
  command -v npx >/dev/null ||
    { echo "FAIL: no action-validator in third_party/npm and no npx (run scripts/install-deps)"; exit 1; }
  validator=(npx --yes @action-validator/cli@0.6.0)
fi
shopt -s nullglob
files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no workflow files in .github/workflows"; exit 1; }
for f in "${files[@]}"; do
  "${validator[@]}" "$f" >"$out/log" 2>&1 || { cat "$out/log"; echo "FAIL: $f does not pass the workflow linter"; exit 1; }
  echo "workflow_lint: ok: ${f#"$root"/}"
done
# A job with a misspelt key must be rejected.
sed '0,/^    runs-on:/s//    runs_on:/' "${files[0]}" >"$out/broken.yml"
cmp -s "${files[0]}" "$out/broken.yml" && { echo "FAIL: could not make a broken copy of ${files[0]}"; exit 1; }
if "${validator[@]}" "$out/broken.yml" >/dev/null 2>&1; then
  echo "FAIL: the linter accepted a job with 'runs_on' instead of 'runs-on'"; exit 1
fi
echo "workflow_lint: ok: a broken copy is rejected"
