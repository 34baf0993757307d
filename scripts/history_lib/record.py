"""One run folder as the rows the store records (no database here).

A run folder (docs/results-format.md) is read with ``reporting.load``; each
case (benchmark name and core count) becomes a :class:`CaseRecord` with its
repetitions' throughput, their median and bootstrap CI, and the run's check
and TSan marks. The machine fingerprint comes from the run context.
"""
from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
from dataclasses import dataclass, field

from reporting import ci, load

#: The context keys that identify a machine; series never mix two fingerprints.
FINGERPRINT_KEYS = ("cpu_model", "num_cpus", "kernel", "compiler", "build_type", "preset", "sanitizer")


@dataclass
class CaseRecord:
    key: str  # "c<cores>:<scenario>/<strategy>/<params>/workers:<n>"
    scenario: str
    strategy: str
    params: str  # "kind:add2/elements:1000" ("" when none)
    workers: int
    cores: int
    status: str  # ok | failed | hung
    checked: int | None  # 1: every run's answer was checked; 0: not all; None: not reported
    tsan: str | None  # races.json verdict of the strategy (clean | flagged | skipped) or None
    metric: str  # items_per_second | runs_per_second
    values: list = field(default_factory=list)  # (repetition, round, throughput)
    median: float | None = None
    ci_lo: float | None = None
    ci_hi: float | None = None


@dataclass
class RunRecord:
    run_id: str
    digest: str  # content hash of the folder's result files: the same run_id with another digest is refused
    commit: str
    dirty: bool
    commit_date: str | None
    commit_time: float | None  # unix seconds of the commit date
    commit_depth: int | None  # git rev-list --count (orders commits made within one second)
    run_date: str
    machine: dict  # FINGERPRINT_KEYS -> value
    fingerprint: str
    quick: bool
    repetitions: int | None
    source: str
    cases: list = field(default_factory=list)


def fingerprint_of(machine: dict) -> str:
    text = json.dumps([str(machine.get(k, "")) for k in FINGERPRINT_KEYS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _digest(path: str) -> str:
    h = hashlib.sha256()
    for name in sorted(os.listdir(path)):
        if name == "manifest.json" or (name.startswith("cores-") and name.endswith(".json")) or name == "races.json":
            h.update(name.encode())
            with open(os.path.join(path, name), "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:16]


def _git(repo: str, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def commit_info(repo: str | None, sha: str):
    """(ISO date, unix time, depth) of a commit, or Nones when git does not know it."""
    if not repo or not sha:
        return None, None, None
    line = _git(repo, "show", "-s", "--format=%cI %ct", sha + "^{commit}")
    if not line:
        return None, None, None
    date, stamp = line.split()
    depth = _git(repo, "rev-list", "--count", sha)
    return date, float(stamp), int(depth) if depth and depth.isdigit() else None


def read_run(path: str, repo: str | None) -> RunRecord:
    """A run folder as a RunRecord; raises load.InputError on bad input."""
    run = load.load_run(path)
    first = run.contexts[min(run.contexts)]
    manifest = run.manifest or {}
    commit = str(first.get("git_commit") or "")
    if not commit or commit == "unknown":
        raise load.InputError(f"{path}: the run context has no git_commit (a sweep of a build outside git?)")
    dirty = commit.endswith("+dirty")
    sha = commit[: -len("+dirty")] if dirty else commit
    machine = {k: first.get(k) for k in FINGERPRINT_KEYS}
    for cores, context in run.contexts.items():
        other = {k: context.get(k) for k in FINGERPRINT_KEYS}
        if other != machine or str(context.get("git_commit") or "") != commit:
            raise load.InputError(f"{path}: cores-{cores}.json has another machine or commit than the rest of the run")
    date, stamp, depth = commit_info(repo, sha)
    run_date = str(manifest.get("created") or first.get("date") or "")
    quick = str(manifest.get("quick", first.get("quick", "false"))).lower() == "true"
    reps = manifest.get("repetitions") or first.get("repetitions")
    record = RunRecord(
        run_id=run.run_id,
        digest=_digest(path),
        commit=sha,
        dirty=dirty,
        commit_date=date,
        commit_time=stamp,
        commit_depth=depth,
        run_date=run_date,
        machine=machine,
        fingerprint=fingerprint_of(machine),
        quick=quick,
        repetitions=int(reps) if reps is not None and str(reps).isdigit() else None,
        source=run.display_path,
    )
    record.cases = _cases(run)
    return record


def _cases(run) -> list:
    failed = {str(n) for n in (run.manifest or {}).get("failed", [])}
    hung = {str(n) for n in (run.manifest or {}).get("hung", [])}
    verdicts = (run.races or {}).get("strategies", {})
    by_key: dict[str, CaseRecord] = {}
    checked_all: dict[str, bool] = {}  # every reported run's answer checked
    checked_seen: dict[str, bool] = {}  # checked_runs reported at all
    for s in run.samples:
        c = s.case
        key = (
            f"c{s.cores}:{c.scenario}/{c.strategy}/"
            + (c.params_label + "/" if c.params else "")
            + f"workers:{c.workers}"
        )
        rec = by_key.get(key)
        if rec is None:
            full = key.split(":", 1)[1]
            status = "ok"
            marks = {f"c{s.cores}:{full}", f"c{s.cores}:{s.name}", key}  # with or without the timer suffix
            if marks & failed:
                status = "failed"
            if marks & hung:
                status = "hung"
            tsan = verdicts.get(f"{c.scenario}/{c.strategy}", {}).get("verdict")
            rec = CaseRecord(
                key, c.scenario, c.strategy, c.params_label, c.workers, s.cores, status, None, tsan, "items_per_second"
            )
            checked_all[key], checked_seen[key] = True, False
            by_key[key] = rec
        if s.error:
            rec.status = "hung" if rec.status == "hung" else "failed"
            continue
        t = s.throughput
        if t is None or t <= 0:
            continue
        if s.metrics.get("items_per_second") is None:
            rec.metric = "runs_per_second"
        checked = s.metrics.get("checked_runs")
        if checked is not None:
            checked_seen[key] = True
            checked_all[key] = checked_all[key] and checked >= s.iterations
        rec.values.append((s.repetition, s.round, float(t)))
    for key, rec in by_key.items():
        rec.checked = (1 if checked_all[key] else 0) if checked_seen[key] else None
        vals = [v for _, _, v in rec.values]
        if vals:
            rec.median = float(statistics.median(vals))
            interval = ci.median_ci(vals, rec.key)  # None below ci.MIN_REPS repetitions
            if interval is not None:
                rec.ci_lo, rec.ci_hi = interval.lo, interval.hi
    return sorted(by_key.values(), key=lambda r: r.key)
