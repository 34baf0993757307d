# shellcheck shell=bash
# Quiet steps that still show their errors, sourced by scripts/test and
# scripts/bench:
#
#   . scripts/lib/run_logged.sh
#   run_logged build/release.configure.log cmake --preset release || exit 1
#
# run_logged LOG COMMAND...: runs COMMAND with its output (stdout and stderr)
# in LOG, making LOG's folder as needed. When COMMAND fails it prints LOG
# whole on stderr, then one line naming the command, its exit status and the
# log, and returns COMMAND's exit status.

run_logged() {
  local log=$1 rc=0
  shift
  mkdir -p "$(dirname "$log")"
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    cat "$log" >&2
    echo "$(basename "$0"): '$*' failed (exit $rc); its output is above and in $log" >&2
  fi
  return "$rc"
}
