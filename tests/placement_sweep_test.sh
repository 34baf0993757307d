#!/usr/bin/env bash
# `harness sweep --placement`: each core count's child runs pinned to the
# policy's CPUs (the child's own affinity mask, context allowed_cpus, is
# exactly harness_cpus), and the context and manifest record the placement.
# With 2+ CPUs, list:<last>,<first> pins 1 core to the last allowed CPU.
# Usage: placement_sweep_test.sh path/to/harness
set -euo pipefail
harness=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpus=$(/usr/bin/python3 -c 'import os; print(",".join(map(str, sorted(os.sched_getaffinity(0)))))')
first=${cpus%%,*}; last=${cpus##*,}
cores=1; [ "$first" != "$last" ] && cores=1,2
policy="list:$last,$first"; [ "$first" = "$last" ] && policy="list:$first"
"$harness" sweep --quick --cores "$cores" --filter 'shared_counter/mutex/' --repetitions 1 \
  --placement "$policy" --out "$out/run" 2>/dev/null
/usr/bin/python3 - "$out/run" "$cores" "$last" "$first" "$policy" <<'PY'
import json, os, sys
run, cores, last, first, policy = sys.argv[1:]
expected = {1: last, 2: f"{last},{first}"}
for n in map(int, cores.split(",")):
    ctx = json.load(open(os.path.join(run, f"cores-{n}.json")))["context"]
    want = expected[n]
    if ctx.get("harness_cpus") != want:
        sys.exit(f"FAIL: cores-{n}.json harness_cpus {ctx.get('harness_cpus')!r}, expected {want!r}")
    pinned = sorted(map(int, want.split(",")))
    mask = ",".join(map(str, pinned)) if len(pinned) == 1 or pinned[1] != pinned[0] + 1 else f"{pinned[0]}-{pinned[1]}"
    if ctx.get("allowed_cpus") != mask:
        sys.exit(f"FAIL: cores-{n}.json: the child ran on {ctx.get('allowed_cpus')!r}, expected {mask!r}")
    if ctx.get("harness_placement") != policy or len(json.loads(ctx["harness_cpu_topology"])) != n:
        sys.exit(f"FAIL: cores-{n}.json placement context {ctx.get('harness_placement')!r} "
                 f"{ctx.get('harness_cpu_topology')!r}")
m = json.load(open(os.path.join(run, "manifest.json")))
if m["placement"]["policy"] != policy or m["parameters"]["placement"] != policy:
    sys.exit(f"FAIL: manifest placement {m['placement']} parameters {m['parameters']}")
print(f"placement_sweep: ok: {policy} pinned cores {cores} as recorded")
PY
