"""Checks the folders written by interleaved_sweep_test.sh.

Usage: check_interleaved.py TMP CORES(e.g. 1,2) ROUNDS PAIRED_ROUNDS
TMP holds a/ (seed 11), same/ (seed 11), other/ (seed 12), pa/ + pb/ (a
paired sweep, seed 11) and the progress logs a.log and p.log.
"""
import json
import os
import re
import statistics
import sys

PROGRESS = re.compile(r"^\[\s*\d+/\d+\] round (\d+)( [AB])?  cores (\d+)  (\S+)  ")


def fail(message):
    print(f"check_interleaved: FAIL: {message}")
    sys.exit(1)


def load(folder):
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    files = {c: json.load(open(os.path.join(folder, f))) for c, f in manifest["files"].items()}
    return manifest, files


def progress(log):
    """(round, side, tag) per progress line, in the order they ran."""
    runs = []
    for line in open(log):
        m = PROGRESS.match(line)
        if m:
            runs.append((int(m.group(1)) - 1, (m.group(2) or "").strip(), f"c{m.group(3)}:{m.group(4)}"))
    return runs


def first_difference(ran, want):
    """The first place two run sequences differ, for a short message."""
    for i, (r, w) in enumerate(zip(ran, want)):
        if r != w:
            return f"run {i}: {r} where the manifest says {w}"
    return f"{len(ran)} runs where the manifest says {len(want)}"


def check_probe(probe, cores, where):
    if not isinstance(probe, dict) or "roundtrip_ns" not in probe or "trips" not in probe:
        fail(f"{where}: probe {probe!r} lacks roundtrip_ns/trips")
    rt = probe["roundtrip_ns"]
    if cores == 1 and rt is not None:
        fail(f"{where}: one CPU but roundtrip_ns {rt}")
    if rt is not None and not (rt > 0 and probe["trips"] > 0):
        fail(f"{where}: roundtrip_ns {rt} over {probe['trips']} trips")


def check_folder(folder, rounds, seed):
    """Checks one result folder; returns its manifest."""
    manifest, files = load(folder)
    il = manifest.get("interleaving")
    if not il or il["seed"] != seed or il["rounds"] != rounds or manifest["rounds_done"] != rounds:
        fail(f"{folder}: interleaving {il} (want seed {seed}, {rounds} rounds, all done)")
    tags, order = il["cases"], il["order"]
    if len(order) != rounds or any(sorted(o) != list(range(len(tags))) for o in order):
        fail(f"{folder}: order {order} is not {rounds} permutations of {len(tags)} cases")
    for c, data in files.items():
        cores = int(c)
        reps, aggs = {}, {}
        for b in data["benchmarks"]:
            tag = f"c{cores}:{b['run_name'].removesuffix('/manual_time').removesuffix('/process_time')}"
            if b["run_type"] == "aggregate":
                aggs.setdefault(tag, {})[b["aggregate_name"]] = b
                continue
            where = f"{folder} {tag} round {b.get('round')}"
            if b.get("error_occurred"):
                fail(f"{where}: {b.get('error_message')}")
            r = b["round"]
            if b["repetition_index"] != r or b["repetitions"] != rounds:
                fail(f"{where}: repetition_index {b['repetition_index']} / {b['repetitions']}")
            if order[r][b["position"]] != tags.index(tag):
                fail(f"{where}: position {b['position']} is not its place in round {r}'s order")
            check_probe(b["probe_before"], cores, where + " probe_before")
            check_probe(b["probe_after"], cores, where + " probe_after")
            for key in ("steal_ms", "irq_ms"):
                if not (isinstance(b[key], (int, float)) and b[key] >= 0):
                    fail(f"{where}: {key} = {b[key]!r}")
            reps.setdefault(tag, []).append(b)
        for tag, rs in reps.items():
            if sorted(b["round"] for b in rs) != list(range(rounds)):
                fail(f"{folder} {tag}: rounds {[b['round'] for b in rs]}")
            a = aggs.get(tag, {})
            if sorted(a) != ["cv", "mean", "median", "stddev"]:
                fail(f"{folder} {tag}: aggregates {sorted(a)}")
            times = [b["real_time"] for b in rs]
            for name, want in (
                ("median", statistics.median(times)),
                ("mean", statistics.mean(times)),
                ("stddev", statistics.stdev(times)),
            ):
                if abs(a[name]["real_time"] - want) > 1e-9 * max(1.0, abs(want)):
                    fail(f"{folder} {tag}: {name} real_time {a[name]['real_time']} != {want}")
            if a["median"]["iterations"] != rounds:
                fail(f"{folder} {tag}: median over {a['median']['iterations']} repetitions")
        if sorted(reps) != sorted(t for t in tags if t.startswith(f"c{cores}:")):
            fail(f"{folder} cores-{c}.json: cases {sorted(reps)}")
    return manifest


def main():
    tmp, cores, rounds, paired_rounds = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
    a = check_folder(os.path.join(tmp, "a"), rounds, 11)
    same = check_folder(os.path.join(tmp, "same"), rounds, 11)
    other = check_folder(os.path.join(tmp, "other"), rounds, 12)
    tags, order = a["interleaving"]["cases"], a["interleaving"]["order"]
    if same["interleaving"]["order"] != order:
        fail("the same seed gave different round orders")
    if other["interleaving"]["order"] == order:
        fail("seeds 11 and 12 gave the same round orders")
    if len({tuple(o) for o in order}) < 2:
        fail(f"every round ran in the same order {order[0]}")
    ran = progress(os.path.join(tmp, "a.log"))
    want = [(r, "", tags[i]) for r in range(rounds) for i in order[r]]
    if ran != want:
        fail(f"the cases did not run in the manifest's order: {first_difference(ran, want)}")

    pa = check_folder(os.path.join(tmp, "pa"), paired_rounds, 11)
    pb = check_folder(os.path.join(tmp, "pb"), paired_rounds, 11)
    for m, role in ((pa, "A"), (pb, "B")):
        p = m.get("paired", {})
        if p.get("role") != role or p.get("rounds") != paired_rounds or p.get("seed") != 11:
            fail(f"side {role}: paired field {p}")
    if pa["interleaving"] != pb["interleaving"] or pa["paired"]["a_first"] != pb["paired"]["a_first"]:
        fail("the two sides of the paired sweep record different orders")
    ptags, porder, a_first = pa["interleaving"]["cases"], pa["interleaving"]["order"], pa["paired"]["a_first"]
    want = []
    for r in range(paired_rounds):
        for pos, i in enumerate(porder[r]):
            sides = ["A", "B"] if a_first[r][pos] else ["B", "A"]
            want += [(r, s, ptags[i]) for s in sides]
    ran = progress(os.path.join(tmp, "p.log"))
    if ran != want:
        fail(f"the paired sweep did not run in the manifest's A/B order: {first_difference(ran, want)}")
    flat = [f for row in a_first for f in row]
    if all(flat) or not any(flat):
        fail(f"A ran first in every pair or in none: {a_first}")
    print(
        f"check_interleaved: {len(tags)} cases x {rounds} rounds over cores {','.join(cores)}, "
        f"paired {len(ptags)} x {paired_rounds} x 2: ok"
    )


if __name__ == "__main__":
    main()
