"""Build the report document (renderer-neutral blocks) from loaded runs."""
from __future__ import annotations

import datetime as _dt

from . import charts, derived, detection, fmt, meta, probe, summary
from .analysis import CPU_KINDS, WAIT_KINDS, group_runs, kind_contrast
from .ci import MIN_REPS, median_ci
from .document import Alert, Bullets, Cell, Chart, Document, Heading, Para, Table, Toc
from .fit import MIN_CORE_COUNTS
from .stats import NOISE_RULE
from .verdict import TIE_BAND

STATE_EFFECT = 0.03  # per-state medians differing by more than this: the result depends on the state
MAX_STRADDLE_ROWS = 20
BIMODAL_NOTE = (
    "Bimodal results are real on machines whose vCPUs flip between a near and a far state every few "
    "minutes (the repetitions then land in two clusters); the report flags them instead of hiding them. "
    "Read their medians with care and prefer more repetitions."
)


def _ctx(run, key):
    """A context value from the first cores file that has it."""
    for cores in run.cores:
        value = run.contexts[cores].get(key)
        if value not in (None, ""):
            return str(value)
    return None


def _manifest(run, key):
    value = (run.manifest or {}).get(key)
    return None if value in (None, "") else value


def context_rows(run) -> list:
    """(label, value) pairs describing the machine and build of one run."""
    dates = sorted({str(c.get("date")) for c in run.contexts.values() if c.get("date")})
    date = _manifest(run, "created") or (dates[0] if dates else None)
    if dates and len(dates) > 1:
        date = f"{date} (files {dates[0]} .. {dates[-1]})"
    reps = _manifest(run, "repetitions") or _ctx(run, "repetitions")
    rows = [
        ("Host", run.host),
        ("Run id", run.run_id),
        ("CPU model", _ctx(run, "cpu_model")),
        ("Allowed CPUs", _manifest(run, "allowed_cpus") or _ctx(run, "allowed_cpus")),
        ("CPUs seen / MHz", f"{_ctx(run, 'num_cpus') or '?'} / {_ctx(run, 'mhz_per_cpu') or '?'}"),
        ("Core counts measured", ", ".join(str(c) for c in run.cores)),
        ("Kernel", _ctx(run, "kernel")),
        ("Compiler", _ctx(run, "compiler")),
        ("Preset / build type", f"{_manifest(run, 'preset') or _ctx(run, 'preset') or '?'} / {_ctx(run, 'build_type') or '?'}"),
        ("Build flags", _ctx(run, "build_flags")),
        ("Sanitizer", _ctx(run, "sanitizer")),
        ("Commit", _ctx(run, "git_commit")),
        ("Date", date),
        ("Repetitions", str(reps) if reps is not None else None),
        ("Quick", str(_manifest(run, "quick") if _manifest(run, "quick") is not None else _ctx(run, "quick") or "?").lower()),
        ("Command", _manifest(run, "command")),
        ("Interleaved rounds", _rounds_text(run)),
        ("Folder", run.display_path),
    ]
    return [(label, value if value not in (None, "") else "unknown") for label, value in rows]


def _rounds_text(run) -> str:
    il, pr = run.interleave, run.paired
    if not il and not pr and not any(s.round is not None for s in run.samples):
        return "no (case blocks: repetitions of a case back to back)"
    parts = []
    if il:
        parts.append(f"{il.get('rounds', '?')} rounds, seed {il.get('seed', '?')}")
    if pr:
        parts.append(f"paired A/B run, side {pr.get('role')}")
    return "; ".join(parts) or "yes (round ids in the results)"


def context_warnings(run) -> list:
    """Things about the build that make timings less trustworthy."""
    out = []
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
    if meta.missing_note(run):
        out.append(Alert("info", meta.missing_note(run)))
    return out


def _case_name(group, case) -> str:
    parts = [group.scenario, case.strategy] + [f"{k}:{v}" for k, v in group.params] + [f"workers:{case.workers}"]
    return "/".join(parts)


def _throughput_cell(case) -> Cell:
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


def _noise_cell(case) -> Cell:
    if case is None or case.error or case.summary is None:
        return Cell("")
    s = case.summary
    return Cell(f"⚠ {s.noise_label}", "warn") if s.noisy else Cell("ok" if s.n >= 2 else "1 rep")


def _status_cell(text: str) -> Cell:
    if text in ("checked", "clean"):
        return Cell(f"✓ {text}", "good")
    if text in ("ERROR", "flagged") or text.startswith("partly"):
        return Cell(f"✗ {text}", "error")
    return Cell(text, "warn" if text.startswith("skipped") else "")


class ReportBuilder:
    """Builds the whole report; ``svg`` False skips the charts (Markdown only)."""

    def __init__(self, runs, svg: bool = True, band: float = TIE_BAND):
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
        doc.add(Toc())
        now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        doc.add(Para(f"Generated {now} from {len(self.runs)} run folder{'s' if len(self.runs) > 1 else ''}: "
                     + ", ".join(f"`{r.display_path}`" for r in self.runs) + "."))
        self._context(doc)
        self._problems(doc)
        self._noise_summary(doc)
        self._machine_state(doc)
        self._detection(doc)
        sections = {}
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
    def _context(self, doc):
        doc.add(Heading(2, "Run context"))
        per_run = [context_rows(r) for r in self.runs]
        headers = ["", *[r.host for r in self.runs]]
        rows = [[label] + [rows[i][1] for rows in per_run] for i, (label, _) in enumerate(per_run[0])]
        doc.add(Table(headers, rows))
        for r in self.runs:
            doc.add(*context_warnings(r))

    def _problems(self, doc):
        doc.add(Heading(2, "Errors"))
        alerts = []
        for g in self.groups:
            for case in sorted(g.failed_cases, key=lambda c: (c.strategy, c.cores, c.workers)):
                alerts.append(Alert("error", f"**ERROR** on {g.host} at {case.cores} core{'s' if case.cores > 1 else ''}: "
                                             f"`{_case_name(g, case)}`: {case.error}"))
        for r in self.runs:
            for key in ("failed", "hung"):
                names = (r.manifest or {}).get(key) or []
                if names:
                    alerts.append(Alert("error", f"**{key.upper()}** (manifest of {r.host}): "
                                                 + ", ".join(f"`{n}`" for n in names)))
        if alerts:
            doc.add(Alert("error", f"**{len(alerts)} problem{'s' if len(alerts) > 1 else ''}**: failed cases have no "
                                   "numbers in this report."), *alerts)
        else:
            doc.add(Para("No errors: every case ran and (where reported) its answer was checked."))

    def _noise_summary(self, doc):
        cases = [c for g in self.groups for c in g.cases.values() if c.summary is not None]
        noisy = [c for c in cases if c.summary.noisy]
        bimodal = [c for c in noisy if c.summary.bimodal]
        doc.add(Heading(2, "Noise"))
        doc.add(Para(f"{len(noisy)} of {len(cases)} results flagged noisy ({len(bimodal)} bimodal). " + NOISE_RULE))
        if bimodal:
            doc.add(Alert("warning", f"**{len(bimodal)} bimodal result{'s' if len(bimodal) > 1 else ''}.** " + BIMODAL_NOTE))

    def _state_dependent(self) -> list:
        """Results whose repetitions straddle probe states with medians > STATE_EFFECT apart."""
        out = []
        for g in self.groups:
            out += [x for x in probe.straddling(g, self.probes[g.host])
                    if abs(x.far_median / x.near_median - 1) > STATE_EFFECT]
        return out

    def _machine_state(self, doc):
        doc.add(Heading(2, "Machine state"))
        rows, straddles = [], []
        for r in self.runs:
            rp = self.probes[r.host]
            if rp is None:
                rows.append([r.host, "not measured", "", "", "", "", "", "", ""])
                continue
            q = rp.quantiles()
            steal = f"{max(rp.steal_ms):.1f}" if rp.steal_ms else "n/a"
            irq = f"{max(rp.irq_ms):.1f}" if rp.irq_ms else "n/a"
            state = (Cell(f"⚠ bimodal (split at {rp.split:.0f} ns)", "warn") if rp.bimodal else Cell("one state"))
            rows.append([r.host, str(len(rp.values))] + [f"{q[k]:.0f}" for k in ("min", "p10", "median", "p90", "max")]
                        + [state, f"{steal} / {irq}"])
            for g in self.groups:
                if g.host == r.host:
                    straddles += probe.straddling(g, rp)
        doc.add(Para("Before and after every repetition the sweep measures an inter-core round trip on the pinned "
                     "CPUs, and the steal and irq time from /proc/stat. A bimodal round trip means the machine "
                     "flipped between a near and a far state during the run."))
        doc.add(Table(["run", "probes", "min (ns)", "p10", "median", "p90", "max", "round-trip states",
                       "max steal / irq per repetition (ms)"], rows))
        if self.svg:
            for r in self.runs:
                rp = self.probes[r.host]
                if rp is not None:
                    doc.add(Chart(charts.probe_chart(self._chart_id("probe"), f"{r.host}: machine-state probe",
                                                     rp.values, rp.split),
                                  f"{r.host}: distribution of the inter-core round trip"))
        shown = [x for x in straddles if abs(x.far_median / x.near_median - 1) > STATE_EFFECT]
        if straddles:
            doc.add(Para(f"{len(straddles)} result{'s' if len(straddles) > 1 else ''} straddle machine states "
                         "(repetitions in both; an interleaved sweep spreads every case over the states on "
                         f"purpose); {len(shown)} of them differ by more than {STATE_EFFECT:.0%} between the "
                         "states."))
        if shown:
            doc.add(Alert("warning", f"**{len(shown)} result{'s' if len(shown) > 1 else ''} depend on the machine "
                                     "state**: the median mixes two machines; compare like states (per-state "
                                     "medians below, a stratified view) or compare paired by round."))
            more = len(shown) - MAX_STRADDLE_ROWS
            straddles = shown[:MAX_STRADDLE_ROWS]
            doc.add(Table(["case", "cores", "near: reps, median", "far: reps, median", "far / near"],
                          [[f"{x.group.title}: {x.case.strategy} workers:{x.case.workers}"
                            + (f" @ {x.group.host}" if self.multi_host else ""), str(x.case.cores),
                            f"{len(x.near)}, {fmt.si(x.near_median)}", f"{len(x.far)}, {fmt.si(x.far_median)}",
                            fmt.ratio(x.far_median / x.near_median)] for x in straddles]))
            if more > 0:
                doc.add(Para(f"... and {more} more (results.csv has every repetition)."))

    def _detection(self, doc):
        doc.add(Heading(2, "Detection power"))
        doc.add(Para("Which detectors ran and whether each caught its seeded control (a test-only bug it must "
                     "find); a detector that misses its control cannot vouch for the strategies it passed."))
        for r in self.runs:
            if self.multi_host:
                doc.add(Heading(3, r.host))
            cs, notes = detection.controls(r)
            for n in notes:
                doc.add(Alert("info", n))
            counts = detection.tsan_counts(r)
            tsan = (", ".join(f"{v} {k}" for k, v in sorted(counts.items())) if counts
                    else "not run (no races.json)")
            doc.add(Para(f"ThreadSanitizer verdicts on the strategies: {tsan}."))
            if not cs:
                doc.add(Para("No detector controls recorded (no races.json controls, detectors.json or "
                             "explore.json)."))
            else:
                caught = sum(c.caught for c in cs)
                detectors = sorted({c.detector for c in cs})
                doc.add(Para(f"Detectors that ran: {', '.join(detectors)}. **{caught}/{len(cs)} controls caught.**"))
                doc.add(Table(["control", "detector", "caught", "detail", "from"],
                              [[c.name, c.detector, Cell("✓ caught", "good") if c.caught else Cell("✗ missed", "error"),
                                c.detail, c.source] for c in cs]))
            explored = detection.explored_strategies(r)
            if explored:
                doc.add(Table(["strategy (explored)", "failing schedules", "detail"],
                              [[n, Cell(str(f), "error" if f else "good"), d] for n, f, d in explored]))

    # ------------------------------------------------------------------
    def _section(self, doc, groups):
        g0 = groups[0]
        doc.add(Heading(2, f"{g0.scenario}" + (f" — {g0.params_label}" if g0.params else "")))
        if self.svg:
            self._scaling_chart(doc, groups)
        for g in groups:
            if self.multi_host:
                doc.add(Heading(3, f"{g.host}"))
            self._group(doc, g)

    def _label(self, g, strategy):
        return f"{strategy} @ {g.host}" if self.multi_host else strategy

    def _scaling_chart(self, doc, groups):
        series = []
        for hi, g in enumerate(groups):
            for s in g.strategies:
                pts = [(p, g.main(s, p).summary) for p in g.cores if g.main(s, p) and g.main(s, p).summary]
                if pts:
                    series.append((self._label(g, s), hi, [p for p, _ in pts], [x.median for _, x in pts],
                                   [x.low for _, x in pts], [x.high for _, x in pts]))
        if series:
            title = groups[0].title
            doc.add(Chart(charts.scaling_chart(self._chart_id(groups[0].scenario), title, groups[0].unit, series),
                          f"{title}: throughput and self speedup versus cores"))

    def _group(self, doc, g):
        sub = 4 if self.multi_host else 3
        for case in sorted(g.failed_cases, key=lambda c: (c.strategy, c.cores, c.workers)):
            doc.add(Alert("error", f"**ERROR** at {case.cores} cores: `{_case_name(g, case)}`: {case.error}"))
        # Throughput table: strategy x cores, plus the trust marks.
        doc.add(Heading(sub, f"Throughput ({g.unit}, workers = cores)"))
        headers = ["strategy"] + [f"{p} core{'s' if p > 1 else ''}" for p in g.cores] + ["answer", "TSan"]
        rows = []
        for s in g.throughput_strategies:
            rows.append([s] + [_throughput_cell(g.main(s, p)) for p in g.cores]
                        + [_status_cell(g.checked_status(s)), _status_cell(g.tsan_status(s))])
        doc.add(Table(headers, rows, "median over repetitions; ± is half the min..max range relative to the median"))
        self._latency(doc, g, sub)
        self._speedup(doc, g, sub)
        self._overhead(doc, g, sub)
        self._fit(doc, g, sub)
        self._ranking(doc, g, sub)
        self._workers(doc, g, sub)
        self._details(doc, g, sub)

    def _latency(self, doc, g, sub):
        names = g.latency_strategies
        if not names:
            return
        doc.add(Heading(sub, "Latency cases (round trip; not ranked against throughput)"))
        rows = []
        for s in names:
            for c in sorted((c for c in g.cases.values() if c.strategy == s), key=lambda c: (c.cores, c.workers)):
                if c.error:
                    rows.append([s, str(c.cores), str(c.workers), Cell("**ERROR**", "error"), "", "", ""])
                    continue
                p50, p99 = c.metric_median("latency_p50_us"), c.metric_median("latency_p99_us")
                rows.append([s, str(c.cores), str(c.workers), _throughput_cell(c),
                             f"{p50:.2f}" if p50 is not None else "n/a", f"{p99:.2f}" if p99 is not None else "n/a",
                             _status_cell(g.checked_status(s))])
        doc.add(Table(["strategy", "cores", "workers", f"{g.unit}", "round trip p50 (us)", "p99 (us)", "answer"], rows,
                      "latency-role strategies (strategy metadata) do different work from the throughput "
                      "strategies, so they are reported here and left out of rankings and speedups"))

    def _speedup(self, doc, g, sub):
        base, source = g.baseline
        base_case = g.main(base, 1) if base else None
        doc.add(Heading(sub, "Speedup and efficiency"))
        have_base = base_case is not None and base_case.median is not None
        if have_base:
            doc.add(Para(f"Baseline: **{base}** at 1 core, {fmt.si(base_case.median)} {g.unit} ({source}); the "
                         "same named strategy in every run."))
        else:
            doc.add(Para(f"No baseline speedup: {source if not base else f'{base} has no 1-core result'}. "
                         "Self speedups only."))
        rows = []
        for r in derived.speedup_rows(g):
            if r.case.error:
                rows.append([r.strategy, str(r.cores), Cell("**ERROR**", "error")] + [""] * (6 if have_base else 4))
                continue
            kf = Cell(fmt.num(r.kf)) if r.kf is not None else Cell("—" if r.kf_reason == "1 core" else r.kf_reason)
            cells = [r.strategy, str(r.cores), fmt.si(r.case.median)]
            if have_base:
                cells += [fmt.ratio(r.speedup), self._eff(r.efficiency)]
            cells += [fmt.ratio(r.self_speedup), self._eff(r.self_efficiency), kf]
            rows.append(cells)
        headers = ["strategy", "cores", g.unit] + ([f"speedup vs {base}@1", "efficiency"] if have_base else []) + [
            "self speedup", "self efficiency", "Karp-Flatt e"]
        doc.add(Table(headers, rows, "Karp-Flatt only where defined: a compute kind and 1 <= S <= p "
                                     "(S = self speedup, p = cores)"))

    def _eff(self, e) -> Cell:
        if e is None:
            return Cell("n/a")
        if e > 1.0 + 1e-9:
            self._superlinear = True
            return Cell(f"{fmt.pct(e)} superlinear¹", "warn")
        return Cell(fmt.pct(e))

    def _overhead(self, doc, g, sub):
        rows, base, reason = derived.overhead_rows(g)
        doc.add(Heading(sub, "1-worker overhead"))
        if not rows:
            doc.add(Para(f"Not computed: {reason or 'no other strategy has a 1-core 1-worker result'}."))
            return
        table = []
        for r in rows:
            iv = r.ratio
            ci = f"[{fmt.ratio(iv.lo)}, {fmt.ratio(iv.hi)}]" if iv else f"n/a (< {MIN_REPS} repetitions)"
            flag = derived.flagged(g, r)
            note = (Cell(f"⚠ over {derived.OVERHEAD_FLAG:.0%}", "warn") if flag
                    else Cell("ok" if g.compute_kind else "not a compute kind: not flagged"))
            table.append([r.strategy, fmt.si(r.case.median), fmt.ratio(r.point), ci, fmt.pct(r.overhead), note])
        doc.add(Table(["strategy", f"1 worker, 1 core ({g.unit})", f"vs {base}", "95% CI", "overhead", "flag"], table,
                      f"the cost of a strategy's machinery alone: its 1-worker throughput against the baseline "
                      f"{base} in the same run; flagged above {derived.OVERHEAD_FLAG:.0%} on a compute kind"))

    def _fit(self, doc, g, sub):
        doc.add(Heading(sub, "Scaling-law fit"))
        measured = len(g.cores)
        if measured < MIN_CORE_COUNTS:
            doc.add(Para(f"No fit shown: only {measured} core count{'s' if measured != 1 else ''} measured "
                         f"({', '.join(map(str, g.cores))}); Amdahl and USL fits need at least {MIN_CORE_COUNTS}, "
                         "with fewer points the parameters fit anything and mean nothing."))
            return
        rows = []
        for s in g.strategies:
            fits, reason = g.fits(s)
            by = {f.model: f for f in fits}
            if not fits:
                rows.append([s, Cell(reason, "warn"), "", "", "", "", ""])
                continue
            a, u = by.get("amdahl"), by.get("usl")
            peak = u.peak_cores if u else None
            rows.append([s,
                         fmt.num(a.params["f"], 4) if a else "n/a", fmt.num(a.r2, 3) if a else "n/a",
                         fmt.num(u.params["sigma"], 4) if u else "n/a",
                         fmt.num(u.params["kappa"], 5) if u else "n/a",
                         (f"{peak:.1f}" if peak is not None else "none") if u else "n/a",
                         fmt.num(u.r2, 3) if u else "n/a"])
        doc.add(Table(["strategy", "Amdahl serial f", "Amdahl R²", "USL σ (contention)", "USL κ (coherency)",
                       "USL peak cores", "USL R²"], rows,
                      "fitted to the median throughput at each core count (scipy curve_fit)"))

    def _ranking(self, doc, g, sub):
        doc.add(Heading(sub, "Ranking per core count"))
        rows = []
        for p in g.cores:
            d = summary.decision(g, p, self.band)
            for s_name in g.throughput_strategies:
                c = g.main(s_name, p)
                if c is not None and c.error:
                    rows.append([str(p), c.strategy, Cell("**ERROR**", "error"), "", "", ""])
            order = sorted((s_name for s_name in g.throughput_strategies
                            if g.main(s_name, p) is not None and g.main(s_name, p).median is not None),
                           key=lambda s_name: -g.main(s_name, p).median)
            for s_name in order:
                c = g.main(s_name, p)
                mci = median_ci(c.values, f"{g.host}:{g.title}:{s_name}:{p}")
                ci = f"[{fmt.si(mci.lo)}, {fmt.si(mci.hi)}]" if mci else f"n/a (< {MIN_REPS} reps)"
                if s_name == d.top:
                    verdict, margin = ("winner" if d.winner else ("only one" if not d.margins and not d.unknown
                                                                   else "top, tied")), "—"
                elif s_name in d.unknown:
                    verdict, margin = "too few repetitions", "n/a"
                else:
                    iv = d.margins[s_name]
                    margin = f"{fmt.ratio(iv.estimate)} [{fmt.ratio(iv.lo)}, {fmt.ratio(iv.hi)}]" + (
                        " paired" if iv.paired else "")
                    verdict = "tied with the top" if s_name in d.tied else f"slower ({fmt.pct(1 - 1 / iv.estimate)} behind)"
                noise = c.summary.noise_label
                rows.append([str(p), s_name, fmt.si(c.median), ci, margin,
                             Cell(f"{verdict} ⚠ {noise}", "warn") if noise else Cell(verdict)])
        doc.add(Table(["cores", "strategy", g.unit, "95% CI of the median", "top / this (95% CI)", "verdict"], rows,
                      f"bootstrap CIs (docs/method.md); tie band ±{self.band:.0%}"))

    def _workers(self, doc, g, sub):
        left_out = sorted({c.strategy for c in g.other_worker_cases
                           if g.ignores_workers(c.strategy) or c.strategy in g.latency_strategies})
        others = [c for c in g.other_worker_cases if c.strategy not in left_out]
        if not others:
            return
        title = "Oversubscription (workers > cores)" if g.has_oversubscription else "Workers other than cores"
        doc.add(Heading(sub, title))
        rows = []
        for c in others:
            base = g.main(c.strategy, c.cores)
            rel = c.median / base.median if (c.median is not None and base and base.median) else None
            rows.append([c.strategy, str(c.cores), str(c.workers), _throughput_cell(c),
                         fmt.ratio(rel) if rel is not None else "n/a"])
        doc.add(Table(["strategy", "cores", "workers", g.unit, "vs workers = cores"], rows))
        if left_out:
            doc.add(Para("Left out (strategy metadata: they ignore `workers` or have the latency role): "
                         + ", ".join(left_out) + "."))
        if self.svg:
            series = []
            for s in g.strategies:
                if s in left_out:
                    continue
                for p in g.cores:
                    cases = sorted((c for c in g.cases.values() if c.strategy == s and c.cores == p
                                    and c.median is not None), key=lambda c: c.workers)
                    if len(cases) > 1:
                        series.append((f"{self._label(g, s)}, {p} core{'s' if p > 1 else ''}", 0,
                                       [c.workers for c in cases], [c.median for c in cases]))
            if series:
                doc.add(Chart(charts.workers_chart(self._chart_id("workers"), g.title, g.unit, series),
                              f"{g.title}: throughput versus workers at fixed cores"))

    def _details(self, doc, g, sub):
        columns = [
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
        rows = []
        for c in cases:
            if c.error:
                rows.append([c.strategy, str(c.cores), str(c.workers), Cell("**ERROR**", "error")] + [""] * len(used))
                continue
            rows.append([c.strategy, str(c.cores), str(c.workers), fmt.si(c.median)]
                        + [(f(v) if (v := get(c)) is not None else "") for _, get, f in used])
        doc.add(Table(["strategy", "cores", "workers", g.unit] + [name for name, _, _ in used], rows,
                      "medians over repetitions"))

    # ------------------------------------------------------------------
    def _contrast(self, doc, scenario, per_host):
        doc.add(Heading(2, f"{scenario}: wait versus cpu (concurrency is not parallelism)"))
        doc.add(Para("With `wait` work, more workers help even on one core (tasks overlap their waiting); "
                     "with `cpu`/`compute` work only more cores help. Gains are relative to 1 worker on 1 core."))
        for host, rows in per_host.items():
            if self.multi_host:
                doc.add(Heading(3, host))
            table, chart_rows = [], []
            for r in rows:
                kind = r.group.param("kind")
                label = f"{r.group.params_label}: {r.strategy}"
                table.append([r.group.params_label, r.strategy,
                              f"{fmt.ratio(r.workers_gain)} (at {r.workers_at} workers)" if r.workers_gain else "not measured",
                              f"{fmt.ratio(r.cores_gain)} (at {r.max_cores} cores)" if r.cores_gain else "not measured"])
                if kind in WAIT_KINDS + CPU_KINDS:
                    chart_rows.append((label, r.workers_gain, r.cores_gain))
            doc.add(Table(["case", "strategy", "more workers on 1 core", "more cores (workers = cores)"], table))
            left_out = sorted({s for g in self.groups if g.scenario == scenario and g.host == host
                               for s in g.strategies if g.ignores_workers(s)})
            if left_out:
                doc.add(Para("Left out (strategy metadata: they ignore `workers`): " + ", ".join(left_out) + "."))
            if self.svg and chart_rows:
                doc.add(Chart(charts.kind_chart(self._chart_id(f"{scenario}-kinds"), f"{scenario}: wait vs cpu",
                                                chart_rows), f"{scenario}: what more workers and more cores buy"))

    def _notes(self, doc):
        reps = sorted({c.summary.n for g in self.groups for c in g.cases.values() if c.summary})
        doc.add(Heading(2, "Notes: how to read this report"))
        if self._superlinear:
            doc.add(Para("¹ " + derived.SUPERLINEAR_NOTE))
        doc.add(Bullets([
            "Throughput is the median over repetitions of items/s (runs/s where a case reports no items); "
            "error bars and ± span the min..max over repetitions.",
            "Speedup vs the baseline: a strategy's throughput over the scenario's fixed baseline strategy at 1 core "
            "(named in each table; from the strategy metadata, else `sequential`). Self speedup: over the "
            "strategy's own 1-core throughput. Efficiency = speedup / cores; above 100% is marked superlinear.",
            "Karp-Flatt serial fraction e = (1/S − 1/p) / (1 − 1/p) from the self speedup S at p cores, shown only "
            "where it is defined: a compute kind and 1 <= S <= p; elsewhere n/a with the reason.",
            f"1-worker overhead: 1 − (a strategy's 1-worker, 1-core throughput / the baseline's), flagged above "
            f"{derived.OVERHEAD_FLAG:.0%} on a compute kind.",
            f"Scaling-law fits (Amdahl: X = λ / (f + (1 − f)/p); USL: X = λp / (1 + σ(p − 1) + κp(p − 1))) are shown "
            f"only with at least {MIN_CORE_COUNTS} core counts.",
            "Noise: " + NOISE_RULE + " " + BIMODAL_NOTE,
            summary.WINNER_RULE.format(band=self.band) + f" Repetitions per case here: "
            f"{', '.join(map(str, reps)) or 'none'}; an interval needs at least {MIN_REPS}.",
            "Tables compare like with like: strategies whose metadata says they ignore `workers` are left out of "
            "the oversubscription and wait-versus-cpu tables; latency-role strategies are reported as round trips.",
            "Answer: ✓ checked when every run's answer was checked exactly (checked_runs == iterations) with no error. "
            "TSan: the ThreadSanitizer verdict from races.json (clean, flagged, skipped with the reason), "
            "'not run' when there was none. Detectors: the seeded controls caught (Detection power).",
            "Errors are listed at the top and shown as ERROR in every table; they never contribute numbers.",
        ]))
