"""The machine-state probe: per run, the distribution of the inter-core
round trip measured before and after each repetition, the two states when
it is bimodal, and the cases whose repetitions straddle them.

Preempted probes: a round trip more than ``PREEMPTED_FACTOR`` times the run's
median (milliseconds instead of hundreds of nanoseconds: the probe thread
was descheduled) says nothing about the inter-core state; such values are
counted and left out of the distribution and the states.

States: when a run's probe values are bimodal (stats.is_bimodal: the gap
test of the noise flag), the largest gap splits them into a *near* (short
round trip) and a *far* state; a repetition's state is that of the mean of
its before/after probes. A case *straddles* states when its repetitions fall
in both; its per-state medians are a stratified view (compare like states).
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import Case, Group
from .load import Run, Sample
from .stats import is_bimodal

PREEMPTED_FACTOR = 10.0


@dataclass
class RunProbe:
    """Probe summary of one run."""

    values: list[float]  # probe values (ns), before and after, preempted ones left out
    split: float | None  # threshold between near and far, None when unimodal
    steal_ms: list[float]
    irq_ms: list[float]
    preempted: int = 0  # probes left out (> PREEMPTED_FACTOR x the median)
    limit: float = float("inf")  # values above this are preempted

    @property
    def bimodal(self) -> bool:
        return self.split is not None

    def quantiles(self) -> dict[str, float]:
        xs = sorted(self.values)
        q = statistics.quantiles(xs, n=10, method="inclusive") if len(xs) >= 2 else [xs[0]] * 9
        return {"min": xs[0], "p10": q[0], "median": statistics.median(xs), "p90": q[8], "max": xs[-1]}

    def state(self, sample: Sample) -> str | None:
        """'near', 'far' or None (no probe, or a unimodal run)."""
        vals = [v for v in (sample.probe_before, sample.probe_after) if v is not None and v <= self.limit]
        if self.split is None or not vals:
            return None
        return "near" if sum(vals) / len(vals) < self.split else "far"


def _split(values: Iterable[float]) -> float | None:
    xs = sorted(values)
    if not is_bimodal(xs):
        return None
    gaps = [(b - a, i) for i, (a, b) in enumerate(zip(xs, xs[1:]))]
    _, i = max(gaps)
    return (xs[i] + xs[i + 1]) / 2.0


def run_probe(run: Run) -> RunProbe | None:
    """The run's probe summary, or None when no repetition carries a probe."""
    raw = [v for s in run.samples for v in (s.probe_before, s.probe_after) if v is not None]
    if not raw:
        return None
    limit = PREEMPTED_FACTOR * statistics.median(raw)
    values = [v for v in raw if v <= limit]
    steal = [s.steal_ms for s in run.samples if s.steal_ms is not None]
    irq = [s.irq_ms for s in run.samples if s.irq_ms is not None]
    return RunProbe(values, _split(values), steal, irq, len(raw) - len(values), limit)


@dataclass
class Straddle:
    """A case whose repetitions ran in both states."""

    group: Group
    case: Case
    near: list[float]  # throughput of near-state repetitions
    far: list[float]

    @property
    def near_median(self) -> float:
        return statistics.median(self.near)

    @property
    def far_median(self) -> float:
        return statistics.median(self.far)


def straddling(group: Group, rp: RunProbe | None) -> list[Straddle]:
    """Cases of the group whose repetitions fall in both states."""
    if rp is None or not rp.bimodal:
        return []
    out = []
    for case in sorted(group.cases.values(), key=lambda c: (c.strategy, c.cores, c.workers)):
        near: list[float] = []
        far: list[float] = []
        for s in case.samples:
            t, st = s.throughput, rp.state(s)
            if t is None or st is None:
                continue
            (near if st == "near" else far).append(t)
        if near and far:
            out.append(Straddle(group, case, near, far))
    return out
