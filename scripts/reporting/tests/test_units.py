"""Unit tests: name parsing, statistics and the noise flag, scaling-law fits."""
import unittest

import numpy as np

from .helpers import SCRIPTS  # noqa: F401  (puts the package on sys.path)
from reporting import fit, stats
from reporting.names import parse_name


class NamesTest(unittest.TestCase):
    def test_manual_time_suffix_and_params(self):
        c = parse_name("parallel_map/tbb/kind:add2/elements:1000000/workers:2/manual_time")
        self.assertEqual((c.scenario, c.strategy, c.workers), ("parallel_map", "tbb", 2))
        self.assertEqual(c.params, (("kind", "add2"), ("elements", "1000000")))
        self.assertEqual(c.params_label, "kind:add2/elements:1000000")

    def test_process_time_and_manual_time_suffixes(self):
        c = parse_name("shared_counter/mutex/increments:1000000/workers:2/process_time/manual_time")
        self.assertEqual(
            (c.scenario, c.strategy, c.params, c.workers), ("shared_counter", "mutex", (("increments", "1000000"),), 2)
        )

    def test_real_time_suffix_and_no_params(self):
        c = parse_name("shared_counter/atomics/workers:16/real_time")
        self.assertEqual((c.params, c.workers), ((), 16))

    def test_bad_names(self):
        for name in ("", "BM_Foo", "a/b", "a/b/workers:x", "a/b/kind:wait", "a/b/kind/workers:1", "a/b/workers:0"):
            with self.subTest(name=name), self.assertRaises(ValueError):
                parse_name(name)


class NoiseTest(unittest.TestCase):
    def test_tight_results_are_quiet(self):
        s = stats.summarize([50, 51, 49, 50.5, 49.5])
        self.assertEqual(s.median, 50)
        self.assertFalse(s.noisy)
        self.assertEqual(s.noise_label, "")

    def test_bimodal_fires(self):
        s = stats.summarize([250, 252, 380, 382, 251])
        self.assertTrue(s.bimodal)
        self.assertTrue(s.noisy)
        self.assertIn("bimodal", s.noise_label)

    def test_bimodal_needs_two_per_cluster_and_a_real_gap(self):
        self.assertFalse(stats.is_bimodal([100, 101, 102, 150]))  # one outlier is not a mode
        self.assertFalse(stats.is_bimodal([100, 100, 100.5, 100.5]))  # gap under 3% of the median
        self.assertFalse(stats.is_bimodal([100, 110]))  # too few repetitions
        self.assertTrue(stats.is_bimodal([100, 100.5, 120, 120.5]))

    def test_high_cv_without_modes(self):
        s = stats.summarize([80, 90, 100, 110, 120])
        self.assertFalse(s.bimodal)
        self.assertTrue(s.high_cv)


class FitTest(unittest.TestCase):
    cores = [1, 2, 4, 8, 16]

    def test_amdahl_recovers_serial_fraction(self):
        x = fit.amdahl(self.cores, 2.5e6, 0.07)
        fits, reason = fit.fit_scaling(self.cores, x)
        self.assertIsNone(reason)
        a = {f.model: f for f in fits}["amdahl"]
        self.assertAlmostEqual(a.params["f"], 0.07, places=4)
        self.assertAlmostEqual(a.params["lam"] / 2.5e6, 1.0, places=4)
        self.assertGreater(a.r2, 0.9999)

    def test_usl_recovers_sigma_and_kappa(self):
        cores = [1, 2, 4, 8, 16, 32]
        x = fit.usl(cores, 1e6, 0.03, 0.001)
        u = {f.model: f for f in fit.fit_scaling(cores, x)[0]}["usl"]
        self.assertAlmostEqual(u.params["sigma"], 0.03, places=4)
        self.assertAlmostEqual(u.params["kappa"], 0.001, places=5)
        self.assertAlmostEqual(u.peak_cores, np.sqrt(0.97 / 0.001), places=1)

    def test_usl_with_noise_stays_close(self):
        rng = np.random.default_rng(7)
        x = fit.usl(self.cores, 1e6, 0.05, 0.002) * rng.normal(1.0, 0.005, len(self.cores))
        u = {f.model: f for f in fit.fit_scaling(self.cores, x)[0]}["usl"]
        self.assertAlmostEqual(u.params["sigma"], 0.05, delta=0.02)
        self.assertAlmostEqual(u.params["kappa"], 0.002, delta=0.001)

    def test_no_fit_below_four_core_counts(self):
        fits, reason = fit.fit_scaling([1, 2, 4], [1.0, 1.9, 3.5])
        self.assertEqual(fits, [])
        self.assertIn("3 core counts", reason)
        self.assertIn("at least 4", reason)
