"""Report sections about a whole run: the machine-state probe and detection
power (mixed into build.ReportBuilder)."""
from __future__ import annotations

from . import charts, detection, fmt, probe
from .analysis import Group
from .document import Alert, Cell, CellValue, Chart, Document, Heading, Para, Table
from .load import Run

STATE_EFFECT = 0.03  # per-state medians differing by more than this: the result depends on the state
MAX_STRADDLE_ROWS = 20


def _short(text: str, limit: int = 140) -> str:
    """One table line: the text cut at ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RunSections:
    """Needs self.runs, self.groups, self.probes, self.svg, self.multi_host, self._chart_id."""

    runs: list[Run]
    groups: list[Group]
    probes: dict[str, probe.RunProbe | None]  # host -> its run's probe summary
    svg: bool  # draw the charts
    multi_host: bool

    def _chart_id(self, stem: str) -> str:
        raise NotImplementedError  # build.ReportBuilder numbers the charts

    def _state_dependent(self) -> list[probe.Straddle]:
        """Results whose repetitions straddle probe states with medians > STATE_EFFECT apart."""
        out: list[probe.Straddle] = []
        for g in self.groups:
            out += [
                x
                for x in probe.straddling(g, self.probes[g.host])
                if abs(x.far_median / x.near_median - 1) > STATE_EFFECT
            ]
        return out

    def _machine_state(self, doc: Document) -> None:
        doc.add(Heading(2, "Machine state"))
        rows: list[list[CellValue]] = []
        straddles: list[probe.Straddle] = []
        for r in self.runs:
            rp = self.probes[r.host]
            if rp is None:
                rows.append([r.host, "not measured", "", "", "", "", "", "", ""])
                continue
            q = rp.quantiles()
            steal = f"{max(rp.steal_ms):.1f}" if rp.steal_ms else "n/a"
            irq = f"{max(rp.irq_ms):.1f}" if rp.irq_ms else "n/a"
            state = Cell(f"⚠ bimodal (split at {rp.split:.0f} ns)", "warn") if rp.bimodal else Cell("one state")
            count = str(len(rp.values)) + (f" (+{rp.preempted} preempted)" if rp.preempted else "")
            rows.append(
                [
                    r.host,
                    count,
                    *[f"{q[k]:.0f}" for k in ("min", "p10", "median", "p90", "max")],
                    state,
                    f"{steal} / {irq}",
                ]
            )
            for g in self.groups:
                if g.host == r.host:
                    straddles += probe.straddling(g, rp)
        doc.add(
            Para(
                "Before and after every repetition the sweep measures an inter-core round trip on the pinned "
                "CPUs, and the steal and irq time from /proc/stat. A bimodal round trip means the machine "
                "flipped between a near and a far state during the run. Probes over "
                f"{probe.PREEMPTED_FACTOR:g}x the run's median (the probe thread was descheduled) are counted "
                "as preempted and left out."
            )
        )
        doc.add(
            Table(
                [
                    "run",
                    "probes",
                    "min (ns)",
                    "p10",
                    "median",
                    "p90",
                    "max",
                    "round-trip states",
                    "max steal / irq per repetition (ms)",
                ],
                rows,
            )
        )
        if self.svg:
            for r in self.runs:
                rp = self.probes[r.host]
                if rp is not None:
                    doc.add(
                        Chart(
                            charts.probe_chart(
                                self._chart_id("probe"), f"{r.host}: machine-state probe", rp.values, rp.split
                            ),
                            f"{r.host}: distribution of the inter-core round trip",
                        )
                    )
        shown = [x for x in straddles if abs(x.far_median / x.near_median - 1) > STATE_EFFECT]
        if straddles:
            doc.add(
                Para(
                    f"{len(straddles)} result{'s' if len(straddles) > 1 else ''} straddle machine states "
                    "(repetitions in both; an interleaved sweep spreads every case over the states on "
                    f"purpose); {len(shown)} of them differ by more than {STATE_EFFECT:.0%} between the "
                    "states."
                )
            )
        if shown:
            doc.add(
                Alert(
                    "warning",
                    f"**{len(shown)} result{'s' if len(shown) > 1 else ''} depend on the machine "
                    "state**: the median mixes two machines; compare like states (per-state "
                    "medians below, a stratified view) or compare paired by round.",
                )
            )
            more = len(shown) - MAX_STRADDLE_ROWS
            straddles = shown[:MAX_STRADDLE_ROWS]
            doc.add(
                Table(
                    ["case", "cores", "near: reps, median", "far: reps, median", "far / near"],
                    [
                        [
                            f"{x.group.title}: {x.case.strategy} workers:{x.case.workers}"
                            + (f" @ {x.group.host}" if self.multi_host else ""),
                            str(x.case.cores),
                            f"{len(x.near)}, {fmt.si(x.near_median)}",
                            f"{len(x.far)}, {fmt.si(x.far_median)}",
                            fmt.ratio(x.far_median / x.near_median),
                        ]
                        for x in straddles
                    ],
                )
            )
            if more > 0:
                doc.add(Para(f"... and {more} more (results.csv has every repetition)."))

    def _detection(self, doc: Document) -> None:
        doc.add(Heading(2, "Detection power"))
        doc.add(
            Para(
                "Which detectors ran and whether each caught its seeded control (a test-only bug it must "
                "find); a detector that misses its control cannot vouch for the strategies it passed."
            )
        )
        for r in self.runs:
            if self.multi_host:
                doc.add(Heading(3, r.host))
            cs, notes = detection.controls(r)
            for n in notes:
                doc.add(Alert("info", n))
            counts = detection.tsan_counts(r)
            tsan = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) if counts else "not run (no races.json)"
            doc.add(Para(f"ThreadSanitizer verdicts on the strategies: {tsan}."))
            if not cs:
                doc.add(
                    Para("No detector controls recorded (no races.json controls, detectors.json or " "explore.json).")
                )
            else:
                caught = sum(c.caught for c in cs)
                detectors = sorted({c.detector for c in cs})
                doc.add(Para(f"Detectors that ran: {', '.join(detectors)}. **{caught}/{len(cs)} controls caught.**"))
                doc.add(
                    Table(
                        ["control", "detector", "caught", "detail", "from"],
                        [
                            [
                                c.name,
                                c.detector,
                                Cell("✓ caught", "good") if c.caught else Cell("✗ missed", "error"),
                                _short(c.detail),
                                c.source,
                            ]
                            for c in cs
                        ],
                    )
                )
            explored = detection.explored_strategies(r)
            if explored:
                doc.add(
                    Table(
                        ["strategy (explored)", "failed cases", "detail"],
                        [[n, Cell(str(f), "error" if f else "good"), d] for n, f, d in explored],
                    )
                )
