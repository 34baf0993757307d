"""Command-line helpers shared by scripts/report and scripts/compare."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), and an
    option or argument given an empty value is an error naming it (an empty
    ``--out ""`` must never silently mean the default)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (try --help)", file=sys.stderr)
        sys.exit(2)

    def parse_args(  # type: ignore[override]  # one signature, not typeshed's overloads
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        argv = list(sys.argv[1:] if args is None else args)
        for i, arg in enumerate(argv):
            if arg.startswith("--") and arg.endswith("=") and len(arg) > 3:
                self.error(f"{arg[:-1]} has an empty value (give a value or leave it out)")
            if arg == "":
                before = argv[i - 1] if i > 0 and argv[i - 1].startswith("-") else "an argument"
                self.error(f"{before} has an empty value (give a value or leave it out)")
        return super().parse_args(argv, namespace)
