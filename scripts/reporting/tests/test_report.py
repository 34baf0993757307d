"""scripts/report on the hand-made fixtures: exact numbers, trust marks,
errors, fits, merging hosts, CSV, atomic output."""
import csv
import json
import os
import shutil
import tempfile
import unittest

from .helpers import TempDirTest, call, fixture, run_script
from reporting import report_cli


def _render(*runs):
    """Render into a fresh temp folder: (folder, report.md text, index.html text)."""
    out = tempfile.mkdtemp(prefix="reporting-out-")
    rc, stdout, stderr = call(report_cli.main, [*map(fixture, runs), "--out", out])
    if rc != 0:
        raise AssertionError(f"report failed: {stderr}")
    with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
        md = f.read()
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        page = f.read()
    return out, md, page


def _section(md: str, heading: str) -> str:
    """The text of one '## heading' section of report.md."""
    start = md.index(f"## {heading}\n")
    end = md.find("\n## ", start + 1)
    return md[start : end if end >= 0 else len(md)]


class AlphaReportTest(unittest.TestCase):
    """run_alpha: one host, cores 1 and 2, five repetitions."""

    @classmethod
    def setUpClass(cls):
        cls.out, cls.md, cls.html = _render("run_alpha")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def test_writes_three_files_and_no_temp_files(self):
        self.assertEqual(sorted(os.listdir(self.out)), ["index.html", "report.md", "results.csv"])

    def test_run_context_at_the_top(self):
        context = _section(self.md, "Run context")
        for text in (
            "Intel(R) Xeon(R) Platinum 8375C",
            "| Allowed CPUs | 0-1 |",
            "Linux 6.1.0-27-cloud-amd64",
            "clang 19.1.7",
            "release / Release",
            "-O2 -DNDEBUG",
            "3f2a9c1e7b",
            "| Repetitions | 5 |",
        ):
            self.assertIn(text, context)
        self.assertLess(self.md.index("## Run context"), self.md.index("## shared_counter"))

    def test_throughput_medians_with_spread(self):
        sc = _section(self.md, "shared_counter — increments:1000000")
        self.assertIn("| atomics | 50.00 M ±2.0% | 40.00 M ±1.0% | ✓ checked | ✓ clean |", sc)
        self.assertIn("| mutex | 10.00 M ±2.0% | 6.000 M ±2.5% | ✓ checked | ✓ clean |", sc)

    def test_speedup_efficiency_and_karp_flatt(self):
        sc = _section(self.md, "shared_counter — increments:1000000")
        # No strategy metadata and no `sequential`: no baseline, self speedup only; Karp-Flatt is not
        # defined for a kind that is not computation.
        self.assertIn("No baseline speedup: no baseline strategy named for this scenario.", sc)
        self.assertIn("| mutex | 2 | 6.000 M | 0.60x | 30.0% | n/a: not a compute kind |", sc)
        heavy = _section(self.md, "parallel_map — kind:heavy elements:100000")
        self.assertIn("Baseline: **sequential** at 1 core, 1.000 M items/s (fallback: sequential)", heavy)
        self.assertIn("| raw_threads | 2 | 1.900 M | 1.90x | 95.0% | 1.90x | 95.0% | 0.053 |", heavy)
        # add2 raw_threads at 2 cores: S = 252/190 = 1.33 <= 2, e = (1/1.326 - 1/2) / (1/2).
        add2 = _section(self.md, "parallel_map — kind:add2 elements:1000000")
        self.assertIn("| raw_threads | 2 | 252.0 M | 1.26x | 63.0% | 1.33x | 66.3% | 0.508 |", add2)
        # sequential at 2 cores: S = 1.0 (allowed), e = 1: all serial.
        self.assertIn("| sequential | 2 | 200.0 M | 1.00x | 50.0% | 1.00x | 50.0% | 1.000 |", add2)

    def test_no_fit_with_two_core_counts(self):
        sc = _section(self.md, "shared_counter — increments:1000000")
        self.assertIn("No fit shown: only 2 core counts measured (1, 2)", sc)
        self.assertNotIn("Amdahl serial f", self.md)

    def test_ranking_with_intervals(self):
        sc = _section(self.md, "shared_counter — increments:1000000")
        self.assertIn("| 1 | atomics | 50.00 M | [49.00 M, 51.00 M] | — | winner |", sc)
        self.assertIn("| 1 | mutex | 10.00 M | [9.800 M, 10.20 M] | 5.00x [4.85x, 5.15x] | slower (80.0% behind) |", sc)
        heavy = _section(self.md, "parallel_map — kind:heavy elements:100000")
        self.assertIn("| 1 | raw_threads | 1.000 M | [990.0 k, 1.010 M] | — | top, tied |", heavy)
        self.assertIn("| tied with the top |", heavy)

    def test_summary_first_with_winner_tie_and_marks(self):
        self.assertTrue(self.md.startswith("# Concurrency harness report: alpha\n\n## Summary: which strategy wins\n"))
        top = _section(self.md, "Summary: which strategy wins")
        self.assertIn(
            "| shared_counter increments:1000000 | **atomics** +400.0% [+385.3%, +415.2%] over mutex | "
            "**atomics** +566.7% [+545.2%, +578.1%] over mutex | ✓ checked | ✓ 2 clean | "
            "✓ 1/1 controls caught |",
            top,
        )
        self.assertIn(
            "| parallel_map kind:heavy elements:100000 | tie: raw_threads, sequential (raw_threads +0.0% "
            "[-1.0%, +1.0%] over sequential) |",
            top,
        )
        self.assertIn("only **mutex_queue**; **ERROR**: channels | ✗ 1 failing | ✗ flagged: channels |", top)
        self.assertIn(
            "| spawn_join kind:wait tasks:64 | only **thread_pool** | only **thread_pool** | ✓ checked | "
            "1 skipped | no controls ran |",
            top,
        )
        self.assertIn("tie band", top)
        self.assertLess(self.html.index("Summary: which strategy wins"), self.html.index("<nav>"))
        self.assertIn('class="heat"', self.html)

    def test_bimodal_flag_fires_on_bimodal_and_not_on_tight(self):
        add2 = _section(self.md, "parallel_map — kind:add2 elements:1000000")
        self.assertIn("| raw_threads | 190.0 M ±0.5% | 252.0 M ±26.2% ⚠ bimodal, CV 23.5% |", add2)
        self.assertIn("| sequential | 200.0 M ±1.0% | 200.0 M ±0.5% |", add2)
        self.assertIn("1 of 31 results flagged noisy (1 bimodal)", self.md)
        self.assertIn("[!WARNING]\n> **1 bimodal result.**", self.md)
        self.assertIn("near and a far state", self.md)  # says why, in the notes too
        sc = _section(self.md, "shared_counter — increments:1000000")
        self.assertNotIn("⚠", sc)

    def test_errors_are_loud_and_never_numbers(self):
        errors = _section(self.md, "Errors")
        self.assertIn("[!CAUTION]", errors)
        self.assertIn("consumer saw 99999 of 100000 messages", errors)
        self.assertIn("**FAILED** (manifest of alpha)", errors)
        mp = _section(self.md, "message_passing — payload:u64 messages:100000")
        self.assertIn("| channels | 5.000 M ±2.0% | **ERROR** | ✗ ERROR | ✗ flagged |", mp)
        self.assertIn("| 2 | channels | **ERROR** |", mp)
        self.assertIn('class="error"', self.html)

    def test_checked_and_tsan_marks(self):
        self.assertIn(
            "| std_async | 50.00 k ±1.0% | 60.00 k ±0.8% | ✗ partly checked (99 of 100 runs) | not run |", self.md
        )
        self.assertIn("skipped (oneTBB is not instrumented for ThreadSanitizer)", self.md)
        self.assertIn("| mutex_queue | 4.000 M ±2.5% | 3.000 M ±3.3% | ✓ checked | not run |", self.md)

    def test_oversubscription_and_wait_vs_cpu(self):
        wait = _section(self.md, "spawn_join — kind:wait tasks:64")
        self.assertIn("### Oversubscription (workers > cores)", wait)
        self.assertIn("| thread_pool | 1 | 8 | 7.800 k ±0.1% | 7.80x |", wait)
        contrast = _section(self.md, "spawn_join: wait versus cpu (concurrency is not parallelism)")
        self.assertIn("| kind:wait tasks:64 | thread_pool | 7.80x (at 8 workers) | 1.98x (at 2 cores) |", contrast)
        self.assertIn("| kind:cpu tasks:64 | thread_pool | 0.98x (at 8 workers) | 1.95x (at 2 cores) |", contrast)

    def test_units_that_matter(self):
        self.assertIn("| raw_threads | 2 | 2 | 252.0 M | 4.032 |", self.md)  # GB/s from bytes_per_second
        self.assertIn("| thread_per_actor | 1 | 1 | 80.00 k | 12.50 | 40.25 |", self.md)  # latency p50/p99 us
        self.assertIn("| std_async | 1 | 1 | 50.00 k | 8192 |", self.md)  # bytes per task
        self.assertIn("latency p99 (us)", self.md)

    def test_groups_by_non_worker_params(self):
        self.assertIn("## parallel_map — kind:add2 elements:1000000", self.md)
        self.assertIn("## parallel_map — kind:heavy elements:100000", self.md)

    def test_html_has_inline_svg_charts(self):
        self.assertGreaterEqual(self.html.count("<svg"), 8)
        self.assertIn("concurrency is not parallelism", self.html)

    def test_csv_one_row_per_case_and_repetition(self):
        with open(os.path.join(self.out, "results.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        expected = 0
        for n in (1, 2):
            with open(os.path.join(fixture("run_alpha"), f"cores-{n}.json")) as f:
                expected += sum(1 for b in json.load(f)["benchmarks"] if b["run_type"] == "iteration")
        self.assertEqual(len(rows), expected)
        self.assertEqual(len(rows), 32 * 5)
        failed = [r for r in rows if r["error"]]
        self.assertEqual(len(failed), 5)
        self.assertEqual(failed[0]["items_per_second"], "")
        row = next(r for r in rows if r["strategy"] == "mutex" and r["cores"] == "2" and r["repetition"] == "4")
        self.assertEqual(float(row["items_per_second"]), 6.2e6)


class FitReportTest(unittest.TestCase):
    """run_fit: four core counts with exact Amdahl and USL data."""

    def test_fit_parameters_in_report(self):
        out, md, _ = _render("run_fit")
        self.addCleanup(shutil.rmtree, out, True)
        self.assertIn("| thread_pool | 0.1000 | 1.000 | 0.1000 | 0.00000 | none | 1.000 |", md)
        self.assertIn("| work_stealing |", md)
        self.assertIn("| 0.0500 | 0.02000 | 6.9 | 1.000 |", md)  # USL sigma, kappa, peak, R²
        self.assertNotIn("No fit shown", md)


class MergeTest(TempDirTest):
    def test_two_hosts_merge_labelled(self):
        out = os.path.join(self.tmp, "merged")
        rc, stdout, stderr = call(report_cli.main, [fixture("run_alpha"), fixture("run_beta"), "--out", out])
        self.assertEqual(rc, 0, stderr)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("# Concurrency harness report: alpha, beta", md)
        self.assertIn("|  | alpha | beta |", md)
        sc = _section(md, "shared_counter — increments:1000000")
        self.assertIn("### alpha", sc)
        self.assertIn("### beta", sc)
        beta = sc[sc.index("### beta") :]
        self.assertIn("| atomics | 70.00 M ±1.0% | 60.00 M ±1.0% | ✓ checked | not run |", beta)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            self.assertIn("mutex @ beta", f.read())  # chart legend labels the host
        with open(os.path.join(out, "results.csv"), newline="") as f:
            hosts = [r["host"] for r in csv.DictReader(f)]
        self.assertEqual(hosts.count("alpha"), 160)
        self.assertEqual(hosts.count("beta"), 12)

    def test_same_host_twice_gets_distinct_labels(self):
        out = os.path.join(self.tmp, "merged")
        rc, _, stderr = call(
            report_cli.main, [fixture("run_alpha"), fixture("run_alpha_rerun"), "--out", out, "--no-charts"]
        )
        self.assertEqual(rc, 0, stderr)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("alpha (20261123-101500-alpha) #1", md)
        self.assertIn("alpha (20261123-101500-alpha) #2", md)


class CommandTest(TempDirTest):
    def test_script_writes_into_the_run_folder_by_default(self):
        run = self.copy_fixture("run_beta")
        before = set(os.listdir(run))
        p = run_script("report", run)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(set(os.listdir(run)) - before, {"index.html", "report.md", "results.csv"})

    def test_overwrites_previous_report(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        with open(os.path.join(out, "report.md"), "w") as f:
            f.write("old")
        rc, _, _ = call(report_cli.main, [fixture("run_beta"), "--out", out, "--no-charts"])
        self.assertEqual(rc, 0)
        with open(os.path.join(out, "report.md")) as f:
            self.assertTrue(f.read().startswith("# Concurrency harness report"))
        self.assertEqual(sorted(os.listdir(out)), ["index.html", "report.md", "results.csv"])

    def test_help(self):
        for script in ("report", "compare"):
            p = run_script(script, "--help")
            self.assertEqual(p.returncode, 0)
            self.assertIn("usage:", p.stdout)
