#!/usr/bin/env bash
# Each linter of scripts/lint rejects a seeded finding, so that a clean
# `scripts/lint` (a stage of scripts/test) means something: a C++ file
# clang-format would change, a Python file black would reformat, an unused
# import (flake8), a type error (mypy), an unquoted expansion (shellcheck).
# A clean file of each kind passes them all.
# Usage: lint_test.sh (no arguments)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lint="$(dirname "$here")/scripts/lint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
all=(clang-format black flake8 mypy shellcheck)

fail() { cat "$tmp/out"; echo "lint_test: FAIL: $*"; exit 1; }

# expect_finding TOOL FILE: scripts/lint with TOOL alone must fail on FILE.
expect_finding() {
  local tool=$1 file=$2 others=() t
  for t in "${all[@]}"; do [ "$t" = "$tool" ] || others+=("$t"); done
  if "$lint" --skip "$(IFS=,; echo "${others[*]}")" "$file" >"$tmp/out" 2>&1; then
    fail "$tool accepted $(basename "$file")"
  fi
  grep -q "^lint: $tool: FAIL" "$tmp/out" || fail "scripts/lint failed on $(basename "$file"), but not by $tool"
  echo "lint_test: ok: $tool rejects $(basename "$file")"
}

printf '#include <cstdio>\n\nint main() {\n  std::puts("ok");\n  return 0;\n}\n' >"$tmp/clean.cc"
printf 'int  main( ){return 0;}\n' >"$tmp/unformatted.cc"
printf '"""A clean module."""\n\n\ndef twice(x: int) -> int:\n    return 2 * x\n' >"$tmp/clean.py"
printf 'x = ( 1 )\n' >"$tmp/unformatted.py"
printf '"""Unused import."""\nimport os\n' >"$tmp/unused_import.py"
printf '"""A type error."""\n\nx: int = "one"\n' >"$tmp/type_error.py"
# shellcheck disable=SC2016  # the $1 is the seeded script's
printf '#!/usr/bin/env bash\nset -eu\necho "$1"\n' >"$tmp/clean.sh"
# shellcheck disable=SC2016
printf '#!/usr/bin/env bash\necho $1\n' >"$tmp/unquoted.sh"

"$lint" "$tmp/clean.cc" "$tmp/clean.py" "$tmp/clean.sh" >"$tmp/out" 2>&1 || fail "clean files did not pass"
echo "lint_test: ok: clean C++, Python and shell files pass"
expect_finding clang-format "$tmp/unformatted.cc"
expect_finding black "$tmp/unformatted.py"
expect_finding flake8 "$tmp/unused_import.py"
expect_finding mypy "$tmp/type_error.py"
expect_finding shellcheck "$tmp/unquoted.sh"
