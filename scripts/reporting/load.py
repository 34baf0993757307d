"""Read and validate run folders (format: docs/results-format.md).

Everything is checked before anything is written: a problem raises
:class:`InputError` with a one-line message naming the file.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .names import CaseName, parse_name

#: A JSON object as json.load returns it.
JSONObject = dict[str, Any]

_CORES_FILE = re.compile(r"^cores-([0-9]+)\.json$")
_TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
#: Optional per-repetition counters the reports use (docs/results-format.md).
METRICS = (
    "items_per_second",
    "bytes_per_second",
    "latency_p50_us",
    "latency_p99_us",
    "bytes_per_task",
    "cpu_seconds_per_run",
    "ctx_switches_per_run",
    "checked_runs",
)


class InputError(Exception):
    """Bad input; the message names the problem and the file."""


@dataclass
class Sample:
    """One repetition of one case (a Google Benchmark "iteration" entry)."""

    case: CaseName
    cores: int
    repetition: int
    name: str
    iterations: int
    seconds_per_run: float | None  # wall time per run of the work
    metrics: dict[str, float]  # subset of METRICS present in the entry
    error: str | None = None  # error_message when error_occurred
    round: int | None = None  # interleaved sweep: the round this repetition ran in
    probe_before: float | None = None  # machine-state probe: inter-core round trip (ns) before
    probe_after: float | None = None  # ... and after the repetition (None: not measured)
    steal_ms: float | None = None  # steal time (/proc/stat) during the repetition
    irq_ms: float | None = None  # irq + softirq time during the repetition

    @property
    def probe(self) -> float | None:
        """The repetition's round-trip probe: mean of before/after that exist."""
        vals = [v for v in (self.probe_before, self.probe_after) if v is not None]
        return sum(vals) / len(vals) if vals else None

    @property
    def throughput(self) -> float | None:
        """items/s when reported, else runs/s from the wall time."""
        if self.error:
            return None
        if self.metrics.get("items_per_second") is not None:
            return self.metrics["items_per_second"]
        if self.seconds_per_run:
            return 1.0 / self.seconds_per_run
        return None


@dataclass
class Run:
    """One run folder."""

    path: str
    host: str  # label; made unique across merged runs by load_runs
    run_id: str
    manifest: JSONObject | None
    contexts: dict[int, JSONObject]  # cores -> Google Benchmark context dict
    samples: list[Sample] = field(default_factory=list)
    races: JSONObject | None = None
    notes: list[str] = field(default_factory=list)  # things the reader should know
    detectors: JSONObject | None = None  # detectors.json (validated)
    explore: Any = None  # explore.json as read (layout checked by detection.py)
    strategy_meta: dict[str, JSONObject] = field(default_factory=dict)  # "<scenario>/<strategy>" -> metadata

    @property
    def display_path(self) -> str:
        """The folder relative to the working directory, or its name when it
        lies elsewhere: reports do not show the absolute path of the machine
        that made them."""
        rel = os.path.relpath(self.path)
        return os.path.basename(self.path) if rel.startswith("..") else rel

    @property
    def paired(self) -> JSONObject | None:
        """manifest 'paired' ({'role', 'rounds', 'seed'}) when this is one side of an A/B run."""
        value = (self.manifest or {}).get("paired")
        return value if isinstance(value, dict) else None

    @property
    def interleave(self) -> JSONObject | None:
        """manifest 'interleaving' ({'seed', 'rounds', 'cases', 'order'}; 'interleave' also read)."""
        m = self.manifest or {}
        value = m.get("interleaving", m.get("interleave"))
        return value if isinstance(value, dict) else None

    @property
    def cores(self) -> list[int]:
        return sorted(self.contexts)


def _read_json(path: str) -> Any:
    try:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: empty file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON: {e.msg} (line {e.lineno}, column {e.colno}); truncated?") from None


def _number(entry: JSONObject, key: str, path: str, name: str, required: bool) -> float | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise InputError(f"{path}: benchmark '{name}' has no '{key}'")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{path}: benchmark '{name}' field '{key}' is not a finite number ({value!r})")
    return float(value) if isinstance(value, float) else int(value)


def _load_cores_file(path: str, cores: int) -> tuple[JSONObject, list[Sample]]:
    """Return (context, samples) of one cores-<n>.json."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object with 'context' and 'benchmarks'")
    context, benchmarks = data.get("context"), data.get("benchmarks")
    if not isinstance(context, dict):
        raise InputError(f"{path}: missing or bad 'context' object")
    if not isinstance(benchmarks, list):
        raise InputError(f"{path}: missing or bad 'benchmarks' list")
    declared = context.get("harness_cores")
    if declared is not None and str(declared).strip() != str(cores):
        raise InputError(f"{path}: context harness_cores is {declared!r} but the file name says {cores}")
    samples: list[Sample] = []
    aggregate_medians: dict[str, tuple[CaseName, JSONObject]] = {}
    for i, entry in enumerate(benchmarks):
        if not isinstance(entry, dict):
            raise InputError(f"{path}: benchmarks[{i}] is not an object")
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise InputError(f"{path}: benchmarks[{i}] has no 'name'")
        run_type = entry.get("run_type", "iteration")
        if run_type not in ("iteration", "aggregate"):
            raise InputError(f"{path}: benchmark '{name}' has unknown run_type {run_type!r}")
        run_name = entry.get("run_name", name)
        if not isinstance(run_name, str):
            raise InputError(f"{path}: benchmark '{name}' has a bad 'run_name'")
        try:
            case = parse_name(run_name if run_type == "aggregate" else name)
        except ValueError as e:
            raise InputError(f"{path}: {e}") from None
        if run_type == "aggregate":
            if entry.get("aggregate_name") == "median":
                aggregate_medians[run_name] = (case, entry)
            continue
        workers_field = entry.get("workers")
        if workers_field is not None and _number(entry, "workers", path, name, False) != case.workers:
            raise InputError(f"{path}: benchmark '{name}' field workers={workers_field} disagrees with its name")
        rep = entry.get("repetition_index", 0)
        if isinstance(rep, bool) or not isinstance(rep, int):
            raise InputError(f"{path}: benchmark '{name}' has a bad 'repetition_index'")
        if entry.get("error_occurred"):
            message = entry.get("error_message") or "error (no message)"
            sample = Sample(case, cores, rep, name, 0, None, {}, str(message))
            _round_and_probe(sample, entry, path, name)
            samples.append(sample)
            continue
        samples.append(_sample(entry, case, cores, rep, name, path))
    # Results written with --benchmark_report_aggregates_only: use the medians.
    have = {s.name for s in samples}
    for run_name, (case, entry) in aggregate_medians.items():
        if run_name not in have:
            samples.append(_sample(entry, case, cores, 0, run_name, path))
    return context, samples


def _sample(entry: JSONObject, case: CaseName, cores: int, rep: int, name: str, path: str) -> Sample:
    iterations = _required(entry, "iterations", path, name)
    real_time = _required(entry, "real_time", path, name)
    unit = entry.get("time_unit", "ns")
    if unit not in _TIME_UNITS:
        raise InputError(f"{path}: benchmark '{name}' has unknown time_unit {unit!r}")
    metrics = {}
    for key in METRICS:
        value = _number(entry, key, path, name, False)
        if value is not None:
            metrics[key] = value
    seconds = real_time * _TIME_UNITS[unit]
    sample = Sample(case, cores, rep, name, int(iterations), seconds if seconds > 0 else None, metrics)
    _round_and_probe(sample, entry, path, name)
    return sample


def _required(entry: JSONObject, key: str, path: str, name: str) -> float:
    value = _number(entry, key, path, name, True)
    assert value is not None  # _number raised otherwise
    return value


def _round_and_probe(sample: Sample, entry: JSONObject, path: str, name: str) -> None:
    """The interleaved sweep's per-repetition fields; all optional."""
    rnd = entry.get("round")
    if rnd is not None:
        if isinstance(rnd, bool) or not isinstance(rnd, int) or rnd < 0:
            raise InputError(f"{path}: benchmark '{name}' has a bad 'round' ({rnd!r})")
        sample.round = rnd
    for key in ("probe_before", "probe_after"):
        probe = entry.get(key)
        if probe is None:
            continue
        if not isinstance(probe, dict):
            raise InputError(f"{path}: benchmark '{name}' field '{key}' is not an object")
        value = probe.get("roundtrip_ns")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
        ):
            raise InputError(f"{path}: benchmark '{name}' field '{key}.roundtrip_ns' is not a number or null")
        setattr(sample, key, float(value) if value is not None and value > 0 else None)
    sample.steal_ms = _number(entry, "steal_ms", path, name, False)
    sample.irq_ms = _number(entry, "irq_ms", path, name, False)


def load_run(path: str) -> Run:
    """Read one run folder; raise InputError on anything malformed."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such folder")
    if not os.path.isdir(path):
        raise InputError(f"{path}: not a folder")
    try:
        entries = sorted(os.listdir(path))
    except OSError as e:
        raise InputError(f"{path}: cannot list ({e.strerror})") from None
    if not entries:
        raise InputError(f"{path}: empty folder (expected manifest.json and cores-<n>.json)")
    core_files: dict[int, str] = {}
    for entry in entries:
        m = _CORES_FILE.match(entry)
        if m and int(m.group(1)) >= 1:
            core_files[int(m.group(1))] = os.path.join(path, entry)
    if not core_files:
        raise InputError(f"{path}: no cores-<n>.json files in the folder")

    manifest: JSONObject | None = None
    notes: list[str] = []
    manifest_path = os.path.join(path, "manifest.json")
    if os.path.exists(manifest_path):
        manifest = _read_json(manifest_path)
        if not isinstance(manifest, dict):
            raise InputError(f"{manifest_path}: expected a JSON object")
        for key in ("failed", "hung"):
            if key in manifest and not isinstance(manifest[key], list):
                raise InputError(f"{manifest_path}: '{key}' is not a list")
        files = manifest.get("files", {})
        if not isinstance(files, dict):
            raise InputError(f"{manifest_path}: 'files' is not an object")
        for n, name in files.items():
            if not isinstance(name, str) or not os.path.exists(os.path.join(path, name)):
                raise InputError(f"{manifest_path}: lists {name!r} for {n} cores but that file is missing")
    else:
        notes.append(f"{path}: no manifest.json; context taken from the cores-<n>.json files")

    races = None
    races_path = os.path.join(path, "races.json")
    if os.path.exists(races_path):
        races = _read_json(races_path)
        strategies = races.get("strategies") if isinstance(races, dict) else None
        if not isinstance(strategies, dict) or not all(
            isinstance(v, dict) and v.get("verdict") in ("clean", "flagged", "skipped") for v in strategies.values()
        ):
            raise InputError(
                f"{races_path}: expected "
                "{'strategies': {'<scenario>/<strategy>': {'verdict': clean|flagged|skipped}}}"
            )

    if manifest is not None:
        _check_manifest_extras(manifest, manifest_path)
    detectors = _load_detectors(os.path.join(path, "detectors.json"))
    explore_path = os.path.join(path, "explore.json")
    explore = _read_json(explore_path) if os.path.exists(explore_path) else None

    contexts: dict[int, JSONObject] = {}
    samples: list[Sample] = []
    meta: dict[str, JSONObject] = {}
    for cores, file_path in sorted(core_files.items()):
        context, file_samples = _load_cores_file(file_path, cores)
        contexts[cores] = context
        samples.extend(file_samples)
        meta.update(_strategy_meta(context, file_path))
    if not samples:
        raise InputError(f"{path}: the cores-<n>.json files hold no benchmarks")

    first = contexts[min(contexts)]
    host = (manifest or {}).get("host") or first.get("host_name") or os.path.basename(os.path.abspath(path))
    run_id = (manifest or {}).get("run_id") or os.path.basename(os.path.abspath(path))
    return Run(
        os.path.abspath(path),
        str(host),
        str(run_id),
        manifest,
        contexts,
        samples,
        races,
        notes,
        detectors,
        explore,
        meta,
    )


def _check_manifest_extras(manifest: JSONObject, path: str) -> None:
    """'interleaving' and 'paired' (interleaved / paired A/B sweeps), when present."""
    for key in ("interleaving", "interleave", "paired"):
        value = manifest.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise InputError(f"{path}: '{key}' is not an object")
        for field_name in ("seed", "rounds"):
            v = value.get(field_name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise InputError(f"{path}: '{key}.{field_name}' is not an integer ({v!r})")
    paired = manifest.get("paired")
    if paired is not None and paired.get("role") not in ("A", "B"):
        raise InputError(f"{path}: 'paired.role' must be \"A\" or \"B\" (got {paired.get('role')!r})")


def _load_detectors(path: str) -> JSONObject | None:
    """detectors.json: {"controls": [{"name", "detector", "caught"}], "caught": n, "total": n}."""
    if not os.path.exists(path):
        return None
    data = _read_json(path)
    controls = data.get("controls") if isinstance(data, dict) else None
    if not isinstance(controls, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("caught"), bool) for c in controls
    ):
        raise InputError(f"{path}: expected {{'controls': [{{'name': str, 'detector': str, 'caught': bool}}], ...}}")
    assert isinstance(data, dict)  # controls is a list: data is an object
    return data


def _strategy_meta(context: JSONObject, path: str) -> dict[str, JSONObject]:
    """The context's 'harness_strategies' (a JSON string) as a dict; {} when absent."""
    raw = context.get("harness_strategies")
    if raw is None:
        return {}
    try:
        meta = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: context 'harness_strategies' is not valid JSON: {e.msg}") from None
    if not isinstance(meta, dict) or not all(isinstance(v, dict) for v in meta.values()):
        raise InputError(
            f"{path}: context 'harness_strategies' is not an object of " "'<scenario>/<strategy>' -> object"
        )
    for key, entry in meta.items():
        ignores = entry.get("ignores", [])
        if not isinstance(ignores, list) or not all(isinstance(x, str) for x in ignores):
            raise InputError(f"{path}: harness_strategies['{key}'].ignores is not a list of names")
        if entry.get("role", "throughput") not in ("throughput", "latency"):
            raise InputError(
                f"{path}: harness_strategies['{key}'].role is {entry.get('role')!r}, " "expected throughput or latency"
            )
    return meta


def load_runs(paths: Iterable[str], prepare: Callable[[list[Run]], list[Run]] | None = None) -> list[Run]:
    """Load several run folders; host labels are made unique (host + run id).
    ``prepare`` (runs -> runs), when given, runs before the labelling (the
    report's shard merging and mixing check, merge.py)."""
    runs = [load_run(p) for p in paths]
    if prepare is not None:
        runs = prepare(runs)
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.host] = counts.get(run.host, 0) + 1
    for run in runs:
        if counts[run.host] > 1:
            run.host = f"{run.host} ({run.run_id})"
    labels = [r.host for r in runs]
    for i, run in enumerate(runs):  # same host and run id twice: number them
        if labels.count(run.host) > 1:
            run.host = f"{run.host} #{labels[:i + 1].count(run.host)}"
    return runs
