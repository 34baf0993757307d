#!/usr/bin/env bash
# checked_runs counts only the runs whose answer was really compared: equal
# to the iterations of a normal run, and 0 when the check is switched off
# (the test-only --disable_detector=check of `harness detectors`).
# Usage: checked_runs_test.sh path/to/harness
set -u
harness=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
  "$harness" run --filter '^shared_counter/atomics/' --quick --workers 2 --repetitions 1 \
    --benchmark_min_time=0.01 --benchmark_out="$tmp/$1.json" --benchmark_out_format=json \
    "${@:2}" >/dev/null 2>&1 || { echo "checked_runs_test: FAIL: harness run exited $?"; exit 1; }
}
run on
run off --disable_detector=check
/usr/bin/python3 - "$tmp/on.json" "$tmp/off.json" <<'PY'
import json, sys
on = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type") == "iteration"]
off = [b for b in json.load(open(sys.argv[2]))["benchmarks"] if b.get("run_type") == "iteration"]
assert on and off, "no results"
for b in on:
    assert b["iterations"] >= 1 and b["checked_runs"] == b["iterations"], b
for b in off:
    assert b["iterations"] >= 1 and b["checked_runs"] == 0, b
print("checked_runs_test: checked %d of %d runs; check off: %d of %d: ok" %
      (on[0]["checked_runs"], on[0]["iterations"], off[0]["checked_runs"], off[0]["iterations"]))
PY
