"""Read an import file (CSV or XLSX) and validate every row, collecting all problems at once.

`read_table` returns the cells as text plus `_row`, the spreadsheet row number. It finds the
header row itself (statistics bureau tables put a title and a `单位：亿元` line above it and
`注：…` footnotes below the data) and raises only `TableReadError`, which a caller turns into
one problem with `exc.problem(file)`.
`validate_rows` checks every cell of every row and returns either the normalised rows (no
problems) or an empty frame and the full list of `ImportProblem`s, so a user fixes a file in
one pass instead of one error per attempt. Every accepted value is finite and within
`units.BOUNDS`.
"""

from __future__ import annotations

import csv
from calendar import monthrange
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import pandas as pd

from ._errors import IngestError
from .names import date_from_url, read_series_name, source_defaults
from .basis import NEEDS_FROM, Basis, BasisError, basis_in_name, basis_in_text, parse_basis, stock_year, \
    strip_stock_words
from .periods import Period, PeriodError, parse_period
from .units import UnitError, convert, normalize_unit, out_of_bounds, unit_info
from .values import ValueParseError, parse_value


class TableReadError(IngestError):
    """The file cannot be read as a table (unknown format, undecodable or binary content,
    damaged workbook, no header row). The only exception `read_table` raises."""

    def problem(self, file: str) -> ImportProblem:
        """This error as the single `unreadable_file` problem of an import."""
        return ImportProblem(file, None, None, None, "unreadable_file",
                             f"文件“{file}”无法读取：{self.reason_zh}。",
                             f"File '{file}' cannot be read: {self.reason_en}.")


# Excel's own limit for one cell; the csv module's default (131,072) raised an error instead.
MAX_CELL_CHARS = 32_767
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
MAX_XLSX_UNPACKED = 1 << 30  # bytes inside the zip; more is a zip bomb, not a statistics table
HEADER_SCAN_ROWS = 30  # title and unit lines above the header
MAX_COLUMNS = 1000  # the long format has about 18; a million commas is not a table
_INTERNAL = ("_row", "_extra", "_width")


# canonical column → accepted headers (compared case-insensitively, NFKC, spaces stripped)
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "series": ("series", "indicator", "指标", "指标名称", "序列"),
    "region": ("region", "地区", "区县", "region_code", "district"),
    "industry": ("industry", "行业", "industry_code"),
    "period": ("period", "时期", "期间"),
    "year": ("year", "年份", "年度"),  # used when period is absent or blank
    "value": ("value", "数值", "值"),
    "unit": ("unit", "单位"),
    "price_basis": ("price_basis", "价格口径", "价格基础"),
    "status": ("status", "数据状态", "状态"),
    "source_title": ("source_title", "来源", "来源标题"),
    "source_url": ("source_url", "网址", "来源网址", "url"),
    "publisher": ("publisher", "发布机构", "发布单位"),
    "published": ("published", "发布日期"),
    "accessed": ("accessed", "访问日期", "获取日期"),
    "grade": ("grade", "等级", "可信度", "source_grade"),
    "quote": ("quote", "原文", "引文"),
    "vintage": ("vintage", "版本日期"),
    "note": ("note", "备注"),
    "basis": ("basis", "口径", "数据口径", "数据性质", "基础", "数值性质"),
}
REQUIRED = ("series", "period", "value", "unit")  # a year column may stand in for period
_COLUMN_ZH = {"series": "指标", "region": "地区", "industry": "行业", "period": "时期",
              "year": "年份", "value": "数值", "unit": "单位"}

PRICE_BASIS = {"current": "current", "constant": "constant", "not_applicable": "not_applicable",
               "当年价": "current", "现价": "current", "不变价": "constant", "可比价": "constant",
               "不适用": "not_applicable"}
STATUS = {"preliminary": "preliminary", "预计": "preliminary", "初步": "preliminary",
          "初步核算": "preliminary", "快报": "preliminary",
          "final": "final", "最终": "final", "终值": "final", "年鉴": "final"}
PRELIMINARY_MARKERS = ("预计", "初步核算")  # in series, value or quote text when status is blank
GRADES = {"A": "A", "B": "B", "C": "C", "D": "D", "NONE": "none", "无": "none"}

OUTPUT_COLUMNS = [
    "series", "region", "industry", "period_type", "year", "month", "period_key", "value",
    "qualifier", "value_text", "unit", "unit_original", "price_basis", "status",
    "source_title", "source_url", "publisher", "published", "accessed", "grade", "quote",
    "vintage", "note", "basis", "basis_from", "row",
]


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an import file; `row` is the spreadsheet row number (None: the whole file)."""

    file: str
    row: int | None
    column: str | None  # the header as written in the file (canonical name if missing)
    value: str | None
    code: str
    message_zh: str
    message_en: str


# ---------------------------------------------------------------- reading


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes → (text, encoding): BOM, strict UTF-8, charset-normalizer, GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise TableReadError(
                    f"文件开头标明是{enc.upper()}编码，但内容不是（文件可能已损坏）；请重新另存为UTF-8的CSV",
                    f"the file starts with a {enc.upper()} mark but is not {enc.upper()} "
                    "(perhaps damaged); save it again as UTF-8 CSV") from None
            if _looks_binary(text):
                raise _binary()
            return text, enc
    candidates = ["utf-8"]
    if not _is_utf8(data):
        best = charset_normalizer.from_bytes(data).best()
        guess = (best.encoding if best else "").lower().replace("-", "_")
        # Chinese statistics files are UTF-8 or GB*. On short GBK text the detector's other
        # guesses (big5, cp949, utf_16 …) are usually wrong, so only a GB guess is trusted,
        # read as its superset GB18030; anything else falls through to the fixed order.
        if guess in ("gb2312", "gbk", "gb18030", "hz"):
            candidates.append("gb18030")
    candidates += ["utf-8-sig", "gb18030"]
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return data.decode(utf16), utf16
        raise _binary()
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise _binary()
        return text, enc
    raise TableReadError("无法识别文件编码（请另存为UTF-8或GBK的CSV）",
                         "cannot decode the file (save it as UTF-8 or GBK CSV)")


def _binary() -> TableReadError:
    return TableReadError("文件含有二进制内容（如NUL字节），不是文本CSV；请用Excel另存为CSV或XLSX",
                          "the file holds binary content (such as NUL bytes), not CSV text; save it "
                          "again as CSV or XLSX")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: NULs in (almost) every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    for enc, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else enc
    return None


def _looks_binary(text: str) -> bool:
    """Control characters other than tab and line breaks: garbage decoded as text."""
    sample = text[:65536]
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\v") + sample.count("\ufffd")
    return bad > max(2, len(sample) // 1000)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    # Judged on the first lines, not the first alone: a title line above the header has neither.
    head = text[:65536].splitlines()[:HEADER_SCAN_ROWS]
    tabs = sum("\t" in line for line in head)
    delimiter = "\t" if tabs > sum("," in line and "\t" not in line for line in head) else ","
    # csv.reader counts a quoted multi-line cell as one record, as a spreadsheet shows it.
    return [(i + 1, cells) for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                                  delimiter=delimiter))]


def _number_text(x: float) -> str:
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(x, ".15g")  # Excel keeps 15 significant digits: 0.1+0.2 shows as 0.3


def _cell_text(value: object, number_format: str) -> str:
    """The cell as a user sees it, without a spurious '.0' on whole numbers."""
    fmt = (number_format or "").lower()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if "d" not in fmt and "y" in fmt and "m" in fmt:  # 2024-09 typed into Excel
            return value.strftime("%Y-%m")
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in fmt:
            return _number_text(float(format(value * 100, ".12g"))) + "%"
        return _number_text(value)
    return str(value)


def _xlsx_records(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # noqa: PLC0415 - ~0.2 s to import; only .xlsx uploads need it, not every CLI start

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableReadError("不是有效的Excel（.xlsx）文件，可能已损坏；请用Excel重新另存为.xlsx",
                             "not a valid Excel (.xlsx) file, perhaps damaged; save it again as "
                             ".xlsx") from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise TableReadError("Excel文件解压后超过1 GB，不像统计表；请拆分或另存为CSV",
                             "the Excel file unpacks to more than 1 GB, not a statistics table; "
                             "split it or save it as CSV")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb.worksheets[0]
        records = {row[0].row: [_cell_text(c.value, c.number_format) for c in row]
                   for row in ws.iter_rows() if row}
        # A cell merged down a column (the same indicator for several years) shows its value
        # in every row; merged titles and footnotes across columns stay in their first cell.
        for rng in ws.merged_cells.ranges:
            if rng.min_col == rng.max_col and rng.min_row in records:
                top = records[rng.min_row][rng.min_col - 1]
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    if r in records and len(records[r]) >= rng.min_col:
                        records[r][rng.min_col - 1] = top
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableReadError(f"无法打开Excel文件（{type(exc).__name__}），可能已损坏；请用Excel重新另存为.xlsx",
                             f"cannot open the Excel file ({type(exc).__name__}), perhaps damaged; "
                             "save it again as .xlsx") from exc
    return sorted(records.items())


_UNIT_LINE = re.compile(r"^(?:计量)?单位\s*[:：]\s*(?P<unit>\S+)$")
_FOOTNOTE = re.compile(r"^(?:注|附注|说明|备注|资料来源|数据来源|来源)\s*\d*\s*[:：]|^[*※]")


def _header_keys(cells: list[str]) -> set[str]:
    return {k for k in (_HEADER_LOOKUP.get(_norm_header(c)) for c in cells) if k}


def _find_header(rows: list[tuple[int, list[str]]]) -> int:
    """Index of the header among the first rows: the first holding the series, value and
    period (or year) columns, else the one naming most known columns."""
    best, best_n, first_n = 0, 0, None
    for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = _header_keys(cells)
        if {"series", "value"} <= keys and keys & {"period", "year"}:
            return i
        first_n = len(keys) if first_n is None else first_n
        if len(keys) > best_n:
            best, best_n = i, len(keys)
    if best_n >= 2:
        return best  # its missing columns are reported as such
    if not first_n:
        raise TableReadError(
            f"找不到表头行：前{HEADER_SCAN_ROWS}行中没有一行含有“指标、时期、数值、单位”等列名；"
            "请把表头放在第1行（标题行之下也可），列名见docs/data-import.md",
            f"no header row: none of the first {HEADER_SCAN_ROWS} rows names the columns "
            "series, period, value, unit (or their Chinese names); put the header in row 1 "
            "(below a title is fine), see docs/data-import.md")
    return 0


def _only_cell(cells: list[str]) -> str | None:
    filled = [c.strip() for c in cells if c.strip()]
    return filled[0] if len(filled) == 1 else None


def _frame(records: list[tuple[int, list[str]]]) -> pd.DataFrame:
    rows = [(n, [c if isinstance(c, str) else str(c) for c in cells]) for n, cells in records]
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        return pd.DataFrame({"_row": pd.Series([], dtype="int64")})
    h = _find_header(rows)
    (header_row, header), data = rows[h], rows[h + 1:]
    header = [f"{c} " if c in _INTERNAL else c for c in header]  # a column may not pose as ours
    # `单位：亿元` above a header without a unit column gives every row that unit.
    unit_line = None
    if "unit" not in _header_keys(header):
        for _, cells in rows[:h]:
            for c in cells:
                m = _UNIT_LINE.match(unicodedata.normalize("NFKC", c).strip())
                unit_line = unit_line or (m and m["unit"])
    # Footnotes (注：…, 资料来源：…) are one-cell rows; so are the lines that continue them.
    kept, in_notes = [], False
    for n, cells in data:
        only = _only_cell(cells)
        in_notes = only is not None and (in_notes or bool(_FOOTNOTE.match(only)))
        if not in_notes:
            kept.append((n, cells))
    data = kept
    width = len(header)
    # Trailing blank header cells with nothing under them are spreadsheet leftovers.
    while width and not header[width - 1].strip() and not any(
        len(c) >= width and c[width - 1].strip() for _, c in data
    ):
        width -= 1
    if width > MAX_COLUMNS:
        raise TableReadError(f"表头有{width}列，超过{MAX_COLUMNS}列；导入文件为每行一个数值的长表（约18列）",
                             f"the header has {width} columns, more than {MAX_COLUMNS}; an import "
                             "file is the long format, one value per row (about 18 columns)")
    body = [cells[:width] + [""] * (width - len(cells)) for _, cells in data]
    df = pd.DataFrame(body, columns=range(width), dtype=object)
    df.columns = header[:width]
    if unit_line:
        df["单位"] = unit_line
    df["_row"] = pd.Series([n for n, _ in data], dtype="int64")
    extra = [" | ".join(c for c in cells[width:] if c.strip()) for _, cells in data]
    if any(extra):
        df["_extra"] = extra
    # A row with fewer fields than the header was cut short (a truncated file): not padded
    # silently, but reported by validate_rows.
    widths = [len(cells) for _, cells in data]
    if any(w < width for w in widths):
        df["_width"] = pd.Series(widths, dtype="int64")
    df.attrs["header_row"] = header_row
    df.attrs["fields"] = width  # header columns (a 单位 column from a unit line comes after)
    return df


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8, UTF-8-BOM, GBK/GB18030) or XLSX (first sheet) as text cells.

    The header is the first of the first rows that names the series, value and period
    columns (title rows above it and `注：…` footnote rows below the data are skipped; a
    `单位：X` line above a header without a unit column becomes a 单位 column). The result
    has the file's headers as columns, every cell as a string, `_row` (the spreadsheet row
    number; `df.attrs["header_row"]` is the header's), only if some row is longer than the
    header `_extra` (its surplus cells), and only if some row is shorter `_width` (its number
    of fields). Blank rows are skipped but still counted.

    Raises only `TableReadError` (use `exc.problem(file)` for the import's problem list).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:  # a name too long for the file system, a vanished file …
        raise TableReadError(f"无法打开文件（{exc.strerror or type(exc).__name__}）",
                             f"cannot open the file ({exc.strerror or type(exc).__name__})") from exc
    suffix = path.suffix.lower()
    if suffix == ".xls" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise TableReadError("不支持旧版.xls文件，请另存为.xlsx或CSV",
                             "old .xls files are not supported; save as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return _frame(_xlsx_records(path))
    text, _encoding = decode_bytes(data)
    try:
        records = _csv_records(text)
    except csv.Error as exc:  # defensive: the limits above leave no known cause
        raise TableReadError(f"CSV格式错误（{exc}）", f"malformed CSV ({exc})") from exc
    return _frame(records)


# ---------------------------------------------------------------- validation


def _norm_header(name: str) -> str:
    # BOMs and zero-width spaces come from concatenated or web-copied files.
    text = unicodedata.normalize("NFKC", str(name)).translate(_INVISIBLE)
    return re.sub(r"\s+", "", text).lower()


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


_HEADER_LOOKUP = {_norm_header(a): key for key, names in COLUMN_ALIASES.items() for a in names}
_INDUSTRY = re.compile(r"\d{2,4}|[A-Za-z][A-Za-z0-9_.\-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


_SHOWN_CHARS = 80


def _shorten(text: str | None) -> str | None:
    """A value as quoted in a problem: a 100,000-character cell is cited, not copied."""
    if text is None or len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[:_SHOWN_CHARS]}…（共{len(text)}字 / {len(text)} chars）"


class _Collector:
    """Collects problems with bilingual messages naming file, row, column and value."""

    def __init__(self, file: str, headers: dict[str, str]) -> None:
        self.file, self.headers, self.problems = file, headers, []

    def add(self, row: int | None, key: str | None, value: str | None, code: str,
            zh: str, en: str) -> None:
        column = self.headers.get(key, key) if key else None
        value = _shorten(value)
        where_zh = f"第{row}行" if row is not None else f"文件“{self.file}”"
        where_en = f"Row {row}" if row is not None else f"File '{self.file}'"
        if column is not None:
            where_zh += f"“{column}”列"
            where_en += f', column "{column}"'
        if value is not None:
            where_zh += f"的值“{value}”"
            where_en += f', value "{value}"'
        self.problems.append(ImportProblem(self.file, row, column, value, code,
                                           f"{where_zh}{zh}", f"{where_en}: {en}"))

    def whole(self, row: int | None, column: str | None, code: str, zh: str, en: str) -> None:
        """A problem about the file or its header, with a message written out in full."""
        self.problems.append(ImportProblem(self.file, row, column, None, code, zh, en))


def canonical_columns(df: pd.DataFrame) -> dict[str, str]:
    """Canonical column name → the file's header for it (first one), as validate_rows reads them."""
    out: dict[str, str] = {}
    for name in df.columns:
        key = _HEADER_LOOKUP.get(_norm_header(name)) if name not in _INTERNAL else None
        if key and key not in out:
            out[key] = name
    return out


def validate_rows(
    df: pd.DataFrame,
    *,
    file: str,
    series_units: dict[str, str],
    resolve_region: Callable[[str], str | None],
    window: tuple[int, int],
    default_region: str,
    targets: str = "refuse",
) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Validate every row; return (normalised rows, []) or (empty frame, all problems).

    Values are converted to each series' unit (`series_units[series]`); see the module
    constants for accepted price bases, statuses and grades. A row whose series name says it
    restates a target (`…(2025年规划目标)`) is not a value: refused (`target_not_value`), or with
    `targets="skip"` left out and listed in the result's `attrs["skipped"]`.
    """
    headers: dict[str, str] = {}  # canonical → header as written
    positions: dict[str, int] = {}
    out = _Collector(file, headers)
    hr = int(df.attrs.get("header_row", 1))
    columns = [(pos, name) for pos, name in enumerate(df.columns) if name not in _INTERNAL]
    for pos, name in columns:
        key = _HEADER_LOOKUP.get(_norm_header(name))
        shown = _shorten(str(name).strip()) or f"(第{pos + 1}列)"
        if key is None:
            out.whole(hr, shown, "unknown_column",
                      f"第{hr}行的表头“{shown}”不是可识别的列名：请改为标准列名（如指标、时期、数值、单位）"
                      "或删除该列。",
                      f'Row {hr}: the header "{shown}" is not a known column: rename it to a standard '
                      "column (series, period, value, unit …) or delete the column.")
        elif key in positions:
            out.whole(hr, shown, "duplicate_column",
                      f"第{hr}行的表头“{shown}”与“{headers[key]}”表示同一列（{key}）：请删除其中一列。",
                      f'Row {hr}: the header "{shown}" means the same column ({key}) as '
                      f'"{headers[key]}": delete one of them.')
        else:
            headers[key], positions[key] = str(name).strip(), pos
    missing = [k for k in REQUIRED
               if k not in positions and not (k == "period" and "year" in positions)]
    for key in missing:
        zh_name = _COLUMN_ZH.get(key, key)
        out.whole(None, key, "missing_column",
                  f"文件“{file}”缺少必填列“{zh_name}”（{key}）：请添加该列。",
                  f"File '{file}' lacks the required column '{key}' ({zh_name}): add it.")
    if len(df) == 0:
        out.whole(None, None, "empty_file", f"文件“{file}”没有数据行：请至少填写一行数据。",
                  f"File '{file}' has no data rows: fill in at least one row.")
        return pd.DataFrame(columns=OUTPUT_COLUMNS), out.problems

    lookup = {_norm_header(s): s for s in series_units}
    row_numbers = df["_row"].tolist() if "_row" in df else [i + 2 for i in range(len(df))]
    extras = df["_extra"].tolist() if "_extra" in df else [""] * len(df)
    widths = df["_width"].tolist() if "_width" in df else None
    too_long = _too_long_cells(df, columns)
    fields = columns[: int(df.attrs.get("fields", len(columns)))]
    records, seen, skipped = [], {}, []
    # Whole columns as lists: reading cell by cell through pandas cost half the time.
    col_values = {k: df.iloc[:, p].tolist() for k, p in positions.items()}
    for i in range(len(df)):
        row = int(row_numbers[i])
        if widths is not None and widths[i] < len(fields):
            lost = [_shorten(str(n).strip()) or f"#{p + 1}" for p, n in fields[widths[i]:]]
            out.add(row, None, None, "missing_fields",
                    f"只有{widths[i]}个字段，缺少“{'、'.join(lost)}”列（表头有{len(fields)}列）："
                    "该行可能被截断，请补全或删除该行。",
                    f"has only {widths[i]} fields; the columns {', '.join(lost)} are missing (the "
                    f"header has {len(fields)}): the row looks cut off; complete or delete it.")
            continue  # its blank cells are not the user's: one problem for the row
        for pos in too_long.get(i, ()):
            text = str(df.iat[i, pos])
            out.add(row, None, text, "cell_too_long",
                    f"位于“{_shorten(str(df.columns[pos]).strip())}”列，超过{MAX_CELL_CHARS}个字符"
                    "（Excel单元格上限）：请缩短。",
                    f"in column \"{_shorten(str(df.columns[pos]).strip())}\" is longer than "
                    f"{MAX_CELL_CHARS} characters (Excel's cell limit): shorten it.")
        cells = {k: _cell(v[i]) for k, v in col_values.items()}
        if cells.get("series") and read_series_name(cells["series"]).target:
            (skipped.append if targets == "skip" else out.problems.append)(ImportProblem(
                file, row, headers.get("series"), _shorten(cells["series"]), "target_not_value",
                f"第{row}行“{_shorten(cells['series'])}”是规划目标的重述，不是统计值：请不要作为数值导入"
                "（目标写在规划文件中）。",
                f"Row {row}: '{_shorten(cells['series'])}' restates a target, not a statistic: do not import "
                "it as a value (targets belong in the plan file)."))
            continue
        rec = _validate_row(cells, row, out, series_units, lookup,
                            resolve_region, window, default_region)
        if _cell(extras[i]):
            out.add(int(row_numbers[i]), None, _cell(extras[i]), "extra_cells",
                    "：表头之外还有内容，请删除或为其添加表头。",
                    "there are cells beyond the last header; delete them or give them a header.")
        if rec is None or missing:  # without all key columns, duplicates mean nothing
            continue
        key = (rec["series"], rec["region"], rec["industry"], rec["period_key"],
               rec["source_url"] or "", rec["vintage"] or "", rec["basis"], rec["basis_from"] or "")
        if key in seen:
            out.add(rec["row"], "series", cells.get("series"), "duplicate_key",
                    f"：与第{seen[key]}行重复（指标、地区、行业、时期、网址、版本日期、口径均相同）；"
                    "请删除其中一行，或用“版本日期”区分不同版本。",
                    f"duplicates row {seen[key]} (same series, region, industry, period, URL, "
                    "vintage and basis); delete one, or tell versions apart with the vintage column.")
        else:
            seen[key] = rec["row"]
            records.append(rec)
    if out.problems:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), out.problems
    frame = _output_frame(records)
    frame.attrs["skipped"] = skipped
    return frame, []


def _too_long_cells(df: pd.DataFrame, columns: list[tuple[int, object]]) -> dict[int, list[int]]:
    """Row index → positions of cells over MAX_CELL_CHARS (vectorised: one pass per column)."""
    found: dict[int, list[int]] = {}
    for pos, _ in columns:
        col = df.iloc[:, pos]
        if col.dtype != object:
            continue
        lengths = col.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
        for i in (lengths > MAX_CELL_CHARS).nonzero()[0]:
            found.setdefault(int(i), []).append(pos)
    return found


def _validate_row(c: dict[str, str], row: int, out: _Collector, series_units: dict[str, str],
                  lookup: dict[str, str], resolve_region: Callable[[str], str | None],
                  window: tuple[int, int], default_region: str) -> dict | None:
    """Check one row, adding its problems to `out`; return the record if it is clean."""
    start = len(out.problems)
    get = c.get

    def required(key: str, example: str) -> str | None:
        if key in c and not c[key]:
            out.add(row, key, None, "missing_value", f"为空：该列必填，请填写{example}。",
                    f"is empty: this column is required; fill in {example}.")
        return c.get(key) or None

    series_text = required("series", "指标编号或名称")
    series = lookup.get(_norm_header(series_text)) if series_text else None
    # What the name says beyond the series: 预计, the period, 修订, 约, a year range (§Series names).
    name = read_series_name(series_text) if series_text else None
    if name is not None and not name.changed:
        name = None
    if series is None and name is not None:
        series = lookup.get(_norm_header(name.series))
    if name is not None and series is not None and name.month is not None:
        c = _period_from_name(c, name.month, row, out)
    if series_text and series is None:
        example = f"{{series: {_shorten(series_text)}, unit: {get('unit') or '亿元'}}}"
        out.add(row, "series", series_text, "unknown_series",
                "不是规划指标编号，也不是已登记的发布序列。请改用规划指标编号；或先登记该序列：在关联文件"
                f"（links YAML）的 series: 下写一项 - {example}，在 links: 下把它关联到指标，"
                "用 zhizao data import 导入该关联文件后再导入本文件（见 docs/data-import.md“Links (YAML)”一节）。",
                "is neither a plan indicator id nor a registered published series. Use the plan's "
                f"indicator id, or register the series first: in a links YAML file add - {example} under "
                "series: and link it to an indicator under links:, import that file with zhizao data import, "
                "then this one (docs/data-import.md, section \"Links (YAML)\").")
    target_unit = series_units.get(series) if series else None

    region = default_region
    if get("region"):
        region = resolve_region(c["region"])
        if region is None:
            out.add(row, "region", c["region"], "unknown_region",
                    f"无法识别为地区：请填写区县名称或行政区划代码，留空表示“{default_region}”。",
                    "is not a known region: give a district name or its GB/T 2260 code, or leave "
                    f"it blank for '{default_region}'.")

    industry = get("industry") or "ALL"
    if get("industry") and not _INDUSTRY.fullmatch(industry):
        out.add(row, "industry", industry, "bad_industry",
                "不是行业代码：请填写GB/T 4754的2–4位数字代码或英文标识，留空表示全部行业。",
                "is not an industry code: use a 2–4 digit GB/T 4754 code or an ASCII id, or "
                "leave it blank for all industries.")

    stated: list[tuple[str, Basis]] = []  # (column it comes from, basis) for the contradiction check
    if get("basis"):
        try:
            if (b := parse_basis(c["basis"])) is not None:
                stated.append(("basis", b))
        except BasisError as exc:
            out.add(row, "basis", c["basis"], "bad_basis", f"不是可识别的口径：{exc.reason_zh}。",
                    f"is not a recognised basis: {exc.reason_en}.")
    if series_text and (b := basis_in_name(series_text)) is not None:
        stated.append(("series", b))
    elif name is not None and name.basis is not None:
        stated.append(("series", name.basis))
    if get("period") and (b := basis_in_text(c["period"])[0]) is not None and b.basis == "stock_as_of":
        stated.append(("period", b))  # 截至2022年3月 in the period column: a stock counted in 2022
        c = {**c, "period": str(stock_year(b.start))}
    period = _check_period(c, row, out, window)

    unit_original = required("unit", "单位（如亿元、%）")
    value_text = required("value", "数字")
    pv = None
    number_text = value_text
    if value_text:
        try:
            b, number_text = basis_in_text(value_text)
            if b is not None:
                stated.append(("value", b))
        except BasisError as exc:
            out.add(row, "value", value_text, "bad_basis", f"的口径无法识别：{exc.reason_zh}。",
                    f"states a basis that cannot be read: {exc.reason_en}.")
    basis = _resolve_basis(stated, period, row, out)
    if basis is not None and basis.basis == "stock_as_of" and number_text:
        number_text = strip_stock_words(number_text)
    if value_text:
        try:
            pv = parse_value(number_text, unit_original)
        except ValueParseError as exc:
            out.add(row, "value", value_text, "bad_value", f"无法解析为数字：{exc.reason_zh}。",
                    f"is not a number: {exc.reason_en}.")
    value, qualifier = (pv.number, pv.qualifier) if pv else (None, None)
    if name is not None and name.about and qualifier == "exact":
        qualifier = "about"  # 新能源汽车产量(约) 130: the name qualifies the value
    unit_out = target_unit
    if (basis is not None and basis.basis in _RELATIVE and unit_original
            and normalize_unit(unit_original) in ("%", "百分点")):
        unit_out = target_unit = normalize_unit(unit_original)  # 比上年增长10% of a series counted in 家
    if unit_original:
        value = _check_unit(pv, value, unit_original, target_unit, row, out)

    price_basis = _lookup(c, "price_basis", PRICE_BASIS, row, out, "bad_price_basis",
                          "current/constant/not_applicable（或当年价、现价、不变价、可比价）")
    status = _lookup(c, "status", STATUS, row, out, "bad_status",
                     "preliminary/final（或预计、初步核算、快报、最终、年鉴）")
    if status is None:
        text = " ".join(filter(None, (series_text, value_text, get("quote"))))
        prelim = any(m in text for m in PRELIMINARY_MARKERS) and not (name is not None and name.revised)
        status = "preliminary" if prelim else "final"
    grade = "none"
    if get("grade"):
        grade = GRADES.get(c["grade"].upper())
        if grade is None:
            out.add(row, "grade", c["grade"], "bad_grade", "不是有效等级：请填写A、B、C、D或none。",
                    "is not a valid grade: use A, B, C, D or none.")
    if re.fullmatch(r"\d{4}-\d{2}", get("published") or ""):
        # A page dated to the month only (2024-01): known by the month's last day at the latest.
        y, m = map(int, c["published"].split("-"))
        if 1 <= m <= 12:
            c = {**c, "published": dt.date(y, m, monthrange(y, m)[1]).isoformat()}
            get = c.get
    for key in ("published", "accessed", "vintage"):
        _check_date(c, key, row, out)
    if get("source_url") and not _URL.fullmatch(c["source_url"]):
        out.add(row, "source_url", c["source_url"], "bad_url",
                "不是网址：请填写以http://或https://开头的完整地址。",
                "is not a web address: give the full address starting with http:// or https://.")

    if len(out.problems) > start or None in (series, period, value, basis):
        return None
    if basis.basis == "stock_as_of" and period.period_type != "year":
        period = Period("year", period.year)  # a stock counts for the year of its date
    url = get("source_url") or None
    title, publisher = source_defaults(url, get("quote"))
    vintage = get("vintage") or None
    if vintage is None and not get("published"):
        vintage = date_from_url(url, period.year)  # …/t20230320_…: known by that date
    note = get("note") or None
    if name is not None:
        note = "；".join(filter(None, [note, f"名称原文 / as published: {series_text}"]))
    return {
        "series": series, "region": region, "industry": industry,
        "period_type": period.period_type, "year": period.year, "month": period.month,
        "period_key": period.key, "value": float(value), "qualifier": qualifier,
        "basis": basis.basis, "basis_from": basis.start,
        "value_text": value_text, "unit": unit_out, "unit_original": unit_original,
        "price_basis": price_basis, "status": status,
        **{k: get(k) or None for k in ("source_url", "published", "accessed")},
        "source_title": get("source_title") or title, "publisher": get("publisher") or publisher,
        "grade": grade, "quote": get("quote") or None, "vintage": vintage,
        "note": note, "row": row,
    }


_RELATIVE = ("change_on_previous_year", "cumulative_since", "average_over")  # changes: %, not the level's unit
_BASIS_COLUMN = {"basis": ("口径列", "the basis column"), "series": ("指标名称", "the series name"),
                 "value": ("数值", "the value"), "period": ("时期", "the period")}


def _resolve_basis(stated: list[tuple[str, Basis]], period: Period | None, row: int,
                   out: _Collector) -> Basis | None:
    """One basis from the basis column, the series name, the value and the period; a
    contradiction is a problem (never a silent choice). None when a problem was added."""
    if not stated:
        return Basis("level")
    where = lambda k, lang: _BASIS_COLUMN[k][0 if lang == "zh" else 1]  # noqa: E731
    codes = {b.basis for _, b in stated}
    starts = {b.start for _, b in stated if b.start is not None}
    ends = {b.end for _, b in stated if b.end is not None}
    if len(codes) > 1 or len(starts) > 1 or len(ends) > 1:
        zh = "；".join(f"{where(k, 'zh')}“{b.text}”为{b.label('zh')}" for k, b in stated)
        en = "; ".join(f"{where(k, 'en')} '{b.text}' says {b.label('en')}" for k, b in stated)
        key = next((k for k, _ in stated if k == "basis"), stated[0][0])
        out.add(row, key, stated[0][1].text, "basis_conflict",
                f"：口径互相矛盾（{zh}）；请改正其中之一，使指标名称、数值和口径列一致。",
                f"the basis is contradictory ({en}); correct one so that the series name, the value "
                "and the basis column agree.")
        return None
    code, start = codes.pop(), (starts.pop() if starts else None)
    end = ends.pop() if ends else None
    key = stated[0][0]
    if period is None:
        return Basis(code, start, end)
    if code == "stock_as_of" and start is None:  # 存量 without a date: as of the period's end
        start = f"{period.year}-{period.month or 12:02d}"
    if code in NEEDS_FROM and start is None:
        out.add(row, key, stated[0][1].text, "basis_needs_year",
                "：未写明起算年份，无法与目标比较；请写成“较2020年累计下降13.5%”“2021—2025年年均”"
                "“十四五以来年均”，或在口径列填写 cumulative_since 2020 / average_over 2020。",
                "does not say from which year; write 较2020年累计下降13.5%, 2021—2025年年均 or "
                "十四五以来年均, or give the basis column cumulative_since 2020 / average_over 2020.")
        return None
    if code == "stock_as_of":
        if stock_year(start) != period.year:
            out.add(row, key, stated[0][1].text, "basis_period_conflict",
                    f"：截至日期{start}与时期{period.label('zh')}不在同一年；时期请填写该日期所在年份。",
                    f"the stock's date {start} is not in the period {period.label('en')}; give the "
                    "date's year as the period.")
            return None
    elif code in ("cumulative_since", "average_over"):
        if int(start) >= period.year:
            out.add(row, key, stated[0][1].text, "basis_period_conflict",
                    f"：起算年份{start}不早于时期{period.label('zh')}；请检查年份。",
                    f"the year it is measured from ({start}) is not before the period "
                    f"{period.label('en')}; check the years.")
            return None
        if end is not None and end != period.year:
            out.add(row, key, stated[0][1].text, "basis_period_conflict",
                    f"：所述期间截至{end}年，但时期为{period.label('zh')}；时期请填写{end}。",
                    f"the stated period ends in {end} but the row's period is {period.label('en')}; "
                    f"give {end} as the period.")
            return None
        if period.period_type != "year":
            out.add(row, key, stated[0][1].text, "basis_period_conflict",
                    f"：累计或年均口径只用于年度数据，时期{period.label('zh')}不是年份。",
                    f"cumulative and average bases are for annual values; {period.label('en')} is not a year.")
            return None
    return Basis(code, start, end)


def _period_from_name(c: dict[str, str], month: int, row: int, out: _Collector) -> dict[str, str]:
    """A year-to-date tag in the name (一季度, 前三季度, 1-9月) sets the month of a yearly period;
    a period column with another month is a conflict."""
    key = "period" if c.get("period") else "year"
    text = c.get(key, "")
    if re.fullmatch(r"\d{4}", text):
        return {**c, "period": f"{text}-{month:02d}"}
    try:
        p = parse_period(text)
    except PeriodError:
        return c  # reported by _check_period
    if p.month is not None and p.month != month:
        out.add(row, key, text, "period_year_conflict",
                f"与指标名称所写的1—{month}月不一致：请改正其中之一。",
                f"disagrees with the series name, which says January–{month}: correct one of them.")
    return c


def _check_period(c: dict[str, str], row: int, out: _Collector,
                  window: tuple[int, int]) -> Period | None:
    if "period" not in c and "year" not in c:
        return None  # reported once as a missing column
    key, text = ("period", c["period"]) if c.get("period") else ("year", c.get("year", ""))
    if not text:
        out.add(row, "period" if "period" in c else "year", None, "missing_value",
                "为空：该列必填，请填写时期，如2024或2024-09。",
                "is empty: this column is required; give a period such as 2024 or 2024-09.")
        return None
    try:
        period = parse_period(text)
    except PeriodError as exc:
        out.add(row, key, text, "bad_period", f"不是有效时期：{exc.reason_zh}。",
                f"is not a valid period: {exc.reason_en}.")
        return None
    if key == "year" and period.period_type != "year":
        out.add(row, "year", text, "bad_period", "不是年份：请只填写四位年份，如2024。",
                "is not a year: give a four-digit year such as 2024.")
        return None
    if key == "period" and c.get("year") and c["year"] != str(period.year):
        out.add(row, "year", c["year"], "period_year_conflict",
                f"与“时期”列的{period.label('zh')}不一致：请改正其中之一。",
                f"disagrees with the period {period.label('en')}: correct one of them.")
        return None
    lo, hi = window
    if not lo <= period.year <= hi:
        out.add(row, key, text, "period_outside_plan",
                f"的年份{period.year}不在规划监测期{lo}–{hi}年内：请检查年份，或不导入该行。",
                f"has year {period.year}, outside the plan window {lo}–{hi}: check the year or "
                "leave the row out.")
        return None
    return period


def _check_unit(pv, value: float | None, unit: str, target: str | None, row: int,
                out: _Collector) -> float | None:
    """Convert `value` from the row's unit to the series' unit, reporting what blocks it."""
    try:
        dimension = unit_info(unit)[0]
    except UnitError:
        dimension = None
        if target is None or normalize_unit(unit) != normalize_unit(target):
            out.add(row, "unit", unit, "unknown_unit",
                    "不是可识别的单位：请使用标准单位，如亿元、万元、%、百分点、万辆。",
                    "is not a known unit: use a standard unit such as 亿元, 万元, %, 百分点, 万辆.")
            return None
    needs = {"%": "percent", "倍": "multiple", "百分点": "percentage_point"}
    if pv is not None and pv.mark and dimension != needs[pv.mark]:
        out.add(row, "value", pv.text, "unit_mismatch",
                f"带有“{pv.mark}”，但“单位”列是“{unit}”：请去掉数值中的“{pv.mark}”或改正单位。",
                f"carries '{pv.mark}' but the unit column says '{unit}': remove the "
                f"'{pv.mark}' from the value or correct the unit.")
        return None
    if value is not None and (bounds := out_of_bounds(value, unit)) is not None:
        lo, hi, bound_unit = bounds
        out.add(row, "value", pv.text, "value_out_of_range",
                f"超出合理范围：以“{unit}”为单位的数值须在{lo:g}至{hi:g}{bound_unit}之间；"
                "请检查数字、量级（万/亿）和单位。",
                f"is outside the sane range: a value in '{unit}' must lie between {lo:g} and "
                f"{hi:g} {bound_unit}; check the number, its scale (万/亿) and the unit.")
        return None
    if target is None:
        return value
    try:
        return None if value is None else convert(value, unit, target)
    except UnitError as exc:
        out.add(row, "unit", unit, "unit_mismatch",
                f"不能换算为该指标的单位“{target}”：{exc.reason_zh}。请检查单位或指标。",
                f"cannot be converted to the series' unit '{target}': {exc.reason_en}. Check "
                "the unit or the series.")
        return None


def _lookup(c: dict[str, str], key: str, table: dict[str, str], row: int, out: _Collector,
            code: str, allowed: str) -> str | None:
    text = c.get(key)
    if not text:
        return None
    found = table.get(text.lower()) or table.get(text)
    if found is None:
        out.add(row, key, text, code, f"不是可接受的取值：请填写{allowed}，或留空。",
                f"is not an accepted value: use {allowed}, or leave it blank.")
    return found


def _check_date(c: dict[str, str], key: str, row: int, out: _Collector) -> None:
    text = c.get(key)
    if not text:
        return
    try:
        ok = bool(_DATE.fullmatch(text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        ok = False
    if not ok:
        out.add(row, key, text, "bad_date", "不是有效日期：请写成YYYY-MM-DD，如2024-01-05。",
                "is not a valid date: write it as YYYY-MM-DD, e.g. 2024-01-05.")


def _output_frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=OUTPUT_COLUMNS, dtype=object)
    df["value"] = df["value"].astype("float64")
    df["year"] = df["year"].astype("int64")
    df["month"] = df["month"].astype("Int64")
    df["row"] = df["row"].astype("int64")
    return df


def problems_frame(problems: Iterable[ImportProblem], lang: str = "zh") -> pd.DataFrame:
    """Problems as a display table: 文件/行/列/值/问题 (zh) or file/row/column/value/problem."""
    names = ["文件", "行", "列", "值", "问题"] if lang == "zh" else [
        "file", "row", "column", "value", "problem"]
    rows = [(p.file, p.row, p.column, p.value, p.message_zh if lang == "zh" else p.message_en)
            for p in problems]
    df = pd.DataFrame(rows, columns=names, dtype=object)
    df[names[1]] = df[names[1]].astype("Int64")
    return df


def import_table(path: str | Path, **kwargs) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """`read_table` then `validate_rows` (keyword arguments as there, `file` defaults to the
    file name); an unreadable file becomes a single 'unreadable_file' problem."""
    file = kwargs.pop("file", Path(path).name)
    try:
        df = read_table(path)
    except TableReadError as exc:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), [exc.problem(file)]
    return validate_rows(df, file=file, **kwargs)
