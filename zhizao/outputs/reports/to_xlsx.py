"""XLSX: the scorecard (status cells coloured) and every stored observation, Chinese headers.

Numbers are written unrounded, exactly as the assessment and the store hold them, so the workbook
can be recomputed from; the report's rounding is only a display format here (never Excel's General,
which shows 28.7642761315).
"""
from __future__ import annotations

import zipfile
from datetime import datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from zhizao import formatting, labels
from zhizao.analytics.final import BOUNDS
from zhizao.ingest.basis import basis_label

from zhizao.outputs.reports.content import report_kind, scorecard_order
from zhizao.outputs.reports.files import normalise_zip
from zhizao.outputs.reports.model import Report
from zhizao.outputs.reports.style import HEADER_FILL, STATUS_FILL
from zhizao.outputs.reports.text import (STATUSES, final_label, growth_is_rate, ind_name, planned_growth, required_growth,
                                         status_label, t, unit)
from zhizao.outputs.spreadsheet_safe import ILLEGAL_CHARACTERS_RE, xlsx_cell
from zhizao.settings import ASSESSMENT_SETTINGS

SHEETS = {"scorecard": ("记分卡", "Scorecard"), "observations": ("观测值", "Observations"),
          "clusters": ("产业集群", "Clusters"), "about": ("说明", "About")}

# (key, 中文, English, number format)
SCORECARD_COLUMNS = [
    ("id", "指标代码", "id", None), ("name", "指标", "indicator", None), ("category", "领域", "area", None),
    ("nature", "属性", "nature", None), ("binding", "约束性", "binding", None), ("unit", "单位", "unit", None),
    ("kind", "指标类型", "kind", None), ("direction", "方向", "direction", None),
    ("price_basis", "价格口径", "price basis", None),
    ("baseline_year", "基期年份", "baseline year", "0"), ("baseline", "基期值", "baseline", "General"),
    ("printed_baseline", "规划印刷基期值", "printed baseline", "General"), ("rebased", "基期已替换", "re-based", None),
    ("target_year", "目标年份", "target year", "0"), ("target", "目标值", "target", "General"),
    ("comparator", "目标比较符", "comparator", None), ("target_text", "目标（印刷）", "target as printed", None),
    ("data_year", "数据年份", "data year", "0"), ("actual", "实际值", "actual", "General"),
    ("qualifier", "限定词", "qualifier", None), ("actual_text", "公布值文本", "actual with qualifier and unit", None),
    ("planned", "规划路径值", "planned", "General"), ("completion", "进度完成度", "share of required change achieved", "0.0%"),
    ("time_elapsed", "时间进度", "time elapsed", "0.0%"),
    ("observed_growth", "观察年均增速/增量", "observed growth per year", "growth"),
    ("planned_growth", "规划所需年均增速/增量", "planned growth per year", "growth"),
    ("growth_ratio", "增速比", "growth ratio", "0.00"),
    ("required_growth", "此后所需年均增速/增量", "required growth from now on", "growth"),
    ("projected", "目标年预测值", "projected", "General"), ("status", "状态代码", "status code", None),
    ("status_label", "状态", "status", None), ("status_definite", "状态确定", "status definite", None),
    ("status_if_high", "较乐观一端状态", "optimistic status", None),
    ("binding_alert", "约束性指标预警", "binding alert", None), ("reason", "无数据原因", "reason", None),
    ("method", "方法", "method", None),
]
# Final evaluations (the target year) add these (docs/methodology.md §3a).
FINAL_COLUMNS = [
    ("final_label", "终期评价", "final evaluation", None), ("completion_pct", "完成率（%）", "completion (%)", "0.0"),
    ("projection", "目标年外推值", "projected to the target year", "General"),
    ("projection_low", "外推区间下限", "projection low", "General"),
    ("projection_high", "外推区间上限", "projection high", "General"), ("final_text", "终期评价说明", "final evaluation note", None),
]
# Codes a Chinese reader must not see: the Chinese workbook leaves out these columns (the English one
# keeps them for programs) and shows the others' codes as words.
CODE_COLUMNS = {"id", "status"}
# Column → the labels table its codes are in (zhizao/labels.py, the one label source).
WORD_TABLES = {"kind": "indicator_kind", "direction": "direction", "price_basis": "price_basis",
               "comparator": "comparator", "qualifier": "qualifier"}
OBS_WORD_TABLES = {"period_type": "period_type", "status": "obs_status", "industry": "industry_scope",
                   "price_basis": "price_basis", "qualifier": "qualifier"}
OBS_CODE_COLUMNS = {"source_id", "batch_id", "vintage_assumed_from"}

OBS_HEADERS = {
    "obs_id": "观测值编号", "series": "统计序列", "region": "地区代码", "industry": "行业代码",
    "period_type": "期别类型", "year": "年份", "month": "月份", "period_key": "期别", "value": "数值",
    "qualifier": "限定词", "value_text": "公布文本", "unit": "单位", "unit_original": "原始单位",
    "price_basis": "价格口径", "status": "数据性质", "vintage": "发布/版本日期", "source_id": "来源编号",
    "quote": "原文摘录", "note": "备注", "batch_id": "导入批次", "synthetic": "合成数据",
    "source_title": "来源标题", "publisher": "发布者", "source_url": "来源地址", "published": "发布日期",
    "accessed": "访问日期", "grade": "来源等级", "basis": "数值口径", "basis_from": "口径起点",
    "known_since": "已知日期（含推定）", "vintage_assumed": "日期为推定",
}

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor=HEADER_FILL)


def _plain(v):
    """A cell value openpyxl writes the same way every time (no NaN/NaT, no numpy scalars), text
    neutralised against formula injection: a text such as `=HYPERLINK(…)` from an imported quote
    or a plan title is a string cell with a leading `'`, never a formula."""
    return xlsx_cell(v)


def level_format(v) -> str:
    """The display format of a level, by its size as formatting.number rounds it: 26,813 · 746.2 ·
    6.92 · 0.899 (the cell keeps the unrounded value)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return "General"
    a = abs(v)
    if isinstance(v, int) or float(v).is_integer():
        return "#,##0"
    return "#,##0" if a >= 10000 else "#,##0.0" if a >= 100 else "#,##0.00" if a >= 1 else "0.000"


def _header(ws, heads: list[str]) -> None:
    ws.append([_plain(x) for x in heads])
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _widths(ws, widths: dict[int, float] | None = None, default: float = 12) -> None:
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, default)


def _scorecard_row(ind: dict, plan, lang: str) -> dict:
    b, tg = ind["baseline"], ind["target"] or {}
    yes_no = (lambda x: None if x is None else (("yes" if x else "no") if lang == "en" else ("是" if x else "否")))
    return {
        "id": ind["id"], "name": ind_name(ind, lang), "category": plan.category_name(ind["category"], lang),
        "nature": (labels.label("nature", ind["nature"], lang) if ind.get("nature") in labels.NATURE else
                   ind.get("nature_label") or t("binding" if ind.get("binding") else "expected", lang)),
        "binding": yes_no(ind.get("binding")),
        "unit": unit(ind["unit"], lang), "kind": ind.get("kind"), "direction": ind.get("direction"),
        "price_basis": ind.get("price_basis"), "baseline_year": b.get("year"), "baseline": b.get("value"),
        "printed_baseline": b.get("printed_value"), "rebased": yes_no(b.get("rebased")),
        "target_year": tg.get("year"), "target": tg.get("value"), "comparator": tg.get("comparator"),
        "target_text": tg.get("text"), "data_year": ind.get("data_year"), "actual": ind.get("actual"),
        "qualifier": ind.get("qualifier"), "actual_text": ind.get("actual_text"), "planned": ind.get("planned"),
        "completion": ind.get("completion"), "time_elapsed": ind.get("time_elapsed"),
        "observed_growth": ind.get("observed_growth"), "planned_growth": planned_growth(ind),
        "growth_ratio": ind.get("growth_ratio"), "required_growth": required_growth(ind),
        "projected": ind.get("projected"), "status": ind["status"], "status_label": status_label(ind["status"], lang),
        "status_definite": yes_no(ind.get("status_definite")),
        "status_if_high": status_label(ind["status_if_high"], lang) if ind.get("status_if_high") else None,
        "binding_alert": yes_no(ind.get("binding_alert")), "reason": ind.get("reason"),
        "method": labels.method_words(ind.get("method"), lang),
    } | ({} if lang != "en" or ind.get("actual") is None else  # English: more than 26,000 (100 million yuan)
         {"actual_text": formatting.value(ind["actual"], ind["unit"], "en", ind.get("qualifier"))})


def _final_cells(ind: dict, lang: str) -> dict:
    f = ind.get("final") or {}
    proj = f.get("projection") or {}
    label = final_label(f["status"], lang) if f.get("status") in labels.FINAL_STATUS else f.get("label")
    bound = proj.get("bound") or BOUNDS.get(ind.get("qualifier") or "") if proj.get("basis") == "bound" else None
    if bound and proj.get("value") is not None:
        # a held bound is 至少26,000, not an interval whose two ends are equal
        held = labels.label("bound_word", bound, lang) + formatting.number(proj["value"])
        return {"final_label": label, "completion_pct": f.get("completion_pct"), "projection": held,
                "projection_low": None, "projection_high": None, "final_text": f.get("text")}
    return {"final_label": label, "completion_pct": f.get("completion_pct"), "projection": proj.get("value"),
            "projection_low": proj.get("low"), "projection_high": proj.get("high"), "final_text": f.get("text")}


def _word(table: str, code):
    """A code's word when the table knows it; other values (None, numbers, the data's own text) as they are."""
    return labels.label(table, code, "zh") if isinstance(code, str) and code in labels.TABLES[table] else code


def _in_words(row: dict) -> dict:
    """The Chinese workbook's cells: codes as the words a reader uses."""
    return {**row, **{k: _word(table, row.get(k)) for k, table in WORD_TABLES.items() if k in row}}


def _scorecard_sheet(wb: Workbook, result: dict, plan, lang: str) -> None:
    ws = wb.active
    ws.title = SHEETS["scorecard"][lang == "en"]
    final = (result.get("evaluation") or {}).get("kind") == "final"
    columns = [c for c in SCORECARD_COLUMNS + (FINAL_COLUMNS if final else [])
               if lang == "en" or c[0] not in CODE_COLUMNS]
    _header(ws, [c[2] if lang == "en" else c[1] for c in columns])
    status_col = [c[0] for c in columns].index("status_label") + 1
    for r, ind in enumerate(scorecard_order(result), start=2):
        row = {**_scorecard_row(ind, plan, lang), **_final_cells(ind, lang)}
        if lang != "en":
            row = _in_words(row)
        for c, (key, _, _, fmt) in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=c, value=_plain(row[key]))
            if fmt == "growth":
                cell.number_format = "0.00%" if growth_is_rate(ind) else "0.000"
            elif fmt == "General":
                cell.number_format = level_format(cell.value)
            elif fmt:
                cell.number_format = fmt
        ws.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=STATUS_FILL[ind["status"]])
    ws.auto_filter.ref = ws.dimensions
    name_col = [c[0] for c in columns].index("name") + 1
    _widths(ws, {name_col: 36, status_col: 16, len(columns) - 1: 40, len(columns): 40})


def _observations_sheet(wb: Workbook, observations: pd.DataFrame, lang: str) -> None:
    ws = wb.create_sheet(SHEETS["observations"][lang == "en"])
    if lang != "en" and len(observations.columns):
        observations = _observations_in_words(observations)
    elif len(observations.columns):  # English units (亿元 → 100 million yuan); unit_original stays as printed
        observations = _observations_in_english(observations)
    cols = list(observations.columns)
    _header(ws, [c if lang == "en" else OBS_HEADERS.get(c, c) for c in cols])
    date_cols = {i for i, c in enumerate(cols, start=1) if pd.api.types.is_datetime64_any_dtype(observations[c])}
    for r, values in enumerate(observations.itertuples(index=False, name=None), start=2):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_plain(v))
            if c in date_cols and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, float):
                cell.number_format = level_format(cell.value)
    ws.auto_filter.ref = ws.dimensions
    wide = {i: 40 for i, c in enumerate(cols, start=1) if c in ("series", "quote", "note", "source_url", "source_title")}
    _widths(ws, wide)


def _english_note(note):
    """zhizao's own words in a note in English; the name as published it quotes stays as it is."""
    if not isinstance(note, str):
        return note
    note = note.replace("名称原文 / as published", "as published")
    return note.replace("bundled:", "bundled data: ") if note.startswith("bundled:") else note


def _observations_in_english(obs: pd.DataFrame) -> pd.DataFrame:
    """English units (a unit's Chinese note is in unit_original, as printed) and notes."""
    obs = obs.copy()
    if "unit" in obs.columns:
        obs["unit"] = obs["unit"].map(lambda u: labels.unit_label(u.split("（")[0].strip() or u, "en")
                                      if isinstance(u, str) else u)
    if "note" in obs.columns:
        obs["note"] = obs["note"].map(_english_note)
    return obs


def _observations_in_words(obs: pd.DataFrame) -> pd.DataFrame:
    """The observations for a Chinese reader: internal ids left out, codes as words."""
    obs = obs.drop(columns=[c for c in OBS_CODE_COLUMNS if c in obs.columns])
    for col, table in OBS_WORD_TABLES.items():
        if col in obs.columns:
            obs[col] = obs[col].map(lambda v, t=table: _word(t, v))
    if "basis" in obs.columns:
        obs["basis"] = [basis_label(b, f) if isinstance(b, str) else b
                        for b, f in zip(obs["basis"], obs.get("basis_from", [None] * len(obs)))]
    for col in ("synthetic", "vintage_assumed"):
        if col in obs.columns:
            obs[col] = obs[col].map(lambda v: None if v is None or v is pd.NA else ("是" if bool(v) else "否"))
    return obs


def _clusters_sheet(wb: Workbook, result: dict, plan, lang: str) -> None:
    ws = wb.create_sheet(SHEETS["clusters"][lang == "en"])
    heads = (["id", "cluster", "scale target", "unit", "target as printed", "target year", "latest scale", "qualifier",
              "year", "share of target", "comparability"] if lang == "en" else
             ["序号", "产业集群", "规模目标", "单位", "目标（印刷）", "目标年份", "最新规模", "限定词", "年份", "占目标比例", "可比性"])
    _header(ws, heads)
    names = {c.id: ((c.name_en or c.name) if lang == "en" else c.name) for c in getattr(plan, "clusters", [])}
    for k, c in enumerate(result.get("clusters") or [], start=1):
        zh = lang != "en"
        ws.append([_plain(v) for v in (k if zh else c["id"], names.get(c["id"], c["name"]), c.get("target"),
                                       unit(c.get("unit"), lang),
                                       c.get("target_text"), c.get("target_year"), c.get("actual"),
                                       _word("qualifier", c.get("qualifier")) if zh else c.get("qualifier"),
                                       c.get("year"), c.get("share_of_target"),
                                       labels.label("comparability", c.get("comparability"), lang))])
        ws.cell(row=ws.max_row, column=10).number_format = "0.0%"
        for col in (3, 7):
            ws.cell(row=ws.max_row, column=col).number_format = level_format(ws.cell(row=ws.max_row, column=col).value)
    _widths(ws, {2: 16})


def _about_sheet(wb: Workbook, report: Report, result: dict, observations: pd.DataFrame | None, lang: str) -> None:
    ws = wb.create_sheet(SHEETS["about"][lang == "en"])
    p = result["plan"]
    en = lang == "en"
    rows = [
        ("Report" if en else "报告", report.title),
        ("Kind" if en else "类型", t(report_kind(result), lang)),
        ("Plan" if en else "规划", p.get("title_en") if en and p.get("title_en") else p["title"]),
        ("Document number" if en else "文号", p.get("document_number")),
        (t("eval_year", lang), result["year"]),
        (t("as_of", lang), result.get("as_of") or t("as_of_all", lang)),
        ("Observations stored" if en else "观测值数", 0 if observations is None else len(observations)),
        (),
        ("Status", "Code") if en else ("状态（颜色图例）",),
    ]
    for row in rows:
        ws.append([_plain(v) for v in row])
    legend_start = ws.max_row
    ws.cell(row=legend_start, column=1).font = BOLD
    for s in STATUSES:  # the mid-term statuses the scorecard sheet codes
        fill = STATUS_FILL[s]
        ws.append([_plain(status_label(s, lang))] + ([_plain(s)] if en else []))
        ws.cell(row=ws.max_row, column=1).fill = PatternFill("solid", fgColor=fill)
    ws.append([])
    ws.append(["Setting", "Value", "Meaning"] if en else ["评估参数", "取值"])
    ws.cell(row=ws.max_row, column=1).font = BOLD
    for s in ASSESSMENT_SETTINGS:  # the Chinese workbook names a setting by its meaning, not its code
        value = result.get("settings", {}).get(s.name, s.default)
        ws.append([_plain(s.name if en else s.help_zh), _plain(value if not isinstance(value, bool) or en
                                                               else ("是" if value else "否")),
                   *([_plain(s.help_en)] if en else [])])
    _widths(ws, {1: 22, 2: 60, 3: 60})


def render_xlsx(report: Report, result: dict, observations: pd.DataFrame | None, plan, path: Path) -> Path:
    lang = report.lang
    wb = Workbook()
    _scorecard_sheet(wb, result, plan, lang)
    _observations_sheet(wb, observations if observations is not None else pd.DataFrame(), lang)
    _clusters_sheet(wb, result, plan, lang)
    _about_sheet(wb, report, result, observations, lang)
    when = datetime.combine(report.doc_date, time(0))
    wb.properties.creator = wb.properties.lastModifiedBy = "zhizao"
    wb.properties.title = ILLEGAL_CHARACTERS_RE.sub("", report.title)
    wb.properties.created = wb.properties.modified = when
    path = Path(path)
    # ExcelWriter directly: openpyxl's save() would stamp `modified` with the clock.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    normalise_zip(path)
    return path
