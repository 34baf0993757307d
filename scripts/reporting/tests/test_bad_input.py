"""Malformed input: every case exits 2 with one line on stderr naming the
problem and the file, and nothing is written."""
import json
import os
import shutil

from .helpers import TempDirTest, call, fixture, run_script
from reporting import compare, report_cli


def _edit_json(path, change):
    with open(path) as f:
        doc = json.load(f)
    change(doc)
    with open(path, "w") as f:
        json.dump(doc, f)


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _first_iteration(doc):
    return next(b for b in doc["benchmarks"] if b["run_type"] == "iteration")


def _truncate(path):
    with open(path) as f:
        text = f.read()
    _write(path, text[: len(text) // 2])


def _unlink(run: str, names: list[str]) -> None:
    for name in names:
        os.unlink(os.path.join(run, name))


def _replace_with_file(run: str) -> None:
    shutil.rmtree(run)
    _write(run, "x")


# name -> (how to break a copy of run_beta, the file the message must name)
CASES = {
    "missing folder": (lambda run: shutil.rmtree(run), "run: no such folder"),
    "empty folder": (lambda run: _unlink(run, os.listdir(run)), "run: empty folder"),
    "no cores files": (lambda run: _unlink(run, ["cores-1.json", "cores-2.json"]), "no cores-<n>.json"),
    "truncated cores file": (lambda run: _truncate(os.path.join(run, "cores-2.json")), "cores-2.json"),
    "empty cores file": (lambda run: _write(os.path.join(run, "cores-1.json"), ""), "cores-1.json"),
    "not JSON": (lambda run: _write(os.path.join(run, "cores-1.json"), "hello, world\n"), "cores-1.json"),
    "JSON list": (lambda run: _write(os.path.join(run, "cores-1.json"), "[1, 2, 3]"), "cores-1.json"),
    "benchmarks not a list": (
        lambda run: _edit_json(os.path.join(run, "cores-1.json"), lambda d: d.update(benchmarks={"a": 1})),
        "cores-1.json",
    ),
    "no context": (
        lambda run: _edit_json(os.path.join(run, "cores-1.json"), lambda d: d.pop("context")),
        "cores-1.json",
    ),
    "entry not an object": (
        lambda run: _edit_json(os.path.join(run, "cores-1.json"), lambda d: d["benchmarks"].append("x")),
        "cores-1.json",
    ),
    "missing real_time": (
        lambda run: _edit_json(os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).pop("real_time")),
        "cores-1.json",
    ),
    "real_time a string": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).update(real_time="fast")
        ),
        "cores-1.json",
    ),
    "unknown time unit": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).update(time_unit="fortnights")
        ),
        "cores-1.json",
    ),
    "bad benchmark name": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).update(name="BM_Something/8")
        ),
        "cores-1.json",
    ),
    "harness_cores disagrees": (
        lambda run: _edit_json(os.path.join(run, "cores-2.json"), lambda d: d["context"].update(harness_cores="4")),
        "cores-2.json",
    ),
    "truncated manifest": (lambda run: _truncate(os.path.join(run, "manifest.json")), "manifest.json"),
    "manifest lists a missing file": (
        lambda run: _edit_json(os.path.join(run, "manifest.json"), lambda d: d["files"].update({"4": "cores-4.json"})),
        "manifest.json",
    ),
    "bad races.json": (
        lambda run: _write(
            os.path.join(run, "races.json"), '{"strategies": {"shared_counter/mutex": {"verdict": "maybe"}}}'
        ),
        "races.json",
    ),
    "a file, not a folder": (_replace_with_file, "run: not a folder"),
    "bad round": (
        lambda run: _edit_json(os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).update(round="first")),
        "cores-1.json",
    ),
    "probe not an object": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"), lambda d: _first_iteration(d).update(probe_before=80)
        ),
        "cores-1.json",
    ),
    "probe round trip a string": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"),
            lambda d: _first_iteration(d).update(probe_after={"roundtrip_ns": "fast"}),
        ),
        "cores-1.json",
    ),
    "steal_ms a string": (
        lambda run: _edit_json(
            os.path.join(run, "cores-2.json"), lambda d: _first_iteration(d).update(steal_ms="lots")
        ),
        "cores-2.json",
    ),
    "strategy metadata not JSON": (
        lambda run: _edit_json(
            os.path.join(run, "cores-1.json"), lambda d: d["context"].update(harness_strategies="{not json")
        ),
        "cores-1.json",
    ),
    "strategy metadata bad role": (
        lambda run: _edit_json(
            os.path.join(run, "cores-2.json"),
            lambda d: d["context"].update(harness_strategies='{"shared_counter/mutex": {"role": "fast"}}'),
        ),
        "cores-2.json",
    ),
    "manifest paired role": (
        lambda run: _edit_json(
            os.path.join(run, "manifest.json"), lambda d: d.update(paired={"role": "C", "rounds": 3, "seed": 1})
        ),
        "manifest.json",
    ),
    "manifest interleaving not an object": (
        lambda run: _edit_json(os.path.join(run, "manifest.json"), lambda d: d.update(interleaving=[1, 2])),
        "manifest.json",
    ),
    "manifest interleaving seed a string": (
        lambda run: _edit_json(
            os.path.join(run, "manifest.json"), lambda d: d.update(interleaving={"seed": "x", "rounds": 5})
        ),
        "manifest.json",
    ),
    "truncated detectors.json": (
        lambda run: _write(os.path.join(run, "detectors.json"), '{"controls": [{"na'),
        "detectors.json",
    ),
    "bad detectors.json": (
        lambda run: _write(os.path.join(run, "detectors.json"), '{"controls": [{"name": "x", "caught": "yes"}]}'),
        "detectors.json",
    ),
    "truncated explore.json": (lambda run: _write(os.path.join(run, "explore.json"), '{"controls": '), "explore.json"),
}


class BadInputTest(TempDirTest):
    def _broken(self, name):
        run = self.copy_fixture("run_beta", "run")
        breaker, names = CASES[name]
        breaker(run)
        return run, names

    def _snapshot(self):
        return sorted(os.path.join(d, f) for d, _, files in os.walk(self.tmp) for f in files)

    def _check(self, rc, out, err, must_name, before):
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn(must_name, err)
        self.assertEqual(self._snapshot(), before, "nothing may be written")

    def test_report_rejects_each_bad_input(self):
        for name in CASES:
            with self.subTest(case=name):
                run, must_name = self._broken(name)
                before = self._snapshot()
                rc, out, err = call(report_cli.main, [run])  # default output: the run folder itself
                self._check(rc, out, err, must_name, before)
                rc, out, err = call(report_cli.main, [fixture("run_alpha"), run, "--out", self.tmp + "/out"])
                self._check(rc, out, err, must_name, before)
                self.assertFalse(os.path.exists(self.tmp + "/out"))
                shutil.rmtree(run, True) if os.path.isdir(run) else (os.path.exists(run) and os.unlink(run))

    def test_compare_rejects_each_bad_input(self):
        for name in CASES:
            with self.subTest(case=name):
                run, must_name = self._broken(name)
                before = self._snapshot()
                self._check(*call(compare.main, [fixture("run_beta"), run]), must_name, before)
                self._check(*call(compare.main, [run, fixture("run_beta")]), must_name, before)
                shutil.rmtree(run, True) if os.path.isdir(run) else (os.path.exists(run) and os.unlink(run))

    def test_bad_threshold_and_bad_out(self):
        before = self._snapshot()
        for threshold in ("abc", "-5%", "", "5%%"):
            with self.subTest(threshold=threshold):
                self._check(
                    *call(compare.main, [fixture("run_beta"), fixture("run_beta"), "--threshold", threshold]),
                    "--threshold",
                    before,
                )
        for band in ("wide", "-3%"):
            with self.subTest(band=band):
                self._check(
                    *call(report_cli.main, [fixture("run_beta"), "--out", self.tmp + "/o", "--tie-band", band]),
                    "--tie-band",
                    before,
                )
        _write(self.tmp + "/afile", "x")
        before = self._snapshot()
        self._check(*call(report_cli.main, [fixture("run_beta"), "--out", self.tmp + "/afile"]), "afile", before)

    def test_through_the_scripts(self):
        run, _ = self._broken("truncated cores file")
        before = self._snapshot()
        for script, args in (("report", [run, "--out", self.tmp + "/out"]), ("compare", [fixture("run_beta"), run])):
            p = run_script(script, *args)
            self._check(p.returncode, p.stdout, p.stderr, "cores-2.json", before)
            self.assertTrue(p.stderr.startswith(f"{script}: "), p.stderr)
