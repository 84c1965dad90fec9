"""Fixtures every test folder can use: a PostgreSQL server (scripts/postgres.sh) and fresh databases on it.

`.ci/run` starts the server and exports ZHIZAO_TEST_POSTGRES; run alone, pytest starts it through the
same script. Under CI a server that cannot be had fails the PostgreSQL tests (they must not be skipped
quietly); elsewhere they are skipped with the reason.
"""
from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ("duckdb", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of the test server's maintenance database (superuser, trust auth, loopback only)."""
    url = os.environ.get("ZHIZAO_TEST_POSTGRES")
    if url:
        return url
    try:
        out = subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "start"], check=True,
                             capture_output=True, text=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as e:
        reason = f"no PostgreSQL test server (scripts/postgres.sh start): {getattr(e, 'stderr', '') or e}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    url = out.stdout.strip().splitlines()[-1]
    os.environ["ZHIZAO_TEST_POSTGRES"] = url  # for subprocesses the tests start
    return url


def new_database(server_url: str) -> str:
    """Create an empty database on the test server; returns its URL."""
    import psycopg

    name = "zt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(postgres_server) -> str:
    """A fresh, empty PostgreSQL database (no schema yet), dropped after the test."""
    url = new_database(postgres_server)
    yield url
    drop_database(postgres_server, url)


@pytest.fixture(params=BACKENDS)
def store_db(request, tmp_path) -> str | Path:
    """Where a store lives, once per backend: a DuckDB file path, then a fresh PostgreSQL URL.
    Storage tests take this instead of tmp_path / "x.duckdb" to run on both."""
    if request.param == "duckdb":
        return tmp_path / "store.duckdb"
    return request.getfixturevalue("pg_url")
