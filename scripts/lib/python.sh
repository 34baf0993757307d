# shellcheck shell=bash
# The python3 of the report scripts, sourced by the shell wrappers
# (scripts/report, compare, history, the two run_tests):
#
#   . "$(dirname "$0")/lib/python.sh"
#   find_python report || exit 2
#   "$PYTHON" -m reporting.report_cli "$@"
#
# find_python NAME sets PYTHON to the first of /usr/bin/python3 (Debian's,
# which the packages python3-matplotlib and python3-scipy install into) and
# the python3 on PATH that imports matplotlib and scipy; without one it
# prints "NAME: no python3 with matplotlib and scipy (run
# scripts/install-deps)" on stderr and returns 1. It also keeps the source
# tree free of __pycache__ folders (PYTHONDONTWRITEBYTECODE).

export PYTHONDONTWRITEBYTECODE=1

find_python() {
  local py
  for py in /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import matplotlib, scipy' 2>/dev/null; then
      # shellcheck disable=SC2034  # PYTHON is the caller's
      PYTHON=$py
      return 0
    fi
  done
  echo "$1: no python3 with matplotlib and scipy (run scripts/install-deps)" >&2
  return 1
}
