"""Detection power: which detectors ran on a run and which seeded controls
they caught, from the files beside the results:

- races.json ``controls``: ``{"<scenario>/racy": {"flagged": k, "tries": n}}``
  (ThreadSanitizer; caught when flagged > 0);
- detectors.json ``controls``: ``[{"name", "detector", "caught", "detail"}]``
  (``harness detectors --json_out``), with ``not_built``: controls this
  build does not have;
- explore.json (``harness explore --out``): ``controls`` (an object keyed by
  name, or a list of objects with ``name``) whose entries say ``found`` (or
  ``caught``) and ``runs``, and ``strategies`` with per-strategy
  ``failures`` and ``runs``. Another layout is reported as unrecognised, not
  guessed at.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .load import JSONObject, Run


@dataclass
class Control:
    name: str
    detector: str
    caught: bool
    source: str  # the file it came from
    detail: str = ""


def _runs(entry: JSONObject) -> str:
    """'1000 runs' from an explore.json entry's 'runs' (or 'schedules'), else ''."""
    for key in ("runs", "schedules"):
        v = entry.get(key)
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v} {key}"
    return ""


def _entries(value: Any) -> list[tuple[str, JSONObject]] | None:
    """[(name, dict)] from a list of {'name': ...} or an object keyed by name."""
    if isinstance(value, dict):
        return [(k, v) for k, v in sorted(value.items()) if isinstance(v, dict)]
    if isinstance(value, list):
        return [(v["name"], v) for v in value if isinstance(v, dict) and isinstance(v.get("name"), str)]
    return None


def controls(run: Run) -> tuple[list[Control], list[str]]:
    """(list of Control, notes) for one run."""
    out: list[Control] = []
    notes: list[str] = []
    for c in (run.detectors or {}).get("controls", []):
        detail = c.get("detail") if isinstance(c.get("detail"), str) else ""
        out.append(Control(c["name"], str(c.get("detector") or "?"), c["caught"], "detectors.json", detail))
    not_built = (run.detectors or {}).get("not_built")
    if isinstance(not_built, list) and not_built:
        notes.append(
            f"{run.host}: controls not built into this build (not counted): " + ", ".join(str(n) for n in not_built)
        )
    for name, entry in sorted(((run.races or {}).get("controls") or {}).items()):
        if isinstance(entry, dict):
            flagged, tries = entry.get("flagged"), entry.get("tries")
            caught = isinstance(flagged, int) and flagged > 0
            detail = f"{flagged} of {tries} tries flagged"
            same = [c for c in out if c.name == name and c.detector == "tsan"]
            if same:  # also in detectors.json: one row, with the races.json detail
                same[0].detail, same[0].source = detail, same[0].source + " + races.json"
            else:
                out.append(Control(name, "tsan", caught, "races.json", detail))
    if run.explore is not None:
        entries = _entries(run.explore.get("controls")) if isinstance(run.explore, dict) else None
        if entries is None:
            notes.append(f"{run.host}: explore.json has no recognisable 'controls'; not shown")
        else:
            for name, entry in entries:
                found = entry.get("found", entry.get("caught"))
                if not isinstance(found, bool):
                    continue
                extra = _runs(entry)
                same = [c for c in out if c.name == name and c.detector == "explore"]
                if same:  # also in detectors.json: one row, with explore's detail added
                    same[0].detail = "; ".join(x for x in (same[0].detail, extra) if x)
                    same[0].source += " + explore.json"
                else:
                    out.append(Control(name, "explore", found, "explore.json", extra))
    return out, notes


def explored_strategies(run: Run) -> list[tuple[str, int, str]]:
    """[(strategy, failures, detail)] from explore.json 'strategies' (empty when absent)."""
    if not isinstance(run.explore, dict):
        return []
    entries = _entries(run.explore.get("strategies")) or []
    rows = []
    for name, entry in entries:
        failures = entry.get("failures")
        if isinstance(failures, int) and not isinstance(failures, bool):
            rows.append((name, failures, _runs(entry)))
    return rows


def scenario_controls(run: Run, scenario: str) -> list[Control]:
    """The controls named '<scenario>/...'."""
    return [c for c in controls(run)[0] if c.name.startswith(scenario + "/")]


def tsan_counts(run: Run) -> dict[str, int]:
    """verdict -> count over races.json strategies ({} when TSan did not run)."""
    counts: dict[str, int] = {}
    for entry in ((run.races or {}).get("strategies") or {}).values():
        counts[entry["verdict"]] = counts.get(entry["verdict"], 0) + 1
    return counts
