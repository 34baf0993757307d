"""Generated throughput series for the detection tests.

A series has ``points`` points (commits); each point is one run of
``reps`` repetitions, as a sweep records them. The repetitions' noise is
relative, with a coefficient of variation of 3-8 %: Gaussian, or bimodal
like this machine's two inter-core states (interleaved rounds sample both:
each repetition is, with probability ``far_share``, in a far state ``gap``
below the near one, with Gaussian noise around each state; the parameters
put the overall CV in the same 3-8 % range). On top, each run has its own
level (Gaussian, CV ``run_cv``): runs of one commit differ by more than
their repetitions suggest. Half of the series (the odd ones) get one 10 %
step, a slowdown or a speedup, at a random point at least ``margin`` points
from either end. ``reps=1`` gives one value per point.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POINTS = 60
REPS = 5
RUN_CV = 0.01
STEP = 0.10


@dataclass
class Series:
    values: np.ndarray  # (points, reps)
    step_at: int | None  # index of the first point at the new level
    cv: float  # the repetitions' coefficient of variation
    bimodal: bool

    def groups(self) -> list:
        return [list(row) for row in self.values]


def _noise(rng, cv, bimodal, shape):
    if not bimodal:
        return rng.normal(0.0, cv, shape)
    far_share = rng.uniform(0.2, 0.5)
    gap_part = rng.uniform(0.5, 0.85)  # the share of the variance that the gap carries
    gap = np.sqrt(gap_part * cv * cv / (far_share * (1 - far_share)))
    within = np.sqrt((1 - gap_part) * cv * cv)
    far = rng.random(shape) < far_share
    return rng.normal(0.0, within, shape) - gap * far + gap * far_share


def generate(
    count: int = 200, points: int = POINTS, reps: int = REPS, run_cv: float = RUN_CV, seed: int = 18, margin: int = 3
) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        cv = rng.uniform(0.03, 0.08)
        bimodal = i % 4 >= 2
        noise = _noise(rng, cv, bimodal, (points, reps))
        level = np.ones(points) * (1.0 + rng.normal(0.0, run_cv, points))
        step_at = None
        if i % 2 == 1:
            step_at = int(rng.integers(margin, points - margin + 1))
            level[step_at:] *= 1.0 - STEP if rng.random() < 0.5 else 1.0 + STEP
        values = 1e6 * level[:, None] * (1.0 + noise)
        out.append(Series(values, step_at, cv, bimodal))
    return out
