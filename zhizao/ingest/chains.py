"""Chain data files: enterprises, their places on the plan's chain links, and who supplies whom.

One XLSX workbook with three sheets (企业 / 环节企业 / 供应关系, or enterprises / members / supply) or
three CSV files (UTF-8 or GBK; which table a CSV holds is read from its headers). `read_chain_files`
reads them and checks every row against the plan (codes, districts, chains, links, roles, numbers,
supply relations), returning the three frames of the chain-data contract or every problem at once,
each naming file, sheet, row and column (docs/data-import.md §Chain data). Nothing here writes.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from zhizao.codes import uscc
from zhizao.codes.countries import is_country
from zhizao.plan.spec import Plan

from .table import HEADER_SCAN_ROWS, MAX_CELL_CHARS, MAX_COLUMNS, ImportProblem, TableReadError, _norm_header, _shorten
from .workbook import MAX_AMOUNT, Problems as _Problems, Sheet as _Sheet, clean as _clean
from .workbook import files_sha256
from .workbook import records_of_file as _records_of_file

# The chain-data contract's columns (zhizao/analytics/chains/data.py; the store sits below the
# analytics, so they are repeated here and a test keeps the two equal).
ENTERPRISE_COLUMNS = ["enterprise_id", "name", "district", "country", "output"]
MEMBER_COLUMNS = ["enterprise_id", "chain", "link", "role", "capacity"]
SUPPLY_COLUMNS = ["supplier_id", "buyer_id", "chain", "link", "share"]
ROLES = ("leader", "core", "supplier")
HOME_COUNTRY = "CN"
# Σ share per buyer and link may exceed 100 % by this relative amount (rounding in a spreadsheet's
# percentages): 1e-6 of 100 %, i.e. 0.0001 percentage points
SHARE_TOLERANCE = 1e-6
SHARE_LIMIT = 100 * (1 + SHARE_TOLERANCE)
# store table → its contract columns (the store adds batch_id and plan_id)
CHAIN_TABLES = {"chain_enterprises": ENTERPRISE_COLUMNS, "chain_members": MEMBER_COLUMNS,
                "chain_supply": SUPPLY_COLUMNS}

TEXT_COLUMNS = frozenset({"enterprise_id", "name", "district", "country", "chain", "link", "role", "supplier_id",
                          "buyer_id"})  # the others are numbers (float, NaN when unknown)


def contract_frame(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """`frame` with exactly `cols`: text as Python str in object columns (None when missing), numbers
    as float64 (NaN when unknown) — the same frame whether read from a file or from either store."""
    out = frame.reindex(columns=cols).reset_index(drop=True)
    for c in cols:
        if c in TEXT_COLUMNS:
            out[c] = pd.Series([v if isinstance(v, str) and v != "" else None for v in out[c].tolist()],
                               dtype=object)
        else:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


# --- the tables and their headers -------------------------------------------------------------------
TABLE_NAMES = {  # store table → (中文, English) as the messages and the workbook's sheets name it
    "chain_enterprises": ("企业", "enterprises"),
    "chain_members": ("环节企业", "members"),
    "chain_supply": ("供应关系", "supply"),
}
SHEET_NAMES = {  # accepted sheet names (compared as headers are: NFKC, case and spaces ignored)
    "chain_enterprises": ("企业", "enterprises", "企业名录", "企业清单"),
    "chain_members": ("环节企业", "members", "链上企业", "环节"),
    "chain_supply": ("供应关系", "supply", "供应", "配套关系"),
}
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise_id": ("enterprise_id", "企业代码", "统一社会信用代码", "社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "名称"),
    "district": ("district", "所在地代码", "区县代码", "所在地", "区县", "地区代码"),
    "country": ("country", "国家", "国家或地区", "国别"),
    "output": ("output", "产值(万元)", "产值", "年产值(万元)", "output(10kyuan)"),
    "chain": ("chain", "产业链"),
    "link": ("link", "环节", "产业链环节"),
    "role": ("role", "角色", "企业角色"),
    "capacity": ("capacity", "产能(万元)", "产能", "capacity(10kyuan)"),
    "supplier_id": ("supplier_id", "供应商代码", "供应商", "供应企业代码"),
    "buyer_id": ("buyer_id", "采购商代码", "采购商", "采购企业代码"),
    "share": ("share", "占需求比重(%)", "占需求比重", "比重(%)", "share(%)", "share_percent"),
    "note": ("note", "备注"),  # accepted and not stored
}
_HEADERS = {_norm_header(a): key for key, names in COLUMN_ALIASES.items() for a in names}
REQUIRED = {
    "chain_enterprises": ("enterprise_id", "name"),  # district: required at home (checked per row)
    "chain_members": ("enterprise_id", "chain", "link", "role"),
    "chain_supply": ("supplier_id", "buyer_id", "chain", "link", "share"),
}
ALLOWED = {t: {*cols, "note"} for t, cols in CHAIN_TABLES.items()}
COLUMN_ZH = {"enterprise_id": "企业代码", "name": "企业名称", "district": "所在地代码", "country": "国家",
             "output": "产值(万元)", "chain": "产业链", "link": "环节", "role": "角色", "capacity": "产能(万元)",
             "supplier_id": "供应商代码", "buyer_id": "采购商代码", "share": "占需求比重(%)"}
ROLE_WORDS = {"链主": "leader", "链主企业": "leader", "leader": "leader", "核心配套": "core", "核心配套企业": "core",
              "core": "core", "配套": "supplier", "配套企业": "supplier", "supplier": "supplier"}
COUNTRY_WORDS = {"中国": "CN", "中华人民共和国": "CN", "日本": "JP", "韩国": "KR", "美国": "US", "德国": "DE",
                 "法国": "FR", "英国": "GB", "荷兰": "NL", "瑞士": "CH", "意大利": "IT", "新加坡": "SG",
                 "马来西亚": "MY", "泰国": "TH", "越南": "VN", "印度": "IN", "加拿大": "CA", "澳大利亚": "AU"}
# GB/T 2260 province-level codes (the first two digits of every county code in China).
PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                      "61 62 63 64 65 71 81 82".split())
FILE_PROBLEMS = ("unreadable_file", "no_header", "unknown_table")  # a table may hide behind these: not "missing"
_FOREIGN_ID = re.compile(r"[A-Z0-9][A-Z0-9_.\-]{0,63}")


def _header_index(rows: list[tuple[int, list[str]]]) -> int | None:
    """The header among the first rows: the first naming two or more known columns."""
    for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len({_HEADERS.get(_norm_header(c)) for c in cells} - {None}) >= 2:
            return i
    return None


def _which_table(keys: set[str], sheet: str | None) -> str | None:
    if sheet is not None:
        name = _norm_header(sheet)
        for table, names in SHEET_NAMES.items():
            if name in {_norm_header(n) for n in names}:
                return table
    if {"supplier_id", "buyer_id"} & keys:
        return "chain_supply"
    if {"chain", "link", "role"} & keys:
        return "chain_members"
    if {"name", "district", "country", "output"} & keys:
        return "chain_enterprises"
    return None


def _sheets(paths: Sequence[Path], problems: _Problems) -> dict[str, _Sheet]:
    """Each table found once among the files (XLSX sheets by name or headers, CSV by headers)."""
    found: dict[str, _Sheet] = {}
    for path in paths:
        name = path.name[:200]
        try:
            parts = _records_of_file(path)
        except TableReadError as e:
            problems.add(None, name, None, None, None, "unreadable_file", e.reason_zh, e.reason_en)
            continue
        workbook = parts and parts[0][0] is not None
        recognised = 0
        for sheet, records in parts:
            rows = [(n, [c if isinstance(c, str) else str(c) for c in cells]) for n, cells in records
                    if any(str(c).strip() for c in cells)]
            h = _header_index(rows)
            if h is None:
                if workbook and _which_table(set(), sheet) is None:
                    continue  # a sheet of notes (说明) beside the three tables
                problems.add(_Sheet(name, sheet, 1, [], []), name, None, None, None, "no_header",
                             f"找不到表头行：前{HEADER_SCAN_ROWS}行中没有一行含两个以上可识别的列名"
                             "（如 企业代码、企业名称、产业链、环节、供应商代码）；列名见 docs/data-import.md §Chain data",
                             f"no header row: none of the first {HEADER_SCAN_ROWS} rows names two known columns "
                             "(enterprise_id, name, chain, link, supplier_id …); see docs/data-import.md §Chain data")
                recognised += 1  # reported: not also "no sheet recognised"
                continue
            src = _Sheet(name, sheet, rows[h][0], [_clean(c) for c in rows[h][1]], rows[h + 1:])
            src.keys = [_HEADERS.get(_norm_header(c)) for c in src.header]
            table = _which_table({k for k in src.keys if k}, sheet)
            if table is None:
                problems.add(src, name, None, None, None, "unknown_table",
                             "认不出是哪张表：表头须含企业代码、企业名称（企业表），产业链、环节、角色（环节企业表），"
                             "或供应商代码、采购商代码（供应关系表）；XLSX的工作表可命名为 企业 / 环节企业 / 供应关系",
                             "cannot tell which table this is: the header must name enterprise_id and name "
                             "(enterprises), chain, link and role (members), or supplier_id and buyer_id (supply); "
                             "XLSX sheets may be named enterprises / members / supply")
                continue
            recognised += 1
            if table in found:
                other = found[table]
                zh, en = TABLE_NAMES[table]
                problems.add(src, name, None, None, None, "duplicate_table",
                             f"{zh}表已由“{other.file}”{('工作表“' + other.sheet + '”') if other.sheet else ''}给出；"
                             "每张表只能给一次，请合并后导入",
                             f"the {en} table was already given by '{other.file}'"
                             f"{(' sheet ' + repr(other.sheet)) if other.sheet else ''}; give each table once "
                             "(merge them)")
                continue
            found[table] = src
        if workbook and not recognised:
            problems.add(None, name, None, None, None, "unknown_table",
                         "工作簿中没有可识别的工作表：请命名为 企业 / 环节企业 / 供应关系 并在首行写表头",
                         "no sheet of the workbook is recognised: name them enterprises / members / supply "
                         "and put the header in the first row")
    return found


# --- validation -------------------------------------------------------------------------------------------
@dataclass
class _Table:
    """A table's cells by canonical column (cleaned text), with the row numbers and the headers as written."""

    src: _Sheet
    rows: list[int]
    cells: dict[str, list[str]]
    shown: dict[str, str]  # canonical column → its header in the file

    def column(self, key: str) -> list[str]:
        return self.cells.get(key) or [""] * len(self.rows)


def _table(src: _Sheet, table: str, problems: _Problems) -> _Table | None:
    """Check the header and the row widths; the cells by canonical column, or None when unusable."""
    hr, file = src.header_row, src.file
    width = len(src.header)
    while width and not src.header[width - 1] and not any(len(c) >= width and c[width - 1].strip()
                                                              for _, c in src.rows):
        width -= 1  # trailing blank header cells with nothing under them
    if width > MAX_COLUMNS:
        problems.add(src, file, hr, None, None, "unreadable_file", f"表头有{width}列，超过{MAX_COLUMNS}列",
                     f"the header has {width} columns, more than {MAX_COLUMNS}")
        return None
    positions: dict[str, int] = {}
    shown: dict[str, str] = {}
    ok = True
    for pos in range(width):
        header, key = src.header[pos], src.keys[pos] if pos < len(src.keys) else None
        label = _shorten(header) or f"(第{pos + 1}列)"
        if key is None or key not in ALLOWED[table]:
            zh, en = TABLE_NAMES[table]
            problems.add(src, file, hr, label, None, "unknown_column",
                         f"不是{zh}表的列名：{zh}表的列为 " + "、".join(COLUMN_ZH[c] for c in CHAIN_TABLES[table])
                         + "（及备注）；请改名或删除该列",
                         f"not a column of the {en} table, whose columns are " + ", ".join(CHAIN_TABLES[table])
                         + " (and note); rename or delete the column")
            ok = False
        elif key in positions:
            problems.add(src, file, hr, label, None, "duplicate_column",
                         f"与“{shown[key]}”是同一列（{key}）：请删除其中一列",
                         f'the same column ({key}) as "{shown[key]}": delete one of them')
            ok = False
        else:
            positions[key], shown[key] = pos, header
    for key in REQUIRED[table]:
        if key not in positions:
            problems.add(src, file, None, COLUMN_ZH[key], None, "missing_column",
                         f"缺少必填列“{COLUMN_ZH[key]}”（{key}）：请添加该列",
                         f"the required column '{key}' ({COLUMN_ZH[key]}) is missing: add it")
            ok = False
    numbers, cells = [], {k: [] for k in positions}
    for n, raw in src.rows:
        if len(raw) < width and any(pos >= len(raw) for pos in positions.values()):
            lost = [shown[k] for k, p in positions.items() if p >= len(raw)]
            problems.add(src, file, n, None, None, "missing_fields",
                         f"只有{len(raw)}个字段，缺少“{'、'.join(lost)}”列：该行可能被截断，请补全或删除该行",
                         f"has only {len(raw)} fields; the columns {', '.join(lost)} are missing: the row looks "
                         "cut off; complete or delete it")
            continue
        extra = " | ".join(c.strip() for c in raw[width:] if c.strip())
        if extra:
            problems.add(src, file, n, None, extra, "extra_cells", "表头之外还有内容：请删除或为其添加表头",
                         "there are cells beyond the last header; delete them or give them a header")
        for key, pos in positions.items():
            text = raw[pos]
            if len(text) > MAX_CELL_CHARS:
                problems.add(src, file, n, shown[key], text, "cell_too_long",
                             f"超过{MAX_CELL_CHARS}个字符（Excel单元格上限）：请缩短",
                             f"longer than {MAX_CELL_CHARS} characters (Excel's cell limit): shorten it")
                text = ""
            cells[key].append(_clean(text))
        numbers.append(n)
    return _Table(src, numbers, cells, shown) if ok else None


def _missing(t: _Table, key: str, problems: _Problems, example_zh: str, example_en: str,
             only: np.ndarray | None = None) -> np.ndarray:
    """Rows where a required cell is blank (reported); returns the mask of filled cells."""
    values = t.column(key)
    filled = np.array([bool(v) for v in values], dtype=bool)
    for i in np.nonzero(~filled if only is None else (~filled & only))[0]:
        problems.add(t.src, t.src.file, t.rows[i], t.shown.get(key, COLUMN_ZH[key]), None, "missing_value",
                     f"为空：该列必填，请填写{example_zh}", f"is empty: this column is required; fill in {example_en}")
    return filled


def _numbers(t: _Table, key: str, problems: _Problems, *, percent: bool = False) -> np.ndarray:
    """The column as floats (NaN when blank); unreadable, non-finite, negative or too large values are
    reported (and NaN). `percent`: 0–100, a trailing % allowed."""
    values = t.column(key)
    text = pd.Series([v.replace(",", "").replace(" ", "").removesuffix("%") if percent else
                      v.replace(",", "").replace(" ", "") for v in values], dtype=object)
    nums = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype="float64", copy=True)
    label = t.shown.get(key, COLUMN_ZH[key])
    for i in range(len(values)):
        v, x = values[i], nums[i]
        if not v:
            continue
        if math.isnan(x) or math.isinf(x):
            problems.add(t.src, t.src.file, t.rows[i], label, v, "bad_number", "不是数字：请填写数值（如 1200.5）",
                         "is not a number: write a number (e.g. 1200.5)")
        elif percent and not 0 <= x <= 100:
            problems.add(t.src, t.src.file, t.rows[i], label, v, "share_out_of_range",
                         "占需求比重须在0到100之间（百分数）", "the share of the buyer's need must be between 0 and 100 (percent)")
        elif x < 0:
            problems.add(t.src, t.src.file, t.rows[i], label, v, "negative_value", "不能为负数",
                         "must not be negative")
        elif x > MAX_AMOUNT:
            problems.add(t.src, t.src.file, t.rows[i], label, v, "value_out_of_range",
                         f"超过{MAX_AMOUNT:.0e}万元，不合情理：请检查单位（万元）",
                         f"exceeds {MAX_AMOUNT:.0e} 万元, which is not plausible: check the unit (万元)")
        else:
            continue
        nums[i] = np.nan
    return nums


def _duplicates(t: _Table, keys: list[list[str]], problems: _Problems, code: str, label_key: str,
                zh: str, en: str, valid: np.ndarray) -> None:
    """Rows repeating an earlier row's key (among valid rows), each naming the first."""
    first: dict[tuple, int] = {}
    for i, k in enumerate(zip(*keys)):
        if not valid[i]:
            continue
        if k in first:
            problems.add(t.src, t.src.file, t.rows[i], t.shown.get(label_key), str(k[0]), code,
                         f"与第{first[k]}行重复（{zh}）：请删除其中一行", f"duplicates row {first[k]} ({en}): delete one")
        else:
            first[k] = t.rows[i]


class _ChainIndex:
    """The plan's chains and links by id or name."""

    def __init__(self, plan: Plan) -> None:
        self.chains: dict[str, str] = {}
        self.links: dict[str, dict[str, str]] = {}
        self.names: dict[str, list[str]] = {}
        for c in plan.chains:
            for word in (c.id, c.name, c.name_en):
                if word:
                    self.chains.setdefault(_norm_header(word), c.id)
            links: dict[str, str] = {}
            for lk in c.links:
                for word in (lk.id, lk.name, lk.name_en):
                    if word:
                        links.setdefault(_norm_header(word), lk.id)
            self.links[c.id] = links
            self.names[c.id] = [f"{lk.id}（{lk.name}）" for lk in c.links]
        self.chain_list = [f"{c.id}（{c.name}）" for c in plan.chains]

    def resolve(self, t: _Table, problems: _Problems) -> tuple[list[str | None], list[str | None]]:
        """Chain and link ids per row (None where unknown, reported)."""
        chains, links = t.column("chain"), t.column("link")
        out_c: list[str | None] = []
        out_l: list[str | None] = []
        for i, (c, lk) in enumerate(zip(chains, links)):
            cid = self.chains.get(_norm_header(c)) if c else None
            if c and cid is None:
                known = "、".join(self.chain_list[:12])
                problems.add(t.src, t.src.file, t.rows[i], t.shown.get("chain"), c, "unknown_chain",
                             f"规划中没有这条产业链；可用的产业链（编号或名称）：{known}",
                             f"the plan has no such chain; its chains (id or name): {known}")
            lid = self.links.get(cid, {}).get(_norm_header(lk)) if cid and lk else None
            if cid and lk and lid is None:
                known = "、".join(self.names[cid][:20])
                problems.add(t.src, t.src.file, t.rows[i], t.shown.get("link"), lk, "unknown_link",
                             f"产业链“{cid}”没有这个环节；其环节（编号或名称）：{known}",
                             f"the chain '{cid}' has no such link; its links (id or name): {known}")
            out_c.append(cid)
            out_l.append(lid)
        return out_c, out_l


def _area(plan: Plan) -> tuple[str | None, set[str]]:
    """The plan area's code prefix (500000 → 50, 990100 → 9901) and its district codes."""
    if plan.regions is None:
        return None, set()
    prefix = re.sub(r"(00)+$", "", plan.regions.whole_code) or None
    return prefix, {d.code for d in plan.regions.districts}


_USCC_REASONS = (  # uscc.validate's reason (English, stable) → what to tell the user in Chinese
    ("length", "长度不是18位"), ("character outside", "含有统一社会信用代码不允许的字符（不用I、O、Z、S、V）或第3–8位不是数字"),
    ("unknown registering", "第1位登记管理部门代码无效（应为1、5、9、Y等）"), ("check character", "校验码（第18位）不符"),
)


def uscc_reason(code: str) -> tuple[str, str]:
    """Why a credit code is refused, (zh, en): the chain, enterprise and delivery imports say it alike."""
    reason = uscc.validate(code).reason
    zh = next((z for k, z in _USCC_REASONS if reason.startswith(k)), "格式不符")
    return zh, reason


def _enterprises(t: _Table, plan: Plan, problems: _Problems) -> tuple[pd.DataFrame, set[str]]:
    """The enterprises frame and every id the table lists (also those with problems, so that their
    rows elsewhere are not reported again as unknown)."""
    file, src = t.src.file, t.src
    ids = [v.upper() for v in t.column("enterprise_id")]
    _missing(t, "enterprise_id", problems, "统一社会信用代码", "the unified social credit code")
    names = t.column("name")
    _missing(t, "name", problems, "企业名称", "the enterprise's name")
    countries = []
    for i, c in enumerate(t.column("country")):
        code = COUNTRY_WORDS.get(c, c.upper()) if c else HOME_COUNTRY
        if not is_country(code):  # ISO 3166-1 alpha-2 as assigned (ZZ is not a country)
            problems.add(src, file, t.rows[i], t.shown.get("country"), c, "bad_country",
                         "须为两位国家代码（ISO 3166-1，如 CN、JP、DE）或国名；空白即中国",
                         "must be a two-letter country code (ISO 3166-1: CN, JP, DE …) or a country name; blank is CN")
        countries.append(code)
    home = np.array([c == HOME_COUNTRY for c in countries], dtype=bool)
    valid_code = uscc.valid_mask(ids) if ids else np.zeros(0, dtype=bool)
    for i in np.nonzero(~valid_code)[0]:
        code = ids[i]
        if not code:
            continue
        if not home[i] and _FOREIGN_ID.fullmatch(code) and not (len(code) == 18 and code[2:8].isdigit()):
            continue  # a foreign enterprise has no credit code: its own id (letters, digits, _ . -)
        zh, en = uscc_reason(code)
        problems.add(src, file, t.rows[i], t.shown.get("enterprise_id"), code, "bad_credit_code",
                     f"不是有效的统一社会信用代码：{zh}；请核对（境外企业可填其他编号并填写国家）",
                     f"is not a valid unified social credit code: {en}; check it (an enterprise abroad may "
                     "have another id, with its country)")
    _duplicates(t, [ids], problems, "duplicate_enterprise", "enterprise_id", "企业代码相同",
                "the same enterprise id", np.array([bool(v) for v in ids], dtype=bool))
    prefix, districts = _area(plan)
    known_prefixes = PROVINCES | {p[:2] for p in (plan.supply_region.division_prefixes if plan.supply_region else [])}
    district_col = t.column("district")
    label = t.shown.get("district", COLUMN_ZH["district"])
    out_districts: list[str | None] = []
    for i, d in enumerate(district_col):
        value: str | None = d or None
        if home[i]:
            if not d:
                problems.add(src, file, t.rows[i], label, None, "missing_value",
                             "为空：境内企业须填所在地的6位行政区划代码（GB/T 2260）",
                             "is empty: an enterprise in China needs the 6-digit GB/T 2260 code of where it produces")
            elif not re.fullmatch(r"\d{6}", d):
                problems.add(src, file, t.rows[i], label, d, "bad_district",
                             "须为6位行政区划代码（GB/T 2260，如 510100）", "must be a 6-digit GB/T 2260 code (e.g. 510100)")
            elif prefix and d.startswith(prefix) and districts and d not in districts:
                problems.add(src, file, t.rows[i], label, d, "unknown_district",
                             "在规划区域内，但不是规划所列的区县代码；请填企业所在区县的代码",
                             "is inside the plan's area but not one of its districts; give the code of the "
                             "enterprise's district")
            elif not (prefix and d.startswith(prefix)) and d[:2] not in known_prefixes:
                problems.add(src, file, t.rows[i], label, d, "unknown_district",
                             "前两位不是省级行政区划代码（GB/T 2260）", "its first two digits are not a GB/T 2260 "
                             "province-level code")
        elif d:
            problems.add(src, file, t.rows[i], label, d, "district_abroad",
                         f"国家为 {countries[i]}（境外）时所在地代码须为空", f"must be empty for an enterprise abroad "
                         f"(country {countries[i]})")
            value = None
        out_districts.append(value)
    output = _numbers(t, "output", problems) if "output" in t.cells else np.full(len(t.rows), np.nan)
    frame = pd.DataFrame({"enterprise_id": ids, "name": names, "district": out_districts, "country": countries,
                          "output": output}, columns=ENTERPRISE_COLUMNS)
    return frame, {i for i in ids if i}


def _members(t: _Table, index: _ChainIndex, enterprises: set[str] | None, problems: _Problems) -> pd.DataFrame:
    """The members frame; `enterprises` None: the enterprises table could not be read (not checked against)."""
    file, src = t.src.file, t.src
    ids = [v.upper() for v in t.column("enterprise_id")]
    for key, zh, en in (("enterprise_id", "企业代码", "the enterprise id"), ("chain", "产业链编号或名称", "a chain id or name"),
                        ("link", "环节编号或名称", "a link id or name"), ("role", "链主、核心配套或配套", "leader, core or supplier")):
        _missing(t, key, problems, zh, en)
    for i, e in enumerate(ids):
        if e and enterprises is not None and e not in enterprises:
            problems.add(src, file, t.rows[i], t.shown.get("enterprise_id"), e, "unknown_enterprise",
                         "不在企业表中：请先在企业表列出该企业", "is not in the enterprises table: list the enterprise there first")
    chains, links = index.resolve(t, problems)
    roles = []
    for i, r in enumerate(t.column("role")):
        role = ROLE_WORDS.get(r) or ROLE_WORDS.get(r.lower())
        if r and role is None:
            problems.add(src, file, t.rows[i], t.shown.get("role"), r, "unknown_role",
                         "角色须为 链主、核心配套 或 配套", "the role must be leader (链主), core (核心配套) or supplier (配套)")
        roles.append(role)
    capacity = _numbers(t, "capacity", problems) if "capacity" in t.cells else np.full(len(t.rows), np.nan)
    valid = np.array([bool(e) and c is not None and lk is not None for e, c, lk in zip(ids, chains, links)], dtype=bool)
    _duplicates(t, [ids, chains, links], problems, "duplicate_member", "enterprise_id", "同一企业、产业链与环节",
                "the same enterprise, chain and link", valid)
    return pd.DataFrame({"enterprise_id": ids, "chain": chains, "link": links, "role": roles, "capacity": capacity},
                        columns=MEMBER_COLUMNS)


def _supply(t: _Table, index: _ChainIndex, enterprises: set[str] | None, members: pd.DataFrame | None,
            problems: _Problems) -> pd.DataFrame:
    """The supply frame; `enterprises` / `members` None: that table could not be read, so the rows are
    not checked against it (one problem for the file, not one per row that names it)."""
    file, src = t.src.file, t.src
    sup = [v.upper() for v in t.column("supplier_id")]
    buy = [v.upper() for v in t.column("buyer_id")]
    for key, zh, en in (("supplier_id", "供应商的企业代码", "the supplier's id"), ("buyer_id", "采购商的企业代码", "the buyer's id"),
                        ("chain", "产业链编号或名称", "a chain id or name"), ("link", "环节编号或名称", "a link id or name"),
                        ("share", "占采购商该环节需求的百分比（0–100）", "the percent (0–100) of the buyer's need")):
        _missing(t, key, problems, zh, en)
    for key, values, who_zh, who_en in (("supplier_id", sup, "供应商", "supplier"), ("buyer_id", buy, "采购商", "buyer")):
        for i, e in enumerate(values):
            if e and enterprises is not None and e not in enterprises:
                problems.add(src, file, t.rows[i], t.shown.get(key), e, "unknown_enterprise",
                             f"该{who_zh}不在企业表中：请先在企业表列出该企业",
                             f"this {who_en} is not in the enterprises table: list the enterprise there first")
    for i, (s, b) in enumerate(zip(sup, buy)):
        if s and s == b:
            problems.add(src, file, t.rows[i], t.shown.get("buyer_id"), b, "self_loop",
                         "供应商与采购商是同一企业：企业内部的供应不记为供应关系", "the supplier and the buyer are the same "
                         "enterprise: supply within an enterprise is not a supply relation")
    chains, links = index.resolve(t, problems)
    share = _numbers(t, "share", problems, percent=True)
    member_keys = set(zip(members["enterprise_id"], members["chain"], members["link"])) if members is not None else None
    for i, (s, c, lk) in enumerate(zip(sup, chains, links)):
        if member_keys is None:
            break
        if (s in enterprises if enterprises is not None else bool(s)) and c is not None and lk is not None \
                and (s, c, lk) not in member_keys:
            problems.add(src, file, t.rows[i], t.shown.get("supplier_id"), s, "supplier_not_member",
                         f"该供应商不是产业链“{c}”环节“{lk}”的企业：请在环节企业表中加上它，或改正环节",
                         f"this supplier is not a member of link '{lk}' of chain '{c}': add it to the members "
                         "table, or correct the link")
    valid = np.array([bool(s) and bool(b) and c is not None and lk is not None
                      for s, b, c, lk in zip(sup, buy, chains, links)], dtype=bool)
    _duplicates(t, [sup, buy, chains, links], problems, "duplicate_relation", "supplier_id",
                "同一供应商、采购商、产业链与环节", "the same supplier, buyer, chain and link", valid)
    frame = pd.DataFrame({"supplier_id": sup, "buyer_id": buy, "chain": chains, "link": links, "share": share},
                         columns=SUPPLY_COLUMNS)
    ok = valid & ~np.isnan(share)
    if ok.any():
        part = frame[ok].assign(_row=np.asarray(t.rows, dtype=np.int64)[ok])
        sums = part.groupby(["buyer_id", "chain", "link"], sort=False)["share"].transform("sum")
        over = part[sums > SHARE_LIMIT]
        for (b, c, lk), group in over.groupby(["buyer_id", "chain", "link"], sort=False):
            rows = group["_row"].tolist()
            listed = "、".join(map(str, rows[:10])) + ("…" if len(rows) > 10 else "")
            # the row that takes the total over 100 %
            k = int(np.argmax(group["share"].cumsum().to_numpy() > SHARE_LIMIT))
            total = _over_100(float(group["share"].sum()))
            problems.add(src, file, rows[k], t.shown.get("share"), f"{group['share'].iloc[k]:g}", "share_over_100",
                         f"采购商 {b} 对产业链“{c}”环节“{lk}”的需求比重合计 {total}%，超过100%（第{listed}行）："
                         "请核对各供应商的比重",
                         f"the shares of buyer {b}'s need for link '{lk}' of chain '{c}' add up to {total} %, more "
                         f"than 100 % (rows {listed.replace('、', ', ')}): check each supplier's share")
    frame["share"] = frame["share"] / 100.0
    return frame


def _over_100(total: float) -> str:
    """A total above SHARE_LIMIT with the fewest digits that still read above 100 (100.0002, not 100)."""
    for digits in range(4, 18):
        text = f"{total:.{digits}g}"
        if float(text) > 100:
            return text
    return repr(total)


def read_chain_files(paths: Sequence[str | Path], plan: Plan, progress: Callable | None = None
                     ) -> tuple[dict[str, pd.DataFrame], list[ImportProblem], str]:
    """Read and check chain data for `plan`: one XLSX with three sheets or three CSV files (any mix
    giving each table once). Returns ({store table: contract frame}, [], sha256 of the files) or
    ({}, every problem, sha256). Never raises for what a file holds."""
    step = progress or (lambda stage, rows: None)
    problems = _Problems()
    paths = [Path(p) for p in paths]
    step("read", None)
    digest = files_sha256(paths)
    found = _sheets(paths, problems)
    label = paths[0].name[:200] if paths else ""
    for table, (zh, en) in TABLE_NAMES.items():
        if table not in found and not any(p.code in FILE_PROBLEMS for p in problems.items):
            problems.add(None, label, None, None, None, "missing_table",
                         f"缺少{zh}表：请给出三张表（企业、环节企业、供应关系）——一个含三个工作表的XLSX，或三个CSV文件",
                         f"the {en} table is missing: give all three tables (enterprises, members, supply) — one "
                         "XLSX with three sheets, or three CSV files")
    tables = {name: _table(src, name, problems) for name, src in found.items()}
    step("validate", sum(len(t.rows) for t in tables.values() if t is not None))
    for name in ("chain_enterprises", "chain_members"):
        t = tables.get(name)
        if t is not None and not t.rows:
            zh, en = TABLE_NAMES[name]
            problems.add(t.src, t.src.file, None, None, None, "empty_table", f"{zh}表没有数据行：请至少填写一行",
                         f"the {en} table has no data rows: fill in at least one")
    index = _ChainIndex(plan)
    frames: dict[str, pd.DataFrame] = {}
    # A table missing, unreadable or empty is one problem: the other tables' rows are not also checked
    # against it (an empty enterprises file would make every member and relation "not in the table").
    usable = {n for n, t in tables.items() if t is not None and t.rows}
    ids: set[str] | None = None
    if tables.get("chain_enterprises") is not None:
        frames["chain_enterprises"], found = _enterprises(tables["chain_enterprises"], plan, problems)
        ids = found if "chain_enterprises" in usable else None
    if tables.get("chain_members") is not None:
        frames["chain_members"] = _members(tables["chain_members"], index, ids, problems)
    if tables.get("chain_supply") is not None:
        members = frames["chain_members"] if "chain_members" in usable else None
        frames["chain_supply"] = _supply(tables["chain_supply"], index, ids, members, problems)
    if problems.items or set(frames) != set(CHAIN_TABLES):
        return {}, problems.items, digest
    return {t: contract_frame(frames[t], cols) for t, cols in CHAIN_TABLES.items()}, [], digest
