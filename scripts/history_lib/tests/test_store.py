"""The results store: idempotent add, refusal, machines kept apart, and an
add killed in the middle records nothing."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from . import fake_runs
from .fake_runs import call, commit_sha, created, write_run

CASES = {
    "shared_counter/mutex/increments:1000/workers:1": [100.0, 101.0, 99.0, 100.5, 99.5],
    "shared_counter/spinlock/increments:1000/workers:1": [200.0, 202.0, 198.0, 201.0, 199.0],
}


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="history-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.db = os.path.join(self.tmp, "h.sqlite")

    def count(self, table):
        with sqlite3.connect(self.db) as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def test_add_records_cases_samples_and_machine(self):
        run = write_run(os.path.join(self.tmp, "r0"), commit_sha(0), created(0), CASES)
        rc, out, err = call(["add", "--db", self.db, run])
        self.assertEqual(rc, 0, err)
        self.assertIn("2 cases): added", out)
        self.assertEqual(
            (self.count("runs"), self.count("cases"), self.count("samples"), self.count("machines")), (1, 2, 10, 1)
        )
        with sqlite3.connect(self.db) as conn:
            row = conn.execute(
                "SELECT median, ci_lo, ci_hi, checked, status FROM cases WHERE case_key = "
                "'c1:shared_counter/mutex/increments:1000/workers:1'"
            ).fetchone()
        self.assertEqual(row[0], 100.0)
        self.assertLessEqual(row[1], 100.0)
        self.assertGreaterEqual(row[2], 100.0)
        self.assertEqual(row[3:], (1, "ok"))

    def test_failed_case_is_marked_and_has_no_values(self):
        bad = "shared_counter/mutex/increments:1000/workers:12"
        run = write_run(
            os.path.join(self.tmp, "r0"),
            commit_sha(0),
            created(0),
            CASES,
            failed={bad: "check failed: total 990, expected 1000"},
        )
        self.assertEqual(call(["add", "--db", self.db, run])[0], 0)
        with sqlite3.connect(self.db) as conn:
            rows = dict(conn.execute("SELECT case_key, status FROM cases").fetchall())
            self.assertEqual(
                conn.execute(
                    "SELECT COUNT(*) FROM samples s JOIN cases c ON c.id = s.case_id " "WHERE c.status = 'failed'"
                ).fetchone()[0],
                0,
            )
        self.assertEqual(rows["c1:" + bad], "failed")
        self.assertEqual(rows["c1:shared_counter/mutex/increments:1000/workers:1"], "ok")  # not a prefix match

    def test_same_run_twice_is_a_no_op(self):
        run = write_run(os.path.join(self.tmp, "r0"), commit_sha(0), created(0), CASES)
        self.assertEqual(call(["add", "--db", self.db, run])[0], 0)
        rc, out, _ = call(["add", "--db", self.db, run])
        self.assertEqual(rc, 0)
        self.assertIn("already stored, skipped", out)
        self.assertEqual((self.count("runs"), self.count("samples")), (1, 10))

    def test_other_results_under_a_stored_run_id_are_refused(self):
        run = write_run(os.path.join(self.tmp, "r0"), commit_sha(0), created(0), CASES)
        self.assertEqual(call(["add", "--db", self.db, run])[0], 0)
        other = dict(CASES)
        other["shared_counter/mutex/increments:1000/workers:1"] = [1.0, 2.0, 3.0, 4.0, 5.0]
        write_run(run, commit_sha(0), created(0), other)
        rc, _, err = call(["add", "--db", self.db, run])
        self.assertEqual(rc, 2)
        self.assertIn("stored already with other results", err)
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertEqual(self.count("samples"), 10)

    def test_machines_are_separate_series(self):
        a = write_run(os.path.join(self.tmp, "a"), commit_sha(0), created(0), CASES)
        b = write_run(os.path.join(self.tmp, "b"), commit_sha(1), created(1), CASES, context={"cpu_model": "Other"})
        self.assertEqual(call(["add", "--db", self.db, a, b])[0], 0)
        from history_lib import store

        series = store.series(store.open_store(self.db))
        self.assertEqual(len(series), 4)
        self.assertEqual({len(s.points) for s in series}, {1})
        self.assertEqual(len({s.fingerprint for s in series}), 2)

    def test_bad_input_is_one_line_exit_2(self):
        for argv in (
            ["add", "--db", self.db, os.path.join(self.tmp, "missing")],
            ["add", "--db", os.path.join(self.tmp, "no", "such", "h.sqlite"), self.tmp],
            ["detect", "--db", self.db, "--threshold", "lots"],
            ["detect", "--db", self.db],  # empty store
            ["frobnicate"],
        ):
            rc, out, err = call(argv)
            self.assertEqual(rc, 2, argv)
            self.assertEqual(len(err.strip().splitlines()), 1, (argv, err))
        not_db = os.path.join(self.tmp, "not.sqlite")
        with open(not_db, "w") as f:
            f.write("this is not a database " * 100)
        rc, _, err = call(["list", "--db", not_db])
        self.assertEqual(rc, 2)
        self.assertIn("not a history database", err)

    def test_add_killed_mid_transaction_records_nothing(self):
        first = write_run(os.path.join(self.tmp, "r0"), commit_sha(0), created(0), CASES)
        second = write_run(os.path.join(self.tmp, "r1"), commit_sha(1), created(1), CASES)
        self.assertEqual(call(["add", "--db", self.db, first])[0], 0)
        env = dict(os.environ, HISTORY_TEST_KILL_AFTER_ROWS="7", PYTHONPATH=fake_runs.SCRIPTS)
        proc = subprocess.run(
            [sys.executable, "-m", "history_lib.cli", "add", "--db", self.db, second],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(proc.returncode, -signal.SIGKILL, proc.stderr)  # killed after 7 of its 10 sample rows
        self.assertEqual((self.count("runs"), self.count("cases"), self.count("samples")), (1, 2, 10))
        with sqlite3.connect(self.db) as conn:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        rc, out, err = call(["add", "--db", self.db, second])  # the same add, uninterrupted, then succeeds
        self.assertEqual(rc, 0, err)
        self.assertIn("added", out)
        self.assertEqual((self.count("runs"), self.count("samples")), (2, 20))


class WrapperTest(unittest.TestCase):
    """scripts/history itself: help on every command, bad input one line, exit 2."""

    def run_script(self, *args):
        return subprocess.run(
            [os.path.join(fake_runs.SCRIPTS, "history"), *args], capture_output=True, text=True, timeout=60
        )

    def test_help_on_every_command(self):
        for cmd in ([], ["add"], ["list"], ["detect"], ["report"], ["backfill"]):
            proc = self.run_script(*cmd, "--help")
            self.assertEqual(proc.returncode, 0, cmd)
            self.assertIn("usage: history", proc.stdout)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            for args in (
                ["detect", "--db", os.path.join(tmp, "none.sqlite")],
                ["report"],
                ["nosuch"],
                ["detect", "--db", os.path.join(tmp, "none.sqlite"), "--window", "x"],
            ):
                proc = self.run_script(*args)
                self.assertEqual(proc.returncode, 2, args)
                self.assertEqual(len(proc.stderr.strip().splitlines()), 1, (args, proc.stderr))
            self.assertFalse(os.path.exists(os.path.join(tmp, "none.sqlite")))


class DetectCommandTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="history-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.db = os.path.join(self.tmp, "h.sqlite")

    def add_series(self, count, levels, seed=7):
        runs = fake_runs.series_runs(self.tmp + "/runs", count, levels, np.random.default_rng(seed))
        rc, _, err = call(["add", "--db", self.db, *runs])
        self.assertEqual(rc, 0, err)

    def test_newest_change_a_slowdown_exits_1(self):
        mutex = "shared_counter/mutex/increments:1000/workers:1"
        spin = "shared_counter/spinlock/increments:1000/workers:1"
        self.add_series(14, lambda i: {mutex: 1e6 * (0.9 if i >= 10 else 1.0), spin: 2e6})
        rc, out, err = call(["detect", "--db", self.db])
        self.assertEqual(rc, 1, out + err)
        lines = [x for x in out.splitlines() if "->" in x and not x.startswith("SLOWER")]
        self.assertEqual(len(lines), 1, out)
        self.assertIn(f"c1:{mutex}", lines[0])
        self.assertIn(f"{commit_sha(9)[:10]}..{commit_sha(10)[:10]} slower -1", lines[0])
        self.assertIn("SLOWER: c1:" + mutex, out)
        # Past a 15 % threshold it is reported but does not fail; outside a 3-point window neither.
        self.assertEqual(call(["detect", "--db", self.db, "--threshold", "15%"])[0], 0)
        self.assertEqual(call(["detect", "--db", self.db, "--window", "3"])[0], 0)
        self.assertEqual(call(["detect", "--db", self.db, "--window", "4"])[0], 1)

    def test_speedup_and_flat_series_exit_0(self):
        mutex = "shared_counter/mutex/increments:1000/workers:1"
        self.add_series(14, lambda i: {mutex: 1e6 * (1.1 if i >= 6 else 1.0)})
        rc, out, _ = call(["detect", "--db", self.db])
        self.assertEqual(rc, 0, out)
        self.assertIn("faster +", out)
        self.assertIn("1 series, 1 change points", out)

    def test_relative_to_a_reference_cancels_the_machine_state(self):
        # Every round of every run shares a machine-state factor (CV ~25 %), as on a loaded VM;
        # mutex gets 10 % slower from commit 10 on. The ratio per round to spinlock cancels it.
        rng = np.random.default_rng(11)
        mutex = "shared_counter/mutex/increments:1000/workers:1"
        spin = "shared_counter/spinlock/increments:1000/workers:1"
        runs = []
        for i in range(16):
            state = np.exp(rng.normal(0, 0.25, 5))
            cases = {
                mutex: list(1e6 * (0.9 if i >= 10 else 1.0) * state * (1 + rng.normal(0, 0.02, 5))),
                spin: list(3e6 * state * (1 + rng.normal(0, 0.02, 5))),
            }
            runs.append(write_run(os.path.join(self.tmp, f"run{i:02d}"), commit_sha(i), created(i), cases))
        self.assertEqual(call(["add", "--db", self.db, *runs])[0], 0)
        rc, out, _ = call(["detect", "--db", self.db, "--relative-to", "spinlock"])
        self.assertEqual(rc, 1, out)
        self.assertIn(f"c1:{mutex} (machine", out)
        self.assertIn(f"{commit_sha(9)[:10]}..{commit_sha(10)[:10]} slower", out)
        self.assertIn("1 series, 1 change points", out)
        self.assertIn("x spinlock", out)
        rc, _, err = call(["detect", "--db", self.db, "--relative-to", "nosuch"])
        self.assertEqual(rc, 2)
        self.assertIn("no series of that strategy", err)

    def test_recovered_slowdown_exits_0(self):
        mutex = "shared_counter/mutex/increments:1000/workers:1"
        self.add_series(20, lambda i: {mutex: 1e6 * (0.85 if 6 <= i < 13 else 1.0)})
        rc, out, _ = call(["detect", "--db", self.db])
        self.assertEqual(rc, 0, out)
        self.assertIn("2 change points", out)


if __name__ == "__main__":
    unittest.main()
