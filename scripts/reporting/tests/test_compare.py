"""scripts/compare: CI verdicts, paired mode and exit codes (0 same, 1 slower, 2 bad input)."""
import unittest

from .helpers import TempDirTest, call, fixture, run_script
from reporting import compare


class CompareTest(unittest.TestCase):
    def test_same_run_again_exits_0(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun")])
        self.assertEqual(rc, 0, err)
        self.assertIn("32 cases: 0 faster, 1 noisy, 30 same, 0 slower, 1 still failing.", out)
        self.assertIn("Mode: unpaired", out)
        self.assertIn("threshold ±10.0%", out)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 10.06 M | +0.6% | [-2.0%, +2.7%] | same |", out)
        self.assertIn("**still failing** (check failed", out)

    def test_slower_exits_1_with_interval(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_slower")])
        self.assertEqual(rc, 1)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 8.000 M | -20.0% | [-22.4%, -18.3%] | **slower** |", out)
        self.assertIn("| mutex | 2 | 2 | 6.000 M | 4.800 M | -20.0% | [-22.6%, -17.3%] | **slower** |", out)
        self.assertIn("| atomics | 1 | 1 | 50.00 M | 50.00 M | +0.0% | [-2.9%, +3.0%] | same |", out)
        self.assertIn("slower beyond the threshold", err)

    def test_faster_exits_0(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha_slower"), fixture("run_alpha")])
        self.assertEqual(rc, 0)
        self.assertRegex(
            out, r"\| mutex \| 1 \| 1 \| 8.000 M \| 10.00 M \| \+25.0% \| \[\+2[0-9.]+%, \+2[0-9.]+%\] \| faster \|"
        )

    def test_interval_straddling_the_threshold_is_noisy_not_slower(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_slower"), "--threshold", "20%"])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 8.000 M | -20.0% | [-22.4%, -18.3%] | noisy |", out)
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_slower"), "--threshold", "25%"])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 10.00 M | 8.000 M | -20.0% | [-22.4%, -18.3%] | same |", out)

    def test_bimodal_case_is_noisy(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun")])
        row = next(line for line in out.splitlines() if line.startswith("| raw_threads | 2 | 2 |"))
        self.assertIn("noisy (⚠ bimodal", row)

    def test_cases_in_one_run_only(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_beta")])
        self.assertEqual(rc, 0)  # 3 repetitions: too few for an interval, never a verdict
        self.assertIn(
            "| atomics | 1 | 1 | 50.00 M | 70.00 M | +40.0% | n/a | noisy (⚠ too few repetitions for an "
            "interval (need 5)) |",
            out,
        )
        self.assertIn("| mutex_shared | 1 | 1 | 300.0 k | n/a | n/a | n/a | removed |", out)

    def test_threshold_parsing(self):
        self.assertAlmostEqual(compare.parse_threshold("5%"), 0.05)
        self.assertAlmostEqual(compare.parse_threshold("2.5"), 0.025)
        for bad in ("", "abc", "-5%", "5%%", "nan", "1e3", "5 percent", "2000%", "100%"):
            with self.subTest(threshold=bad), self.assertRaises(compare.InputError):
                compare.parse_threshold(bad)

    def test_summary_line_has_the_four_verdicts_in_order(self):
        key = ("s", (), "x", 1, 1)
        rows = [compare.CompareRow(key, compare.Verdict(v)) for v in ("same", "slower", "same", "ERROR", "faster")]
        self.assertEqual(compare.summary_line(rows), "5 cases: 1 faster, 0 noisy, 2 same, 1 slower, 1 ERROR.")


class WinnerAgreementTest(unittest.TestCase):
    def test_same_run_again_names_the_same_winners(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun")])
        self.assertIn(
            "Winners: the same winner or tie set in 16 of 16 scenario groups and core counts; "
            "consistent (no winner that the other run's answer excludes) in 16 of 16",
            out,
        )

    def test_differing_winners_are_listed(self):
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_beta")])
        self.assertIn(
            "Winners: the same winner or tie set in 0 of 2 scenario groups and core counts; "
            "consistent (no winner that the other run's answer excludes) in 2 of 2",
            out,
        )
        self.assertIn("| shared_counter increments:1000000 | 1 | atomics | tie: atomics, mutex | yes |", out)

    def test_interleaved_runs_also_count_the_answers_that_are_not_fragile(self):
        # Six interleaved rounds: the one group whose answers differ has a
        # fragile answer in at least one run, so the firm count leaves it out.
        rc, out, _ = call(compare.main, [fixture("run_pair_a"), fixture("run_pair_b")])
        self.assertIn("the same winner or tie set in 7 of 8 scenario groups", out)
        self.assertIn("Where neither run's answer is fragile", out)
        self.assertIn("the same in 7 of 7.", out)
        # Runs without rounds have no stability: no such sentence.
        rc, out, _ = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun")])
        self.assertNotIn("fragile", out)

    def test_contradicting_winners(self):
        from reporting.verdict import Decision
        from reporting.ci import Interval

        iv = Interval(1.5, 1.4, 1.6, 5)
        a, b = Decision("x", margins={"y": iv}), Decision("y", margins={"x": iv})
        self.assertFalse(compare._consistent(a, b))
        self.assertTrue(compare._consistent(a, Decision("y", tied=["x"], margins={"x": iv})))
        self.assertFalse(compare._consistent(a, Decision("y", tied=["z"], margins={"z": iv, "x": iv})))


class PairedCompareTest(unittest.TestCase):
    """run_pair_*: six rounds, each round in a near or a far machine state
    (every case of the round 0.6x in a far one), shared by both sides."""

    def test_detects_a_paired_run(self):
        from reporting.load import load_run

        a, b = load_run(fixture("run_pair_a")), load_run(fixture("run_pair_b"))
        self.assertIsNone(compare.detect_paired(a, b))
        self.assertIn("do not mark", compare.detect_paired(load_run(fixture("run_alpha")), b))
        self.assertIn("roles are B and B", compare.detect_paired(b, b))

    def test_a_a_paired_cancels_the_state_flips(self):
        rc, out, _ = call(compare.main, [fixture("run_pair_a"), fixture("run_pair_b")])
        self.assertEqual(rc, 0)
        self.assertIn("Mode: paired by round", out)
        self.assertIn("26 cases: 0 faster, 0 noisy, 26 same, 0 slower.", out)

    def test_a_a_unpaired_can_not_tell(self):
        # The same data without pairing: the flips make most intervals span tens of percent.
        rc, out, _ = call(compare.main, [fixture("run_pair_a"), fixture("run_pair_b"), "--unpaired"])
        self.assertEqual(rc, 0)
        self.assertIn("26 cases: 0 faster, 18 noisy, 8 same, 0 slower.", out)
        self.assertIn("| mutex | 1 | 1 | 7.986 M | 8.011 M | +0.3% | [-39.1%, +66.1%] | noisy", out)

    def test_ten_percent_slowdown_found_only_when_paired(self):
        rc, out, err = call(compare.main, [fixture("run_pair_a"), fixture("run_pair_b_slower")])
        self.assertEqual(rc, 1)
        self.assertIn("26 cases: 0 faster, 0 noisy, 24 same, 2 slower.", out)
        self.assertIn("| mutex | 1 | 1 | 7.986 M | 7.210 M | -9.7% | [-10.2%, -9.1%] | **slower**", out)
        self.assertIn("| mutex | 2 | 2 | 4.784 M | 4.314 M | -9.8% | [-10.3%, -9.3%] | **slower**", out)
        rc, out, _ = call(compare.main, [fixture("run_pair_a"), fixture("run_pair_b_slower"), "--unpaired"])
        self.assertEqual(rc, 0)
        self.assertIn("| mutex | 1 | 1 | 7.986 M | 7.210 M | -9.7% | [-45.2%, +49.5%] | noisy", out)

    def test_forced_pairing_says_it_was_forced(self):
        rc, out, _ = call(compare.main, [fixture("run_pair_b"), fixture("run_pair_b_slower"), "--paired"])
        self.assertIn("forced with --paired although roles are B and B", out)

    def test_paired_flag_needs_rounds(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_alpha_rerun"), "--paired"])
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertIn("--paired", err)
        self.assertIn("no round ids", err)


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
        import json
        import os

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
        self.assertIn("| mutex | 1 | 1 | 12.00 M | 9.600 M | -20.0% | n/a | noisy (⚠ too few repetitions", out)


class StratifiedCompareTest(unittest.TestCase):
    """Two unpaired runs of the same code whose rounds sat in different state
    mixtures (base: 15 near + 5 far rounds, new: 5 near + 15 far)."""

    @staticmethod
    def _run(states, path):
        from reporting.load import Run, Sample
        from reporting.names import parse_name

        case = parse_name("shared_counter/mutex/workers:1")
        samples = []
        for r, st in enumerate(states):
            jitter = 1.0 + 0.002 * ((r * 7) % 5 - 2)
            s = Sample(
                case,
                1,
                r,
                "shared_counter/mutex/workers:1",
                1,
                None,
                {"items_per_second": (100.0 if st == "near" else 60.0) * jitter},
            )
            s.round = r
            s.probe_before = s.probe_after = (80.0 if st == "near" else 300.0) * jitter
            samples.append(s)
        return Run(path, "h", path, None, {1: {}}, samples)

    def test_unpaired_mixture_difference_is_a_false_alarm_that_stratifying_removes(self):
        base = self._run(["near", "near", "near", "far"] * 5, "/base")
        new = self._run(["far", "far", "far", "near"] * 5, "/new")
        rows, failing = compare.compare_runs(base, new, 0.10, paired=False)
        self.assertEqual(rows[0].verdict, compare.Verdict.SLOWER)  # the state mixture, not the code
        self.assertTrue(failing)
        for state in ("far", "near"):
            keep = (compare.state_filter(base, state)[0], compare.state_filter(new, state)[0])
            rows, failing = compare.compare_runs(base, new, 0.10, paired=False, keep=keep)
            with self.subTest(state=state):
                self.assertEqual(rows[0].verdict, compare.Verdict.SAME)
                self.assertFalse(failing)

    def test_state_needs_a_probe(self):
        rc, out, err = call(compare.main, [fixture("run_alpha"), fixture("run_pair_b"), "--state", "far"])
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("--state", err)
        self.assertIn("no machine-state probe", err)
