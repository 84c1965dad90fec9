"""The PostgreSQL server backend's connection and schema (docs/deployment.md).

`ZHIZAO_DB=postgresql://user@host:port/dbname` (or --db with such a URL; the scheme in any case)
selects it; a file path is a DuckDB file. Anything that looks like another address (`mysql://…`,
`postgresql:/…` with one slash, `postgres//…`, a libpq keyword string `host=… dbname=…`) is refused
by `check_address` with the accepted forms: DuckDB would take its prefix for an extension's name. The schema is kept by Alembic migrations (zhizao/store/migrations/versions), applied
by `upgrade` — on every open for writing, under an advisory lock so that two servers starting
together do not both migrate.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from zhizao.errors import UserError



MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
CONNECT_TIMEOUT = 5  # seconds: a server that is down answers with an error, no request hangs
MIGRATION_LOCK = 7_436_511  # pg_advisory_lock key: one migrating process at a time


def is_postgres(db) -> bool:
    """True when `db` (a path, a URL or None) names a PostgreSQL database (the scheme in any case)."""
    return db is not None and str(db).lower().startswith(SCHEMES)


# "xxx:" at the start: DuckDB reads it as an extension's name (mysql: → mysql_scanner) and would
# load or even download it; a scheme of a URL in general.
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-_]*):")
_LOOKS_POSTGRES = re.compile(r"^\s*postgres(ql)?(\+\w+)?\s*(:|//)", re.I)
LIBPQ_KEYWORDS = ("host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode",
                  "connect_timeout", "application_name", "options", "target_session_attrs", "sslrootcert")
_LIBPQ = re.compile(r"^\s*(" + "|".join(LIBPQ_KEYWORDS) + r")\s*=", re.I)
ACCEPTED_ZH = "可用的写法：DuckDB 文件路径（如 ./zhizao.duckdb），或 postgresql://用户@主机:端口/库名"
ACCEPTED_EN = "Accepted: a DuckDB file path (e.g. ./zhizao.duckdb) or postgresql://user@host:port/dbname"


class BadAddress(UserError):
    """A --db / ZHIZAO_DB value that is neither a DuckDB file path nor a postgresql:// URL."""


def check_address(db, where: str = "--db") -> None:
    """Refuse a store address that is neither a DuckDB file path nor a PostgreSQL URL (BadAddress,
    naming the accepted forms); nothing is opened, created or loaded. `where` names the setting."""
    if db is None:
        return
    text = str(db)
    shown = redact(text)[:100]
    why_zh = why_en = None
    if not text.strip():
        why_zh, why_en = "为空", "it is empty"
    elif "\x00" in text:
        why_zh, why_en = "含有空字符", "it holds a NUL character"
    elif is_postgres(text):
        _check_url(text, shown, where)
        return
    elif _LOOKS_POSTGRES.match(text):
        why_zh, why_en = "PostgreSQL 地址须以 postgresql:// 开头（两个斜杠）", "a PostgreSQL URL starts with postgresql:// (two slashes)"
    elif _LIBPQ.match(text):
        why_zh, why_en = ("这是 libpq 的“键=值”写法，zhizao 只接受 URL 写法",
                          "that is a libpq keyword string; zhizao takes the URL form only")
    elif (m := _PREFIX.match(text)):
        why_zh = f"“{m[1][:20]}:”不是 zhizao 支持的数据库类型（只支持 DuckDB 文件和 PostgreSQL）"
        why_en = f"'{m[1][:20]}:' is not a store zhizao supports (a DuckDB file or PostgreSQL only)"
    if why_zh is not None:
        raise BadAddress(f"{where} 的数据库地址“{shown}”无效：{why_zh}。{ACCEPTED_ZH}",
                         f"invalid store address '{shown}' in {where}: {why_en}. {ACCEPTED_EN}")


def _check_url(text: str, shown: str, where: str) -> None:
    """A postgresql:// URL that libpq would refuse (an unknown ?parameter, an unclosed [IPv6] bracket,
    a space): BadAddress with the parser's reason, before any connection is tried. The reason never
    repeats the password (a part of it in quotes is left out)."""
    import psycopg  # the driver: only for a PostgreSQL address (a DuckDB run does not load it)
    from psycopg.conninfo import conninfo_to_dict  # with the driver, as above

    try:
        conninfo_to_dict(libpq_url(text))
    except psycopg.Error as e:
        detail = redact(str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
        auth = text.split("://", 1)[1].split("/", 1)[0].rpartition("@")[0]
        secret = unquote(auth.split(":", 1)[1]) if ":" in auth else ""
        if secret and any(part and part in detail for part in re.split(r"\s+", secret)):
            detail = re.sub(r'"[^"]*"', '"***"', detail)
        detail = detail[:160]
        raise BadAddress(f"{where} 的 PostgreSQL 地址“{shown}”无效（{detail}）。地址写法：postgresql://用户@主机:端口/库名"
                         "（IPv6 主机写在方括号中，如 [::1]；口令中的特殊字符须 URL 编码，如 @ 写作 %40；"
                         "问号后只能用 libpq 的参数，如 ?sslmode=require）",
                         f"invalid PostgreSQL URL '{shown}' in {where} ({detail}). The form is "
                         "postgresql://user@host:port/dbname (an IPv6 host in brackets, e.g. [::1]; special characters "
                         "of a password URL-encoded, e.g. @ as %40; after ? only libpq parameters, e.g. "
                         "?sslmode=require)") from None


class NewerSchema(UserError):
    """The database was migrated by a newer zhizao (a schema revision this version does not know):
    nothing is migrated, restored or written (docs/deployment.md §7, rolling back)."""

    def __init__(self, revision: str, url: str | None = None):
        self.revision = revision
        head = latest_revision()
        where_zh = f"（{redact(url)}）" if url else ""
        where_en = f" ({redact(url)})" if url else ""
        super().__init__(
            f"数据库结构版本 {revision} 比本程序（最新 {head}）新：请使用更新版本的 zhizao，"
            f"或把备份恢复到一个新建的空数据库{where_zh}",
            f"the database's schema revision {revision} is newer than this zhizao knows (latest {head}): use a newer "
            f"zhizao, or restore a backup into a new, empty database{where_en}")


def is_newer(revision: str | None) -> bool:
    """True for a revision this zhizao does not know: a newer zhizao migrated the database."""
    return revision is not None and revision not in revisions()


def check_known(revision: str | None, url: str | None = None) -> None:
    """NewerSchema when `revision` is one this zhizao does not know (the one check for it)."""
    if is_newer(revision):
        raise NewerSchema(revision, url)


class StoreUnavailable(UserError):
    """The PostgreSQL server cannot be reached (down, wrong address, refused login): nothing was
    read or written. The CLI exits 2 with the message; the dashboard answers 503."""

    def __init__(self, url: str, detail: str = ""):
        self.url = redact(url)
        first = redact((detail or "").strip().splitlines()[0][:200]) if (detail or "").strip() else ""
        why = f"（{first}）" if first else ""
        why_en = f" ({first})" if first else ""
        super().__init__(
            f"无法连接 PostgreSQL 数据库 {self.url}{why}；请确认数据库服务器已启动、地址和账户正确"
            "（ZHIZAO_DB 或 --db），然后重试",
            f"cannot reach the PostgreSQL database {self.url}{why_en}; check that the server is running and "
            "that the address and account are right (ZHIZAO_DB or --db), then try again")


_SECRET_WORD = re.compile(r"(password|passwd|pwd|sslpassword)(\s*=\s*)('[^']*'|[^\s&;]*)", re.I)


def redact(url) -> str:
    """The address without its password (user:pass@, ?password=…, password=… in a keyword string),
    for messages, logs and status."""
    text = str(url)
    try:
        parts = urlsplit(text)
        netloc = parts.netloc
        if "@" in netloc:
            auth, host = netloc.rsplit("@", 1)
            if ":" in auth:
                netloc = f"{auth.split(':', 1)[0]}:***@{host}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(_SECRET_WORD.fullmatch(k + "=") for k, _ in pairs):
                query = "&".join(f"{quote(k)}={'***' if _SECRET_WORD.fullmatch(k + '=') else quote(v)}"
                                 for k, v in pairs)
        if parts.scheme and (netloc != parts.netloc or query != parts.query):
            text = urlunsplit(parts._replace(netloc=netloc, query=query))
    except ValueError:  # not a URL at all (an invalid port, brackets): the words below still go
        pass
    return _SECRET_WORD.sub(lambda m: f"{m[1]}{m[2]}***", text)


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
    """Bring the schema to `revision` (all migrations by default); a no-op when it is there.
    NewerSchema (nothing done) when a newer zhizao migrated the database: Alembic cannot locate
    that revision, and going on would be an internal error."""
    from alembic import command  # only when migrating, as above

    with connect(url, autocommit=True) as con:
        con.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            if con.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is not None:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                check_known(row[0] if row else None, url)
            command.upgrade(alembic_config(url), revision)
        finally:
            con.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])


def account_counts(url: str) -> dict[str, int]:
    """Rows of the accounts tables (users, sessions, api_tokens) that the database has; {} before 0002."""
    out: dict[str, int] = {}
    with connect(url) as con:
        for table in ("users", "sessions", "api_tokens"):
            if con.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is not None:
                out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return out
