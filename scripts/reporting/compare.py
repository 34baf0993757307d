"""scripts/compare: baseline run vs new run, per case, with ratio confidence intervals.

Per case the change is new / old throughput with a 95% CI
(docs/method.md). Verdict against the equivalence threshold t:

- faster / slower: the whole CI lies above 1 + t / below 1 - t
- same:   the whole CI lies inside [1 - t, 1 + t]
- noisy:  the CI straddles 1 - t or 1 + t (or too few repetitions to tell)
- ERROR:  the case fails in the new run but not in the baseline;
  still failing: it fails in both; fixed: it failed only in the baseline;
  added / removed: in one run only

Paired mode (--paired; chosen automatically when both manifests carry
"paired" with roles A and B and the same seed): repetitions are paired by
round (the A/B sweep ran A and B of a round back to back, under the same
machine state) and the CI is over the per-round ratios. Unpaired: the ratio
of the two medians, each run's repetitions resampled independently.
Default threshold: 3% paired, 10% unpaired (separate runs see different
machine states; see docs/method.md).

Stratified (--state near|far): only the repetitions that ran in that
machine state (from each run's round-trip probe; a run whose probe shows
one state keeps all its repetitions, and the header says so).

The output ends with the winner agreement: in how many (scenario group,
core count) pairs both runs name the same winner or tie set (the report's
rule; the winners do not change the exit status), and, for interleaved
runs, the same count over the pairs where neither run's answer is fragile.

Exit status: 1 when a case newly fails, or a slower case (its CI wholly
past the threshold) fails the gate: paired, its p-value survives Holm's
correction over all the paired cases compared (a 178-case A/A run shows a
few slower cases by chance at 95% each); unpaired, being slower suffices.
0 otherwise, 2 on bad input.
"""
from __future__ import annotations

import argparse
import enum
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from . import fmt, probe
from .analysis import Group
from .ci import MIN_REPS, Interval, by_round, ratio_ci
from .cli_util import OneLineParser
from .gate import gate
from .load import InputError, Run, Sample, load_run
from .names import Params
from .stats import Summary, summarize
from .verdict import TIE_BAND, Decision, classify

DEFAULT_PAIRED = 0.03
DEFAULT_UNPAIRED = 0.10


class Verdict(enum.StrEnum):
    """A case's verdict; each value is the word the output prints."""

    FASTER = "faster"  # the whole CI above 1 + threshold
    NOISY = "noisy"  # the CI straddles a threshold, or too few repetitions
    SAME = "same"  # the whole CI inside [1 - threshold, 1 + threshold]
    SLOWER = "slower"  # the whole CI below 1 - threshold
    ERROR = "ERROR"  # fails in the new run, not in the baseline
    STILL_FAILING = "still failing"  # fails in both
    FIXED = "fixed"  # failed in the baseline only
    ADDED = "added"  # in the new run only
    REMOVED = "removed"  # in the baseline only
    NO_DATA = "no data"  # ran in both, but a side has no throughput


#: The summary line's fixed order; other verdicts follow, sorted, when present.
VERDICTS = (Verdict.FASTER, Verdict.NOISY, Verdict.SAME, Verdict.SLOWER)
#: Verdicts that make the exit status 1.
FAILING = frozenset({Verdict.SLOWER, Verdict.ERROR})
#: Verdicts printed in bold.
LOUD = frozenset({Verdict.SLOWER, Verdict.ERROR, Verdict.STILL_FAILING})

#: (scenario, params, strategy, cores, workers): one case of a run.
CaseKey = tuple[str, Params, str, int, int]
#: Selects the samples to compare (the --state filter); None keeps all.
Keep = Callable[[Sample], bool] | None


@dataclass
class CaseSamples:
    """A case's repetitions with a throughput, and its first error."""

    samples: list[Sample] = field(default_factory=list)
    error: str | None = None


@dataclass
class CompareRow:
    """One case of the comparison."""

    key: CaseKey
    verdict: Verdict
    old: Summary | None = None  # baseline throughput over repetitions
    new: Summary | None = None
    change: Interval | None = None  # new / old with its CI (None: no interval)
    note: str = ""

    @property
    def failing(self) -> bool:
        return self.verdict in FAILING


def parse_threshold(text: str) -> float:
    """'5%' or '5' -> 0.05; raise InputError otherwise."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*%?\s*", text or "")
    if not m:
        raise InputError(f"--threshold: '{text}' is not a percentage like 5% or 2.5")
    value = float(m.group(1))
    if not math.isfinite(value) or value >= 100:
        raise InputError(f"--threshold: '{text}' is out of range (0 to 100%)")
    return value / 100.0


def _cases(run: Run, keep: Keep = None) -> dict[CaseKey, CaseSamples]:
    """Every case of ``run`` with its samples; ``keep`` filters the samples."""
    out: dict[CaseKey, CaseSamples] = {}
    for s in run.samples:
        if keep is not None and not keep(s):
            continue
        key = (s.case.scenario, s.case.params, s.case.strategy, s.cores, s.case.workers)
        entry = out.setdefault(key, CaseSamples())
        if s.error:
            entry.error = entry.error or s.error
        elif s.throughput is not None:
            entry.samples.append(s)
    return out


def detect_paired(base: Run, new: Run) -> str | None:
    """None when the two runs are the two sides of one paired A/B sweep, else why not."""
    a, b = base.paired, new.paired
    if not a or not b:
        return "the manifests do not mark a paired A/B run"
    if {a.get("role"), b.get("role")} != {"A", "B"}:
        return f"roles are {a.get('role')} and {b.get('role')}, not A and B"
    if a.get("seed") != b.get("seed") or a.get("rounds") != b.get("rounds"):
        return "the two sides have different seeds or round counts"
    return None


def _case_key(key: CaseKey) -> str:
    scenario, params, strategy, cores, workers = key
    return "/".join([scenario, strategy, *(f"{k}:{v}" for k, v in params), f"workers:{workers}", f"cores:{cores}"])


def state_filter(run: Run, state: str | None) -> tuple[Keep, str]:
    """(predicate or None, note) selecting the repetitions of ``run`` in ``state``.

    Raises InputError when the run has no probe at all."""
    if state is None:
        return None, ""
    rp = probe.run_probe(run)
    if rp is None:
        raise InputError(f"--state: {run.display_path} has no machine-state probe (probe_before/probe_after)")
    if not rp.bimodal:
        return None, f"{run.display_path}: one probe state, all repetitions kept"
    found: probe.RunProbe = rp  # the closure keeps the narrowed type

    def keep(s: Sample) -> bool:
        return found.state(s) == state

    return keep, f"{run.display_path}: split at {rp.split:.0f} ns"


def _summary(c: CaseSamples | None) -> Summary | None:
    if c is None or c.error or not c.samples:
        return None
    return summarize(s.throughput for s in c.samples if s.throughput is not None)


def _row(key: CaseKey, o: CaseSamples | None, n: CaseSamples | None, threshold: float, paired: bool) -> CompareRow:
    """The verdict of one case present in at least one of the runs."""
    row = CompareRow(key, Verdict.NO_DATA, _summary(o), _summary(n))
    if n is None:
        row.verdict = Verdict.REMOVED
    elif o is None:
        row.verdict = Verdict.ADDED if not n.error else Verdict.ERROR
    elif n.error:
        row.verdict = Verdict.STILL_FAILING if o.error else Verdict.ERROR
        row.note = n.error
    elif o.error or row.old is None or row.new is None:
        row.verdict = Verdict.FIXED if o.error else Verdict.NO_DATA
        row.note = o.error or ""
    else:
        row.change = ratio_ci(n.samples, o.samples, _case_key(key), pair=paired)
        row.verdict = Verdict(classify(row.change, threshold))
        notes = []
        if row.change is None:
            notes.append(f"too few repetitions for an interval (need {MIN_REPS})")
        elif paired and not row.change.paired:
            common = len(set(by_round(o.samples)) & set(by_round(n.samples)))
            notes.append(f"unpaired: only {common} common rounds")
        notes += [s.noise_label for s in (row.old, row.new) if s.noisy]
        if notes:
            row.note = "⚠ " + "; ".join(notes)
    return row


def compare_runs(
    base: Run, new: Run, threshold: float, paired: bool, keep: tuple[Keep, Keep] = (None, None)
) -> tuple[list[CompareRow], bool]:
    """Return (rows, failing): one row per case of either run, in case order,
    and whether any row fails (slower, or newly failing).

    keep: (predicate for base samples, predicate for new samples), None = all."""
    old_cases, new_cases = _cases(base, keep[0]), _cases(new, keep[1])
    rows = [
        _row(key, old_cases.get(key), new_cases.get(key), threshold, paired)
        for key in sorted(set(old_cases) | set(new_cases))
    ]
    return rows, any(r.failing for r in rows)


def summary_line(rows: Iterable[CompareRow]) -> str:
    """'N cases: a faster, b noisy, c same, d slower[, e other].' (scripts read it)."""
    counts: dict[Verdict, int] = {}
    total = 0
    for r in rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
        total += 1
    parts = [f"{counts.get(v, 0)} {v}" for v in VERDICTS]
    parts += [f"{c} {v}" for v, c in sorted(counts.items()) if v not in VERDICTS]
    return f"{total} cases: " + ", ".join(parts) + "."


def _ci_text(iv: Interval | None) -> str:
    if iv is None:
        return "n/a"
    return f"[{fmt.pct(iv.lo - 1, signed=True)}, {fmt.pct(iv.hi - 1, signed=True)}]"


def _change_text(r: CompareRow) -> str:
    if r.change is not None:
        return fmt.pct(r.change.estimate - 1, signed=True)
    if r.old is not None and r.new is not None:
        return fmt.pct(r.new.median / r.old.median - 1, signed=True)
    return "n/a"


def _table_row(r: CompareRow) -> str:
    _, _, strategy, cores, workers = r.key
    verdict = f"**{r.verdict}**" if r.verdict in LOUD else str(r.verdict)
    if r.note:
        verdict += f" ({r.note})".replace("|", "\\|")
    return (
        f"| {strategy} | {cores} | {workers} | "
        f"{fmt.si(r.old.median) if r.old else 'n/a'} | "
        f"{fmt.si(r.new.median) if r.new else 'n/a'} | "
        f"{_change_text(r)} | {_ci_text(r.change)} | {verdict} |"
    )


def _mode_text(paired: bool, why_not: str | None, state_note: str) -> str:
    mode = (
        "paired by round (CI over per-round ratios new/old)"
        if paired
        else "unpaired (ratio of medians, each run resampled on its own)"
    )
    if state_note:
        mode += f"; {state_note}"
    if why_not and not paired:
        mode += f"; not paired: {why_not}"
    if why_not and paired:
        mode += f"; forced with --paired although {why_not} (rounds of separate runs did not run together)"
    return mode


def render(
    base: Run,
    new: Run,
    rows: Sequence[CompareRow],
    threshold: float,
    paired: bool,
    why_not: str | None,
    state_note: str = "",
) -> str:
    """The comparison as Markdown: the header with the summary line, then a
    table per scenario group."""
    out = [
        f"# Compare: `{base.display_path}` ({base.host}) → `{new.display_path}` ({new.host})",
        "",
        f"Mode: {_mode_text(paired, why_not, state_note)}. "
        f"Equivalence threshold ±{threshold:.1%}; 95% CI of the throughput ratio (paired: Student's t over "
        "rounds; unpaired: bootstrap); a verdict needs "
        f"{MIN_REPS} repetitions a side. " + summary_line(rows),
        "",
    ]
    groups: dict[tuple[str, Params], list[CompareRow]] = {}
    for r in rows:
        groups.setdefault((r.key[0], r.key[1]), []).append(r)
    for (scenario, params), grows in groups.items():
        label = " ".join(f"{k}:{v}" for k, v in params)
        out += [
            f"## {scenario} {label}".rstrip(),
            "",
            "| strategy | cores | workers | old median | new median | change | 95% CI | verdict |",
            "|---|---|---|---|---|---|---|---|",
        ]
        out += [_table_row(r) for r in grows]
        out.append("")
    return "\n".join(out)


#: ((group title, cores), base answer, new answer, consistent) of a pair whose answers differ.
WinnerDiff = tuple[tuple[str, int], str, str, bool]


#: (group title, cores) -> the run's answer there, and the group it came from.
Answers = dict[tuple[str, int], tuple[Decision, Group]]


def _answers(run: Run, band: float) -> Answers:
    """Every (group title, cores) answer of the run (summary.decision)."""
    from .analysis import group_runs
    from .summary import decision

    out: Answers = {}
    for g in group_runs([run]):
        for p in g.cores:
            d = decision(g, p, band)
            if d.top is not None:
                out[(g.title, p)] = (d, g)
    return out


def _agreement(a: Answers, b: Answers) -> tuple[int, int, list[WinnerDiff]]:
    common = sorted(set(a) & set(b))
    differ = [
        (k, a[k][0].label(), b[k][0].label(), _consistent(a[k][0], b[k][0]))
        for k in common
        if set(a[k][0].tie_set) != set(b[k][0].tie_set)
    ]
    return len(common) - len(differ), len(common), differ


def winner_agreement(base: Run, new: Run, band: float) -> tuple[int, int, list[WinnerDiff]]:
    """(agreeing, total, differing rows) over the (scenario group, core count)
    pairs both runs measured: does each run name the same winner, or the
    same tie set (summary.decision, tie band ``band``)?"""
    return _agreement(_answers(base, band), _answers(new, band))


def _consistent(x: Decision, y: Decision) -> bool:
    """No contradiction: a winner named by one run is in the other's answer
    (its winner or tie set); two tie sets always are."""
    return all(d.winner is None or d.winner in e.tie_set for d, e in ((x, y), (y, x)))


def _firm(answers: Answers, band: float) -> dict[tuple[str, int], frozenset[str]] | None:
    """The answers that are not fragile, as tie sets; None when the run has no
    stability (not interleaved)."""
    from .summary import FRAGILE_BELOW, answer_stability

    out: dict[tuple[str, int], frozenset[str]] = {}
    for (title, p), (d, g) in answers.items():
        share = answer_stability(g, p, band)
        if share is None:
            return None
        if share >= FRAGILE_BELOW:
            out[(title, p)] = frozenset(d.tie_set)
    return out


def _firm_agreement(a: Answers, b: Answers, band: float) -> tuple[int, int] | None:
    fa, fb = _firm(a, band), _firm(b, band)
    if fa is None or fb is None:
        return None
    common = set(fa) & set(fb)
    return sum(fa[k] == fb[k] for k in common), len(common)


def firm_agreement(base: Run, new: Run, band: float) -> tuple[int, int] | None:
    """(agreeing, total) over the (scenario group, core count) pairs where
    neither run's answer is fragile (summary.answer_stability at least
    summary.FRAGILE_BELOW); None when either run has no stability (not
    interleaved)."""
    return _firm_agreement(_answers(base, band), _answers(new, band), band)


def render_winners(base: Run, new: Run, band: float) -> str:
    from .summary import FRAGILE_BELOW

    a, b = _answers(base, band), _answers(new, band)
    same, total, differ = _agreement(a, b)
    consistent = same + sum(1 for *_, ok in differ if ok)
    out = [
        "## Winners",
        "",
        f"Winners: the same winner or tie set in {same} of {total} scenario groups and core counts; "
        f"consistent (no winner that the other run's answer excludes) in {consistent} of {total} "
        f"(tie band ±{band:.0%}; docs/method.md).",
    ]
    firm = _firm_agreement(a, b, band)
    if firm is not None:
        out[-1] += (
            f" Where neither run's answer is fragile (a round-resampled rerun repeats it at least "
            f"{FRAGILE_BELOW:.0%} of the time): the same in {firm[0]} of {firm[1]}."
        )
    if differ:
        out += ["", "| group | cores | base | new | consistent |", "|---|---|---|---|---|"]
        out += [f"| {title} | {p} | {x} | {y} | {'yes' if ok else '**no**'} |" for (title, p), x, y, ok in differ]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(
        prog="compare",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare a baseline run folder with a new one, per case.\n\n" + (__doc__ or "").split("\n", 2)[2],
    )
    parser.add_argument("base", metavar="BASE_RUN", help="baseline run folder")
    parser.add_argument("new", metavar="NEW_RUN", help="new run folder")
    parser.add_argument(
        "--threshold", metavar="PCT", help="equivalence threshold, e.g. 5%% or 2.5 (default: 3%% paired, 10%% unpaired)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--paired",
        action="store_true",
        help="pair repetitions by round (default: when the manifests mark a paired A/B run)",
    )
    mode.add_argument("--unpaired", action="store_true", help="never pair, even for a paired A/B run")
    parser.add_argument(
        "--state",
        choices=("near", "far"),
        help="stratify: compare only repetitions that ran in this machine state (probe)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        threshold = parse_threshold(args.threshold) if args.threshold is not None else None
        base, new = load_run(args.base), load_run(args.new)
        why_not = detect_paired(base, new)
        if args.paired:
            for run in (base, new):
                if not any(s.round is not None for s in run.samples):
                    raise InputError(f"--paired: {run.path} has no round ids (not an interleaved sweep)")
        paired = args.paired or (not args.unpaired and why_not is None)
        (keep_old, note_old), (keep_new, note_new) = state_filter(base, args.state), state_filter(new, args.state)
    except InputError as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    if threshold is None:
        threshold = DEFAULT_PAIRED if paired else DEFAULT_UNPAIRED
    rows, _ = compare_runs(base, new, threshold, paired, (keep_old, keep_new))
    failing, gate_note = gate(rows, threshold)
    for r in rows:
        if r.verdict == Verdict.SLOWER and r.key not in failing:
            r.note = "; ".join(x for x in (r.note, "not past Holm's correction: does not fail the exit status") if x)
    state_note = f"only {args.state}-state repetitions ({note_old}; {note_new})" if args.state else ""
    print(render(base, new, rows, threshold, paired, why_not, state_note))
    if gate_note:
        print(gate_note + "\n")
    print(render_winners(base, new, TIE_BAND))
    if failing:
        print("compare: FAIL: at least one case is slower beyond the threshold (or now fails)", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
