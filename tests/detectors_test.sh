#!/usr/bin/env bash
# `harness detectors`: every control of this build is caught by the detector
# it targets, the verdict line says so (N/N with N >= MIN), the exit status
# is 0, and the JSON has the shape scripts/reporting reads:
#   {"controls": [{"name", "detector", "caught"}], "caught": n, "total": n}
# Usage: detectors_test.sh path/to/harness JSON_OUT MIN [DETECTOR...]
#   JSON_OUT: where detectors.json is kept (scripts/test prints it);
#   DETECTOR...: detectors that must have at least one control caught here.
#   DETECTORS_ONLY (environment, optional): run only these detectors
#   (comma-separated), as `harness detectors --detector`.
set -u
harness=$1 json_out=$2 min=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "detectors_test: FAIL: $*"; exit 1; }
rm -f "$json_out"
only=()
[ -n "${DETECTORS_ONLY:-}" ] && only=(--detector "$DETECTORS_ONLY")
"$harness" detectors "${only[@]}" --json_out "$tmp/detectors.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
verdict=$(grep -E '^detectors: [0-9]+/[0-9]+ controls caught$' "$tmp/out")
[ -n "$verdict" ] || fail "no verdict line"
caught=$(echo "$verdict" | sed -E 's/^detectors: ([0-9]+)\/([0-9]+).*/\1/')
total=$(echo "$verdict" | sed -E 's/^detectors: ([0-9]+)\/([0-9]+).*/\2/')
[ "$rc" = 0 ] || fail "exit status $rc"
[ "$caught" = "$total" ] || fail "$caught of $total caught"
[ "$total" -ge "$min" ] || fail "only $total controls, expected >= $min"
/usr/bin/python3 - "$tmp/detectors.json" "$@" <<'PY' || fail "detectors.json"
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["controls"], list) and d["total"] == len(d["controls"]), d
assert d["caught"] == sum(c["caught"] for c in d["controls"]), d
for c in d["controls"]:
    assert isinstance(c["name"], str) and isinstance(c["detector"], str), c
    assert c["caught"] is True, c
for det in sys.argv[2:]:
    assert any(c["detector"] == det for c in d["controls"]), "no control for " + det
print("detectors.json: %d controls, detectors %s" %
      (d["total"], sorted({c["detector"] for c in d["controls"]})))
PY
cp "$tmp/detectors.json" "$json_out"
echo "detectors_test: $verdict: ok"
