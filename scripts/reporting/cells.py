"""Table cells shared by the report's builders: throughput with its spread
and noise mark, and the answer / TSan status marks."""
from __future__ import annotations

from . import fmt
from .analysis import Case
from .document import Cell


def throughput_cell(case: Case | None) -> Cell:
    if case is None:
        return Cell("")
    if case.error:
        return Cell("**ERROR**", "error")
    s = case.summary
    if s is None:
        return Cell("no data", "warn")
    text = f"{fmt.si(s.median)} {fmt.spread(s)}".strip()
    if s.noisy:
        return Cell(f"{text} ⚠ {s.noise_label}", "warn")
    return Cell(text)


def status_cell(text: str) -> Cell:
    if text in ("checked", "clean"):
        return Cell(f"✓ {text}", "good")
    if text in ("ERROR", "flagged") or text.startswith("partly"):
        return Cell(f"✗ {text}", "error")
    return Cell(text, "warn" if text.startswith("skipped") else "")
