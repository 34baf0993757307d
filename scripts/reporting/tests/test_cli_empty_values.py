"""Every value-taking option of scripts/report and scripts/compare given an
empty value exits 2 with one line naming it (never the default in disguise).
The options come from each command's --help, so a new one is covered."""
import re
import unittest

from .helpers import call, fixture
from reporting import compare, report_cli


def _value_options(main) -> list:
    """Options that take a value, read from the command's --help text."""
    rc, out, _ = call(main, ["--help"])
    assert rc == 0
    return sorted(set(re.findall(r"(--[a-z][a-z-]*) [A-Z]+", out)))


class EmptyValueTest(unittest.TestCase):
    def _check(self, main, positional):
        options = _value_options(main)
        self.assertTrue(options, "no value-taking options found in --help")
        for opt in options:
            for argv in (positional + [opt, ""], positional + [opt + "="]):
                rc, _, err = call(main, argv)
                self.assertEqual(rc, 2, f"{argv}: exit {rc}")
                self.assertEqual(len(err.strip().splitlines()), 1, f"{argv}: {err!r}")
                self.assertIn(opt, err, f"{argv}: {err!r}")

    def test_report(self):
        self._check(report_cli.main, [fixture("run_alpha")])

    def test_compare(self):
        self._check(compare.main, [fixture("run_alpha"), fixture("run_alpha")])

    def test_empty_positional(self):
        rc, _, err = call(report_cli.main, [""])
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.strip().splitlines()), 1)
