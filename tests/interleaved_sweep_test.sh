#!/usr/bin/env bash
# Interleaved and paired sweeps (tiny sizes): the rounds run in the seeded
# shuffled orders the manifest records, every repetition carries its round
# and machine-state probes, the aggregates match the repetitions, the same
# seed gives the same orders; a paired sweep writes two matching folders.
# Checked by check_interleaved.py. Usage: interleaved_sweep_test.sh path/to/harness
set -euo pipefail
harness=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=1
[ "$(nproc)" -ge 2 ] && cores=1,2
filter='shared_counter/(mutex|atomics)/'
sweep() { "$harness" sweep --quick --cores "$cores" --filter "$filter" --repetitions 4 "$@"; }
sweep --seed 11 --out "$out/a" 2>"$out/a.log"
sweep --seed 11 --out "$out/same" 2>/dev/null
sweep --seed 12 --out "$out/other" 2>/dev/null
sweep --seed 11 --repetitions 3 --out "$out/pa" \
  --paired_binary "$harness" --paired_out "$out/pb" 2>"$out/p.log"
# The test-only slowdown knob refuses a malformed value (exit 2, one line).
rc=0
HARNESS_SLOWDOWN='shared_counter:ten' "$harness" run --quick --filter 'shared_counter/mutex/' \
  --workers 1 >/dev/null 2>"$out/knob.log" || rc=$?
if [ "$rc" != 2 ] || [ "$(wc -l <"$out/knob.log")" != 1 ]; then
  echo "FAIL: HARNESS_SLOWDOWN='shared_counter:ten' -> exit $rc:"; cat "$out/knob.log"; exit 1
fi
/usr/bin/python3 "$here/check_interleaved.py" "$out" "$cores" 4 3
