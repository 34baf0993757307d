"""Parse the harness's benchmark names.

Scheme (docs/results-format.md)::

    <scenario>/<strategy>/<param>:<value>/.../workers:<n>[/process_time][/manual_time|/real_time]

Parameters keep their declared order; ``workers`` is always last.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: A case's non-worker parameters: ((name, value), ...) in declared order.
Params = tuple[tuple[str, str], ...]

_SUFFIXES = ("manual_time", "real_time", "process_time")
_WORD = re.compile(r"^[A-Za-z0-9_.+-]+$")


@dataclass(frozen=True)
class CaseName:
    """One parsed benchmark name."""

    scenario: str
    strategy: str
    params: Params  # in declared order, without workers
    workers: int

    @property
    def params_label(self) -> str:
        """``kind:add2/elements:1000`` (empty string when there are none)."""
        return "/".join(f"{k}:{v}" for k, v in self.params)

    def param(self, key: str, default: str | None = None) -> str | None:
        """The value of parameter ``key`` (a string) or ``default``."""
        for k, v in self.params:
            if k == key:
                return v
        return default


def parse_name(name: str) -> CaseName:
    """Parse ``name``; raise ValueError saying what is wrong."""
    if not isinstance(name, str) or not name:
        raise ValueError("empty benchmark name")
    parts = name.split("/")
    while parts and parts[-1] in _SUFFIXES:  # e.g. /process_time/manual_time
        parts = parts[:-1]
    if len(parts) < 3:
        raise ValueError(f"benchmark name '{name}' is not scenario/strategy/.../workers:<n>")
    scenario, strategy, rest = parts[0], parts[1], parts[2:]
    for word in (scenario, strategy):
        if not _WORD.match(word) or ":" in word:
            raise ValueError(f"benchmark name '{name}' has a bad scenario or strategy '{word}'")
    params: list[tuple[str, str]] = []
    for part in rest:
        key, sep, value = part.partition(":")
        if not sep or not key or not value:
            raise ValueError(f"benchmark name '{name}': '{part}' is not <param>:<value>")
        params.append((key, value))
    if params[-1][0] != "workers":
        raise ValueError(f"benchmark name '{name}' does not end in workers:<n>")
    try:
        workers = int(params[-1][1])
    except ValueError:
        raise ValueError(f"benchmark name '{name}': workers '{params[-1][1]}' is not an integer") from None
    if workers < 1:
        raise ValueError(f"benchmark name '{name}': workers must be >= 1")
    return CaseName(scenario, strategy, tuple(params[:-1]), workers)
