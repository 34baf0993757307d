"""Summary statistics over repetitions and the noise flag (verdicts use the
bootstrap intervals of ci.py).

Noise flag (documented in every report's notes):

- *high CV*: the coefficient of variation (sample standard deviation / mean)
  of the per-repetition values is above ``NOISE_CV`` (5 %).
- *bimodal*: with at least 4 repetitions, sort the values and take the
  largest gap between neighbours. It splits them into a lower and an upper
  cluster. The result is bimodal when each cluster has at least 2 members,
  the gap is more than ``GAP_FACTOR`` (3) times the wider cluster's range,
  and the gap is more than ``GAP_MIN_REL`` (3 %) of the median.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

NOISE_CV = 0.05
GAP_FACTOR = 3.0
GAP_MIN_REL = 0.03
MIN_BIMODAL_N = 4

NOISE_RULE = (
    f"A result is flagged **noisy** when the coefficient of variation over its repetitions "
    f"is above {NOISE_CV:.0%}, or **bimodal** when (with at least {MIN_BIMODAL_N} repetitions) "
    f"the largest gap between neighbouring sorted values splits them into two clusters of at "
    f"least 2 values each, the gap being more than {GAP_FACTOR:g}x the wider cluster's range "
    f"and more than {GAP_MIN_REL:.0%} of the median."
)


@dataclass
class Summary:
    """Per-case summary of the per-repetition values."""

    n: int
    median: float
    low: float  # min over repetitions (error bar)
    high: float  # max over repetitions (error bar)
    mean: float
    cv: float | None  # None with fewer than 2 values
    bimodal: bool

    @property
    def high_cv(self) -> bool:
        return self.cv is not None and self.cv > NOISE_CV

    @property
    def noisy(self) -> bool:
        return self.high_cv or self.bimodal

    @property
    def noise_label(self) -> str:
        """'' when quiet, else e.g. 'bimodal, CV 12.3%'."""
        parts = []
        if self.bimodal:
            parts.append("bimodal")
        if self.high_cv:
            parts.append(f"CV {self.cv:.1%}")
        return ", ".join(parts)


def is_bimodal(values: Iterable[float]) -> bool:
    """The gap test described in the module docstring."""
    xs = sorted(values)
    if len(xs) < MIN_BIMODAL_N:
        return False
    best_gap = -1.0
    split: int | None = None
    for i in range(2, len(xs) - 1):  # both clusters keep >= 2 members
        gap = xs[i] - xs[i - 1]
        if gap > best_gap:
            best_gap, split = gap, i
    # The gap must also be the largest overall, not just among balanced splits.
    if split is None or best_gap < max(b - a for a, b in zip(xs, xs[1:])):
        return False
    lower, upper = xs[:split], xs[split:]
    spread = max(lower[-1] - lower[0], upper[-1] - upper[0])
    median = statistics.median(xs)
    return best_gap > GAP_FACTOR * spread and best_gap > GAP_MIN_REL * abs(median)


def summarize(values: Iterable[float]) -> Summary:
    """Summarise a non-empty list of numbers."""
    xs = [float(v) for v in values]
    if not xs:
        raise ValueError("summarize needs at least one value")
    mean = statistics.fmean(xs)
    cv = None
    if len(xs) >= 2 and mean != 0:
        cv = statistics.stdev(xs) / abs(mean)
    return Summary(len(xs), statistics.median(xs), min(xs), max(xs), mean, cv, is_bimodal(xs))
