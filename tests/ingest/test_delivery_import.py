"""Reading and checking delivery data files (zhizao/ingest/delivery.py): good tables in Chinese or
English, UTF-8 or GBK CSV or XLSX read to the contract's frames; each refusal names file, sheet, row and
column; references are checked against the import, else the active data; form edits (check_edit) keep
the same rules; the same on the 2023—2027 plan (no tasks) and the fictional test plan (no departments,
its districts are the units)."""
from __future__ import annotations

import re
import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.ingest import delivery_frames as df
from zhizao.ingest.delivery import COLUMN_ALIASES, SHEET_ALIASES, check_edit, read_delivery_files
from zhizao.plan.load import embedded_plan_path, load_plan

from tests.table_files import credit_code, workbook, write_csv, write_workbook

ASSETS = Path(__file__).parents[1] / "assets"
TODAY = "2025-06-30"


def tables(d1: str = "500112", d2: str = "500106", *, task: str = "key_core_technology_breakthroughs",
           lead: str = "市经济信息委", cluster: str = "电子信息", chain: str = "集成电路（功率半导体）", link: str = "ic_design"
           ) -> dict[str, list[list[str]]]:
    """Good tables (Chinese headers as the template writes them, with units) for a plan with districts d1, d2."""
    return {
        "projects": [["项目编号", "项目名称", "所属产业集群", "所属产业链", "产业链环节", "所在区县", "所在园区", "投资主体",
                      "投资主体统一社会信用代码", "计划总投资（万元）", "达产后年产值（万元）", "计划签约日期", "计划开工日期",
                      "计划投产日期", "计划达产日期", "实际签约日期", "实际开工日期", "实际投产日期", "实际达产日期", "项目状态",
                      "备注"],
                     ["P-001", "甲芯片项目", cluster, chain, link, d1, "", "甲公司", credit_code(d1, 1), "120,000", "300000",
                      "2023-01-10", "2023/6/1", "2024年6月30日", "2025-12-31", "2023-01-12", "2023-07-01", "", "",
                      "正常推进", ""],
                     ["P-002", "乙项目", "", "", "", d2, "", "乙公司", "", "5000", "", "2024-03-01", "", "", "", "", "",
                      "", "", "", "备注"]],
        "project_progress": [["项目编号", "年份", "月份", "当月完成投资（万元）", "当月产值（万元）"],
                             ["P-001", "2024", "5", "2000", ""], ["P-001", "2024年", "6", "1500.5", "0"]],
        "problems": [["问题编号", "统一社会信用代码", "企业名称", "所在区县", "问题类别", "问题描述", "责任单位", "提出日期",
                      "办理期限", "办理状态", "办结日期", "办理结果"],
                     ["Q-1", credit_code(d1, 2), "丙公司", d1, "用地", "缺少工业用地", lead, "2025-01-05", "2025-03-31",
                      "已办结", "2025-03-01", "已协调"],
                     ["Q-2", "", "丁公司", d2, "要素保障（煤电油气运）", "用电紧张", d2, "2025-02-01", "2025-04-30",
                      "办理中", "", ""]],
        "work_items": [["任务编号", "对应规划任务", "工作任务", "牵头单位", "配合单位", "开始日期", "完成时限", "分工依据"],
                       ["W-1", task, "组织关键核心技术攻关", lead, f"{d1}；{d2}", "2023-01-01", "2025-12-31", "用户录入"],
                       ["W-2", task, "建设共性技术平台", d1, "", "", "2025-06-30", ""]],
        "milestones": [["任务编号", "节点序号", "节点时限", "节点内容", "完成日期"],
                       ["W-1", "1", "2024-06-30", "完成攻关清单", "2024-06-01"], ["W-1", "2", "2025-06-30", "验收", ""]],
        "progress_reports": [["报告编号", "任务编号", "报告日期", "完成进度（%）", "进展情况", "附件", "报送人"],
                             ["R-1", "W-1", "2025-03-31", "60%", "完成过半", "a.pdf；https://x.test/b", "张三"]],
    }


ENGLISH = {"projects": ["project id", "project name", "cluster", "chain", "chain link", "district", "park", "investor",
                        "investor credit code", "planned investment (万元)", "planned output (10k yuan)",
                        "planned signed date", "planned construction started date", "planned in production date",
                        "planned at full production date", "signed date", "construction started date",
                        "in production date", "at full production date", "status", "note"],
           "project_progress": ["project id", "year", "month", "investment in the month (10k yuan)",
                                "output in the month"],
           "problems": ["problem id", "credit code", "enterprise", "district", "category", "description",
                        "responsible unit", "raised", "deadline", "status", "resolved", "resolution"],
           "work_items": ["item id", "plan task", "work item", "lead units", "co-operating units", "start", "deadline",
                          "basis"],
           "milestones": ["item id", "milestone no.", "due", "milestone", "done"],
           "progress_reports": ["report id", "item id", "date", "completion (%)", "progress", "attachments",
                                "reporter"]}
EN_VALUES = {("projects", 1, 19): "active", ("problems", 1, 4): "land", ("problems", 1, 9): "resolved",
             ("problems", 2, 4): "factor supply (coal, power, oil, gas, transport)", ("problems", 2, 9): "in progress",
             ("work_items", 1, 7): "entered by users", ("problems", 1, 6): "Municipal Commission of Economy and "
             "Information Technology"}


def english(data: dict) -> dict:
    out = {f: [list(ENGLISH[f])] + [list(r) for r in rows[1:]] for f, rows in data.items()}
    for (f, r, c), v in EN_VALUES.items():
        out[f][r][c] = v
    return out


def write_xlsx(folder: Path, data: dict, lang: int = 0) -> Path:
    """delivery.xlsx: a sheet a frame, named in Chinese (lang 0) or English (1)."""
    return write_workbook(folder / "delivery.xlsx", {df.FRAME_NAMES[f][lang]: rows for f, rows in data.items()})


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def plan_2027():
    return load_plan(embedded_plan_path("chongqing-manufacturing-2023-2027"))


@pytest.fixture(scope="module")
def fictional():
    return load_plan(ASSETS / "fictional-plan.yaml")


def read(paths, plan, **kw):
    kw.setdefault("today", TODAY)
    return read_delivery_files(paths if isinstance(paths, list) else [paths], plan, **kw)


def refused(tmp_path, plan, data, frame, row, col, value, *, code=None, **kw) -> list:
    """Set the cell (row 1 = first data row) and read: no frames, and a problem naming that cell."""
    data = {f: [list(r) for r in rows] for f, rows in data.items()}
    data[frame][row][data[frame][0].index(col)] = value
    frames, problems, _ = read(write_csv(tmp_path, data), plan, **kw)
    assert frames == {}
    hits = [p for p in problems if p.row == row + 1 and p.column == col]
    assert hits, [(p.row, p.column, p.code, p.message_zh) for p in problems]
    assert all(p.file == f"{frame}.csv" for p in hits)
    if code:
        assert code in {p.code for p in hits}, [(p.code, p.message_zh) for p in hits]
    assert all(p.message_zh and p.message_en for p in hits)
    return hits


# --- good files -----------------------------------------------------------------------------------------
def test_good_csv_reads_to_the_contract_frames(plan, tmp_path):
    frames, problems, sha = read(write_csv(tmp_path, tables()), plan)
    assert problems == [] and len(sha) == 64 and set(frames) == set(tables())
    for name, f in frames.items():
        assert list(f.columns) == df.FRAMES[name]
        assert f.dtypes.to_dict() == df.empty_frame(name).dtypes.to_dict(), name
    p = frames["projects"].set_index("project_id")
    assert p.loc["P-001", ["cluster", "chain", "link", "district"]].tolist() == [
        "electronic_information", "power_semiconductors", "ic_design", "500112"]
    assert p.loc["P-001", "planned_investment"] == 120000 and pd.isna(p.loc["P-002", "planned_output"])
    assert p.loc["P-001", ["planned_started", "planned_production", "started", "production"]].tolist() == [
        "2023-06-01", "2024-06-30", "2023-07-01", ""]
    assert p["status"].tolist() == ["active", "active"]
    pr = frames["project_progress"]
    assert pr["year"].tolist() == [2024, 2024] and pr["month"].tolist() == [5, 6]
    assert pr["investment"].tolist() == [2000, 1500.5]
    q = frames["problems"].set_index("problem_id")
    assert q.loc["Q-1", ["category", "department", "status", "resolved"]].tolist() == [
        "land", "economy_it", "resolved", "2025-03-01"]
    assert q.loc["Q-2", ["category", "department", "status", "resolved"]].tolist() == [
        "energy_supply", "500106", "in_progress", ""]
    w = frames["work_items"].set_index("item_id")
    assert w.loc["W-1", ["lead", "cooperating", "basis"]].tolist() == ["economy_it", "500112;500106", "user"]
    default_start = plan.plan.issued.isoformat() if plan.plan.issued else f"{plan.plan.base_year + 1}-01-01"
    assert w.loc["W-2", "start"] == default_start and w.loc["W-1", "start"] == "2023-01-01"
    assert w.loc["W-2", "basis"] == "user"
    m = frames["milestones"]
    assert m["seq"].tolist() == [1, 2] and m["done"].tolist() == ["2024-06-01", ""]
    r = frames["progress_reports"].iloc[0]
    assert (r["completion"], r["attachments"]) == (60, "a.pdf;https://x.test/b")


def test_gbk_utf8_xlsx_and_english_give_identical_frames(plan, tmp_path):
    frames = {}
    for name, make in {
        "utf8": lambda d: write_csv(d, tables()),
        "gbk": lambda d: write_csv(d, tables(), "gbk"),
        "xlsx": lambda d: write_xlsx(d, tables()),
        "en_csv": lambda d: write_csv(d, english(tables())),
        "en_xlsx": lambda d: write_xlsx(d, english(tables()), lang=1),
        "zh_file_names": lambda d: write_csv(d, tables(), names={f: df.FRAME_NAMES[f][0] for f in tables()}),
    }.items():
        folder = tmp_path / name
        folder.mkdir()
        got, problems, _ = read(make(folder), plan)
        assert problems == [], (name, [(p.file, p.row, p.column, p.message_zh) for p in problems])
        frames[name] = got
    for name, got in frames.items():
        assert set(got) == set(frames["utf8"])
        for f in got:
            pd.testing.assert_frame_equal(got[f], frames["utf8"][f], obj=f"{name}/{f}")


def test_headers_with_and_without_units_and_aliases(plan, tmp_path):
    data = tables()
    h = data["projects"][0]
    h[h.index("计划总投资（万元）")] = "计划总投资"
    h[h.index("达产后年产值（万元）")] = "planned_output(10k yuan)"
    frames, problems, _ = read(write_csv(tmp_path, {"projects": data["projects"]}), plan)
    assert problems == [] and frames["projects"]["planned_investment"].tolist() == [120000, 5000]
    assert "计划总投资" in COLUMN_ALIASES["projects"]["planned_investment"]
    assert {"项目", "projects"} <= set(SHEET_ALIASES["projects"])


def test_header_in_another_unit_is_refused(plan, tmp_path):
    data = {"projects": [list(r) for r in tables()["projects"]]}
    data["projects"][0][9] = "计划总投资（亿元）"
    frames, problems, _ = read(write_csv(tmp_path, data), plan)
    assert frames == {} and [(p.row, p.column, p.code) for p in problems] == [(1, "计划总投资（亿元）", "wrong_unit")]


def test_units_by_name_alias_and_code_are_stored_canonical(plan, tmp_path):
    data = tables()
    rows = data["work_items"]
    rows[1][3] = "重庆市经济和信息化委员会、领导小组"  # aliases
    rows[2][3] = "economy_it;万州区;500101"  # id, district name and code (the same district once)
    frames, problems, _ = read(write_csv(tmp_path, {"work_items": rows}), plan)
    assert problems == []
    assert frames["work_items"]["lead"].tolist() == ["economy_it;leading_group", "economy_it;500101"]


def test_imported_and_existing_departments_are_units(plan, tmp_path):
    data = tables(lead="市经信委园区处")
    units = [["单位编号", "单位名称", "英文名称", "单位类别", "别名"], ["parks_office", "市经信委园区处", "Parks office", "部门", "园区处"]]
    frames, problems, _ = read(write_csv(tmp_path, {"departments": units, "work_items": data["work_items"]}), plan)
    assert problems == [] and frames["work_items"]["lead"].iloc[0] == "parks_office"
    assert frames["departments"].iloc[0]["kind"] == "department"
    # the same work items alone: the unit is known from the active data only
    (tmp_path / "departments.csv").unlink()
    alone = [tmp_path / "work_items.csv"]
    assert read(alone, plan)[1][0].code == "unknown_unit"
    existing = dataclasses.replace(df.DeliveryData.empty(), departments=frames["departments"])
    frames2, problems2, _ = read(alone, plan, existing=existing)
    assert problems2 == [] and frames2["work_items"]["lead"].iloc[0] == "parks_office"


def test_references_to_the_import_else_existing(plan, tmp_path):
    data = tables()
    paths = write_csv(tmp_path, {"project_progress": data["project_progress"], "milestones": data["milestones"],
                                 "progress_reports": data["progress_reports"]})
    frames, problems, _ = read(paths, plan)
    assert frames == {}
    assert {(p.file, p.row, p.code) for p in problems} == {
        ("project_progress.csv", 2, "unknown_reference"), ("project_progress.csv", 3, "unknown_reference"),
        ("milestones.csv", 2, "unknown_reference"), ("milestones.csv", 3, "unknown_reference"),
        ("progress_reports.csv", 2, "unknown_reference")}
    (tmp_path / "all").mkdir()
    full, _, _ = read(write_csv(tmp_path / "all", data), plan)
    existing = dataclasses.replace(df.DeliveryData.empty(), projects=full["projects"], work_items=full["work_items"])
    frames, problems, _ = read(paths, plan, existing=existing)
    assert problems == [] and set(frames) == {"project_progress", "milestones", "progress_reports"}


def test_the_plans_own_work_items_are_known_without_existing(plan, tmp_path):
    reports = [tables()["progress_reports"][0], ["R-9", plan.work_items[0].id, "2025-01-01", "10", "", "", ""]]
    frames, problems, _ = read(write_csv(tmp_path, {"progress_reports": reports}), plan)
    assert problems == [] and frames["progress_reports"]["item_id"].iloc[0] == plan.work_items[0].id


# --- every refusal, with row and column ---------------------------------------------------------------
REFUSALS = [
    ("projects", 1, "实际开工日期", "2022-12-01", "stage_order"),  # before the actual 签约
    ("projects", 1, "计划投产日期", "2023-05-01", "stage_order"),  # before the planned 开工
    ("projects", 1, "实际投产日期", "2025-07-01", "future_date"),
    ("projects", 1, "所在区县", "110101", "unknown_district"),
    ("projects", 1, "所在区县", "火星区", "bad_district"),
    ("projects", 1, "所属产业集群", "不存在的集群", "unknown_cluster"),
    ("projects", 1, "所属产业链", "不存在的链", "unknown_chain"),
    ("projects", 1, "产业链环节", "动力电池", "unknown_link"),  # a link of another chain
    ("projects", 2, "产业链环节", "ic_design", "unknown_link"),  # a link without a chain
    ("projects", 1, "计划总投资（万元）", "-5", "negative_value"),
    ("projects", 1, "计划总投资（万元）", "很多", "bad_number"),
    ("projects", 1, "投资主体统一社会信用代码", "91500000MA00000000", "bad_credit_code"),
    ("projects", 2, "项目编号", "P-001", "duplicate_key"),
    ("projects", 1, "项目名称", "", "missing_value"),
    ("projects", 1, "项目状态", "烂尾", "unknown_status"),
    ("projects", 1, "计划签约日期", "2023-02-30", "bad_date"),
    ("project_progress", 1, "月份", "13", "value_out_of_range"),
    ("project_progress", 1, "年份", "1800", "value_out_of_range"),
    ("project_progress", 2, "月份", "5", "duplicate_key"),
    ("project_progress", 1, "年份", "2026", "future_date"),
    ("project_progress", 1, "当月完成投资（万元）", "-1", "negative_value"),
    ("problems", 1, "办理期限", "2025-01-01", "deadline_before_start"),
    ("problems", 1, "办结日期", "", "resolved_missing"),
    ("problems", 2, "办结日期", "2025-03-01", "resolved_not_done"),
    ("problems", 1, "办结日期", "2025-01-01", "resolved_before_raised"),
    ("problems", 1, "责任单位", "市外星局", "unknown_unit"),
    ("problems", 1, "问题类别", "心情", "unknown_category"),
    ("problems", 1, "统一社会信用代码", "915001126666666660", "bad_credit_code"),
    ("problems", 1, "提出日期", "2025-13-01", "bad_date"),
    ("problems", 1, "提出日期", "2026-01-01", "future_date"),
    ("work_items", 1, "完成时限", "2022-12-31", "deadline_before_start"),
    ("work_items", 1, "对应规划任务", "登月计划", "unknown_task"),
    ("work_items", 1, "配合单位", "500112；某某局", "unknown_unit"),
    ("work_items", 2, "任务编号", "W-1", "duplicate_key"),
    ("milestones", 1, "任务编号", "W-9", "unknown_reference"),
    ("milestones", 2, "节点序号", "1", "duplicate_key"),
    ("progress_reports", 1, "任务编号", "W-9", "unknown_reference"),
    ("progress_reports", 1, "完成进度（%）", "120", "value_out_of_range"),
    ("progress_reports", 1, "完成进度（%）", "-3", "negative_value"),
    ("progress_reports", 1, "报告日期", "2025-07-01", "future_date"),
]


@pytest.mark.parametrize("frame,row,col,value,code", REFUSALS)
def test_refusal_names_file_row_and_column(plan, tmp_path, frame, row, col, value, code):
    refused(tmp_path, plan, tables(), frame, row, col, value, code=code)


def test_a_park_not_in_parks_is_refused_when_parks_are_given(plan, tmp_path):
    data = tables()
    data["projects"][1][6] = "P9"
    assert read(write_csv(tmp_path, data), plan)[1] == []  # no parks known: kept as written
    refused(tmp_path, plan, data, "projects", 1, "所在园区", "P9", code="unknown_park", parks={"P1"})


def test_every_problem_is_reported_at_once(plan, tmp_path):
    data = tables()
    data["projects"][1][5] = "110101"
    data["problems"][2][8] = "2025-01-01"
    data["milestones"][1][0] = "W-9"
    frames, problems, _ = read(write_csv(tmp_path, data), plan)
    assert frames == {}
    assert {(p.file, p.row) for p in problems} == {("projects.csv", 2), ("problems.csv", 3), ("milestones.csv", 2)}


def test_file_level_refusals(plan, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    assert [p.code for p in read(bad, plan)[1]] == ["no_header"]
    data = tables()
    paths = write_csv(tmp_path, {"projects": data["projects"]}) + write_csv(
        tmp_path, {"projects": data["projects"]}, names={"projects": "项目"})
    assert "duplicate_table" in {p.code for p in read(paths, plan)[1]}
    missing = [r[:1] + r[2:] for r in data["work_items"]]  # no 对应规划任务 column
    problems = read(write_csv(tmp_path, {"work_items": missing}), plan)[1]
    assert [(p.code, p.column) for p in problems] == [("missing_column", "对应规划任务")]


def test_xlsx_refusal_names_the_sheet(plan, tmp_path):
    data = tables()
    data["problems"][1][3] = "110101"
    frames, problems, _ = read(write_xlsx(tmp_path, data), plan)
    assert frames == {} and [(p.file, p.row, p.column) for p in problems] == [("delivery.xlsx[三服务问题]", 2, "所在区县")]
    assert "工作表“三服务问题”第2行“所在区县”列" in problems[0].message_zh


# --- other plans --------------------------------------------------------------------------------------
def test_the_2023_2027_plan_refuses_work_items_for_unknown_tasks(plan_2027, tmp_path):
    assert not plan_2027.tasks and not plan_2027.work_items
    data = tables(lead="500112", cluster="", chain="", link="")
    frames, problems, _ = read(write_csv(tmp_path, {"work_items": data["work_items"]}), plan_2027)
    assert frames == {} and {(p.row, p.column, p.code) for p in problems} == {
        (2, "对应规划任务", "unknown_task"), (3, "对应规划任务", "unknown_task")}
    assert "本规划未列任务分工" in problems[0].message_zh and "no task decomposition" in problems[0].message_en
    ok = {f: data[f] for f in ("projects", "problems")}
    frames, problems, _ = read(write_csv(tmp_path, ok), plan_2027)
    assert problems == [] and frames["problems"]["department"].tolist() == ["500112", "500106"]


def test_the_fictional_plan_takes_its_districts_as_units(fictional, tmp_path):
    assert not fictional.departments and not fictional.tasks
    data = tables("990101", "990102", lead="990101", cluster="照明", chain="led", link="封装")
    frames, problems, _ = read(write_csv(tmp_path, {f: data[f] for f in ("projects", "problems")}), fictional)
    assert problems == [], [(p.row, p.column, p.message_zh) for p in problems]
    assert frames["projects"].iloc[0][["cluster", "chain", "link"]].tolist() == ["lighting", "led", "packaging"]
    assert frames["problems"]["department"].tolist() == ["990101", "990102"]
    refused(tmp_path, fictional, {"problems": data["problems"]}, "problems", 1, "责任单位", "市经济信息委",
            code="unknown_unit")
    refused(tmp_path, fictional, {"problems": data["problems"]}, "problems", 1, "所在区县", "500112",
            code="unknown_district")


# --- form edits ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(plan, tmp_path_factory):
    frames, problems, _ = read(write_csv(tmp_path_factory.mktemp("d"), tables()), plan)
    assert problems == []
    return dataclasses.replace(df.DeliveryData.empty(), **frames)


def test_edit_merges_over_the_active_row(plan, data):
    row, problems = check_edit("projects", {"project_id": "P-001", "production": "2024-07-15"}, plan, data,
                               today=TODAY)
    assert problems == [] and list(row.columns) == df.FRAMES["projects"] and len(row) == 1
    assert row.iloc[0][["name", "started", "production", "district"]].tolist() == [
        "甲芯片项目", "2023-07-01", "2024-07-15", "500112"]
    assert row.dtypes.to_dict() == df.empty_frame("projects").dtypes.to_dict()


def test_edit_refusals_name_the_field(plan, data):
    row, problems = check_edit("projects", {"project_id": "P-001", "started": "2022-01-01"}, plan, data, today=TODAY)
    assert row.empty and [(p.file, p.row, p.column, p.code) for p in problems] == [
        ("表单", None, "实际开工日期", "stage_order")]
    assert problems[0].message_zh.startswith("表单") and problems[0].message_en.startswith("Form")
    _, problems = check_edit("progress_reports", {"report_id": "", "item_id": "W-9", "date": "2025-05-01",
                                                  "completion": 30}, plan, data, today=TODAY)
    assert [(p.column, p.code) for p in problems] == [("任务编号", "unknown_reference")]
    _, problems = check_edit("problems", {"problem_id": "Q-2", "deadline": "2025-01-01"}, plan, data, today=TODAY)
    assert [(p.column, p.code) for p in problems] == [("办理期限", "deadline_before_start")]
    _, problems = check_edit("projects", {"project_id": "P-003", "name": "新项目"}, plan, data, today=TODAY)
    assert [(p.column, p.code) for p in problems] == [("所在区县", "missing_value")]
    _, problems = check_edit("projects", {"project_id": "P-001", "colour": "red"}, plan, data, today=TODAY)
    assert [p.code for p in problems] == ["unknown_column"]


def test_edit_new_rows_leave_the_key_to_the_caller(plan, data):
    row, problems = check_edit("progress_reports", {"report_id": "", "item_id": "W-1", "date": "2025-05-01",
                                                    "completion": "70", "text": "推进中"}, plan, data, today=TODAY)
    assert problems == [] and row.iloc[0][["report_id", "item_id", "completion"]].tolist() == ["", "W-1", 70]
    row, problems = check_edit("problems", {"problem_id": "", "enterprise_name": "戊公司", "district": "渝中区",
                                            "category": "financing", "description": "贷款难", "department": "economy_it",
                                            "raised": "2025-06-01", "deadline": "2025-07-01"}, plan, data, today=TODAY)
    assert problems == [] and row.iloc[0][["district", "status", "resolved"]].tolist() == ["500103", "open", ""]
    row, problems = check_edit("problems", {"problem_id": "Q-2", "status": "resolved", "resolved": "2025-04-01",
                                            "resolution": "已协调供电"}, plan, data, today=TODAY)
    assert problems == [] and row.iloc[0][["status", "resolved", "category"]].tolist() == [
        "resolved", "2025-04-01", "energy_supply"]


# --- fuzz ---------------------------------------------------------------------------------------------
CELLS = st.one_of(st.sampled_from(["", "2025-13-45", "-1", "1e400", "=SUM(A1)", "P-001", "W-1", "市经济信息委", "120%",
                                   "\u202e", "；；", "0", "2024年", "办理中"]), st.text(max_size=12))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=st.sampled_from(sorted(tables())), row=st.integers(1, 2), col=st.integers(0, 20), value=CELLS)
def test_fuzz_never_raises_and_is_all_or_nothing(plan, tmp_path, frame, row, col, value):
    data = {f: [list(r) for r in rows] for f, rows in tables().items()}
    rows = data[frame]
    r = rows[min(row, len(rows) - 1)]
    r[col % len(r)] = value
    frames, problems, sha = read(write_csv(tmp_path, data), plan)
    assert len(sha) == 64
    assert (frames == {}) == bool(problems)
    for p in problems:
        assert p.message_zh and p.message_en and p.file.endswith(".csv")
    for f, got in frames.items():
        assert list(got.columns) == df.FRAMES[f]


def test_edits_of_the_task_frames(plan, plan_2027, data):
    row, problems = check_edit("work_items", {"item_id": "W-1", "cooperating": "万州区、市科技局"}, plan, data,
                               today=TODAY)
    assert problems == [] and row.iloc[0][["lead", "cooperating", "task"]].tolist() == [
        "economy_it", "500101;science_technology", "key_core_technology_breakthroughs"]
    _, problems = check_edit("work_items", {"item_id": "W-1", "lead": "某某局"}, plan, data, today=TODAY)
    assert [(p.column, p.value, p.code) for p in problems] == [("牵头单位", "某某局", "unknown_unit")]
    row, problems = check_edit("milestones", {"item_id": "W-1", "seq": 3, "due": "2025-09-30", "text": "中期评估"},
                               plan, data, today=TODAY)
    assert problems == [] and row.iloc[0]["seq"] == 3 and str(row.dtypes["seq"]) == "Int64"
    row, problems = check_edit("departments", {"department_id": "parks_office", "name": "园区处", "kind": "其他"},
                               plan, data, today=TODAY)
    assert problems == [] and row.iloc[0][["kind", "aliases"]].tolist() == ["other", ""]
    _, problems = check_edit("work_items", {"item_id": "W-1", "task": "登月"}, plan_2027, data, today=TODAY)
    assert "unknown_task" in {p.code for p in problems} and any("本规划未列任务分工" in p.message_zh for p in problems)


def test_xlsx_formula_without_value_and_a_header_only_sheet(plan, tmp_path):
    data = tables()
    wb = workbook({df.FRAME_NAMES[f][0]: data[f] for f in ("projects", "problems")}, note=None)
    wb["三服务问题"]["G2"] = "=B1"  # 责任单位: written by a program, never computed
    empty = wb.create_sheet("任务分工")
    empty.append(data["work_items"][0])  # the template's unused sheet
    path = tmp_path / "d.xlsx"
    wb.save(path)
    frames, problems, _ = read(path, plan)
    assert frames == {}
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [("d.xlsx[三服务问题]", 2, "责任单位", "formula")]
    del wb["三服务问题"]
    wb.save(path)
    frames, problems, _ = read(path, plan)
    assert problems == [] and set(frames) == {"projects"}


@settings(max_examples=40, deadline=None)
@given(frame=st.sampled_from(sorted(df.FRAMES)), col=st.integers(0, 20),
       value=st.one_of(CELLS, st.integers(-5, 3000), st.floats(allow_nan=True), st.none()))
def test_fuzz_edits_never_raise(frame, col, value):
    plan = load_plan()
    data = df.DeliveryData.empty()
    column = df.FRAMES[frame][col % len(df.FRAMES[frame])]
    row, problems = check_edit(frame, {column: value}, plan, data, today=TODAY)
    assert list(row.columns) == df.FRAMES[frame]
    assert (len(row) == 1) != bool(problems)  # the row or its problems: never both, never neither
    assert all(p.file == "表单" and p.row is None and p.message_zh and p.message_en for p in problems)


# --- review fixes: hidden characters, text limits, stage order, item start, re-resolving -------------
from zhizao.ingest.delivery import TEXT_LIMITS  # noqa: E402

HIDDEN_CASES = [("problems", 1, "问题描述", "ctl\x01\x1b[31mred", "U+0001"), ("problems", 2, "企业名称", "丁\x85公司", "U+0085"),
                ("projects", 1, "项目名称", "甲\u202e项目", "U+202E"), ("progress_reports", 1, "进展情况", "完成\u2066过半", "U+2066"),
                ("work_items", 2, "工作任务", "建设\x7f平台", "U+007F"), ("projects", 2, "备注", "a\rb", "U+000D")]


@pytest.mark.parametrize("frame,row,col,value,shown", HIDDEN_CASES)
def test_hidden_characters_are_refused_naming_them(plan, tmp_path, frame, row, col, value, shown):
    hits = refused(tmp_path, plan, tables(), frame, row, col, value, code="hidden_characters")
    p = next(p for p in hits if p.code == "hidden_characters")
    assert shown in p.message_zh and shown in p.message_en
    # the message shows the characters as codes, never raw
    assert not any(c in p.message_zh + p.message_en + (p.value or "") for c in value if ord(c) < 32 or
                   0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x2069)


def test_tabs_and_line_breaks_are_kept(plan, tmp_path):
    data = tables()
    data["problems"][1][5] = "第一行\n第二行\t备注"
    data["progress_reports"][1][4] = "完成过半\r\n下一步验收"  # a Windows line break is read as a line break
    frames, problems, _ = read(write_csv(tmp_path, data), plan)
    assert problems == []
    assert frames["problems"]["description"].iloc[0] == "第一行\n第二行\t备注"
    assert frames["progress_reports"]["text"].iloc[0] == "完成过半\n下一步验收"


LIMIT_CASES = [("problems", 1, "问题描述", "description"), ("problems", 1, "办理结果", "resolution"),
               ("problems", 2, "企业名称", "enterprise_name"), ("projects", 1, "项目名称", "name"),
               ("projects", 1, "投资主体", "investor"), ("projects", 2, "备注", "note"),
               ("work_items", 1, "工作任务", "title"), ("progress_reports", 1, "进展情况", "text"),
               ("progress_reports", 1, "附件", "attachments")]


@pytest.mark.parametrize("frame,row,col,column", LIMIT_CASES)
def test_text_over_its_limit_is_refused_naming_the_limit(plan, tmp_path, frame, row, col, column):
    limit = TEXT_LIMITS[column]
    ok = {f: [list(r) for r in rows] for f, rows in tables().items()}
    ok[frame][row][ok[frame][0].index(col)] = "字" * limit  # exactly at the limit: accepted
    assert read(write_csv(tmp_path, ok), plan)[1] == []
    hits = refused(tmp_path, plan, tables(), frame, row, col, "字" * (limit + 1), code="text_too_long")
    p = next(p for p in hits if p.code == "text_too_long")
    assert f"超过{limit}个字符" in p.message_zh and f"longer than {limit} characters" in p.message_en


def test_text_limits_cover_the_free_text_columns():
    assert TEXT_LIMITS["description"] == TEXT_LIMITS["resolution"] == TEXT_LIMITS["text"] == 2000
    assert TEXT_LIMITS["enterprise_name"] == TEXT_LIMITS["name"] == TEXT_LIMITS["investor"] == TEXT_LIMITS["title"] == 200
    assert TEXT_LIMITS["attachments"] == 500 and TEXT_LIMITS["note"] == TEXT_LIMITS["quote"] == 2000
    text_columns = {c for f in df.FRAMES for c in df.FRAMES[f] if df._dtype(c) == "object"}
    assert set(TEXT_LIMITS) <= text_columns


@pytest.mark.parametrize("col,value,missing", [
    ("实际投产日期", "2024-01-01", "请先填写实际签约日期、实际开工日期"),  # P-002 has no actual date
    ("实际开工日期", "2024-04-01", "请先填写实际签约日期"),
])
def test_an_actual_stage_needs_the_earlier_ones(plan, tmp_path, col, value, missing):
    hits = refused(tmp_path, plan, tables(), "projects", 2, col, value, code="stage_missing")
    p = next(p for p in hits if p.code == "stage_missing")
    assert missing in p.message_zh and "first" in p.message_en
    assert not re.search(r"[\u4e00-\u9fff]", p.message_en.replace(col, ""))


def test_planned_stage_dates_may_be_partial(plan, tmp_path):
    data = tables()
    row = data["projects"][2]
    row[data["projects"][0].index("计划签约日期")] = ""
    row[data["projects"][0].index("计划投产日期")] = "2025-06-30"
    assert read(write_csv(tmp_path, data), plan)[1] == []


def test_stage_order_in_english_names_the_stage_in_english(plan, tmp_path):
    hits = refused(tmp_path, plan, tables(), "projects", 1, "实际开工日期", "2022-12-01", code="stage_order")
    en = next(p for p in hits if p.code == "stage_order").message_en
    assert "before the signed date (2023-01-12)" in en
    assert not re.search(r"[\u4e00-\u9fff]", en.replace("实际开工日期", ""))


@pytest.mark.parametrize("frame,row,col,value", [
    ("progress_reports", 1, "报告日期", "2022-12-31"),  # W-1 starts on 2023-01-01
    ("milestones", 1, "完成日期", "2022-06-01"),
])
def test_report_or_milestone_before_the_items_start_is_refused(plan, tmp_path, frame, row, col, value):
    hits = refused(tmp_path, plan, tables(), frame, row, col, value, code="before_item_start")
    p = next(p for p in hits if p.code == "before_item_start")
    assert "2023-01-01" in p.message_zh and "start (2023-01-01)" in p.message_en


def test_report_before_a_plan_items_start_is_refused(plan, tmp_path):
    item = plan.work_items[0]
    start = item.start.isoformat() if item.start else plan.plan.issued.isoformat()
    early = (pd.Timestamp(start) - pd.Timedelta(days=1)).date().isoformat()
    reports = [tables()["progress_reports"][0], ["R-9", item.id, early, "10", "", "", ""]]
    frames, problems, _ = read(write_csv(tmp_path, {"progress_reports": reports}), plan)
    assert frames == {} and [(p.row, p.column, p.code) for p in problems] == [(2, "报告日期", "before_item_start")]


def test_old_and_new_status_words_of_a_project(plan, tmp_path):
    assert df.STATUS_NAMES["project"]["active"] == ("推进中", "active")
    data = tables()
    status = data["projects"][0].index("项目状态")
    for word in ("推进中", "正常推进", "在建", "active"):
        data["projects"][1][status] = word
        frames, problems, _ = read(write_csv(tmp_path, data), plan)
        assert problems == [] and frames["projects"]["status"].iloc[0] == "active", word


# the same rules on a form edit: the field named, in English in the English message
EDIT_REFUSALS = [
    ("problems", {"problem_id": "Q-2", "description": "用电\x1b[2J紧张"}, "问题描述", "description", "hidden_characters"),
    ("progress_reports", {"report_id": "", "item_id": "W-1", "date": "2025-05-01", "completion": 5,
                          "text": "x\u202ey"}, "进展情况", "progress", "hidden_characters"),
    ("problems", {"problem_id": "Q-2", "resolution": "办" * 2001}, "办理结果", "resolution", "text_too_long"),
    ("problems", {"problem_id": "", "enterprise_name": "戊" * 201, "district": "渝中区", "category": "financing",
                  "description": "贷款难", "department": "economy_it", "raised": "2025-06-01", "deadline": "2025-07-01"},
     "企业名称", "enterprise", "text_too_long"),
    ("progress_reports", {"report_id": "", "item_id": "W-1", "date": "2025-05-01", "completion": 5,
                          "attachments": "a" * 501}, "附件", "attachments", "text_too_long"),
    ("projects", {"project_id": "P-002", "production": "2024-07-15"}, "实际投产日期", "in production date",
     "stage_missing"),
    ("projects", {"project_id": "P-001", "full_production": "2025-01-01"}, "实际达产日期", "at full production date",
     "stage_missing"),
    ("progress_reports", {"report_id": "", "item_id": "W-1", "date": "1990-01-01", "completion": 5}, "报告日期", "date",
     "before_item_start"),
    ("milestones", {"item_id": "W-1", "seq": 2, "done": "2022-01-01"}, "完成日期", "done", "before_item_start"),
    ("problems", {"problem_id": "Q-1", "resolved": "2025-04-01", "resolution": "again"}, "办结日期", "resolved",
     "already_resolved"),
    ("problems", {"problem_id": "Q-1", "status": "已办结"}, "办结日期", "resolved", "already_resolved"),
]


@pytest.mark.parametrize("frame,values,zh,en,code", EDIT_REFUSALS)
def test_edit_refusals_of_the_review(plan, data, frame, values, zh, en, code):
    row, problems = check_edit(frame, values, plan, data, today=TODAY)
    assert row.empty
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [("表单", None, zh, code)], \
        [(p.column, p.code, p.message_zh) for p in problems]
    p = problems[0]
    assert p.message_zh.startswith(f"表单“{zh}”列") and p.message_en.startswith(f'Form, field "{en}"')
    words = re.sub(r', value ".*?": ', ": ", p.message_en, flags=re.S)  # the user's own value may be Chinese
    assert not re.search(r"[\u4e00-\u9fff]", words), p.message_en


def test_resolving_again_names_the_date_and_the_way_to_correct(plan, data):
    _, problems = check_edit("problems", {"problem_id": "Q-1", "resolved": "2025-04-01"}, plan, data, today=TODAY)
    assert "已于2025-03-01办结；如需更正，请导入更正后的台账或撤回该次修改" in problems[0].message_zh
    assert "already resolved on 2025-03-01" in problems[0].message_en


def test_a_resolved_problem_may_be_edited_otherwise_reopened_or_corrected_by_import(plan, data, tmp_path):
    row, problems = check_edit("problems", {"problem_id": "Q-1", "description": "补充说明"}, plan, data, today=TODAY)
    assert problems == [] and row.iloc[0][["status", "resolved", "description"]].tolist() == [
        "resolved", "2025-03-01", "补充说明"]
    row, problems = check_edit("problems", {"problem_id": "Q-1", "status": "办理中", "resolved": ""}, plan, data,
                               today=TODAY)
    assert problems == [] and row.iloc[0]["status"] == "in_progress"
    fixed = {"problems": [list(r) for r in tables()["problems"]]}
    fixed["problems"][1][10] = "2025-03-05"  # an import corrects the resolved date
    frames, problems, _ = read(write_csv(tmp_path, fixed), plan, existing=data)
    assert problems == [] and frames["problems"]["resolved"].iloc[0] == "2025-03-05"


def test_edits_within_the_rules_still_pass(plan, data):
    row, problems = check_edit("projects", {"project_id": "P-001", "production": "2024-07-15",
                                            "note": "第一行\n第二行"}, plan, data, today=TODAY)
    assert problems == [] and row.iloc[0]["note"] == "第一行\n第二行"
    row, problems = check_edit("progress_reports", {"report_id": "", "item_id": "W-1", "date": "2023-01-01",
                                                    "completion": 1, "text": "字" * 2000}, plan, data, today=TODAY)
    assert problems == [] and len(row.iloc[0]["text"]) == 2000


def test_item_start_from_the_edited_data_on_the_fictional_plan(fictional, tmp_path):
    """A plan without tasks has no items: a report is refused as unknown, never by a start it lacks."""
    _, problems = check_edit("progress_reports", {"report_id": "", "item_id": "W-1", "date": "1990-01-01",
                                                  "completion": 5}, fictional, df.DeliveryData.empty(), today=TODAY)
    assert [p.code for p in problems] == ["unknown_reference"]


def test_the_new_refusals_and_limits_are_documented():
    doc = (Path(__file__).parents[2] / "docs" / "data-import.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Delivery data"):]
    for code in ("stage_missing", "before_item_start", "hidden_characters", "text_too_long", "already_resolved"):
        assert f"`{code}`" in section, code
    table = section[section.index("| columns | at most (characters) |"):].split("\n\n")[0]
    for column, limit in TEXT_LIMITS.items():
        words = {w[0] for f in df.COLUMN_WORDS.values() for c, w in f.items() if c == column}
        row = next(line for line in table.splitlines() if any(w in line.split("|")[1] for w in words))
        assert row.rstrip(" |").endswith(str(limit)), (column, row)
