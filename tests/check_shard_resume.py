"""Checks the folders of shard_resume_test.sh: the shards' cases are those of
the unsharded sweep, each in exactly one shard, and the merged report holds
them all once; the killed-and-resumed sweep has every (case, round) exactly
once, like the uninterrupted sweep with the same seed, and the killed sweep
had left part of them only.

Usage: check_shard_resume.py OUT_DIR
"""
import csv
import json
import os
import socket
import sys


def fail(message):
    print(f"check_shard_resume: FAIL: {message}")
    sys.exit(1)


def manifest(run):
    return json.load(open(os.path.join(run, "manifest.json")))


def repetitions(run):
    """[(cores, name, round)] of every repetition entry in the run's files."""
    out = []
    for name in sorted(os.listdir(run)):
        if name.startswith("cores-") and name.endswith(".json"):
            cores = int(name[len("cores-") : -len(".json")])
            for b in json.load(open(os.path.join(run, name)))["benchmarks"]:
                if b.get("run_type", "iteration") == "iteration":
                    out.append((cores, b["name"], b["round"]))
    return out


def main():
    out = sys.argv[1]
    full = manifest(os.path.join(out, "full"))
    planned = full["interleaving"]["cases"]
    rounds = full["repetitions"]
    if full.get("host") != socket.gethostname():
        fail(f"manifest host {full.get('host')!r} is not this host, {socket.gethostname()!r}")
    if len(planned) < 3:
        fail(f"only {len(planned)} cases planned; the test needs at least 3 (one per shard)")

    # Shards: a partition of the planned cases.
    shard_cases = []
    for i in (1, 2, 3):
        m = manifest(os.path.join(out, f"shard{i}"))
        if m.get("shard", {}).get("index") != i or m["shard"].get("count") != 3:
            fail(f"shard{i}: manifest shard is {m.get('shard')}")
        if m["shard"].get("planned_cases") != len(planned):
            fail(f"shard{i}: planned_cases {m['shard'].get('planned_cases')} != {len(planned)}")
        cases = m["interleaving"]["cases"]
        if not cases:
            fail(f"shard{i} runs no case")
        shard_cases += cases
    if sorted(shard_cases) != sorted(planned):
        fail(f"the shards' cases {sorted(shard_cases)} != the unsharded sweep's {sorted(planned)}")
    sizes = [len(manifest(os.path.join(out, f"shard{i}"))["interleaving"]["cases"]) for i in (1, 2, 3)]
    if max(sizes) - min(sizes) > 1:
        fail(f"unbalanced shards (equal expected times): {sizes} cases")
    shard_reps = sum((repetitions(os.path.join(out, f"shard{i}")) for i in (1, 2, 3)), [])
    full_reps = repetitions(os.path.join(out, "full"))
    if sorted(shard_reps) != sorted(full_reps):
        fail(f"the shards' repetitions differ from the unsharded sweep's:\n{sorted(shard_reps)}\n{sorted(full_reps)}")

    # Shards balanced by recorded times: still a partition of the plan.
    timed = [manifest(os.path.join(out, f"timed{i}")) for i in (1, 2)]
    for m in timed:
        if not m["shard"].get("estimate", "").startswith("seconds recorded in "):
            fail(f"--shard_times: estimate is {m['shard'].get('estimate')!r}")
    if sorted(sum((m["interleaving"]["cases"] for m in timed), [])) != sorted(planned):
        fail("the --shard_times shards are not a partition of the planned cases")

    # The merged report: one run, every (case, cores, repetition) once.
    with open(os.path.join(out, "merged", "results.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len({r["host"] for r in rows}) != 1:
        fail(f"merged report has hosts {sorted({r['host'] for r in rows})}, expected one run")
    keys = [(int(r["cores"]), r["name"], int(r["repetition"])) for r in rows]
    if sorted(keys) != sorted(full_reps):
        fail(f"merged report rows {sorted(keys)} != the unsharded sweep's {sorted(full_reps)}")

    # Killed and resumed.
    before = repetitions(os.path.join(out, "killed-before"))
    parts_before = os.listdir(os.path.join(out, "killed-before", "parts"))
    if len(parts_before) != 3:
        fail(f"the killed sweep recorded {len(parts_before)} parts, expected 3")
    if len(before) >= len(full_reps):
        fail("the killed sweep's files already held every repetition: nothing was left to resume")
    resumed = repetitions(os.path.join(out, "killed"))
    if len(resumed) != len(set(resumed)):
        fail(f"duplicate repetitions after resume: {sorted(resumed)}")
    if sorted(resumed) != sorted(full_reps):
        fail(f"resumed sweep {sorted(resumed)} != uninterrupted sweep {sorted(full_reps)}")
    m = manifest(os.path.join(out, "killed"))
    if m.get("rounds_done") != rounds or m.get("resumed") != 1 or m.get("failed") or m.get("hung"):
        fail(
            f"resumed manifest: rounds_done {m.get('rounds_done')}, resumed {m.get('resumed')}, "
            f"failed {m.get('failed')}, hung {m.get('hung')}"
        )
    if m["interleaving"] != full["interleaving"]:
        fail("the resumed sweep's interleaving (seed, orders) differs from the original's")
    if len(os.listdir(os.path.join(out, "killed", "parts"))) != len(full_reps):
        fail("the resumed sweep's parts/ does not hold one record per repetition")
    print(
        f"check_shard_resume: ok: {len(planned)} cases in shards of {sizes}; "
        f"killed after 3 of {len(full_reps)} repetitions, resumed to all {len(resumed)}"
    )


if __name__ == "__main__":
    main()
