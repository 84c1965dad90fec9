"""Plan-delivery data in the store (issue 14; Alembic 0005): the seven frames of
zhizao/ingest/delivery_frames.py, each in a table `dl_<frame>` = the contract columns + batch_id, plan_id.

Every row is one version of its key (delivery_frames.KEYS). An import is one batch of kind "delivery"
(audit action "import"), a form or API edit one batch of kind "delivery_edit" (audit action "edit"); the
actor is the one of that audit row. The ACTIVE row of a key is its version in the latest batch (by
imported_at, then batch id) that is not withdrawn and holds the key: an import is an upsert, keys it does
not list stay as they were; withdrawing an edit brings the previous version back. Nothing is updated or
deleted. Text "" is stored as NULL and read back as "".

`DeliveryStoreMixin` gives `Store` (DuckDB) these methods, `PgDeliveryStoreMixin` gives them to `PgStore`
(read from PostgreSQL itself, not from the statistics snapshot, like the enterprise tables). store.py and
pg_store.py import this module, so it imports neither: PgStore hands the mixin its COPY helpers as
`_copy_arrow` and `_read_query_frame`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from zhizao.ingest.delivery_frames import FLOAT_COLUMNS, FRAMES, HISTORY_COLUMNS, INT_COLUMNS, KEYS, empty_frame, key_text
from zhizao.settings import display_time_zone

DELIVERY_TABLES = {frame: f"dl_{frame}" for frame in FRAMES}  # contract frame → table
DELIVERY_TABLE_NAMES = tuple(DELIVERY_TABLES.values())
DELIVERY_KIND = "delivery"  # batches.kind of an import
DELIVERY_EDIT_KIND = "delivery_edit"  # batches.kind of one form/API edit
DELIVERY_KINDS = (DELIVERY_KIND, DELIVERY_EDIT_KIND)
AUDIT_ACTIONS = {DELIVERY_KIND: "import", DELIVERY_EDIT_KIND: "edit"}
BATCH_FIELDS = ["batch_id", "kind", "file", "recorded_at", "withdrawn", "actor"]
# Keys an edit may leave blank for the store to assign, in the write's transaction (so two concurrent
# edits never get one id): frame → (key column, prefix, the date column the id is named by). An id is
# prefix + YYYYMMDD + "-" + n, n one more than the largest of that prefix and date the plan ever had.
ASSIGNED_KEYS = {"progress_reports": ("report_id", "R", "date"), "problems": ("problem_id", "Q", "raised")}

# The DuckDB tables (appended to store.SCHEMA); PostgreSQL's are Alembic 0005 with the same columns.
DELIVERY_SCHEMA = """
-- Plan-delivery data (issue 14; Alembic 0005): the seven frames of zhizao/ingest/delivery_frames.py, each
-- with batch_id and plan_id. Batches of kind 'delivery' (import) or 'delivery_edit' (one edit); the active
-- row of a key is its version in the latest batch not withdrawn that holds it (zhizao/store/delivery.py).
CREATE TABLE IF NOT EXISTS dl_projects (
    project_id VARCHAR NOT NULL, name VARCHAR, cluster VARCHAR, chain VARCHAR, link VARCHAR,
    district VARCHAR,               -- GB/T 2260
    park VARCHAR, investor VARCHAR, investor_id VARCHAR,
    planned_investment DOUBLE,      -- 万元
    planned_output DOUBLE,          -- 万元 a year at 达产
    planned_signed VARCHAR, planned_started VARCHAR, planned_production VARCHAR, planned_full_production VARCHAR,
    signed VARCHAR, started VARCHAR, production VARCHAR, full_production VARCHAR,  -- YYYY-MM-DD
    status VARCHAR, note VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_project_progress (
    project_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    investment DOUBLE,              -- 万元 in the month
    output DOUBLE,                  -- 万元 in the month
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_problems (
    problem_id VARCHAR NOT NULL, enterprise_id VARCHAR, enterprise_name VARCHAR, district VARCHAR,
    category VARCHAR, description VARCHAR, department VARCHAR, raised VARCHAR, deadline VARCHAR,
    status VARCHAR, resolved VARCHAR, resolution VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_work_items (
    item_id VARCHAR NOT NULL, task VARCHAR, title VARCHAR,
    lead VARCHAR, cooperating VARCHAR, -- ;-joined canonical units
    start VARCHAR, deadline VARCHAR, basis VARCHAR, section VARCHAR, quote VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_milestones (
    item_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    due VARCHAR, text VARCHAR, done VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_progress_reports (
    report_id VARCHAR NOT NULL, item_id VARCHAR, date VARCHAR,
    completion DOUBLE,              -- %
    text VARCHAR, attachments VARCHAR, reporter VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_departments (
    department_id VARCHAR NOT NULL, name VARCHAR, name_en VARCHAR, kind VARCHAR, aliases VARCHAR,
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL
);
"""


FILE_SEPARATOR = " | "  # between the files of one import, as store.CHAIN_FILE_SEPARATOR


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_batch_id() -> str:  # as store.new_batch_id
    return "b_" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")


def file_names(file: str | None) -> str | None:
    """A batch's `file` as stored: every file's name without its folder (as store.chain_file_names)."""
    if file is None:
        return None
    return FILE_SEPARATOR.join(Path(f).name for f in str(file).split(FILE_SEPARATOR) if f)


def display_date(when) -> str:
    """A stored UTC time's date in the display time zone (as store.display_date)."""
    t = pd.Timestamp(when)
    t = t.tz_localize("UTC") if t.tzinfo is None else t
    return t.tz_convert(display_time_zone()[0]).date().isoformat()


def _kind(column: str) -> str:
    return "int" if column in INT_COLUMNS else "float" if column in FLOAT_COLUMNS else "text"


def _text(v) -> str:
    if isinstance(v, str):  # the common cases first, without pd.isna: a million cells are read at scale
        return v
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if v != v else str(int(v)) if v.is_integer() else str(v)
    return "" if pd.isna(v) else str(v)


def check_delivery_frames(frames: dict[str, pd.DataFrame], kind: str) -> None:
    """A programming error, not a user's (the import and check_edit refuse what a user wrote): an unknown
    frame or kind, a missing column, a blank or duplicate key, nothing to write."""
    if kind not in DELIVERY_KINDS:
        raise ValueError(f"not a delivery batch kind: {kind}")
    unknown = set(frames) - set(FRAMES)
    if unknown:
        raise ValueError(f"not delivery frames: {sorted(unknown)}")
    for name, frame in frames.items():
        missing = [c for c in FRAMES[name] if c not in frame.columns]
        if missing:
            raise ValueError(f"delivery frame {name} lacks {missing}")
        keys = frame[KEYS[name]]
        if kind == DELIVERY_EDIT_KIND and name in ASSIGNED_KEYS:  # blank: the store assigns it
            keys = keys[frame[ASSIGNED_KEYS[name][0]].map(_text) != ""]
        if len(frame) and (keys.isna().any(axis=None) or (keys.astype(str) == "").any(axis=None)):
            raise ValueError(f"delivery frame {name} has a blank key")
        if keys.astype(str).duplicated().any():  # one version of a key per batch: the active one is unambiguous
            raise ValueError(f"delivery frame {name} has duplicate keys")
    if not sum(len(f) for f in frames.values()):
        raise ValueError("no delivery rows to write")


def assign_keys(frames: dict[str, pd.DataFrame], used) -> dict[str, pd.DataFrame]:
    """`frames` with the blank ASSIGNED_KEYS filled; `used(table, column, prefix)` lists the ids of the
    plan that begin with prefix (every version, withdrawn ones too: an id is never given twice)."""
    out = dict(frames)
    for name, (column, letter, dated) in ASSIGNED_KEYS.items():
        frame = frames.get(name)
        if frame is None or not (frame[column].map(_text) == "").any():
            continue
        frame = frame.copy()
        for i in frame.index[frame[column].map(_text) == ""]:
            day = _text(frame.at[i, dated]) or display_date(_utcnow())
            prefix = f"{letter}{day.replace('-', '')}-"
            numbers = [int(x[len(prefix):]) for x in used(DELIVERY_TABLES[name], column, prefix)
                       if x[len(prefix):].isdigit()]
            numbers += [int(x[len(prefix):]) for x in frame[column].map(_text) if x.startswith(prefix)
                        and x[len(prefix):].isdigit()]
            frame.at[i, column] = f"{prefix}{max(numbers, default=0) + 1}"
        out[name] = frame
    return out


def stored_delivery_frame(frame: str, data: pd.DataFrame, batch_id: str, plan_id: str) -> pd.DataFrame:
    """A contract frame as stored: its columns, then batch_id and plan_id; blank text is NULL."""
    out = {}
    for c in FRAMES[frame]:
        values = data[c].reset_index(drop=True)
        kind = _kind(c)
        if kind == "text":
            out[c] = pd.Series([_text(v) or None for v in values.tolist()], dtype=object)
        else:
            number = pd.to_numeric(values.astype(object), errors="coerce").astype("float64")
            out[c] = number.round().astype("Int64") if kind == "int" else number
    out = pd.DataFrame(out, columns=FRAMES[frame])
    out["batch_id"], out["plan_id"] = batch_id, plan_id
    return out


def delivery_frame(frame: str, data: pd.DataFrame) -> pd.DataFrame:
    """Stored rows read back (either backend) as the contract frame: text "" when none, Int64, float64."""
    out = {}
    for c in FRAMES[frame]:
        values = (data[c] if c in data.columns else pd.Series([None] * len(data), dtype=object)).reset_index(drop=True)
        kind = _kind(c)
        if kind == "text":
            if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # text or nothing: no per-cell work
                out[c] = pd.Series(values.astype(object).where(values.notna(), "").tolist(), dtype=object)
            else:
                out[c] = pd.Series([_text(v) for v in values.tolist()], dtype=object)
        else:
            number = pd.to_numeric(values.astype(object), errors="coerce").astype("float64")
            out[c] = number.astype("Int64") if kind == "int" else number
    return pd.DataFrame(out, columns=FRAMES[frame]) if len(data) else empty_frame(frame)


def delivery_rows(frames: dict[str, pd.DataFrame]) -> int:
    return sum(len(f) for f in frames.values())


def delivery_detail(plan_id: str, frames: dict[str, pd.DataFrame], kind: str, file, sha256) -> dict:
    detail = {"kind": kind, "plan_id": plan_id, "file": file, "sha256": sha256,
              **{name: len(f) for name, f in frames.items() if len(f)}}
    if kind == DELIVERY_EDIT_KIND:  # which key the edit changed, for the audit log's reader
        detail["keys"] = [f"{name}:{key_text(name, row)}" for name, f in frames.items() for _, row in f.iterrows()]
    return detail


def batches_sql(mark: str) -> str:
    """The delivery batches with their kind, file, time, withdrawal and actor (the audit row's)."""
    kinds = ", ".join(f"'{k}'" for k in DELIVERY_KINDS)
    actions = ", ".join(f"'{a}'" for a in sorted(set(AUDIT_ACTIONS.values())))
    return (f"SELECT b.batch_id, b.kind, b.file, b.imported_at, w.batch_id IS NOT NULL, a.actor FROM batches b "
            f"LEFT JOIN withdrawals w ON w.batch_id = b.batch_id "
            f"LEFT JOIN (SELECT target, min(actor) AS actor FROM audit WHERE action IN ({actions}) AND target IN "
            f"(SELECT batch_id FROM batches WHERE kind IN ({kinds})) GROUP BY target) a ON a.target = b.batch_id "
            f"WHERE b.kind IN ({kinds})")


def rows_sql(frame: str, mark: str, order: str) -> str:
    cols = ", ".join(f'"{c}"' for c in FRAMES[frame])
    return f"SELECT {cols}, batch_id FROM {DELIVERY_TABLES[frame]} WHERE plan_id = {mark} ORDER BY {order}"


def batches_frame(rows) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=BATCH_FIELDS, dtype=object)
    out["recorded_at"] = pd.to_datetime(out["recorded_at"])
    out["withdrawn"] = out["withdrawn"].astype(bool)
    out["file"] = pd.Series([f if isinstance(f, str) else None for f in out["file"]], index=out.index, dtype=object)
    return out


def versions(frame: str, rows: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Every stored version of the frame's keys (the contract columns, then batch_id and __<BATCH_FIELDS>),
    oldest first: by the batch's time and id, and within a batch in the order written."""
    data = delivery_frame(frame, rows)
    data["batch_id"] = rows["batch_id"].astype(object).reset_index(drop=True) if len(rows) else pd.Series(dtype=object)
    data["_pos"] = range(len(data))
    # the batch's fields as __<name>: a frame's own column may have the same name (departments.kind)
    meta = batches.rename(columns={c: f"__{c}" for c in BATCH_FIELDS if c != "batch_id"})
    merged = data.merge(meta, on="batch_id", how="inner")  # only rows of delivery batches
    return (merged.sort_values(["__recorded_at", "batch_id", "_pos"], kind="stable")
            .drop(columns="_pos").reset_index(drop=True))


def active_rows(frame: str, all_versions: pd.DataFrame) -> pd.DataFrame:
    """The active version of each key, keys in the order they were first stored (not withdrawn)."""
    live = all_versions[~all_versions["__withdrawn"]]
    if live.empty:
        return empty_frame(frame)
    first = live.groupby(KEYS[frame], sort=False, dropna=False).ngroup()  # numbered in order of first appearance
    out = live.assign(_first=first).drop_duplicates(KEYS[frame], keep="last").sort_values("_first", kind="stable")
    return out.reindex(columns=FRAMES[frame]).reset_index(drop=True).astype(empty_frame(frame).dtypes.to_dict())


def _key_texts(frame: str, data: pd.DataFrame) -> pd.Series:
    """key_text of every row, vectorised."""
    parts = [data[k].astype(object).astype(str) for k in KEYS[frame]]
    out = parts[0]
    for p in parts[1:]:
        out = out + "/" + p
    return out


def _plain(values: pd.Series, kind: str) -> list:
    """Python int / float / str per the column's kind, None where missing (the history's `values`);
    lists, not frames: pandas would turn the text back into Arrow strings."""
    missing = values.isna().tolist()
    if kind == "int":
        typed = pd.to_numeric(values, errors="coerce").astype("Int64").tolist()
    elif kind == "float":
        typed = pd.to_numeric(values, errors="coerce").astype("float64").tolist()
    else:
        typed = [str(v) for v in values.tolist()]
    return [None if m else v for v, m in zip(typed, missing)]


def history_frame(frame: str, all_versions: pd.DataFrame, key: str | None = None) -> pd.DataFrame:
    """HISTORY_COLUMNS + values (a dict column → value; None for an unknown number) of each version,
    oldest first. Vectorised: a project's monthly progress over years is tens of thousands of versions."""
    if all_versions.empty:
        return empty_history()
    keys = _key_texts(frame, all_versions)
    chosen = all_versions if key is None else all_versions[keys == key]
    if chosen.empty:
        return empty_history()
    cols = FRAMES[frame]
    records = [dict(zip(cols, row)) for row in zip(*(_plain(chosen[c], _kind(c)) for c in cols))]
    out = pd.DataFrame({
        "frame": frame, "key": keys[chosen.index].tolist(), "batch_id": chosen["batch_id"].tolist(),
        "kind": chosen["__kind"].tolist(),
        "actor": [a if isinstance(a, str) else "" for a in chosen["__actor"]],
        "recorded_at": pd.to_datetime(chosen["__recorded_at"]).tolist(),
        "withdrawn": chosen["__withdrawn"].astype(bool).tolist(),
        "values": records}, columns=[*HISTORY_COLUMNS, "values"])
    out["recorded_at"] = pd.to_datetime(out["recorded_at"])
    out["withdrawn"] = out["withdrawn"].astype(bool)
    return out


def empty_history() -> pd.DataFrame:
    return pd.DataFrame(columns=[*HISTORY_COLUMNS, "values"])


def delivery_info(active_batches: dict[str, list[str]], batches: pd.DataFrame) -> dict:
    """What the active data came from: batch_ids and files (oldest first), imported_at (UTC) and as_of
    (its date in the display time zone) of the latest, frames_present, active {frame: [batch_ids]},
    frame_files {frame: [file names of its active batches, "" for an edit]}."""
    ids = {b for bs in active_batches.values() for b in bs}
    mine = batches[batches["batch_id"].isin(ids)].sort_values(["recorded_at", "batch_id"])
    files: list[str] = []
    for f in mine["file"]:
        files += [n for n in (f if isinstance(f, str) else "").split(FILE_SEPARATOR) if n and n not in files]
    latest = mine["recorded_at"].iloc[-1] if len(mine) else None
    # per frame the files of its active batches, "" for an edit (no file): each area cites its own sources
    frame_files: dict[str, list[str]] = {}
    for f, bs in active_batches.items():
        names: list[str] = []
        for file in mine.loc[mine["batch_id"].isin(bs), "file"]:
            for n in (file.split(FILE_SEPARATOR) if isinstance(file, str) and file else [""]):
                if n not in names:
                    names.append(n)
        if bs:
            frame_files[f] = names
    return {"batch_ids": list(mine["batch_id"]), "files": files, "frame_files": frame_files,
            "imported_at": None if latest is None else latest.to_pydatetime(),
            "as_of": None if latest is None else display_date(latest),
            "frames_present": [f for f in FRAMES if active_batches.get(f)],
            "active": {f: bs for f, bs in active_batches.items() if bs}}


def _assemble(read_rows, batches: pd.DataFrame, frames=None) -> dict[str, pd.DataFrame]:
    """{frame: every version} with `read_rows(frame)` giving the stored rows of the plan."""
    return {f: versions(f, read_rows(f), batches) for f in (frames or FRAMES)}


def _frames_and_info(all_versions: dict[str, pd.DataFrame], batches: pd.DataFrame) -> tuple[dict, dict]:
    frames, active = {}, {}
    for f, v in all_versions.items():
        frames[f] = active_rows(f, v)
        live = v[~v["__withdrawn"]]
        if len(live):
            active[f] = sorted(set(live.drop_duplicates(KEYS[f], keep="last")["batch_id"]))
    return frames, delivery_info(active, batches)


def _history(all_versions: dict[str, pd.DataFrame], key: str | None) -> pd.DataFrame:
    parts = [history_frame(f, v, key) for f, v in all_versions.items()]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty_history()


def empty_delivery() -> tuple[dict[str, pd.DataFrame], dict]:
    return {f: empty_frame(f) for f in FRAMES}, delivery_info({}, batches_frame([]))


def _check_frame_name(frame: str | None) -> None:
    if frame is not None and frame not in FRAMES:
        raise ValueError(f"not a delivery frame: {frame}")


class DeliveryStoreMixin:
    """Delivery data on a DuckDB store (methods of zhizao.store.store.Store)."""

    def _has_delivery_tables(self) -> bool:
        return self._has_table("dl_projects")

    def _delivery_versions(self, plan_id: str, frames=None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
        batches = batches_frame(self.con.execute(batches_sql("?")).fetchall() if self._withdrawals else [])
        return _assemble(lambda f: self.con.execute(rows_sql(f, "?", "rowid"), [plan_id]).df(), batches, frames), batches

    def delivery_frames(self, plan_id: str) -> tuple[dict[str, pd.DataFrame], dict]:
        """The plan's active delivery data: {frame: contract frame} for the seven frames (empty when
        nothing of it is stored) and info {batch_ids, files, imported_at, as_of, frames_present, active,
        frame_files}."""
        if not self._has_delivery_tables():  # an older file opened read-only
            return empty_delivery()
        return _frames_and_info(*self._delivery_versions(plan_id))

    def delivery_state(self, plan_id: str) -> tuple[dict[str, pd.DataFrame], dict, pd.DataFrame]:
        """delivery_frames and delivery_history of the plan from one read."""
        if not self._has_delivery_tables():
            return (*empty_delivery(), empty_history())
        all_versions, batches = self._delivery_versions(plan_id)
        return (*_frames_and_info(all_versions, batches), _history(all_versions, None))

    def delivery_history(self, plan_id: str, frame: str | None = None, key: str | None = None) -> pd.DataFrame:
        """Every stored version (withdrawn ones too) of the plan's delivery rows, oldest first per frame:
        HISTORY_COLUMNS + values; only `frame`, and only the key whose key_text is `key`, when given."""
        _check_frame_name(frame)
        if not self._has_delivery_tables():
            return empty_history()
        return _history(self._delivery_versions(plan_id, [frame] if frame else None)[0], key)

    def commit_delivery(self, plan_id: str, frames: dict[str, pd.DataFrame], *, kind: str = DELIVERY_KIND,
                        file: str | None = None, sha256: str | None = None, note: str | None = None,
                        actor: str | None = None, role: str | None = None, ip: str | None = None,
                        register: tuple | None = None) -> str:
        """Write an import (kind "delivery") or one edit ("delivery_edit") as a new batch with its audit row
        ("import" | "edit") and the plan's registration (`register`, as for commit_chain), in one
        transaction; returns the batch id. Frames with no rows are skipped."""
        check_delivery_frames(frames, kind)
        frames = {n: f for n, f in frames.items() if len(f)}
        batch_id, now, rows = new_batch_id(), _utcnow(), delivery_rows(frames)
        plan_row = self._plan_row(register)
        self._run("BEGIN TRANSACTION")
        try:
            self._write_plan_row(plan_row, now)
            frames = assign_keys(frames, lambda table, column, prefix: [r[0] for r in self.con.execute(
                f"SELECT {column} FROM {table} WHERE plan_id = ? AND starts_with({column}, ?)",
                [plan_id, prefix]).fetchall()])
            self._run("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [batch_id, kind, file_names(file), sha256, rows, now, note])
            self._audit_row(AUDIT_ACTIONS[kind], actor=actor, role=role, target=batch_id, rows=rows,
                            detail=delivery_detail(plan_id, frames, kind, file, sha256), ip=ip, at=now)
            for name, frame in frames.items():
                stored = stored_delivery_frame(name, frame, batch_id, plan_id)
                self.con.register("new_delivery_rows", stored)
                names = ", ".join(f'"{c}"' for c in stored.columns)
                self._run(f"INSERT INTO {DELIVERY_TABLES[name]} ({names}) SELECT {names} FROM new_delivery_rows")
                self.con.unregister("new_delivery_rows")
            self._run("COMMIT")
        except Exception:
            self._run("ROLLBACK")
            raise
        return batch_id

    def _delivery_counts(self) -> dict[str, int]:
        if not self._has_delivery_tables():
            return dict.fromkeys((*DELIVERY_TABLE_NAMES, *COUNT_BATCHES), 0)
        return {name: self.con.execute(query).fetchall()[0][0] for name, query in delivery_count_sql()}

    def delivery_batch_rows(self, batch_id: str) -> dict[str, int]:
        """{frame: rows} a delivery batch wrote (frames it wrote nothing to left out)."""
        if not self._has_delivery_tables():
            return {}
        rows = self.con.execute(delivery_batch_rows_sql("?"), [batch_id] * len(DELIVERY_TABLES)).fetchall()
        return {f: int(n) for f, n in rows if n}


COUNT_BATCHES = ("delivery_batches", "delivery_edit_batches")


def delivery_batch_rows_sql(mark: str) -> str:
    """(frame, rows) of one batch in each delivery table, for the withdraw message."""
    return " UNION ALL ".join(f"SELECT '{f}', count(*) FROM {t} WHERE batch_id = {mark}"
                              for f, t in DELIVERY_TABLES.items())


def delivery_count_sql() -> list[tuple[str, str]]:
    """(name, SELECT count) of each delivery table and of the import and edit batches, for Store.counts."""
    return [*((t, f"SELECT count(*) FROM {t}") for t in DELIVERY_TABLE_NAMES),
            *((name, f"SELECT count(*) FROM batches WHERE kind = '{k}'") for name, k in zip(COUNT_BATCHES, DELIVERY_KINDS))]


class PgDeliveryStoreMixin:
    """Delivery data on PostgreSQL (methods of PgStore): read from PostgreSQL itself in one REPEATABLE
    READ transaction, written with COPY in the write's one transaction."""

    def _has_delivery_tables(self) -> bool:
        return self._schema and self._pg.execute("SELECT to_regclass('dl_projects') IS NOT NULL").fetchone()[0]

    def _delivery_versions(self, plan_id: str, frames=None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
        dtypes = {"text": object, "int": "Int64", "float": "float64"}
        with self._pg.transaction():
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            batches = batches_frame(self._pg.execute(batches_sql("%s")).fetchall())

            def read(f):
                cols = [*FRAMES[f], "batch_id"]
                return self._read_query_frame(self._pg, rows_sql(f, "%s", "ctid"), [plan_id], cols,
                                        {c: dtypes[_kind(c)] if c != "batch_id" else object for c in cols})

            return _assemble(read, batches, frames), batches

    def commit_delivery(self, plan_id: str, frames: dict[str, pd.DataFrame], *, kind: str = DELIVERY_KIND,
                        file: str | None = None, sha256: str | None = None, note: str | None = None,
                        actor: str | None = None, role: str | None = None, ip: str | None = None,
                        register: tuple | None = None) -> str:
        check_delivery_frames(frames, kind)
        frames = {n: f for n, f in frames.items() if len(f)}
        batch_id, now, rows = new_batch_id(), _utcnow(), delivery_rows(frames)
        plan_row = self._plan_row(register)

        def work(cur):
            self._insert_plan_row(cur, plan_row, now)
            assigned = assign_keys(frames, lambda table, column, prefix: [r[0] for r in cur.execute(
                f"SELECT {column} FROM {table} WHERE plan_id = %s AND starts_with({column}, %s)",
                [plan_id, prefix]).fetchall()])
            cur.execute("INSERT INTO batches VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [batch_id, kind, file_names(file), sha256, rows, now, note])
            self._insert_audit(cur, AUDIT_ACTIONS[kind], actor=actor, role=role, target=batch_id, rows=rows,
                               detail=delivery_detail(plan_id, assigned, kind, file, sha256), ip=ip, at=now)
            for name, frame in assigned.items():
                self._copy_arrow(cur, DELIVERY_TABLES[name], stored_delivery_frame(name, frame, batch_id, plan_id))
            return batch_id

        return self._write(work)

    def _delivery_counts(self) -> dict[str, int]:
        if not self._has_delivery_tables():  # an older schema (0004) read without migrating
            return dict.fromkeys((*DELIVERY_TABLE_NAMES, *COUNT_BATCHES), 0)
        with self._pg.transaction():
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return {name: self._pg.execute(query).fetchone()[0] for name, query in delivery_count_sql()}

    def delivery_batch_rows(self, batch_id: str) -> dict[str, int]:
        """{frame: rows} a delivery batch wrote (frames it wrote nothing to left out)."""
        if not self._has_delivery_tables():
            return {}
        with self._pg.transaction():
            self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            rows = self._pg.execute(delivery_batch_rows_sql("%s"), [batch_id] * len(DELIVERY_TABLES)).fetchall()
        return {f: int(n) for f, n in rows if n}

