"""The statistics store behind a narrow interface: a DuckDB file, or a PostgreSQL database.

Everything else in zhizao reads and writes statistics through `Store`. `Store(db)` with a
postgresql:// URL returns a `PgStore` (zhizao/store/pg_store.py), which keeps PostgreSQL as the
store of record and answers reads with the same DuckDB SQL over a snapshot read once
(docs/storage.md). Rows are only ever added: a revision is a new row with a later vintage, never
an update.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from zhizao.errors import UserError
from zhizao.ingest.chains import CHAIN_TABLES, TEXT_COLUMNS, contract_frame
from zhizao.ingest.enterprise_frames import FRAMES as ENTERPRISE_FRAMES, empty_frame as empty_enterprise_frame
from zhizao.settings import Settings
from zhizao.store.delivery import DELIVERY_SCHEMA, DeliveryStoreMixin
from zhizao.store.postgres import check_address, is_postgres, redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,          -- bundled | import | links | chain | synthetic
    file VARCHAR,
    sha256 VARCHAR,
    rows INTEGER,
    imported_at TIMESTAMP NOT NULL,
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS sources (
    source_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    publisher VARCHAR,
    url VARCHAR,
    published DATE,
    accessed DATE,
    grade VARCHAR NOT NULL          -- A B C D none
);
CREATE TABLE IF NOT EXISTS series (
    series VARCHAR PRIMARY KEY,     -- a plan indicator id, or a published series as named by its publisher
    unit VARCHAR NOT NULL,
    price_basis VARCHAR,
    concept VARCHAR,
    scope VARCHAR,
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS links (
    plan_id VARCHAR,
    indicator VARCHAR NOT NULL,
    series VARCHAR,                 -- NULL for derived links, which name numerator and denominator
    comparability VARCHAR NOT NULL, -- comparable | different_definition | proxy
    transform VARCHAR NOT NULL,     -- identity | chain_real_growth | derived_ratio | chain_annual_changes | cumulative_from_levels
    numerator VARCHAR,
    numerator_unit VARCHAR,         -- derived ratios convert each input to these units first
    denominator VARCHAR,
    denominator_unit VARCHAR,
    scale DOUBLE,
    region VARCHAR,
    note VARCHAR,
    batch_id VARCHAR
);
CREATE TABLE IF NOT EXISTS observations (
    obs_id BIGINT PRIMARY KEY,
    series VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    industry VARCHAR NOT NULL,
    period_type VARCHAR NOT NULL,   -- year | ytd | month
    year INTEGER NOT NULL,
    month INTEGER,
    period_key VARCHAR NOT NULL,    -- 2024 | 2024-09 (1–9月) | 2024-09M (9月当月)
    value DOUBLE NOT NULL,          -- in the series' unit
    qualifier VARCHAR NOT NULL,     -- exact | more_than | at_least | nearly | about | at_most | less_than
    value_text VARCHAR,             -- as printed
    unit VARCHAR NOT NULL,
    unit_original VARCHAR,
    price_basis VARCHAR,
    status VARCHAR NOT NULL,        -- preliminary | final
    vintage DATE,                   -- when the value became known; NULL if unknown
    source_id VARCHAR,
    quote VARCHAR,
    note VARCHAR,
    batch_id VARCHAR NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    basis VARCHAR DEFAULT 'level',  -- level | change_on_previous_year | cumulative_since | average_over | stock_as_of
    basis_from VARCHAR              -- the year a cumulative/average change is measured from (2020); a stock's date (2022-03)
);
CREATE TABLE IF NOT EXISTS withdrawals (   -- a withdrawn batch stays stored but stops counting
    batch_id VARCHAR PRIMARY KEY,
    withdrawn_at TIMESTAMP NOT NULL,
    withdrawn_by VARCHAR,
    reason VARCHAR
);
CREATE TABLE IF NOT EXISTS plans (         -- plans used with this store, so an id names them later
    plan_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    kind VARCHAR NOT NULL,          -- embedded | file
    source VARCHAR NOT NULL,        -- the embedded plan id, or the file's absolute path
    yaml VARCHAR NOT NULL,          -- the plan's text when registered (a moved file still loads)
    sha256 VARCHAR NOT NULL,
    registered_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (          -- who did what, when: as PostgreSQL's (Alembic 0002)
    audit_id BIGINT PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,        -- quoted: a keyword in DuckDB
    actor VARCHAR NOT NULL,         -- a username, or cli:<system user> for the command line
    role VARCHAR,
    action VARCHAR NOT NULL,        -- import | withdraw | plan_register | restore | login | export …
    target VARCHAR,
    rows INTEGER,
    detail VARCHAR,                 -- JSON
    ip VARCHAR
);
-- Chain data (issue 12; Alembic 0003): one chain import is one batch for one plan, never overwritten;
-- the plan's active chain data is its latest batch of kind 'chain' that is not withdrawn.
CREATE TABLE IF NOT EXISTS chain_enterprises (
    enterprise_id VARCHAR NOT NULL, -- 统一社会信用代码 (or a foreign enterprise's own id)
    name VARCHAR NOT NULL,
    district VARCHAR,               -- GB/T 2260 code where it produces; NULL abroad
    country VARCHAR NOT NULL,       -- ISO 3166-1 alpha-2
    output DOUBLE,                  -- 万元 a year; NULL when unknown
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_members (
    enterprise_id VARCHAR NOT NULL,
    chain VARCHAR NOT NULL,         -- a chain id of the plan
    link VARCHAR NOT NULL,          -- a link id of that chain
    role VARCHAR NOT NULL,          -- leader | core | supplier
    capacity DOUBLE,                -- 万元 a year; NULL when unknown
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_supply (
    supplier_id VARCHAR NOT NULL,
    buyer_id VARCHAR NOT NULL,
    chain VARCHAR NOT NULL,
    link VARCHAR NOT NULL,          -- the product supplied: the supplier is a member of this link
    share DOUBLE NOT NULL,          -- fraction 0–1 of the buyer's need for the link's product
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
-- Enterprise data (issue 13; Alembic 0004): the six frames of zhizao/ingest/enterprise_frames.py, each with
-- batch_id and plan_id. One import is one batch of kind 'enterprise'; what is active is chosen per frame
-- (registry, tags, parks) or per year (annual, srdi, green): Store.enterprise_frames. Units: ANNUAL_UNITS
-- of the contract; text "" is stored as NULL.
CREATE TABLE IF NOT EXISTS ent_registry (
    enterprise_id VARCHAR NOT NULL, -- 统一社会信用代码
    name VARCHAR NOT NULL,
    district VARCHAR,               -- GB/T 2260
    park VARCHAR,                   -- a park_id of ent_parks; NULL outside parks
    industry_class VARCHAR,         -- GB/T 4754-2017
    size VARCHAR,                   -- large | medium | small | micro
    established VARCHAR,            -- YYYY-MM-DD
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ent_tags (
    enterprise_id VARCHAR NOT NULL,
    tag VARCHAR NOT NULL,
    level VARCHAR,                  -- national | municipal | NULL
    acquired VARCHAR NOT NULL,      -- YYYY-MM-DD
    lost VARCHAR,                   -- YYYY-MM-DD; NULL while held
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ent_annual (
    enterprise_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    land_area DOUBLE, revenue DOUBLE, main_revenue DOUBLE, value_added DOUBLE, tax DOUBLE, energy DOUBLE,
    electricity DOUBLE, water DOUBLE, emissions DOUBLE, rd_expense DOUBLE, employees DOUBLE, net_profit DOUBLE,
    assets DOUBLE, liabilities DOUBLE, investment DOUBLE, env_violations DOUBLE, quality_failures DOUBLE,
    safety_violations DOUBLE, obsolete_equipment DOUBLE,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ent_srdi (
    enterprise_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    niche_years DOUBLE, product_field VARCHAR, digital_level DOUBLE, quality_items DOUBLE, ip_class VARCHAR,
    rd_staff_share DOUBLE, rd_institution VARCHAR, equity_financing DOUBLE, local_points DOUBLE, direct_pass VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ent_parks (
    park_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    tier VARCHAR,                   -- a tier id of the plan's park_system
    districts VARCHAR,              -- ;-joined GB/T 2260 codes
    area DOUBLE,                    -- 亩
    leading_industries VARCHAR,     -- ;-joined GB/T 4754 codes
    target_investment_per_mu DOUBLE, target_output_per_mu DOUBLE, target_tax_per_mu DOUBLE,  -- 万元/亩
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ent_green (
    area VARCHAR NOT NULL,          -- the plan's whole_code or a district code
    year INTEGER NOT NULL,
    energy DOUBLE,                  -- 万吨标准煤
    water DOUBLE,                   -- 万立方米
    value_added DOUBLE,             -- 亿元, current prices
    va_real_growth DOUBLE,          -- % on the previous year, comparable prices
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
""" + DELIVERY_SCHEMA  # issue 14: the delivery tables (zhizao/store/delivery.py)
STATISTICS_TABLES = ("batches", "sources", "series", "links", "observations", "withdrawals", "plans")
# Chain tables are read per batch (chain_batch / chain_frames), not with the statistics: a million
# supply rows stay out of the PostgreSQL snapshot that every page reads.
CHAIN_TABLE_NAMES = tuple(CHAIN_TABLES)
CHAIN_KIND = "chain"  # batches.kind of a chain import
# Enterprise tables (issue 13), read per plan on request like the chain tables, not in the snapshot.
ENTERPRISE_TABLES = {frame: f"ent_{frame}" for frame in ENTERPRISE_FRAMES}  # contract frame → table
ENTERPRISE_TABLE_NAMES = tuple(ENTERPRISE_TABLES.values())
ENTERPRISE_KIND = "enterprise"  # batches.kind of an enterprise import
# Active per year: importing 2025 adds a year, re-importing 2024 revises it. The others: whole frames.
ENTERPRISE_YEARLY = ("annual", "srdi", "green")
AUDIT_COLUMNS = ["audit_id", "at", "actor", "role", "action", "target", "rows", "detail", "ip"]

OBSERVATION_COLUMNS = [
    "obs_id", "series", "region", "industry", "period_type", "year", "month", "period_key",
    "value", "qualifier", "value_text", "unit", "unit_original", "price_basis", "status",
    "vintage", "source_id", "quote", "note", "batch_id", "synthetic", "basis", "basis_from",
]
# Columns added after the first release: an older store file gains them when opened for writing.
MIGRATIONS = [
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS basis VARCHAR DEFAULT 'level'",
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS basis_from VARCHAR",
]
SOURCE_COLUMNS = ["source_id", "title", "publisher", "url", "published", "accessed", "grade"]
SERIES_COLUMNS = ["series", "unit", "price_basis", "concept", "scope", "note"]
PLAN_COLUMNS = ["plan_id", "title", "kind", "source", "sha256", "registered_at"]
LINK_COLUMNS = [
    "plan_id", "indicator", "series", "comparability", "transform", "numerator", "numerator_unit",
    "denominator", "denominator_unit", "scale", "region", "note", "batch_id",
]


def default_db_path() -> Path:
    """The DuckDB default: $ZHIZAO_DB when it is a file, else ~/.local/share/zhizao/zhizao.duckdb
    (documented in docs/cli.md)."""
    env = os.environ.get("ZHIZAO_DB")
    check_address(env or None, "ZHIZAO_DB")
    if env and not is_postgres(env):
        return check_folder(Path(env), "ZHIZAO_DB")
    return home_db_path()


def home_db_path() -> Path:
    """~/.local/share/zhizao/zhizao.duckdb (under $XDG_DATA_HOME when set): the one store whose folder
    zhizao creates."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zhizao" / "zhizao.duckdb"


def default_db() -> str | Path:
    """The store when none is named: $ZHIZAO_DB as given when it is a postgresql:// URL, else
    default_db_path()."""
    env = os.environ.get("ZHIZAO_DB")
    check_address(env or None, "ZHIZAO_DB")
    return env if env and is_postgres(env) else default_db_path()


def as_db(db) -> str | Path:
    """A --db value as Store takes it: a URL stays a string (Path would fold its //), else a Path;
    None is default_db(). Anything else that looks like an address (mysql://…, postgresql:/…,
    host=… dbname=…) is a UserError naming the accepted forms (postgres.check_address): the one
    place every command, the dashboard and the Python API pass through."""
    if db is None:
        return default_db()
    check_address(db)
    return str(db) if is_postgres(db) else check_folder(Path(db), "--db")


def check_folder(path: Path, where: str) -> Path:
    """`path` when its folder exists: a store named explicitly (--db, ZHIZAO_DB) in a folder that does
    not exist is a mistyped path, refused naming the folder; zhizao never creates folders from it.
    Only the default location (~/.local/share/zhizao) is created when missing."""
    folder = path.parent
    if str(path) != ":memory:" and str(folder) not in ("", ".") and not folder.is_dir() and path != home_db_path():
        raise UserError(f"{where} 指定的数据库所在文件夹不存在：{folder}；请改正路径，或先建立该文件夹（mkdir -p {folder}）",
                        f"the folder of the store named by {where} does not exist: {folder}; correct the path, or "
                        f"create the folder first (mkdir -p {folder})")
    return path


def system_user() -> str:
    """The system account running this process, by its uid (not $LOGNAME or $USER, which anyone can
    set); uid<n> when the uid has no name (some containers)."""
    import pwd  # POSIX; the fallback below covers a system without it

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


def default_actor() -> str:
    """Who the audit log names when no account is given: cli:<system user>, or with sudo
    cli:<the sudo user> via <system user> ($SUDO_USER, set by sudo: `sudo -u zhizao zhizao …` run by
    alice is cli:alice via zhizao). It identifies a system account, not a person, unless sudo is
    used (docs/accounts.md §Audit)."""
    try:
        me = system_user()
    except Exception:  # noqa: BLE001 - no uid at all (not POSIX)
        me = "?"
    sudo = (os.environ.get("SUDO_USER") or "").strip()
    if sudo and sudo != me and sudo.isprintable() and len(sudo) <= 32:
        return f"cli:{sudo} via {me}"
    return "cli:" + me


def audit_detail(detail: dict | None) -> str | None:
    return None if detail is None else json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)


def source_id_for(url: str | None, title: str | None) -> str:
    key = f"{url or ''}|{title or ''}"
    return "src_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Batch:
    """Everything one import adds; committed in one transaction or not at all."""

    kind: str
    file: str | None
    sha256: str | None
    note: str | None = None
    observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    links: pd.DataFrame = field(default_factory=pd.DataFrame)


LOCK_TIMEOUT_ENV = "ZHIZAO_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds an open waits for another process to release the file


def default_lock_timeout() -> float:
    """$ZHIZAO_LOCK_TIMEOUT (seconds, ≥ 0), else 10."""
    try:
        return max(0.0, float(os.environ.get(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT)))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


class StoreBusy(Exception):
    """Another process holds the DuckDB file (DuckDB allows one writing process per file) and did
    not release it within the lock timeout. Nothing was read or written."""

    def __init__(self, path: Path, waited: float, detail: str = ""):
        pid = re.search(r"PID (\d+)", detail)
        who_zh = f"（进程 {pid.group(1)}）" if pid else ""
        who_en = f" (process {pid.group(1)})" if pid else ""
        self.path, self.waited = path, waited
        self.message_zh = (f"数据库正被另一个进程使用{who_zh}（如 zhizao serve 正在导入，或另一条 zhizao 命令）；"
                           f"已等待 {waited:g} 秒。请稍后重试：{path}")
        self.message_en = (f"the database is in use by another process{who_en} (e.g. zhizao serve importing, "
                           f"or another zhizao command); waited {waited:g} s. Try again later: {path}")
        super().__init__(f"{self.message_zh} / {self.message_en}")


def _is_lock_conflict(e: Exception) -> bool:
    return isinstance(e, duckdb.IOException) and "Could not set lock" in str(e)


# Never load or install a DuckDB extension behind the user's back (no network at run time): a path
# like "mysql:…" would otherwise fetch mysql_scanner.
NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect(path: Path, *, read_only: bool = False, lock_timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retrying with backoff while another process holds the file's lock;
    StoreBusy after `lock_timeout` seconds (default: default_lock_timeout())."""
    timeout = default_lock_timeout() if lock_timeout is None else max(0.0, lock_timeout)
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=NO_EXTENSIONS)
        except duckdb.IOException as e:
            if not _is_lock_conflict(e):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusy(path, timeout, str(e)) from None
            # Jitter so that two waiting processes do not retry in step.
            time.sleep(min(left, delay * random.uniform(0.5, 1.0)))
            delay = min(delay * 2, 0.5)


def _known_since_sql(settings=None) -> tuple[str, str]:
    """SQL for when a value became known (known or assumed) and what an assumed date rests on."""
    s = settings if settings is not None else Settings()
    month, day = (int(x) for x in str(s["assumed_annual_release"]).split("-"))
    lag = int(s["assumed_monthly_release_days"])
    by_period = (f"CASE WHEN o.period_type = 'year' THEN make_date(o.year + 1, {month}, {day}) "
                 f"ELSE CAST(last_day(make_date(o.year, coalesce(o.month, 12), 1)) + INTERVAL {lag} DAY AS DATE) END")
    # A source is no older than its latest figure: a table of revised GDP 2019–2024 was not known
    # before the 2024 figure was released, so its 2022 value was not known in 2023 either.
    in_source = f"max({by_period}) OVER (PARTITION BY coalesce(o.source_id, CAST(o.obs_id AS VARCHAR)))"
    rule = f"CAST(least({in_source}, CAST(bt.imported_at AS DATE)) AS DATE)"
    known = f"coalesce(o.vintage, s.published, {rule})"
    assumed_from = ("CASE WHEN o.vintage IS NOT NULL THEN NULL WHEN s.published IS NOT NULL THEN 'published' "
                    f"WHEN bt.imported_at IS NOT NULL AND CAST(bt.imported_at AS DATE) < {in_source} THEN 'imported' "
                    f"WHEN {in_source} > {by_period} THEN 'latest_in_source' "
                    "WHEN o.period_type = 'year' THEN 'annual_release' ELSE 'monthly_release' END")
    return known, assumed_from


# Store subclasses by backend name; zhizao/store/__init__.py imports pg_store, which adds "postgresql"
# (it subclasses Store, so this module cannot import it).
BACKENDS: dict[str, type] = {}


class UnknownBatch(LookupError):
    """Withdrawing a batch that is not in the store."""


class Store(DeliveryStoreMixin):
    """The store at `path`: a DuckDB file (this class), or a PostgreSQL URL (a PgStore is returned)."""

    backend = "duckdb"

    def __new__(cls, path: str | Path | None = None, **kwargs):
        if cls is Store and is_postgres(as_db(path)):
            return super().__new__(BACKENDS["postgresql"])
        return super().__new__(cls)

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 lock_timeout: float | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = connect(self.path, read_only=read_only, lock_timeout=lock_timeout)
        if not read_only:
            self._run(SCHEMA)  # IF NOT EXISTS: also upgrades a store made by an older schema
            for sql in MIGRATIONS:
                self._run(sql)
        # Read-only on an old store: its values are levels, as they were when written.
        self._has_basis = self.con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'observations' "
            "AND column_name = 'basis'").fetchall()[0][0] > 0
        # A read-only connection to an old store has no withdrawals table: nothing is withdrawn.
        self._withdrawals = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'withdrawals'"
        ).fetchall()[0][0] > 0

    def _active(self, alias: str) -> str:
        """SQL condition: the row's batch has not been withdrawn."""
        if not self._withdrawals:
            return "TRUE"
        return f"{alias}.batch_id NOT IN (SELECT batch_id FROM withdrawals)"

    def _run(self, sql: str, params: list | None = None) -> None:
        """Execute a statement and drain its result (DuckDB 2 keeps results open until fetched)."""
        self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading -------------------------------------------------------------------------
    def has_schema(self) -> bool:
        """True when the store's tables exist (a DuckDB file opened here always has them)."""
        return True

    @property
    def location(self) -> str:
        """Where the store is, for messages: the file, or the URL without its password."""
        return redact(self.path)

    def is_empty(self) -> bool:
        return self.con.execute("SELECT count(*) FROM batches").fetchall()[0][0] == 0

    def observations(self, as_of: date | None = None, series: list[str] | None = None, *,
                     include_withdrawn: bool = False, include_nonfinite: bool = False,
                     settings=None) -> pd.DataFrame:
        """Observations joined with their source, as known on `as_of`.

        `known_since` is when a value became known: its vintage, else an ASSUMED date
        (`vintage_assumed` true, `vintage_assumed_from` says from what): the source's publication
        date, else the usual release of the LATEST period in the same source (a source is no older
        than its newest figure; an annual value on `assumed_annual_release` of the next year, a
        monthly or year-to-date value `assumed_monthly_release_days` after its month), never later
        than the value's import (it was known then). `vintage` stays the known date only.
        An as-of view keeps the values with `known_since <= as_of` (docs/methodology.md §1).

        Withdrawn batches and non-finite values (inf/NaN stored before imports refused them) are
        left out unless asked for; with `include_withdrawn` the withdrawal columns say which."""
        wd = ", w.withdrawn_at, w.withdrawn_by, w.reason AS withdrawal_reason" if include_withdrawn else ""
        join = " LEFT JOIN withdrawals w ON w.batch_id = o.batch_id" if include_withdrawn and self._withdrawals else ""
        if include_withdrawn and not self._withdrawals:
            wd = ", NULL::TIMESTAMP AS withdrawn_at, NULL AS withdrawn_by, NULL AS withdrawal_reason"
        old = "" if self._has_basis else ", 'level' AS basis, NULL::VARCHAR AS basis_from"
        known, assumed_from = _known_since_sql(settings)
        sql = f"""
            SELECT * FROM (
            SELECT o.*{old}, s.title AS source_title, s.publisher, s.url AS source_url,
                   s.published, s.accessed, s.grade{wd},
                   {known} AS known_since, o.vintage IS NULL AS vintage_assumed,
                   {assumed_from} AS vintage_assumed_from
            FROM observations o LEFT JOIN sources s USING (source_id){join}
                 LEFT JOIN batches bt ON bt.batch_id = o.batch_id
            WHERE 1=1
        """
        if not include_withdrawn:
            sql += " AND " + self._active("o")
        if not include_nonfinite:
            sql += " AND isfinite(o.value)"
        params: list = []
        if series:
            sql += f" AND o.series IN ({','.join('?' * len(series))})"
            params.extend(series)
        sql += ") o WHERE 1=1"
        if as_of is not None:
            sql += " AND o.known_since <= ?"
            params.append(as_of)
        sql += " ORDER BY o.series, o.region, o.period_key, o.obs_id"
        return self.con.execute(sql, params).df()

    def nonfinite(self) -> pd.DataFrame:
        """Stored inf/NaN values (imports refuse them now; older stores may hold some), by batch."""
        return self.con.execute(
            f"""SELECT o.batch_id, o.series, o.period_key, o.region, o.value_text
                FROM observations o WHERE NOT isfinite(o.value) AND {self._active("o")}
                ORDER BY o.batch_id, o.series, o.period_key"""
        ).df()

    def sources(self) -> pd.DataFrame:
        """Sources with the number of values that still count (withdrawn batches left out)."""
        return self.con.execute(
            f"""SELECT s.*, count(o.obs_id) AS observations FROM sources s
               LEFT JOIN observations o ON o.source_id = s.source_id AND {self._active("o")}
               GROUP BY ALL ORDER BY s.grade, s.url, s.source_id"""
        ).df()

    def series(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM series ORDER BY series").df()

    def links(self, plan_id: str | None = None) -> pd.DataFrame:
        active = self._active("l")
        if plan_id is None:
            return self.con.execute(f"SELECT * FROM links l WHERE {active}").df()
        return self.con.execute(
            f"SELECT * FROM links l WHERE (plan_id IS NULL OR plan_id = ?) AND {active}", [plan_id]
        ).df()

    def batches(self) -> pd.DataFrame:
        """Every batch, withdrawn ones included with when, by whom and why."""
        if not self._withdrawals:
            return self.con.execute(
                """SELECT *, NULL::TIMESTAMP AS withdrawn_at, NULL AS withdrawn_by, NULL AS withdrawal_reason
                   FROM batches ORDER BY imported_at"""
            ).df()
        return self.con.execute(
            """SELECT b.*, w.withdrawn_at, w.withdrawn_by, w.reason AS withdrawal_reason
               FROM batches b LEFT JOIN withdrawals w USING (batch_id) ORDER BY b.imported_at"""
        ).df()

    def batch(self, batch_id: str) -> dict | None:
        df = self.batches()
        rows = df[df["batch_id"] == batch_id]
        if rows.empty:
            return None
        # an edit's batch has no file: None, not NaN ("nan" in messages and the audit detail)
        return {k: None if isinstance(v, float) and v != v else v for k, v in rows.iloc[0].to_dict().items()}

    def series_units(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT series, unit FROM series").fetchall())

    def has_batch_with_sha(self, sha256: str) -> bool:
        return self.con.execute(
            f"SELECT count(*) FROM batches b WHERE sha256 = ? AND {self._active('b')}", [sha256]
        ).fetchall()[0][0] > 0

    def existing_keys(self, series: list[str] | None = None) -> pd.DataFrame:
        """Keys already stored (withdrawn batches do not count: their values may be imported again),
        to refuse re-importing the same value from the same source; only `series` when given."""
        basis = "o.basis, o.basis_from" if self._has_basis else "'level' AS basis, NULL AS basis_from"
        sql = f"""SELECT o.series, o.region, o.industry, o.period_key, s.url AS source_url,
                         o.vintage, o.value, {basis} FROM observations o LEFT JOIN sources s USING (source_id)
                  WHERE {self._active("o")}"""
        params: list = []
        if series is not None:
            sql += " AND o.series IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(series))
        return self.con.execute(sql, params).df()

    # --- writing -------------------------------------------------------------------------
    def commit(self, batch: Batch, actor: str | None = None, role: str | None = None) -> str:
        """Write a batch atomically with its audit row ("import"); returns its id. Nothing is
        written if any step fails."""
        batch_id = "b_" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        self._run("BEGIN TRANSACTION")
        try:
            self._run(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                [batch_id, batch.kind, batch.file, batch.sha256, len(batch.observations), now, batch.note],
            )
            self._audit_row("import", actor=actor, role=role, target=batch_id, rows=len(batch.observations),
                            detail=import_detail(batch), at=now)
            if len(batch.sources):
                src = batch.sources[SOURCE_COLUMNS].drop_duplicates("source_id")
                self.con.register("new_sources", src)
                self._run(
                    "INSERT INTO sources SELECT * FROM new_sources WHERE source_id NOT IN (SELECT source_id FROM sources)"
                )
                self.con.unregister("new_sources")
            if len(batch.series):
                ser = batch.series.reindex(columns=SERIES_COLUMNS).drop_duplicates("series")
                self.con.register("new_series", ser)
                self._run(
                    "INSERT INTO series SELECT * FROM new_series WHERE series NOT IN (SELECT series FROM series)"
                )
                self.con.unregister("new_series")
            if len(batch.links):
                lk = batch.links.reindex(columns=LINK_COLUMNS).assign(batch_id=batch_id)
                self.con.register("new_links", lk)
                self._run("INSERT INTO links SELECT * FROM new_links")
                self.con.unregister("new_links")
            if len(batch.observations):
                start = self.con.execute("SELECT coalesce(max(obs_id), 0) FROM observations").fetchall()[0][0]
                obs = new_observations(batch, batch_id, start)
                self.con.register("new_obs", obs)
                # Named columns: a migrated store has the newer columns in another order.
                cols = ", ".join(OBSERVATION_COLUMNS)
                self._run(f"INSERT INTO observations ({cols}) SELECT {cols} FROM new_obs")
                self.con.unregister("new_obs")
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return batch_id

    def withdraw(self, batch_id: str, reason: str | None = None, by: str | None = None,
                 role: str | None = None, ip: str | None = None) -> dict:
        """Record a batch as withdrawn (its rows stay stored but stop counting), with its audit row
        ("withdraw"), in one transaction; returns the batch."""
        if not self._withdrawals:
            raise RuntimeError("store opened read-only without a withdrawals table")
        info = self.batch(batch_id)
        if info is None:
            raise UnknownBatch(batch_id)
        if pd.notna(info.get("withdrawn_at")):
            return info
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        self._run("BEGIN TRANSACTION")
        try:
            self._run("INSERT INTO withdrawals VALUES (?, ?, ?, ?)", [batch_id, now, by, reason])
            self._audit_row("withdraw", actor=_actor(by), role=role, target=batch_id, rows=_rows(info),
                            detail={"reason": reason, "file": info.get("file")}, ip=ip, at=now)
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return self.batch(batch_id)

    # --- audit log ---------------------------------------------------------------------------
    def _has_audit(self) -> bool:
        return self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit'").fetchall()[0][0] > 0

    def _audit_row(self, action: str, *, actor: str | None, role: str | None = None, target: str | None = None,
                   rows: int | None = None, detail: dict | None = None, ip: str | None = None,
                   at: datetime | None = None) -> None:
        """Insert one audit row in the current transaction (the caller's, or its own statement)."""
        at = at or datetime.now(timezone.utc).replace(tzinfo=None)
        self._run(
            "INSERT INTO audit SELECT coalesce(max(audit_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM audit",
            [at, actor or default_actor(), role, action, target, rows, audit_detail(detail), ip])

    def record_audit(self, action: str, *, actor: str | None, role: str | None = None, target: str | None = None,
                     rows: int | None = None, detail: dict | None = None, ip: str | None = None) -> None:
        """Add a row to the audit log (login, export, user changes …). Does not count as a data
        write: the data caches stay valid. `actor` None is cli:<system user>."""
        self._audit_row(action, actor=actor, role=role, target=target, rows=rows, detail=detail, ip=ip)

    def audit_log(self, *, limit: int | None = None, actor: str | None = None, action: str | None = None,
                  since: datetime | date | None = None) -> pd.DataFrame:
        """The audit log, newest first; filtered by actor, action and time (rows at or after `since`)."""
        if not self._has_audit():
            return pd.DataFrame(columns=AUDIT_COLUMNS)
        sql, params = _audit_query(actor, action, since, limit, "?")
        return self.con.execute(sql, params).df()

    def counts(self) -> dict[str, int]:
        """Rows per table: the statistics', then the chain, enterprise and delivery tables' with their
        batches (zero in an older file opened read-only, which has no such tables yet)."""
        out = {}
        for table in ("observations", "sources", "series", "links", "batches"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        return {**out, **self._chain_counts(), **self._enterprise_counts(), **self._delivery_counts()}

    def _chain_counts(self) -> dict[str, int]:
        if not self.con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_name = 'chain_enterprises'").fetchall()[0][0]:
            return dict.fromkeys((*CHAIN_TABLE_NAMES, "chain_batches"), 0)
        return {sql_name: self.con.execute(query).fetchall()[0][0] for sql_name, query in chain_count_sql()}

    def _enterprise_counts(self) -> dict[str, int]:
        if not self._has_table("ent_registry"):
            return dict.fromkeys((*ENTERPRISE_TABLE_NAMES, "enterprise_batches"), 0)
        return {name: self.con.execute(query).fetchall()[0][0] for name, query in enterprise_count_sql()}

    def _has_table(self, table: str) -> bool:
        return self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                [table]).fetchall()[0][0] > 0

    # --- plans registry ----------------------------------------------------------------------
    def _has_plans(self) -> bool:
        return self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'plans'").fetchall()[0][0] > 0

    def register_plan(self, plan_id: str, title: str | None, kind: str, source: str, text: str) -> bool:
        """Remember a plan (its text as given); written only when new or changed. True if written."""
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self.con.execute("SELECT sha256, kind, source FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
        if row and row[0] == (sha, kind, source):
            return False
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        self._run("BEGIN TRANSACTION")
        try:
            self._run("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [plan_id, title, kind, source, text, sha, now])
            self._audit_row("plan_register", actor=None, target=plan_id,
                            detail={"kind": kind, "source": source, "sha256": sha}, at=now)
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return True

    def _plan_row(self, register: tuple | None) -> tuple | None:
        """The plans row to write for `register` (id, title, kind, source, text), with its sha256; None
        when there is nothing to register or the store has it unchanged."""
        if not register:
            return None
        plan_id, title, kind, source, text = register
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self.con.execute("SELECT sha256, kind, source FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
        return None if row and row[0] == (sha, kind, source) else (plan_id, title, kind, source, text, sha)

    def plans(self) -> pd.DataFrame:
        """Registered plans (without their text), oldest first."""
        if not self._has_plans():
            return pd.DataFrame(columns=PLAN_COLUMNS)
        return self.con.execute(f"SELECT {', '.join(PLAN_COLUMNS)} FROM plans ORDER BY registered_at, plan_id").df()

    def plan_text(self, plan_id: str) -> str | None:
        if not self._has_plans():
            return None
        row = self.con.execute("SELECT yaml FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
        return row[0][0] if row else None

    def linked_plan_ids(self) -> list[str]:
        """Plan ids that links in this store name (withdrawn batches left out)."""
        return [r[0] for r in self.con.execute(
            f"SELECT DISTINCT plan_id FROM links l WHERE plan_id IS NOT NULL AND {self._active('l')} ORDER BY 1"
        ).fetchall()]

    # --- chain data (issue 12) -------------------------------------------------------------------
    def chain_batch(self, plan_id: str) -> dict | None:
        """The plan's active chain batch: its latest chain import not withdrawn ({batch_id, file,
        imported_at, rows}), or None."""
        if not self.con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_name = 'chain_enterprises'").fetchall()[0][0]:
            return None  # an older file opened read-only: no chain data yet
        rows = self.con.execute(chain_batch_sql("?", self._withdrawals), [plan_id]).fetchall()
        return dict(zip(CHAIN_BATCH_FIELDS, rows[0])) if rows else None

    def chain_frames(self, batch_id: str) -> dict[str, pd.DataFrame]:
        """The three chain tables of one batch, contract columns only, in the order imported."""
        return {t: self.con.execute(f"SELECT {', '.join(cols)} FROM {t} WHERE batch_id = ? ORDER BY rowid",
                                    [batch_id]).df().pipe(chain_frame, cols)
                for t, cols in CHAIN_TABLES.items()}

    def commit_chain(self, plan_id: str, frames: dict[str, pd.DataFrame], *, file: str | None, sha256: str | None,
                     note: str | None = None, actor: str | None = None, role: str | None = None,
                     ip: str | None = None, register: tuple | None = None) -> str:
        """Write one chain import (the three frames of CHAIN_TABLES) as a new batch with its audit row
        ("import"), in one transaction; returns the batch id. Bulk: each frame in one statement.
        `register`: (plan_id, title, kind, source, text) of the plan, registered in the same transaction."""
        batch_id, now, rows = new_batch_id(), _utcnow(), chain_rows(frames)
        plan_row = self._plan_row(register)
        self._run("BEGIN TRANSACTION")
        try:
            self._write_plan_row(plan_row, now)
            self._run("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [batch_id, CHAIN_KIND, chain_file_names(file), sha256, rows, now, note])
            self._audit_row("import", actor=actor, role=role, target=batch_id, rows=rows,
                            detail=chain_detail(plan_id, frames, file, sha256), ip=ip, at=now)
            for table, cols in CHAIN_TABLES.items():
                frame = stored_chain_frame(frames[table], cols, batch_id, plan_id)
                if len(frame):
                    self.con.register("new_chain_rows", frame)
                    names = ", ".join([*cols, "batch_id", "plan_id"])
                    self._run(f"INSERT INTO {table} ({names}) SELECT {names} FROM new_chain_rows")
                    self.con.unregister("new_chain_rows")
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return batch_id

    def _write_plan_row(self, plan_row: tuple | None, now: datetime) -> None:
        """Register a plan (a `_plan_row`) in the caller's transaction, with its audit row."""
        if plan_row:
            self._run("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)", [*plan_row, now])
            self._audit_row("plan_register", actor=None, target=plan_row[0],
                            detail={"kind": plan_row[2], "source": plan_row[3], "sha256": plan_row[5]}, at=now)

    # --- enterprise data (issue 13) --------------------------------------------------------------
    def enterprise_frames(self, plan_id: str) -> tuple[dict[str, pd.DataFrame], dict]:
        """The plan's active enterprise data: {frame: contract frame} for the six frames (empty when
        none is active), and info {batch_ids, files, imported_at, as_of, active}. Active: for registry,
        tags and parks the frame of the latest enterprise batch not withdrawn that has rows of it; for
        annual, srdi and green, per year, that year's rows of the latest such batch that has the year."""
        if not self._has_table("ent_registry"):  # an older file opened read-only: no enterprise data yet
            return empty_enterprise_frames(), enterprise_info(empty_picks())
        picks = picks_frame(self.con.execute(enterprise_picks_sql("?", self._withdrawals),
                                             [plan_id] * len(ENTERPRISE_TABLES)).fetchall())
        frames = {}
        for frame in ENTERPRISE_FRAMES:
            query = enterprise_rows_sql(frame, picks, "?", "rowid")
            frames[frame] = (enterprise_frame(frame, self.con.execute(query[0], [plan_id, *query[1]]).df())
                             if query else empty_enterprise_frame(frame))
        return frames, enterprise_info(picks)

    def commit_enterprises(self, plan_id: str, frames: dict[str, pd.DataFrame], *, file: str | None,
                           sha256: str | None, note: str | None = None, actor: str | None = None,
                           role: str | None = None, ip: str | None = None, register: tuple | None = None) -> str:
        """Write one enterprise import (any of the six contract frames, by name) as a new batch of kind
        "enterprise" with its audit row ("import"), in one transaction; returns the batch id. Bulk: each
        frame in one statement. `register` as for commit_chain."""
        check_enterprise_frames(frames)
        batch_id, now, rows = new_batch_id(), _utcnow(), enterprise_rows(frames)
        plan_row = self._plan_row(register)
        self._run("BEGIN TRANSACTION")
        try:
            self._write_plan_row(plan_row, now)
            self._run("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [batch_id, ENTERPRISE_KIND, chain_file_names(file), sha256, rows, now, note])
            self._audit_row("import", actor=actor, role=role, target=batch_id, rows=rows,
                            detail=enterprise_detail(plan_id, frames, file, sha256), ip=ip, at=now)
            for name, frame in frames.items():
                stored = stored_enterprise_frame(name, frame, batch_id, plan_id)
                if len(stored):
                    self.con.register("new_enterprise_rows", stored)
                    names = ", ".join(f'"{c}"' for c in stored.columns)
                    self._run(f"INSERT INTO {ENTERPRISE_TABLES[name]} ({names}) SELECT {names} FROM new_enterprise_rows")
                    self.con.unregister("new_enterprise_rows")
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return batch_id


# --- shared by both backends ---------------------------------------------------------------------
def _actor(by: str | None) -> str:
    """The audit actor of a withdrawal recorded `by` the system user (the CLI) or an account."""
    if not by:
        return default_actor()
    try:
        me = system_user()
    except Exception:  # noqa: BLE001
        me = None
    return default_actor() if by == me else by


def _rows(info: dict) -> int | None:
    rows = info.get("rows")
    return None if rows is None or pd.isna(rows) else int(rows)


def import_detail(batch: Batch) -> dict:
    return {"kind": batch.kind, "file": batch.file, "sha256": batch.sha256, "links": len(batch.links)}


def new_observations(batch: Batch, batch_id: str, start: int) -> pd.DataFrame:
    """The batch's observations as stored: ids from start + 1, the batch id, defaults filled."""
    obs = batch.observations.reindex(columns=OBSERVATION_COLUMNS).copy()
    obs["obs_id"] = range(start + 1, start + 1 + len(obs))
    obs["batch_id"] = batch_id
    obs["synthetic"] = obs["synthetic"].astype("boolean").fillna(False).astype(bool)
    obs["basis"] = obs["basis"].astype(object).where(obs["basis"].notna(), "level")
    obs["basis_from"] = obs["basis_from"].astype(object)
    return obs


def _audit_query(actor, action, since, limit, mark: str) -> tuple[str, list]:
    """SELECT of the audit log, newest first; `mark` is the driver's placeholder (? or %s)."""
    columns = ", ".join(f'"{c}"' for c in AUDIT_COLUMNS)
    sql = f"SELECT {columns} FROM audit WHERE TRUE"
    params: list = []
    for column, value in (("actor", actor), ("action", action)):
        if value is not None:
            sql += f" AND {column} = {mark}"
            params.append(value)
    if since is not None:
        sql += f' AND "at" >= {mark}'
        params.append(since if isinstance(since, datetime) else datetime(since.year, since.month, since.day))
    sql += ' ORDER BY "at" DESC, audit_id DESC'
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params


# --- chain data, shared by both backends ------------------------------------------------------------
CHAIN_BATCH_FIELDS = ("batch_id", "file", "imported_at", "rows")


def chain_batch_sql(mark: str, withdrawals: bool = True) -> str:
    """The active chain batch of a plan (`mark`: the driver's placeholder): the latest chain import
    whose enterprises belong to the plan, not withdrawn."""
    active = "AND b.batch_id NOT IN (SELECT batch_id FROM withdrawals)" if withdrawals else ""
    return (f"SELECT b.batch_id, b.file, b.imported_at, b.rows FROM batches b WHERE b.kind = '{CHAIN_KIND}' {active} "
            f"AND EXISTS (SELECT 1 FROM chain_enterprises e WHERE e.batch_id = b.batch_id AND e.plan_id = {mark}) "
            "ORDER BY b.imported_at DESC, b.batch_id DESC LIMIT 1")


def new_batch_id() -> str:
    return "b_" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def chain_count_sql() -> list[tuple[str, str]]:
    """(name, SELECT count) of each chain table and of the chain batches, for Store.counts."""
    return [*((t, f"SELECT count(*) FROM {t}") for t in CHAIN_TABLE_NAMES),
            ("chain_batches", f"SELECT count(*) FROM batches WHERE kind = '{CHAIN_KIND}'")]


def chain_rows(frames: dict[str, pd.DataFrame]) -> int:
    return sum(len(frames[t]) for t in CHAIN_TABLES)


CHAIN_FILE_SEPARATOR = " | "  # between the files of one chain import (api.CHAIN_FILE_SEPARATOR)


def chain_file_names(file: str | None) -> str | None:
    """A chain batch's `file` as stored in batches: every file's name without its folder (a three-CSV
    import names all three, and a listing that shows Path(file).name still shows them all); the full
    paths stay in the audit row's detail."""
    if file is None:
        return None
    return CHAIN_FILE_SEPARATOR.join(Path(f).name for f in str(file).split(CHAIN_FILE_SEPARATOR) if f)


def chain_detail(plan_id: str, frames: dict[str, pd.DataFrame], file, sha256) -> dict:
    return {"kind": CHAIN_KIND, "plan_id": plan_id, "file": file, "sha256": sha256,
            **{t.removeprefix("chain_"): len(frames[t]) for t in CHAIN_TABLES}}


def stored_chain_frame(frame: pd.DataFrame, cols: list[str], batch_id: str, plan_id: str) -> pd.DataFrame:
    """A contract frame as stored: its columns, then batch_id and plan_id; blank text is NULL."""
    out = frame.reindex(columns=cols).copy()
    for c in cols:
        if c in TEXT_COLUMNS:
            out[c] = out[c].astype(object).where(out[c].notna() & (out[c].astype(str) != ""), None)
        else:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    out["batch_id"], out["plan_id"] = batch_id, plan_id
    return out


def chain_frame(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """A stored chain table read back as the contract frame (as the reader gives it)."""
    return contract_frame(frame, cols)


# --- enterprise data, shared by both backends ---------------------------------------------------------
PICK_FIELDS = ("frame", "year", "batch_id", "imported_at", "file")


def enterprise_count_sql() -> list[tuple[str, str]]:
    """(name, SELECT count) of each enterprise table and of the enterprise batches, for Store.counts."""
    return [*((t, f"SELECT count(*) FROM {t}") for t in ENTERPRISE_TABLE_NAMES),
            ("enterprise_batches", f"SELECT count(*) FROM batches WHERE kind = '{ENTERPRISE_KIND}'")]


def enterprise_picks_sql(mark: str, withdrawals: bool = True) -> str:
    """The active batch of each (frame, year) of a plan (year NULL for the whole frames): one row per
    pick with PICK_FIELDS. Takes the plan id once per enterprise table (`mark`: the driver's placeholder)."""
    active = "AND b.batch_id NOT IN (SELECT batch_id FROM withdrawals)" if withdrawals else ""
    keys = " UNION ALL ".join(
        f"SELECT DISTINCT CAST('{frame}' AS VARCHAR) AS frame, "
        f"{'year' if frame in ENTERPRISE_YEARLY else 'CAST(NULL AS INTEGER)'} AS year, batch_id "
        f"FROM {table} WHERE plan_id = {mark}" for frame, table in ENTERPRISE_TABLES.items())
    return ("SELECT frame, year, batch_id, imported_at, file FROM ("
            "SELECT k.frame, k.year, b.batch_id, b.imported_at, b.file, row_number() OVER ("
            "PARTITION BY k.frame, k.year ORDER BY b.imported_at DESC, b.batch_id DESC) AS pick "
            f"FROM ({keys}) k JOIN batches b ON b.batch_id = k.batch_id WHERE b.kind = '{ENTERPRISE_KIND}' {active}"
            ") x WHERE pick = 1 ORDER BY frame, year")


def picks_frame(rows) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(PICK_FIELDS), dtype=object)
    out["imported_at"] = pd.to_datetime(out["imported_at"])
    return out


def empty_picks() -> pd.DataFrame:
    return picks_frame([])


def enterprise_rows_sql(frame: str, picks: pd.DataFrame, mark: str, order: str) -> tuple[str, list] | None:
    """(SELECT of the frame's active rows, its parameters after the plan id) or None when nothing is
    active. `order`: the physical row order (rowid in DuckDB, ctid in PostgreSQL), the order imported."""
    mine = picks[picks["frame"] == frame]
    if mine.empty:
        return None
    cols = ", ".join(f'"{c}"' for c in ENTERPRISE_FRAMES[frame])
    sql = f"SELECT {cols} FROM {ENTERPRISE_TABLES[frame]} WHERE plan_id = {mark} AND "
    if frame not in ENTERPRISE_YEARLY:
        return sql + f"batch_id = {mark} ORDER BY {order}", [mine["batch_id"].iloc[0]]
    terms, params = [], []
    for batch_id, years in mine.groupby("batch_id", sort=True)["year"]:
        terms.append(f"(batch_id = {mark} AND year IN ({', '.join([mark] * len(years))}))")
        params += [batch_id, *(int(y) for y in years)]
    return sql + f"({' OR '.join(terms)}) ORDER BY year, {order}", params


def enterprise_info(picks: pd.DataFrame) -> dict:
    """What the active enterprise data came from: batch_ids and their files (oldest import first),
    imported_at (the latest import's UTC time), as_of (that import's date in the display time zone),
    active ({frame: batch_id} for whole frames, {frame: {year: batch_id}} for the yearly ones)."""
    batches = (picks.drop_duplicates("batch_id").sort_values(["imported_at", "batch_id"])
               if len(picks) else picks)
    files: list[str] = []
    for f in batches["file"]:
        files += [name for name in str(f or "").split(CHAIN_FILE_SEPARATOR) if name and name not in files]
    active: dict = {}
    for row in picks.itertuples(index=False):
        if row.frame in ENTERPRISE_YEARLY:
            active.setdefault(row.frame, {})[int(row.year)] = row.batch_id
        else:
            active[row.frame] = row.batch_id
    latest = batches["imported_at"].iloc[-1] if len(batches) else None
    return {"batch_ids": list(batches["batch_id"]), "files": files,
            "imported_at": None if latest is None else latest.to_pydatetime(),
            "as_of": None if latest is None else display_date(latest), "active": active}


def display_date(when) -> str:
    """A stored UTC time's date in the display time zone (the day 北京时间 the batch list shows)."""
    from zhizao.settings import display_time_zone  # noqa: PLC0415 - read when used: the zone is an env setting

    t = pd.Timestamp(when)
    t = t.tz_localize("UTC") if t.tzinfo is None else t
    return t.tz_convert(display_time_zone()[0]).date().isoformat()


def empty_enterprise_frames() -> dict[str, pd.DataFrame]:
    return {frame: empty_enterprise_frame(frame) for frame in ENTERPRISE_FRAMES}


def check_enterprise_frames(frames: dict[str, pd.DataFrame]) -> None:
    """A programming error, not a user's: frames named other than the contract's, or missing columns."""
    unknown = set(frames) - set(ENTERPRISE_FRAMES)
    if unknown:
        raise ValueError(f"not enterprise frames: {sorted(unknown)}")
    for name, frame in frames.items():
        missing = [c for c in ENTERPRISE_FRAMES[name] if c not in frame.columns]
        if missing:
            raise ValueError(f"enterprise frame {name} lacks {missing}")


def enterprise_rows(frames: dict[str, pd.DataFrame]) -> int:
    return sum(len(f) for f in frames.values())


def enterprise_detail(plan_id: str, frames: dict[str, pd.DataFrame], file, sha256) -> dict:
    return {"kind": ENTERPRISE_KIND, "plan_id": plan_id, "file": file, "sha256": sha256,
            **{name: len(f) for name, f in frames.items()}}


def _kinds(frame: str) -> dict[str, str]:
    """Column → "text" | "int" | "float" as the contract's empty frame types them."""
    return {c: "text" if d == object else "int" if str(d) == "Int64" else "float"
            for c, d in empty_enterprise_frame(frame).dtypes.items()}


def stored_enterprise_frame(frame: str, data: pd.DataFrame, batch_id: str, plan_id: str) -> pd.DataFrame:
    """A contract frame as stored: its columns, then batch_id and plan_id; blank text is NULL."""
    out = {}
    for c, kind in _kinds(frame).items():
        values = data[c].reset_index(drop=True)
        if kind == "text":
            out[c] = pd.Series([_text(v) or None for v in values.tolist()], dtype=object)
        else:
            number = _numbers(values)
            out[c] = number.round().astype("Int64") if kind == "int" else number.astype("float64")
    out = pd.DataFrame(out)
    out["batch_id"], out["plan_id"] = batch_id, plan_id
    return out


def enterprise_frame(frame: str, data: pd.DataFrame) -> pd.DataFrame:
    """Stored rows read back (from either backend) as the contract frame: text "" when none, year Int64,
    numbers float64 (NaN when unknown) — the frame the reader gave."""
    out = {}
    for c, kind in _kinds(frame).items():
        values = (data[c] if c in data.columns else pd.Series([None] * len(data), dtype=object)).reset_index(drop=True)
        if kind == "text":
            out[c] = pd.Series([_text(v) for v in values.tolist()], dtype=object)
        else:
            number = _numbers(values)
            out[c] = number.astype("Int64") if kind == "int" else number.astype("float64")
    return pd.DataFrame(out, columns=list(ENTERPRISE_FRAMES[frame]))


def _numbers(values: pd.Series) -> pd.Series:
    """A column as numbers (NaN when not one); a numeric column as it is (a million rows: no Python loop)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64") if values.dtype.kind == "f" else values
    return pd.to_numeric(values.astype(object), errors="coerce")


def _text(v) -> str:
    """A text cell as the contract has it: "" for missing (None, NaN, NA)."""
    if isinstance(v, str):
        return v
    if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
        return ""
    return str(v)
