#!/usr/bin/env bash
# A bounded stress pass: exit 0 (every answer right, no hang), and
# perturbation really happened (a non-zero count of injected perturbations).
# Usage: stress_test.sh path/to/harness STRESS_ARGS...
set -u
harness=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$harness" stress "$@" | tee "$out"
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || { echo "stress_test: FAIL: exit status $rc"; exit 1; }
grep -qE '^stress: [1-9][0-9]* perturbations injected' "$out" \
  || { echo "stress_test: FAIL: no perturbation was injected"; exit 1; }
echo "stress_test: ok"
