"""Confidence intervals: of a median, and of a throughput ratio.

Method (docs/method.md): at ``LEVEL`` confidence; medians and unpaired ratios
by the percentile bootstrap with ``RESAMPLES`` resamples, seeded from the
case's name so that the same input always gives the same interval (no
wall-clock or global random state); paired ratios by Student's t.

- :func:`median_ci`: resample the repetitions, take each resample's median.
- :func:`ratio_ci` of two cases A and B (A / B, throughput):

  * *paired by round* when both have round ids and share at least
    ``MIN_REPS`` rounds (an interleaved sweep runs one repetition of every
    case per round, so both saw the same machine state): the per-round
    ratios A_r / B_r; the estimate is their geometric mean, and the interval
    is Student's t interval of the mean log ratio (not a bootstrap: with 5
    to 10 rounds the percentile bootstrap of a mean is too short, its
    coverage well under 95%, which made an A/A comparison of a build with
    itself flag cases). A machine-state change that scales every case of a
    round alike cancels in A_r / B_r.
  * otherwise *unpaired*: median(A) / median(B); the bootstrap resamples
    each side independently (Kalibera & Jones 2013, ratio of two
    independent samples, one level: the repetition).

Fewer than ``MIN_REPS`` values (or rounds) give no interval (None).
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from .load import Sample

LEVEL = 0.95
RESAMPLES = 2000
MIN_REPS = 5  # below this the percentile bootstrap is overconfident (docs/method.md)
BASE_SEED = 20131  # any fixed number; changing it changes the intervals slightly


def seed_for(key: str) -> int:
    """A stable seed for one named computation."""
    return (zlib.crc32(key.encode("utf-8")) ^ BASE_SEED) & 0xFFFFFFFF


def _quantiles(values: npt.NDArray[np.float64], level: float = LEVEL) -> tuple[float, float]:
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(values, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval."""

    estimate: float
    lo: float
    hi: float
    n: int  # repetitions (unpaired: the smaller side) or rounds (paired)
    paired: bool = False
    se_log: float | None = None  # paired: standard error of the mean log ratio (Student's t, n - 1 df)

    def p_below(self, bound: float) -> float | None:
        """Paired intervals: the one-sided p-value of "the ratio is at least
        ``bound``" (small: the ratio lies below it), from the same t
        distribution as the interval; None for a bootstrap interval."""
        if self.se_log is None:
            return None
        if self.se_log == 0:
            return 0.0 if self.estimate < bound else 1.0
        return float(stats.t.cdf((math.log(self.estimate) - math.log(bound)) / self.se_log, self.n - 1))

    @property
    def half_width_rel(self) -> float:
        """Half the interval's width relative to the estimate."""
        return (self.hi - self.lo) / 2.0 / abs(self.estimate) if self.estimate else math.inf


def median_ci(values: Iterable[float], key: str) -> Interval | None:
    """Bootstrap CI of the median of ``values`` (None with < MIN_REPS values)."""
    xs = np.asarray([float(v) for v in values])
    if xs.size < MIN_REPS:
        return None
    rng = np.random.default_rng(seed_for("median:" + key))
    idx = rng.integers(0, xs.size, size=(RESAMPLES, xs.size))
    lo, hi = _quantiles(np.median(xs[idx], axis=1))
    return Interval(float(np.median(xs)), lo, hi, int(xs.size))


def unpaired_ratio_ci(a: Iterable[float], b: Iterable[float], key: str, level: float = LEVEL) -> Interval | None:
    """median(a) / median(b) with a bootstrap CI; each side resampled alone."""
    xa, xb = np.asarray([float(v) for v in a]), np.asarray([float(v) for v in b])
    if xa.size < MIN_REPS or xb.size < MIN_REPS or np.median(xb) <= 0 or np.any(xb <= 0):
        return None
    rng = np.random.default_rng(seed_for("ratio:" + key))
    ma = np.median(xa[rng.integers(0, xa.size, size=(RESAMPLES, xa.size))], axis=1)
    mb = np.median(xb[rng.integers(0, xb.size, size=(RESAMPLES, xb.size))], axis=1)
    lo, hi = _quantiles(ma / mb, level)
    return Interval(float(np.median(xa) / np.median(xb)), lo, hi, int(min(xa.size, xb.size)))


def paired_ratio_ci(pairs: Iterable[tuple[float, float]], key: str, level: float = LEVEL) -> Interval | None:
    """Geometric mean of per-round ratios a_r / b_r with Student's t interval
    of the mean log ratio (at ``level``, n - 1 degrees of freedom).

    pairs: [(a_r, b_r), ...], one per round, all positive. ``key`` names the
    computation (kept for a uniform signature: the interval is exact, no
    resampling)."""
    del key
    arr = np.asarray([(float(x), float(y)) for x, y in pairs])
    if len(arr) < MIN_REPS or np.any(arr <= 0):
        return None
    logs = np.log(arr[:, 0] / arr[:, 1])
    mean = float(logs.mean())
    se = float(logs.std(ddof=1) / math.sqrt(logs.size))
    half = float(stats.t.ppf(0.5 + level / 2.0, logs.size - 1)) * se
    return Interval(
        math.exp(mean), math.exp(mean - half), math.exp(mean + half), int(logs.size), paired=True, se_log=se
    )


def by_round(samples: Iterable[Sample]) -> dict[int, float]:
    """round -> throughput for samples that carry a round id (first per round)."""
    out: dict[int, float] = {}
    for s in samples:
        t = s.throughput
        if s.round is not None and t is not None and t > 0 and s.round not in out:
            out[s.round] = t
    return out


def ratio_ci(
    a_samples: Sequence[Sample], b_samples: Sequence[Sample], key: str, pair: bool = True, level: float = LEVEL
) -> Interval | None:
    """Throughput ratio A / B of two lists of load.Sample: paired by round when
    ``pair`` and both share >= MIN_REPS rounds, else unpaired; at ``level``."""
    if pair:
        ra, rb = by_round(a_samples), by_round(b_samples)
        common = sorted(set(ra) & set(rb))
        if len(common) >= MIN_REPS:
            return paired_ratio_ci([(ra[r], rb[r]) for r in common], key, level)
    va = [s.throughput for s in a_samples if s.throughput is not None]
    vb = [s.throughput for s in b_samples if s.throughput is not None]
    return unpaired_ratio_ci(va, vb, key, level)
