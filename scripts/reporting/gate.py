"""The exit-status gate of scripts/compare: which *slower* cases fail it.

A comparison tests every case at once; at 95% per case, a build compared
with itself over 178 cases still shows a few cases whose interval lies
wholly past the threshold (an A/A run of issue #11 showed 2). Those keep
their *slower* verdict in the table, but the gate (the exit status) asks
more of a paired case: its one-sided p-value for "new / old is at least
1 - threshold" (ci.Interval.p_below, the same Student's t as its interval)
must survive Holm's step-down correction over all the paired cases
compared, at a family-wise level of ``FAMILY_ALPHA`` (the one-sided error
of a 95% interval). Holm: sort the m p-values, reject the i-th smallest
while p_(i) <= alpha / (m - i + 1), stop at the first that is not.

Unpaired intervals (bootstrap) have no p-value: an unpaired slower case
fails the gate as before; the wider 10% default threshold is its guard.
A case that newly fails (ERROR) always fails the gate.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compare import CompareRow

FAMILY_ALPHA = 0.025


def holm_rejections(p_values: Mapping[Hashable, float], alpha: float = FAMILY_ALPHA) -> set[Hashable]:
    """The keys whose p-values Holm's step-down procedure rejects at ``alpha``."""
    ordered = sorted(p_values.items(), key=lambda kv: kv[1])
    m, out = len(ordered), set()
    for i, (key, p) in enumerate(ordered):
        if p > alpha / (m - i):
            break
        out.add(key)
    return out


def gate(rows: Sequence[CompareRow], threshold: float) -> tuple[set[Hashable], str]:
    """(failing keys, note) over compare rows (key, change, verdict).

    note: one sentence for the report on what the gate did with the slower cases."""
    p_values: dict[Hashable, float] = {}
    failing: set[Hashable] = set()
    for r in rows:
        p = r.change.p_below(1.0 - threshold) if r.change is not None else None
        if r.verdict == "ERROR":
            failing.add(r.key)
        elif p is not None:
            p_values[r.key] = p
        elif r.verdict == "slower":
            failing.add(r.key)  # unpaired: the interval alone decides
    held = holm_rejections(p_values)
    slower_paired = [r.key for r in rows if r.verdict == "slower" and r.key in p_values]
    failing |= {k for k in slower_paired if k in held}
    note = ""
    if p_values:
        kept = sum(1 for k in slower_paired if k in held)
        note = (
            f"Gate (exit status): {kept} of the {len(slower_paired)} paired slower cases hold after Holm's "
            f"correction over the {len(p_values)} paired cases compared (family-wise {FAMILY_ALPHA:.1%}, "
            f"one-sided; docs/method.md)."
        )
    return failing, note
