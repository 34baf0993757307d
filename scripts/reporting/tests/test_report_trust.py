"""scripts/report on the interleaved, paired fixture run_pair_a: strategy
metadata (fixed baseline, ignored parameters, latency role), the 1-worker
overhead, the machine-state probe and detection power."""
import shutil
import unittest

from .helpers import TempDirTest, call
from .test_report import _render, _section
from reporting import report_cli

_ALPHA_MD: list[str] = []


def _alpha_md() -> str:
    """report.md of run_alpha without charts (rendered once)."""
    if not _ALPHA_MD:
        import os
        import tempfile
        from .helpers import fixture

        out = tempfile.mkdtemp(prefix="reporting-out-")
        try:
            rc, _, err = call(report_cli.main, [fixture("run_alpha"), "--out", out, "--no-charts"])
            assert rc == 0, err
            with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
                _ALPHA_MD.append(f.read())
        finally:
            shutil.rmtree(out, True)
    return _ALPHA_MD[0]


class PairReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out, cls.md, cls.html = _render("run_pair_a")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def test_summary_names_ties_paired_by_round(self):
        top = _section(self.md, "Summary: which strategy wins")
        self.assertIn(
            "| parallel_map kind:add2 elements:1000000 | tie: sequential, raw_threads (sequential +2.2% "
            "[+0.3%, +4.2%] over raw_threads) |",
            top,
        )
        self.assertIn("| shared_counter increments:1000000 | **atomics** +401.7% [+396.0%, +407.5%] over mutex |", top)
        self.assertIn("✗ 1/2 controls caught", top)  # shared_counter/torn_read was missed
        self.assertIn("Unexplained 1-worker overhead above 15%", top)
        self.assertIn("parallel_map kind:add2 elements:1000000: coroutines 35.1%", top)  # overhead flag
        self.assertNotIn("channels_pingpong", top)  # latency role: never ranked

    def test_fixed_baseline_from_metadata_and_karp_flatt_domain(self):
        add2 = _section(self.md, "parallel_map — kind:add2 elements:1000000")
        self.assertIn("Baseline: **sequential** at 1 core, 160.2 M items/s (metadata)", add2)
        self.assertIn(
            "| sequential | 2 | 158.9 M | 0.99x | 49.6% | 0.99x | 49.6% | n/a: S < 1 (slower than on 1 core) |", add2
        )
        self.assertIn("| coroutines | 103.4 M | 0.65x | [0.64x, 0.66x] | 35.1% | ⚠ over 15%, unexplained |", add2)
        self.assertIn("| raw_threads | 156.4 M | 0.98x | [0.96x, 0.99x] | 2.2% | ok |", add2)
        mp = _section(self.md, "message_passing — payload:u64 messages:100000")
        self.assertIn("Baseline: **mutex_queue** at 1 core", mp)  # metadata, not 'best at 1 core'
        self.assertIn("not a compute kind: not flagged", mp)

    def test_karp_flatt_names_the_work_class_from_metadata(self):
        wait = _section(self.md, "spawn_join — kind:wait tasks:64")
        self.assertIn("| thread_pool | 2 | 1.988 k | 1.99x | 99.7% | n/a: wait kind, not compute |", wait)
        sc = _section(self.md, "shared_counter — increments:1000000")
        self.assertIn("n/a: communication kind, not compute", sc)

    def test_ranking_uses_paired_intervals(self):
        add2 = _section(self.md, "parallel_map — kind:add2 elements:1000000")
        self.assertIn(
            "| 1 | std_par | 150.7 M | [113.1 M, 187.8 M] | 1.06x [1.04x, 1.09x] paired | slower (6.0% behind)", add2
        )

    def test_latency_role_reported_apart(self):
        mp = _section(self.md, "message_passing — payload:u64 messages:100000")
        self.assertIn("### Latency cases (round trip; not ranked against throughput)", mp)
        self.assertIn(
            "| channels_pingpong | 1 | 1 | 799.9 k ±25.6% ⚠ bimodal, CV 27.6% | 2.00 | 6.50 | ✓ checked |", mp
        )
        ranking = mp[mp.index("### Ranking per core count") : mp.index("### Units and costs")]
        self.assertNotIn("channels_pingpong", ranking)

    def test_strategies_that_ignore_workers_are_left_out_of_oversubscription(self):
        wait = _section(self.md, "spawn_join — kind:wait tasks:64")
        over = wait[wait.index("### Oversubscription") : wait.index("### Units and costs")]
        self.assertIn("| thread_pool | 1 | 4 |", over)
        self.assertNotIn("| thread_per_task |", over)
        self.assertIn(
            "Left out (strategy metadata: they ignore `workers` or have the latency role): thread_per_task.", over
        )

    def test_machine_state_probe(self):
        state = _section(self.md, "Machine state")
        self.assertIn("| delta | 312 | 78 | 79 | 187 | 306 | 309 | ⚠ bimodal (split at 187 ns) | 0.5 / 0.1 |", state)
        self.assertIn("26 results straddle machine states", state)
        self.assertIn("18 of them differ by more than 3%", state)
        self.assertIn(
            "| shared_counter increments:1000000: mutex workers:1 | 1 | 3, 9.934 M | 3, 5.995 M | 0.60x |", state
        )
        self.assertNotIn("thread_pool workers:1 |", state)  # sleeping is not state-dependent here
        self.assertIn("delta: distribution of the inter-core round trip</figcaption>", self.html)  # histogram
        self.assertIn("**18 results depend on the machine state**", _section(self.md, "Summary: which strategy wins"))

    def test_detection_power(self):
        det = _section(self.md, "Detection power")
        self.assertIn("Detectors that ran: check, explore, stress, tsan, watchdog. **5/6 controls caught.**", det)
        self.assertIn(
            "| shared_counter/torn_read | explore | ✗ missed | 1000 runs | detectors.json + explore.json |", det
        )
        self.assertIn(
            "| shared_counter/racy | tsan | ✓ caught | 5 of 5 tries flagged | detectors.json + races.json |", det
        )
        self.assertIn("ThreadSanitizer verdicts on the strategies: 4 clean.", det)
        self.assertIn("controls not built into this build (not counted): actor_ping/caf_control", det)
        self.assertIn(
            "| parallel_map/wrong_answer | check | ✓ caught | check failed: element 17 differs | detectors.json |", det
        )
        self.assertIn("| message_passing/channels | 0 | 1000 runs |", det)

    def test_csv_carries_round_and_probe(self):
        import csv
        import os

        with open(os.path.join(self.out, "results.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        row = next(r for r in rows if r["strategy"] == "mutex" and r["cores"] == "1" and r["repetition"] == "1")
        self.assertEqual(row["round"], "1")
        self.assertAlmostEqual(float(row["probe_before_ns"]), 300, delta=10)  # round 1 is far
        self.assertEqual(row["steal_ms"], "0.5")

    def test_context_names_the_rounds(self):
        self.assertIn("| Interleaved rounds | 6 rounds, seed 4242; paired A/B run, side A |", self.md)


class MissingCasesTest(unittest.TestCase):
    def test_cases_missing_from_one_side_are_named(self):
        import json
        import os
        import tempfile
        from .helpers import fixture
        from reporting import report_cli
        from .helpers import call

        tmp = tempfile.mkdtemp(prefix="reporting-missing-")
        self.addCleanup(shutil.rmtree, tmp, True)
        run = os.path.join(tmp, "b")
        shutil.copytree(fixture("run_pair_b"), run)
        with open(os.path.join(run, "manifest.json")) as f:
            m = json.load(f)
        m["missing"] = ["c1:parallel_map/new_strategy/kind:add2/elements:1000000/workers:1"]
        with open(os.path.join(run, "manifest.json"), "w") as f:
            json.dump(m, f)
        rc, _, err = call(report_cli.main, [run, "--out", os.path.join(tmp, "out"), "--no-charts"])
        self.assertEqual(rc, 0, err)
        with open(os.path.join(tmp, "out", "report.md")) as f:
            md = f.read()
        self.assertIn(
            "1 case not in this side's binary (paired sweep of another revision), not run: "
            "`c1:parallel_map/new_strategy/kind:add2/elements:1000000/workers:1`",
            md,
        )


class NoMetadataTest(unittest.TestCase):
    def test_says_what_is_missing(self):
        md = _alpha_md()
        self.assertIn("no strategy metadata (context 'harness_strategies')", md)
        self.assertIn("| Interleaved rounds | no (case blocks: repetitions of a case back to back) |", md)
        self.assertIn("| alpha | not measured |", md)

    def test_no_absolute_folder_in_the_report(self):
        import os
        from .helpers import fixture

        out, md, page = _render("run_alpha")
        self.addCleanup(shutil.rmtree, out, True)
        self.assertNotIn(os.path.abspath(fixture("run_alpha")), md)
        self.assertNotIn(os.path.abspath(fixture("run_alpha")), page)
        self.assertRegex(md, r"\| Folder \| ([^|/ ]+/)*run_alpha \|")


class EditedFixtureTest(TempDirTest):
    """run_alpha copies with one thing changed."""

    def _edit(self, change):
        import json
        import os

        run = self.copy_fixture("run_alpha", "run")
        for n in (1, 2):
            path = os.path.join(run, f"cores-{n}.json")
            with open(path) as f:
                doc = json.load(f)
            change(n, doc)
            with open(path, "w") as f:
                json.dump(doc, f)
        out = os.path.join(self.tmp, "out")
        rc, _, err = call(report_cli.main, [run, "--out", out, "--no-charts"])
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            return f.read()

    def test_superlinear_efficiency_is_marked_with_a_footnote(self):
        def faster(n, doc):  # heavy raw_threads at 2 cores: 2.4x the sequential 1-core rate
            for b in doc["benchmarks"]:
                if n == 2 and b["name"].startswith("parallel_map/raw_threads/kind:heavy") and "items_per_second" in b:
                    b["items_per_second"] *= 2.4 / 1.9

        md = self._edit(faster)
        heavy = _section(md, "parallel_map — kind:heavy elements:100000")
        self.assertIn(
            "| raw_threads | 2 | 2.400 M | 2.40x | 120.0% superlinear¹ | 2.40x | 120.0% superlinear¹ | "
            "n/a: S > p (superlinear) |",
            heavy,
        )
        self.assertIn("¹ Efficiency above 100% (**superlinear**)", md)
        self.assertNotIn("¹ Efficiency above 100%", _alpha_md())  # no footnote without a mark

    def test_strategy_that_ignores_workers_leaves_the_workers_tables(self):
        import json

        def meta(n, doc):
            doc["context"]["harness_strategies"] = json.dumps({"spawn_join/thread_pool": {"ignores": ["workers"]}})

        md = self._edit(meta)
        wait = _section(md, "spawn_join — kind:wait tasks:64")
        self.assertNotIn("### Oversubscription", wait)
        self.assertIn(
            "No oversubscription table: the only strategies with other worker counts (thread_pool) " "ignore `workers`",
            wait,
        )
        contrast = _section(md, "spawn_join: wait versus cpu (concurrency is not parallelism)")
        self.assertNotIn("| thread_pool |", contrast)
        self.assertIn("Left out (strategy metadata: they ignore `workers`): thread_pool.", contrast)


class ExplainedOverheadTest(TempDirTest):
    """A strategy whose metadata names the cause of its 1-worker overhead is
    reported as expected, with the reason, not as an unexplained flag."""

    def test_overhead_reason_moves_the_flag_to_expected(self):
        import glob
        import json
        import os

        run = self.copy_fixture("run_pair_a")
        for path in glob.glob(os.path.join(run, "cores-*.json")):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            strategies = json.loads(doc["context"]["harness_strategies"])
            strategies["parallel_map/coroutines"]["overhead_reason"] = "a test reason"
            doc["context"]["harness_strategies"] = json.dumps(strategies)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
        out = os.path.join(self.tmp, "out")
        rc, _, err = call(report_cli.main, [run, "--out", out, "--no-charts"])
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            md = f.read()
        add2 = _section(md, "parallel_map — kind:add2 elements:1000000")
        self.assertIn(
            "| coroutines | 103.4 M | 0.65x | [0.64x, 0.66x] | 35.1% | over 15%, expected: a test reason |", add2
        )
        top = _section(md, "Summary: which strategy wins")
        self.assertNotIn("Unexplained 1-worker overhead", top)
        self.assertIn("that the strategy's machinery explains", top)
