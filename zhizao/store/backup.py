"""Backup and restore of a store, whichever its backend (docs/storage.md §Backup).

The archive is a zip of one Parquet file per table (statistics, chain, enterprise and delivery data, audit,
accounts) and a manifest.json (format, zhizao version, schema revision, and each table's row count
and SHA-256). It does not depend on the backend: a
DuckDB backup restores into PostgreSQL and back, which is also how a deployment moves from the
embedded store to a server. A restore checks the manifest and every checksum before it writes
anything, goes into an empty store (or replaces a store's data with `force`), in one transaction.
The audit log is never replaced: the archive's rows are added to the target's, then "restore".
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from zhizao import __version__
from zhizao.errors import UserError
from zhizao.store import postgres
from zhizao.store.delivery import DELIVERY_TABLE_NAMES
from zhizao.store.pg_store import _read_tables, copy_rows
from zhizao.store.store import (CHAIN_TABLE_NAMES, ENTERPRISE_TABLE_NAMES, NO_EXTENSIONS, STATISTICS_TABLES, Store, as_db,
                                default_actor)

FORMAT = "zhizao-backup"
FORMAT_VERSION = 1
ACCOUNT_TABLES = ("users", "sessions", "api_tokens")  # PostgreSQL only; users first (foreign keys)
DATA_TABLES = (*STATISTICS_TABLES, *CHAIN_TABLE_NAMES, *ENTERPRISE_TABLE_NAMES, *DELIVERY_TABLE_NAMES)  # replaced by a restore with force
TABLES = (*DATA_TABLES, "audit", *ACCOUNT_TABLES)
# A store holding any of these rows is not empty: a restore would mix two stores.
CONTENT_TABLES = ("batches", "plans", "observations", "links", "users")
PG_TYPES = {"character varying": "VARCHAR", "text": "VARCHAR", "integer": "INTEGER", "bigint": "BIGINT",
            "double precision": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
            "timestamp without time zone": "TIMESTAMP", "smallint": "SMALLINT"}

Progress = Callable[[str, int], None]
PRIVATE = 0o600  # the archive's mode: only its owner reads it (docs/storage.md §Backup)


class BackupError(UserError):
    """An archive that cannot be restored, or a store that must not be overwritten: nothing written."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pg_tables(pg) -> dict[str, list[tuple[str, str]]]:
    """Table → [(column, DuckDB type)] of the PostgreSQL database, in column order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in pg.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"):
        out.setdefault(table, []).append((column, PG_TYPES.get(kind, "VARCHAR")))
    return out


def _pg_into_duckdb(pg, table: str, columns: list[tuple[str, str]], into: duckdb.DuckDBPyConnection) -> None:
    """Copy a PostgreSQL table into a DuckDB table of the same columns (NaN and inf kept)."""
    into.execute(f"CREATE TABLE {table} ({', '.join(f'{_q(c)} {t}' for c, t in columns)})").fetchall()
    _read_tables(pg, [table], into)


def _q(column: str) -> str:
    return f'"{column}"'


def backup(db, out: str | Path, progress: Progress | None = None) -> dict:
    """Write the store at `db` to the archive `out` (a .zip); returns the manifest."""
    out = Path(out)
    step = progress or (lambda table, rows: None)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        _refuse(f"备份文件所在的文件夹不存在：{folder}；请先建立它（mkdir -p {folder}），或换一个已有的文件夹",
                f"the folder for the backup does not exist: {folder}; create it first (mkdir -p {folder}) or "
                "choose an existing one")
    if out.is_dir():
        _refuse(f"--out 须是文件路径，而 {out} 是文件夹；请写成如 {out / 'zhizao-backup.zip'}",
                f"--out names a file, but {out} is a folder; write e.g. {out / 'zhizao-backup.zip'}")
    db = as_db(db)
    if not postgres.is_postgres(db) and not Path(db).is_file():
        _refuse(f"没有可备份的数据库：{db}", f"no store to back up at {db}")
    with tempfile.TemporaryDirectory(prefix="zhizao-backup-") as tmp:
        work = duckdb.connect(":memory:", config=NO_EXTENSIONS)
        tables: dict[str, dict] = {}
        with Store(db, read_only=True) as store:
            backend = store.backend
            if backend == "postgresql":
                revision = postgres.current_revision(store.url)
                with store._pg.transaction():  # one consistent view of every table
                    store._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    present = _pg_tables(store._pg)
                    for table in TABLES:
                        if table in present:
                            _pg_into_duckdb(store._pg, table, present[table], work)
                source = work
            else:
                revision = postgres.latest_revision()  # a DuckDB store opened here has the head layout
                source = store.con
            names = {r[0] for r in source.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
            for table in TABLES:
                if table not in names:
                    continue
                file = Path(tmp) / f"{table}.parquet"
                source.execute(f"COPY (SELECT * FROM {table}) TO '{file}' (FORMAT parquet)").fetchall()
                rows = source.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                tables[table] = {"file": f"tables/{table}.parquet", "rows": rows, "sha256": _sha256(file)}
                step(table, rows)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "zhizao_version": __version__,
                    "schema_revision": revision, "backend": backend,
                    "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tables": tables}
        partial = out.with_name(out.name + ".partial")
        # Mode 0600 from the start: the archive holds password and token hashes, enterprise rows and the
        # audit log; never readable by others, not even for a moment.
        partial.unlink(missing_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        os.fchmod(fd, PRIVATE)  # exactly 0600 whatever the umask
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            for table, info in tables.items():
                z.write(Path(tmp) / f"{table}.parquet", info["file"])
        partial.replace(out)  # never a half-written archive under the final name
    return manifest


def _refuse(zh: str, en: str):
    raise BackupError(zh, en)


def read_archive(archive: str | Path, into: Path) -> dict:
    """Check the archive and extract its tables into the folder `into`; returns the manifest.
    BackupError for anything that is not a whole, known archive of this or an older zhizao."""
    archive = Path(archive)
    name = archive.name
    try:
        with zipfile.ZipFile(archive) as z:
            manifest = json.loads(z.read("manifest.json").decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise ValueError("not a zhizao backup")
            if int(manifest.get("format_version", 0)) > FORMAT_VERSION or \
                    manifest.get("schema_revision") not in postgres.revisions():
                _refuse(f"备份 {name} 由更新版本的 zhizao（{manifest.get('zhizao_version')}，数据库结构 "
                        f"{manifest.get('schema_revision')}）生成；请先升级 zhizao 再恢复",
                        f"the backup {name} was made by a newer zhizao ({manifest.get('zhizao_version')}, schema "
                        f"{manifest.get('schema_revision')}); upgrade zhizao first, then restore")
            for table, info in manifest["tables"].items():
                if table not in TABLES:
                    raise ValueError(f"unknown table {table}")
                target = into / f"{table}.parquet"
                target.write_bytes(z.read(info["file"]))
                if _sha256(target) != info["sha256"]:
                    raise ValueError(f"checksum of {table}")
    except BackupError:
        raise
    except FileNotFoundError:
        _refuse(f"找不到备份文件：{archive}", f"no backup file at {archive}")
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, zipfile.LargeZipFile) as e:
        _refuse(f"备份 {name} 已损坏或不是 zhizao 备份（{str(e)[:120]}）；未写入任何数据。请换用完好的备份文件",
                f"the backup {name} is damaged or not a zhizao backup ({str(e)[:120]}); nothing was written. "
                "Use an intact backup file")
    return manifest


def restore(db, archive: str | Path, *, force: bool = False, actor: str | None = None,
            progress: Progress | None = None) -> dict:
    """Restore `archive` into the store at `db` (created if needed); refuses a store that holds
    data unless `force`, which replaces it in the same transaction. Returns
    {"tables": {table: rows}, "skipped": [tables this backend does not hold]}."""
    step = progress or (lambda table, rows: None)
    with tempfile.TemporaryDirectory(prefix="zhizao-restore-") as tmp:
        folder = Path(tmp)
        manifest = read_archive(archive, folder)
        work = duckdb.connect(":memory:", config=NO_EXTENSIONS)
        for table, info in manifest["tables"].items():
            work.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder / (table + '.parquet')}')")
            rows = work.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            if rows != info["rows"]:
                _refuse(f"备份 {Path(archive).name} 已损坏（表 {table} 行数不符）；未写入任何数据",
                        f"the backup {Path(archive).name} is damaged (table {table}: row count differs); "
                        "nothing was written")
        with Store(db) as store:
            if store.backend == "postgresql":
                result = _restore_pg(store, work, manifest, force, actor, step, Path(archive).name)
            else:
                result = _restore_duckdb(store, work, folder, manifest, force, actor, step, Path(archive).name)
        return result


def _not_empty(location: str):
    _refuse(f"目标数据库 {location} 已有数据；恢复只写入空数据库。如确要用备份替换其中全部数据，请加 --force",
            f"the target store {location} already holds data; a restore goes into an empty store. To replace "
            "all its data with the backup, add --force")


def _columns(work, table: str) -> list[str]:
    return [r[0] for r in work.execute(f"DESCRIBE {table}").fetchall()]


def _restore_duckdb(store: Store, work, folder: Path, manifest: dict, force: bool, actor, step, name: str) -> dict:
    con = store.con
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not force and any(t in have and con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                         for t in CONTENT_TABLES):
        _not_empty(store.location)
    done, skipped = {}, []
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        if force:
            for table in DATA_TABLES:
                con.execute(f"DELETE FROM {table}").fetchall()
        for table in manifest["tables"]:
            if table not in have:
                skipped.append(table)
                continue
            path = folder / f"{table}.parquet"
            target = set(_columns(con, table))
            cols = [c for c in _columns(work, table) if c in target and not (table == "audit" and c == "audit_id")]
            names = ", ".join(_q(c) for c in cols)
            if table == "audit":  # appended after the target's own rows, numbered on
                con.execute(f"INSERT INTO audit (audit_id, {names}) SELECT (SELECT coalesce(max(audit_id), 0) "
                            f"FROM audit) + row_number() OVER (ORDER BY audit_id), {names} "
                            f"FROM read_parquet('{path}')").fetchall()
            else:
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM read_parquet('{path}')").fetchall()
            done[table] = manifest["tables"][table]["rows"]
            step(table, done[table])
        store._audit_row("restore", actor=actor, target=name,
                         rows=manifest["tables"].get("observations", {}).get("rows"),
                         detail={"force": force, "from": manifest.get("backend"), "created_at": manifest.get("created_at")})
        con.execute("COMMIT").fetchall()
    except Exception:
        con.execute("ROLLBACK").fetchall()
        raise
    return {"tables": done, "skipped": skipped}


def _restore_pg(store, work, manifest: dict, force: bool, actor, step, name: str) -> dict:
    pg = store._pg
    present = _pg_tables(pg)
    done, skipped = {}, []
    with pg.transaction(), pg.cursor() as cur:
        cur.execute("SELECT generation FROM store_meta WHERE id = 1 FOR UPDATE")
        archived = set(manifest["tables"])
        check = [t for t in CONTENT_TABLES if t in present and (t != "users" or t in archived)]
        if not force and any(cur.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0] for t in check):
            _not_empty(store.location)
        if force:
            replaced = [*DATA_TABLES, *[t for t in ACCOUNT_TABLES if t in archived and t in present]]
            cur.execute(f"TRUNCATE {', '.join(replaced)}")
        for table in TABLES:  # in this order: users before the tables naming them
            if table not in archived:
                continue
            if table not in present:
                skipped.append(table)
                continue
            target = {c for c, _ in present[table]}
            cols = [c for c in _columns(work, table) if c in target and not (table == "audit" and c == "audit_id")]
            names = ", ".join(_q(c) for c in cols)
            rows = work.execute(f"SELECT {names} FROM {table}" + (" ORDER BY audit_id" if table == "audit" else ""))
            copy_rows(cur, table, [_q(c) for c in cols], iter(rows.fetchall()))
            done[table] = manifest["tables"][table]["rows"]
            step(table, done[table])
        store._insert_audit(cur, "restore", actor=actor or default_actor(), target=name,
                            rows=manifest["tables"].get("observations", {}).get("rows"),
                            detail={"force": force, "from": manifest.get("backend"),
                                    "created_at": manifest.get("created_at")})
        cur.execute("UPDATE store_meta SET generation = generation + 1 WHERE id = 1")
        # From a DuckDB archive (or one without accounts) nobody can log in yet: the CLI says how to start.
        first_admin = "users" in present and not cur.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]
    store._refresh()
    return {"tables": done, "skipped": skipped, "first_admin": first_admin}


