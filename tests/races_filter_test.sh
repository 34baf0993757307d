#!/usr/bin/env bash
# `harness races` with a filter that selects no control and one clean
# strategy: exit 0 with a 0/0-controls verdict, every worker count run.
# Usage: races_filter_test.sh path/to/harness
set -u
harness=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$harness" races --filter '^shared_counter/atomics/' --tries 1 | tee "$out"
rc=${PIPESTATUS[0]}
fail() { echo "races_filter_test: FAIL: $*"; exit 1; }
[ "$rc" = 0 ] || fail "exit status $rc"
grep -qx 'races: 0/0 controls flagged, 0/1 strategies flagged' "$out" || fail "verdict line"
grep -q '^races: workers 1,2,3,4;' "$out" || fail "worker counts not printed"
echo "races_filter_test: ok"
