"""Build the report document (renderer-neutral blocks) from loaded runs."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

from . import charts, derived, families, fmt, merge, meta, probe, projection, summary
from .analysis import CPU_KINDS, WAIT_KINDS, Case, Group, KindRow, group_runs, kind_contrast
from .build_group import GroupTables
from .build_run import RunSections
from .cells import status_cell, throughput_cell
from .ci import MIN_REPS
from .document import Alert, Bullets, Cell, CellValue, Chart, Document, Heading, Para, Table, Toc
from .fit import MIN_CORE_COUNTS
from .load import Run
from .names import Params
from .stats import NOISE_RULE
from .verdict import TIE_BAND

BIMODAL_NOTE = (
    "Bimodal results are real on machines whose vCPUs flip between a near and a far state every few "
    "minutes (the repetitions then land in two clusters); the report flags them instead of hiding them. "
    "Read their medians with care and prefer more repetitions."
)


def _ctx(run: Run, key: str) -> str | None:
    """A context value from the first cores file that has it."""
    for cores in run.cores:
        value = run.contexts[cores].get(key)
        if value not in (None, ""):
            return str(value)
    return None


def _manifest(run: Run, key: str) -> Any:
    value = (run.manifest or {}).get(key)
    return None if value in (None, "") else value


def context_rows(run: Run) -> list[tuple[str, str]]:
    """(label, value) pairs describing the machine and build of one run."""
    dates = sorted({str(c.get("date")) for c in run.contexts.values() if c.get("date")})
    date = _manifest(run, "created") or (dates[0] if dates else None)
    if dates and len(dates) > 1:
        date = f"{date} (files {dates[0]} .. {dates[-1]})"
    reps = _manifest(run, "repetitions") or _ctx(run, "repetitions")
    rows: list[tuple[str, str | None]] = [
        ("Host", run.host),
        ("Run id", run.run_id),
        ("CPU model", _ctx(run, "cpu_model")),
        ("Allowed CPUs", _manifest(run, "allowed_cpus") or _ctx(run, "allowed_cpus")),
        ("CPUs seen / MHz", f"{_ctx(run, 'num_cpus') or '?'} / {_ctx(run, 'mhz_per_cpu') or '?'}"),
        ("Core counts measured", ", ".join(str(c) for c in run.cores)),
        *[row for row in [merge.placement_row(run)] if row],
        ("Kernel", _ctx(run, "kernel")),
        ("Compiler", _ctx(run, "compiler")),
        (
            "Preset / build type",
            f"{_manifest(run, 'preset') or _ctx(run, 'preset') or '?'} / {_ctx(run, 'build_type') or '?'}",
        ),
        ("Build flags", _ctx(run, "build_flags")),
        ("Sanitizer", _ctx(run, "sanitizer")),
        ("Commit", _ctx(run, "git_commit")),
        ("Date", date),
        ("Repetitions", str(reps) if reps is not None else None),
        (
            "Quick",
            str(_manifest(run, "quick") if _manifest(run, "quick") is not None else _ctx(run, "quick") or "?").lower(),
        ),
        ("Command", _manifest(run, "command")),
        ("Interleaved rounds", _rounds_text(run)),
        ("Folder", run.display_path),
    ]
    return [(label, value or "unknown") for label, value in rows]


def _rounds_text(run: Run) -> str:
    il, pr = run.interleave, run.paired
    if not il and not pr and not any(s.round is not None for s in run.samples):
        return "no (case blocks: repetitions of a case back to back)"
    parts = []
    if il:
        parts.append(f"{il.get('rounds', '?')} rounds, seed {il.get('seed', '?')}")
    if pr:
        parts.append(f"paired A/B run, side {pr.get('role')}")
    return "; ".join(parts) or "yes (round ids in the results)"


def context_warnings(run: Run) -> list[Alert]:
    """Things about the build that make timings less trustworthy."""
    out: list[Alert] = []
    sanitizer = (_ctx(run, "sanitizer") or "none").lower()
    if sanitizer not in ("none", ""):
        out.append(Alert("warning", f"{run.host}: built with sanitizer `{sanitizer}`: timings are not representative."))
    build_type = _ctx(run, "build_type")
    if build_type and build_type.lower() not in ("release", "relwithdebinfo"):
        out.append(Alert("warning", f"{run.host}: build type `{build_type}`: timings are not representative."))
    if (_ctx(run, "library_build_type") or "").lower() == "debug":
        out.append(Alert("warning", f"{run.host}: Google Benchmark itself is a debug build."))
    commit = _ctx(run, "git_commit") or ""
    if commit.endswith("+dirty"):
        out.append(Alert("info", f"{run.host}: the tree had uncommitted changes (`{commit}`)."))
    if str(_manifest(run, "quick") or _ctx(run, "quick") or "").lower() == "true":
        out.append(Alert("info", f"{run.host}: a quick run (few repetitions, small sizes): indicative only."))
    for note in run.notes:
        out.append(Alert("info", note))
    no_meta = meta.missing_note(run)
    if no_meta:
        out.append(Alert("info", no_meta))
    missing = (run.manifest or {}).get("missing")
    if isinstance(missing, list) and missing:
        out.append(
            Alert(
                "info",
                f"{run.host}: {len(missing)} case{'s' if len(missing) > 1 else ''} not in this side's "
                "binary (paired sweep of another revision), not run: "
                + ", ".join(f"`{m}`" for m in missing[:10])
                + (" ..." if len(missing) > 10 else ""),
            )
        )
    return out


def _case_name(group: Group, case: Case) -> str:
    parts = [group.scenario, case.strategy] + [f"{k}:{v}" for k, v in group.params] + [f"workers:{case.workers}"]
    return "/".join(parts)


class ReportBuilder(GroupTables, RunSections):
    """Builds the whole report; ``svg`` False skips the charts (Markdown only)."""

    def __init__(self, runs: list[Run], svg: bool = True, band: float = TIE_BAND) -> None:
        self.runs = runs
        self.svg = svg
        self.band = band
        self.groups = group_runs(runs)
        self.multi_host = len(runs) > 1
        self._chart_no = 0
        self.probes = {r.host: probe.run_probe(r) for r in runs}
        self._superlinear = False

    def _chart_id(self, stem: str) -> str:
        self._chart_no += 1
        return f"chart{self._chart_no}-{stem}"

    # ------------------------------------------------------------------
    def build(self) -> Document:
        hosts = ", ".join(r.host for r in self.runs)
        doc = Document(f"Concurrency harness report: {hosts}")
        all_cores = sorted({p for g in self.groups for p in g.cores})
        doc.add(*summary.blocks(self.groups, all_cores, self.band, self.multi_host, len(self._state_dependent())))
        doc.add(*families.blocks(self.groups, all_cores, self.multi_host))
        doc.add(Toc())
        now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        doc.add(
            Para(
                f"Generated {now} from {len(self.runs)} run folder{'s' if len(self.runs) > 1 else ''}: "
                + ", ".join(f"`{r.display_path}`" for r in self.runs)
                + "."
            )
        )
        self._context(doc)
        self._problems(doc)
        self._noise_summary(doc)
        self._machine_state(doc)
        self._detection(doc)
        sections: dict[tuple[str, Params], list[Group]] = {}
        for g in self.groups:
            sections.setdefault((g.scenario, g.params), []).append(g)
        contrast = kind_contrast(self.groups)
        done_scenarios = set()
        keys = list(sections)
        for i, key in enumerate(keys):
            self._section(doc, sections[key])
            scenario = key[0]
            last_of_scenario = i + 1 == len(keys) or keys[i + 1][0] != scenario
            if last_of_scenario and scenario in contrast and scenario not in done_scenarios:
                self._contrast(doc, scenario, contrast[scenario])
                done_scenarios.add(scenario)
        self._notes(doc)
        return doc

    # ------------------------------------------------------------------
    def _context(self, doc: Document) -> None:
        doc.add(Heading(2, "Run context"))
        per_run = [context_rows(r) for r in self.runs]
        headers = ["", *[r.host for r in self.runs]]
        rows = [[label, *[rows[i][1] for rows in per_run]] for i, (label, _) in enumerate(per_run[0])]
        doc.add(Table(headers, rows))
        for r in self.runs:
            doc.add(*context_warnings(r))

    def _problems(self, doc: Document) -> None:
        doc.add(Heading(2, "Errors"))
        alerts = []
        for g in self.groups:
            for case in sorted(g.failed_cases, key=lambda c: (c.strategy, c.cores, c.workers)):
                alerts.append(
                    Alert(
                        "error",
                        f"**ERROR** on {g.host} at {case.cores} core{'s' if case.cores > 1 else ''}: "
                        f"`{_case_name(g, case)}`: {case.error}",
                    )
                )
        for r in self.runs:
            for key in ("failed", "hung"):
                names = (r.manifest or {}).get(key) or []
                if names:
                    alerts.append(
                        Alert(
                            "error", f"**{key.upper()}** (manifest of {r.host}): " + ", ".join(f"`{n}`" for n in names)
                        )
                    )
        if alerts:
            doc.add(
                Alert(
                    "error",
                    f"**{len(alerts)} problem{'s' if len(alerts) > 1 else ''}**: failed cases have no "
                    "numbers in this report.",
                ),
                *alerts,
            )
        else:
            doc.add(Para("No errors: every case ran and (where reported) its answer was checked."))

    def _noise_summary(self, doc: Document) -> None:
        summaries = [s for g in self.groups for c in g.cases.values() if (s := c.summary) is not None]
        noisy = [s for s in summaries if s.noisy]
        bimodal = [s for s in noisy if s.bimodal]
        cases = summaries
        doc.add(Heading(2, "Noise"))
        doc.add(Para(f"{len(noisy)} of {len(cases)} results flagged noisy ({len(bimodal)} bimodal). " + NOISE_RULE))
        if bimodal:
            doc.add(
                Alert("warning", f"**{len(bimodal)} bimodal result{'s' if len(bimodal) > 1 else ''}.** " + BIMODAL_NOTE)
            )

    # ------------------------------------------------------------------
    def _section(self, doc: Document, groups: Sequence[Group]) -> None:
        g0 = groups[0]
        doc.add(Heading(2, f"{g0.scenario}" + (f" — {g0.params_label}" if g0.params else "")))
        if self.svg:
            self._scaling_chart(doc, groups)
        for g in groups:
            if self.multi_host:
                doc.add(Heading(3, f"{g.host}"))
            self._group(doc, g)

    def _label(self, g: Group, strategy: str) -> str:
        label = families.mark(g.run, g.scenario, strategy)
        return f"{label} @ {g.host}" if self.multi_host else label

    def _scaling_chart(self, doc: Document, groups: Sequence[Group]) -> None:
        series = []
        for hi, g in enumerate(groups):
            for s in g.strategies:
                pts = [(p, x) for p in g.cores if (c := g.main(s, p)) is not None and (x := c.summary) is not None]
                if pts:
                    series.append(
                        charts.ScalingSeries(
                            self._label(g, s),
                            hi,
                            [p for p, _ in pts],
                            [x.median for _, x in pts],
                            [x.low for _, x in pts],
                            [x.high for _, x in pts],
                        )
                    )
        if series:
            title = groups[0].title
            doc.add(
                Chart(
                    charts.scaling_chart(self._chart_id(groups[0].scenario), title, groups[0].unit, series),
                    f"{title}: throughput and self speedup versus cores",
                )
            )

    def _group(self, doc: Document, g: Group) -> None:
        sub = 4 if self.multi_host else 3
        for case in sorted(g.failed_cases, key=lambda c: (c.strategy, c.cores, c.workers)):
            doc.add(Alert("error", f"**ERROR** at {case.cores} cores: `{_case_name(g, case)}`: {case.error}"))
        # Throughput table: strategy x cores, plus the trust marks.
        doc.add(Heading(sub, f"Throughput ({g.unit}, workers = cores)"))
        headers = ["strategy"] + [f"{p} core{'s' if p > 1 else ''}" for p in g.cores] + ["answer", "TSan"]
        rows: list[list[CellValue]] = []
        for s in g.throughput_strategies:
            rows.append(
                [
                    families.mark(g.run, g.scenario, s),
                    *[throughput_cell(g.main(s, p)) for p in g.cores],
                    status_cell(g.checked_status(s)),
                    status_cell(g.tsan_status(s)),
                ]
            )
        doc.add(Table(headers, rows, "median over repetitions; ± is half the min..max range relative to the median"))
        self._latency(doc, g, sub)
        self._speedup(doc, g, sub)
        self._overhead(doc, g, sub)
        self._fit(doc, g, sub)
        self._ranking(doc, g, sub)
        self._workers(doc, g, sub)
        self._details(doc, g, sub)

    def _fit(self, doc: Document, g: Group, sub: int) -> None:
        doc.add(Heading(sub, "Scaling-law fit"))
        measured = len(g.cores)
        if measured < MIN_CORE_COUNTS:
            doc.add(
                Para(
                    f"No fit shown: only {measured} core count{'s' if measured != 1 else ''} measured "
                    f"({', '.join(map(str, g.cores))}); Amdahl and USL fits need at least {MIN_CORE_COUNTS}, "
                    "with fewer points the parameters fit anything and mean nothing."
                )
            )
            return
        rows: list[list[CellValue]] = []
        for s in g.strategies:
            fits, reason = g.fits(s)
            by = {f.model: f for f in fits}
            if not fits:
                rows.append([s, Cell(reason or "", "warn"), "", "", "", "", ""])
                continue
            a, u = by.get("amdahl"), by.get("usl")
            peak = u.peak_cores if u else None
            rows.append(
                [
                    s,
                    fmt.num(a.params["f"], 4) if a else "n/a",
                    fmt.num(a.r2, 3) if a else "n/a",
                    fmt.num(u.params["sigma"], 4) if u else "n/a",
                    fmt.num(u.params["kappa"], 5) if u else "n/a",
                    (f"{peak:.1f}" if peak is not None else "none") if u else "n/a",
                    fmt.num(u.r2, 3) if u else "n/a",
                ]
            )
        doc.add(
            Table(
                [
                    "strategy",
                    "Amdahl serial f",
                    "Amdahl R²",
                    "USL σ (contention)",
                    "USL κ (coherency)",
                    "USL peak cores",
                    "USL R²",
                ],
                rows,
                "fitted to the median throughput at each core count (scipy curve_fit)",
            )
        )
        bands = projection.projection_table(g)
        if bands is not None:
            doc.add(bands)

    def _workers(self, doc: Document, g: Group, sub: int) -> None:
        left_out = sorted(
            {
                c.strategy
                for c in g.other_worker_cases
                if g.ignores_workers(c.strategy) or c.strategy in g.latency_strategies
            }
        )
        others = [c for c in g.other_worker_cases if c.strategy not in left_out]
        if not others:
            if left_out:
                doc.add(
                    Para(
                        "No oversubscription table: the only strategies with other worker counts ("
                        + ", ".join(left_out)
                        + ") ignore `workers` or have the latency role."
                    )
                )
            return
        title = "Oversubscription (workers > cores)" if g.has_oversubscription else "Workers other than cores"
        doc.add(Heading(sub, title))
        rows: list[list[CellValue]] = []
        for c in others:
            base = g.main(c.strategy, c.cores)
            rel = c.median / base.median if (c.median is not None and base and base.median) else None
            rows.append(
                [
                    c.strategy,
                    str(c.cores),
                    str(c.workers),
                    throughput_cell(c),
                    fmt.ratio(rel) if rel is not None else "n/a",
                ]
            )
        doc.add(Table(["strategy", "cores", "workers", g.unit, "vs workers = cores"], rows))
        if left_out:
            doc.add(
                Para(
                    "Left out (strategy metadata: they ignore `workers` or have the latency role): "
                    + ", ".join(left_out)
                    + "."
                )
            )
        if self.svg:
            series = []
            for s in g.strategies:
                if s in left_out:
                    continue
                for p in g.cores:
                    cases = sorted(
                        (c for c in g.cases.values() if c.strategy == s and c.cores == p and c.median is not None),
                        key=lambda c: c.workers,
                    )
                    if len(cases) > 1:
                        series.append(
                            charts.WorkersSeries(
                                f"{self._label(g, s)}, {p} core{'s' if p > 1 else ''}",
                                0,
                                [c.workers for c in cases],
                                [m for c in cases if (m := c.median) is not None],
                            )
                        )
            if series:
                doc.add(
                    Chart(
                        charts.workers_chart(self._chart_id("workers"), g.title, g.unit, series),
                        f"{g.title}: throughput versus workers at fixed cores",
                    )
                )

    def _details(self, doc: Document, g: Group, sub: int) -> None:
        columns: list[tuple[str, Callable[[Case], float | None], Callable[[float], str]]] = [
            ("GB/s", lambda c: c.metric_median("bytes_per_second"), lambda v: f"{v / 1e9:.3f}"),
            ("latency p50 (us)", lambda c: c.metric_median("latency_p50_us"), lambda v: f"{v:.2f}"),
            ("latency p99 (us)", lambda c: c.metric_median("latency_p99_us"), lambda v: f"{v:.2f}"),
            ("bytes per task", lambda c: c.metric_median("bytes_per_task"), lambda v: f"{v:.0f}"),
            ("busy cores (CPU s / wall s)", lambda c: c.busy_cores, lambda v: f"{v:.2f}"),
            ("ctx switches / run", lambda c: c.metric_median("ctx_switches_per_run"), lambda v: f"{v:.0f}"),
        ]
        cases = sorted(g.cases.values(), key=lambda c: (c.strategy, c.cores, c.workers))
        used = [col for col in columns if any(col[1](c) is not None for c in cases)]
        if not used:
            return
        doc.add(Heading(sub, "Units and costs"))
        rows: list[list[CellValue]] = []
        for c in cases:
            if c.error:
                rows.append([c.strategy, str(c.cores), str(c.workers), Cell("**ERROR**", "error"), *[""] * len(used)])
                continue
            rows.append(
                [
                    c.strategy,
                    str(c.cores),
                    str(c.workers),
                    fmt.si(c.median),
                    *[(f(v) if (v := get(c)) is not None else "") for _, get, f in used],
                ]
            )
        doc.add(
            Table(
                ["strategy", "cores", "workers", g.unit] + [name for name, _, _ in used],
                rows,
                "medians over repetitions",
            )
        )

    # ------------------------------------------------------------------
    def _contrast(self, doc: Document, scenario: str, per_host: dict[str, list[KindRow]]) -> None:
        doc.add(Heading(2, f"{scenario}: wait versus cpu (concurrency is not parallelism)"))
        doc.add(
            Para(
                "With `wait` work, more workers help even on one core (tasks overlap their waiting); "
                "with `cpu`/`compute` work only more cores help. Gains are relative to 1 worker on 1 core."
            )
        )
        for host, rows in per_host.items():
            if self.multi_host:
                doc.add(Heading(3, host))
            table: list[list[CellValue]] = []
            chart_rows: list[charts.KindBar] = []
            for r in rows:
                kind = r.group.param("kind")
                label = f"{r.group.params_label}: {r.strategy}"
                table.append(
                    [
                        r.group.params_label,
                        r.strategy,
                        f"{fmt.ratio(r.workers_gain)} (at {r.workers_at} workers)"
                        if r.workers_gain
                        else "not measured",
                        f"{fmt.ratio(r.cores_gain)} (at {r.max_cores} cores)" if r.cores_gain else "not measured",
                    ]
                )
                if kind in WAIT_KINDS + CPU_KINDS:
                    chart_rows.append(charts.KindBar(label, r.workers_gain, r.cores_gain))
            doc.add(Table(["case", "strategy", "more workers on 1 core", "more cores (workers = cores)"], table))
            left_out = sorted(
                {
                    s
                    for g in self.groups
                    if g.scenario == scenario and g.host == host
                    for s in g.strategies
                    if g.ignores_workers(s)
                }
            )
            if left_out:
                doc.add(Para("Left out (strategy metadata: they ignore `workers`): " + ", ".join(left_out) + "."))
            if self.svg and chart_rows:
                doc.add(
                    Chart(
                        charts.kind_chart(self._chart_id(f"{scenario}-kinds"), f"{scenario}: wait vs cpu", chart_rows),
                        f"{scenario}: what more workers and more cores buy",
                    )
                )

    def _notes(self, doc: Document) -> None:
        reps = sorted({s.n for g in self.groups for c in g.cases.values() if (s := c.summary) is not None})
        doc.add(Heading(2, "Notes: how to read this report"))
        if self._superlinear:
            doc.add(Para("¹ " + derived.SUPERLINEAR_NOTE))
        doc.add(
            Bullets(
                [
                    "Throughput is the median over repetitions of items/s (runs/s where a case reports no items); "
                    "error bars and ± span the min..max over repetitions.",
                    "Speedup vs the baseline: a strategy's throughput over the scenario's fixed baseline strategy at "
                    "1 core (named in each table; from the strategy metadata, else `sequential`). Self speedup: over "
                    "the strategy's own 1-core throughput. Efficiency = speedup / cores; above 100% is marked "
                    "superlinear.",
                    "Karp-Flatt serial fraction e = (1/S − 1/p) / (1 − 1/p) from the self speedup S at p cores, shown "
                    "only where it is defined: a compute kind and 1 <= S <= p; elsewhere n/a with the reason.",
                    "1-worker overhead: 1 − (a strategy's 1-worker, 1-core throughput / the baseline's), flagged "
                    f"above {derived.OVERHEAD_FLAG:.0%} on a compute kind.",
                    "Scaling-law fits (Amdahl: X = λ / (f + (1 − f)/p); USL: X = λp / (1 + σ(p − 1) + κp(p − 1))) are "
                    f"shown only with at least {MIN_CORE_COUNTS} core counts; their 95% bands (delta method on the "
                    "fit's covariance) and the PROJECTION columns beyond the measured core counts are model "
                    "extrapolations.",
                    "Noise: " + NOISE_RULE + " " + BIMODAL_NOTE,
                    summary.WINNER_RULE.format(band=self.band, fragile=summary.FRAGILE_BELOW)
                    + f" Repetitions per case here: "
                    f"{', '.join(map(str, reps)) or 'none'}; an interval needs at least {MIN_REPS}.",
                    "Tables compare like with like: strategies whose metadata says they ignore `workers` are left out "
                    "of the oversubscription and wait-versus-cpu tables; latency-role strategies are reported as "
                    "round trips.",
                    "Answer: ✓ checked when every run's answer was checked exactly (checked_runs == iterations) with "
                    "no error. TSan: the ThreadSanitizer verdict from races.json (clean, flagged, skipped with the "
                    "reason), 'not run' when there was none. Detectors: the seeded controls caught (Detection power).",
                    "Errors are listed at the top and shown as ERROR in every table; they never contribute numbers.",
                ]
            )
        )
