"""The results store: an SQLite database of sweeps keyed by commit and machine.

Schema (version 1; docs/history.md describes every column):

- ``machines``: one row per machine fingerprint (record.FINGERPRINT_KEYS).
- ``runs``: one row per sweep, keyed by the manifest's ``run_id``; commit,
  commit date and depth, run date, machine.
- ``cases``: one row per case of a run: status, check and TSan marks,
  median throughput and its bootstrap CI.
- ``samples``: the repetitions' throughput of each case.

Adding a run is one transaction: a run is recorded whole or not at all (an
interrupted add, even a killed process, leaves the database as it was:
SQLite's rollback journal). Adding a run id that is already stored is a
no-op when its result files are the same, and refused otherwise.

Test-only: ``HISTORY_TEST_KILL_AFTER_ROWS=k`` kills the process (SIGKILL)
after the k-th sample row of an add, inside the transaction.
"""
from __future__ import annotations

import os
import signal
import sqlite3
from dataclasses import dataclass

from .record import FINGERPRINT_KEYS, RunRecord

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS machines (
  id INTEGER PRIMARY KEY, fingerprint TEXT UNIQUE NOT NULL,
  cpu_model TEXT, num_cpus TEXT, kernel TEXT, compiler TEXT, build_type TEXT, preset TEXT, sanitizer TEXT);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, run_id TEXT UNIQUE NOT NULL, digest TEXT NOT NULL,
  commit_sha TEXT NOT NULL, dirty INTEGER NOT NULL, commit_date TEXT, commit_time REAL, commit_depth INTEGER,
  run_date TEXT NOT NULL, machine_id INTEGER NOT NULL REFERENCES machines(id),
  quick INTEGER NOT NULL, repetitions INTEGER, source TEXT, added TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
  id INTEGER PRIMARY KEY, run INTEGER NOT NULL REFERENCES runs(id), case_key TEXT NOT NULL,
  scenario TEXT NOT NULL, strategy TEXT NOT NULL, params TEXT NOT NULL, workers INTEGER NOT NULL,
  cores INTEGER NOT NULL, status TEXT NOT NULL, checked INTEGER, tsan TEXT, metric TEXT NOT NULL,
  median REAL, ci_lo REAL, ci_hi REAL, UNIQUE (run, case_key));
CREATE TABLE IF NOT EXISTS samples (
  case_id INTEGER NOT NULL REFERENCES cases(id), repetition INTEGER NOT NULL, round INTEGER,
  value REAL NOT NULL, PRIMARY KEY (case_id, repetition));
CREATE INDEX IF NOT EXISTS cases_by_key ON cases (case_key);
"""


class StoreError(Exception):
    """The database is unusable or refuses the operation (message: one line)."""


@dataclass
class Point:
    """One run of one case in a series."""

    commit: str
    dirty: bool
    commit_date: str | None
    run_id: str
    run_date: str
    status: str
    checked: int | None
    tsan: str | None
    median: float | None
    ci_lo: float | None
    ci_hi: float | None
    values: list  # the repetitions' throughput
    rounds: list | None = None  # each value's round (the repetition index when the sweep had no rounds)


@dataclass
class Series:
    fingerprint: str
    machine: dict
    key: str
    scenario: str
    strategy: str
    params: str
    workers: int
    cores: int
    metric: str
    points: list  # Point, in commit order


def open_store(path: str, create: bool = False) -> sqlite3.Connection:
    """Opens the store at ``path``; creates it when absent only if ``create``."""
    if not create and not os.path.exists(path):
        raise StoreError(f"{path}: no such history database (scripts/history add creates it)")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StoreError(f"{path}: its folder does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.executescript(_SCHEMA)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif row[0] != str(SCHEMA_VERSION):
            raise StoreError(f"{path}: schema version {row[0]}, this tool reads {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path}: not a history database ({e})") from None
    return conn


def add_run(conn: sqlite3.Connection, run: RunRecord, now: str) -> bool:
    """Records ``run`` in one transaction. Returns False when the same run was
    already stored (nothing written); raises StoreError when another run has
    its run_id."""
    kill_after = int(os.environ.get("HISTORY_TEST_KILL_AFTER_ROWS", "0") or 0)
    rows = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = conn.execute("SELECT digest FROM runs WHERE run_id = ?", (run.run_id,)).fetchone()
        if old is not None:
            conn.execute("ROLLBACK")
            if old[0] == run.digest:
                return False
            raise StoreError(f"run id {run.run_id} is stored already with other results (refused)")
        conn.execute(
            "INSERT OR IGNORE INTO machines (fingerprint, "
            + ", ".join(FINGERPRINT_KEYS)
            + ") VALUES (?"
            + ", ?" * len(FINGERPRINT_KEYS)
            + ")",
            (run.fingerprint, *[None if run.machine.get(k) is None else str(run.machine[k]) for k in FINGERPRINT_KEYS]),
        )
        machine_id = conn.execute("SELECT id FROM machines WHERE fingerprint = ?", (run.fingerprint,)).fetchone()[0]
        run_pk = conn.execute(
            "INSERT INTO runs (run_id, digest, commit_sha, dirty, commit_date, commit_time, commit_depth, run_date,"
            " machine_id, quick, repetitions, source, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.run_id,
                run.digest,
                run.commit,
                int(run.dirty),
                run.commit_date,
                run.commit_time,
                run.commit_depth,
                run.run_date,
                machine_id,
                int(run.quick),
                run.repetitions,
                run.source,
                now,
            ),
        ).lastrowid
        for c in run.cases:
            case_pk = conn.execute(
                "INSERT INTO cases (run, case_key, scenario, strategy, params, workers, cores, status, checked, tsan,"
                " metric, median, ci_lo, ci_hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_pk,
                    c.key,
                    c.scenario,
                    c.strategy,
                    c.params,
                    c.workers,
                    c.cores,
                    c.status,
                    c.checked,
                    c.tsan,
                    c.metric,
                    c.median,
                    c.ci_lo,
                    c.ci_hi,
                ),
            ).lastrowid
            for rep, rnd, value in c.values:
                conn.execute("INSERT INTO samples VALUES (?, ?, ?, ?)", (case_pk, rep, rnd, value))
                rows += 1
                if kill_after and rows >= kill_after:
                    os.kill(os.getpid(), signal.SIGKILL)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True


def runs(conn: sqlite3.Connection) -> list:
    """(run_id, commit, run_date, fingerprint, cases) of every stored run, in commit order."""
    return conn.execute(
        "SELECT r.run_id, r.commit_sha, r.run_date, m.fingerprint, (SELECT COUNT(*) FROM cases WHERE run = r.id)"
        " FROM runs r JOIN machines m ON m.id = r.machine_id" + _ORDER
    ).fetchall()


# Series order: commit date, then depth (commits made within one second), then run date.
_ORDER = (
    " ORDER BY COALESCE(r.commit_time, CAST(strftime('%s', r.run_date) AS REAL)),"
    " COALESCE(r.commit_depth, 0), r.run_date, r.id"
)


def series(conn: sqlite3.Connection, fingerprint: str | None = None) -> list:
    """Every case series (one per machine fingerprint and case), points in commit order."""
    query = (
        "SELECT m.fingerprint, " + ", ".join("m." + k for k in FINGERPRINT_KEYS) + ", c.case_key, c.scenario,"
        " c.strategy, c.params, c.workers, c.cores, c.metric, r.commit_sha, r.dirty, r.commit_date, r.run_id,"
        " r.run_date, c.status, c.checked, c.tsan, c.median, c.ci_lo, c.ci_hi, c.id"
        " FROM cases c JOIN runs r ON r.id = c.run JOIN machines m ON m.id = r.machine_id"
        + (" WHERE m.fingerprint = ?" if fingerprint else "")
        + _ORDER
    )
    rows = conn.execute(query, (fingerprint,) if fingerprint else ()).fetchall()
    values: dict[int, list] = {}
    rounds: dict[int, list] = {}
    for case_id, rep, rnd, value in conn.execute(
        "SELECT case_id, repetition, round, value FROM samples ORDER BY case_id, repetition"
    ):
        values.setdefault(case_id, []).append(value)
        rounds.setdefault(case_id, []).append(rep if rnd is None else rnd)
    out: dict = {}
    nk = len(FINGERPRINT_KEYS)
    for row in rows:
        fp, machine, rest = row[0], dict(zip(FINGERPRINT_KEYS, row[1 : 1 + nk])), row[1 + nk :]
        (
            key,
            scenario,
            strategy,
            params,
            workers,
            cores,
            metric,
            sha,
            dirty,
            cdate,
            run_id,
            rdate,
            status,
            checked,
            tsan,
            median,
            lo,
            hi,
            case_id,
        ) = rest
        s = out.get((fp, key))
        if s is None:
            s = out[(fp, key)] = Series(fp, machine, key, scenario, strategy, params, workers, cores, metric, [])
        s.points.append(
            Point(
                sha,
                bool(dirty),
                cdate,
                run_id,
                rdate,
                status,
                checked,
                tsan,
                median,
                lo,
                hi,
                values.get(case_id, []),
                rounds.get(case_id, []),
            )
        )
    return [out[k] for k in sorted(out)]
