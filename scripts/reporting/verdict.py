"""Verdicts from ratio confidence intervals (docs/method.md).

- :func:`classify`: a change new / old against an equivalence threshold t:
  *faster* when the whole CI lies above 1 + t, *slower* when it lies wholly
  below 1 - t, *same* when it lies wholly inside [1 - t, 1 + t], and *noisy*
  otherwise (the interval straddles a threshold: the data cannot tell).
- :func:`decide`: the winner among strategies: the strategy with the highest
  median is the *winner* only when its ratio CI against every other strategy
  lies wholly above 1 + band (the tie band, 3 % by default); otherwise every
  strategy it does not clear is *tied* with it. The k intervals against the
  k rivals are simultaneous 95% intervals (Bonferroni: each at 1 - 5%/k), so
  the whole answer (who is excluded, who is tied) holds at 95%, not each
  exclusion alone. Yardsticks (the Rust originals) are measured against the
  top but never ranked: they are not an option for the report's reader.
- :func:`stability`: how often a rerun would give the same answer, estimated
  by resampling the rounds (docs/method.md, "How stable an answer is").
"""
from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .ci import LEVEL, MIN_REPS, Interval, ratio_ci, seed_for
from .load import Sample

TIE_BAND = 0.03
STABILITY_RESAMPLES = 200


def classify(interval: Interval | None, threshold: float) -> Literal["faster", "slower", "same", "noisy"]:
    """'faster', 'slower', 'same' or 'noisy' ('noisy' also without an interval)."""
    if interval is None:
        return "noisy"
    if interval.lo > 1.0 + threshold:
        return "faster"
    if interval.hi < 1.0 - threshold:
        return "slower"
    if interval.lo >= 1.0 - threshold and interval.hi <= 1.0 + threshold:
        return "same"
    return "noisy"


@dataclass
class Decision:
    """The answer for one group at one core count."""

    top: str | None  # highest median (None: no strategy has data)
    tied: list[str] = field(default_factory=list)  # strategies not cleared by the top one (besides it)
    margins: dict[str, Interval] = field(default_factory=dict)  # strategy -> Interval of top / strategy
    unknown: list[str] = field(default_factory=list)  # too few repetitions for an interval
    yardsticks: dict[str, Interval | None] = field(default_factory=dict)  # yardstick -> top / it (None: too few)
    level: float = LEVEL  # the level of each rival's interval (simultaneous: 1 - (1 - LEVEL) / rivals)

    @property
    def winner(self) -> str | None:
        """The top strategy when it clears every other one, else None."""
        return self.top if self.top and not self.tied and not self.unknown else None

    @property
    def tie_set(self) -> list[str]:
        return [self.top, *self.tied, *self.unknown] if self.top else []

    @property
    def runner_up(self) -> str | None:
        """The strategy with the smallest estimated margin (the closest rival)."""
        if not self.margins:
            return None
        return min(self.margins, key=lambda s: self.margins[s].estimate)

    def label(self) -> str:
        """'A' or 'tie: A, B' or 'only A' or '—'."""
        if self.top is None:
            return "—"
        if not self.margins and not self.unknown:
            return f"only {self.top}"
        if self.winner:
            return self.winner
        return "tie: " + ", ".join(self.tie_set)


def simultaneous_level(rivals: int) -> float:
    """Each of ``rivals`` intervals' level for a 95% (``LEVEL``) family (Bonferroni)."""
    return 1.0 - (1.0 - LEVEL) / max(1, rivals)


def decide(
    cases: Mapping[str, Sequence[Sample]], key: str, band: float = TIE_BAND, yardsticks: Collection[str] = ()
) -> Decision:
    """cases: strategy -> list of load.Sample (failed cases left out);
    ``yardsticks``: names among them that are measured but never ranked."""
    rulers = {s: v for s, v in cases.items() if s in yardsticks}
    cases = {s: v for s, v in cases.items() if s not in yardsticks}
    medians: dict[str, float] = {}
    for s, samples in cases.items():
        vals = sorted(x.throughput for x in samples if x.throughput is not None)
        if vals:
            n = len(vals)
            medians[s] = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
    if not medians:
        return Decision(None)
    top = max(sorted(medians), key=lambda s: medians[s])
    d = Decision(top, level=simultaneous_level(len(medians) - 1))
    for s in sorted(rulers):
        d.yardsticks[s] = ratio_ci(cases[top], rulers[s], f"{key}:{top}/{s}")
    for s in sorted(medians, key=lambda s: -medians[s]):
        if s == top:
            continue
        iv = ratio_ci(cases[top], cases[s], f"{key}:{top}/{s}", level=d.level)
        if iv is None:
            d.unknown.append(s)
            continue
        d.margins[s] = iv
        if iv.lo <= 1.0 + band:
            d.tied.append(s)
    return d


def stability(
    cases: Mapping[str, Sequence[Sample]],
    key: str,
    band: float = TIE_BAND,
    yardsticks: Collection[str] = (),
    resamples: int = STABILITY_RESAMPLES,
) -> float | None:
    """The share of ``resamples`` round-resampled reruns whose answer (the
    winner, or the tie set as a set) is this one's: each rerun draws as many
    rounds as the run has, with replacement, from the rounds every ranked
    strategy ran in, and decides again (the bootstrap of the whole decision).
    Seeded from ``key``. None when the strategies share fewer than MIN_REPS
    rounds (an unpaired run) or only one strategy is ranked."""
    ranked = {s: v for s, v in cases.items() if s not in yardsticks}
    if len(ranked) < 2:
        return None
    rounds_of = {s: {x.round: x for x in v if x.round is not None and x.throughput} for s, v in ranked.items()}
    common = sorted(set.intersection(*(set(r) for r in rounds_of.values())))
    if len(common) < MIN_REPS:
        return None
    answer = set(decide(ranked, key, band).tie_set)
    rng = np.random.default_rng(seed_for("stability:" + key))
    same = 0
    for _ in range(resamples):
        drawn = [common[i] for i in rng.integers(0, len(common), size=len(common))]
        rerun = {s: [dataclasses.replace(rounds_of[s][r], round=k) for k, r in enumerate(drawn)] for s in ranked}
        same += set(decide(rerun, key, band).tie_set) == answer
    return same / resamples
