"""Issue #13's yardstick: the project's runtime against the Rust originals and
the C++ references, pair by pair, at the sizes the issue names.

Runs two interleaved sweeps of the release harness (one per parameter set:
``kind`` means different things in async_tasks and parallel_map) into
OUT/a and OUT/b, then prints one row per pair and core count (workers =
cores): the ratio ours / theirs of throughput (> 1: ours ahead) as the
geometric mean of the per-round ratios with its 95% Student's t interval
(ci.paired_ratio_ci), and both medians with their CVs. "ours" may name
several strategies (the best actor strategy): the one with the highest median
at that core count is used.

    cd scripts && /usr/bin/python3 -m reporting.yardstick [--repetitions 7] [--cores 1,2] [--out DIR]
    cd scripts && /usr/bin/python3 -m reporting.yardstick --analyse DIR   (an earlier run's folder)

Exit status: 0, or 2 on bad input (a flag, a folder without the two sweeps)
or when a sweep fails.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass

from .ci import Interval, by_round, paired_ratio_ci
from .cli_util import OneLineParser
from .load import InputError, Run, Sample, load_run
from .stats import Summary, summarize


@dataclass(frozen=True)
class Pair:
    """One comparison of issue #13: scenario, our strategies (best of), theirs."""

    label: str
    part: str  # which sweep ("a" or "b") measures it
    scenario: str
    ours: tuple[str, ...]
    theirs: str


# The sizes of issue #13's table; --set applies each to the scenarios that have it.
SWEEPS = {
    "a": (
        "^(message_passing/(channels|channels_bounded|rust_crossbeam_bounded|rust_crossbeam_unbounded)"
        "|actor_ping/(actor_pool|actor_threads|caf|coroutines|rust_tokio)"
        "|async_tasks/(coroutines|asio|rust_tokio)|shared_counter/(mutex|rust_arc_mutex))/",
        "messages=10000000,payload=u64,actors=1,clients=1,requests=100000,kind=compute,tasks=100000,awaits=1",
    ),
    "b": ("^parallel_map/(thread_pool|rust_rayon|tbb|raw_threads)/", "kind=add2,elements=33554432"),
}

ACTORS = ("actor_pool", "actor_threads", "caf", "coroutines")
PAIRS = (
    Pair(
        "bounded channel vs crossbeam bounded(1024), 10M u64",
        "a",
        "message_passing",
        ("channels_bounded",),
        "rust_crossbeam_bounded",
    ),
    Pair("best actor vs Tokio actor, 1 actor, 100k asks", "a", "actor_ping", ACTORS, "rust_tokio"),
    Pair("coroutines vs Tokio, 100k tasks, 1 await (target 1.5)", "a", "async_tasks", ("coroutines",), "rust_tokio"),
    Pair("channel vs crossbeam unbounded, 10M u64", "a", "message_passing", ("channels",), "rust_crossbeam_unbounded"),
    Pair("thread_pool vs Rayon, add2 2^25", "b", "parallel_map", ("thread_pool",), "rust_rayon"),
    Pair("thread_pool vs tbb::parallel_for, add2 2^25", "b", "parallel_map", ("thread_pool",), "tbb"),
    Pair("thread_pool vs the plain n-thread loop (target 0.9)", "b", "parallel_map", ("thread_pool",), "raw_threads"),
    Pair("std::mutex vs Arc<Mutex> (no regression)", "a", "shared_counter", ("mutex",), "rust_arc_mutex"),
    Pair("coroutines vs Asio, 100k tasks (no regression)", "a", "async_tasks", ("coroutines",), "asio"),
    Pair("best actor vs CAF, 1 actor (no regression)", "a", "actor_ping", ACTORS, "caf"),
)


#: (scenario, strategy, cores)
CaseKey = tuple[str, str, int]
#: (label, cores, our strategy, ours / theirs, our summary, their summary)
Row = tuple[str, int, str, Interval | None, Summary, Summary]


def _main_cases(run: Run) -> dict[CaseKey, list[Sample]]:
    """(scenario, strategy, cores) -> samples of the workers = cores case."""
    out: dict[CaseKey, list[Sample]] = {}
    for s in run.samples:
        if s.case.workers == s.cores and not s.error and s.throughput is not None:
            out.setdefault((s.case.scenario, s.case.strategy, s.cores), []).append(s)
    return out


def _median(samples: list[Sample]) -> float:
    return summarize([s.throughput for s in samples if s.throughput is not None]).median


def rows(runs: dict[str, Run]) -> list[Row]:
    """[(label, cores, ours, ratio Interval or None, ours summary, theirs summary)] for every pair."""
    out: list[Row] = []
    cases = {part: _main_cases(run) for part, run in runs.items()}
    for pair in PAIRS:
        c = cases[pair.part]
        for cores in sorted({k[2] for k in c if k[0] == pair.scenario}):
            mine = [s for s in pair.ours if (pair.scenario, s, cores) in c]
            theirs = c.get((pair.scenario, pair.theirs, cores))
            if not mine or not theirs:
                continue
            medians = {s: _median(c[(pair.scenario, s, cores)]) for s in mine}
            best = max(mine, key=lambda s: medians[s])
            ours = c[(pair.scenario, best, cores)]
            ra, rb = by_round(ours), by_round(theirs)
            common = sorted(set(ra) & set(rb))
            iv = paired_ratio_ci([(ra[r], rb[r]) for r in common], f"{pair.label}:{cores}")
            mine_summary = summarize([s.throughput for s in ours if s.throughput is not None])
            their_summary = summarize([s.throughput for s in theirs if s.throughput is not None])
            out.append((pair.label, cores, best, iv, mine_summary, their_summary))
    return out


def _cv(summary: Summary) -> str:
    return "n/a" if summary.cv is None else f"{summary.cv:.1%}"


def render(table: list[Row]) -> str:
    lines = [
        "| pair | cores = workers | ours | ours / theirs [95% CI] | ours median (CV) | theirs median (CV) |",
        "|---|---|---|---|---|---|",
    ]
    for label, cores, best, iv, a, b in table:
        ratio = "n/a (too few rounds)" if iv is None else f"**{iv.estimate:.2f}** [{iv.lo:.2f}, {iv.hi:.2f}]"
        a_text, b_text = f"{a.median:.4g} ({_cv(a)})", f"{b.median:.4g} ({_cv(b)})"
        lines.append(f"| {label} | {cores} | {best} | {ratio} | {a_text} | {b_text} |")
    return "\n".join(lines)


def run_sweeps(harness: str, out: str, repetitions: int, cores: str) -> None:
    for part, (pattern, sets) in SWEEPS.items():
        cmd = [
            harness,
            "sweep",
            "--filter",
            pattern,
            "--set",
            sets,
            "--cores",
            cores,
            "--repetitions",
            str(repetitions),
            "--out",
            os.path.join(out, part),
        ]
        print("yardstick: " + " ".join(cmd), file=sys.stderr, flush=True)
        if subprocess.call(cmd) != 0:
            raise InputError(f"the sweep into {os.path.join(out, part)} failed")


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="yardstick", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=7, help="interleaved rounds (default %(default)s)")
    parser.add_argument("--cores", default="1,2", help="core counts, workers = cores (default %(default)s)")
    parser.add_argument("--out", default=None, help="folder for the two sweeps (default build/yardstick)")
    parser.add_argument("--analyse", metavar="DIR", help="only analyse an earlier run's folder")
    parser.add_argument("--harness", default=None, help="the harness binary (default build/release/bin/harness)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        if args.repetitions < 5:
            raise InputError(f"--repetitions {args.repetitions}: a paired interval needs at least 5 rounds")
        folder = args.analyse
        if folder is None:
            folder = args.out or os.path.join(root, "build", "yardstick")
            harness = args.harness or os.path.join(root, "build", "release", "bin", "harness")
            if not os.access(harness, os.X_OK):
                raise InputError(f"{harness} is not an executable (build the release preset first)")
            run_sweeps(harness, folder, args.repetitions, args.cores)
        runs = {}
        for part in SWEEPS:
            path = os.path.join(folder, part)
            if not os.path.isdir(path):
                raise InputError(f"{path} is missing (not a yardstick folder)")
            runs[part] = load_run(path)
    except InputError as e:
        print(f"yardstick: {e}", file=sys.stderr)
        return 2
    table = rows(runs)
    print(render(table))
    spans = [r[3] for r in table if r[3] is not None]
    if spans:
        worst = max(spans, key=lambda iv: (iv.hi - iv.lo) / iv.estimate)
        print(f"\n{len(table)} rows; the widest interval spans {math.log(worst.hi / worst.lo):.0%} (log scale).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
