"""Merging shards and hosts (merge.py): the shards of one sweep make the same
report rows as the unsharded run; a shard given twice, or runs of different
commits or parameters, are refused (exit 2, one line) unless --allow-mixed;
each core count is labelled with its placement."""
import csv
import json
import os

from .helpers import TempDirTest, call, fixture
from reporting import report_cli

PARAMETERS = {
    "filter": "",
    "set": "",
    "quick": False,
    "repetitions": 5,
    "min_time": 0,
    "case_timeout": 60,
    "cores": "1,2",
    "oversubscribe": "",
    "placement": "cores",
    "paired": False,
}


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _dump(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


def _rows(folder):
    """results.csv rows without the host and run id columns."""
    with open(os.path.join(folder, "results.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted(tuple(v for k, v in r.items() if k not in ("host", "run_id")) for r in rows)


class MergeTest(TempDirTest):
    def _shards(self, count=2):
        """run_alpha split into `count` shards (cases dealt round-robin)."""
        source = fixture("run_alpha")
        manifest = _load(os.path.join(source, "manifest.json"))
        manifest["parameters"] = PARAMETERS
        names = []
        for n in (1, 2):
            for b in _load(os.path.join(source, f"cores-{n}.json"))["benchmarks"]:
                key = (n, b.get("run_name", b["name"]))
                if key not in names:
                    names.append(key)
        owner = {key: i % count for i, key in enumerate(names)}
        folders = []
        for shard in range(count):
            folder = os.path.join(self.tmp, f"shard{shard + 1}")
            os.makedirs(folder)
            for n in (1, 2):
                doc = _load(os.path.join(source, f"cores-{n}.json"))
                doc["benchmarks"] = [b for b in doc["benchmarks"] if owner[(n, b.get("run_name", b["name"]))] == shard]
                _dump(os.path.join(folder, f"cores-{n}.json"), doc)
            m = dict(
                manifest,
                shard={"index": shard + 1, "count": count, "planned_cases": len(names)},
                cases=sum(1 for k in names if owner[k] == shard),
                failed=[
                    f
                    for f in manifest["failed"]
                    if owner.get((int(f[1 : f.index(":")]), f[f.index(":") + 1 :])) == shard
                ],
            )
            _dump(os.path.join(folder, "manifest.json"), m)
            folders.append(folder)
        return folders

    def _report(self, *runs, extra=()):
        out = os.path.join(self.tmp, f"out{len(os.listdir(self.tmp))}")
        rc, _, err = call(report_cli.main, [*runs, "--out", out, "--no-charts", *extra])
        return rc, err, out

    def test_shards_merge_into_the_unsharded_run(self):
        rc, err, whole = self._report(fixture("run_alpha"))
        self.assertEqual(rc, 0, err)
        rc, err, merged = self._report(*self._shards(3))
        self.assertEqual(rc, 0, err)
        self.assertEqual(_rows(merged), _rows(whole))
        with open(os.path.join(merged, "results.csv"), encoding="utf-8") as f:
            self.assertEqual({r["host"] for r in csv.DictReader(f)}, {"alpha"})
        with open(os.path.join(merged, "report.md"), encoding="utf-8") as f:
            self.assertIn("merged shards 1/3, 2/3, 3/3 of one sweep", f.read())

    def test_a_missing_shard_is_stated(self):
        first, _ = self._shards(2)
        rc, err, out = self._report(first)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            self.assertIn("missing shard 2/2", f.read())

    def test_a_shard_given_twice_is_refused(self):
        first, second = self._shards(2)
        rc, err, _ = self._report(first, second, first)
        self.assertEqual(rc, 2)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("shard 1/2 given twice", err)

    def test_different_parameters_are_refused_unless_mixed(self):
        first, second = self._shards(2)
        for folder in (first, second):  # two whole runs, not shards
            m = _load(os.path.join(folder, "manifest.json"))
            del m["shard"]
            if folder == second:
                m["parameters"] = dict(PARAMETERS, quick=True)
            _dump(os.path.join(folder, "manifest.json"), m)
        rc, err, _ = self._report(first, second)
        self.assertEqual(rc, 2)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("different parameters (quick=False in", err)
        rc, err, _ = self._report(first, second, extra=["--allow-mixed"])
        self.assertEqual(rc, 0, err)

    def test_different_commits_are_refused_unless_mixed(self):
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        for name in os.listdir(fixture("run_beta")):
            doc = _load(os.path.join(fixture("run_beta"), name))
            if name.startswith("cores-"):
                doc["context"]["git_commit"] = "feedbeef"
            _dump(os.path.join(other, name), doc)
        rc, err, _ = self._report(fixture("run_alpha"), other)
        self.assertEqual(rc, 2)
        self.assertIn("different commits (3f2a9c1e7b in", err)
        self.assertEqual(err.count("\n"), 1, err)
        rc, err, _ = self._report(fixture("run_alpha"), other, extra=["--allow-mixed"])
        self.assertEqual(rc, 0, err)

    def test_each_core_count_is_labelled_with_its_placement(self):
        run = self.copy_fixture("run_beta")
        for n, cpus, summary in ((1, "0", "1 CPU on 1 package"), (2, "0,16", "2 CPUs on 2 packages")):
            path = os.path.join(run, f"cores-{n}.json")
            doc = _load(path)
            doc["context"].update(harness_placement="spread", harness_cpus=cpus, harness_placement_summary=summary)
            _dump(path, doc)
        rc, err, out = self._report(run)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            self.assertIn(
                "| Placement | spread: 1: CPUs 0 (1 CPU on 1 package); 2: CPUs 0,16 " "(2 CPUs on 2 packages) |",
                f.read(),
            )
