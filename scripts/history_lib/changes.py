"""Change points of one series, as a reader needs them.

E-Divisive with means (edm.py) proposes significant splits; then every
split whose relative magnitude (after / before, medians of the adjacent
segments) is below ``min_magnitude`` is dropped, the smallest first, and the
magnitudes of its neighbours recomputed (as Hunter/Otava prune weak change
points). Each change left carries the commit range it lies in and the
before/after medians with bootstrap CIs over the segments' repetitions.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from reporting import ci

from . import edm

MIN_MAGNITUDE = 0.05


@dataclass
class Change:
    index: int  # first point at the new level
    before: ci.Interval | None  # median of the previous segment's repetitions, with CI
    after: ci.Interval | None
    before_median: float
    after_median: float
    p: float

    @property
    def magnitude(self) -> float:
        """after / before - 1 (throughput: negative is a slowdown)."""
        return self.after_median / self.before_median - 1.0


def _pooled(groups, lo, hi):
    return [v for g in groups[lo:hi] for v in g]


def _interval(values, key):
    return ci.median_ci(values, key)


def find_changes(
    groups,
    key: str,
    min_magnitude: float = MIN_MAGNITUDE,
    alpha: float = edm.ALPHA,
    min_groups: int = edm.MIN_GROUPS,
    blocks=None,
) -> list:
    """Changes of a series of groups (each: the repetitions of one point;
    blocks: per group the sizes of its runs, see edm.change_points)."""
    splits = edm.change_points(groups, key, alpha=alpha, min_groups=min_groups, blocks=blocks)
    idx = [s.index for s in splits]
    pvals = {s.index: s.p for s in splits}

    def magnitudes(cuts):
        bounds = [0] + cuts + [len(groups)]
        out = []
        for i in range(1, len(bounds) - 1):
            b = statistics.median(_pooled(groups, bounds[i - 1], bounds[i]))
            a = statistics.median(_pooled(groups, bounds[i], bounds[i + 1]))
            out.append(abs(a / b - 1.0))
        return out

    while idx:
        mags = magnitudes(idx)
        weakest = min(range(len(idx)), key=lambda i: mags[i])
        if mags[weakest] >= min_magnitude:
            break
        del idx[weakest]
    bounds = [0] + idx + [len(groups)]
    changes = []
    for i in range(1, len(bounds) - 1):
        before = _pooled(groups, bounds[i - 1], bounds[i])
        after = _pooled(groups, bounds[i], bounds[i + 1])
        changes.append(
            Change(
                bounds[i],
                _interval(before, f"{key}@{bounds[i]}:before"),
                _interval(after, f"{key}@{bounds[i]}:after"),
                statistics.median(before),
                statistics.median(after),
                pvals[bounds[i]],
            )
        )
    return changes


@dataclass
class CommitPoint:
    """All runs of one commit in a series, pooled: the unit of detection."""

    commit: str
    dirty: bool
    commit_date: str | None
    run_ids: list
    values: list  # every repetition of every run of the commit
    run_sizes: list  # how many of ``values`` each run contributed, in order
    median: float
    interval: ci.Interval | None  # bootstrap CI of the median (None below ci.MIN_REPS values)
    checked: int | None  # 0 when a run's answers were not all checked
    tsan: str | None


def commit_points(points, key: str) -> list:
    """Merges a series' consecutive runs of the same commit (store.Point, in
    commit order; runs without values are left out)."""
    out: list = []
    for p in points:
        if not p.values:
            continue
        if out and out[-1].commit == p.commit and out[-1].dirty == p.dirty:
            cp = out[-1]
            cp.run_ids.append(p.run_id)
            cp.values.extend(p.values)
            cp.run_sizes.append(len(p.values))
            if p.checked is not None:
                cp.checked = p.checked if cp.checked is None else min(cp.checked, p.checked)
            cp.tsan = p.tsan or cp.tsan
        else:
            out.append(
                CommitPoint(
                    p.commit,
                    p.dirty,
                    p.commit_date,
                    [p.run_id],
                    list(p.values),
                    [len(p.values)],
                    0.0,
                    None,
                    p.checked,
                    p.tsan,
                )
            )
    for cp in out:
        cp.median = statistics.median(cp.values)
        cp.interval = ci.median_ci(cp.values, f"{key}@{cp.commit}")
    return out
