"""Text that leaves zhizao for a spreadsheet, made safe from formula (CSV) injection.

Imported values carry free text (series names, quotes, notes, source titles) that anyone who can
upload a file controls. Excel, WPS and LibreOffice run a cell that starts with `=`, `+`, `-` or `@`
(and, after a leading tab or CR, the same) as a formula: `=HYPERLINK(...)` leaks data, DDE runs
commands. The OWASP CSV-injection rule: such a text cell gets a leading single quote, which makes
the spreadsheet show it as text.

Choices (docs/reports.md §Spreadsheet safety):
- Triggers are the OWASP ones (= + - @ TAB CR) and their full-width forms (＝ ＋ － ＠): a Chinese
  input method types those, and Excel/WPS in East Asian locales turn a full-width `＝` typed into
  a cell into a formula. The quote costs one visible character; a missed formula costs data.
- Numbers stay numbers: only `str` values are touched, so numeric columns keep their type in CSV
  and XLSX. A text that is a plain number (`-5`, `+3.2`, `-1,234.5`, `-4.1%`) is left as is: the
  spreadsheet reads it as that number, which cannot carry a formula (as the `defusedcsv` library
  does), and printed values such as `-4.1` keep their look.
- Idempotent: a neutralised text starts with `'`, not a trigger, so neutralising twice changes
  nothing.
- JSON is for programs and is not neutralised.
"""
from __future__ import annotations

import csv
import io
import math
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Control characters XML 1.0 cannot hold; openpyxl's ILLEGAL_CHARACTERS_RE, copied so that the CLI's
# CSV path does not import openpyxl (start-up time).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(value: Any) -> Any:
    """`value` safe for a spreadsheet cell: a text starting with a formula trigger gets a leading
    `'`; anything that is not text (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """A text for an XLSX cell: without the control characters XML cannot hold (openpyxl refuses
    them), then neutralised; in that order, so `\\x01=1+1` cannot become `=1+1` after the check."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])
                                          or pd.api.types.is_datetime64_any_dtype(df[c]))]


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell and column name neutralised; numeric, boolean and date
    columns are not touched (and object columns only in their `str` cells)."""
    out = df.copy()
    for c in _text_columns(out):
        # cell by cell into an object column: Series.map would infer a dtype, and a column of whole numbers
        # beside a blank (rows 1, None) would come out as floats (1.0)
        out[c] = pd.Series([v if not isinstance(v, str) else neutralise(v) for v in out[c].tolist()],
                           index=out.index, dtype=object)
    return out.rename(columns=lambda c: neutralise(c) if isinstance(c, str) else c)


def write_csv(df: pd.DataFrame, target: str | Path | IO[str] | None = None, *, bom: bool = False) -> str | None:
    """`df.to_csv(index=False)` with text neutralised and every text cell in double quotes (OWASP):
    unquoted, a CR inside a text (`a\r=1+1`) starts a new row in Excel, whose first cell is a
    formula; numbers stay unquoted. `bom`: UTF-8 with a byte-order mark (Excel on Chinese Windows
    otherwise reads a file as GBK); only for a path target. Returns the text when `target` is None."""
    safe = neutralise_frame(df)
    if isinstance(target, (str, Path)):
        safe.to_csv(target, index=False, encoding="utf-8-sig" if bom else "utf-8", quoting=csv.QUOTE_NONNUMERIC)
        return None
    return safe.to_csv(target, index=False, quoting=csv.QUOTE_NONNUMERIC)


def xlsx_cell(v: Any) -> Any:
    """A value openpyxl writes as a plain cell: text neutralised (so never a formula), NaN/NaT →
    empty, numpy scalars → Python, midnight timestamps → dates, inf → text (XLSX has no inf)."""
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, str):
        return xlsx_text(v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        return v.date() if v.time() == time(0) else v.replace(tzinfo=None)
    if isinstance(v, date):
        return v
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return str(v)
    if isinstance(v, (bool, int, float)):
        return v
    return xlsx_text(str(v))  # lists, dicts, decimals …: their text


def _column_values(s: pd.Series) -> list:
    """One column as cell values, converted a column at a time (per-cell checks are the slow part)."""
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "biu":
        return s.tolist()
    if isinstance(s.dtype, np.dtype) and s.dtype.kind == "f" and not np.isinf(s.to_numpy()).any():
        return s.astype(object).where(s.notna(), None).tolist()
    return [xlsx_cell(v) for v in s.astype(object).tolist()]


def write_xlsx(df: pd.DataFrame, target: str | Path | IO[bytes], sheet_name: str = "Sheet1") -> None:
    """One sheet, header row then `df`'s rows, written by openpyxl's write-only (streaming) mode:
    about ten times faster than `DataFrame.to_excel` and memory flat in the number of rows. Every
    text cell is a string cell (data_type 's'), never a formula."""
    from openpyxl import Workbook  # noqa: PLC0415 (lazy: the CLI's CSV path does not need it)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_name[:31])
    ws.append([xlsx_cell(str(c)) for c in df.columns])
    columns = [_column_values(df[c]) for c in df.columns]
    for row in zip(*columns):
        ws.append(row)
    wb.save(target)


def xlsx_bytes(df: pd.DataFrame, sheet_name: str = "Sheet1") -> bytes:
    buf = io.BytesIO()
    write_xlsx(df, buf, sheet_name)
    return buf.getvalue()
