"""The paired interval (Student's t) and the exit-status gate of
scripts/compare (Holm's correction over the paired cases)."""
import math
import unittest

from .helpers import SCRIPTS  # noqa: F401  (puts the package on sys.path)
from reporting import calibrate, ci, gate
from reporting.compare import CompareRow, Verdict


def row(key, pairs, threshold=0.03):
    from reporting.verdict import classify

    iv = ci.paired_ratio_ci(pairs, key)
    return CompareRow(key=key, verdict=Verdict(classify(iv, threshold)), change=iv)


class PairedIntervalTest(unittest.TestCase):
    def test_t_interval_of_the_mean_log_ratio(self):
        logs = [0.01, -0.02, 0.03, 0.00, 0.02]
        iv = ci.paired_ratio_ci([(math.exp(x), 1.0) for x in logs], "k")
        mean = sum(logs) / 5
        sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / 4)
        half = 2.7764451 * sd / math.sqrt(5)  # t(0.975, 4 df)
        self.assertAlmostEqual(iv.estimate, math.exp(mean), places=12)
        self.assertAlmostEqual(iv.lo, math.exp(mean - half), places=6)
        self.assertAlmostEqual(iv.hi, math.exp(mean + half), places=6)
        self.assertTrue(iv.paired)

    def test_p_below_matches_the_interval(self):
        # The interval's upper end is the bound at which the one-sided p is 2.5%.
        iv = ci.paired_ratio_ci([(0.90, 1.0), (0.92, 1.0), (0.88, 1.0), (0.91, 1.0), (0.89, 1.0)], "k")
        self.assertAlmostEqual(iv.p_below(iv.hi), 0.025, places=6)
        self.assertLess(iv.p_below(0.97), 0.025)
        self.assertGreater(iv.p_below(0.85), 0.5)
        self.assertIsNone(ci.unpaired_ratio_ci([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], "k").p_below(0.97))

    def test_t_interval_keeps_a_noisy_aa_under_two_percent(self):
        # 5% lognormal noise per repetition, 5 rounds: the percentile bootstrap
        # flagged 2.0% of A/A cases in this simulation; the t interval fewer.
        flagged, _ = calibrate.simulate(0.05, 5, 1.0, 0.03, True, cases=300)
        self.assertLessEqual(flagged, 0.01)


class GateTest(unittest.TestCase):
    def test_holm_step_down(self):
        # m = 4: thresholds 0.025/4, 0.025/3, 0.025/2, 0.025/1.
        p = {"a": 0.001, "b": 0.008, "c": 0.02, "d": 0.5}
        self.assertEqual(gate.holm_rejections(p), {"a", "b"})
        self.assertEqual(gate.holm_rejections({"a": 0.007, "b": 0.001}), {"a", "b"})
        self.assertEqual(gate.holm_rejections({"a": 0.03, "b": 0.001}), {"b"})
        self.assertEqual(gate.holm_rejections({}), set())

    def test_chance_slower_among_many_cases_does_not_fail(self):
        same = [(1.0, 1.0), (1.01, 1.0), (0.99, 1.0), (1.0, 1.0), (1.005, 1.0)]
        rows = [row(f"same{i}", same) for i in range(100)]
        # Just past the threshold: slower at 95%, but p ~ 0.006 among 101 cases.
        rows.append(row("edge", [(0.90, 1.0), (0.95, 1.0), (0.92, 1.0), (0.88, 1.0), (0.93, 1.0)]))
        self.assertEqual(rows[-1].verdict, Verdict.SLOWER)
        failing, note = gate.gate(rows, 0.03)
        self.assertEqual(failing, set())
        self.assertIn("0 of the 1 paired slower cases", note)

    def test_clear_slowdown_fails_and_errors_always_fail(self):
        same = [(1.0, 1.0), (1.01, 1.0), (0.99, 1.0), (1.0, 1.0), (1.005, 1.0)]
        rows = [row(f"same{i}", same) for i in range(100)]
        rows.append(row("slow", [(0.90, 1.0), (0.905, 1.0), (0.895, 1.0), (0.90, 1.0), (0.901, 1.0)]))
        rows.append(CompareRow(key="broken", verdict=Verdict.ERROR))
        failing, _ = gate.gate(rows, 0.03)
        self.assertEqual(failing, {"slow", "broken"})

    def test_unpaired_slower_fails_on_its_interval(self):
        iv = ci.unpaired_ratio_ci([80, 81, 79, 80, 80], [100, 101, 99, 100, 100], "k")
        rows = [CompareRow(key="u", verdict=Verdict.SLOWER, change=iv)]
        self.assertEqual(gate.gate(rows, 0.10)[0], {"u"})


if __name__ == "__main__":
    unittest.main()
