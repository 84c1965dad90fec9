"""Delivery workbooks and the 任务分工方案 in the layouts offices exchange (docs/delivery.md "Exports").

- `service_ledger_workbook` — 三服务问题台账: one row per problem (序号, 企业, 类别, 描述, 责任单位, dates,
  办理状态, 办结日期, 办理结果, 超期天数, 备注).
- `task_table_workbook` / `task_table_docx` — 任务分工方案: 附件 line, title, then 序号, 重点任务, 工作任务,
  牵头单位, 配合单位, 完成时限, 进展情况, 完成进度, 状态; the 重点任务 cell spans its items; the DOCX
  is landscape A4 in the 公文 faces (方正小标宋 title, 黑体 heads, 仿宋 body).
- `project_ledger_workbook` — 重点项目台账: stages planned vs actual, investment, warnings.
- `template_workbook` — the blank import template: the seven sheets of
  zhizao.ingest.delivery_frames.FRAME_NAMES with COLUMN_WORDS headers (units in brackets), one example
  row each that imports as it is, and a 说明 sheet.

Statuses come from zhizao.analytics.delivery (computed here when the caller passes none). Every text
cell goes through spreadsheet_safe; a synthetic area says so in the unit row and the source line.
"""
from __future__ import annotations

import io
from typing import Any

import pandas as pd

from zhizao import formatting, labels
from zhizao.codes.uscc import make_code
from zhizao.ingest import delivery_frames as df_
from zhizao.ingest.delivery_frames import (COLUMN_UNITS, COLUMN_WORDS, FRAME_NAMES, FRAMES, PROBLEM_CATEGORIES,
                                           STAGE_NAMES, STAGES, STATUS_NAMES, DeliveryData)
from zhizao.outputs.enterprise_exports import (_district_names, _new_workbook, _save, _styles, _width, about_sheet,
                                               area_name, body_rows, notes_row)
from zhizao.outputs.reports.fonts import GW_FANG, GW_HEI, GW_TITLE
from zhizao.outputs.spreadsheet_safe import xlsx_cell, xlsx_text
from zhizao.settings import Settings

NUMBER_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"


def _w(key: str, lang: str) -> str:
    return labels.DL_EXPORT_WORDS[key][1 if lang == "en" else 0]


def _h(key: str, lang: str) -> str:
    return labels.DL_EXPORT_HEAD[key][1 if lang == "en" else 0]


def _col(frame: str, column: str, lang: str, unit: bool = True) -> str:
    """A contract column's header: 计划总投资（万元） / planned investment (10k yuan)."""
    word = COLUMN_WORDS[frame][column][1 if lang == "en" else 0]
    u = COLUMN_UNITS.get(column) if unit else None
    if not u:
        return word
    u = labels.ENT_EXPORT_UNIT.get(u, (u, u))[1 if lang == "en" else 0]
    return f"{word} ({u})" if lang == "en" else f"{word}（{u}）"


def _status_word(kind: str, value: Any, lang: str) -> str:
    pair = STATUS_NAMES[kind].get(str(value))
    return pair[1 if lang == "en" else 0] if pair else _text(value)


def _text(v: Any) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _num(v: Any) -> float | None:
    """A number, or None (a blank, text that is no number). Per cell, so without a Series."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return None if v != v else float(v)
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return None if x != x else x


def _sep(lang: str) -> str:
    return "; " if lang == "en" else "、"


def _units_text(value: Any, names: dict[str, str], lang: str) -> str:
    """A ";"-joined unit list in words."""
    return _sep(lang).join(names.get(u.strip(), u.strip()) for u in _text(value).split(";") if u.strip())


def source_line(data: DeliveryData, area: str, lang: str = "zh") -> str:
    """The source line of an area's export: the synthetic label first when that area is synthetic (in
    both languages in English, so a Chinese reader of the file sees it too), the source, the as-of date."""
    parts = []
    if data.area_synthetic(area):
        parts = [labels.DL_EXPORT_WORDS["synthetic"][0]] + ([_w("synthetic", lang)] if lang == "en" else [])
    parts.append(_w("source", lang).format(source=data.source or formatting.MISSING))
    if data.as_of:
        parts.append(_w("as_of", lang).format(date=formatting.date(data.as_of)))
    return ("; " if lang == "en" else "；").join(parts)


def _as_of(data: DeliveryData, as_of: str | None) -> str:
    return as_of or data.as_of or pd.Timestamp.today().date().isoformat()


def _notes(lines: list[str], lang: str) -> list[str]:
    return [f"{_w('note_head', lang)}1. {x}" if i == 1 else f"{i}. {x}" for i, x in enumerate(lines, start=1)]


# --- the sheet layout ------------------------------------------------------------------------------

def _sheet(wb, title: str, heading: str, unit_row: str, heads: list[str], rows: list[list[Any]],
           numbers: dict[int, str], notes: list[str], *, attachment: str | None = None,
           span: int | None = None) -> None:
    """One sheet: [附件 line], title (merged, 黑体), unit row, one header row (units in brackets), bordered
    rows, the 说明 row. `span`: the 1-based column whose equal consecutive values merge (重点任务)."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - openpyxl only when a workbook is written

    st = _styles()
    ws = wb.create_sheet(title=title[:31])
    n = len(heads)
    last = get_column_letter(n)
    if attachment:
        ws.append([xlsx_text(attachment)])
        ws.cell(row=1, column=1).font = st["head"]
    for text, font, align in ((heading, st["title"], st["center"]), (unit_row, st["body"], st["left"])):
        ws.append([xlsx_text(text)])
        r = ws.max_row
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(row=r, column=1).font, ws.cell(row=r, column=1).alignment = font, align
    ws.row_dimensions[ws.max_row - 1].height = 30
    ws.append([xlsx_text(h) for h in heads])
    head_row = ws.max_row
    for c in ws[head_row]:
        c.font, c.alignment, c.border, c.fill = st["head"], st["center"], st["border"], st["fill"]
    first = head_row + 1
    body_rows(ws, rows, n, st, numbers)
    if span and rows:
        start = first
        for k in range(1, len(rows) + 1):
            end_here = k == len(rows) or rows[k][span - 1] != rows[start - first][span - 1]
            if end_here:
                if first + k - 1 > start:
                    col = get_column_letter(span)
                    ws.merge_cells(f"{col}{start}:{col}{first + k - 1}")
                    ws[f"{col}{start}"].alignment = st["left"]
                start = first + k
    notes_row(ws, notes, n, st)
    for i in range(1, n + 1):
        ws.column_dimensions[get_column_letter(i)].width = _width([heads[i - 1], *(row[i - 1] for row in rows[:2000])])
    ws.freeze_panes = f"A{first}"
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _unit_row(data: DeliveryData, area: str, lang: str, as_of: str) -> str:
    text = _w("unit_row", lang).format(date=formatting.date(as_of))
    return f"{_w('synthetic', lang)}　{text}" if data.area_synthetic(area) else text


def _reasons(r: dict, lang: str) -> str:
    v = r.get("reasons_en" if lang == "en" else "reasons_zh")
    if isinstance(v, (list, tuple)):
        return ("; " if lang == "en" else "；").join(str(x) for x in v)
    return _text(v)


# --- 三服务问题台账 ------------------------------------------------------------------------------------

def _problem_status(plan, data, as_of, s):
    from zhizao.analytics.delivery import services  # noqa: PLC0415 - the analytics, only when none is given

    return services.problem_status(data, as_of, s)


def service_ledger_workbook(plan, data: DeliveryData, status: pd.DataFrame | None = None, *, lang: str = "zh",
                            as_of: str | None = None, settings: Settings | None = None) -> bytes:
    """The 三服务问题台账 (XLSX bytes): the problems of `status` (analytics services.problem_status; computed
    when None), open ones first by days overdue, then by raised date."""
    s = settings if settings is not None else Settings()
    when = _as_of(data, as_of)
    if status is None:
        status = _problem_status(plan, data, when, s)
    names = df_.unit_names(plan, data.departments, lang)
    districts = _district_names(plan, lang) if plan.regions is not None else {}
    t = status.copy()
    if len(t):
        t["_open"] = (t["status"] != "resolved").astype(int)
        t["_late"] = pd.to_numeric(t.get("days_overdue", 0), errors="coerce").fillna(0)
        t = t.sort_values(["_open", "_late", "raised", "problem_id"], ascending=[False, False, True, True])
    rows = []
    for seq, r in enumerate(t.to_dict("records"), start=1):
        cat = PROBLEM_CATEGORIES.get(str(r.get("category")))
        late = _num(r.get("days_overdue"))
        rows.append([seq, r.get("problem_id"), r.get("enterprise_name"), r.get("enterprise_id") or None,
                     districts.get(_text(r.get("district")), _text(r.get("district"))),
                     cat[1 if lang == "en" else 0] if cat else _text(r.get("category")), r.get("description"),
                     _units_text(r.get("department"), names, lang), _text(r.get("raised")), _text(r.get("deadline")),
                     _status_word("problem", r.get("status"), lang), _text(r.get("resolved")), r.get("resolution"),
                     int(late) if late and bool(r.get("overdue")) else None, _reasons(r, lang)])
    cols = ["problem_id", "enterprise_name", "enterprise_id", "district", "category", "description", "department",
            "raised", "deadline", "status", "resolved", "resolution"]
    heads = [_h("seq", lang), *(_col("problems", c, lang) for c in cols), _h("days_overdue", lang), _h("remarks", lang)]
    notes = ([_w("no_rows", lang)] if not rows else []) + [_w("note_overdue", lang), source_line(data, "services", lang)]
    wb = _new_workbook()
    _sheet(wb, _w("sheet_services", lang), _w("service_title", lang).format(area=area_name(plan, lang)),
           _unit_row(data, "services", lang, when),
           heads, rows, {14: "0"}, _notes(notes, lang))
    return _save(wb)


# --- 任务分工方案 ---------------------------------------------------------------------------------------

def _item_status(plan, data, as_of, s):
    from zhizao.analytics.delivery import tasks  # noqa: PLC0415 - the analytics, only when none is given

    return tasks.item_status(plan, data, as_of, s)


def _task_words(plan, lang: str) -> tuple[dict[str, str], dict[str, int]]:
    """Plan task/safeguard id → 'title（section）', and its order in the plan."""
    words, order = {}, {}
    for k, t in enumerate([*plan.tasks, *plan.safeguards]):
        words[t.id] = f"{t.title}（{t.section}）" if lang != "en" else f"{t.title} ({t.section})"
        order[t.id] = k
    return words, order


def _latest_reports(data: DeliveryData) -> dict[str, dict]:
    r = data.progress_reports
    if not len(r):
        return {}
    r = r.sort_values(["item_id", "date", "report_id"])
    return {k: g.iloc[-1].to_dict() for k, g in r.groupby("item_id", sort=False)}


def task_rows(plan, data: DeliveryData, status: pd.DataFrame | None = None, *, lang: str = "zh",
              as_of: str | None = None, settings: Settings | None = None) -> list[list[Any]]:
    """The 任务分工方案's rows: 序号, 重点任务, 工作任务, 牵头单位, 配合单位, 完成时限, 进展情况, 完成进度 (number or
    None), 状态 — in the plan's task order, then item id."""
    s = settings if settings is not None else Settings()
    if not len(data.work_items):
        return []
    if status is None:
        status = _item_status(plan, data, _as_of(data, as_of), s)
    by_item = {str(r["item_id"]): r for r in status.to_dict("records")} if len(status) else {}
    words, order = _task_words(plan, lang)
    names = df_.unit_names(plan, data.departments, lang)
    latest = _latest_reports(data)
    items = data.work_items.assign(_o=data.work_items["task"].map(lambda t: order.get(t, len(order))))
    items = items.sort_values(["_o", "item_id"])
    rows = []
    for seq, w in enumerate(items.to_dict("records"), start=1):
        st = by_item.get(str(w["item_id"]), {})
        rep = latest.get(str(w["item_id"]))
        progress = (f"{rep['date']}{'：' if lang != 'en' else ': '}{_text(rep.get('text'))}" if rep
                    else _w("no_report", lang))
        done = _num(st.get("completion"))
        if done is None and rep:
            done = _num(rep.get("completion"))
        state = _text(st.get("status_en" if lang == "en" else "status_zh"))
        rows.append([seq, words.get(str(w["task"]), _text(w["task"])), _text(w["title"]),
                     _units_text(w["lead"], names, lang), _units_text(w["cooperating"], names, lang),
                     _text(w["deadline"]), progress, done, state])
    return rows


def _task_heads(lang: str) -> list[str]:
    return [_h("seq", lang), _h("task", lang), _h("title", lang), _h("lead", lang), _h("cooperating", lang),
            _h("deadline", lang), _h("progress", lang), f"{_h('completion', lang)}（%）" if lang != "en"
            else f"{_h('completion', lang)} (%)", _h("status", lang)]


def _task_notes(plan, data: DeliveryData, s: Settings, lang: str) -> list[str]:
    lines = [_w("note_task", lang).format(stalled=s["task_stalled_days"], behind=formatting.number(s["task_behind_pp"]))]
    if len(data.work_items) and (data.work_items["basis"] == "plan_text").all():
        lines.append(_w("plan_default", lang))
    lines.append(source_line(data, "tasks", lang))
    return lines


def _plan_title(plan, lang: str) -> str:
    return (plan.plan.title_en or plan.plan.title) if lang == "en" else plan.plan.title.strip("《》")


def _task_unit_row(plan, data, lang: str, when: str) -> str:
    text = _w("task_unit_row", lang).format(area=area_name(plan, lang) if plan.regions is not None else "",
                                             date=formatting.date(when))
    return f"{_w('synthetic', lang)}　{text}" if data.area_synthetic("tasks") else text


def task_table_workbook(plan, data: DeliveryData, status: pd.DataFrame | None = None, *, lang: str = "zh",
                        as_of: str | None = None, settings: Settings | None = None) -> bytes:
    """The 任务分工方案 (XLSX bytes) in the government layout; a plan without work items says so."""
    s = settings if settings is not None else Settings()
    when = _as_of(data, as_of)
    rows = task_rows(plan, data, status, lang=lang, as_of=when, settings=s)
    notes = ([_w("no_tasks", lang)] if not rows else []) + _task_notes(plan, data, s, lang)
    wb = _new_workbook()
    _sheet(wb, _w("sheet_tasks", lang), _w("task_title", lang).format(plan=_plan_title(plan, lang)),
           _task_unit_row(plan, data, lang, when), _task_heads(lang), rows, {8: PERCENT_FORMAT}, _notes(notes, lang),
           attachment=_w("attachment", lang), span=2)
    return _save(wb)


def _docx_run(paragraph, text: str, face: str, size: float, bold: bool = False):
    from docx.shared import Pt  # noqa: PLC0415 - python-docx only when a DOCX is written

    from zhizao.outputs.reports.to_docx import _set_fonts  # noqa: PLC0415 - the reports' font naming

    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    _set_fonts(run._r.get_or_add_rPr(), face)
    return run


def task_table_docx(plan, data: DeliveryData, status: pd.DataFrame | None = None, *, lang: str = "zh",
                    as_of: str | None = None, settings: Settings | None = None) -> bytes:
    """The 任务分工方案 (DOCX bytes): landscape A4, 附件 line (黑体), title (方正小标宋), the table (黑体 heads,
    仿宋 body; the 重点任务 cell merged over its items; the header repeats on each page), the notes."""
    from docx import Document  # noqa: PLC0415 - python-docx only when a DOCX is written
    from docx.enum.section import WD_ORIENT  # noqa: PLC0415 - python-docx, as above
    from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: PLC0415 - python-docx, as above
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415 - python-docx, as above
    from docx.oxml import OxmlElement  # noqa: PLC0415 - python-docx, as above
    from docx.oxml.ns import qn  # noqa: PLC0415 - python-docx, as above
    from docx.shared import Cm  # noqa: PLC0415 - python-docx, as above

    from zhizao.outputs.reports.to_docx import _font_table, _set_fonts  # noqa: PLC0415 - loads python-docx

    s = settings if settings is not None else Settings()
    when = _as_of(data, as_of)
    rows = task_rows(plan, data, status, lang=lang, as_of=when, settings=s)
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.0))
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.0)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), GW_FANG)
    _font_table(doc, gongwen=True)
    doc.core_properties.title = _w("task_title", lang).format(plan=_plan_title(plan, lang))
    doc.core_properties.author = "zhizao"
    _docx_run(doc.add_paragraph(), _w("attachment", lang), GW_HEI, 16)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_run(p, _w("task_title", lang).format(plan=_plan_title(plan, lang)), GW_TITLE, 22)
    _docx_run(doc.add_paragraph(), _task_unit_row(plan, data, lang, when), GW_FANG, 12)
    heads = _task_heads(lang)
    widths = [1.2, 4.2, 5.0, 3.2, 3.2, 2.2, 4.8, 1.6, 2.0]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, wd in zip(table.columns, widths):  # the grid, which LibreOffice and WPS lay out by
        col.width = Cm(wd)
    for cell, h, wd in zip(table.rows[0].cells, heads, widths):
        cell.width = Cm(wd)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_run(cell.paragraphs[0], h, GW_HEI, 10.5)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for r in rows:
        cells = table.add_row().cells
        for i, (cell, v, wd) in enumerate(zip(cells, r, widths)):
            cell.width = Cm(wd)
            text = formatting.number(v, 1) if i == 7 and v is not None else ("" if v is None else str(v))
            if i in (0, 5, 7, 8):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_run(cell.paragraphs[0], text, GW_FANG, 10.5)
    # the 重点任务 cell spans its consecutive items, as the offices' tables do
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k][1] != rows[start][1]:
            if k - 1 > start:
                top = table.cell(start + 1, 1)
                merged = top.merge(table.cell(k, 1))
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = k
    notes = ([_w("no_tasks", lang)] if not rows else []) + _task_notes(plan, data, s, lang)
    for line in _notes(notes, lang):
        _docx_run(doc.add_paragraph(), line, GW_FANG, 10.5)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- 重点项目台账 ---------------------------------------------------------------------------------------

def _project_status(plan, data, as_of, s):
    from zhizao.analytics.delivery import projects  # noqa: PLC0415 - the analytics, only when none is given

    return projects.project_status(data, as_of, s)


def project_ledger_workbook(plan, data: DeliveryData, status: pd.DataFrame | None = None, *, lang: str = "zh",
                            as_of: str | None = None, settings: Settings | None = None) -> bytes:
    """The 重点项目台账 (XLSX bytes): each project with its cluster, district, park, investor, planned and
    completed investment, the four stages planned and actual, the stage reached, status and warnings."""
    s = settings if settings is not None else Settings()
    when = _as_of(data, as_of)
    if status is None:
        status = _project_status(plan, data, when, s)
    districts = _district_names(plan, lang) if plan.regions is not None else {}
    clusters = {c.id: ((c.name_en or c.name) if lang == "en" else c.name) for c in plan.clusters}
    t = status.sort_values(["district", "project_id"]) if len(status) else status
    rows = []
    for seq, r in enumerate(t.to_dict("records"), start=1):
        stage = _text(r.get("stage"))
        stages = []
        for st in STAGES:
            stages += [_text(r.get(f"planned_{st}")), _text(r.get(st))]
        rows.append([seq, r.get("project_id"), r.get("name"), clusters.get(_text(r.get("cluster")), _text(r.get("cluster"))),
                     districts.get(_text(r.get("district")), _text(r.get("district"))), _text(r.get("park")),
                     r.get("investor"), _num(r.get("planned_investment")), _num(r.get("cumulative_investment")),
                     _num(r.get("investment_share")), *stages,
                     STAGE_NAMES[stage][1 if lang == "en" else 0] if stage in STAGE_NAMES else formatting.MISSING,
                     _status_word("project", r.get("status"), lang), _reasons(r, lang)])
    heads = [_h("seq", lang), *(_col("projects", c, lang) for c in ("project_id", "name", "cluster", "district", "park",
                                                                   "investor", "planned_investment")),
             f"{_h('cumulative_investment', lang)}（万元）" if lang != "en" else f"{_h('cumulative_investment', lang)} (10k yuan)",
             f"{_h('investment_share', lang)}（%）" if lang != "en" else f"{_h('investment_share', lang)} (%)"]
    for st in STAGES:
        heads += [_col("projects", f"planned_{st}", lang), _col("projects", st, lang)]
    heads += [_h("stage", lang), _col("projects", "status", lang), _h("warnings", lang)]
    notes = ([_w("no_rows", lang)] if not rows else []) + [
        _w("note_project", lang).format(grace=s["project_stage_grace_days"],
                                        gap=formatting.number(s["project_investment_gap_pp"])),
        source_line(data, "projects", lang)]
    wb = _new_workbook()
    _sheet(wb, _w("sheet_projects", lang), _w("project_title", lang).format(area=area_name(plan, lang)),
           _unit_row(data, "projects", lang, when), heads, rows,
           {8: NUMBER_FORMAT, 9: NUMBER_FORMAT, 10: PERCENT_FORMAT}, _notes(notes, lang))
    return _save(wb)


# --- the blank import template -----------------------------------------------------------------------

def template_header(frame: str, column: str, lang: str = "zh") -> str:
    """A template column's header: COLUMN_WORDS with the unit in brackets (计划总投资（万元） / planned
    investment (万元)); the import accepts the word with or without its unit."""
    word = COLUMN_WORDS[frame][column][1 if lang == "en" else 0]
    u = COLUMN_UNITS.get(column)
    if not u:
        return word
    return f"{word} ({u})" if lang == "en" else f"{word}（{u}）"


def template_sheet(frame: str | None, lang: str = "zh") -> str:
    """A sheet's name: FRAME_NAMES; None: the notes sheet (说明 / notes)."""
    return (FRAME_NAMES[frame] if frame else labels.DL_EXPORT_WORDS["about_sheet"])[1 if lang == "en" else 0]


def example_rows(plan, lang: str = "zh") -> dict[str, dict[str, Any]]:
    """One example row per frame that imports as it is: a unit defined in the template's own 单位 sheet
    leads the work item (so any plan's vocabulary holds it), the plan's first district and cluster, dates
    in the past and in stage order. Frames the plan cannot hold (work items without plan tasks) are absent."""
    zh = lang != "en"
    districts = plan.regions.districts if plan.regions is not None else []
    district = districts[0].code if districts else ""
    unit_id = "example_unit"
    unit = _w("example_unit", "zh") if zh else unit_id
    # dates after the plan's base year, yet in the past (an actual date after today is refused)
    year = min(plan.plan.base_year + 1, pd.Timestamp.today().year - 1)
    out: dict[str, dict[str, Any]] = {
        "departments": {"department_id": unit_id, "name": _w("example_unit", "zh"), "name_en": _w("example_unit", "en"),
                        "kind": STATUS_NAMES["department"]["department"][0] if zh else "department", "aliases": ""},
        "projects": {"project_id": "EXAMPLE-P001", "name": _w("example_project", lang),
                     "cluster": plan.clusters[0].id if plan.clusters else "", "chain": "", "link": "",
                     "district": district, "park": "", "investor": _w("example_investor", lang),
                     "investor_id": make_code(district, "MA000000") if district else "",
                     "planned_investment": 50000, "planned_output": 80000,
                     "planned_signed": f"{year}-03-01", "planned_started": f"{year}-06-30",
                     "planned_production": f"{year + 2}-06-30", "planned_full_production": f"{year + 3}-06-30",
                     "signed": f"{year}-03-01", "started": f"{year}-07-15", "production": "", "full_production": "",
                     "status": STATUS_NAMES["project"]["active"][0] if zh else "active",
                     "note": _w("example_note", lang)},
        "project_progress": {"project_id": "EXAMPLE-P001", "year": year, "month": 8, "investment": 1200, "output": None},
        "problems": {"problem_id": "EXAMPLE-Q001", "enterprise_id": make_code(district, "MA000001") if district else "",
                     "enterprise_name": _w("example_enterprise", lang), "district": district,
                     "category": PROBLEM_CATEGORIES["land"][0] if zh else "land",
                     "description": _w("example_problem", lang), "department": unit,
                     "raised": f"{year}-05-06", "deadline": f"{year}-06-30",
                     "status": STATUS_NAMES["problem"]["in_progress"][0] if zh else "in_progress",
                     "resolved": "", "resolution": ""},
    }
    tasks = [*plan.tasks, *plan.safeguards]
    if tasks:
        item = "example_item"
        out["work_items"] = {"item_id": item, "task": tasks[0].id, "title": _w("example_item", lang), "lead": unit,
                             "cooperating": district, "start": f"{year}-01-01", "deadline": f"{year + 1}-12-31",
                             "basis": STATUS_NAMES["basis"]["user"][0] if zh else "user", "section": tasks[0].section,
                             "quote": ""}
        out["milestones"] = {"item_id": item, "seq": 1, "due": f"{year}-06-30", "text": _w("example_milestone", lang),
                             "done": ""}
        out["progress_reports"] = {"report_id": "EXAMPLE-R001", "item_id": item, "date": f"{year}-06-30",
                                   "completion": 30, "text": _w("example_report", lang), "attachments": "",
                                   "reporter": _w("example_reporter", lang)}
    return out


def _about_rows(plan, lang: str) -> list[list[str]]:
    en = lang == "en"
    rows = [[_w("about_rows", lang), "", ""], [_w("about_dates", lang), _w("about_dates_values", lang), ""],
            [_w("about_units", lang), _w("about_units_values", lang), ""],
            [_w("about_units_list", lang), _w("about_units_list_values", lang), ""],
            [_w("about_stage", lang), _w("about_stage_values", lang), ""]]
    for kind, key in (("project", "about_project_status"), ("problem", "about_problem_status"),
                      ("basis", "about_basis"), ("department", "about_kind")):
        rows += [[_w(key, lang), code if en else pair[0], pair[1] if en else code]
                 for code, pair in STATUS_NAMES[kind].items()]
    rows += [[_w("about_category", lang), code if en else pair[0], pair[1] if en else code]
             for code, pair in PROBLEM_CATEGORIES.items()]
    tasks = [*plan.tasks, *plan.safeguards]
    rows += [[_w("about_task", lang), t.id, f"{t.title}（{t.section}）"] for t in tasks] or \
        [[_w("about_task", lang), "", _w("about_no_tasks", lang)]]
    rows += [[_w("about_unit", lang), d.id, (d.name_en or d.name) if en else d.name] for d in plan.departments]
    if plan.regions is not None:
        rows += [[_w("about_district", lang), d.code, d.name] for d in plan.regions.districts]
    return rows


def template_workbook(plan, lang: str = "zh") -> bytes:
    """The blank import template (XLSX bytes): the seven sheets (FRAME_NAMES in `lang`), a header row and
    one example row each (none in the task sheets for a plan without tasks), then 说明."""
    st = _styles()
    examples = example_rows(plan, lang)
    wb = _new_workbook()
    for frame, columns in FRAMES.items():
        ws = wb.create_sheet(template_sheet(frame, lang))
        heads = [template_header(frame, c, lang) for c in columns]
        ws.append([xlsx_text(h) for h in heads])
        for cell in ws[1]:
            cell.font, cell.fill, cell.border, cell.alignment = st["head"], st["fill"], st["border"], st["center"]
        if frame in examples:
            ws.append([xlsx_cell(examples[frame].get(c)) for c in columns])
            for cell in ws[2]:
                cell.font = st["body"]
                if isinstance(cell.value, str):  # codes stay text ("500101" must not become a number)
                    cell.number_format = "@"
        for k, cell in enumerate(ws[1]):
            sample = [heads[k], ws.cell(row=2, column=k + 1).value]
            ws.column_dimensions[cell.column_letter].width = _width(sample)
        ws.freeze_panes = "A2"
    about_sheet(wb, template_sheet(None, lang), _w("about_title", lang).format(plan=_plan_title(plan, lang)),
                [_w(k, lang) for k in ("about_head", "about_values", "about_remark")], _about_rows(plan, lang),
                (28, 40, 60))
    return _save(wb)
