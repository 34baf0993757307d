#!/usr/bin/env bash
# The contract of `harness explore`'s verdict and JSON, on two small runs:
#   1. a --filter that selects no control: "explore: 0/0 controls found,
#      0/Z strategies failed" as the last line, exit 0;
#   2. the stand-in control alone: found (a hang), its replay reproduces the
#      hang, and explore.json names how, the schedule and the seconds.
# Usage: explore_verdict_test.sh path/to/harness
set -u
harness=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$harness" explore --filter '^shared_counter/atomics/' --budget 3 --seed 1 >"$tmp/a.out" 2>&1
rc=$?
last=$(tail -n 1 "$tmp/a.out")
[ "$rc" = 0 ] || fail "strategies only: exit $rc"
[[ "$last" =~ ^explore:\ 0/0\ controls\ found,\ 0/[1-9][0-9]*\ strategies\ failed$ ]] ||
  fail "strategies only: last line '$last'"

"$harness" explore --filter '^runtime_protocols/toy_event_lost_wakeup/' --budget 12 --seed 1 \
  --out "$tmp/explore.json" >"$tmp/b.out" 2>&1
rc=$?
last=$(tail -n 1 "$tmp/b.out")
[ "$rc" = 0 ] || fail "toy control: exit $rc"
[ "$last" = "explore: 1/1 controls found, 0/1 strategies failed" ] ||
  fail "toy control: last line '$last'"
/usr/bin/python3 - "$tmp/explore.json" <<'PY' || fail "toy control: explore.json"
import json, sys
j = json.load(open(sys.argv[1]))
c = j["controls"]["runtime_protocols/toy_event_lost_wakeup"]
assert c["found"] and c["how"] == "hang", c
assert c["strategy"] in ("delay", "pct", "plain"), c
assert c["schedule"].count(":") == 2 and c["seconds"] > 0, c
s = j["strategies"]["runtime_protocols/toy_event_lost_wakeup (fault off)"]
assert s["failures"] == 0 and s["runs"] >= 1, s
assert j["controls_found"] == 1 and j["strategies_failed"] == 0, j
PY
replay=$(grep -m1 -o "replay: harness explore .*" "$tmp/b.out" | sed 's/^replay: harness //')
if [ -z "$replay" ]; then
  fail "toy control: no replay command printed"
else
  # The printed replay reproduces the hang (watchdog exit status 3).
  eval "\"$harness\" $replay --run_timeout 3" >"$tmp/c.out" 2>&1
  rc=$?
  [ "$rc" = 3 ] || fail "replay '$replay': exit $rc, expected the watchdog's 3"
fi
echo "explore verdict: $fails failed"
[ "$fails" = 0 ]
