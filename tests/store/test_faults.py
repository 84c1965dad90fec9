"""An import killed half-way (SIGKILL of the importing process) leaves the store consistent: every
batch holds exactly its rows, no half batch, and on PostgreSQL the generation counts the committed
writes. Both backends; the process is killed at several moments of its write."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from zhizao.store.store import Store

REPO = Path(__file__).parents[2]
ROWS = 60_000
WRITER = f"""
import sys, pandas as pd
from zhizao.store.store import Batch, Store
n = {ROWS}
obs = pd.DataFrame({{"series": "x", "region": "500000", "industry": "ALL", "period_type": "year",
                    "year": 2024, "period_key": "2024", "value": [float(i) for i in range(n)],
                    "qualifier": "exact", "unit": "亿元", "status": "final"}})
with Store(sys.argv[1]) as s:
    print("committing", flush=True)
    s.commit(Batch(kind="import", file="big.csv", sha256=None, observations=obs))
    print("done", flush=True)
"""
WRITES = ("import", "withdraw", "plan_register", "restore")


def _start(db) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "committing"
    return p


def _consistent(db) -> int:
    """Assert the invariants; returns the number of batches."""
    with Store(db) as s:
        counts = s.con.execute("""SELECT b.batch_id, b.rows, count(o.obs_id) FROM batches b
                                  LEFT JOIN observations o USING (batch_id) GROUP BY ALL""").fetchall()
        assert all(rows == stored for _, rows, stored in counts), counts
        orphans = s.con.execute("SELECT count(*) FROM observations WHERE batch_id NOT IN "
                                "(SELECT batch_id FROM batches)").fetchall()[0][0]
        assert orphans == 0
        log = s.audit_log()
        assert sorted(log.loc[log["action"] == "import", "target"]) == sorted(b for b, _, _ in counts)
        if s.backend == "postgresql":
            assert s.generation == log["action"].isin(WRITES).sum()
        return len(counts)


def _backend_pids(url: str) -> list[int]:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(os.environ["ZHIZAO_TEST_POSTGRES"], autocommit=True) as con:
        return [r[0] for r in con.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name])]


def _wait_for(url: str, what: str, deadline: float = 60) -> bool:
    """Poll until the database's client is in its write transaction doing `what` (a query prefix)."""
    name = url.rsplit("/", 1)[1]
    end = time.monotonic() + deadline
    with psycopg.connect(os.environ["ZHIZAO_TEST_POSTGRES"], autocommit=True) as con:
        while time.monotonic() < end:
            row = con.execute("SELECT state, query FROM pg_stat_activity WHERE datname = %s AND "
                              "state IN ('active', 'idle in transaction') AND query ILIKE %s",
                              [name, what + "%"]).fetchone()
            if row:
                return True
            time.sleep(0.005)
    return False


@pytest.mark.parametrize("moment", ["INSERT INTO batches", "COPY observations", "COPY observations+0.3", "UPDATE"])
def test_postgresql_import_killed_half_way_leaves_it_consistent(pg_url, moment):
    with Store(pg_url) as s:  # the schema first, so the writer's first statements are its write
        s.record_audit("login", actor="t")
    what, _, later = moment.partition("+")
    p = _start(pg_url)
    try:
        seen = _wait_for(pg_url, what, deadline=60 if what != "UPDATE" else 5)
        if later:
            time.sleep(float(later))
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=60)
    end = time.monotonic() + 60
    while _backend_pids(pg_url) and time.monotonic() < end:  # the server notices and rolls back
        time.sleep(0.05)
    batches = _consistent(pg_url)
    assert batches in (0, 1)
    if seen and not later and what != "UPDATE":
        assert batches == 0  # killed inside the transaction: nothing of it stays (later: whole or nothing)
    # The store takes the next import whole.
    p = _start(pg_url)
    assert p.stdout.readline().strip() == "done" and p.wait(timeout=120) == 0
    assert _consistent(pg_url) == batches + 1


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.4])
def test_duckdb_import_killed_half_way_leaves_it_consistent(tmp_path, delay):
    db = tmp_path / "k.duckdb"
    Store(db).close()
    p = _start(db)
    try:
        time.sleep(delay)
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=60)
    batches = _consistent(db)
    assert batches in (0, 1)
    p = _start(db)
    assert p.stdout.readline().strip() == "done" and p.wait(timeout=120) == 0
    assert _consistent(db) == batches + 1
