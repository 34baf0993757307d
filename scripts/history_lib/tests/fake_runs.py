"""Writes run folders in the sweep's format (docs/results-format.md) from
given throughputs, for the store and report tests; and runs the CLI."""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys

SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

CONTEXT = {
    "cpu_model": "Test CPU",
    "num_cpus": 2,
    "kernel": "Linux 6.1.0 x86_64",
    "compiler": "clang 19.1.7",
    "build_type": "Release",
    "preset": "release",
    "sanitizer": "none",
    "executable": "harness",
    "host_name": "testhost",
    "quick": "false",
}


def write_run(
    folder: str,
    commit: str,
    created: str,
    cases: dict,
    cores: int = 1,
    context: dict | None = None,
    failed: dict | None = None,
):
    """cases: {"scenario/strategy/param:v/workers:n": [items/s per repetition]}."""
    os.makedirs(folder, exist_ok=True)
    benchmarks = []
    reps = 0
    for name, values in cases.items():
        reps = max(reps, len(values))
        for i, v in enumerate(values):
            full = name + "/process_time/manual_time"
            benchmarks.append(
                {
                    "name": full,
                    "run_name": full,
                    "run_type": "iteration",
                    "repetition_index": i,
                    "round": i,
                    "iterations": 10,
                    "real_time": 1e3 / v * 10,
                    "time_unit": "ms",
                    "items_per_second": v,
                    "checked_runs": 10.0,
                }
            )
    for name, message in (failed or {}).items():
        full = name + "/process_time/manual_time"
        benchmarks.append(
            {
                "name": full,
                "run_name": full,
                "run_type": "iteration",
                "repetition_index": 0,
                "round": 0,
                "error_occurred": True,
                "error_message": message,
            }
        )
    ctx = dict(CONTEXT, harness_cores=str(cores), git_commit=commit, date=created, repetitions=str(reps))
    ctx.update(context or {})
    with open(os.path.join(folder, f"cores-{cores}.json"), "w") as f:
        json.dump({"context": ctx, "benchmarks": benchmarks}, f)
    run_id = os.path.basename(folder)
    manifest = {
        "format": "concurrency-harness-run/1",
        "run_id": run_id,
        "created": created,
        "host": "testhost",
        "preset": "release",
        "quick": False,
        "repetitions": reps,
        "cores": [cores],
        "files": {str(cores): f"cores-{cores}.json"},
        "cases": len(cases),
        "failed": [f"c{cores}:{n}" for n in (failed or {})],
        "hung": [],
    }
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return folder


def commit_sha(i: int) -> str:
    return f"{i:04x}" + "ab" * 18


def created(i: int) -> str:
    return f"2026-11-{1 + i // 24:02d}T{i % 24:02d}:00:00Z"


def call(argv):
    """scripts/history in-process: (exit code, stdout, stderr)."""
    from history_lib import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(argv)
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def series_runs(root: str, count: int, levels, rng, cv=0.04, reps=5, extra=None):
    """``count`` runs, one per commit; levels(i) -> {case: level}; Gaussian noise."""
    paths = []
    for i in range(count):
        cases = {name: list(level * (1 + rng.normal(0, cv, reps))) for name, level in levels(i).items()}
        paths.append(write_run(os.path.join(root, f"run{i:03d}"), commit_sha(i), created(i), cases, **(extra or {})))
    return paths
