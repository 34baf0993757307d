"""Derived metrics with their domain (issue #17): speedup against the fixed
baseline, efficiency (superlinear marked), Karp-Flatt only where defined, and
the 1-worker overhead of each strategy.

- speedup vs baseline: X(strategy, p) / X(baseline, 1 core), the baseline
  being the scenario's one fixed strategy (meta.baseline), the same in
  every run; efficiency = speedup / p.
- self speedup S = X(strategy, p) / X(strategy, 1); self efficiency = S / p.
- Karp-Flatt e = (1/S - 1/p) / (1 - 1/p), printed only for p > 1, a compute
  kind, and 1 <= S <= p; otherwise "n/a" with the reason.
- 1-worker overhead = 1 - X(strategy, 1 core, 1 worker) / X(baseline, 1 core,
  1 worker), with the CI of the ratio; flagged above OVERHEAD_FLAG on a
  compute kind.
"""
from __future__ import annotations

from dataclasses import dataclass

from .analysis import Case, Group
from .ci import Interval, ratio_ci

OVERHEAD_FLAG = 0.15
SUPERLINEAR_NOTE = (
    "Efficiency above 100% (**superlinear**): more cores did more than proportionally more "
    "work. Usually a cache effect (the working set fits the combined caches) or a 1-core result "
    "depressed by noise; it is not the strategy's doing alone."
)


def karp_flatt(
    speedup: float | None, cores: int, compute: bool, work: str | None = None
) -> tuple[float | None, str | None]:
    """(value, None) where defined, else (None, reason). work: the group's
    work class, named in the reason when it is not compute."""
    if cores <= 1:
        return None, "1 core"
    if not compute:
        return None, f"n/a: {work} kind, not compute" if work else "n/a: not a compute kind"
    if speedup is None:
        return None, "n/a: no 1-core result"
    if speedup < 1.0:
        return None, "n/a: S < 1 (slower than on 1 core)"
    if speedup > cores:
        return None, "n/a: S > p (superlinear)"
    return (1.0 / speedup - 1.0 / cores) / (1.0 - 1.0 / cores), None


@dataclass
class SpeedupRow:
    strategy: str
    cores: int
    case: Case
    speedup: float | None  # vs the baseline at 1 core
    self_speedup: float | None
    kf: float | None
    kf_reason: str | None

    @property
    def efficiency(self) -> float | None:
        return None if self.speedup is None else self.speedup / self.cores

    @property
    def self_efficiency(self) -> float | None:
        return None if self.self_speedup is None else self.self_speedup / self.cores


def speedup_rows(group: Group) -> list[SpeedupRow]:
    """One row per throughput strategy and core count (workers == cores)."""
    base_name, _ = group.baseline
    base = group.main(base_name, 1) if base_name else None
    base_x = base.median if base else None
    rows = []
    for s in group.throughput_strategies:
        own1 = group.median(s, 1)
        for p in group.cores:
            case = group.main(s, p)
            if case is None:
                continue
            x = case.median
            sp = x / base_x if (x is not None and base_x) else None
            ss = x / own1 if (x is not None and own1) else None
            kf, why = karp_flatt(ss, p, group.compute_kind, group.work_class)
            rows.append(SpeedupRow(s, p, case, sp, ss, kf, why))
    return rows


@dataclass
class OverheadRow:
    strategy: str
    case: Case  # at 1 core, 1 worker
    ratio: Interval | None  # strategy / baseline
    point: float | None  # median ratio (also without an interval)

    @property
    def overhead(self) -> float | None:
        return None if self.point is None else 1.0 - self.point


def overhead_rows(group: Group) -> tuple[list[OverheadRow], str | None, str | None]:
    """(rows, baseline name or None, reason). Rows for every throughput
    strategy other than the baseline that has a 1-core 1-worker result."""
    base_name, reason = group.baseline
    if not base_name:
        return [], None, reason
    base = group.cases.get((base_name, 1, 1))
    if base is None or base.median is None:
        return [], base_name, f"the baseline {base_name} has no 1-core 1-worker result"
    rows = []
    for s in group.throughput_strategies:
        case = group.cases.get((s, 1, 1))
        if s == base_name or case is None or case.median is None:
            continue
        ok = [x for x in case.samples if not x.error]
        iv = ratio_ci(ok, [x for x in base.samples if not x.error], f"overhead:{group.title}:{group.host}:{s}")
        rows.append(OverheadRow(s, case, iv, iv.estimate if iv else case.median / base.median))
    return rows, base_name, None


def flagged(group: Group, row: OverheadRow) -> bool:
    """True when the overhead exceeds OVERHEAD_FLAG on a compute kind."""
    return group.compute_kind and row.overhead is not None and row.overhead > OVERHEAD_FLAG


def unexplained(group: Group, row: OverheadRow) -> bool:
    """Flagged, and the strategy's metadata names no reason for the overhead."""
    return flagged(group, row) and not group.overhead_reason(row.strategy)
