"""The PostgreSQL backend of `Store` (docs/storage.md).

PostgreSQL is the store of record; reads keep the DuckDB SQL of `Store`. A store reads the
statistics tables once (one REPEATABLE READ transaction, so they agree with each other) into an
in-memory DuckDB database made with the DuckDB SCHEMA, and `Store`'s read methods run on it
unchanged. That snapshot is shared by the process per (URL, store_meta.generation): opening a store
when nothing changed costs one `SELECT generation`. Each Store reads through its own cursor of the
snapshot, so threads never share one.

Connections: a closed store's connection is kept by the process (up to MAX_IDLE per database, for the
MAX_IDLE_URLS databases used last) and handed to the next store, so a page costs no connect. Only a
connection that is open, not broken and outside a transaction is kept. A kept connection that the
server closed meanwhile (a restart) fails the open's first statement: it and every other kept
connection of that database are closed and a new connection is made (CONNECT_TIMEOUT: no hang).

Writes (commit, withdraw, register_plan) go to PostgreSQL in one transaction that also writes
their audit row and bumps store_meta.generation; `SELECT … FOR UPDATE` on store_meta serialises
writers of every process, so obs_id allocation is safe. The snapshot is then read again.
The audit log is read from PostgreSQL directly: recording a login does not bump the generation.
"""
from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from zhizao.store import postgres
from zhizao.store.delivery import PgDeliveryStoreMixin
from zhizao.store.store import (AUDIT_COLUMNS, BACKENDS, CHAIN_BATCH_FIELDS, CHAIN_KIND, CHAIN_TABLE_NAMES, CHAIN_TABLES,
                                ENTERPRISE_FRAMES, ENTERPRISE_KIND, ENTERPRISE_TABLE_NAMES, ENTERPRISE_TABLES,
                                LINK_COLUMNS, OBSERVATION_COLUMNS, SCHEMA, SERIES_COLUMNS, SOURCE_COLUMNS,
                                STATISTICS_TABLES, Batch, Store, UnknownBatch, _actor, _audit_query, _kinds, _rows, _utcnow,
                                audit_detail, chain_batch_sql, chain_count_sql, chain_detail, chain_file_names, chain_frame, chain_rows,
                                check_enterprise_frames, default_actor, default_db, empty_enterprise_frame,
                                empty_enterprise_frames, empty_picks, enterprise_count_sql, enterprise_detail,
                                enterprise_frame, enterprise_info, enterprise_picks_sql, enterprise_rows,
                                enterprise_rows_sql, import_detail, new_batch_id, new_observations, picks_frame,
                                stored_chain_frame, stored_enterprise_frame)

FLOAT_COLUMNS = {"observations": ("value",), "links": ("scale",), "chain_enterprises": ("output",),
                 "chain_members": ("capacity",), "chain_supply": ("share",),
                 **{ENTERPRISE_TABLES[f]: tuple(c for c, k in _kinds(f).items() if k == "float")
                    for f in ENTERPRISE_FRAMES}}
COPY_CHUNK = 200_000  # rows per CSV block sent to COPY: bounded memory for a million supply rows

_lock = threading.Lock()
_snapshots: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}  # URL → (generation, in-memory DuckDB)
_building: dict[str, threading.Lock] = {}  # one snapshot read per URL at a time
_at_head: set[str] = set()  # URLs whose schema this process has found (or brought) at head


def _py(v):
    """A cell as psycopg takes it: None for missing values, Python scalars for numpy ones."""
    if v is None:
        return None
    if isinstance(v, float):
        return v  # NaN and inf are values here (a stored non-finite value stays what it was)
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _records(df: pd.DataFrame, columns: list[str], keep_nan: tuple[str, ...] = ()):
    """Rows of `df[columns]` for COPY; NaN means NULL except in `keep_nan` columns."""
    data = df.reindex(columns=columns)
    cols = []
    for c in columns:
        values = data[c].tolist()
        if c in keep_nan:
            cols.append([None if v is None else float(v) for v in values])
        else:
            cols.append([None if isinstance(v, float) and v != v else _py(v) for v in values])
    return list(zip(*cols)) if cols else []


def copy_rows(cur, table: str, columns: list[str], rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def copy_frame(cur, table: str, frame: pd.DataFrame) -> None:
    """Bulk-load a data frame (its columns are the table's) with COPY … FORMAT csv: a million rows in
    seconds, where a row at a time takes minutes. NaN and None are NULL (no text cell is empty)."""
    with cur.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)") as cp:
        for start in range(0, len(frame), COPY_CHUNK):
            part = frame.iloc[start:start + COPY_CHUNK]
            cp.write(part.to_csv(index=False, header=False, float_format="%.17g", lineterminator="\n")
                     .encode("utf-8"))


def read_frame(pg, query, columns: list[str]) -> pd.DataFrame:
    """A query's rows (a psycopg.sql.Composable) as a data frame through COPY … TO STDOUT (CSV): fast
    for a million rows. Every column comes as text for the caller to convert; NULL is NaN (no stored
    text cell is empty)."""
    from psycopg import sql  # here: the driver is loaded only when a PostgreSQL store is used

    buf = io.BytesIO()
    with pg.cursor() as cur:
        with cur.copy(sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(query)) as cp:
            for block in cp:
                buf.write(block)
    if not buf.getbuffer().nbytes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    buf.seek(0)
    return pd.read_csv(buf, header=None, names=columns, dtype=str, keep_default_na=False, na_values=[""])


def copy_arrow(cur, table: str, frame: pd.DataFrame) -> None:
    """As copy_frame, with the CSV written by Arrow (C++: ten times pandas' to_csv for a million rows of
    numbers; floats in their shortest exact form). Text is always quoted, NaN/None/NA unquoted empty
    (NULL), so no stored text is empty."""
    import pyarrow as pa  # here: only a PostgreSQL import writes CSV
    import pyarrow.csv as pa_csv  # with pyarrow, as above

    options = pa_csv.WriteOptions(include_header=False)
    with cur.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)") as cp:
        for start in range(0, len(frame), COPY_CHUNK):
            buf = io.BytesIO()
            pa_csv.write_csv(pa.Table.from_pandas(frame.iloc[start:start + COPY_CHUNK], preserve_index=False), buf, options)
            cp.write(buf.getvalue())


def read_query_frame(pg, query: str, params: list, columns: list[str], dtypes: dict | None = None) -> pd.DataFrame:
    """As read_frame, for a query in plain SQL with %s parameters (bound by the driver); `dtypes`
    types columns as they are parsed (floats exactly: pandas 3 parses them round-trip)."""
    buf = io.BytesIO()
    with pg.cursor() as cur:
        with cur.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", params) as cp:
            for block in cp:
                buf.write(block)
    if not buf.getbuffer().nbytes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    buf.seek(0)
    return pd.read_csv(buf, header=None, names=columns, dtype=dtypes or object, keep_default_na=False,
                       na_values=[""])


def _read_tables(pg, tables, into: duckdb.DuckDBPyConnection) -> None:
    """SELECT * of each table into the DuckDB table of the same name (columns by name)."""
    for table in tables:
        floats = FLOAT_COLUMNS.get(table, ())
        cur = pg.execute(f"SELECT * FROM {table}")
        cols = [d.name for d in cur.description]
        rows = cur.fetchall()
        if not rows:
            continue
        frame = pd.DataFrame(rows, columns=cols, dtype=object)
        for c in floats:  # as text: DuckDB would read a NaN of a data frame as NULL
            frame[c] = [None if v is None else repr(float(v)) if v == v else "nan" for v in frame[c]]
        names = ", ".join(f'"{c}"' for c in cols)
        select = ", ".join(f'CAST("{c}" AS DOUBLE)' if c in floats else f'"{c}"' for c in cols)
        into.register("_incoming", frame)
        into.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM _incoming").fetchall()
        into.unregister("_incoming")


def _snapshot(url: str, pg, generation: int) -> duckdb.DuckDBPyConnection:
    """The process's in-memory copy of the statistics at `generation` (or newer), read if needed."""
    with _lock:
        hit = _snapshots.get(url)
        if hit is not None and hit[0] >= generation:
            return hit[1]
        build = _building.setdefault(url, threading.Lock())
    with build:
        with _lock:  # another thread may have read it while we waited
            hit = _snapshots.get(url)
            if hit is not None and hit[0] >= generation:
                return hit[1]
        con = duckdb.connect(":memory:")
        con.execute(SCHEMA).fetchall()
        with pg.transaction():
            pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            row = pg.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
            _read_tables(pg, STATISTICS_TABLES, con)
        read = row[0] if row else 0
        with _lock:
            hit = _snapshots.get(url)
            if hit is None or hit[0] < read:
                _snapshots[url] = (read, con)
            return _snapshots[url][1]


_watchers: dict[str, object] = {}  # URL → a connection kept for current_generation
_idle: OrderedDict[str, list] = OrderedDict()  # URL → connections of closed stores (newest last), LRU first
MAX_IDLE = 8  # per URL: more than the dashboard's concurrent cache misses, far below max_connections
MAX_IDLE_URLS = 4  # databases whose connections are kept (a test run opens hundreds of scratch ones)


def _reusable(con) -> bool:
    """A connection that can serve the next store: open, not broken, autocommit, outside a transaction."""
    from psycopg.pq import TransactionStatus  # here: the driver is loaded only when a PostgreSQL store is used

    return (not con.closed and not con.broken and con.autocommit
            and con.info.transaction_status == TransactionStatus.IDLE)


def _checkout(url: str):
    """(a connection of an earlier store, True) if one is kept, else (a new connection, False)."""
    with _lock:
        idle = _idle.get(url)
        con = idle.pop() if idle else None
    if con is not None:
        return con, True
    return postgres.connect(url, autocommit=True), False  # transactions are explicit


def _checkin(url: str, con) -> None:
    """Keep a closed store's connection for the next open (at most MAX_IDLE per URL), else close it."""
    evicted = []
    if _reusable(con):
        with _lock:
            idle = _idle.setdefault(url, [])
            _idle.move_to_end(url)
            if len(idle) < MAX_IDLE:
                idle.append(con)
                con = None
            while len(_idle) > MAX_IDLE_URLS:
                evicted += _idle.popitem(last=False)[1]
    for c in ([con] if con is not None else []) + evicted:
        c.close()


def _discard_idle(url: str) -> None:
    """Close every kept connection of `url` (one was found broken: the server restarted)."""
    with _lock:
        idle = _idle.pop(url, [])
    for con in idle:
        con.close()


class _SharedQuery:
    """One query answers every caller that asked before it started (a single flight that never serves
    an answer older than the question): under load the concurrent requests of a page server share one
    round trip, and a caller still sees every write committed before it asked."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._asked = 0  # callers so far, in the order they asked
        self._running = False
        self._answer: tuple | None = None  # (asked when the last query started, value, exception)

    def run(self, query):
        with self._cond:
            self._asked += 1
            me = self._asked
            while True:
                if self._answer is not None and self._answer[0] >= me:  # started after I asked: mine too
                    _, value, error = self._answer
                    if error is not None:  # the same error for every caller (the server is away)
                        raise error
                    return value
                if not self._running:
                    self._running, started = True, self._asked
                    break
                self._cond.wait()
        value = error = None
        try:
            value = query()
        except Exception as e:  # noqa: BLE001 - given to every caller that waited for this query
            error = e
        with self._cond:
            self._running = False
            self._answer = (started, value, error)
            self._cond.notify_all()
        if error is not None:
            raise error
        return value


_generation_queries: dict[str, _SharedQuery] = {}  # URL → its shared `SELECT generation`


def current_generation(url: str) -> int:
    """store_meta.generation of the database at `url`, over one connection kept per process
    (reconnecting once after the server restarted); StoreUnavailable when it cannot be reached.
    Concurrent callers share one query, but never one that started before they asked."""
    with _lock:
        shared = _generation_queries.setdefault(url, _SharedQuery())
    return shared.run(lambda: _query_generation(url))


def _query_generation(url: str) -> int:
    import psycopg  # here: the driver is loaded only when a PostgreSQL store is used

    for attempt in (1, 2):
        with _lock:
            con = _watchers.get(url)
        if con is None or con.closed:
            con = postgres.connect(url, autocommit=True)
            with _lock:
                _watchers[url] = con
        try:
            with con.cursor() as cur:  # psycopg serialises the connection's users
                row = cur.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
            return row[0] if row else 0
        except psycopg.errors.UndefinedTable:
            return 0  # not set up yet
        except psycopg.OperationalError as e:
            con.close()
            if attempt == 2:
                raise postgres.StoreUnavailable(url, str(e)) from None
    raise AssertionError("unreachable")


def forget_snapshots() -> None:
    """Drop every cached snapshot and kept connection (tests; a restore replaced a database under
    this process)."""
    with _lock:
        _snapshots.clear()
        _at_head.clear()
        idle = [con for cons in _idle.values() for con in cons]
        _idle.clear()
    for con in idle:
        con.close()


def has_schema(pg) -> bool:
    return pg.execute("SELECT to_regclass('store_meta') IS NOT NULL").fetchone()[0]


class PgStore(PgDeliveryStoreMixin, Store):
    """A store in a PostgreSQL database; `path` is its URL (see the module's docstring)."""

    backend = "postgresql"
    # the delivery mixin's COPY helpers (zhizao/store/delivery.py cannot import this module)
    _copy_arrow, _read_query_frame = staticmethod(copy_arrow), staticmethod(read_query_frame)

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 lock_timeout: float | None = None):
        self.path = self.url = str(path if path is not None else default_db())
        self.read_only = read_only
        self._has_basis = self._withdrawals = True
        # A connection of an earlier store when one is kept (a page costs no connect); one that the
        # server closed meanwhile (a restart) fails its first statement: it and every other kept
        # connection are dropped and a new connection is made, so a broken one is never used.
        self._pg, reused = _checkout(self.url)
        try:
            try:
                self._open_on_connection()
            except Exception as e:
                import psycopg  # here: the driver is loaded only when a PostgreSQL store is used

                if not (reused and isinstance(e, psycopg.OperationalError)):
                    raise
                self._pg.close()
                _discard_idle(self.url)
                self._pg = postgres.connect(self.url, autocommit=True)
                self._open_on_connection()
        except Exception:
            self._pg.close()
            raise

    def _open_on_connection(self) -> None:
        self.con = None
        if not self.read_only:
            self._ensure_schema()
        self._refresh()

    def _ensure_schema(self) -> None:
        """Migrate to head when the database is behind (cheap check first, once per process)."""
        if self.url in _at_head:
            return
        rev = None
        if self._pg.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]:
            row = self._pg.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
        if rev != postgres.latest_revision():
            postgres.upgrade(self.url)
        _at_head.add(self.url)

    def _refresh(self) -> None:
        """Point this store's cursor at the snapshot of the current generation."""
        old = self.con
        self._schema = self.url in _at_head or has_schema(self._pg)
        if self._schema:
            generation = self._pg.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
            self.con = _snapshot(self.url, self._pg, generation).cursor()
        else:  # a database without the schema, opened read-only: an empty store
            self.con = duckdb.connect(":memory:")
            self.con.execute(SCHEMA).fetchall()
        if old is not None:
            old.close()

    def has_schema(self) -> bool:
        """False for a database that zhizao has not set up yet (no store there)."""
        return self._schema

    @property
    def generation(self) -> int:
        """store_meta.generation now (a round trip): changes with every committed data write."""
        value = self._pg.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
        return value

    def close(self) -> None:
        """Close the snapshot's cursor; the PostgreSQL connection is kept for the next store when it
        is reusable (docs/storage.md §connections), else closed."""
        pg, self._pg = self._pg, None
        if pg is None:  # closed already
            return
        try:
            if self.con is not None:
                self.con.close()
        finally:
            _checkin(self.url, pg)

    # --- writing: PostgreSQL in one transaction, then a fresh snapshot ------------------------
    def _write(self, work) -> object:
        """Run `work(cursor)` in one transaction that serialises with every other writer and bumps
        the generation; refresh the snapshot after."""
        if self.read_only:
            raise RuntimeError("store opened read-only")
        with self._pg.transaction():
            with self._pg.cursor() as cur:
                cur.execute("SELECT generation FROM store_meta WHERE id = 1 FOR UPDATE")
                result = work(cur)
                cur.execute("UPDATE store_meta SET generation = generation + 1 WHERE id = 1")
        self._refresh()
        return result

    def _insert_audit(self, cur, action: str, *, actor: str | None, role=None, target=None, rows=None,
                      detail: dict | None = None, ip=None, at: datetime | None = None) -> None:
        cur.execute(
            "INSERT INTO audit (\"at\", actor, role, action, target, rows, detail, ip) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [at or datetime.now(timezone.utc).replace(tzinfo=None), actor or default_actor(), role, action,
             target, rows, audit_detail(detail), ip])

    def commit(self, batch: Batch, actor: str | None = None, role: str | None = None) -> str:
        batch_id = "b_" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute("INSERT INTO batches VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [batch_id, batch.kind, batch.file, batch.sha256, len(batch.observations), now, batch.note])
            self._insert_audit(cur, "import", actor=actor, role=role, target=batch_id,
                               rows=len(batch.observations), detail=import_detail(batch), at=now)
            if len(batch.sources):
                src = batch.sources[SOURCE_COLUMNS].drop_duplicates("source_id")
                cur.executemany(
                    f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) VALUES ({', '.join(['%s'] * 7)}) "
                    "ON CONFLICT (source_id) DO NOTHING", _records(src, SOURCE_COLUMNS))
            if len(batch.series):
                ser = batch.series.reindex(columns=SERIES_COLUMNS).drop_duplicates("series")
                cur.executemany(
                    f"INSERT INTO series ({', '.join(SERIES_COLUMNS)}) VALUES ({', '.join(['%s'] * 6)}) "
                    "ON CONFLICT (series) DO NOTHING", _records(ser, SERIES_COLUMNS))
            if len(batch.links):
                lk = batch.links.reindex(columns=LINK_COLUMNS).assign(batch_id=batch_id)
                copy_rows(cur, "links", LINK_COLUMNS, _records(lk, LINK_COLUMNS))
            if len(batch.observations):
                start = cur.execute("SELECT coalesce(max(obs_id), 0) FROM observations").fetchone()[0]
                obs = new_observations(batch, batch_id, start)
                copy_rows(cur, "observations", OBSERVATION_COLUMNS,
                          _records(obs, OBSERVATION_COLUMNS, keep_nan=("value",)))
            return batch_id

        return self._write(work)

    def withdraw(self, batch_id: str, reason: str | None = None, by: str | None = None,
                 role: str | None = None, ip: str | None = None) -> dict:
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            row = cur.execute("SELECT b.rows, b.file, w.batch_id FROM batches b LEFT JOIN withdrawals w "
                              "USING (batch_id) WHERE b.batch_id = %s", [batch_id]).fetchone()
            if row is None:
                raise UnknownBatch(batch_id)
            if row[2] is not None:
                return False
            cur.execute("INSERT INTO withdrawals VALUES (%s, %s, %s, %s)", [batch_id, now, by, reason])
            self._insert_audit(cur, "withdraw", actor=_actor(by), role=role, target=batch_id,
                               rows=_rows({"rows": row[0]}), detail={"reason": reason, "file": row[1]}, ip=ip, at=now)
            return True

        self._write(work)
        return self.batch(batch_id)

    def register_plan(self, plan_id: str, title: str | None, kind: str, source: str, text: str) -> bool:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self.con.execute("SELECT sha256, kind, source FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
        if row and row[0] == (sha, kind, source):
            return False
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute(
                "INSERT INTO plans VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (plan_id) DO UPDATE SET "
                "title = EXCLUDED.title, kind = EXCLUDED.kind, source = EXCLUDED.source, yaml = EXCLUDED.yaml, "
                "sha256 = EXCLUDED.sha256, registered_at = EXCLUDED.registered_at",
                [plan_id, title, kind, source, text, sha, now])
            self._insert_audit(cur, "plan_register", actor=None, target=plan_id,
                               detail={"kind": kind, "source": source, "sha256": sha}, at=now)

        self._write(work)
        return True

    # --- chain data: read from PostgreSQL itself (kept out of the statistics snapshot) ----------
    def chain_batch(self, plan_id: str) -> dict | None:
        if not self._schema:
            return None
        with self._pg.transaction():
            row = self._pg.execute(chain_batch_sql("%s"), [plan_id]).fetchone()
        return dict(zip(CHAIN_BATCH_FIELDS, row)) if row else None

    def _chain_counts(self) -> dict[str, int]:
        # from PostgreSQL itself: the chain tables are not in the snapshot; an older schema has none yet
        if not self._schema or self._pg.execute("SELECT to_regclass('chain_enterprises') IS NULL").fetchone()[0]:
            return dict.fromkeys((*CHAIN_TABLE_NAMES, "chain_batches"), 0)
        with self._pg.transaction():  # one view of the four counts
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return {name: self._pg.execute(query).fetchone()[0] for name, query in chain_count_sql()}

    def chain_frames(self, batch_id: str) -> dict[str, pd.DataFrame]:
        from psycopg import sql  # here: the driver is loaded only when a PostgreSQL store is used

        out = {}
        with self._pg.transaction():  # one view of the three tables
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for table, cols in CHAIN_TABLES.items():
                # ctid: the physical order, which is the order written (the tables are only appended to)
                query = sql.SQL("SELECT {} FROM {} WHERE batch_id = {} ORDER BY ctid").format(
                    sql.SQL(", ").join(map(sql.Identifier, cols)), sql.Identifier(table), sql.Literal(batch_id))
                out[table] = chain_frame(read_frame(self._pg, query, cols), cols)
        return out

    def commit_chain(self, plan_id: str, frames: dict[str, pd.DataFrame], *, file: str | None, sha256: str | None,
                     note: str | None = None, actor: str | None = None, role: str | None = None,
                     ip: str | None = None, register: tuple | None = None) -> str:
        batch_id, now, rows = new_batch_id(), _utcnow(), chain_rows(frames)
        plan_row = self._plan_row(register)

        def work(cur):
            self._insert_plan_row(cur, plan_row, now)
            cur.execute("INSERT INTO batches VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [batch_id, CHAIN_KIND, chain_file_names(file), sha256, rows, now, note])
            self._insert_audit(cur, "import", actor=actor, role=role, target=batch_id, rows=rows,
                               detail=chain_detail(plan_id, frames, file, sha256), ip=ip, at=now)
            for table, cols in CHAIN_TABLES.items():
                frame = stored_chain_frame(frames[table], cols, batch_id, plan_id)
                if len(frame):
                    copy_frame(cur, table, frame)
            return batch_id

        return self._write(work)

    def _insert_plan_row(self, cur, plan_row: tuple | None, now: datetime) -> None:
        """Register a plan (a `_plan_row`) in the caller's transaction, with its audit row."""
        if plan_row:
            cur.execute(
                "INSERT INTO plans VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (plan_id) DO UPDATE SET "
                "title = EXCLUDED.title, kind = EXCLUDED.kind, source = EXCLUDED.source, yaml = EXCLUDED.yaml, "
                "sha256 = EXCLUDED.sha256, registered_at = EXCLUDED.registered_at", [*plan_row, now])
            self._insert_audit(cur, "plan_register", actor=None, target=plan_row[0],
                               detail={"kind": plan_row[2], "source": plan_row[3], "sha256": plan_row[5]}, at=now)

    # --- enterprise data: read from PostgreSQL itself, as the chain data -------------------------
    def _has_enterprise_tables(self) -> bool:
        return self._schema and self._pg.execute("SELECT to_regclass('ent_registry') IS NOT NULL").fetchone()[0]

    def _enterprise_counts(self) -> dict[str, int]:
        if not self._has_enterprise_tables():  # an older schema (0003) read without migrating
            return dict.fromkeys((*ENTERPRISE_TABLE_NAMES, "enterprise_batches"), 0)
        with self._pg.transaction():
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return {name: self._pg.execute(query).fetchone()[0] for name, query in enterprise_count_sql()}

    def enterprise_frames(self, plan_id: str) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self._has_enterprise_tables():
            return empty_enterprise_frames(), enterprise_info(empty_picks())
        frames = {}
        with self._pg.transaction():  # one view of the picks and the six tables
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            picks = picks_frame(self._pg.execute(enterprise_picks_sql("%s"),
                                                 [plan_id] * len(ENTERPRISE_TABLES)).fetchall())
            for frame, cols in ENTERPRISE_FRAMES.items():
                # ctid: the physical order, which is the order written (the tables are only appended to)
                query = enterprise_rows_sql(frame, picks, "%s", "ctid")
                dtypes = {c: {"text": object, "int": "Int64", "float": "float64"}[k] for c, k in _kinds(frame).items()}
                frames[frame] = (enterprise_frame(frame, read_query_frame(self._pg, query[0], [plan_id, *query[1]],
                                                                          list(cols), dtypes))
                                 if query else empty_enterprise_frame(frame))
        return frames, enterprise_info(picks)

    def commit_enterprises(self, plan_id: str, frames: dict[str, pd.DataFrame], *, file: str | None,
                           sha256: str | None, note: str | None = None, actor: str | None = None,
                           role: str | None = None, ip: str | None = None, register: tuple | None = None) -> str:
        check_enterprise_frames(frames)
        batch_id, now, rows = new_batch_id(), _utcnow(), enterprise_rows(frames)
        plan_row = self._plan_row(register)

        def work(cur):
            self._insert_plan_row(cur, plan_row, now)
            cur.execute("INSERT INTO batches VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [batch_id, ENTERPRISE_KIND, chain_file_names(file), sha256, rows, now, note])
            self._insert_audit(cur, "import", actor=actor, role=role, target=batch_id, rows=rows,
                               detail=enterprise_detail(plan_id, frames, file, sha256), ip=ip, at=now)
            for name, frame in frames.items():
                stored = stored_enterprise_frame(name, frame, batch_id, plan_id)
                if len(stored):
                    copy_arrow(cur, ENTERPRISE_TABLES[name], stored)
            return batch_id

        return self._write(work)

    # --- audit log: PostgreSQL itself ----------------------------------------------------------
    def _has_audit(self) -> bool:
        found = self._pg.execute("SELECT to_regclass('audit') IS NOT NULL").fetchone()[0]
        return found

    def record_audit(self, action: str, *, actor: str | None, role: str | None = None, target: str | None = None,
                     rows: int | None = None, detail: dict | None = None, ip: str | None = None) -> None:
        with self._pg.transaction(), self._pg.cursor() as cur:
            self._insert_audit(cur, action, actor=actor, role=role, target=target, rows=rows, detail=detail, ip=ip)

    def audit_log(self, *, limit: int | None = None, actor: str | None = None, action: str | None = None,
                  since: datetime | date | None = None) -> pd.DataFrame:
        if not self._has_audit():
            return pd.DataFrame(columns=AUDIT_COLUMNS)
        sql, params = _audit_query(actor, action, since, limit, "%s")
        with self._pg.transaction():
            rows = self._pg.execute(sql, params).fetchall()
        frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
        frame["at"] = pd.to_datetime(frame["at"])
        return frame


BACKENDS["postgresql"] = PgStore
