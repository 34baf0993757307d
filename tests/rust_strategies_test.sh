#!/usr/bin/env bash
# The Rust references (rust/, issue #12) as `harness list --json` shows them.
# Usage: rust_strategies_test.sh path/to/harness 1|0   (HARNESS_HAVE_RUST)
# Built (1): at least 10 rust_* strategies, none skipped, every scenario of
# the six has one, every one has family "rust" and no other strategy has.
# Not built (0): every rust_* strategy is listed skipped, with a reason.
set -u
harness=$1
have_rust=$2
json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$harness" list --json >"$json" || { echo "rust_strategies_test: FAIL: harness list --json"; exit 1; }
/usr/bin/python3 - "$json" "$have_rust" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1]))
have_rust = sys.argv[2] == "1"
rust = [e for e in entries if e["strategy"].startswith("rust_")]
def fail(msg):
    print(f"rust_strategies_test: FAIL: {msg}")
    sys.exit(1)
if len(rust) < 10:
    fail(f"{len(rust)} rust_* strategies listed, expected at least 10")
scenarios = {e["scenario"] for e in rust}
want = {"spawn_join", "shared_counter", "message_passing", "parallel_map", "async_tasks",
        "actor_ping"}
if not want <= scenarios:
    fail(f"no rust_* strategy in {sorted(want - scenarios)}")
for e in entries:
    is_rust = e["strategy"].startswith("rust_")
    if (e.get("family") == "rust") != is_rust:
        fail(f"{e['scenario']}/{e['strategy']} has family {e.get('family')!r}")
    if not is_rust:
        continue
    if have_rust and e["skipped"]:
        fail(f"{e['scenario']}/{e['strategy']} skipped in a build with the crate: {e['skip_reason']}")
    if not have_rust and not (e["skipped"] and e["skip_reason"]):
        fail(f"{e['scenario']}/{e['strategy']} not skipped (with a reason) in a build without the crate")
state = "runnable" if have_rust else "skipped"
print(f"rust_strategies_test: ok ({len(rust)} rust_* strategies, {state}, in {len(scenarios)} scenarios)")
PY
