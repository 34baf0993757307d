"""Turn loaded runs into per-scenario-group analyses.

A *group* is one scenario with one set of non-worker parameters on one host
(``parallel_map kind:add2`` and ``parallel_map kind:heavy`` are separate
groups). Inside a group a *case* is (strategy, cores, workers); the scaling
view uses the cases with workers == cores, the oversubscription view the
others.

Throughput: median over repetitions of items/s (runs/s when a case reports
no items); error bars span min..max over repetitions. Speedups, Karp-Flatt
and the 1-worker overhead are in derived.py, the winner rule in verdict.py
(docs/method.md).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import fit as fitmod
from . import meta
from .load import Run, Sample
from .names import Params
from .stats import Summary, summarize

#: (strategy, cores, workers): a case inside a group.
CaseKey = tuple[str, int, int]
WAIT_KINDS = ("wait",)
CPU_KINDS = ("cpu", "compute")
#: Kinds whose work is computation (Karp-Flatt and the 1-worker overhead flag apply).
COMPUTE_KINDS = ("cpu", "compute", "add2", "heavy")


@dataclass
class Case:
    """All repetitions of one case on one host."""

    strategy: str
    cores: int
    workers: int
    samples: list[Sample]

    @property
    def error(self) -> str | None:
        errors = [s for s in self.samples if s.error]
        if not errors:
            return None
        msg = str(errors[0].error)
        if len(errors) > 1 or len(errors) < len(self.samples):
            msg += f" ({len(errors)} of {len(self.samples)} repetitions failed)"
        return msg

    @property
    def values(self) -> list[float]:
        """Per-repetition throughput (empty when the case failed)."""
        if self.error:
            return []
        return [s.throughput for s in self.samples if s.throughput is not None]

    @property
    def summary(self) -> Summary | None:
        vals = self.values
        return summarize(vals) if vals else None

    @property
    def median(self) -> float | None:
        s = self.summary
        return s.median if s else None

    def metric_median(self, key: str) -> float | None:
        """Median over repetitions of a per-repetition counter (None if absent)."""
        if self.error:
            return None
        vals = [s.metrics[key] for s in self.samples if key in s.metrics]
        return summarize(vals).median if vals else None

    @property
    def busy_cores(self) -> float | None:
        """CPU seconds per wall second: how many cores the case kept busy."""
        if self.error:
            return None
        vals = [
            s.metrics["cpu_seconds_per_run"] / s.seconds_per_run
            for s in self.samples
            if "cpu_seconds_per_run" in s.metrics and s.seconds_per_run
        ]
        return summarize(vals).median if vals else None


@dataclass
class Group:
    """One scenario + non-worker parameters on one host."""

    scenario: str
    params: Params
    host: str
    run: Run
    cases: dict[CaseKey, Case] = field(default_factory=dict)

    # ---- labels -----------------------------------------------------------
    @property
    def params_label(self) -> str:
        return " ".join(f"{k}:{v}" for k, v in self.params)

    @property
    def title(self) -> str:
        return f"{self.scenario} {self.params_label}".strip()

    def param(self, key: str, default: str | None = None) -> str | None:
        return dict(self.params).get(key, default)

    @property
    def unit(self) -> str:
        samples = [s for c in self.cases.values() for s in c.samples if not s.error]
        if samples and all("items_per_second" in s.metrics for s in samples):
            return "items/s"
        return "runs/s"

    # ---- cases ------------------------------------------------------------
    @property
    def strategies(self) -> list[str]:
        return sorted({k[0] for k in self.cases})

    @property
    def throughput_strategies(self) -> list[str]:
        """Strategies ranked by throughput (latency-role ones left out)."""
        return [s for s in self.strategies if meta.role(self.run, self.scenario, s) != "latency"]

    @property
    def latency_strategies(self) -> list[str]:
        """Strategies whose metadata gives them the latency (round-trip) role."""
        return [s for s in self.strategies if meta.role(self.run, self.scenario, s) == "latency"]

    @property
    def work_class(self) -> str | None:
        """'compute', 'wait' or 'communication' from the strategy metadata, else
        'compute' for a kind in COMPUTE_KINDS and None (unknown) otherwise."""
        cls = meta.work_class(self.run, self.scenario, self.strategies, self.params)
        if cls is not None:
            return cls
        return "compute" if self.param("kind") in COMPUTE_KINDS else None

    @property
    def compute_kind(self) -> bool:
        """True when the group's work is computation (Karp-Flatt and the overhead flag apply)."""
        return self.work_class == "compute"

    def overhead_reason(self, strategy: str) -> str:
        """Why the strategy's 1-worker overhead is expected ("" when unexplained)."""
        return meta.overhead_reason(self.run, self.scenario, strategy)

    def ignores_workers(self, strategy: str) -> bool:
        return meta.ignores(self.run, self.scenario, strategy, "workers")

    @property
    def baseline(self) -> tuple[str | None, str]:
        """(strategy, source) of the fixed baseline, or (None, reason); see meta.baseline."""
        return meta.baseline(self.run, self.scenario, self.strategies)

    @property
    def cores(self) -> list[int]:
        return sorted({k[1] for k in self.cases})

    def main(self, strategy: str, cores: int) -> Case | None:
        """The scaling case: workers == cores."""
        return self.cases.get((strategy, cores, cores))

    @property
    def failed_cases(self) -> list[Case]:
        return [c for c in self.cases.values() if c.error]

    @property
    def other_worker_cases(self) -> list[Case]:
        return sorted(
            (c for c in self.cases.values() if c.workers != c.cores), key=lambda c: (c.strategy, c.cores, c.workers)
        )

    @property
    def has_oversubscription(self) -> bool:
        return any(c.workers > c.cores for c in self.cases.values())

    # ---- derived figures --------------------------------------------------
    def median(self, strategy: str, cores: int) -> float | None:
        """The median throughput of the scaling case (None: no case or no data)."""
        case = self.main(strategy, cores)
        return case.median if case is not None else None

    def fits(self, strategy: str) -> tuple[list[fitmod.Fit], str | None]:
        """(fits, reason) for one strategy's throughput vs cores."""
        pts = [(p, x) for p in self.cores if (x := self.median(strategy, p)) is not None]
        return fitmod.fit_scaling([p for p, _ in pts], [x for _, x in pts])

    def checked_status(self, strategy: str) -> str:
        """'checked', 'ERROR', 'partly checked (a of b runs)' or 'not reported'."""
        cases = [c for k, c in self.cases.items() if k[0] == strategy]
        if any(c.error for c in cases):
            return "ERROR"
        samples = [s for c in cases for s in c.samples]
        if any("checked_runs" not in s.metrics for s in samples):
            return "not reported"
        checked = sum(int(s.metrics["checked_runs"]) for s in samples)
        runs = sum(s.iterations for s in samples)
        if all(int(s.metrics["checked_runs"]) == s.iterations for s in samples):
            return "checked"
        return f"partly checked ({checked} of {runs} runs)"

    def tsan_status(self, strategy: str) -> str:
        """'clean', 'flagged', 'skipped (reason)' or 'not run'."""
        races = self.run.races
        if not races:
            return "not run"
        entry = races.get("strategies", {}).get(f"{self.scenario}/{strategy}")
        if not entry:
            return "not run"
        if entry["verdict"] == "skipped":
            reason = entry.get("reason")
            return f"skipped ({reason})" if reason else "skipped"
        return str(entry["verdict"])


def group_runs(runs: Iterable[Run]) -> list[Group]:
    """All groups of all runs: scenarios by name (the registry's order, as
    `harness list` prints them), and inside a scenario in the order the
    results first name each (host, parameters)."""
    groups: dict[tuple[str, Params, str], Group] = {}
    for run in runs:
        for s in run.samples:
            key = (s.case.scenario, s.case.params, run.host)
            if key not in groups:
                groups[key] = Group(s.case.scenario, s.case.params, run.host, run)
            group = groups[key]
            ckey = (s.case.strategy, s.cores, s.case.workers)
            group.cases.setdefault(ckey, Case(*ckey, [])).samples.append(s)
    # dicts keep insertion order and sorted() is stable: first appearance breaks ties.
    return sorted(groups.values(), key=lambda g: g.scenario)


@dataclass
class KindRow:
    """Wait-vs-cpu contrast: what more workers and more cores buy."""

    group: Group
    strategy: str
    workers_gain: float | None  # best X(1 core, w > 1) / X(1 core, 1 worker)
    workers_at: int | None  # the worker count of that best
    cores_gain: float | None  # X(max cores) / X(1 core), workers == cores
    max_cores: int | None


def kind_contrast(groups: Iterable[Group]) -> dict[str, dict[str, list[KindRow]]]:
    """scenario -> host -> list of KindRow, for scenarios that have both a
    ``kind:wait`` group and a ``kind:cpu``/``kind:compute`` group."""
    out: dict[str, dict[str, list[KindRow]]] = {}
    by_scenario_host: dict[tuple[str, str], list[Group]] = {}
    for g in groups:
        by_scenario_host.setdefault((g.scenario, g.host), []).append(g)
    for (scenario, host), gs in by_scenario_host.items():
        kinds = {g.param("kind") for g in gs}
        if not (kinds & set(WAIT_KINDS) and kinds & set(CPU_KINDS)):
            continue
        rows = [
            _kind_row(g, s)
            for g in gs
            if g.param("kind") in WAIT_KINDS + CPU_KINDS
            # a strategy that ignores workers: its ratios would be noise (issue #17)
            for s in g.throughput_strategies
            if not g.ignores_workers(s)
        ]
        out.setdefault(scenario, {})[host] = rows
    return out


def _kind_row(g: Group, s: str) -> KindRow:
    """What more workers on 1 core and more cores buy strategy ``s``."""
    base = g.median(s, 1)
    wgain: float | None = None
    wat: int | None = None
    for c in g.cases.values():
        m = c.median
        if c.strategy == s and c.cores == 1 and c.workers > 1 and m is not None and base:
            if wgain is None or m / base > wgain:
                wgain, wat = m / base, c.workers
    top = max((p for p in g.cores if g.median(s, p) is not None), default=None)
    top_median = g.median(s, top) if top is not None else None
    cgain = top_median / base if (top is not None and top > 1 and top_median is not None and base) else None
    return KindRow(g, s, wgain, wat, cgain, top if cgain is not None else None)
