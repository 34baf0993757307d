"""Merging run folders: the shards of one sweep become one run, and runs of
different commits or parameter sets are refused unless mixing is allowed.

A shard (`harness sweep --shard i/n`) has a manifest ``shard`` object
(``index``, ``count``, ``planned_cases``). Shards belong to the same sweep
when they have the same commit, the same ``parameters``, the same shard
count and planned case count and the same machine kind (CPU model and
architecture); they are merged into one :class:`Run` (samples and contexts
together; a case and repetition present twice is bad input). Missing shards
are stated as a note.

Runs then must share one commit (context ``git_commit``) and one
``parameters`` object (manifest; folders without it are not compared) unless
``allow_mixed`` is set; the refusal is one line naming both values and folders.
"""
from __future__ import annotations

import copy
import json

from .load import InputError, JSONObject, Run, Sample

#: What shards of one sweep share: commit, parameters, shard count, planned cases, CPU model, architecture.
ShardKey = tuple[str | None, str, int, int, str, str]


def _commit(run: Run) -> str | None:
    for cores in run.cores:
        value = run.contexts[cores].get("git_commit")
        if value:
            return str(value)
    return None


def _ctx(run: Run, key: str) -> str:
    for cores in run.cores:
        value = run.contexts[cores].get(key)
        if value:
            return str(value)
    return ""


def _parameters(run: Run) -> JSONObject | None:
    value = (run.manifest or {}).get("parameters")
    return value if isinstance(value, dict) else None


def _shard(run: Run) -> JSONObject | None:
    value = (run.manifest or {}).get("shard")
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not all(
            isinstance(value.get(k), int) and not isinstance(value.get(k), bool)
            for k in ("index", "count", "planned_cases")
        )
        or not 1 <= value["index"] <= value["count"]
    ):
        raise InputError(
            f"{run.path}/manifest.json: 'shard' must be "
            "{'index': i, 'count': n, 'planned_cases': m} with 1 <= i <= n"
        )
    return value


def _arch(run: Run) -> str:
    kernel = _ctx(run, "kernel").split()
    return kernel[-1] if kernel else ""


def _shard_key(run: Run, shard: JSONObject) -> ShardKey:
    return (
        _commit(run),
        json.dumps(_parameters(run), sort_keys=True),
        shard["count"],
        shard["planned_cases"],
        _ctx(run, "cpu_model"),
        _arch(run),
    )


def _manifest(run: Run) -> JSONObject:
    """The manifest of a shard (merge_shards only groups runs that have one)."""
    assert run.manifest is not None
    return run.manifest


def _merge_group(shards: list[Run]) -> Run:
    """One run from the shards of one sweep (sorted by shard index)."""
    group = sorted(shards, key=lambda r: int(_manifest(r)["shard"]["index"]))
    first = group[0]
    first_manifest = _manifest(first)
    count = first_manifest["shard"]["count"]
    indexes: list[int] = [_manifest(r)["shard"]["index"] for r in group]
    for i in set(indexes):
        if indexes.count(i) > 1:
            paths = ", ".join(r.display_path for r in group if _manifest(r)["shard"]["index"] == i)
            raise InputError(f"shard {i}/{count} given twice ({paths})")
    if len(group) == 1 and count == 1:
        return first
    seen: dict[tuple[str, int, int], str] = {}
    samples: list[Sample] = []
    contexts: dict[int, JSONObject] = {}
    for run in group:
        for s in run.samples:
            key = (s.name, s.cores, s.repetition)
            if key in seen:
                raise InputError(
                    f"{s.name} at {s.cores} cores, repetition {s.repetition}, is in two shards "
                    f"({seen[key]} and {run.display_path})"
                )
            seen[key] = run.display_path
            samples.append(s)
        for cores, context in run.contexts.items():
            contexts.setdefault(cores, context)
    manifest = copy.deepcopy(first_manifest)
    manifest["cases"] = sum(int(_manifest(r).get("cases", 0)) for r in group)
    for name in ("failed", "hung", "missing"):
        manifest[name] = [x for r in group for x in (_manifest(r).get(name) or [])]
    manifest["files"] = {}
    manifest["interleaving"] = {k: v for k, v in (first.interleave or {}).items() if k == "rounds"} or None
    hosts = sorted({r.host for r in group})
    host = hosts[0] if len(hosts) == 1 else "+".join(hosts)
    notes = [n for r in group for n in r.notes]
    absent = sorted(set(range(1, count + 1)) - set(indexes))
    label = f"shards {', '.join(f'{i}/{count}' for i in indexes)}"
    notes.append(
        f"{host}: merged {label} of one sweep ({manifest['cases']} of "
        f"{first_manifest['shard']['planned_cases']} planned cases)"
        + (
            f"; missing shard{'s' if len(absent) > 1 else ''} " + ", ".join(f"{i}/{count}" for i in absent)
            if absent
            else ""
        )
    )
    merged = Run(
        first.path,
        host,
        f"{first.run_id} ({label})",
        manifest,
        dict(sorted(contexts.items())),
        samples,
        first.races,
        notes,
        first.detectors,
        first.explore,
        {k: v for r in group for k, v in r.strategy_meta.items()},
    )
    return merged


def merge_shards(runs: list[Run]) -> list[Run]:
    """The runs with the shards of each sweep merged into one run (in the
    place of its first shard); other runs unchanged."""
    groups: dict[ShardKey, list[Run]] = {}
    order: list[Run | ShardKey] = []
    for run in runs:
        shard = _shard(run)
        if shard is None:
            order.append(run)
            continue
        key = _shard_key(run, shard)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(run)
    return [_merge_group(groups[item]) if isinstance(item, tuple) else item for item in order]


def check_compatible(runs: list[Run], allow_mixed: bool) -> None:
    """Refuse (InputError) runs of different commits or parameter sets."""
    if allow_mixed or len(runs) < 2:
        return
    first = runs[0]
    for run in runs[1:]:
        a, b = _commit(first), _commit(run)
        if a and b and a != b:
            raise InputError(
                f"runs of different commits ({a} in {first.display_path}, {b} in "
                f"{run.display_path}); pass --allow-mixed to merge them anyway"
            )
        pa, pb = _parameters(first), _parameters(run)
        if pa is not None and pb is not None and pa != pb:
            diff = sorted(k for k in set(pa) | set(pb) if pa.get(k) != pb.get(k))
            k = diff[0]
            raise InputError(
                f"runs with different parameters ({k}={pa.get(k)!r} in {first.display_path}, "
                f"{pb.get(k)!r} in {run.display_path}); pass --allow-mixed to merge them anyway"
            )


def prepare(runs: list[Run], allow_mixed: bool) -> list[Run]:
    """merge_shards, then check_compatible: what scripts/report does."""
    runs = merge_shards(runs)
    check_compatible(runs, allow_mixed)
    return runs


def placement_row(run: Run) -> tuple[str, str] | None:
    """("Placement", text) labelling each core count with its CPUs and their
    topology (context harness_placement, harness_cpus,
    harness_placement_summary), or None when the run has no placement."""
    parts = []
    policies = set()
    for cores in run.cores:
        ctx = run.contexts[cores]
        cpus = ctx.get("harness_cpus")
        if not cpus:
            continue
        policies.add(str(ctx.get("harness_placement", "?")))
        summary = ctx.get("harness_placement_summary")
        parts.append(f"{cores}: CPUs {cpus}" + (f" ({summary})" if summary else ""))
    if not parts:
        return None
    return ("Placement", f"{'/'.join(sorted(policies))}: " + "; ".join(parts))
