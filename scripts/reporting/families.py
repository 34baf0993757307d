"""The Rust originals (issue #12): the articles' Rust programs, registered as
``rust_*`` strategies with strategy metadata ``"family": "rust"``.

Reports mark them "Rust original" wherever a strategy is named in a table or
a chart legend (:func:`mark`), and :func:`blocks` adds a summary table: per
scenario group and core count, the best C++ throughput strategy's median
over the best Rust original's (> 1: the project's C++ is ahead), with the
95% CI of that ratio (paired by round where the sweep interleaved). The
scenario's baseline (``sequential``, strategy metadata) is left out of "best
C++": it is the reference, not a way of making the work concurrent.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import fmt, meta
from .analysis import Case, Group
from .ci import Interval, ratio_ci
from .document import Block, Cell, CellValue, Heading, Para, Table
from .load import Run

RUST = "rust"
MARK = "Rust original"


def family(run: Run, scenario: str, strategy: str) -> str:
    """'rust' or 'cpp' (metadata; files without the field: by the rust_ prefix)."""
    fam = meta.entry(run, scenario, strategy).get("family")
    if isinstance(fam, str):
        return fam
    return RUST if strategy.startswith("rust_") else "cpp"


def is_rust(run: Run, scenario: str, strategy: str) -> bool:
    return family(run, scenario, strategy) == RUST


def mark(run: Run, scenario: str, strategy: str, label: str | None = None) -> str:
    """``label`` (default: the strategy's name), suffixed " (Rust original)" for a Rust one."""
    label = strategy if label is None else label
    return f"{label} ({MARK})" if is_rust(run, scenario, strategy) else label


def _best(group: Group, cores: int, rust: bool) -> tuple[str, float, Case] | None:
    """(strategy, median, case) of the family's best throughput strategy at ``cores``, or None."""
    best: tuple[str, float, Case] | None = None
    for s in group.throughput_strategies:
        if is_rust(group.run, group.scenario, s) != rust:
            continue
        if meta.entry(group.run, group.scenario, s).get("baseline") is True:
            continue  # the scenario's reference (sequential), not a concurrency strategy
        case = group.main(s, cores)
        if case is None or case.error or case.median is None:
            continue
        if best is None or case.median > best[1]:
            best = (s, case.median, case)
    return best


def _interval(group: Group, cores: int, cpp: tuple[str, float, Case], rust: tuple[str, float, Case]) -> Interval | None:
    """The 95% CI of best C++ / best Rust (paired by round where the sweep
    interleaved), or None without repetitions."""
    a, b = getattr(cpp[2], "samples", None), getattr(rust[2], "samples", None)
    if not a or not b:
        return None
    key = f"{group.host}:{group.title}:{cores}:{cpp[0]}/{rust[0]}"
    return ratio_ci([x for x in a if not x.error], [x for x in b if not x.error], key)


def ratio_cell(group: Group, cores: int) -> Cell:
    """'**1.23x** (cpp_name / rust_name)', or what is missing."""
    cpp, rust = _best(group, cores, False), _best(group, cores, True)
    if rust is None:
        return Cell("no Rust result")
    if cpp is None:
        return Cell("no C++ result")
    r = cpp[1] / rust[1] if rust[1] else None
    iv = _interval(group, cores, cpp, rust)
    if iv is None:
        return Cell(f"**{fmt.ratio(r)}** ({cpp[0]} / {rust[0]})", "good" if r is not None and r >= 1 else "warn")
    # The interval's own estimate (paired: the geometric mean of the per-round
    # ratios), so that the figure always lies inside its interval.
    kind = "good" if iv.lo > 1 else ("warn" if iv.hi < 1 else "")
    text = f"**{fmt.ratio(iv.estimate)}** [{fmt.ratio(iv.lo)}, {fmt.ratio(iv.hi)}] ({cpp[0]} / {rust[0]})"
    return Cell(text, kind)


def blocks(groups: Sequence[Group], all_cores: Sequence[int], multi_host: bool) -> list[Block]:
    """The 'C++ versus the Rust originals' section ([] when no group has a Rust original)."""
    rows: list[list[CellValue]] = []
    for g in groups:
        if not any(is_rust(g.run, g.scenario, s) for s in g.throughput_strategies):
            continue
        label = g.title + (f" @ {g.host}" if multi_host else "")
        rows.append([label, *[ratio_cell(g, p) if p in g.cores else Cell("") for p in all_cores]])
    if not rows:
        return []
    headers = ["scenario"] + [f"{p} core{'s' if p > 1 else ''}" for p in all_cores]
    return [
        Heading(2, "C++ versus the Rust originals"),
        Para(
            f"The {MARK}s are the articles' Rust programs (`rust/`, strategies `rust_*`), run through the same "
            "adapter, sizes and check as the C++ strategies. Each cell: the best C++ throughput strategy's "
            "median (the scenario's baseline, `sequential`, left out) against the best Rust original's (> 1: "
            "C++ ahead): the ratio of the two with its 95% CI (where the sweep interleaved, the geometric mean "
            "of the per-round ratios; green: C++ ahead beyond the noise, amber: behind beyond it), and which two "
            "they are."
        ),
        Table(headers, rows, "best C++ / best Rust original, throughput ratio [95% CI], workers = cores"),
    ]
