"""Fit confidence bands and projections (projection.py): exact data gives a
zero-width band, noisy data a band around the fit that widens with the
distance from the measured core counts, no degree of freedom no band; the
report shows the projected core counts marked as projections."""
import os
import shutil
import tempfile
import unittest

import numpy as np

from reporting import fit as fitmod
from reporting import projection
from .helpers import call, fixture
from reporting import report_cli


def _usl_data(cores, noise, seed):
    rng = np.random.default_rng(seed)
    truth = fitmod.usl(np.asarray(cores, float), 1e6, 0.05, 0.002)
    return truth * (1 + noise * rng.standard_normal(len(cores)))


class ProjectionTest(unittest.TestCase):
    def test_projected_core_counts_are_the_next_powers_of_two(self):
        self.assertEqual(projection.projected_cores([1, 2, 4, 8]), [16, 32])
        self.assertEqual(projection.projected_cores([1, 2, 3, 6]), [8, 16])
        self.assertEqual(projection.projected_cores([1, 2, 4, 16]), [32, 64])

    def test_exact_data_has_a_zero_width_band(self):
        cores = [1, 2, 4, 8, 16]
        fits, _ = fitmod.fit_scaling(cores, _usl_data(cores, 0.0, 1))
        usl = next(f for f in fits if f.model == "usl")
        value, lo, hi = projection.band(usl, 32)
        self.assertAlmostEqual(value, float(fitmod.usl(32, 1e6, 0.05, 0.002)), delta=value * 1e-4)
        self.assertAlmostEqual(lo, value, delta=value * 1e-4)
        self.assertAlmostEqual(hi, value, delta=value * 1e-4)

    def test_noisy_data_band_widens_beyond_the_measured_cores(self):
        cores = [1, 2, 3, 4, 5, 6, 7, 8]
        fits, _ = fitmod.fit_scaling(cores, _usl_data(cores, 0.03, 7))
        usl = next(f for f in fits if f.model == "usl")
        widths = []
        for p in (8, 16, 32):
            value, lo, hi = projection.band(usl, p)
            self.assertLess(lo, value)
            self.assertLess(value, hi)
            widths.append(hi - lo)
        self.assertLess(widths[0], widths[1])
        self.assertLess(widths[1], widths[2])

    def test_no_degree_of_freedom_no_band(self):
        f = fitmod.Fit("usl", {"lam": 1e6, "sigma": 0.1, "kappa": 0.0}, 1.0, np.eye(3), 3)
        self.assertEqual(projection.band(f, 16)[1:], (None, None))
        self.assertTrue(projection.band_text(f, 16, str).endswith("(no band)"))
        f.cov = np.full((3, 3), np.inf)
        f.points = 8
        self.assertEqual(projection.band(f, 16)[1:], (None, None))

    def test_report_marks_the_projection(self):
        out = tempfile.mkdtemp(prefix="reporting-out-")
        self.addCleanup(shutil.rmtree, out, True)
        rc, _, err = call(report_cli.main, [fixture("run_fit"), "--out", out, "--no-charts"])
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn(
            "| strategy | model | fit at 8 cores (measured) | PROJECTION 16 cores | PROJECTION 32 cores |", md
        )
        self.assertIn("| thread_pool | Amdahl | 4.706 M [4.706 M, 4.706 M] | 6.400 M [6.400 M, 6.400 M] |", md)
        self.assertIn("extrapolations of the model, not measurements", md)
