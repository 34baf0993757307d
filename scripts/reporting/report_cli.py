"""scripts/report: render run folders into index.html, report.md, results.csv."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .cli_util import OneLineParser
from .load import InputError, load_runs

DESCRIPTION = """\
Render one or more run folders (written by `harness sweep`, format in
docs/results-format.md) into a report: index.html (one self-contained page
with inline SVG charts), report.md (GitHub-flavoured Markdown, for a CI job
summary) and results.csv (one row per case and repetition).

Several run folders (for example one per host) are merged into one report,
each labelled with its host; the shards of one sweep (`harness sweep --shard
i/n`) become one run. Runs of different commits or parameter sets are refused
unless --allow-mixed is given. Output goes into the (first) run folder unless
--out is given. Files are written to temp names and renamed into place.

Exit status: 0 written; 2 bad input (nothing written)."""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = OneLineParser(prog="report", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR", help="run folder(s) holding cores-<n>.json")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: the first RUN_DIR)")
    parser.add_argument(
        "--allow-mixed",
        action="store_true",
        help="merge runs of different commits or parameter sets (refused by default)",
    )
    parser.add_argument("--no-charts", action="store_true", help="skip the charts (faster; HTML without SVG)")
    parser.add_argument(
        "--tie-band",
        default="3%",
        metavar="PCT",
        help="a winner must beat every other strategy by more than this, CI included " "(default %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out: str = args.out or args.runs[0]
    try:
        from .compare import parse_threshold

        try:
            band = parse_threshold(args.tie_band)
        except InputError as e:
            raise InputError(str(e).replace("--threshold", "--tie-band")) from None
        from . import merge

        runs = load_runs(args.runs, prepare=lambda rs: merge.prepare(rs, args.allow_mixed))
        if os.path.exists(out) and not os.path.isdir(out):
            raise InputError(f"{out}: the output folder exists and is not a folder")
        # Imported late so that bad input is reported fast, without matplotlib.
        from . import render_csv, render_html, render_md
        from .build import ReportBuilder
        from .outputs import write_all

        doc = ReportBuilder(runs, svg=not args.no_charts, band=band).build()
        files = {
            "index.html": render_html.render(doc),
            "report.md": render_md.render(doc),
            "results.csv": render_csv.render(runs),
        }
    except InputError as e:
        print(f"report: {e}", file=sys.stderr)
        return 2
    try:
        write_all(out, files)
    except OSError as e:
        print(f"report: {out}: cannot write ({e.strerror})", file=sys.stderr)
        return 2
    print(f"report: wrote index.html, report.md, results.csv to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
