"""The verdict thresholds against simulated machine-state flips (reporting.calibrate):
paired, the A/A false-alarm and 10%-slowdown targets of issue #11 hold at 2%
per-repetition noise with 5 rounds; unpaired, the flips hide the slowdown."""
import unittest

from .helpers import SCRIPTS, call  # noqa: F401  (puts the package on sys.path)
from reporting import calibrate


class CalibrationTest(unittest.TestCase):
    def test_paired_meets_the_targets_at_two_percent_noise(self):
        flagged, _ = calibrate.simulate(0.02, 5, 1.0, 0.03, True, cases=150)
        self.assertLessEqual(flagged, 0.02)
        _, found = calibrate.simulate(0.02, 5, 0.9, 0.03, True, cases=150)
        self.assertGreaterEqual(found, 0.90)

    def test_unpaired_does_not_see_through_the_flips(self):
        _, found = calibrate.simulate(0.02, 5, 0.9, 0.10, False, cases=150)
        self.assertLess(found, 0.10)

    def test_bad_arguments_exit_2(self):
        rc, out, err = call(calibrate.main, ["--sigma", "x"])
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.strip().splitlines()), 1)
        rc, _, err = call(calibrate.main, ["--cases", "0"])
        self.assertEqual(rc, 2)
