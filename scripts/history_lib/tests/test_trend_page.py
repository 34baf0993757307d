"""The trend page: self-contained, the charts and change labels in it, the
filter script works, and it renders in headless Chromium with the charts
visible in the screenshot; summary.md lists the recent change."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from . import fake_runs
from .fake_runs import call, commit_sha

CHROMIUM = "/usr/bin/chromium"
MUTEX = "shared_counter/mutex/increments:1000/workers:1"
SPIN = "shared_counter/spinlock/increments:1000/workers:1"
TBB = "parallel_map/tbb/kind:add2/elements:1000/workers:1"


def _chromium(args, tmp, timeout=90):
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={os.path.join(tmp, 'profile')}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


class TrendPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="history-page-")
        db = os.path.join(cls.tmp, "h.sqlite")
        rng = np.random.default_rng(3)
        runs = fake_runs.series_runs(
            os.path.join(cls.tmp, "runs"),
            16,
            lambda i: {MUTEX: 1e6 * (0.9 if i >= 10 else 1.0), SPIN: 3e6, TBB: 5e7 * (1.15 if i >= 5 else 1.0)},
            rng,
        )
        # One run of commit 12 did not check every answer of spinlock: marked with a red x.
        import json

        path = os.path.join(runs[12], "cores-1.json")
        with open(path) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            if "/spinlock/" in b["name"]:
                b["checked_runs"] = 5.0
        with open(path, "w") as f:
            json.dump(data, f)
        rc, _, err = call(["add", "--db", db, *runs])
        assert rc == 0, err
        cls.out = os.path.join(cls.tmp, "out")
        rc, out, err = call(["report", "--db", db, "--out", cls.out])
        assert rc == 0, err
        with open(os.path.join(cls.out, "index.html"), encoding="utf-8") as f:
            cls.page = f.read()
        with open(os.path.join(cls.out, "summary.md"), encoding="utf-8") as f:
            cls.summary = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def test_self_contained_with_one_chart_per_group(self):
        lower = self.page.lower()
        for needle in ("http:", "https:", "src=", "<link", "@import", "file:"):
            self.assertNotIn(needle, lower)
        self.assertEqual([h for h in re.findall(r'href="([^"]*)"', self.page) if not h.startswith("#")], [])
        self.assertEqual(
            self.page.count("<svg"), 2
        )  # parallel_map kind:add2/elements:1000, shared_counter increments:1000
        # Change points labelled with the first commit at the new level.
        self.assertIn(f"{commit_sha(10)[:7]} mutex c1 -", self.page)
        self.assertIn(f"{commit_sha(5)[:7]} tbb c1 +", self.page)
        ids = re.findall(r'<g id="(s--[^"]*)"', self.page)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertTrue(any(i.startswith("s--spinlock--c1--") for i in ids))
        # The unchecked run: exactly one red x marker, in spinlock's group of artists.
        blocks = re.findall(r'<g id="(s--[^"]*)">(.*?)</g>', self.page, flags=re.S)
        red = [i for i, body in blocks if "#c0392b" in body]
        self.assertEqual(len([i for i in red if i.startswith("s--spinlock--")]), 1, red)

    def test_summary_lists_the_recent_slowdown(self):
        self.assertIn("**1 series whose newest change is a slowdown past 5%.**", self.summary)
        self.assertIn(f"`{commit_sha(9)[:10]}..{commit_sha(10)[:10]}`", self.summary)
        self.assertIn("slower", self.summary)

    def _need_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            message = f"SKIPPED: {CHROMIUM} not installed (apt-get install chromium); trend page render not checked"
            print(f"\n{message}", file=sys.stderr)
            self.skipTest(message)

    def test_filter_hides_a_strategy(self):
        self._need_chromium()
        url = "file://" + os.path.join(self.out, "index.html") + "#hide=strategy:mutex"
        proc = _chromium(["--dump-dom", url], self.tmp)
        dom = proc.stdout
        self.assertIn("<svg", dom, proc.stderr[-2000:])
        hidden = re.findall(r'<g id="(s--[^"]*)"[^>]*style="display: none;"', dom)
        self.assertTrue(hidden)
        self.assertTrue(all(h.startswith("s--mutex--") for h in hidden), hidden)
        self.assertEqual(len(hidden), len(re.findall(r'<g id="s--mutex--', dom)))

    def test_renders_in_headless_chromium_with_the_charts(self):
        self._need_chromium()
        png = os.path.join(self.tmp, "shot.png")
        proc = _chromium(
            [f"--screenshot={png}", "--window-size=1280,2000", "file://" + os.path.join(self.out, "index.html")],
            self.tmp,
        )
        self.assertTrue(os.path.exists(png), f"no screenshot; chromium said: {proc.stderr[-2000:]}")
        import matplotlib.image

        pixels = matplotlib.image.imread(png)[:, :, :3]
        self.assertEqual(pixels.shape[:2], (2000, 1280))
        # The charts are in the picture: pixels in the line colours of matplotlib's first two
        # series (C0 blue #1f77b4, C1 orange #ff7f0e) and of the slowdown marker (#c0392b).
        for name, rgb in (
            ("blue line", (0x1F, 0x77, 0xB4)),
            ("orange line", (0xFF, 0x7F, 0x0E)),
            ("slowdown marker", (0xC0, 0x39, 0x2B)),
        ):
            close = np.all(np.abs(pixels * 255 - np.array(rgb)) < 24, axis=2)
            self.assertGreater(int(close.sum()), 40, f"no {name} in the screenshot")
        # A framed plot area: long runs of dark axis pixels in some rows.
        dark_rows = (pixels.mean(axis=2) < 0.2).sum(axis=1)
        self.assertGreaterEqual(int((dark_rows > 400).sum()), 4, "no chart frames in the screenshot")


if __name__ == "__main__":
    unittest.main()
