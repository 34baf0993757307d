"""scripts/history backfill: build and sweep older commits, add the runs.

Every commit of the range (``git rev-list --reverse --first-parent``, so a
merge counts once, as on the main line) gets its own git worktree under the
work folder, a release configure and a build of the ``harness`` target only
(``build/release`` inside the worktree; ccache with ``CCACHE_BASEDIR`` set to
the worktree, so the objects of unchanged files are reused across commits
and from other checkouts). Then the sweeps run in ``--passes`` passes over
all built commits (each pass runs every commit once, in a seeded random
order, so a change of the machine's load spreads over all commits rather
than landing on a few or following commit order, like asv's interleaved
rounds), each added to the store.
"""
from __future__ import annotations

import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from reporting import load

from . import record, store

_PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _git(repo, *args, check=True):
    out = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)
    if check and out.returncode != 0:
        raise load.InputError(
            f"git {' '.join(args)}: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else 'failed'}"
        )
    return out.stdout.strip()


def commits(repo: str, rev_range: str) -> list:
    """The commits of a range, oldest first (one revision: just that commit)."""
    try:
        if ".." in rev_range:
            listed = _git(repo, "rev-list", "--reverse", "--first-parent", rev_range).split()
        else:
            listed = [_git(repo, "rev-parse", "--verify", "--quiet", rev_range + "^{commit}")]
    except load.InputError:
        raise load.InputError(f"'{rev_range}' is not a revision or range that git knows in {repo}") from None
    if not listed or not listed[0]:
        raise load.InputError(f"'{rev_range}' names no commits of {repo}")
    return listed


def build(repo: str, work: str, sha: str, log) -> str | None:
    """Worktree + release build of ``harness`` at ``sha``; the binary's path or None."""
    wt = os.path.join(work, "wt-" + sha[:10])
    if not os.path.exists(os.path.join(wt, ".git")):
        _git(repo, "worktree", "add", "--quiet", "--detach", "--force", wt, sha)
    # third_party/ (Abseil, Google Benchmark sources) is git-ignored: share the checkout's.
    tp = os.path.join(repo, "third_party")
    if os.path.isdir(tp) and not os.path.exists(os.path.join(wt, "third_party")):
        os.symlink(tp, os.path.join(wt, "third_party"))
    env = dict(os.environ, CCACHE_BASEDIR=wt, CCACHE_NOHASHDIR="1")
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")  # a shared machine: two compile jobs unless told
    log_path = os.path.join(work, f"build-{sha[:10]}.log")
    with open(log_path, "w") as f:
        for cmd in (
            ["cmake", "--preset", "release"],
            ["cmake", "--build", "--preset", "release", "--target", "harness"],
        ):
            if subprocess.run(cmd, cwd=wt, env=env, stdout=f, stderr=subprocess.STDOUT).returncode != 0:
                print(f"history: backfill: {sha[:10]} did not build (log: {log_path})", file=log)
                return None
    binary = os.path.join(wt, "build", "release", "bin", "harness")
    return binary if os.access(binary, os.X_OK) else None


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(args) -> int:
    repo = os.path.abspath(args.repo or _PROJECT)
    sweep_flags = list(args.sweep_flags)
    env_extra = {}
    for item in args.env:
        if "=" not in item:
            raise load.InputError(f"--env '{item}' is not NAME=VALUE")
        name, value = item.split("=", 1)
        env_extra[name] = value
    if args.passes < 1:
        raise load.InputError("--passes must be at least 1")
    shas = commits(repo, args.range)
    conn = store.open_store(args.db, create=True)
    stored = {row[1] for row in store.runs(conn)}
    todo = [s for s in shas if args.again or s not in stored]
    print(
        f"history: backfill: {len(shas)} commits in {args.range}, {len(shas) - len(todo)} stored already, "
        f"{len(todo)} to build",
        file=sys.stderr,
    )
    if not todo:
        return 0
    created = args.work is None
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="history-backfill-"))
    os.makedirs(work, exist_ok=True)
    problems = 0
    try:
        binaries = {}
        for i, sha in enumerate(todo, 1):
            subject = _git(repo, "log", "-1", "--format=%s", sha)[:60]
            print(f"history: backfill: [{i}/{len(todo)}] building {sha[:10]} {subject}", file=sys.stderr)
            started = time.monotonic()
            binary = build(repo, work, sha, sys.stderr)
            if binary:
                binaries[sha] = binary
                print(f"history: backfill: built {sha[:10]} in {time.monotonic() - started:.0f} s", file=sys.stderr)
            else:
                problems += 1
        env = dict(os.environ, **env_extra)
        rng = random.Random(args.seed)
        for p in range(args.passes):
            # Each pass in its own random commit order, so a drift of the machine's state
            # during a pass does not line up with commit order (a fake change point).
            order = list(binaries.items())
            rng.shuffle(order)
            for sha, binary in order:
                out = os.path.join(work, "runs", f"{sha[:10]}-pass{p}")
                cmd = [binary, "sweep", "--out", out, *sweep_flags]
                proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if proc.returncode == 2 or not os.path.exists(os.path.join(out, "manifest.json")):
                    tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
                    print(f"history: backfill: the sweep of {sha[:10]} failed: {tail[0]}", file=sys.stderr)
                    problems += 1
                    continue
                if proc.returncode != 0:
                    print(f"history: backfill: the sweep of {sha[:10]} reported failed or hung cases", file=sys.stderr)
                    problems += 1
                rec = record.read_run(out, repo)
                added = store.add_run(conn, rec, _now())
                print(
                    f"history: backfill: pass {p + 1}/{args.passes} {sha[:10]}: {len(rec.cases)} cases "
                    f"{'added' if added else 'already stored'} (run {rec.run_id})",
                    file=sys.stderr,
                )
    finally:
        if not args.keep:
            for sha in todo:
                wt = os.path.join(work, "wt-" + sha[:10])
                if os.path.exists(wt):
                    _git(repo, "worktree", "remove", "--force", wt, check=False)
            _git(repo, "worktree", "prune", check=False)
            if created:
                shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"history: backfill: worktrees, builds and runs kept in {work}", file=sys.stderr)
    print(f"history: backfill: {len(binaries)} of {len(todo)} commits built, {problems} problems", file=sys.stderr)
    return 1 if problems else 0
