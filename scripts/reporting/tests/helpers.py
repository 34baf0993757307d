"""Shared test helpers: fixture paths, running the commands in-process and
as subprocesses, temp folders."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
SCRIPTS = os.path.dirname(os.path.dirname(HERE))
REPO = os.path.dirname(SCRIPTS)
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)


def fixture(name: str) -> str:
    return os.path.join(FIXTURES, name)


def call(main, argv):
    """Run a CLI main() in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as e:  # argparse
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def run_script(name: str, *args, timeout=120):
    """Run scripts/<name> as a subprocess: CompletedProcess with text output."""
    return subprocess.run([os.path.join(SCRIPTS, name), *args], capture_output=True, text=True, timeout=timeout)


class TempDirTest(unittest.TestCase):
    """A fresh temp folder per test in self.tmp."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="reporting-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def copy_fixture(self, name: str, as_name: str | None = None) -> str:
        dst = os.path.join(self.tmp, as_name or name)
        shutil.copytree(fixture(name), dst)
        return dst
