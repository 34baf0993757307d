"""scripts/compare: verdicts, p-values and exit codes (0 same, 1 slower, 2 bad input)."""
import unittest

from .helpers import TempDirTest, call, fixture, run_script
from reporting import compare


class CompareTest(unittest.TestCase):
    def test_same_run_again_exits_0(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun")])
        self.assertEqual(rc, 0, err)
        self.assertIn("32 cases: 31 same, 1 still failing.", out)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 10.06 M | +0.6% | 0.917 | same |", out)
        self.assertIn("**still failing** (check failed", out)

    def test_slower_exits_1_with_p_value(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_slower")])
        self.assertEqual(rc, 1)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 8.000 M | -20.0% | 0.0079 | **slower** |", out)
        self.assertIn("| mutex | 2 | 2 | 6.000 M | 4.800 M | -20.0% | 0.0117 | **slower** |", out)
        self.assertIn("| atomics | 1 | 1 | 50.00 M | 50.00 M | +0.0% | 1 | same |", out)
        self.assertIn("significantly slower", err)

    def test_faster_exits_0(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha_slower"), fixture("run_alpha")])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 8.000 M | 10.00 M | +25.0% | 0.0079 | faster |", out)

    def test_threshold_above_the_change_says_same(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_slower"), "--threshold", "25%"])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 8.000 M | -20.0% | 0.0079 | same |", out)

    def test_cases_in_one_run_only(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_beta")])
        self.assertEqual(rc, 0)  # 5 against 3 repetitions: the smallest p is 0.036
        self.assertIn("| atomics | 1 | 1 | 50.00 M | 70.00 M | +40.0% | 0.0357 | faster |", out)
        self.assertIn("| mutex_shared | 1 | 1 | 300.0 k | n/a | n/a | n/a | removed |", out)

    def test_threshold_parsing(self):
        self.assertAlmostEqual(compare.parse_threshold("5%"), 0.05)
        self.assertAlmostEqual(compare.parse_threshold("2.5"), 0.025)
        for bad in ("", "abc", "-5%", "5%%", "nan", "1e3", "5 percent", "2000%"):
            with self.subTest(threshold=bad), self.assertRaises(compare.InputError):
                compare.parse_threshold(bad)


class CompareScriptTest(TempDirTest):
    def test_exit_codes_through_the_script(self):
        self.assertEqual(run_script("compare", fixture("run_alpha"), fixture("run_alpha_rerun")).returncode, 0)
        self.assertEqual(run_script("compare", fixture("run_alpha"), fixture("run_alpha_slower")).returncode, 1)
        p = run_script("compare", fixture("run_alpha"), self.tmp + "/missing")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertIn("missing", p.stderr)
        p = run_script("compare", fixture("run_alpha"), fixture("run_alpha"), "--threshold", "lots")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--threshold", p.stderr)


class NoisyTest(TempDirTest):
    def test_three_repetitions_can_not_prove_a_slowdown(self):
        # 3 against 3 repetitions: the smallest two-sided p is 0.1, so -20% is 'noisy', exit 0.
        import json, os
        slower = self.copy_fixture("run_beta", "beta_slower")
        for n in (1, 2):
            path = os.path.join(slower, f"cores-{n}.json")
            with open(path) as f:
                doc = json.load(f)
            for b in doc["benchmarks"]:
                if b["name"].startswith("shared_counter/mutex/") and b["run_type"] == "iteration":
                    b["items_per_second"] *= 0.8
            with open(path, "w") as f:
                json.dump(doc, f)
        rc, out, _ = call(compare.main, [fixture("run_beta"), slower])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 12.00 M | 9.600 M | -20.0% | 0.1 | noisy |", out)
