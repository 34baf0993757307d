"""The report's first screen: the answer per scenario (and kind) and core
count, with its margin and CI, the correctness marks, and a heatmap of every
strategy's throughput relative to the best.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import derived, detection, families, fmt
from .analysis import Group
from .ci import Interval
from .document import Block, Cell, CellValue, Heading, Heatmap, Para, Table
from .load import Sample
from .verdict import Decision, decide, stability

# An answer that fewer round-resampled reruns than this repeat is marked fragile.
FRAGILE_BELOW = 0.9


WINNER_RULE = (
    "**Winner**: the C++ throughput strategy with the highest median, named only when the CI of its "
    "throughput ratio against every other C++ strategy lies wholly above 1 + {band:.0%} (the tie band); "
    "otherwise **tie**: it and every strategy it does not clear. The intervals against its k rivals are "
    "simultaneous 95% intervals (each at 1 - 5%/k, Bonferroni), so the whole answer holds at 95%. Ratios pair "
    "repetitions by round where the sweep was interleaved (same machine state; Student's t interval), else "
    "compare medians (bootstrap). Margin: over the closest rival, with its CI. The Rust originals are not "
    "ranked: see C++ versus the Rust originals. **Fragile**: fewer than {fragile:.0%} of reruns drawn from this run's "
    "rounds (with replacement) give the same answer, so another run may well name another. Method: docs/method.md."
)


def _cases(group: Group, cores: int) -> tuple[dict[str, list[Sample]], list[str]]:
    """(throughput strategy -> its workers = cores samples, the Rust ones among them)."""
    cases: dict[str, list[Sample]] = {}
    for s in group.throughput_strategies:
        case = group.main(s, cores)
        if case is not None and case.median is not None:
            cases[s] = [x for x in case.samples if not x.error]
    return cases, [s for s in cases if families.is_rust(group.run, group.scenario, s)]


def decision(group: Group, cores: int, band: float) -> Decision:
    """verdict.Decision for one group at one core count (throughput strategies
    only). The Rust originals are yardsticks: measured against the top, never
    ranked (the reader chooses among C++ strategies; the "C++ versus the Rust
    originals" section compares the two)."""
    cases, rust = _cases(group, cores)
    return decide(cases, f"{group.host}:{group.title}:{cores}", band, yardsticks=rust)


def answer_stability(group: Group, cores: int, band: float) -> float | None:
    """verdict.stability of the group's answer at ``cores`` (None: too few shared rounds)."""
    cases, rust = _cases(group, cores)
    return stability(cases, f"{group.host}:{group.title}:{cores}", band, yardsticks=rust)


def _margin(iv: Interval) -> str:
    estimate, lo, hi = (fmt.pct(x - 1, signed=True) for x in (iv.estimate, iv.lo, iv.hi))
    return f"{estimate} [{lo}, {hi}]"


def decision_cell(d: Decision) -> Cell:
    """'**A** +12.0% [+8.0%, +15.0%] over B' / 'tie: A, B (...)' / 'only A' / '—'."""
    if d.top is None:
        return Cell("—")
    rival = d.runner_up
    if d.winner:
        if rival is None:
            return Cell(f"only **{d.top}**")
        return Cell(f"**{d.top}** {_margin(d.margins[rival])} over {rival}", "good")
    text = d.label()
    if d.unknown and not d.margins:
        return Cell(f"{text} (too few repetitions for an interval)", "warn")
    if rival is not None:
        text += f" ({d.top} {_margin(d.margins[rival])} over {rival})"
    return Cell(text)


def _with_stability(cell: Cell, share: float | None) -> Cell:
    """Marks an answer that a rerun would often change (verdict.stability)."""
    if share is None or share >= FRAGILE_BELOW:
        return cell
    return Cell(f"{cell.text}; ⚠ fragile: {share:.0%} of reruns agree", "warn")


def _with_failures(cell: Cell, group: Group, cores: int) -> Cell:
    """Append the strategies that failed at this core count (they have no numbers)."""
    failed = [s for s in group.throughput_strategies if (c := group.main(s, cores)) is not None and c.error]
    if not failed:
        return cell
    return Cell(f"{cell.text}; **ERROR**: {', '.join(failed)}", "error")


def _answers(group: Group) -> Cell:
    marks = [group.checked_status(s) for s in group.strategies]
    if any(m == "ERROR" for m in marks):
        return Cell(f"✗ {marks.count('ERROR')} failing", "error")
    if any(m.startswith("partly") for m in marks):
        return Cell("✗ partly checked", "error")
    if all(m == "checked" for m in marks):
        return Cell("✓ checked", "good")
    return Cell("not reported", "warn")


def _tsan(group: Group) -> Cell:
    marks = [group.tsan_status(s) for s in group.strategies]
    flagged = [s for s, m in zip(group.strategies, marks) if m == "flagged"]
    if flagged:
        return Cell("✗ flagged: " + ", ".join(flagged), "error")
    clean = marks.count("clean")
    skipped = sum(m.startswith("skipped") for m in marks)
    if clean == 0:
        return Cell(f"{skipped} skipped" if skipped else "not run", "warn" if skipped else "")
    text = f"✓ {clean} clean" + (f", {skipped} skipped" if skipped else "")
    missing = len(marks) - clean - skipped
    return Cell(text + (f", {missing} not run" if missing else ""), "good" if not (skipped or missing) else "")


def _detectors(group: Group) -> Cell:
    cs, scope = detection.scenario_controls(group.run, group.scenario), ""
    if not cs:  # none named after the scenario: the controls not named after any scenario of the run
        scenarios = {x.case.scenario for x in group.run.samples}
        cs = [c for c in detection.controls(group.run)[0] if c.name.split("/", 1)[0] not in scenarios]
        scope = " (harness-wide)"
    if not cs:
        return Cell("no controls ran")
    caught = sum(c.caught for c in cs)
    return Cell(
        f"{'✓' if caught == len(cs) else '✗'} {caught}/{len(cs)} controls caught{scope}",
        "good" if caught == len(cs) else "error",
    )


def _relative(g: Group, strategy: str, cores: int, best: Decision | None) -> float | None:
    """The strategy's median over the top one's at ``cores`` (None: either has none)."""
    median = g.median(strategy, cores)
    top = g.median(best.top, cores) if best and best.top else None
    return median / top if median is not None and top else None


def blocks(
    groups: Sequence[Group], all_cores: Sequence[int], band: float, multi_host: bool, state_dependent: int = 0
) -> list[Block]:
    """The Summary section."""
    out: list[Block] = [Heading(2, "Summary: which strategy wins")]
    headers = ["scenario"] + [f"{p} core{'s' if p > 1 else ''}" for p in all_cores] + ["answers", "TSan", "detectors"]
    rows: list[list[CellValue]] = []
    heat: list[tuple[str, list[float | None]]] = []
    overheads: list[str] = []
    expected: list[str] = []
    for g in groups:
        if not g.throughput_strategies:
            continue
        label = g.title + (f" @ {g.host}" if multi_host else "")
        ds = {p: decision(g, p, band) for p in all_cores if p in g.cores}
        rows.append(
            [
                label,
                *[
                    (
                        _with_failures(_with_stability(decision_cell(ds[p]), answer_stability(g, p, band)), g, p)
                        if p in ds
                        else Cell("")
                    )
                    for p in all_cores
                ],
                _answers(g),
                _tsan(g),
                _detectors(g),
            ]
        )
        for s in g.throughput_strategies:
            values = [_relative(g, s, p, ds.get(p)) for p in all_cores]
            heat.append((f"{label}: {families.mark(g.run, g.scenario, s)}", values))
        rows_o, _, _ = derived.overhead_rows(g)
        overheads += [f"{label}: {r.strategy} {fmt.pct(r.overhead)}" for r in rows_o if derived.unexplained(g, r)]
        expected += [
            f"{label}: {r.strategy} {fmt.pct(r.overhead)}"
            for r in rows_o
            if derived.flagged(g, r) and not derived.unexplained(g, r)
        ]
    out.append(Table(headers, rows, WINNER_RULE.format(band=band, fragile=FRAGILE_BELOW)))
    if overheads:
        out.append(
            Para(
                f"⚠ **Unexplained 1-worker overhead above {derived.OVERHEAD_FLAG:.0%}** on a compute kind (the cost "
                "of the strategy's machinery alone, against the scenario's baseline; read its ranking "
                "with that in mind): " + "; ".join(overheads) + "."
            )
        )
    if expected:
        out.append(
            Para(
                f"1-worker overhead above {derived.OVERHEAD_FLAG:.0%} that the strategy's machinery "
                "explains (its metadata names the cause; see each scenario's 1-worker overhead table): "
                + "; ".join(expected)
                + "."
            )
        )
    if state_dependent:
        out.append(
            Para(
                f"⚠ **{state_dependent} result{'s' if state_dependent > 1 else ''} depend on the machine "
                "state** (repetitions in both probe states, medians more than 3% apart): see Machine "
                "state. Winners above pair repetitions by round where they can, which cancels the state."
            )
        )
    out.append(Para("**Every strategy relative to the best** of its group at each core count:"))
    out.append(
        Heatmap(
            [f"{p} core{'s' if p > 1 else ''}" for p in all_cores],
            heat,
            "median throughput relative to the best throughput strategy of its scenario group at "
            "that core count (100% = the best)",
        )
    )
    return out
