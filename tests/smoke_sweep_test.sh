#!/usr/bin/env bash
# A sweep with tiny sizes over cores 1 and 2 (1 on a one-CPU machine); its
# result folder is then checked by check_sweep.py.
# Usage: smoke_sweep_test.sh path/to/harness preset
set -euo pipefail
harness=$1; preset=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=1
[ "$(nproc)" -ge 2 ] && cores=1,2
"$harness" sweep --quick --cores "$cores" --out "$out/run"
/usr/bin/python3 "$here/check_sweep.py" "$out/run" "$preset" "$cores"
