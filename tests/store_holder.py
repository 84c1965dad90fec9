"""A second process holding a DuckDB file open for writing (as `zhizao data import` does), for the
tests of two processes on one store (tests/store/test_store_locking.py, tests/outputs/web/test_web_concurrency.py)."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
if len(sys.argv) > 2:
    con.execute(sys.argv[2]).fetchall()
print("holding", flush=True)
sys.stdin.readline()
con.close()
"""


@contextmanager
def held_by_another_process(db: Path, sql: str | None = None):
    """`db` held by another process (after running `sql` in it) until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), *([sql] if sql else [])],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=60)
