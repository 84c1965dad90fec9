"""The PostgreSQL server backend's connection and schema (docs/deployment.md).

`ZHIZAO_DB=postgresql://user@host:port/dbname` (or --db with such a URL) selects it; anything else is
a DuckDB file. The schema is kept by Alembic migrations (zhizao/store/migrations/versions), applied
by `upgrade` — on every open for writing, under an advisory lock so that two servers starting
together do not both migrate.
"""
from __future__ import annotations

from pathlib import Path

import psycopg

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
CONNECT_TIMEOUT = 5  # seconds: a server that is down answers with an error, no request hangs
MIGRATION_LOCK = 7_436_511  # pg_advisory_lock key: one migrating process at a time


def is_postgres(db) -> bool:
    """True when `db` (a path, a URL or None) names a PostgreSQL database."""
    return db is not None and str(db).startswith(SCHEMES)


def libpq_url(url: str) -> str:
    """The URL as libpq takes it (SQLAlchemy's driver suffix removed)."""
    return "postgresql://" + str(url).split("://", 1)[1]


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + str(url).split("://", 1)[1]


def connect(url: str, **kwargs) -> psycopg.Connection:
    """A new connection (not autocommit: the caller commits)."""
    return psycopg.connect(libpq_url(url), connect_timeout=CONNECT_TIMEOUT, **kwargs)


def alembic_config(url: str):
    from alembic.config import Config  # only when migrating: alembic imports SQLAlchemy, a second or so

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = sqlalchemy_url(url)
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # only when migrating, as above

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(url: str) -> str | None:
    """The database's schema revision; None for an empty database."""
    with connect(url) as con:
        if con.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to `revision` (all migrations by default); a no-op when it is there."""
    from alembic import command  # only when migrating, as above

    with connect(url, autocommit=True) as con:
        con.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            command.upgrade(alembic_config(url), revision)
        finally:
            con.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
