"""Per-group report tables with derived figures: latency cases, speedup vs
the fixed baseline, 1-worker overhead, and the CI ranking (mixed into
build.ReportBuilder)."""
from __future__ import annotations

from . import derived, fmt, summary
from .analysis import Group
from .cells import status_cell, throughput_cell
from .ci import MIN_REPS, median_ci
from .document import Cell, CellValue, Document, Heading, Para, Table
from .verdict import Decision


class GroupTables:
    """Needs self.band and sets self._superlinear (the notes add a footnote)."""

    band: float  # the tie band of the winner rule
    _superlinear: bool  # an efficiency above 100% was shown

    def _latency(self, doc: Document, g: Group, sub: int) -> None:
        names = g.latency_strategies
        if not names:
            return
        doc.add(Heading(sub, "Latency cases (round trip; not ranked against throughput)"))
        rows: list[list[CellValue]] = []
        for s in names:
            for c in sorted((c for c in g.cases.values() if c.strategy == s), key=lambda c: (c.cores, c.workers)):
                if c.error:
                    rows.append([s, str(c.cores), str(c.workers), Cell("**ERROR**", "error"), "", "", ""])
                    continue
                p50, p99 = c.metric_median("latency_p50_us"), c.metric_median("latency_p99_us")
                rows.append(
                    [
                        s,
                        str(c.cores),
                        str(c.workers),
                        throughput_cell(c),
                        f"{p50:.2f}" if p50 is not None else "n/a",
                        f"{p99:.2f}" if p99 is not None else "n/a",
                        status_cell(g.checked_status(s)),
                    ]
                )
        doc.add(
            Table(
                ["strategy", "cores", "workers", f"{g.unit}", "round trip p50 (us)", "p99 (us)", "answer"],
                rows,
                "latency-role strategies (strategy metadata) do different work from the throughput "
                "strategies, so they are reported here and left out of rankings and speedups",
            )
        )

    def _speedup(self, doc: Document, g: Group, sub: int) -> None:
        base, source = g.baseline
        base_case = g.main(base, 1) if base else None
        doc.add(Heading(sub, "Speedup and efficiency"))
        base_median = base_case.median if base_case is not None else None
        have_base = base_median is not None
        if have_base:
            doc.add(
                Para(
                    f"Baseline: **{base}** at 1 core, {fmt.si(base_median)} {g.unit} ({source}); the "
                    "same named strategy in every run."
                )
            )
        else:
            doc.add(
                Para(
                    f"No baseline speedup: {source if not base else f'{base} has no 1-core result'}. "
                    "Self speedups only."
                )
            )
        rows: list[list[CellValue]] = []
        for r in derived.speedup_rows(g):
            if r.case.error:
                rows.append([r.strategy, str(r.cores), Cell("**ERROR**", "error"), *[""] * (6 if have_base else 4)])
                continue
            kf = (
                Cell(fmt.num(r.kf))
                if r.kf is not None
                else Cell("—" if r.kf_reason == "1 core" else (r.kf_reason or ""))
            )
            cells: list[CellValue] = [r.strategy, str(r.cores), fmt.si(r.case.median)]
            if have_base:
                cells += [fmt.ratio(r.speedup), self._eff(r.efficiency)]
            cells += [fmt.ratio(r.self_speedup), self._eff(r.self_efficiency), kf]
            rows.append(cells)
        headers = (
            ["strategy", "cores", g.unit]
            + ([f"speedup vs {base}@1", "efficiency"] if have_base else [])
            + ["self speedup", "self efficiency", "Karp-Flatt e"]
        )
        doc.add(
            Table(
                headers,
                rows,
                "Karp-Flatt only where defined: a compute kind and 1 <= S <= p " "(S = self speedup, p = cores)",
            )
        )

    def _eff(self, e: float | None) -> Cell:
        if e is None:
            return Cell("n/a")
        if e > 1.0 + 1e-9:
            self._superlinear = True
            return Cell(f"{fmt.pct(e)} superlinear¹", "warn")
        return Cell(fmt.pct(e))

    def _overhead(self, doc: Document, g: Group, sub: int) -> None:
        rows, base, reason = derived.overhead_rows(g)
        doc.add(Heading(sub, "1-worker overhead"))
        if not rows:
            doc.add(Para(f"Not computed: {reason or 'no other strategy has a 1-core 1-worker result'}."))
            return
        table: list[list[CellValue]] = []
        for r in rows:
            iv = r.ratio
            ci = f"[{fmt.ratio(iv.lo)}, {fmt.ratio(iv.hi)}]" if iv else f"n/a (< {MIN_REPS} repetitions)"
            flag = derived.flagged(g, r)
            why = g.overhead_reason(r.strategy)
            if flag and why:
                note = Cell(f"over {derived.OVERHEAD_FLAG:.0%}, expected: {why}")
            elif flag:
                note = Cell(f"⚠ over {derived.OVERHEAD_FLAG:.0%}, unexplained", "warn")
            else:
                note = Cell("ok" if g.compute_kind else "not a compute kind: not flagged")
            table.append([r.strategy, fmt.si(r.case.median), fmt.ratio(r.point), ci, fmt.pct(r.overhead), note])
        doc.add(
            Table(
                ["strategy", f"1 worker, 1 core ({g.unit})", f"vs {base}", "95% CI", "overhead", "flag"],
                table,
                f"the cost of a strategy's machinery alone: its 1-worker throughput against the baseline "
                f"{base} in the same run; flagged above {derived.OVERHEAD_FLAG:.0%} on a compute kind",
            )
        )

    def _ranking(self, doc: Document, g: Group, sub: int) -> None:
        doc.add(Heading(sub, "Ranking per core count"))
        rows: list[list[CellValue]] = []
        for p in g.cores:
            d = summary.decision(g, p, self.band)
            for s_name in g.throughput_strategies:
                c = g.main(s_name, p)
                if c is not None and c.error:
                    rows.append([str(p), c.strategy, Cell("**ERROR**", "error"), "", "", ""])
            medians = {s: m for s in g.throughput_strategies if (m := g.median(s, p)) is not None}
            for s_name in sorted(medians, key=lambda s: -medians[s]):
                rows.append(_ranking_row(g, p, s_name, d))
        doc.add(
            Table(
                ["cores", "strategy", g.unit, "95% CI of the median", "top / this (95% CI)", "verdict"],
                rows,
                f"CIs: of the median by bootstrap (95%); of top / this, paired by round by Student's t, "
                f"simultaneous 95% over the top's rivals (Bonferroni), Rust originals at 95% (docs/method.md); "
                f"tie band ±{self.band:.0%}",
            )
        )


def _ranking_row(g: Group, p: int, s_name: str, d: Decision) -> list[CellValue]:
    """One strategy with data at ``p`` cores: median, its CI, margin and verdict against the top."""
    c = g.main(s_name, p)
    assert c is not None and c.summary is not None  # the caller took strategies with a median
    mci = median_ci(c.values, f"{g.host}:{g.title}:{s_name}:{p}")
    ci = f"[{fmt.si(mci.lo)}, {fmt.si(mci.hi)}]" if mci else f"n/a (< {MIN_REPS} reps)"
    if s_name == d.top:
        margin = "—"
        if d.winner:
            verdict = "winner"
        else:
            verdict = "only one" if not d.margins and not d.unknown else "top, tied"
    elif s_name in d.yardsticks:
        yard = d.yardsticks[s_name]
        margin = "n/a" if yard is None else f"{fmt.ratio(yard.estimate)} [{fmt.ratio(yard.lo)}, {fmt.ratio(yard.hi)}]"
        if yard is not None and yard.paired:
            margin += " paired"
        verdict = "Rust original: a yardstick, not ranked"
    elif s_name in d.unknown:
        verdict, margin = "too few repetitions", "n/a"
    else:
        iv = d.margins[s_name]
        margin = f"{fmt.ratio(iv.estimate)} [{fmt.ratio(iv.lo)}, {fmt.ratio(iv.hi)}]" + (" paired" if iv.paired else "")
        behind = fmt.pct(1 - 1 / iv.estimate)
        verdict = "tied with the top" if s_name in d.tied else f"slower ({behind} behind)"
    noise = c.summary.noise_label
    return [
        str(p),
        s_name,
        fmt.si(c.median),
        ci,
        margin,
        Cell(f"{verdict} ⚠ {noise}", "warn") if noise else Cell(verdict),
    ]
