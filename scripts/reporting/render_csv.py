"""Render results.csv: one row per case and repetition, raw numbers."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .load import METRICS, Run

COLUMNS = [
    "host",
    "run_id",
    "scenario",
    "strategy",
    "params",
    "cores",
    "workers",
    "repetition",
    "name",
    "iterations",
    "seconds_per_run",
    *METRICS,
    "error",
    "round",
    "probe_before_ns",
    "probe_after_ns",
    "steal_ms",
    "irq_ms",
]  # interleaved sweeps


def render(runs: Iterable[Run]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for run in runs:
        for s in sorted(
            run.samples,
            key=lambda s: (s.case.scenario, s.case.params, s.case.strategy, s.cores, s.case.workers, s.repetition),
        ):
            row: list[object] = [
                run.host,
                run.run_id,
                s.case.scenario,
                s.case.strategy,
                s.case.params_label,
                s.cores,
                s.case.workers,
                s.repetition,
                s.name,
                s.iterations,
                "" if s.seconds_per_run is None else repr(s.seconds_per_run),
            ]
            row += ["" if s.metrics.get(k) is None else repr(s.metrics[k]) for k in METRICS]
            row.append(s.error or "")
            row += [
                "" if v is None else repr(v) for v in (s.round, s.probe_before, s.probe_after, s.steal_ms, s.irq_ms)
            ]
            writer.writerow(row)
    return buf.getvalue()
