"""Builders shared by the tests of imported tables (chain, enterprise and delivery data): CSV files and
workbooks written from {name: rows}, contract frames from partial rows, and what a store holds of them."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from zhizao.codes import uscc

# a frame's dtype → the column's type in (DuckDB, PostgreSQL)
SQL_TYPES = {"object": ("VARCHAR", "character varying"), "Int64": ("INTEGER", "integer"),
             "float64": ("DOUBLE", "double precision")}


def credit_code(region: str, n: int) -> str:
    """A valid credit code registered in `region`."""
    return uscc.make_code(region, f"MA{n:06d}")


def write_csv(folder: Path, data: dict, encoding: str = "utf-8", names: dict | None = None) -> list[Path]:
    """One CSV file a table, `folder/<table>.csv` (or the file name `names` gives it), in `encoding`."""
    paths = []
    for table, rows in data.items():
        path = folder / f"{(names or {}).get(table, table)}.csv"
        with open(path, "w", newline="", encoding=encoding) as f:
            csv.writer(f).writerows(rows)
        paths.append(path)
    return paths


def workbook(sheets: dict, note: str | None = "测试用虚构数据"):
    """An openpyxl workbook: a first sheet 说明 (with `note`, if any), then one sheet a {sheet name: rows}."""
    import openpyxl  # only the XLSX tests need it

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    if note is not None:
        wb.active.append([note])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    return wb


def write_workbook(path: Path, sheets: dict, note: str | None = "测试用虚构数据") -> Path:
    """`workbook(sheets, note)` saved at `path`."""
    workbook(sheets, note).save(path)
    return path


def contract_frame(template: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """A frame with the columns and dtypes of `template` (an empty contract frame) from partial rows:
    missing text is "", missing numbers NaN, integers Int64."""
    out = pd.DataFrame(rows, columns=list(template.columns))
    for c, dtype in template.dtypes.items():
        if dtype == object:
            out[c] = pd.Series([v if isinstance(v, str) else "" for v in out[c]], dtype=object)
        else:
            out[c] = out[c].astype(dtype)
    return out


def row_counts(db, tables) -> dict[str, int]:
    """The store's row count of each of `tables`."""
    from zhizao.store.store import Store

    with Store(db, read_only=True) as s:
        counts = s.counts()
    return {t: counts[t] for t in tables}


def stored_columns(db) -> tuple[dict[str, list[tuple[str, str]]], bool]:
    """Each table's (column, type) pairs in order, of the store at `db` (made if new), and whether it is PostgreSQL."""
    from zhizao.store.store import Store

    with Store(db) as s:
        pg = s.backend == "postgresql"
        sql = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
               + ("WHERE table_schema = current_schema() " if pg else "") + "ORDER BY table_name, ordinal_position")
        rows = s._pg.execute(sql).fetchall() if pg else s.con.execute(sql).fetchall()
    got: dict[str, list] = {}
    for table, column, kind in rows:
        got.setdefault(table, []).append((column, kind))
    return got, pg
