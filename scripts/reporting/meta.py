"""Strategy metadata: the fixed baseline, ignored parameters and role.

The harness writes it into every cores-<n>.json context as
``harness_strategies``, a JSON string encoding::

    {"<scenario>/<strategy>": {"ignores": ["workers", ...],
                               "role": "throughput" | "latency",
                               "baseline": true | false,
                               "overhead_reason": "<why its 1-worker overhead is expected>" | "",
                               "kinds": {"param": "kind" | "",
                                         "classes": {"<value>" | "*": "compute" | "wait" | "communication"}}}}

Runs written before that field existed have none; then the baseline is
``sequential`` where the scenario has one (the scenario READMEs name it),
nothing is known to ignore a parameter, every strategy is a throughput
strategy, and :func:`missing_note` says so in the report.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .load import Run
from .names import Params

FALLBACK_BASELINE = "sequential"


def entry(run: Run, scenario: str, strategy: str) -> dict[str, Any]:
    """The metadata of one strategy ({} when unknown)."""
    return run.strategy_meta.get(f"{scenario}/{strategy}", {})


def has_meta(run: Run) -> bool:
    return bool(run.strategy_meta)


def baseline(run: Run, scenario: str, strategies: Sequence[str]) -> tuple[str | None, str]:
    """(strategy, source) of the scenario's fixed baseline, or (None, reason).

    source says where it came from: 'metadata' or 'fallback: sequential'."""
    marked = sorted(s for s in strategies if entry(run, scenario, s).get("baseline") is True)
    if marked:
        return marked[0], "metadata"
    if has_meta(run):
        named = sorted(
            k.split("/", 1)[1]
            for k, v in run.strategy_meta.items()
            if k.startswith(scenario + "/") and v.get("baseline") is True
        )
        if named:  # named, but it did not run (or failed) in this group
            return None, f"baseline {named[0]} has no result here"
    if FALLBACK_BASELINE in strategies:
        return FALLBACK_BASELINE, f"fallback: {FALLBACK_BASELINE}"
    return None, "no baseline strategy named for this scenario"


def ignores(run: Run, scenario: str, strategy: str, param: str) -> bool:
    """True when the strategy's metadata says it ignores ``param``."""
    return param in list(entry(run, scenario, strategy).get("ignores", []))


def role(run: Run, scenario: str, strategy: str) -> str:
    """'throughput' (ranked) or 'latency' (reported as round trip, never ranked)."""
    return str(entry(run, scenario, strategy).get("role", "throughput"))


def overhead_reason(run: Run, scenario: str, strategy: str) -> str:
    """Why the strategy's 1-worker overhead is expected (its machinery is what
    it measures), or "" when the metadata names no cause."""
    reason = entry(run, scenario, strategy).get("overhead_reason", "")
    return reason if isinstance(reason, str) else ""


def work_class(run: Run, scenario: str, strategies: Iterable[str], params: Params) -> str | None:
    """'compute', 'wait' or 'communication' for a group of cases (its scenario
    and non-worker params) from the first strategy whose metadata has
    ``kinds``; None when no metadata says."""
    for s in strategies:
        kinds = entry(run, scenario, s).get("kinds")
        if not isinstance(kinds, dict) or not isinstance(kinds.get("classes"), dict):
            continue
        classes, param = kinds["classes"], kinds.get("param") or ""
        value = dict(params).get(param) if param else "*"
        cls = classes.get(value) if value is not None else None
        if isinstance(cls, str):
            return cls
    return None


def missing_note(run: Run) -> str | None:
    """A one-line note when the run has no strategy metadata."""
    if has_meta(run):
        return None
    return (
        f"{run.host}: no strategy metadata (context 'harness_strategies'): baseline is "
        f"'{FALLBACK_BASELINE}' where a scenario has one, no strategy is known to ignore a parameter, "
        "and every strategy is ranked as a throughput strategy."
    )
