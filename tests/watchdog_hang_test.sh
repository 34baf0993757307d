#!/usr/bin/env bash
# A hang is reported as a hang in every build: `harness run` of a control
# that never finishes (a Recv waiting for a close that never comes) must exit
# with the hang status 3, name the case in a HANG line, print the threads'
# stacks where gdb is installed, and (tsan build) print no ThreadSanitizer
# report: under TSan the watchdog's exit used to be finalized by TSan (thread
# leak report, exit 66), which `harness races` reads as a race.
# Usage: watchdog_hang_test.sh path/to/harness SOURCE_DIR
set -u
harness=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "watchdog_hang_test: FAIL: $*"; sed 's/^/  | /' "$tmp/err" | head -40; exit 1; }
# The options `harness races` gives its children.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$src/tsan.supp"
case_name='selftest_hang/recv_without_close/messages:101/workers:2'
start=$(date +%s)
"$harness" run --controls --sweep_child --quick --filter '^selftest_hang/recv_without_close/' \
  --workers 2 --repetitions 1 --benchmark_min_time=0 --case_timeout 2 >"$tmp/out" 2>"$tmp/err"
rc=$?
elapsed=$(( $(date +%s) - start ))
[ "$rc" = 3 ] || fail "exit status $rc, expected 3 (the hang status)"
grep -q "HANG: $case_name did not finish within 2 s" "$tmp/err" || fail "no HANG line naming the case"
! grep -q "ThreadSanitizer" "$tmp/err" || fail "a ThreadSanitizer report beside the hang"
if [ -x /usr/bin/gdb ]; then
  grep -q "RecvWithoutClose" "$tmp/err" || fail "gdb is installed but no stack shows the hung Recv"
fi
[ "$elapsed" -lt 60 ] || fail "took ${elapsed}s for a 2 s limit"
echo "watchdog_hang_test: exit 3, HANG named, stacks, no TSan report, ${elapsed}s: ok"
