"""Command-line helpers shared by scripts/report and scripts/compare."""
from __future__ import annotations

import argparse
import sys


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2)."""

    def error(self, message):
        print(f"{self.prog}: {message} (try --help)", file=sys.stderr)
        sys.exit(2)
