"""The cell checks the table imports share (enterprise data, delivery data): one wording, one place.

Each reads one column of a Table — text, numbers, dates, vocabulary words, districts — and reports
what it cannot use to Problems, naming file, sheet, row and column; the import modules hold the
tables' columns and what their rows must agree on. Nothing here writes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhizao.plan.spec import Plan

from .table import MAX_CELL_CHARS, _norm_header
from .workbook import MAX_AMOUNT, Problems, Sheet, clean

YEAR_MIN, YEAR_MAX = 1949, 2100  # the years a year or date cell may name
_YMD = (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00(?:\.0+)?)?)?"),
        re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"), re.compile(r"(\d{4})(\d{2})(\d{2})"))
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")  # an Excel date read as its serial number (1900 system)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def word_key(text: str) -> str:
    """A vocabulary word as compared: NFKC (Ⅱ → II), case, spaces and quotes ignored."""
    return re.sub(r"[\s“”\"'‘’「」《》]", "", _norm_header(text))


BOOL_WORDS = {**{word_key(w): 1.0 for w in ("是", "有", "yes", "y", "true", "√", "✓")},
              **{word_key(w): 0.0 for w in ("否", "无", "no", "n", "false", "×", "✗")}}


@dataclass
class Table:
    """One frame's table: its cells by canonical column (positional Series), the spreadsheet row numbers
    and the headers as written."""

    src: Sheet
    frame: str
    rows: np.ndarray
    cols: dict[str, pd.Series]
    shown: dict[str, str]

    def label(self, key: str) -> str:
        return self.shown.get(key, key)  # an import's own table names its absent columns


def is_filled(s: pd.Series) -> np.ndarray:
    """Which cells hold something: a number, or text that is not blank once cleaned."""
    if s.dtype.kind in "if":
        return s.notna().to_numpy()
    text = s.fillna("")
    try:
        return (text.astype(str).str.strip() != "").to_numpy(dtype=bool)
    except (TypeError, ValueError):
        return np.array([bool(clean(v)) for v in text.astype(str)], dtype=bool)


def text_cells(t: Table, key: str, problems: Problems, *, upper: bool = False) -> np.ndarray:
    """The column as cleaned text ("" blank): each distinct value cleaned once; too long cells reported."""
    s = t.cols.get(key)
    if s is None:
        return np.full(len(t.rows), "", dtype=object)
    codes, uniques = pd.factorize(s)
    cleaned = []
    for u in uniques:
        v = clean(u if isinstance(u, str) else _number_text(u))
        cleaned.append(v.upper() if upper else v)
    for j, v in enumerate(cleaned):
        if len(v) > MAX_CELL_CHARS:
            for i in np.nonzero(codes == j)[0]:
                problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), v, "cell_too_long",
                             f"超过{MAX_CELL_CHARS}个字符（Excel单元格上限）：请缩短",
                             f"longer than {MAX_CELL_CHARS} characters (Excel's cell limit): shorten it")
            cleaned[j] = ""
    table = np.array([*cleaned, ""], dtype=object)
    return table[codes]  # code −1 (a blank) picks the trailing ""


def _number_text(x) -> str:
    return "" if x is None or (isinstance(x, float) and x != x) else \
        str(int(x)) if float(x).is_integer() else repr(float(x))


def check_required(t: Table, key: str, values: np.ndarray, problems: Problems, what_zh: str, what_en: str
                   ) -> np.ndarray:
    """Blank values of a required column reported; returns the mask of the filled ones."""
    filled = values != ""
    for i in np.nonzero(~filled)[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), None, "missing_value",
                     f"为空：该列必填，请填写{what_zh}", f"is empty: this column is required; fill in {what_en}")
    return filled


def number_cells(t: Table, key: str, problems: Problems, *, unit: str, lo: float = 0.0, hi: float = MAX_AMOUNT,
                 lo_open: bool = False, whole: bool = False, words: dict[str, float] | None = None,
                 hint: tuple[str, str] | None = None) -> np.ndarray:
    """The column as floats (NaN blank); what is not a finite number, below `lo`, above `hi` or not whole
    is reported (and NaN). Thousands separators, full-width digits, a trailing % and `words` are read."""
    s = t.cols.get(key)
    n = len(t.rows)
    if s is None:
        return np.full(n, np.nan)
    label = t.label(key)
    if s.dtype.kind in "if":
        x = s.to_numpy(dtype="float64", copy=True)
    else:
        x = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", copy=True)
        idx = np.nonzero(np.isnan(x) & s.notna().to_numpy())[0]
        if len(idx):  # what the fast parser did not read: each distinct text once
            codes, uniques = pd.factorize(s.to_numpy(dtype=object)[idx])
            x[idx] = np.array([_parse_number(u, words) for u in uniques] + [np.nan])[codes]
    bad = ~np.isfinite(x) & ~np.isnan(x)
    hint = hint or ("不是数字：请填写数值（如 1200.5）" + ("，或 是/否" if words is BOOL_WORDS else ""),
                    "is not a number: write a number (e.g. 1200.5)" + (" or 是/否 (yes/no)" if words is BOOL_WORDS
                                                                      else ""))
    for i in np.nonzero(bad)[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), label, _cell(s, i), "bad_number", *hint)
    x[bad] = np.nan
    with np.errstate(invalid="ignore"):
        low = (x <= lo) if lo_open else (x < lo)
        high = x > hi
        frac = (x != np.round(x)) & ~np.isnan(x) if whole else np.zeros(n, dtype=bool)
    for i in np.nonzero(low | high | frac)[0]:
        v = _cell(s, i)
        if low[i] and lo == 0 and not lo_open:
            problems.add(t.src, t.src.file, int(t.rows[i]), label, v, "negative_value", "不能为负数", "must not be negative")
        elif low[i] or high[i]:
            bound = f"{hi:.0e}" if hi >= 1e6 else f"{hi:g}"
            code = "value_out_of_range"
            zh_lo = f"大于{lo:g}" if lo_open else f"不小于{lo:g}"
            en_lo = f"above {lo:g}" if lo_open else f"at least {lo:g}"
            problems.add(t.src, t.src.file, int(t.rows[i]), label, v, code,
                         f"须{zh_lo}且不超过{bound}（单位：{unit}）：请检查数值与单位",
                         f"must be {en_lo} and at most {bound} (unit: {unit}): check the value and the unit")
        else:
            problems.add(t.src, t.src.file, int(t.rows[i]), label, v, "not_whole", f"须为整数（{unit}）",
                         f"must be a whole number ({unit})")
    x[low | high | frac] = np.nan
    return x


def _parse_number(value: object, words: dict[str, float] | None) -> float:
    """A cell the fast parser did not read: NaN when blank, inf when not a number (reported)."""
    raw = clean(value) if isinstance(value, str) else _number_text(value)
    if not raw:
        return np.nan
    if words and word_key(raw) in words:
        return words[word_key(raw)]
    try:
        x = float(raw.replace(",", "").replace(" ", "").removesuffix("%"))
    except ValueError:
        return np.inf
    return np.inf if np.isnan(x) else x


def _cell(s: pd.Series, i: int) -> str:
    v = s.iloc[i]
    return clean(v) if isinstance(v, str) else _number_text(v)


def parse_date(text: str) -> dt.date | None:
    """2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501 or an Excel serial (45413); None if not a date."""
    for pattern in _YMD:
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = _SERIAL.fullmatch(text)
    if m:
        return _EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
    return None


def date_cells(t: Table, key: str, problems: Problems, *, first_year: int) -> np.ndarray:
    """The column as 'YYYY-MM-DD' ("" blank or unusable, reported)."""
    values = text_cells(t, key, problems)
    codes, uniques = pd.factorize(values)
    out = []
    bad: dict[int, tuple[str, str]] = {}
    for j, u in enumerate(uniques):
        if not u:
            out.append("")
            continue
        d = parse_date(u)
        if d is None:
            bad[j] = ("不是有效日期：请写成 2024-05-01、2024/5/1 或 2024年5月1日", "is not a valid date: write 2024-05-01, "
                      "2024/5/1 or 2024年5月1日")
        elif not first_year <= d.year <= YEAR_MAX:
            bad[j] = (f"日期须在{first_year}年至{YEAR_MAX}年之间", f"the date must be between {first_year} and {YEAR_MAX}")
        out.append("" if j in bad else d.isoformat())
    for j, (zh, en) in bad.items():
        for i in np.nonzero(codes == j)[0]:
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), uniques[j], "bad_date", zh, en)
    return np.array([*out, ""], dtype=object)[codes]


def vocabulary(t: Table, key: str, values: np.ndarray, words: dict[str, str], problems: Problems, code: str,
               zh: str, en: str) -> np.ndarray:
    """Words → the contract's vocabulary ("" blank); unknown words reported with what is accepted."""
    codes, uniques = pd.factorize(values)
    out, bad = [], []
    for j, u in enumerate(uniques):
        w = words.get(word_key(u)) if u else ""
        if w is None:
            bad.append(j)
        out.append(w or "")
    for j in bad:
        for i in np.nonzero(codes == j)[0]:
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), uniques[j], code, zh, en)
    return np.array([*out, ""], dtype=object)[codes]


def report_rows(t: Table, key: str, mask: np.ndarray, values, problems: Problems, code: str, zh: str, en: str):
    for i in np.nonzero(mask)[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), str(values[i]) or None, code, zh, en)


def duplicates(t: Table, keys: list[np.ndarray], valid: np.ndarray, problems: Problems, label_key: str,
               code: str, zh: str, en: str) -> np.ndarray:
    """Rows repeating an earlier valid row's key, each naming the first; returns the mask of repeats."""
    frame = pd.DataFrame({i: k for i, k in enumerate(keys)})
    repeat = np.zeros(len(t.rows), dtype=bool)
    if not valid.any():
        return repeat
    sub = frame[valid]
    dup = sub.duplicated(keep=False).to_numpy()
    first: dict[tuple, int] = {}
    for i, k in zip(np.nonzero(valid)[0][dup], sub[dup].itertuples(index=False, name=None)):
        if k in first:
            repeat[i] = True
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label(label_key), str(k[0]), code,
                         f"与第{first[k]}行重复（{zh}）：请删除其中一行", f"duplicates row {first[k]} ({en}): delete one")
        else:
            first[k] = int(t.rows[i])
    return repeat


class Area:
    """The plan's area: its districts by code, name or alias; its whole code."""

    def __init__(self, plan: Plan) -> None:
        r = plan.regions
        self.whole = r.whole_code if r else None
        self.codes = {d.code for d in r.districts} if r else set()
        self.names: dict[str, str] = {}
        for d in (r.districts if r else []):
            for w in (d.name, *d.aliases):
                self.names.setdefault(word_key(w), d.code)
        self.listed = "、".join(f"{d.code}（{d.name}）" for d in (r.districts if r else [])[:8]) + \
            ("…" if r and len(r.districts) > 8 else "")
        self.whole_names = {word_key(w) for w in ((r.whole_name, "全市", "全省", "全区", "全域", "合计") if r else ())}

    def district(self, value: str) -> tuple[str | None, str, str, str]:
        """(code, problem code, zh, en); code None when refused."""
        if value in self.codes:
            return value, "", "", ""
        code = self.names.get(word_key(value))
        if code:
            return code, "", "", ""
        if not re.fullmatch(r"\d{6}", value):
            return None, "bad_district", "须为6位行政区划代码（GB/T 2260）或规划所列区县的名称", \
                "must be a 6-digit GB/T 2260 code or the name of one of the plan's districts"
        if self.codes:
            return None, "unknown_district", f"不是规划所列的区县；可用的区县如：{self.listed}", \
                f"is not one of the plan's districts; they are e.g. {self.listed}"
        if self.whole and value[:2] != self.whole[:2]:
            return None, "unknown_district", f"不在规划区域（{self.whole}）内：区县代码须以{self.whole[:2]}开头", \
                f"is outside the plan's area ({self.whole}): the code must start with {self.whole[:2]}"
        return value, "", "", ""

    def resolve(self, t: Table, key: str, values: np.ndarray, problems: Problems, *, whole: bool = False
                ) -> np.ndarray:
        codes, uniques = pd.factorize(values)
        out = []
        for j, u in enumerate(uniques):
            if whole and self.whole and (u == self.whole or word_key(u) in self.whole_names):
                out.append(self.whole)
                continue
            code, problem, zh, en = self.district(u) if u else ("", "", "", "")
            if problem and whole:
                zh = f"须为全域代码 {self.whole} 或规划所列区县：" + zh
                en = f"must be the whole area's code {self.whole} or one of the plan's districts: " + en
            if problem:
                for i in np.nonzero(codes == j)[0]:
                    problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), u, problem, zh, en)
            out.append(code or "")
        return np.array([*out, ""], dtype=object)[codes]
