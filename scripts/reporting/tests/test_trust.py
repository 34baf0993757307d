"""Unit tests of the trust layer: bootstrap CIs, verdicts, the winner rule,
derived metrics with their domain, the probe states, detection power,
strategy metadata."""
import unittest

from .helpers import SCRIPTS  # noqa: F401  (puts the package on sys.path)
from reporting import ci, derived, detection, meta, probe, verdict
from reporting.load import Run, Sample
from reporting.names import parse_name

# Six rounds; in a far round every case runs at 0.6x (a machine-state flip).
STATES = (1.0, 0.6, 0.6, 1.0, 0.6, 1.0)
JITTER = (1.004, 0.997, 1.002, 0.999, 1.003, 0.996)


def samples(rate, rounds=True, states=STATES, jitter=JITTER, probe_ns=None):
    case = parse_name("s/x/workers:1")
    out = []
    for r, (f, j) in enumerate(zip(states, jitter)):
        s = Sample(case, 1, r, "s/x/workers:1", 1, None, {"items_per_second": rate * f * j})
        if rounds:
            s.round = r
        if probe_ns:
            s.probe_before = s.probe_after = probe_ns[r]
        out.append(s)
    return out


class IntervalTest(unittest.TestCase):
    def test_median_ci_is_deterministic_and_brackets_the_median(self):
        xs = [10.0, 10.2, 9.9, 10.1, 9.8]
        a, b = ci.median_ci(xs, "k"), ci.median_ci(xs, "k")
        self.assertEqual(a, b)
        self.assertEqual(a.estimate, 10.0)
        self.assertLessEqual(a.lo, 10.0)
        self.assertGreaterEqual(a.hi, 10.0)
        self.assertGreaterEqual(a.lo, 9.8)
        self.assertLessEqual(a.hi, 10.2)

    def test_too_few_repetitions_give_no_interval(self):
        self.assertIsNone(ci.median_ci([1, 2, 3, 4], "k"))
        self.assertIsNone(ci.unpaired_ratio_ci([1, 2, 3], [1, 2, 3, 4, 5], "k"))
        self.assertIsNone(ci.paired_ratio_ci([(1, 1)] * 4, "k"))

    def test_paired_cancels_a_state_shared_by_the_round(self):
        a, b = samples(110.0), samples(100.0, jitter=tuple(reversed(JITTER)))
        paired = ci.ratio_ci(a, b, "k")
        self.assertTrue(paired.paired)
        self.assertAlmostEqual(paired.estimate, 1.10, delta=0.01)
        self.assertLess(paired.hi - paired.lo, 0.02)
        unpaired = ci.ratio_ci(a, b, "k", pair=False)
        self.assertFalse(unpaired.paired)
        self.assertGreater(unpaired.hi - unpaired.lo, 0.5)  # the flips dominate

    def test_without_rounds_falls_back_to_unpaired(self):
        iv = ci.ratio_ci(samples(110.0, rounds=False), samples(100.0, rounds=False), "k")
        self.assertFalse(iv.paired)

    def test_non_positive_values_give_no_interval(self):
        self.assertIsNone(ci.paired_ratio_ci([(1, 0)] * 5, "k"))
        self.assertIsNone(ci.unpaired_ratio_ci([1] * 5, [0] * 5, "k"))


class VerdictTest(unittest.TestCase):
    def test_classify(self):
        iv = lambda lo, hi: ci.Interval((lo + hi) / 2, lo, hi, 5)  # noqa: E731
        self.assertEqual(verdict.classify(iv(0.80, 0.85), 0.05), "slower")
        self.assertEqual(verdict.classify(iv(1.06, 1.10), 0.05), "faster")
        self.assertEqual(verdict.classify(iv(0.97, 1.04), 0.05), "same")
        self.assertEqual(verdict.classify(iv(0.90, 0.99), 0.05), "noisy")  # straddles 0.95
        self.assertEqual(verdict.classify(None, 0.05), "noisy")

    def test_winner_when_paired_tie_when_the_flips_hide_it(self):
        fast, slow = samples(110.0), samples(100.0, jitter=tuple(reversed(JITTER)))
        d = verdict.decide({"fast": fast, "slow": slow}, "k")
        self.assertEqual(d.winner, "fast")
        self.assertEqual(d.label(), "fast")
        for s in fast + slow:
            s.round = None
        d = verdict.decide({"fast": fast, "slow": slow}, "k")
        self.assertIsNone(d.winner)
        self.assertEqual(d.label(), "tie: fast, slow")

    def test_within_the_tie_band_is_a_tie(self):
        d = verdict.decide({"a": samples(102.0), "b": samples(100.0)}, "k")
        self.assertEqual(d.label(), "tie: a, b")
        d = verdict.decide({"a": samples(102.0), "b": samples(100.0)}, "k", band=0.005)
        self.assertEqual(d.label(), "a")

    def test_yardsticks_are_measured_not_ranked(self):
        d = verdict.decide(
            {"a": samples(110.0), "b": samples(100.0), "rust_x": samples(130.0)}, "k", yardsticks=("rust_x",)
        )
        self.assertEqual(d.top, "a")
        self.assertEqual(d.winner, "a")
        self.assertNotIn("rust_x", d.tie_set)
        self.assertLess(d.yardsticks["rust_x"].estimate, 1.0)  # top / yardstick: the yardstick is ahead

    def test_rival_intervals_are_simultaneous(self):
        # Three rivals: each interval at 1 - 5%/3, wider than a lone 95% one.
        b = samples(100.0, jitter=tuple(reversed(JITTER)))
        lone = verdict.decide({"a": samples(104.0), "b": b}, "k")
        many = verdict.decide({"a": samples(104.0), "b": b, "c": samples(50.0), "d": samples(40.0)}, "k")
        self.assertAlmostEqual(lone.level, 0.95)
        self.assertAlmostEqual(many.level, 1 - 0.05 / 3)
        lone_b, many_b = lone.margins["b"], many.margins["b"]
        self.assertAlmostEqual(lone_b.estimate, many_b.estimate)
        self.assertLess(many_b.lo, lone_b.lo)
        self.assertGreater(many_b.hi, lone_b.hi)

    def test_stability_of_a_clear_and_of_an_edge_answer(self):
        # Twice as fast in every round: every resampled rerun names it.
        clear = {"fast": samples(200.0), "slow": samples(100.0, jitter=tuple(reversed(JITTER)))}
        self.assertEqual(verdict.stability(clear, "k"), 1.0)
        # A rival whose per-round ratio straddles the edge of the tie band
        # (rounds at 1.00x to 1.12x): some reruns clear it, some do not.
        spread = (1.00, 1.12, 1.02, 1.10, 1.04, 1.08)
        edge = {"a": samples(100.0, jitter=spread), "b": samples(100.0, jitter=(1.0,) * 6)}
        share = verdict.stability(edge, "k")
        self.assertIsNotNone(share)
        self.assertGreater(share, 0.0)
        self.assertLess(share, 0.9)
        self.assertEqual(verdict.stability(edge, "k"), share)  # seeded: the same every time

    def test_no_stability_without_rounds_or_rivals(self):
        unpaired = {"a": samples(200.0, rounds=False), "b": samples(100.0, rounds=False)}
        self.assertIsNone(verdict.stability(unpaired, "k"))
        self.assertIsNone(verdict.stability({"a": samples(1.0)}, "k"))
        self.assertIsNone(verdict.stability({"a": samples(2.0), "rust_x": samples(1.0)}, "k", yardsticks=("rust_x",)))

    def test_only_one_and_too_few(self):
        self.assertEqual(verdict.decide({"a": samples(1.0)}, "k").label(), "only a")
        few = samples(1.0)[:3]
        d = verdict.decide({"a": samples(2.0), "b": few}, "k")
        self.assertEqual(d.unknown, ["b"])
        self.assertIsNone(d.winner)
        self.assertEqual(verdict.decide({}, "k").label(), "—")


class DerivedTest(unittest.TestCase):
    def test_karp_flatt_domain(self):
        self.assertAlmostEqual(derived.karp_flatt(1.9, 2, True)[0], 0.0526, places=4)
        self.assertEqual(derived.karp_flatt(1.0, 2, True)[0], 1.0)
        self.assertEqual(derived.karp_flatt(2.0, 2, True)[0], 0.0)
        self.assertEqual(derived.karp_flatt(0.6, 2, True), (None, "n/a: S < 1 (slower than on 1 core)"))
        self.assertEqual(derived.karp_flatt(2.3, 2, True), (None, "n/a: S > p (superlinear)"))
        self.assertEqual(derived.karp_flatt(1.5, 2, False), (None, "n/a: not a compute kind"))
        self.assertEqual(derived.karp_flatt(1.5, 2, False, "wait"), (None, "n/a: wait kind, not compute"))
        self.assertEqual(derived.karp_flatt(None, 2, True), (None, "n/a: no 1-core result"))
        self.assertEqual(derived.karp_flatt(1.0, 1, True), (None, "1 core"))


def _run(meta_map):
    return Run("/x", "h", "r", None, {1: {}}, [], strategy_meta=meta_map)


class MetaTest(unittest.TestCase):
    def test_baseline_from_metadata_else_sequential(self):
        run = _run({"pm/tbb": {"baseline": True}, "pm/sequential": {}})
        self.assertEqual(meta.baseline(run, "pm", ["sequential", "tbb"]), ("tbb", "metadata"))
        self.assertEqual(meta.baseline(_run({}), "pm", ["sequential", "tbb"]), ("sequential", "fallback: sequential"))
        self.assertEqual(meta.baseline(_run({}), "sc", ["mutex"])[0], None)
        self.assertIn("no result here", meta.baseline(run, "pm", ["sequential"])[1])

    def test_work_class_from_kinds(self):
        kinds = {"param": "kind", "classes": {"cpu": "compute", "wait": "wait"}}
        run = _run({"sj/pool": {"kinds": kinds}, "mp/ch": {"kinds": {"param": "", "classes": {"*": "communication"}}}})
        self.assertEqual(meta.work_class(run, "sj", ["pool"], (("kind", "wait"), ("tasks", "64"))), "wait")
        self.assertEqual(meta.work_class(run, "sj", ["pool"], (("kind", "cpu"),)), "compute")
        self.assertIsNone(meta.work_class(run, "sj", ["pool"], (("kind", "other"),)))
        self.assertEqual(meta.work_class(run, "mp", ["ch"], (("payload", "u64"),)), "communication")
        self.assertIsNone(meta.work_class(_run({}), "sj", ["pool"], (("kind", "cpu"),)))

    def test_ignores_and_role(self):
        run = _run({"sj/thread_per_task": {"ignores": ["workers"]}, "mp/pingpong": {"role": "latency"}})
        self.assertTrue(meta.ignores(run, "sj", "thread_per_task", "workers"))
        self.assertFalse(meta.ignores(run, "sj", "thread_pool", "workers"))
        self.assertEqual(meta.role(run, "mp", "pingpong"), "latency")
        self.assertEqual(meta.role(run, "mp", "channels"), "throughput")
        self.assertIsNone(meta.missing_note(run))
        self.assertIn("no strategy metadata", meta.missing_note(_run({})))


class ProbeTest(unittest.TestCase):
    def test_bimodal_probe_splits_states_and_finds_straddlers(self):
        ns = [80, 300, 300, 80, 300, 80]
        run = Run("/x", "h", "r", None, {1: {}}, samples(100.0, probe_ns=ns))
        rp = probe.run_probe(run)
        self.assertTrue(rp.bimodal)
        self.assertTrue(80 < rp.split < 300)
        self.assertEqual([rp.state(s) for s in run.samples], ["near", "far", "far", "near", "far", "near"])

    def test_preempted_probes_are_left_out(self):
        ns = [80, 300, 300, 80, 300, 80]
        run = Run("/x", "h", "r", None, {1: {}}, samples(100.0, probe_ns=ns))
        run.samples[0].probe_after = 2.4e7  # descheduled: milliseconds
        rp = probe.run_probe(run)
        self.assertEqual(rp.preempted, 1)
        self.assertTrue(rp.bimodal)  # the outlier no longer hides the two states
        self.assertEqual(rp.state(run.samples[0]), "near")  # from its before probe alone

    def test_one_state_and_no_probe(self):
        run = Run("/x", "h", "r", None, {1: {}}, samples(100.0, probe_ns=[80, 81, 79, 80, 82, 81]))
        rp = probe.run_probe(run)
        self.assertFalse(rp.bimodal)
        self.assertIsNone(rp.state(run.samples[0]))
        self.assertIsNone(probe.run_probe(Run("/x", "h", "r", None, {1: {}}, samples(1.0))))


class DetectionTest(unittest.TestCase):
    def test_controls_from_three_files_without_duplicates(self):
        run = Run(
            "/x",
            "h",
            "r",
            None,
            {1: {}},
            [],
            races={"controls": {"sc/racy": {"flagged": 0, "tries": 5}}, "strategies": {}},
            detectors={
                "controls": [
                    {"name": "sc/racy", "detector": "tsan", "caught": False},
                    {"name": "mp/lost", "detector": "explore", "caught": True},
                ]
            },
            explore={
                "controls": [{"name": "mp/lost", "found": True, "schedules": 9}, {"name": "pm/torn", "found": False}]
            },
        )
        cs, notes = detection.controls(run)
        self.assertEqual(
            [(c.name, c.detector, c.caught) for c in cs],
            [("sc/racy", "tsan", False), ("mp/lost", "explore", True), ("pm/torn", "explore", False)],
        )
        self.assertEqual(cs[0].detail, "0 of 5 tries flagged")
        self.assertEqual(cs[1].detail, "9 schedules")
        self.assertEqual(notes, [])
        self.assertEqual([c.name for c in detection.scenario_controls(run, "mp")], ["mp/lost"])

    def test_unrecognised_explore_layout_is_a_note(self):
        run = Run("/x", "h", "r", None, {1: {}}, [], explore=[1, 2, 3])
        cs, notes = detection.controls(run)
        self.assertEqual(cs, [])
        self.assertIn("explore.json", notes[0])


class SummaryDetectorsTest(unittest.TestCase):
    def test_scenario_controls_else_harness_wide_ones(self):
        from reporting import summary
        from reporting.analysis import group_runs

        sample = samples(1.0)[0]
        sample.case = parse_name("sj/pool/workers:1")
        other = samples(1.0)[0]
        other.case = parse_name("sc/mutex/workers:1")
        run = Run(
            "/x",
            "h",
            "r",
            None,
            {1: {}},
            [sample, other],
            detectors={
                "controls": [
                    {"name": "sc/racy", "detector": "tsan", "caught": True},
                    {"name": "selftest/hang", "detector": "watchdog", "caught": False},
                ]
            },
        )
        cells = {g.scenario: summary._detectors(g).text for g in group_runs([run])}
        self.assertEqual(cells["sc"], "✓ 1/1 controls caught")
        self.assertEqual(cells["sj"], "✗ 0/1 controls caught (harness-wide)")
