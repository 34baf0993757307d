"""scripts/compare: baseline run vs new run, per case, with Mann-Whitney U.

Verdict per case (throughput, higher is better; change = new/old - 1):

- same:   |change| <= threshold
- faster / slower: |change| > threshold and p < 0.05
- noisy:  |change| > threshold but p >= 0.05 (or too few repetitions)
- ERROR:  the case fails in the new run but not in the baseline;
  still failing: it fails in both; fixed: it failed only in the baseline;
  added / removed: in one run only

Exit status: 1 when any case is slower (or newly failing), 0 otherwise,
2 on bad input.
"""
from __future__ import annotations

import argparse
import math
import re
import sys

from . import fmt
from .cli_util import OneLineParser
from .load import InputError, load_run
from .stats import SIGNIFICANCE, mann_whitney, summarize

DEFAULT_THRESHOLD = "5%"


def parse_threshold(text: str) -> float:
    """'5%' or '5' -> 0.05; raise InputError otherwise."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*%?\s*", text or "")
    if not m:
        raise InputError(f"--threshold: '{text}' is not a percentage like 5% or 2.5")
    value = float(m.group(1))
    if not math.isfinite(value) or value >= 1000:
        raise InputError(f"--threshold: '{text}' is out of range (0 to 1000%)")
    return value / 100.0


def _cases(run) -> dict:
    """(scenario, params, strategy, cores, workers) -> {'values': [...], 'error': str|None}"""
    out = {}
    for s in run.samples:
        key = (s.case.scenario, s.case.params, s.case.strategy, s.cores, s.case.workers)
        entry = out.setdefault(key, {"values": [], "error": None})
        if s.error:
            entry["error"] = entry["error"] or s.error
        elif s.throughput is not None:
            entry["values"].append(s.throughput)
    return out


def compare_runs(base, new, threshold: float):
    """Return (rows, failing). rows: dicts with key, old, new, change, p, verdict."""
    old_cases, new_cases = _cases(base), _cases(new)
    rows, failing = [], False
    for key in sorted(set(old_cases) | set(new_cases), key=lambda k: (k[0], k[1], k[2], k[3], k[4])):
        o, n = old_cases.get(key), new_cases.get(key)
        row = {"key": key, "old": None, "new": None, "change": None, "p": None, "note": ""}
        if o and not o["error"] and o["values"]:
            row["old"] = summarize(o["values"])
        if n and not n["error"] and n["values"]:
            row["new"] = summarize(n["values"])
        if n is None:
            row["verdict"] = "removed"
        elif o is None:
            row["verdict"] = "added" if not n["error"] else "ERROR"
        elif n["error"]:
            row["verdict"] = "still failing" if o["error"] else "ERROR"
            row["note"] = n["error"]
        elif o["error"] or row["old"] is None or row["new"] is None:
            row["verdict"], row["note"] = "fixed" if o["error"] else "no data", (o["error"] or "")
        else:
            row["change"] = row["new"].median / row["old"].median - 1.0 if row["old"].median else None
            row["p"] = mann_whitney(o["values"], n["values"])
            if row["change"] is None or abs(row["change"]) <= threshold:
                row["verdict"] = "same"
            elif row["p"] is not None and row["p"] < SIGNIFICANCE:
                row["verdict"] = "faster" if row["change"] > 0 else "slower"
            else:
                row["verdict"] = "noisy"
            flags = [s.noise_label for s in (row["old"], row["new"]) if s.noisy]
            if flags:
                row["note"] = "⚠ " + "; ".join(flags)
        if row["verdict"] in ("slower", "ERROR"):
            failing = True
        rows.append(row)
    return rows, failing


def render(base, new, rows, threshold: float) -> str:
    counts = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    out = [f"# Compare: `{base.path}` ({base.host}) → `{new.path}` ({new.host})", "",
           f"Threshold {threshold:.1%}; significant when the two-sided Mann-Whitney U p < {SIGNIFICANCE} over "
           f"per-repetition throughput. {len(rows)} cases: "
           + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + ".", ""]
    groups = {}
    for r in rows:
        groups.setdefault((r["key"][0], r["key"][1]), []).append(r)
    for (scenario, params), grows in groups.items():
        label = " ".join(f"{k}:{v}" for k, v in params)
        out += [f"## {scenario} {label}".rstrip(), "",
                "| strategy | cores | workers | old median | new median | change | p | verdict |",
                "|---|---|---|---|---|---|---|---|"]
        for r in grows:
            _, _, strategy, cores, workers = r["key"]
            verdict = f"**{r['verdict']}**" if r["verdict"] in ("slower", "ERROR", "still failing") else r["verdict"]
            if r["note"]:
                verdict += f" ({r['note']})".replace("|", "\\|")
            out.append(f"| {strategy} | {cores} | {workers} | "
                       f"{fmt.si(r['old'].median) if r['old'] else 'n/a'} | "
                       f"{fmt.si(r['new'].median) if r['new'] else 'n/a'} | "
                       f"{fmt.pct(r['change'], signed=True)} | {fmt.pvalue(r['p'])} | {verdict} |")
        out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = OneLineParser(
        prog="compare", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare a baseline run folder with a new one, per case.\n\n" + __doc__.split("\n", 2)[2])
    parser.add_argument("base", metavar="BASE_RUN", help="baseline run folder")
    parser.add_argument("new", metavar="NEW_RUN", help="new run folder")
    parser.add_argument("--threshold", default=DEFAULT_THRESHOLD, metavar="PCT",
                        help="smallest change that counts, e.g. 5%% or 2.5 (default %(default)s)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        threshold = parse_threshold(args.threshold)
        base, new = load_run(args.base), load_run(args.new)
    except InputError as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    rows, failing = compare_runs(base, new, threshold)
    print(render(base, new, rows, threshold))
    if failing:
        print("compare: FAIL: at least one case is significantly slower (or now fails)", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
