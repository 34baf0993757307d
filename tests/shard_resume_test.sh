#!/usr/bin/env bash
# Sharded and resumable sweeps (tiny sizes, a few seconds):
# - `--shard 1/3`, `2/3`, `3/3` together run exactly the cases of one
#   unsharded sweep, each once, and scripts/report merges them into one run;
#   so do `--shard 1/2`, `2/2` balanced by the full sweep's times (--shard_times);
# - a sweep killed midway (HARNESS_SWEEP_KILL_AFTER=3: SIGKILL after a
#   repetition's child finished, before it was recorded) and resumed with
#   `--resume` ends with every case's every round exactly once;
# - --resume with other flags, and a bad --shard, are refused (exit 2, one line).
# Checked by check_shard_resume.py. Usage: shard_resume_test.sh path/to/harness
set -euo pipefail
harness=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=1
[ "$(nproc)" -ge 2 ] && cores=1,2
filter='shared_counter/(mutex|atomics)/'
sweep() { "$harness" sweep --quick --cores "$cores" --filter "$filter" --repetitions 2 "$@"; }
sweep --seed 7 --out "$out/full" 2>/dev/null
for i in 1 2 3; do sweep --shard "$i/3" --out "$out/shard$i" 2>/dev/null; done
# Balanced by the times the full sweep recorded.
for i in 1 2; do sweep --shard "$i/2" --shard_times "$out/full" --out "$out/timed$i" 2>/dev/null; done
"$root/scripts/report" "$out/shard1" "$out/shard2" "$out/shard3" --out "$out/merged" --no-charts >/dev/null

rc=0
HARNESS_SWEEP_KILL_AFTER=3 sweep --seed 7 --out "$out/killed" 2>"$out/kill.log" || rc=$?
if [ "$rc" != 137 ]; then echo "FAIL: the killed sweep exited $rc, not 137 (SIGKILL)"; cat "$out/kill.log"; exit 1; fi
cp -r "$out/killed" "$out/killed-before"
sweep --resume "$out/killed" 2>"$out/resume.log"
grep -q "3 of .* repetitions complete" "$out/resume.log" ||
  { echo "FAIL: the resumed sweep did not keep the 3 recorded repetitions:"; cat "$out/resume.log"; exit 1; }

expect_usage() {  # expect_usage NAME command...: exit 2 and one line on stderr
  local name=$1; shift
  local code=0
  "$@" >/dev/null 2>"$out/err" || code=$?
  if [ "$code" != 2 ] || [ "$(wc -l <"$out/err")" != 1 ]; then
    echo "FAIL: $name: exit $code:"; cat "$out/err"; exit 1
  fi
}
expect_usage "resume with another --repetitions" \
  "$harness" sweep --quick --cores "$cores" --filter "$filter" --repetitions 3 --resume "$out/killed"
expect_usage "resume with another --filter" \
  "$harness" sweep --quick --cores "$cores" --filter 'shared_counter/mutex/' --repetitions 2 --resume "$out/killed"
expect_usage "resume of a folder without a manifest" sweep --resume "$out"/nothing
expect_usage "--shard 0/3" sweep --shard 0/3 --out "$out/x"
expect_usage "--placement list outside the allowed CPUs" sweep --placement list:0,4096 --out "$out/x"
expect_usage "--placement unknown" sweep --placement scatter --out "$out/x"

/usr/bin/python3 "$here/check_shard_resume.py" "$out"
