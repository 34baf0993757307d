"""Simulated false-alarm rate and power of the compare verdicts.

A model of the machine: every round is in a near or a far state (each with
probability 1/2; a far round scales every case by ``FAR``), shared by both
sides of a paired A/B run; on top, every repetition has its own lognormal
noise of relative size sigma. For each simulated case the verdict of
scripts/compare is computed exactly as on real data (ci + verdict). The
output says, for a given number of rounds and noise, which fraction of A/A
cases is flagged (faster or slower) and which fraction of cases with a real
slowdown is found (slower). docs/method.md quotes its table.

    cd scripts && /usr/bin/python3 -m reporting.calibrate [--rounds 5,8] [--sigma 1,2,3,5] [--cases 300]
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from . import ci, verdict
from .cli_util import OneLineParser

FAR = 0.6


def simulate(
    sigma: float, rounds: int, slowdown: float, threshold: float, paired: bool, cases: int = 300, seed: int = 1
) -> tuple[float, float]:
    """(fraction flagged faster or slower, fraction slower) over ``cases`` simulated cases.

    slowdown: B's true throughput relative to A's (0.9 = 10% slower)."""
    rng = np.random.default_rng(seed)
    flagged = slower = 0
    for i in range(cases):
        state = np.where(rng.random(rounds) < 0.5, 1.0, FAR)
        a = 100.0 * state * np.exp(rng.normal(0.0, sigma, rounds))
        b = 100.0 * slowdown * state * np.exp(rng.normal(0.0, sigma, rounds))
        key = f"sim:{seed}:{i}"
        iv = ci.paired_ratio_ci(list(zip(b, a)), key) if paired else ci.unpaired_ratio_ci(b, a, key)
        v = verdict.classify(iv, threshold)
        flagged += v in ("faster", "slower")
        slower += v == "slower"
    return flagged / cases, slower / cases


def _numbers(text: str, what: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or any(v <= 0 for v in values):
        print(f"calibrate: {what} '{text}' is not a comma-separated list of positive numbers", file=sys.stderr)
        sys.exit(2)
    return values


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(
        prog="calibrate",
        description=(__doc__ or "").split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", default="5,8", help="round counts to simulate (default %(default)s)")
    parser.add_argument("--sigma", default="1,2,3,5", help="per-repetition noise in %% (default %(default)s)")
    parser.add_argument("--cases", type=int, default=300, help="simulated cases per cell (default %(default)s)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    rounds = [int(r) for r in _numbers(args.rounds, "--rounds")]
    sigmas = [s / 100.0 for s in _numbers(args.sigma, "--sigma")]
    if args.cases < 1:
        print("calibrate: --cases must be at least 1", file=sys.stderr)
        return 2
    print(
        "| rounds | noise | paired A/A flagged (3%) | paired 10% slowdown found (3%) | "
        "unpaired A/A flagged (10%) | unpaired 10% slowdown found (10%) |"
    )
    print("|---|---|---|---|---|---|")
    for r in rounds:
        for s in sigmas:
            paa, _ = simulate(s, r, 1.0, 0.03, True, args.cases)
            _, ppw = simulate(s, r, 0.9, 0.03, True, args.cases)
            uaa, _ = simulate(s, r, 1.0, 0.10, False, args.cases)
            _, upw = simulate(s, r, 0.9, 0.10, False, args.cases)
            print(f"| {r} | {s:.0%} | {paa:.1%} | {ppw:.1%} | {uaa:.1%} | {upw:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
