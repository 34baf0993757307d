#!/usr/bin/env bash
# Each detector is necessary: with it switched off (the test-only
# --disable_detector), every one of its controls must be reported MISSED,
# the verdict line must say 0/K, and the command must exit 1.
# Usage: detectors_necessity_test.sh path/to/harness DETECTOR...
#   A detector with no control in this build (explore before `harness
#   explore` exists), or one that cannot be switched off (CANNOT DISABLE), is
#   reported and skipped; at least one must be tested.
set -u
harness=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 tested=0
for d in "$@"; do
  "$harness" detectors --detector "$d" --disable_detector "$d" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  verdict=$(grep -E '^detectors: [0-9]+/[0-9]+ controls caught$' "$tmp/out")
  total=$(echo "$verdict" | sed -E 's/^detectors: ([0-9]+)\/([0-9]+).*/\2/')
  if [ -n "$verdict" ] && [ "$total" = 0 ]; then
    if grep -q "CANNOT DISABLE" "$tmp/out"; then
      echo "necessity $d: SKIPPED: the detector cannot be switched off:"
      grep -m1 "CANNOT DISABLE" "$tmp/out" | sed 's/^/  | /'
    elif grep -q "NOT BUILT" "$tmp/out"; then
      echo "necessity $d: detector not built here: skipped"
    else
      echo "necessity $d: no control in this build: skipped"
    fi
    continue
  fi
  tested=$((tested + 1))
  missed=$(grep -cE "^$d +.*: MISSED " "$tmp/out")
  if [ "$rc" = 1 ] && [ "$verdict" = "detectors: 0/$total controls caught" ] &&
     [ "$missed" = "$total" ] && [ "$total" -ge 1 ]; then
    echo "necessity $d: disabled -> $verdict, $missed MISSED, exit 1: ok"
  else
    echo "necessity $d: FAIL: exit $rc, '$verdict', $missed MISSED lines"
    sed 's/^/  | /' "$tmp/out"
    fails=$((fails + 1))
  fi
done
[ "$tested" -ge 1 ] || { echo "detectors_necessity_test: FAIL: no detector tested"; exit 1; }
[ "$fails" = 0 ] || exit 1
echo "detectors_necessity_test: $tested detectors shown necessary: ok"
