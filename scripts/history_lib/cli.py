"""scripts/history: the results history (add, list, detect, report, backfill).

Exit status: 0 ok; 1 detect found a slowdown as the newest change of a
series (or backfill could not build or run a commit); 2 bad input.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import os
import re
import statistics
import sys

from reporting import load
from reporting.cli_util import OneLineParser

from . import changes, edm, record, store

DEFAULT_DB = os.environ.get("HISTORY_DB", "reports/history.sqlite")
_PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_EPILOG = """commands:
  add RESULT_DIR...      record sweeps (harness sweep / scripts/bench folders)
  list                   the stored runs, in commit order
  detect                 change points per case series; exit 1 when the newest
                         change of a series is a slowdown past --threshold
  report --out DIR       trend page (index.html) and summary.md
  backfill REV_RANGE [--passes N] [harness sweep flags]
                         build and sweep older commits in git worktrees, add them
Series are per case and machine fingerprint (CPU model, CPU count, kernel,
compiler, build type, preset, sanitizer); docs/history.md has the details."""


def _percent(text: str) -> float:
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage like 5%")
    return float(m.group(1)) / 100.0


def _parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="history",
        description="Results history across commits: store, change points, trend pages.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True

    def common(sp):
        sp.add_argument("--db", default=DEFAULT_DB, help=f"the SQLite store (default {DEFAULT_DB}, or $HISTORY_DB)")

    def selection(sp):
        sp.add_argument("--machine", help="only this machine fingerprint (see list)")
        sp.add_argument("--case", metavar="REGEX", help="only cases whose key matches, e.g. '^c1:shared_counter/'")

    def detection(sp):
        sp.add_argument(
            "--min-magnitude",
            type=_percent,
            default=changes.MIN_MAGNITUDE,
            help="drop change points smaller than this relative change (default 5%%)",
        )
        sp.add_argument(
            "--relative-to",
            metavar="STRATEGY",
            help="track each case as the per-round ratio to this strategy's case of the same run "
            "(same scenario, parameters, workers, cores): the machine state common to both cancels "
            "(for noisy machines; a change of STRATEGY shows in every ratio)",
        )
        sp.add_argument(
            "--alpha",
            type=float,
            default=edm.ALPHA,
            help=f"significance level of a split's permutation test (default {edm.ALPHA})",
        )

    a = sub.add_parser(
        "add",
        help="record result folders",
        description="Record sweep result folders in the store "
        "(one transaction each; a run id already stored with the same files is skipped).",
    )
    a.add_argument("runs", nargs="+", metavar="RESULT_DIR")
    a.add_argument(
        "--repo",
        default=_PROJECT,
        help="git checkout that knows the runs' commits (commit dates; " "default: this project)",
    )
    common(a)

    ls = sub.add_parser("list", help="list stored runs", description="The stored runs in commit order.")
    common(ls)

    d = sub.add_parser(
        "detect",
        help="find change points",
        description="Change points per series (E-Divisive with "
        "means, docs/history.md). Exit 1 when the newest change of a series is a slowdown past "
        "--threshold, 0 otherwise, 2 on bad input.",
    )
    common(d)
    selection(d)
    detection(d)
    d.add_argument("--threshold", type=_percent, default=0.05, help="slowdown that fails (default 5%%)")
    d.add_argument(
        "--window",
        type=int,
        default=0,
        metavar="N",
        help="only a newest change among the series' last N points fails (default 0: any)",
    )

    r = sub.add_parser(
        "report",
        help="write the trend page",
        description="Write DIR/index.html (offline trend page: "
        "one chart per scenario group) and DIR/summary.md (recent changes).",
    )
    common(r)
    selection(r)
    detection(r)
    r.add_argument("--out", required=True, metavar="DIR", help="output folder (created)")
    r.add_argument("--threshold", type=_percent, default=0.05, help="slowdown marked as failing (default 5%%)")
    r.add_argument(
        "--recent",
        type=int,
        default=10,
        metavar="N",
        help="summary.md lists changes among the last N points of each series (default 10)",
    )

    b = sub.add_parser(
        "backfill",
        help="build and sweep older commits",
        description="Build the release harness of every commit of REV_RANGE (git rev-list syntax, "
        "e.g. HEAD~8..HEAD, or one revision) in a git worktree under a temporary folder (its own build "
        "folder, ccache shared), run `harness sweep` with the flags that follow, and add each run. "
        "Commits already stored are skipped.",
    )
    common(b)
    b.add_argument("range", metavar="REV_RANGE")
    b.add_argument("--work", help="folder for worktrees and runs (default: a new temporary folder)")
    b.add_argument("--keep", action="store_true", help="keep the worktrees and builds")
    b.add_argument("--again", action="store_true", help="sweep commits that are stored already, too")
    b.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="environment for the sweeps (repeatable)"
    )
    b.add_argument(
        "--passes",
        type=int,
        default=1,
        metavar="N",
        help="sweep every built commit N times, in N passes over all commits, each in a random " "order (default 1)",
    )
    b.add_argument("--seed", type=int, default=18, help="seed of the passes' commit orders (default 18)")
    b.add_argument("--repo", help="the git repository (default: this project)")
    return p


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_add(args) -> int:
    conn = store.open_store(args.db, create=True)
    records = [record.read_run(path, args.repo) for path in args.runs]  # all checked before anything is written
    for rec in records:
        added = store.add_run(conn, rec, _now())
        what = "added" if added else "already stored, skipped"
        print(
            f"history: {rec.run_id} ({rec.commit[:10]}{'+dirty' if rec.dirty else ''}, machine {rec.fingerprint}, "
            f"{len(rec.cases)} cases): {what}"
        )
    return 0


def cmd_list(args) -> int:
    conn = store.open_store(args.db)
    rows = store.runs(conn)
    for run_id, sha, run_date, fp, cases in rows:
        print(f"{sha[:10]}  {run_date}  machine {fp}  {cases:4d} cases  {run_id}")
    print(f"{len(rows)} runs")
    return 0


def selected_series(conn, args) -> list:
    out = store.series(conn, args.machine)
    if args.case:
        try:
            pattern = re.compile(args.case)
        except re.error as e:
            raise load.InputError(f"--case '{args.case}' is not a regular expression ({e})") from None
        out = [s for s in out if pattern.search(s.key)]
    return out


def relative(series_list, strategy: str) -> list:
    """Each series as the per-round ratio to ``strategy``'s series of the same
    runs (rounds of one run ran back to back, docs/results-format.md); the
    reference's own series are left out, so are points without a reference."""
    refs = {}
    for s in series_list:
        if s.strategy == strategy:
            ref_key = (s.fingerprint, s.scenario, s.params, s.workers, s.cores)
            refs[ref_key] = {p.run_id: dict(zip(p.rounds, p.values)) for p in s.points}
    if not refs:
        raise load.InputError(f"--relative-to {strategy}: no series of that strategy in the store")
    out = []
    for s in series_list:
        ref = refs.get((s.fingerprint, s.scenario, s.params, s.workers, s.cores))
        if s.strategy == strategy or ref is None:
            continue
        points = []
        for p in s.points:
            by_round = ref.get(p.run_id, {})
            pairs = [(r, v / by_round[r]) for r, v in zip(p.rounds, p.values) if by_round.get(r)]
            if pairs:
                q = copy.copy(p)
                q.rounds, q.values = [r for r, _ in pairs], [v for _, v in pairs]
                q.median = statistics.median(q.values)
                q.ci_lo = q.ci_hi = None
                points.append(q)
        t = copy.copy(s)
        t.points, t.metric = points, f"ratio_to_{strategy}"
        out.append(t)
    return out


def analyse(series_list, args) -> list:
    """(series, [CommitPoint], [Change]) for every series: its runs pooled per
    commit, and the change points between commits."""
    if getattr(args, "relative_to", None):
        series_list = relative(series_list, args.relative_to)
    out = []
    for s in series_list:
        key = f"{s.fingerprint}:{s.key}"
        pts = changes.commit_points(s.points, key)
        found = (
            changes.find_changes(
                [p.values for p in pts], key, args.min_magnitude, args.alpha, blocks=[p.run_sizes for p in pts]
            )
            if pts
            else []
        )
        out.append((s, pts, found))
    return out


def _fmt(v) -> str:
    return f"{v:.4g}"


def _unit(metric: str) -> str:
    if metric.startswith("ratio_to_"):
        return "x " + metric[len("ratio_to_") :]
    return "items/s" if metric == "items_per_second" else "runs/s"


def describe(s, pts, c) -> str:
    before, after = pts[c.index - 1], pts[c.index]
    rng = f"{before.commit[:10]}..{after.commit[:10]}"
    word = "slower" if c.magnitude < 0 else "faster"

    def interval(i, med):
        return f"{_fmt(med)} [{_fmt(i.lo)}, {_fmt(i.hi)}]" if i else f"{_fmt(med)} [no CI]"

    return (
        f"{s.key} (machine {s.fingerprint}): {rng} {word} {c.magnitude * 100:+.1f}%: "
        f"{interval(c.before, c.before_median)} -> {interval(c.after, c.after_median)} "
        f"{_unit(s.metric)} (p={c.p:.3f})"
    )


def cmd_detect(args) -> int:
    conn = store.open_store(args.db)
    results = analyse(selected_series(conn, args), args)
    if not results:
        print("history: no series in the store (add runs first)", file=sys.stderr)
        return 2
    failing, total = [], 0
    for s, pts, found in results:
        for c in found:
            total += 1
            print(describe(s, pts, c))
        if found:
            newest = found[-1]
            recent = args.window <= 0 or newest.index >= len(pts) - args.window
            if newest.magnitude <= -args.threshold and recent:
                failing.append((s, pts, newest))
    short = sum(1 for _, pts, _ in results if len(pts) < 2 * edm.MIN_GROUPS)
    if short:
        print(
            f"note: {short} series have fewer than {2 * edm.MIN_GROUPS} commits: no change point can be found "
            "in them yet"
        )
    print(
        f"{len(results)} series, {total} change points; "
        + (
            f"{len(failing)} series whose newest change is a slowdown past {args.threshold * 100:g}%"
            if failing
            else f"no series whose newest change is a slowdown past {args.threshold * 100:g}%"
        )
    )
    for s, pts, c in failing:
        print(f"SLOWER: {describe(s, pts, c)}")
    return 1 if failing else 0


def main(argv=None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "backfill":
        args.sweep_flags = extra  # the rest goes to `harness sweep`
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "add":
            return cmd_add(args)
        if args.command == "list":
            return cmd_list(args)
        if args.command == "detect":
            return cmd_detect(args)
        if args.command == "report":
            from . import report

            conn = store.open_store(args.db)
            order = list(dict.fromkeys(row[1] for row in store.runs(conn)))
            return report.run(args, analyse(selected_series(conn, args), args), order)
        if args.command == "backfill":
            from . import backfill

            return backfill.run(args)
    except (load.InputError, store.StoreError) as e:
        print(f"history: {e}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
