"""Reading import workbooks shared by the chain, enterprise and delivery imports: every sheet of an XLSX (streamed)
or a CSV as rows of text cells, the cell cleaning, and the collector of located problems (file, sheet,
row, column, value; the reason in Chinese and English). Nothing here knows a table's columns."""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .table import MAX_XLSX_UNPACKED, ImportProblem, TableReadError, _cell_text, _csv_records, _shorten, decode_bytes

MAX_AMOUNT = 1e13  # 万元 (1e9 亿元, the import's bound for money): more is a typo or a wrong unit
SPOILING = ("cell_too_long", "formula")  # a cell reported so is blanked: not reported again as empty
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


class FormulaCell(str):
    """A workbook cell holding a formula without a computed value (a file written by a program, never
    opened in Excel): zhizao does not evaluate formulas, so it reads as blank text and the reader
    that knows the table reports it (`formula`, the formula as written)."""

    formula: str

    def __new__(cls, formula: str) -> "FormulaCell":
        cell = super().__new__(cls, "")
        cell.formula = formula
        return cell


@dataclass
class Sheet:
    """One table as read: where it came from, its header and its rows of text cells."""

    file: str
    sheet: str | None  # the workbook's sheet; None for a CSV
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    keys: list[str | None] = field(default_factory=list)  # canonical key per header cell


class Problems:
    """Every problem with file, sheet, row, column, value and the reason in Chinese and English."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []
        self.spoiled: set = set()  # cells already reported too long: blanked, so not reported again as empty

    def add(self, src: Sheet | None, file: str, row: int | None, column: str | None, value: str | None,
            code: str, zh: str, en: str) -> None:
        sheet = src.sheet if src is not None else None
        value = _shorten(value) if value is not None else None
        where_zh = f"文件“{file}”" + (f"工作表“{sheet}”" if sheet else "")
        where_en = f"File '{file}'" + (f", sheet '{sheet}'" if sheet else "")
        if row is not None:
            where_zh += f"第{row}行"
            where_en += f", row {row}"
        if column:
            where_zh += f"“{column}”列"
            where_en += f', column "{column}"'
        if value:
            where_zh += f"的值“{value}”"
            where_en += f', value "{value}"'
        label = f"{file}[{sheet}]" if sheet else file
        if column and row is not None:
            if (label, row, column) in self.spoiled:
                return
            if code in SPOILING:
                self.spoiled.add((label, row, column))
        self.items.append(ImportProblem(label, row, column, value, code, f"{where_zh}：{zh}", f"{where_en}: {en}"))


# --- reading --------------------------------------------------------------------------------------------
def clean(v: object) -> str:
    text = v if isinstance(v, str) else "" if v is None else str(v)
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def files_sha256(paths: Iterable[Path]) -> str:
    """sha256 over the bytes of the files in turn: the import's record of what it read. A file that
    cannot be read is left out: the reading reports it."""
    digest = hashlib.sha256()
    for p in paths:
        try:
            digest.update(p.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def records_of_file(path: Path) -> list[tuple[str | None, list[tuple[int, list[str]]]]]:
    """(sheet name or None, [(row number, cells)]) of a CSV or every sheet of an XLSX; TableReadError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableReadError(f"无法打开文件（{exc.strerror or type(exc).__name__}）",
                             f"cannot open the file ({exc.strerror or type(exc).__name__})") from exc
    suffix = path.suffix.lower()
    if suffix == ".xls" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise TableReadError("不支持旧版.xls文件，请另存为.xlsx或CSV", "old .xls files are not supported; save as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return xlsx_sheets(path)
    text, _ = decode_bytes(data)
    return [(None, _csv_records(text))]


def xlsx_sheets(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    import openpyxl  # noqa: PLC0415 - ~0.2 s to import; only .xlsx chain files need it

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableReadError("不是有效的Excel（.xlsx）文件，可能已损坏；请用Excel重新另存为.xlsx",
                             "not a valid Excel (.xlsx) file, perhaps damaged; save it again as .xlsx") from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise TableReadError("Excel文件解压后超过1 GB；请拆分或另存为CSV",
                             "the Excel file unpacks to more than 1 GB; split it or save it as CSV")
    out = []
    try:
        # Read-only: a sheet of a million supply rows is streamed, not held as cell objects.
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                if not hasattr(ws, "iter_rows"):  # a chart sheet
                    continue
                ws.reset_dimensions()  # some writers record a wrong size
                rows = []
                for n, row in enumerate(ws.iter_rows(min_row=1), start=1):
                    cells = [_cell_text(getattr(c, "value", None), getattr(c, "number_format", "") or "")
                             for c in row]
                    if any(c.strip() for c in cells):
                        rows.append((n, cells))
                out.append((str(ws.title), rows))
        finally:
            wb.close()
        if _has_formulas(path):
            _mark_formulas(path, out)
    except TableReadError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableReadError(f"无法打开Excel文件（{type(exc).__name__}），可能已损坏；请用Excel重新另存为.xlsx",
                             f"cannot open the Excel file ({type(exc).__name__}), perhaps damaged; "
                             "save it again as .xlsx") from exc
    return out


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula (<f> element): only then is the workbook read a second time."""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with z.open(info) as f:
                tail = b""
                while chunk := f.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _mark_formulas(path: Path, sheets: list[tuple[str, list[tuple[int, list[str]]]]]) -> None:
    """Blank cells that hold a formula (no value computed by Excel) become FormulaCell: the first reading
    (data_only) sees only the cached value, the second the formula. A formula with a cached value is read
    as that value, as the user sees it in Excel."""
    import openpyxl  # noqa: PLC0415 - only workbooks with formulas are read a second time

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        by_title = dict(sheets)
        for ws in wb.worksheets:
            rows = by_title.get(str(ws.title))
            if not hasattr(ws, "iter_rows") or not rows:
                continue
            ws.reset_dimensions()
            cells_of = dict(rows)
            for n, row in enumerate(ws.iter_rows(min_row=1), start=1):
                cells = cells_of.get(n)
                for p, c in enumerate(row):
                    if getattr(c, "data_type", None) != "f":
                        continue
                    formula = str(getattr(c.value, "text", c.value) or "=")
                    if cells is None:  # a row of formulas only, all without values: not read at all before
                        cells = cells_of[n] = [""] * len(row)
                        rows.append((n, cells))
                    if p < len(cells) and not cells[p].strip():
                        cells[p] = FormulaCell(formula)
            rows.sort(key=lambda r: r[0])
    finally:
        wb.close()
