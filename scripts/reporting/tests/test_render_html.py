"""index.html is one self-contained page: no external resources, and it
renders in headless Chromium to a non-trivial picture."""
import os
import re
import shutil
import subprocess
import sys

from .helpers import TempDirTest, call, fixture
from reporting import report_cli

CHROMIUM = "/usr/bin/chromium"


class SelfContainedTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        import tempfile

        cls.out = tempfile.mkdtemp(prefix="reporting-html-")
        rc, _, err = call(report_cli.main, [fixture("run_alpha"), fixture("run_beta"), "--out", cls.out])
        assert rc == 0, err
        cls.page_path = os.path.join(cls.out, "index.html")
        with open(cls.page_path, encoding="utf-8") as f:
            cls.page = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def test_references_no_external_resources(self):
        lower = self.page.lower()
        for needle in ("http:", "https:", "src=", "<link", "<script", "@import", "file:"):
            self.assertNotIn(needle, lower)
        # url(...) only for the SVGs' own clip paths and markers (#id).
        self.assertEqual([u for u in re.findall(r"url\(([^)]*)\)", self.page) if not u.startswith("#")], [])
        self.assertEqual([h for h in re.findall(r'href="([^"]*)"', self.page) if not h.startswith("#")], [])
        self.assertGreaterEqual(self.page.count("<svg"), 8)

    def test_renders_in_headless_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            message = f"SKIPPED: {CHROMIUM} not installed (apt-get install chromium); index.html render not checked"
            print(f"\n{message}", file=sys.stderr)
            self.skipTest(message)
        profile = os.path.join(self.tmp, "profile")
        png = os.path.join(self.tmp, "shot.png")
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
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1280,2000",
            "file://" + os.path.abspath(self.page_path),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
        self.assertTrue(os.path.exists(png), f"no screenshot; chromium said: {proc.stderr[-2000:]}")
        self.assertGreater(os.path.getsize(png), 30_000)
        import matplotlib.image

        pixels = matplotlib.image.imread(png)
        self.assertEqual(pixels.shape[:2], (2000, 1280))
        colours = {tuple(p) for p in pixels[::8, ::8, :3].reshape(-1, 3).round(2).tolist()}
        self.assertGreater(len(colours), 20, "the page rendered as (nearly) one colour")
