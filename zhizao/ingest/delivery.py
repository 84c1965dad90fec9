"""Delivery data files (issue 14): projects and their monthly progress, 三服务 problems, and the
任务分工方案 (work items, milestones, progress reports, units) — the frames of
zhizao/ingest/delivery_frames.py.

One XLSX workbook with any of the sheets FRAME_NAMES names (Chinese, English or SHEET_ALIASES), or CSV
files (UTF-8 or GBK) one per frame, recognised by the file name or the headers. `read_delivery_files`
checks every row against the plan (districts, units, clusters, chains and links, tasks, vocabularies,
dates and their order, amounts, references between the frames and to the active data) and returns the
frames present or every problem at once (docs/data-import.md §Delivery data). `check_edit` runs the
same checks on one form/API edit. Nothing here writes.

The cell checks are zhizao/ingest/cells.py's, shared with the enterprise import: same wording, one place.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from zhizao.codes import uscc
from zhizao.plan.spec import ASCII_ID, Plan

from .cells import (YEAR_MAX, YEAR_MIN, Area, Table, check_required, date_cells, duplicates, is_filled, number_cells,
                    report_rows, text_cells, vocabulary, word_key)
from .chains import uscc_reason
from .delivery_frames import (COLUMN_UNITS, COLUMN_WORDS, DEPARTMENT_KINDS, FRAME_NAMES, FRAMES, KEYS,
                              PROBLEM_CATEGORIES, STAGES, STATUS_NAMES, DeliveryData, _dtype,
                              empty_frame, plan_work_items, unit_vocabulary)
from .table import HEADER_SCAN_ROWS, MAX_COLUMNS, ImportProblem, TableReadError, _norm_header, _shorten
from .workbook import FormulaCell, Problems, Sheet, files_sha256, records_of_file

# --- words --------------------------------------------------------------------------------------------
SHEET_ALIASES: dict[str, tuple[str, ...]] = {  # frame → sheet (or CSV file) names it is known by
    f: (*FRAME_NAMES[f], f, *more) for f, more in {
        "projects": ("重点项目", "项目清单", "项目台账", "重点项目台账", "project"),
        "project_progress": ("项目月度进度", "项目投资进度", "月度进度", "progress"),
        "problems": ("问题台账", "三服务问题台账", "企业问题", "难点卡点", "services", "service problems"),
        "work_items": ("任务分工方案", "工作任务", "重点任务", "tasks", "task decomposition"),
        "milestones": ("节点", "时间节点", "任务节点计划"),
        "progress_reports": ("进展情况", "任务进展", "进度报告", "reports"),
        "departments": ("单位名录", "责任单位", "部门", "departments"),
    }.items()}
NOTES_SHEETS = ("说明", "填表说明", "使用说明", "about", "notes", "readme")
_IGNORED = ("序号", "no.", "no", "说明")
_UNIT_WORDS = {"万元": ("万元", "10k yuan", "10,000 yuan", "ten thousand yuan", "10k cny", "rmb 10k"),
               "%": ("%", "percent", "百分比", "百分点")}
_MORE: dict[str, dict[str, tuple[str, ...]]] = {  # aliases beyond the template's words
    "projects": {"project_id": ("项目代码", "编号"), "name": ("名称",), "cluster": ("产业集群", "集群"),
                 "chain": ("产业链",), "link": ("环节", "链条环节"), "district": ("区县", "所在区县（代码）"),
                 "park": ("园区", "所属园区"), "investor": ("投资方", "投资企业", "业主单位"),
                 "investor_id": ("统一社会信用代码", "信用代码"), "planned_investment": ("总投资", "计划投资"),
                 "planned_output": ("达产产值", "预计年产值"), "status": ("状态",), "note": ("notes",)},
    "project_progress": {"year": ("年度", "年"), "month": ("月",), "investment": ("完成投资", "月度投资"),
                         "output": ("产值",)},
    "problems": {"problem_id": ("编号",), "enterprise_id": ("企业信用代码", "信用代码"),
                 "enterprise_name": ("企业", "企业名称（全称）"), "district": ("区县",),
                 "category": ("类别", "问题类型"), "description": ("问题", "难点卡点", "问题内容"),
                 "department": ("责任部门", "承办单位"), "raised": ("收集日期", "交办日期", "提出时间"),
                 "deadline": ("办结时限", "时限"), "status": ("状态",), "resolved": ("办结时间",),
                 "resolution": ("办理情况", "办结情况")},
    "work_items": {"item_id": ("编号",), "task": ("重点任务", "规划任务"), "title": ("任务内容", "工作内容"),
                   "lead": ("牵头部门", "责任单位"), "cooperating": ("配合部门", "协同单位"),
                   "deadline": ("完成期限", "时限"), "section": ("条款",), "basis": ("依据",)},
    "milestones": {"seq": ("序号（节点）", "节点"), "due": ("计划完成时间",), "text": ("内容",),
                   "done": ("实际完成日期",)},
    "progress_reports": {"date": ("报送日期", "日期"), "completion": ("完成比例", "进度"),
                         "text": ("进展", "工作进展"), "reporter": ("填报人",)},
    "departments": {"name": ("名称", "部门名称"), "kind": ("类别",)},
}
COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    f: {c: (c, c.replace("_", " "), *COLUMN_WORDS[f][c], *_MORE.get(f, {}).get(c, ())) for c in FRAMES[f]}
    for f in FRAMES}
REQUIRED = {"projects": ("project_id", "name", "district"), "project_progress": ("project_id", "year", "month"),
            "problems": ("problem_id", "enterprise_name", "district", "category", "description", "department",
                         "raised", "deadline"),
            "work_items": ("item_id", "task", "title", "lead", "deadline"),
            "milestones": ("item_id", "seq", "due", "text"),
            "progress_reports": ("report_id", "item_id", "date", "completion"),
            "departments": ("department_id", "name")}
_LOOKUP = {f: {_norm_header(a): c for c, names in cols.items() for a in names} for f, cols in COLUMN_ALIASES.items()}
_ANY = set().union(*map(set, _LOOKUP.values()))
_SHEETS = {_norm_header(n): f for f, names in SHEET_ALIASES.items() for n in names}
_NOTES = {_norm_header(n) for n in NOTES_SHEETS}
_UNIT = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")
# column → most characters a cell may hold (any frame with that column); the web forms' maxlength reads it
TEXT_LIMITS: dict[str, int] = {
    "name": 200, "investor": 200, "enterprise_name": 200, "title": 200, "name_en": 200, "section": 200,
    "reporter": 100, "attachments": 500, "aliases": 500,
    "description": 2000, "resolution": 2000, "text": 2000, "note": 2000, "quote": 2000}
# C0/C1 controls but tab and line feed, and the bidi embeddings, overrides and isolates: they reach a
# terminal as escapes or show text reversed
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPLIT = re.compile(r"[;；,，、/\n]+")


def _vocab(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word_key(w): key for key, words in groups.items() for w in (key, *words)}


def _status_words(kind: str, more: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return _vocab({k: (*v, *more.get(k, ())) for k, v in STATUS_NAMES[kind].items()})


PROJECT_STATUS_WORDS = _status_words("project", {"active": ("正常推进", "在建", "正常"), "suspended": ("暂停", "停工"),
                                                 "cancelled": ("取消", "终止实施")})
PROBLEM_STATUS_WORDS = _status_words("problem", {"open": ("未办结", "未办", "待办理"),
                                                 "in_progress": ("在办", "正在办理", "处理中"),
                                                 "resolved": ("办结", "已解决", "已完成", "done")})
BASIS_WORDS = _status_words("basis", {"user": ("用户", "导入")})
KIND_WORDS = _status_words("department", {})
CATEGORY_WORDS = _vocab({k: (*v, *more) for (k, v), more in zip(PROBLEM_CATEGORIES.items(), (
    ("要素保障", "煤电油气运", "能源", "要素"), ("资金", "融资难"), ("招工", "用工难", "人才"), ("土地", "用地难"),
    ("审批手续", "行政审批"), ("产业链", "配套"), ("市场", "销售"), ("技术", "创新"), ("政策",), ("其它",)))})


def _header_key(frame: str, header: str) -> tuple[str | None, tuple[str, str] | None]:
    """(column, None); (None, (zh, en)) for a column in another unit; (None, None) unknown ("_ignore" for 序号)."""
    norm = _norm_header(header)
    if norm in _IGNORED:
        return "_ignore", None
    key = _LOOKUP[frame].get(norm)
    m = _UNIT.match(norm)
    if key is not None or m is None:
        return key, None
    key = _LOOKUP[frame].get(m.group("base"))
    if key is None:
        return None, None
    unit = COLUMN_UNITS.get(key)
    if unit is None or m.group("unit") in {_norm_header(u) for u in _UNIT_WORDS[unit]}:
        return key, None  # a remark in brackets after a column without unit: 牵头单位（多个用分号隔开）
    zh, en = COLUMN_WORDS[frame][key]
    return None, (f"单位须为“{unit}”：请把数值换算为{unit}并把表头写成“{zh}（{unit}）”",
                  f"the unit must be {unit}: convert the values and name the column '{en} ({unit})'")


# --- reading ------------------------------------------------------------------------------------------
@dataclass
class _DTable(Table):
    optional: bool = False  # the key may be blank (a form's new problem or report: the caller assigns it)

    def label(self, key: str) -> str:
        return self.shown.get(key) or COLUMN_WORDS[self.frame][key][0]


def _which_frame(header: list[str], name: str | None) -> str | None:
    if name is not None and _norm_header(name) in _SHEETS:
        return _SHEETS[_norm_header(name)]
    norms = {_norm_header(c) for c in header}
    best, score = None, (False, 0)
    for frame, lookup in _LOOKUP.items():
        keys = {lookup[n] for n in norms if n in lookup}
        s = (all(k in keys for k in REQUIRED[frame]), len(keys))
        if s > score:
            best, score = frame, s
    return best if score[1] >= 2 else None


def _tables(path: Path, problems: Problems) -> list[tuple[Sheet, str, pd.DataFrame]]:
    name = path.name[:200]
    try:
        sheets = records_of_file(path)
    except TableReadError as e:
        problems.add(None, name, None, None, None, "unreadable_file", e.reason_zh, e.reason_en)
        return []
    workbook = sheets[:1] != [] and sheets[0][0] is not None
    out = []
    for sheet, records in sheets:
        if sheet is not None and _norm_header(sheet) in _NOTES:
            continue
        rows = [(n, [str(c) if not isinstance(c, str) else c for c in cells]) for n, cells in records
                if any(str(c).strip() or isinstance(c, FormulaCell) for c in cells)]
        h = next((i for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS])
                  if len({_norm_header(c) for c in cells} & _ANY) >= 2), None)
        by_name = sheet if workbook else path.stem
        if h is None:
            if workbook and _which_frame([], sheet) is None:
                continue  # a sheet of notes beside the tables
            problems.add(Sheet(name, sheet, 1, [], []), name, None, None, None, "no_header",
                         f"找不到表头行：前{HEADER_SCAN_ROWS}行中没有一行含两个以上可识别的列名；列名见 "
                         "docs/data-import.md §Delivery data",
                         f"no header row: none of the first {HEADER_SCAN_ROWS} rows names two known columns; "
                         "see docs/data-import.md §Delivery data")
            continue
        number, header = rows[h]
        src = Sheet(name, sheet, number, [c.strip() for c in header], rows[h + 1:])
        frame = _which_frame(src.header, by_name) or ""
        width = len(header)
        while width and not header[width - 1].strip():
            width -= 1
        kept, numbers = [], []
        for n, raw in src.rows:
            extra = " | ".join(c.strip() for c in raw[width:] if c.strip())
            if extra:
                problems.add(src, name, n, None, extra, "extra_cells", "表头之外还有内容：请删除或为其添加表头",
                             "there are cells beyond the last header; delete them or give them a header")
            cells = (list(raw) + [""] * width)[:width]
            for p, cell in enumerate(cells):
                if isinstance(cell, FormulaCell) and frame and _header_key(frame, src.header[p])[0] != "_ignore":
                    problems.add(src, name, n, src.header[p] or f"(第{p + 1}列)", cell.formula, "formula",
                                 "单元格含公式，zhizao 不计算公式：请在Excel中“选择性粘贴→数值”后重新导入",
                                 "the cell holds a formula, which zhizao does not evaluate: paste it as values and "
                                 "import again")
            kept.append(cells)
            numbers.append(n)
        src.header = src.header[:width]
        data = pd.DataFrame(kept, columns=range(width), index=np.array(numbers, dtype=np.int64), dtype=object) \
            if kept else pd.DataFrame(columns=range(width), dtype=object)
        out.append((src, frame, data))
    if workbook and not out and not any(p.file.startswith(name) for p in problems.items):
        problems.add(None, name, None, None, None, "unknown_table", _NO_SHEET[0], _NO_SHEET[1])
    return out


_NO_SHEET = ("工作簿中没有可识别的工作表：请命名为 " + " / ".join(n[0] for n in FRAME_NAMES.values()) + " 并写表头",
             "no sheet of the workbook is recognised: name them " + " / ".join(n[1] for n in FRAME_NAMES.values())
             + " and give each a header row")


def _columns(src: Sheet, frame: str, data: pd.DataFrame, problems: Problems,
             required: Sequence[str] | None = None, keep_blank: bool = False) -> _DTable | None:
    """Map the header to the frame's columns; None when the table cannot be used (problems say why)."""
    zh, en = FRAME_NAMES[frame]
    cols: dict[str, pd.Series] = {}
    shown: dict[str, str] = {}
    ok = True
    if len(src.header) > MAX_COLUMNS:
        problems.add(src, src.file, src.header_row, None, None, "unreadable_file",
                     f"表头有{len(src.header)}列，超过{MAX_COLUMNS}列", f"the header has more than {MAX_COLUMNS} columns")
        return None
    for pos, header in enumerate(src.header):
        key, why = _header_key(frame, header)
        column = data[pos] if pos in data.columns else pd.Series(dtype=object)
        if key == "_ignore" or (not header and not is_filled(column).any()):
            continue
        label = _shorten(header) or f"(第{pos + 1}列)"
        if why is not None:
            problems.add(src, src.file, src.header_row, label, None, "wrong_unit", *why)
            ok = False
        elif key is None:
            problems.add(src, src.file, src.header_row, label, None, "unknown_column",
                         f"不是{zh}表的列名：{zh}表的列为 {'、'.join(w[0] for w in COLUMN_WORDS[frame].values())}；"
                         "请改名或删除该列",
                         f"not a column of the {en} table, whose columns are "
                         f"{', '.join(w[1] for w in COLUMN_WORDS[frame].values())}; rename or delete the column")
            ok = False
        elif key in cols:
            problems.add(src, src.file, src.header_row, label, None, "duplicate_column",
                         f"与“{shown[key]}”是同一列：请删除其中一列", f'the same column as "{shown[key]}": delete one')
            ok = False
        else:
            cols[key], shown[key] = column.reset_index(drop=True), header
    for key in (REQUIRED[frame] if required is None else required):
        if key not in cols:
            w = COLUMN_WORDS[frame][key]
            problems.add(src, src.file, None, w[0], None, "missing_column", f"缺少必填列“{w[0]}”：请添加该列",
                         f"the required column '{w[1]}' ({w[0]}) is missing: add it")
            ok = False
    if not ok:
        return None
    rows = data.index.to_numpy(dtype=np.int64)
    filled = np.zeros(len(rows), dtype=bool)
    for s in cols.values():
        filled |= is_filled(s)
    if len(rows) and not filled.all() and not keep_blank:  # a spreadsheet's blank lines
        rows = rows[filled]
        cols = {k: s[filled].reset_index(drop=True) for k, s in cols.items()}
    return _DTable(src, frame, rows, cols, shown)


# --- checking -----------------------------------------------------------------------------------------
@dataclass
class _Context:
    plan: Plan
    area: Area
    today: str
    units: dict[str, str]  # word_key(spelling) → canonical unit
    parks: set[str] | None
    projects: set[str] | None  # known project ids (None: not checked)
    items: set[str]  # known work item ids
    item_starts: dict[str, str] = dataclasses.field(default_factory=dict)  # item id → its start date


def _dates(t: _DTable, key: str, problems: Problems, *, actual: bool = False, today: str = "") -> np.ndarray:
    out = date_cells(t, key, problems, first_year=YEAR_MIN)
    if actual:
        late = out > today
        report_rows(t, key, late & (out != ""), out, problems, "future_date",
                    f"晚于今天（{today}）：已发生的日期不能在将来，请核对",
                    f"is after today ({today}): a date of what has happened cannot be in the future; check it")
        out = np.where(late, "", out)
    return out


def _years(t: _DTable, problems: Problems) -> np.ndarray:
    """The year column (required, whole, YEAR_MIN–YEAR_MAX; "2024年" read); 0 where not usable."""
    s = t.cols.get("year", pd.Series([""] * len(t.rows), dtype=object))
    s = s.map(lambda v: v.strip().removesuffix("年") if isinstance(v, str) else v)
    x = number_cells(dataclasses.replace(t, cols={**t.cols, "year": s}), "year", problems, unit="年", lo=YEAR_MIN,
                     hi=YEAR_MAX, whole=True, hint=("不是年份：请填写四位数字的年份（如 2024）",
                                                    "is not a year: write the year in four digits (e.g. 2024)"))
    check_required(t, "year", text_cells(t, "year", problems), problems, "年份（如 2024）", "the year (e.g. 2024)")
    return np.where(np.isnan(x), 0, x).astype(np.int64)


def _not_before(t: _DTable, key: str, later: np.ndarray, earlier: np.ndarray, problems: Problems, code: str,
                zh: str, en: str) -> np.ndarray:
    bad = (later != "") & (earlier != "") & (later < earlier)
    for i in np.nonzero(bad)[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), later[i], code, f"{zh}（{earlier[i]}）",
                     f"{en} ({earlier[i]})")
    return bad


def _plan_words(items) -> dict[str, str]:
    return {word_key(w): x.id for x in items for w in (x.id, x.name, x.name_en or "") if w}


def _unit_list(ctx: _Context, t: _DTable, key: str, problems: Problems, *, single: bool = False) -> np.ndarray:
    """Units written as any spelling → ";"-joined canonical ids; unknown ones reported."""
    values = text_cells(t, key, problems)
    codes, uniques = pd.factorize(values)
    out = []
    for j, u in enumerate(uniques):
        got, bad = [], []
        for part in ([u] if single else [p.strip() for p in _SPLIT.split(u) if p.strip()]):
            unit = ctx.units.get(word_key(part))
            if unit is None and re.fullmatch(r"\d{6}", part):
                unit = ctx.area.district(part)[0]  # a plan that lists no districts takes any code of its area
            if unit is None:
                bad.append(part)
            elif unit not in got:
                got.append(unit)
        for part in bad:
            known = "、".join(sorted(set(ctx.units.values()), key=lambda v: (v.isdigit(), v))[:12]) \
                or "规划区域内的6位区县代码"
            for i in np.nonzero(codes == j)[0]:
                problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), part, "unknown_unit",
                             f"不是已知的单位或区县：请填规划所列单位、单位表中的单位或规划的区县（如 {known}）",
                             "is not a known unit or district: give a unit the plan lists, one of the units table, "
                             f"or a district of the plan (e.g. {known.replace('、', ', ')})")
        out.append(";".join(got))
    return np.array([*out, ""], dtype=object)[codes]


def _credit(t: _DTable, key: str, problems: Problems) -> np.ndarray:
    ids = text_cells(t, key, problems, upper=True)
    filled = ids != ""
    valid = uscc.valid_mask(ids) if len(ids) else np.zeros(0, dtype=bool)
    for i in np.nonzero(filled & ~valid)[0]:
        zh, en = uscc_reason(ids[i])
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), ids[i], "bad_credit_code",
                     f"不是有效的统一社会信用代码：{zh}；请核对", f"is not a valid unified social credit code: {en}; check it")
    return ids


def _key(t: _DTable, key: str, problems: Problems, zh: str, en: str, *, optional: bool = False) -> np.ndarray:
    ids = text_cells(t, key, problems)
    filled = ids != "" if optional else check_required(t, key, ids, problems, zh, en)
    duplicates(t, [ids], filled, problems, key, "duplicate_key", f"{zh}相同", f"the same {en}")
    return ids


def _known(t: _DTable, key: str, ids: np.ndarray, known: set[str] | None, problems: Problems, zh: str, en: str):
    if known is not None:
        report_rows(t, key, (ids != "") & ~np.isin(ids.astype(str), list(known)), ids, problems,
                    "unknown_reference", zh, en)


def _projects(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    plan = ctx.plan
    out = {"project_id": _key(t, "project_id", problems, "项目编号", "project id", optional=t.optional),
           "name": text_cells(t, "name", problems)}
    check_required(t, "name", out["name"], problems, "项目名称", "the project's name")
    clusters = _plan_words(plan.clusters)
    out["cluster"] = vocabulary(t, "cluster", text_cells(t, "cluster", problems), clusters, problems, "unknown_cluster",
                                "不是规划的产业集群：可用 " + "、".join(c.name for c in plan.clusters) + "，无则留空",
                                "is not a cluster of the plan: use " + ", ".join(c.id for c in plan.clusters)
                                + ", or leave it empty")
    chains = {c.id: c for c in plan.chains}
    out["chain"] = vocabulary(t, "chain", text_cells(t, "chain", problems), _plan_words(plan.chains), problems,
                              "unknown_chain", "不是规划产业链图谱中的产业链：请核对，无则留空",
                              "is not a chain of the plan's chain map: check it, or leave it empty")
    mismatch = np.array([bool(ch) and bool(cl) and chains[ch].cluster != cl
                         for ch, cl in zip(out["chain"], out["cluster"])], dtype=bool)
    report_rows(t, "chain", mismatch, out["chain"], problems, "chain_cluster_mismatch",
                "该产业链不属于本行的产业集群：请核对集群或产业链", "the chain is not in this row's cluster: check either")
    links, chain_text = text_cells(t, "link", problems), text_cells(t, "chain", problems)
    resolved = []
    for i, (ch, ln) in enumerate(zip(out["chain"], links)):
        if not ln or (chain_text[i] and not ch):  # an unknown chain is reported, not its link again
            resolved.append("")
            continue
        chain = chains.get(ch)
        got = _plan_words(chain.links).get(word_key(ln)) if chain else None
        if got is None:
            where = (f"“{chain.name}”的环节：可用 " + "、".join(x.name for x in chain.links)) if chain else "须先填所属产业链"
            where_en = (f"of the chain {chain.id}: use " + ", ".join(x.id for x in chain.links)) if chain \
                else "needs the chain filled in"
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label("link"), ln, "unknown_link",
                         f"不是{where}" if chain else f"环节{where}", f"is not a link {where_en}" if chain
                         else f"the link {where_en}")
        resolved.append(got or "")
    out["link"] = np.array(resolved, dtype=object)
    raw = text_cells(t, "district", problems)
    check_required(t, "district", raw, problems, "所在区县（代码或名称）", "the district (code or name)")
    out["district"] = ctx.area.resolve(t, "district", raw, problems)
    out["park"] = text_cells(t, "park", problems)
    if ctx.parks is not None:
        report_rows(t, "park", (out["park"] != "") & ~np.isin(out["park"], list(ctx.parks)), out["park"], problems,
                    "unknown_park", "不是已导入的园区：请填园区名录中的园区代码，园区外的项目留空",
                    "is not an imported park: give a park id of the parks table, or leave it empty outside parks")
    out["investor"] = text_cells(t, "investor", problems)
    out["investor_id"] = _credit(t, "investor_id", problems)
    for key in ("planned_investment", "planned_output"):
        out[key] = number_cells(t, key, problems, unit="万元")
    words = COLUMN_WORDS["projects"]
    for prefix, actual in (("planned_", False), ("", True)):
        previous = np.full(len(t.rows), "", dtype=object)
        prev_key = np.full(len(t.rows), "", dtype=object)
        empty: list[np.ndarray] = []  # per earlier stage: rows where its actual date is empty
        reported = np.zeros(len(t.rows), dtype=bool)
        for n, s in enumerate(STAGES):
            key = prefix + s
            d = _dates(t, key, problems, actual=actual, today=ctx.today)
            bad = (d != "") & (previous != "") & (d < previous)
            for i in np.nonzero(bad)[0]:
                problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), d[i], "stage_order",
                             f"早于{words[prev_key[i]][0]}（{previous[i]}）：签约、开工、投产、达产的日期须依次不早于前一阶段",
                             f"is before the {words[prev_key[i]][1]} ({previous[i]}): the stages signed, started, in "
                             "production and at full production come in that order")
            if actual:  # a stage is reached only after the earlier ones (planned dates may be partial)
                gap = (d != "") & ~bad & ~reported & np.any(empty, axis=0) if empty else np.zeros(len(d), bool)
                for i in np.nonzero(gap)[0]:
                    missing = [STAGES[j] for j in range(n) if empty[j][i]]
                    problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), d[i], "stage_missing",
                                 "请先填写" + "、".join(words[m][0] for m in missing)
                                 + "：签约、开工、投产、达产须依次填写实际日期",
                                 "fill in the " + " and the ".join(words[m][1] for m in missing)
                                 + " first: the actual stages signed, started, in production and at full "
                                 "production are recorded in that order")
                reported |= gap
                empty.append(d == "")
            out[key] = d
            prev_key = np.where(d != "", key, prev_key)
            previous = np.where(d != "", d, previous)
    status = vocabulary(t, "status", text_cells(t, "status", problems), PROJECT_STATUS_WORDS, problems,
                        "unknown_status", "项目状态须为 推进中、暂缓 或 终止（留空为推进中）",
                        "the status must be active, suspended or cancelled (empty: active)")
    out["status"] = np.where(status == "", "active", status)
    out["note"] = text_cells(t, "note", problems)
    return out


def _progress(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    ids = text_cells(t, "project_id", problems)
    check_required(t, "project_id", ids, problems, "项目编号", "the project id")
    _known(t, "project_id", ids, ctx.projects, problems, "不是已知项目：请先在项目表中列出该项目",
           "is not a known project: list it in the projects table first")
    years = _years(t, problems)
    months = number_cells(t, "month", problems, unit="月", lo=1, hi=12, whole=True,
                          hint=("不是月份：请填1–12", "is not a month: write 1–12"))
    check_required(t, "month", text_cells(t, "month", problems), problems, "月份（1–12）", "the month (1–12)")
    months = np.where(np.isnan(months), 0, months).astype(np.int64)
    future = (years > 0) & (months > 0) & (years * 100 + months > int(ctx.today[:4]) * 100 + int(ctx.today[5:7]))
    later_year = years > int(ctx.today[:4])
    for key, mask, values in (("year", future & later_year, years), ("month", future & ~later_year, months)):
        report_rows(t, key, mask, values, problems, "future_date", f"晚于本月（{ctx.today[:7]}）：只能填报已过去的月份",
                    f"is after the current month ({ctx.today[:7]}): report only months that have passed")
    duplicates(t, [ids, years, months], (ids != "") & (years > 0) & (months > 0), problems, "month",
               "duplicate_key", "同一项目、年份与月份", "the same project, year and month")
    return {"project_id": ids, "year": years, "month": months,
            "investment": number_cells(t, "investment", problems, unit="万元"),
            "output": number_cells(t, "output", problems, unit="万元")}


def _problems(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    out = {"problem_id": _key(t, "problem_id", problems, "问题编号", "problem id", optional=t.optional),
           "enterprise_id": _credit(t, "enterprise_id", problems)}
    for key, zh, en in (("enterprise_name", "企业名称", "the enterprise's name"),
                        ("description", "问题描述", "the problem")):
        out[key] = text_cells(t, key, problems)
        check_required(t, key, out[key], problems, zh, en)
    raw = text_cells(t, "district", problems)
    check_required(t, "district", raw, problems, "所在区县（代码或名称）", "the district (code or name)")
    out["district"] = ctx.area.resolve(t, "district", raw, problems)
    cats = "、".join(v[0] for v in PROBLEM_CATEGORIES.values())
    out["category"] = vocabulary(t, "category", text_cells(t, "category", problems), CATEGORY_WORDS, problems,
                                 "unknown_category", f"问题类别须为 {cats}",
                                 "the category must be one of " + ", ".join(PROBLEM_CATEGORIES))
    check_required(t, "category", text_cells(t, "category", problems), problems, f"问题类别（{cats}）", "the category")
    out["department"] = _unit_list(ctx, t, "department", problems, single=True)
    check_required(t, "department", text_cells(t, "department", problems), problems, "责任单位", "the responsible unit")
    out["raised"] = _dates(t, "raised", problems, actual=True, today=ctx.today)
    check_required(t, "raised", text_cells(t, "raised", problems), problems, "提出日期", "the date raised")
    out["deadline"] = _dates(t, "deadline", problems)
    check_required(t, "deadline", text_cells(t, "deadline", problems), problems, "办理期限", "the deadline")
    _not_before(t, "deadline", out["deadline"], out["raised"], problems, "deadline_before_start",
                "办理期限早于提出日期", "the deadline is before the date raised")
    resolved = _dates(t, "resolved", problems, actual=True, today=ctx.today)
    status = vocabulary(t, "status", text_cells(t, "status", problems), PROBLEM_STATUS_WORDS, problems,
                        "unknown_status", "办理状态须为 待办、办理中 或 已办结（留空：有办结日期为已办结，否则待办）",
                        "the status must be open, in progress or resolved (empty: resolved with a resolved date, "
                        "else open)")
    status = np.where(status != "", status, np.where(resolved != "", "resolved", "open"))
    raw_resolved = text_cells(t, "resolved", problems)
    report_rows(t, "resolved", (status == "resolved") & (raw_resolved == ""), raw_resolved, problems,
                "resolved_missing", "状态为已办结，但没有办结日期：请填写办结日期",
                "the status is resolved but there is no resolved date: fill it in")
    report_rows(t, "resolved", (status != "resolved") & (raw_resolved != ""), raw_resolved, problems,
                "resolved_not_done", "尚未办结的问题不能有办结日期：请改办理状态为已办结，或删去办结日期",
                "a problem not resolved has no resolved date: set the status to resolved or clear the date")
    _not_before(t, "resolved", resolved, out["raised"], problems, "resolved_before_raised", "办结日期早于提出日期",
                "the resolved date is before the date raised")
    out.update(status=status, resolved=resolved, resolution=text_cells(t, "resolution", problems))
    return out


def _work_items(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    plan = ctx.plan
    out = {"item_id": _key(t, "item_id", problems, "任务编号", "item id", optional=t.optional)}
    tasks = [*plan.tasks, *plan.safeguards]
    words = {word_key(w): x.id for x in tasks for w in (x.id, x.title)}
    if tasks:
        why = ("不是规划的重点任务或保障措施：请填任务编号或标题（如 " + "、".join(x.title for x in tasks[:4]) + "）",
               "is not a task or safeguard of the plan: give its id or title (e.g. "
               + ", ".join(x.id for x in tasks[:4]) + ")")
    else:
        why = ("本规划未列任务分工：没有可对应的规划任务", "this plan has no task decomposition: there is no task to "
               "attach the item to")
    raw = text_cells(t, "task", problems)
    check_required(t, "task", raw, problems, "对应的规划任务", "the plan task")
    out["task"] = vocabulary(t, "task", raw, words, problems, "unknown_task", *why)
    out["title"] = text_cells(t, "title", problems)
    check_required(t, "title", out["title"], problems, "工作任务", "the work item's title")
    out["lead"] = _unit_list(ctx, t, "lead", problems)
    check_required(t, "lead", text_cells(t, "lead", problems), problems, "牵头单位", "the lead unit(s)")
    out["cooperating"] = _unit_list(ctx, t, "cooperating", problems)
    default_start = plan.plan.issued.isoformat() if plan.plan.issued else f"{plan.plan.base_year + 1}-01-01"
    start = _dates(t, "start", problems)
    out["start"] = np.where(text_cells(t, "start", problems) == "", default_start, start)
    out["deadline"] = _dates(t, "deadline", problems)
    check_required(t, "deadline", text_cells(t, "deadline", problems), problems, "完成时限", "the deadline")
    _not_before(t, "deadline", out["deadline"], out["start"], problems, "deadline_before_start",
                "完成时限早于开始日期", "the deadline is before the start")
    basis = vocabulary(t, "basis", text_cells(t, "basis", problems), BASIS_WORDS, problems, "unknown_basis",
                       "分工依据须为 规划原文、zhizao 的理解 或 用户录入（留空为用户录入）",
                       "the basis must be plan_text, zhizao_reading or user (empty: user)")
    out["basis"] = np.where(basis == "", "user", basis)
    out["section"], out["quote"] = text_cells(t, "section", problems), text_cells(t, "quote", problems)
    return out


def _item_ref(t: _DTable, ctx: _Context, problems: Problems) -> np.ndarray:
    ids = text_cells(t, "item_id", problems)
    check_required(t, "item_id", ids, problems, "任务编号", "the work item's id")
    _known(t, "item_id", ids, ctx.items, problems, "不是已知的工作任务：请先在任务分工表中列出该任务"
           + ("（本规划未列任务分工）" if not ctx.plan.work_items else ""),
           "is not a known work item: list it in the work items table first"
           + (" (this plan has no task decomposition)" if not ctx.plan.work_items else ""))
    return ids


def _milestones(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    ids = _item_ref(t, ctx, problems)
    seq = number_cells(t, "seq", problems, unit="个", lo=1, hi=1000, whole=True)
    check_required(t, "seq", text_cells(t, "seq", problems), problems, "节点序号（1、2…）", "the milestone number (1, 2 …)")
    seq = np.where(np.isnan(seq), 0, seq).astype(np.int64)
    duplicates(t, [ids, seq], (ids != "") & (seq > 0), problems, "seq", "duplicate_key", "同一任务与节点序号",
               "the same item and milestone number")
    due = _dates(t, "due", problems)
    check_required(t, "due", text_cells(t, "due", problems), problems, "节点时限", "the due date")
    text = text_cells(t, "text", problems)
    check_required(t, "text", text, problems, "节点内容", "what the milestone is")
    done = _dates(t, "done", problems, actual=True, today=ctx.today)
    _before_start(t, "done", done, ids, ctx, problems, "节点不能在任务开始前完成",
                  "a milestone cannot be done before its work item starts")
    return {"item_id": ids, "seq": seq, "due": due, "text": text, "done": done}


def _before_start(t: _DTable, key: str, dates: np.ndarray, ids: np.ndarray, ctx: _Context, problems: Problems,
                  zh: str, en: str) -> None:
    starts = np.array([ctx.item_starts.get(i, "") for i in ids], dtype=object)
    bad = (dates != "") & (starts != "") & (dates < starts)
    for i in np.nonzero(bad)[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), dates[i], "before_item_start",
                     f"早于该任务的开始日期（{starts[i]}）：{zh}，请核对日期或任务的开始日期",
                     f"is before the work item's start ({starts[i]}): {en}; check the date or the item's start")


def _reports(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    out = {"report_id": _key(t, "report_id", problems, "报告编号", "report id", optional=t.optional),
           "item_id": _item_ref(t, ctx, problems),
           "date": _dates(t, "date", problems, actual=True, today=ctx.today)}
    check_required(t, "date", text_cells(t, "date", problems), problems, "报告日期", "the report's date")
    _before_start(t, "date", out["date"], out["item_id"], ctx, problems, "进展报告不能早于任务开始",
                  "a progress report cannot be dated before its work item starts")
    out["completion"] = number_cells(t, "completion", problems, unit="%", hi=100)
    check_required(t, "completion", text_cells(t, "completion", problems), problems, "完成进度（0–100）",
                   "the completion (0–100)")
    attachments = text_cells(t, "attachments", problems)
    out["attachments"] = np.array([";".join(p.strip() for p in re.split(r"[;；\n]+", a) if p.strip())
                                   for a in attachments], dtype=object)
    out["text"], out["reporter"] = text_cells(t, "text", problems), text_cells(t, "reporter", problems)
    return out


def _departments(t: _DTable, ctx: _Context, problems: Problems) -> dict:
    ids = _key(t, "department_id", problems, "单位编号", "unit id")
    report_rows(t, "department_id", (ids != "") & ~pd.Series(ids, dtype=object).str.fullmatch(ASCII_ID).to_numpy(),
                ids, problems, "bad_unit_id", "单位编号须为小写英文字母开头的字母、数字或下划线（如 economy_it）",
                "the unit id must be lower-case letters, digits or _ starting with a letter (e.g. economy_it)")
    names = text_cells(t, "name", problems)
    check_required(t, "name", names, problems, "单位名称", "the unit's name")
    kind = vocabulary(t, "kind", text_cells(t, "kind", problems), KIND_WORDS, problems, "unknown_kind",
                      "单位类别须为 部门、领导小组、各区县 或 其他（留空为部门）",
                      "the kind must be " + ", ".join(DEPARTMENT_KINDS) + " (empty: department)")
    aliases = [";".join(p.strip() for p in _SPLIT.split(a) if p.strip()) for a in text_cells(t, "aliases", problems)]
    return {"department_id": ids, "name": names, "name_en": text_cells(t, "name_en", problems),
            "kind": np.where(kind == "", "department", kind), "aliases": np.array(aliases, dtype=object)}


CHECKS = {"projects": _projects, "project_progress": _progress, "problems": _problems, "work_items": _work_items,
          "milestones": _milestones, "progress_reports": _reports, "departments": _departments}


def _contract(frame: str, columns: dict) -> pd.DataFrame:
    n = len(next(iter(columns.values()))) if columns else 0
    out = {}
    for c in FRAMES[frame]:
        v, kind = columns.get(c), _dtype(c)
        if kind == "Int64":
            out[c] = pd.array(np.asarray(v, dtype=np.int64), dtype="Int64")
        elif kind == "object":
            out[c] = pd.Series(np.full(n, "", dtype=object) if v is None else np.asarray(v, dtype=object), dtype=object)
        else:
            out[c] = np.full(n, np.nan) if v is None else np.asarray(v, dtype="float64")
    return pd.DataFrame(out, columns=FRAMES[frame]).reset_index(drop=True)


def _frame_of(existing: DeliveryData | None, frame: str) -> pd.DataFrame | None:
    f = existing.frame(frame) if existing is not None else None
    return f if f is not None and len(f) else None


def _units(plan: Plan, frames: list[pd.DataFrame]) -> dict[str, str]:
    """Spelling → unit id: unit_vocabulary, and the English names (an English form or file writes them)."""
    deps = [f for f in frames if f is not None and len(f)]
    merged = pd.concat(deps, ignore_index=True) if deps else None
    english = {d.name_en: d.id for d in plan.departments if d.name_en}
    if merged is not None:
        english.update({n: i for n, i in zip(merged["name_en"].astype(str), merged["department_id"]) if n.strip()})
    vocab = {**english, **unit_vocabulary(plan, merged)}
    return {word_key(k): v for k, v in vocab.items()}


def _ids(frame: str, key: str, columns: dict, existing: DeliveryData | None, fallback=None) -> set[str] | None:
    ids: set[str] = set()
    have = False
    if frame in columns:
        ids |= {i for i in columns[frame][key] if i}
        have = True
    old = _frame_of(existing, frame) if existing is not None else fallback
    if old is not None:
        ids |= set(old[key].astype(str))
        have = True
    return ids if have else None


def _screen(t: _DTable, problems: Problems) -> None:
    """Every text cell: no hidden characters (HIDDEN; a Windows line break CRLF is read as LF) and at most
    TEXT_LIMITS[column] characters. A cell with hidden characters is checked further without them. Each
    column is first checked as one joined string: 100,000 clean rows cost little."""
    for key, s in list(t.cols.items()):
        if s.dtype != object or not len(s):
            continue
        strs = [v for v in s.to_numpy() if type(v) is str]
        joined = "".join(strs)
        limit = TEXT_LIMITS.get(key)
        crlf, hidden_any = "\r\n" in joined, HIDDEN.search(joined) is not None
        long_any = limit is not None and max(map(len, strs), default=0) > limit
        if not (crlf or hidden_any or long_any):
            continue
        text = s.where(s.map(type) == str, None)
        if crlf:
            text = text.str.replace("\r\n", "\n", regex=False)
            s = t.cols[key] = text.where(text.notna(), s)
        hidden = text.str.contains(HIDDEN, na=False).to_numpy(dtype=bool) if hidden_any else \
            np.zeros(len(s), dtype=bool)
        for i in np.nonzero(hidden)[0]:
            u = text.iloc[i]
            shown = "、".join(f"U+{ord(c):04X}" for c in sorted(set(HIDDEN.findall(u))))
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key),
                         HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", u), "hidden_characters",
                         f"含不可见的控制字符或双向文本控制符（{shown}）：请删除这些字符（制表符与换行可以保留）",
                         f"holds invisible control or bidi characters ({shown.replace('、', ', ')}): delete them "
                         "(tabs and line breaks may stay)")
        if hidden.any():
            s = t.cols[key] = s.where(~hidden, text.str.replace(HIDDEN, "", regex=True))
            text = s.where(s.map(type) == str, None)
        if limit is None:
            continue
        lengths = text.str.strip().str.len().fillna(0).to_numpy()
        for i in np.nonzero(lengths > limit)[0]:
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), text.iloc[i], "text_too_long",
                         f"超过{limit}个字符（{int(lengths[i])}个）：该列最多{limit}个字符，请缩短",
                         f"is longer than {limit} characters ({int(lengths[i])}): this column holds at most {limit}; "
                         "shorten it")


def _check(tables: dict[str, _DTable], plan: Plan, existing: DeliveryData | None, parks, today: str,
           problems: Problems) -> dict[str, dict]:
    ctx = _Context(plan, Area(plan), today, {}, set(parks) if parks is not None else None, None, set())
    for t in tables.values():
        _screen(t, problems)
    columns: dict[str, dict] = {}
    if "departments" in tables:
        columns["departments"] = _departments(tables["departments"], ctx, problems)
    ctx.units = _units(plan, [_frame_of(existing, "departments"),
                              pd.DataFrame(columns["departments"]) if "departments" in columns else None])
    for frame in ("projects", "problems", "work_items"):
        if frame in tables:
            columns[frame] = CHECKS[frame](tables[frame], ctx, problems)
    ctx.projects = _ids("projects", "project_id", columns, existing) or set()
    ctx.items = _ids("work_items", "item_id", columns, existing, plan_work_items(plan)[0]) or set()
    old = _frame_of(existing, "work_items") if existing is not None else plan_work_items(plan)[0]
    if old is not None and len(old):
        ctx.item_starts.update(zip(old["item_id"].astype(str), old["start"].fillna("").astype(str)))
    if "work_items" in columns:
        ctx.item_starts.update(zip(columns["work_items"]["item_id"], columns["work_items"]["start"]))
    for frame in ("project_progress", "milestones", "progress_reports"):
        if frame in tables:
            columns[frame] = CHECKS[frame](tables[frame], ctx, problems)
    return columns


# --- the import and the edit ---------------------------------------------------------------------------
def read_delivery_files(paths: Sequence[str | Path], plan: Plan, *, existing: DeliveryData | None = None,
                        parks: set[str] | None = None, today: str | None = None, progress: Callable | None = None
                        ) -> tuple[dict[str, pd.DataFrame], list[ImportProblem], str]:
    """Read and check delivery data for `plan`: one XLSX with any of the seven sheets, or CSV files one
    per frame. Returns ({frame: contract frame} for the frames given, [], sha256 of the files) or ({},
    every problem, sha256). References (progress → projects, milestones and reports → work items, units →
    departments) are checked against this import, else `existing` (the active data; without it the
    plan's own 任务分工). `today` bounds actual dates (default: today). Never raises for what a file holds."""
    step = progress or (lambda stage, rows: None)
    today = today or dt.date.today().isoformat()
    problems = Problems()
    paths = [Path(p) for p in paths]
    step("read", None)
    digest = files_sha256(paths)
    tables: dict[str, _DTable] = {}
    given: dict[str, Sheet] = {}
    for path in paths:
        for src, frame, data in _tables(path, problems):
            if not frame:
                problems.add(src, src.file, None, None, None, "unknown_table",
                             "认不出是哪张表：请把工作表（或CSV文件）命名为 " + " / ".join(n[0] for n in FRAME_NAMES.values())
                             + "，或让表头含该表的必填列", "cannot tell which table this is: name the sheet (or the "
                             "CSV file) " + " / ".join(n[1] for n in FRAME_NAMES.values())
                             + ", or give the table's required columns")
                continue
            if frame in given:
                zh, en = FRAME_NAMES[frame]
                problems.add(src, src.file, None, None, None, "duplicate_table",
                             f"{zh}表已由“{given[frame].file}”给出：每张表只能给一次，请合并后导入",
                             f"the {en} table was already given by '{given[frame].file}': give each table once")
                continue
            if data.empty and src.sheet is not None:
                continue  # a template's unused sheet
            given[frame] = src
            t = _columns(src, frame, data, problems)
            if t is not None and not len(t.rows):
                zh, en = FRAME_NAMES[frame]
                problems.add(src, src.file, None, None, None, "empty_table", f"{zh}表没有数据行：请至少填写一行，或不给该表",
                             f"the {en} table has no data rows: fill in at least one, or leave it out")
            elif t is not None:
                tables[frame] = t
    if not given and not problems.items:
        problems.add(None, paths[0].name[:200] if paths else "", None, None, None, "missing_table",
                     "没有可导入的表：请至少给出" + "、".join(n[0] for n in FRAME_NAMES.values()) + "中的一张",
                     "nothing to import: give at least one of the tables " + ", ".join(n[1] for n in FRAME_NAMES.values()))
    step("validate", sum(len(t.rows) for t in tables.values()))
    columns = _check(tables, plan, existing, parks, today, problems)
    if problems.items or not given:
        return {}, problems.items, digest
    out = {f: _contract(f, columns[f]) for f in FRAMES if f in columns}
    for f, frame in out.items():  # where each row came from, for a caller's own refusals (a district's scope)
        t = tables[f]
        frame.attrs.update(file=t.src.file, sheet=t.src.sheet, rows=[int(r) for r in t.rows], headers=dict(t.shown))
    return out, [], digest


FORM = ("表单", "form")
_NEW_ROW = ("progress_reports", "project_progress")  # each edit adds a row
_ASSIGNED = {"progress_reports": "report_id", "problems": "problem_id"}  # "" → the caller assigns the id


def check_edit(frame: str, values: dict, plan: Plan, data: DeliveryData, *, today: str
               ) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """One form/API edit of `frame`: `values` (column → value) merged over the key's active row in `data`
    (a new key is a new row: the required columns must be there; progress reports and project progress
    are always new rows). Checked as an import row is, against `data`. Returns (the one-row contract frame
    to store, []) or (empty frame, the problems; file 表单/form, row None)."""
    problems = Problems()
    src = Sheet(FORM[0], None, 0, [], [])
    if frame not in FRAMES:
        problems.add(None, FORM[0], None, None, frame, "unknown_table", "不是可编辑的数据表",
                     "is not a table that can be edited")
        return empty_frame(frame if frame in FRAMES else "projects"), _form(problems.items, None)
    values = {k: v for k, v in values.items()}
    unknown = [k for k in values if k not in FRAMES[frame]]
    for k in unknown:
        problems.add(src, FORM[0], None, str(k), None, "unknown_column", "不是该表的字段",
                     "is not a field of this table")
    row: dict = {}
    active = data.frame(frame)
    keys = KEYS[frame]
    if frame not in _NEW_ROW and all(str(values.get(k, "")).strip() for k in keys) and len(active):
        match = np.ones(len(active), dtype=bool)
        for k in keys:
            match &= active[k].astype(str).to_numpy() == str(values[k]).strip()
        if match.any():
            row = active[match].iloc[-1].to_dict()
    before = dict(row)
    row.update({k: v for k, v in values.items() if k in FRAMES[frame]})
    header = [COLUMN_WORDS[frame][c][0] for c in FRAMES[frame]]  # messages name the fields in words
    cells = [_form_text(row.get(c)) for c in FRAMES[frame]]
    src = Sheet(FORM[0], None, 0, header, [(1, cells)])
    t = _columns(src, frame, pd.DataFrame([cells], columns=range(len(header)), index=[1], dtype=object), problems,
                 required=(), keep_blank=True)
    if t is None or unknown:
        return empty_frame(frame), _form(problems.items, frame)
    t.optional = frame in _ASSIGNED  # the frame's own checks report the required fields left empty
    columns = _check({frame: t}, plan, data, None, today, problems)
    if frame == "problems" and not problems.items:
        _resolved_again(t, before, values, columns[frame], problems)
    if problems.items:
        return empty_frame(frame), _form(problems.items, frame)
    return _contract(frame, columns[frame]), []


def _resolved_again(t: _DTable, before: dict, values: dict, after: dict, problems: Problems) -> None:
    """A form resolving a problem already resolved would replace its resolution unseen: an import (a
    corrected 台账) or withdrawing the edit is the way to correct it."""
    touched = any(k in values for k in ("status", "resolved", "resolution"))
    if before.get("status") == "resolved" and after["status"][0] == "resolved" and touched:
        when = str(before.get("resolved") or "")
        problems.add(t.src, t.src.file, int(t.rows[0]), t.label("resolved"), None, "already_resolved",
                     f"已于{when}办结；如需更正，请导入更正后的台账或撤回该次修改",
                     f"was already resolved on {when}; to correct it, import a corrected ledger or withdraw "
                     "that edit")


def _form_text(v) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _form(items: list[ImportProblem], frame: str | None) -> list[ImportProblem]:
    """Problems of a form: no file nor row, the field named by its words (English ones in English)."""
    english = {zh: en for zh, en in COLUMN_WORDS[frame].values()} if frame in COLUMN_WORDS else {}
    out = []
    for p in items:
        zh = p.message_zh.replace(f"文件“{FORM[0]}”第1行", FORM[0]).replace(f"文件“{FORM[0]}”", FORM[0])
        en = p.message_en.replace(f"File '{FORM[0]}', row 1", "Form").replace(f"File '{FORM[0]}'", "Form")
        if p.column in english:
            en = en.replace(f'column "{p.column}"', f'field "{english[p.column]}"', 1)
        out.append(dataclasses.replace(p, file=FORM[0], row=None, message_zh=zh, message_en=en))
    return out
