#!/usr/bin/env bash
# Bad input to `harness`: each case must exit 2 with a one-line message and
# write nothing. Usage: cli_bad_input_test.sh path/to/harness [all|skip]
# (skip: leave out the empty-value table of every flag, for sanitizer builds)
set -u
harness=$1
empty_table=${2:-all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0; passed=0
expect_usage_error() {
  local out="$tmp/out-$passed-$fails"
  "$harness" "$@" --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  local lines
  lines=$(wc -l <"$tmp/stderr")
  if [ "$rc" != 2 ] || [ "$lines" != 1 ] || [ -e "$out" ]; then
    echo "FAIL: harness $* -> exit $rc, $lines stderr lines, out exists: $([ -e "$out" ] && echo yes || echo no)"
    sed 's/^/  | /' "$tmp/stderr" | head -5
    fails=$((fails + 1))
  else
    passed=$((passed + 1))
  fi
}
expect_usage_error sweep --cores 0
expect_usage_error sweep --cores 99
expect_usage_error sweep --cores 1,x
expect_usage_error sweep --cores 1,1
expect_usage_error sweep --cores=-1
expect_usage_error sweep --filter nosuchscenario
expect_usage_error sweep --filter '('
expect_usage_error sweep --set increments=abc
expect_usage_error sweep --paired_binary "$harness"
expect_usage_error sweep --paired_binary /nonexistent/harness --paired_out "$tmp/b"
expect_usage_error sweep --binary /nonexistent/harness
expect_usage_error sweep --set increments=-5
expect_usage_error sweep --set nosuchparam=1
expect_usage_error sweep --set increments
expect_usage_error sweep --set workers=2
expect_usage_error sweep --repetitions=-1
expect_usage_error sweep --repetitions=abc
expect_usage_error sweep --oversubscribe 0
expect_usage_error sweep --nosuchflag
expect_usage_error sweep extra_positional
expect_usage_error run --workers 0
expect_usage_error run --workers x
expect_usage_error run --filter nosuchscenario
expect_usage_error run --case_timeout=0
expect_usage_error explore --strategy sometimes
expect_usage_error explore --budget 0
expect_usage_error explore --hits 0
expect_usage_error explore --pct_depth 99
expect_usage_error explore --delay_ms=-1
expect_usage_error explore --workers 0
expect_usage_error explore --filter nosuchscenario
expect_usage_error explore --replay 1:2
expect_usage_error explore --replay 0:nosuchpoint:1
expect_usage_error explore --replay 0:none:0
expect_usage_error nosuchcommand
expect_usage_error detectors --detector nosuchdetector
expect_usage_error detectors --disable_detector nosuchdetector
expect_usage_error detectors --filter "("
# Every flag of every command given an empty value (both spellings): exit 2
# and one line that names the flag, never the default in disguise. The flag
# list comes from --helpfull, so a new flag is covered without editing this.
if [ "$empty_table" = all ]; then
flags=$("$harness" --helpfull | sed -n 's/^  --\([a-z_0-9]*\) (default.*/\1/p')
# Booleans take no separate value (`--quick ""` is a flag and a stray argument).
bools=" $("$harness" --helpfull | sed -n "s/^  --\([a-z_0-9]*\) (default: '\(true\|false\)').*/\1/p" | tr '\n' ' ') "
[ -n "$flags" ] || { echo "FAIL: no flags listed by --helpfull"; fails=$((fails + 1)); }
empty_checked=0
for cmd in list run sweep races stress explore detectors; do
  for flag in $flags; do
    spellings=("--$flag=")
    case "$bools" in *" $flag "*) ;; *) spellings+=("--$flag ") ;; esac
    for spelling in "${spellings[@]}"; do
      if [ "$spelling" = "--$flag=" ]; then
        "$harness" "$cmd" "--$flag=" >"$tmp/stdout" 2>"$tmp/stderr"
      else
        "$harness" "$cmd" "--$flag" "" >"$tmp/stdout" 2>"$tmp/stderr"
      fi
      rc=$?
      if [ "$rc" != 2 ] || [ "$(wc -l <"$tmp/stderr")" != 1 ] || ! grep -q -- "--$flag " "$tmp/stderr"; then
        echo "FAIL: harness $cmd '$spelling' (empty) -> exit $rc:"; sed 's/^/  | /' "$tmp/stderr" | head -3
        fails=$((fails + 1))
      else
        empty_checked=$((empty_checked + 1))
      fi
    done
  done
done
echo "empty values: $empty_checked refused with exit 2 and the flag named"
[ "$empty_checked" -ge 100 ] || { echo "FAIL: only $empty_checked empty-value cases ran"; fails=$((fails + 1)); }
else
  echo "empty values: table skipped (sanitizer build; release runs it)"
fi
echo "$passed passed, $fails failed"
[ "$fails" = 0 ]
