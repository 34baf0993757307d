#!/usr/bin/env bash
# The CI merge job's command, scripts/merge-hosts, on two fixture host folders
# (tests/fixtures/hosts: an x86-64 and an arm64 runner's artifacts, laid out
# as actions/download-artifact leaves them): one report holding both hosts,
# appended to the job summary; a host of another commit is refused (exit 2,
# one line) unless --allow-mixed; no run folder is refused.
# Usage: merge_hosts_test.sh (no arguments)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cp -r "$here/fixtures/hosts" "$out/artifacts"
GITHUB_STEP_SUMMARY="$out/summary.md" "$root/scripts/merge-hosts" --out "$out/report" --no-charts \
  "$out/artifacts" >"$out/log" 2>&1 || { cat "$out/log"; fail "merge-hosts exited $?"; }
for f in index.html report.md results.csv; do
  [ -s "$out/report/$f" ] || fail "no $f written"
done
/usr/bin/python3 - "$out" <<'PY'
import csv, os, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(out, "report", "results.csv"), encoding="utf-8")))
hosts = sorted({r["host"] for r in rows})
if hosts != ["runner-arm", "runner-x86"]:
    sys.exit(f"FAIL: results.csv hosts {hosts}, expected runner-arm and runner-x86")
for host in hosts:
    keys = [(r["cores"], r["name"], r["repetition"]) for r in rows if r["host"] == host]
    if len(keys) != 8 or len(set(keys)) != 8:
        sys.exit(f"FAIL: {host}: {len(keys)} rows ({len(set(keys))} distinct), expected 8 (2 cases x 2 core counts x 2 rounds)")
md = open(os.path.join(out, "report", "report.md"), encoding="utf-8").read()
for needle in ("runner-x86", "runner-arm", "aarch64", "x86_64"):
    if needle not in md:
        sys.exit(f"FAIL: report.md does not mention {needle}")
if open(os.path.join(out, "summary.md"), encoding="utf-8").read() != md:
    sys.exit("FAIL: the job summary is not the report's report.md")
PY

# A host folder from another commit: refused, then merged with --allow-mixed.
sed -i 's/"git_commit": "0123456789abcdef0123456789abcdef01234567"/"git_commit": "fedcba9876543210fedcba9876543210fedcba98"/' \
  "$out"/artifacts/results-arm64/*/cores-*.json
rc=0
"$root/scripts/merge-hosts" --out "$out/mixed" --no-charts "$out/artifacts" >/dev/null 2>"$out/err" || rc=$?
if ! { [ "$rc" = 2 ] && [ "$(wc -l <"$out/err")" = 1 ] && grep -q "different commits" "$out/err"; }; then
  cat "$out/err"; fail "mixed commits: exit $rc, expected 2 with one line"
fi
"$root/scripts/merge-hosts" --out "$out/mixed" --no-charts --allow-mixed "$out/artifacts" >/dev/null 2>&1 ||
  fail "--allow-mixed did not merge"
mkdir "$out/empty"
rc=0
"$root/scripts/merge-hosts" --out "$out/none" "$out/empty" >/dev/null 2>"$out/err" || rc=$?
if ! { [ "$rc" = 2 ] && [ "$(wc -l <"$out/err")" = 1 ]; }; then
  cat "$out/err"; fail "no run folder: exit $rc"
fi
echo "merge_hosts: ok: one report of 2 hosts from tests/fixtures/hosts; mixed commits refused"
