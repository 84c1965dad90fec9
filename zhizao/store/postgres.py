"""The PostgreSQL server backend's connection and schema (docs/deployment.md).

`ZHIZAO_DB=postgresql://user@host:port/dbname` (or --db with such a URL) selects it; anything else is
a DuckDB file. The schema is kept by Alembic migrations (zhizao/store/migrations/versions), applied
by `upgrade` — on every open for writing, under an advisory lock so that two servers starting
together do not both migrate.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from zhizao.errors import UserError



MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
CONNECT_TIMEOUT = 5  # seconds: a server that is down answers with an error, no request hangs
MIGRATION_LOCK = 7_436_511  # pg_advisory_lock key: one migrating process at a time


def is_postgres(db) -> bool:
    """True when `db` (a path, a URL or None) names a PostgreSQL database."""
    return db is not None and str(db).startswith(SCHEMES)


class StoreUnavailable(UserError):
    """The PostgreSQL server cannot be reached (down, wrong address, refused login): nothing was
    read or written. The CLI exits 2 with the message; the dashboard answers 503."""

    def __init__(self, url: str, detail: str = ""):
        self.url = redact(url)
        first = (detail or "").strip().splitlines()[0][:200] if (detail or "").strip() else ""
        why = f"（{first}）" if first else ""
        why_en = f" ({first})" if first else ""
        super().__init__(
            f"无法连接 PostgreSQL 数据库 {self.url}{why}；请确认数据库服务器已启动、地址和账户正确"
            "（ZHIZAO_DB 或 --db），然后重试",
            f"cannot reach the PostgreSQL database {self.url}{why_en}; check that the server is running and "
            "that the address and account are right (ZHIZAO_DB or --db), then try again")


def redact(url) -> str:
    """The URL without its password, for messages and status."""
    parts = urlsplit(str(url))
    if parts.password is None:
        return str(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def libpq_url(url: str) -> str:
    """The URL as libpq takes it (SQLAlchemy's driver suffix removed)."""
    return "postgresql://" + str(url).split("://", 1)[1]


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + str(url).split("://", 1)[1]


def connect(url: str, **kwargs) -> "psycopg.Connection":
    """A new connection (not autocommit: the caller commits); StoreUnavailable when the server
    cannot be reached within CONNECT_TIMEOUT."""
    import psycopg  # here: a DuckDB-only run does not pay for importing the driver

    try:
        return psycopg.connect(libpq_url(url), connect_timeout=CONNECT_TIMEOUT, **kwargs)
    except psycopg.OperationalError as e:
        raise StoreUnavailable(url, str(e)) from None


@lru_cache(maxsize=1)
def revisions() -> tuple[str, ...]:
    """Every migration's revision id, oldest first, read from the files (no Alembic import: an open
    checks the schema on every start of a command)."""
    down: dict[str, str | None] = {}
    for f in (MIGRATIONS / "versions").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        rev = re.search(r'^revision\s*=\s*"([^"]+)"', text, re.M)
        if rev:
            prev = re.search(r'^down_revision\s*=\s*"([^"]+)"', text, re.M)
            down[rev[1]] = prev[1] if prev else None
    order, current = [], None
    while True:
        nxt = [r for r, d in down.items() if d == current]
        if not nxt:
            return tuple(order)
        current = nxt[0]
        order.append(current)


def latest_revision() -> str:
    """The head revision, as head_revision() says, without importing Alembic."""
    return revisions()[-1]


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
