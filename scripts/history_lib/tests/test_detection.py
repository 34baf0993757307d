"""E-Divisive with means on generated series: the figures docs/history.md quotes.

The generator (generated.py): 200 series x 60 points, each point a run of 5
repetitions with noise CV 3-8 % (half Gaussian, half bimodal), per-run level
noise of 1 %, half of the series with one 10 % step at a random point.
Required: >= 90 % of the steps found within +-2 points, <= 5 % of the
step-free series with any change point.
"""
import time
import unittest

import numpy as np

from . import fake_runs  # noqa: F401  (puts scripts/ on sys.path)
from history_lib import changes, edm
from history_lib.tests.generated import generate


def _score(series_list):
    found = false_alarms = steps = 0
    for k, s in enumerate(series_list):
        cps = changes.find_changes(s.groups(), key=f"gen{k}")
        if s.step_at is None:
            false_alarms += bool(cps)
        else:
            steps += 1
            found += any(abs(c.index - s.step_at) <= 2 for c in cps)
    return found / steps, false_alarms / (len(series_list) - steps)


class GeneratedSeriesTest(unittest.TestCase):
    def test_generator_shape(self):
        ss = generate()
        self.assertEqual(len(ss), 200)
        self.assertTrue(all(s.values.shape == (60, 5) for s in ss))
        self.assertEqual(sum(s.step_at is not None for s in ss), 100)
        self.assertEqual(sum(s.bimodal for s in ss), 100)
        for s in ss:  # the repetitions' CV within a run stays in the stated range (+ sampling noise)
            self.assertTrue(0.03 <= s.cv <= 0.08)
        pooled = [np.std(s.values[: (s.step_at or 60)] / np.median(s.values[: (s.step_at or 60)])) for s in ss]
        self.assertTrue(0.02 < float(np.median(pooled)) < 0.09)

    def test_power_and_false_alarms(self):
        start = time.process_time()
        power, false_alarms = _score(generate())
        print(
            f"\nedm generated series: {power * 100:.0f}% of 10% steps found within +-2 points, "
            f"{false_alarms * 100:.0f}% false alarms ({time.process_time() - start:.1f} s CPU)"
        )
        self.assertGreaterEqual(power, 0.90)
        self.assertLessEqual(false_alarms, 0.05)


class EdmUnitTest(unittest.TestCase):
    def test_clear_step_found_at_its_point(self):
        rng = np.random.default_rng(1)
        groups = [[v] for v in np.r_[100 + rng.normal(0, 1, 20), 80 + rng.normal(0, 1, 20)]]
        cps = edm.change_points(groups, "unit")
        self.assertEqual([c.index for c in cps], [20])
        self.assertLess(cps[0].p, 0.01)

    def test_two_steps_found(self):
        rng = np.random.default_rng(2)
        vals = np.r_[100 + rng.normal(0, 1, 15), 80 + rng.normal(0, 1, 15), 95 + rng.normal(0, 1, 15)]
        # (the raw splits may include a weak one within a level, at the 1 % level of each test)
        self.assertEqual([c.index for c in changes.find_changes([[v] for v in vals], "two")], [15, 30])

    def test_constant_series_has_none(self):
        self.assertEqual(edm.change_points([[5.0]] * 30, "flat"), [])

    def test_short_series_has_none(self):
        self.assertEqual(edm.change_points([[1.0], [2.0], [3.0], [4.0], [5.0]], "short"), [])

    def test_groups_split_only_between_groups(self):
        rng = np.random.default_rng(3)
        groups = [list(100 + rng.normal(0, 1, 4)) for _ in range(8)] + [
            list(85 + rng.normal(0, 1, 4)) for _ in range(5)
        ]
        self.assertEqual([c.index for c in edm.change_points(groups, "grp")], [8])

    def test_runs_are_the_permuted_unit(self):
        # 12 commits x 4 runs x 3 repetitions; each run has its own level (CV 4 %), so the
        # repetitions of a run are correlated. A 15 % step at commit 8 (4 commits after it).
        rng = np.random.default_rng(6)
        groups, blocks = [], []
        for c in range(12):
            runs = [
                list(100 * (0.85 if c >= 8 else 1.0) * np.exp(rng.normal(0, 0.04)) * (1 + rng.normal(0, 0.02, 3)))
                for _ in range(4)
            ]
            groups.append([v for r in runs for v in r])
            blocks.append([3, 3, 3, 3])
        self.assertEqual([c.index for c in edm.change_points(groups, "runs", blocks=blocks)], [8])
        with self.assertRaises(ValueError):
            edm.change_points(groups, "runs", blocks=[[3, 3, 3]] * 12)

    def test_magnitude_filter_drops_small_changes(self):
        rng = np.random.default_rng(4)
        vals = np.r_[100 + rng.normal(0, 0.1, 20), 102 + rng.normal(0, 0.1, 20)]  # 2 %: significant, small
        groups = [[v] for v in vals]
        self.assertEqual([c.index for c in edm.change_points(groups, "small")], [20])
        self.assertEqual(changes.find_changes(groups, "small", min_magnitude=0.05), [])
        found = changes.find_changes(groups, "small", min_magnitude=0.01)
        self.assertEqual(len(found), 1)
        self.assertAlmostEqual(found[0].magnitude, 0.02, delta=0.003)

    def test_statistic_matches_direct_formula(self):
        rng = np.random.default_rng(5)
        x = np.log(rng.uniform(1, 2, 12))
        sizes = np.ones(12, dtype=int)
        cuts, q = edm._q(edm._group_distances(x, sizes), sizes, 2)
        q = q[list(cuts).index(5)]

        def direct(a, b):
            m, n = len(a), len(b)
            cross = np.abs(a[:, None] - b[None, :]).sum()
            within_a = np.abs(a[:, None] - a[None, :]).sum() / 2
            within_b = np.abs(b[:, None] - b[None, :]).sum() / 2
            return m * n / (m + n) * (2 * cross / (m * n) - within_a / (m * (m - 1) / 2) - within_b / (n * (n - 1) / 2))

        # Q(tau=5) is the maximum over the right part's end kappa (Matteson & James).
        self.assertAlmostEqual(q, max(direct(x[:5], x[5:kappa]) for kappa in range(7, 13)), places=10)


if __name__ == "__main__":
    unittest.main()
