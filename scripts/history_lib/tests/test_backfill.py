"""backfill's commit selection (first-parent line, oldest first) and its bad
input; the builds themselves are exercised by the real check in docs/history.md."""
import os
import shutil
import subprocess
import tempfile
import unittest

from .fake_runs import call
from history_lib import backfill


def _git(repo, *args):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


class CommitsTest(unittest.TestCase):
    def setUp(self):
        self.repo = tempfile.mkdtemp(prefix="history-git-")
        self.addCleanup(shutil.rmtree, self.repo, True)
        _git(self.repo, "init", "-q", "-b", "main")
        for i in range(3):
            _git(self.repo, "commit", "-q", "--allow-empty", "-m", f"main {i}")
        _git(self.repo, "switch", "-q", "-c", "side", "HEAD~1")
        _git(self.repo, "commit", "-q", "--allow-empty", "-m", "side 0")
        _git(self.repo, "switch", "-q", "main")
        _git(self.repo, "merge", "-q", "--no-ff", "-m", "merge side", "side")

    def test_first_parent_line_oldest_first(self):
        got = backfill.commits(self.repo, "HEAD~3..HEAD")
        subjects = [_git(self.repo, "log", "-1", "--format=%s", sha) for sha in got]
        self.assertEqual(subjects, ["main 1", "main 2", "merge side"])
        self.assertEqual(backfill.commits(self.repo, "HEAD~1"), [_git(self.repo, "rev-parse", "HEAD~1")])

    def test_unknown_range_is_bad_input(self):
        db = os.path.join(self.repo, "h.sqlite")
        rc, _, err = call(["backfill", "--db", db, "--repo", self.repo, "nosuch..HEAD", "--filter", "x"])
        self.assertEqual(rc, 2)
        self.assertIn("'nosuch..HEAD' is not a revision or range", err)
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertFalse(os.path.exists(db))
        rc, _, err = call(["backfill", "--db", db, "--repo", self.repo, "HEAD", "--passes", "0"])
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main()
