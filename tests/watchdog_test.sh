#!/usr/bin/env bash
# The watchdog: a sweep over a deadlocking case and a normal one must report
# the hang by name within the limit (with thread stacks when gdb is present),
# go on with the next case, record the hang, and exit 1.
# Usage: watchdog_test.sh path/to/harness_selftest
set -u
selftest=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
limit=3
start=$(date +%s)
"$selftest" sweep --filter 'selftest/deadlock|shared_counter/atomics/' --quick --cores 1 \
  --case_timeout $limit --repetitions 1 --out "$out/run" 2>"$out/stderr"
rc=$?
elapsed=$(( $(date +%s) - start ))
cat "$out/stderr"
fail() { echo "watchdog_test: FAIL: $*"; exit 1; }
[ "$rc" = 1 ] || fail "exit status $rc, expected 1"
grep -q "HANG: selftest/deadlock/workers:1 did not finish within $limit s" "$out/stderr" \
  || fail "no HANG line naming the case"
grep -q "shared_counter/atomics/.*ok" "$out/stderr" || fail "the sweep did not go on to the next case"
grep -q '"c1:selftest/deadlock/workers:1"' "$out/run/manifest.json" || fail "manifest does not list the hang"
grep -q '"error_message": "selftest/deadlock/workers:1: hang' "$out/run/cores-1.json" \
  || fail "the result file does not show the hang as an error"
if [ -x /usr/bin/gdb ]; then
  grep -q "Deadlock" "$out/stderr" || fail "gdb is installed but no stack shows the deadlock"
fi
[ "$elapsed" -lt $((limit + 60)) ] || fail "took ${elapsed}s for a ${limit}s limit"
echo "watchdog_test: hang reported by name in ${elapsed}s (limit ${limit}s), sweep went on: ok"
