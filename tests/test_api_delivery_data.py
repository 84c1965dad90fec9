"""The delivery data API (issue 14) on the real ingest and synthetic default: `delivery_data` gives per frame
the stored data, else the default (synthetic projects, progress, problems and reports; the plan's own 任务分工
for work items, milestones and units), with history and as_of; `import_delivery_data` and
`record_delivery_edit` write all or nothing; a district user's import or edit is refused row by row outside
their district; two processes editing at once lose nothing. End to end on DuckDB and PostgreSQL: the
export's import template, a revised file (upsert), edits of each kind, history, `zhizao data withdraw`,
backup and restore."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao import api_delivery_data as dd
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import FRAME_NAMES, FRAMES
from zhizao.outputs.cli import app
from zhizao.outputs.delivery_exports import template_header, template_workbook
from zhizao.store.importing import ImportFailed
from zhizao.store.store import Store, _utcnow, default_actor, display_date
from zhizao.synth.delivery import default_delivery_data

from tests.ingest.chain_files import PLAN_ID, chain_plan_path
from tests.store.test_delivery_store import everything, frame, project

EMBEDDED = "chongqing-manufacturing-2021-2025"
SYNTHETIC = {"projects", "project_progress", "problems", "progress_reports"}
TODAY = "2026-06-30"
FRAME_NAMES_ZH = {f: zh for f, (zh, _) in FRAME_NAMES.items()}


@pytest.fixture
def plan_path(tmp_path):
    return chain_plan_path(tmp_path)  # the fictional plan: districts 990101/990102, no departments, no tasks


def embedded():
    return zz.resolve_plan(EMBEDDED, None, register=False)


def template(plan, folder: Path, name: str = "d.xlsx", lang: str = "zh", keep=None, change=None) -> Path:
    """The export's import template, saved: only the sheets of frames in `keep` (all when None);
    `change(sheet_frame, ws, heads)` edits a sheet before saving."""
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(plan, lang)))
    sheets = dict(zip(FRAMES, wb.sheetnames))
    for f, title in sheets.items():
        if keep is not None and f not in keep:
            del wb[title]
        elif change is not None:
            ws = wb[title]
            change(f, ws, [c.value for c in ws[1]])
    path = folder / name
    wb.save(path)
    return path


def set_cell(ws, heads, row: int, frame_name: str, column: str, value, lang: str = "zh"):
    ws.cell(row, heads.index(template_header(frame_name, column, lang)) + 1).value = value  # None too


def commit(db, frames, *, kind="delivery", file="d.xlsx", actor=None, plan_id=PLAN_ID):
    with Store(db) as s:
        return s.commit_delivery(plan_id, frames, kind=kind, file=file, sha256=None, actor=actor)


# --- delivery_data ------------------------------------------------------------------------------------
def test_without_a_store_the_defaults_are_synthetic_and_the_plans_own_tasks(tmp_path):
    db = tmp_path / "none.duckdb"
    data = dd.delivery_data(db, EMBEDDED)
    assert not db.exists()  # reading creates no store
    default = default_delivery_data(embedded())
    assert data.synthetic_frames == SYNTHETIC and data.as_of == default.as_of and data.batch_id is None
    assert len(data.projects) and list(data.projects["project_id"]) == list(default.projects["project_id"])
    assert len(data.work_items) == 41 and set(data.work_items["basis"]) == {"plan_text"}
    assert len(data.departments) == 9 and data.history.empty
    assert data.area_synthetic("projects") and data.area_synthetic("services") and data.area_synthetic("tasks")
    generator = "zhizao synth delivery, seed 0"
    assert default.source.endswith(generator)
    assert dd.delivery_source_words(data, "projects") == f"合成数据（演示用）：{generator}"
    assert dd.delivery_source_words(data, "tasks", "en") == (
        f"SYNTHETIC (demo data): {generator}; the plan's own task decomposition (its text)")
    name = data.projects.loc[0, "name"]
    data.projects.loc[0, "name"] = "改了"  # the cached default is not the caller's to change
    assert dd.delivery_data(db, EMBEDDED).projects.loc[0, "name"] == name


def test_a_plan_without_a_task_decomposition_has_empty_task_frames_not_synthetic_ones(tmp_path, plan_path):
    data = dd.delivery_data(tmp_path / "none.duckdb", plan_path)
    assert data.work_items.empty and data.milestones.empty and data.departments.empty and data.progress_reports.empty
    assert list(data.work_items.columns) == list(FRAMES["work_items"])
    assert "work_items" not in data.synthetic_frames and len(data.problems) and len(data.projects)
    assert set(data.projects["district"]) <= {"990101", "990102"}  # the plan's own districts


def test_each_frame_is_the_stored_data_as_soon_as_anything_of_it_is_stored(tmp_path, plan_path):
    db = tmp_path / "s.duckdb"
    default = default_delivery_data(zz.resolve_plan(plan_path, None, register=False))
    b1 = commit(db, {"projects": frame("projects", [project("P-001")])}, actor="analyst1")
    data = dd.delivery_data(db, plan_path)
    assert list(data.projects["project_id"]) == ["P-001"]  # the synthetic projects vanish
    pd.testing.assert_frame_equal(data.project_progress, default.project_progress)  # nothing stored: the default
    assert data.synthetic_frames == SYNTHETIC - {"projects"}
    assert data.batch_id == b1 and data.as_of == display_date(_utcnow())  # stored data: judged today
    assert list(data.history["actor"]) == ["analyst1"] and data.history.loc[0, "key"] == "P-001"
    assert dd.delivery_source_words(data, "projects").endswith("；d.xlsx")
    assert dd.delivery_data(db, plan_path, as_of="2025-01-31").as_of == "2025-01-31"
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        dd.delivery_data(db, plan_path, as_of="2025-13-45")
    b2 = commit(db, {"problems": everything()["problems"], "project_progress": everything()["project_progress"]},
                kind="delivery_edit", file=None)
    data = dd.delivery_data(db, plan_path)
    assert data.synthetic_frames == {"progress_reports"} and not data.area_synthetic("services")
    # each area cites its own sources: the problems come from an edit, not from the projects' file
    assert data.batch_id == b2 and dd.delivery_source_words(data, "services", "en") == "form entries"
    assert dd.delivery_source_words(data, "services") == "表单录入"
    assert dd.delivery_source_words(data, "projects") == "d.xlsx, 表单录入"
    zz.withdraw(b2, "test", db=db)
    zz.withdraw(b1, "test", db=db)
    data = dd.delivery_data(db, plan_path)
    assert data.synthetic_frames == SYNTHETIC and data.as_of == default.as_of and data.batch_id is None


def test_stored_work_items_are_upserted_over_the_plans_own(tmp_path):
    """The plan's 41 items and their milestones stay: a stored item adds to them, one with a plan item's id
    replaces it in its place; the tasks area cites both the file and the plan's text."""
    db = tmp_path / "s.duckdb"
    own = dd.delivery_data(tmp_path / "none.duckdb", EMBEDDED)
    first = own.work_items.iloc[0]
    replaced = dict(first, title="改写的工作任务", basis="user")
    work = pd.concat([everything()["work_items"], frame("work_items", [replaced])], ignore_index=True)
    commit(db, {"work_items": work, "milestones": everything()["milestones"]}, file="tasks.xlsx", plan_id=EMBEDDED)
    data = dd.delivery_data(db, EMBEDDED)
    assert len(data.work_items) == 42 and list(data.work_items["item_id"])[-1] == "W1"
    assert data.work_items.iloc[0]["item_id"] == first["item_id"]  # in its place
    assert data.work_items.iloc[0]["title"] == "改写的工作任务" and data.work_items.iloc[0]["basis"] == "user"
    assert len(data.milestones) == len(own.milestones) + 2 and str(data.milestones["seq"].dtype) == "Int64"
    assert list(data.work_items.columns) == list(FRAMES["work_items"]) and len(data.departments) == 9
    words = dd.delivery_source_words(data, "tasks")
    assert words.startswith("合成数据（演示用）：") and words.endswith("；tasks.xlsx；规划原文（任务分工）")
    assert "规划原文" not in dd.delivery_source_words(data, "projects") + dd.delivery_source_words(data, "services")


def test_importing_one_item_keeps_the_plans_items_and_reports_keep_their_item(tmp_path):
    """Review A1/B11: reports on the plan's items, then one new item: the plan's 41 stay, the reports find
    their item (through the API and a new report), and the tasks' warnings still cover the plan's items."""
    db = tmp_path / "s.duckdb"
    plan = embedded()
    item = plan.work_items[0].id
    reports = frame("progress_reports", [{"report_id": "R1", "item_id": item, "date": "2024-06-30",
                                          "completion": 40.0, "text": "推进中", "attachments": "", "reporter": "张三"}])
    dd.import_delivery_data([_sheet(tmp_path / "r.xlsx", "progress_reports", reports)], plan=EMBEDDED, db=db,
                            today=TODAY)
    new = frame("work_items", [{"item_id": "X1", "task": plan.work_items[0].task, "title": "新增工作任务",
                                "lead": plan.departments[0].id, "cooperating": "", "start": "2024-01-01",
                                "deadline": "2026-12-31", "basis": "user", "section": "", "quote": ""}])
    summary = dd.import_delivery_data([_sheet(tmp_path / "w.xlsx", "work_items", new)], plan=EMBEDDED, db=db,
                                      today=TODAY)
    assert summary["work_items"] == 1
    data = dd.delivery_data(db, EMBEDDED)
    assert len(data.work_items) == 42 and {item, "X1"} <= set(data.work_items["item_id"])
    assert list(zz.item_reports(item, plan=EMBEDDED, db=db)["report_id"]) == ["R1"]
    dd.record_delivery_edit("progress_reports", {"item_id": item, "date": "2025-01-31", "completion": 50,
                                                 "text": "继续", "attachments": "", "reporter": "李四"},
                            plan=EMBEDDED, db=db, today=TODAY)
    assert len(zz.work_items(plan=EMBEDDED, db=db)) == 42


def _sheet(path: Path, frame_name: str, df: pd.DataFrame) -> Path:
    """One frame as a CSV the import reads (Chinese headers, the template's words)."""
    out = df.copy()
    out.columns = [template_header(frame_name, c, "zh") for c in out.columns]
    path = path.with_name(f"{FRAME_NAMES_ZH[frame_name]}.csv")
    out.to_csv(path, index=False)
    return path


def test_each_area_is_judged_at_its_own_date(tmp_path):
    """Review A3: stored task reports do not move the synthetic projects and problems to today; an as_of
    given by the caller holds for every area."""
    db = tmp_path / "s.duckdb"
    none = dd.delivery_data(tmp_path / "none.duckdb", EMBEDDED)
    assert none.synthetic_as_of == none.as_of and none.area_as_of("projects") == none.as_of
    before = zz.delivery_warnings(plan=EMBEDDED, db=tmp_path / "none.duckdb")
    item = embedded().work_items[0].id
    commit(db, {"progress_reports": frame("progress_reports", [
        {"report_id": "R1", "item_id": item, "date": "2024-06-30", "completion": 40.0, "text": "t",
         "attachments": "", "reporter": ""}])}, plan_id=EMBEDDED)
    data = dd.delivery_data(db, EMBEDDED)
    today = display_date(_utcnow())
    assert data.as_of == today and data.synthetic_as_of == none.as_of
    assert data.area_as_of("projects") == data.area_as_of("services") == none.as_of
    assert data.area_as_of("tasks") == today
    projects = zz.projects(plan=EMBEDDED, db=db)
    assert projects.attrs["as_of"] == none.as_of and projects.attrs["synthetic"]
    assert zz.work_items(plan=EMBEDDED, db=db).attrs["as_of"] == today
    after = zz.delivery_warnings(plan=EMBEDDED, db=db)
    for rule in ("project_stage_overdue", "project_investment_behind", "problem_overdue"):
        assert (after["rule"] == rule).sum() == (before["rule"] == rule).sum(), rule
    assert after.attrs["as_of_areas"] == {"projects": none.as_of, "services": none.as_of, "tasks": today}
    given = dd.delivery_data(db, EMBEDDED, as_of="2023-06-30")
    assert given.synthetic_as_of is None and {given.area_as_of(a) for a in ("projects", "services", "tasks")} == {
        "2023-06-30"}
    assert zz.projects(plan=EMBEDDED, db=db, as_of="2023-06-30").attrs["as_of"] == "2023-06-30"


def test_source_words_name_each_areas_own_source_in_one_language(tmp_path):
    """Review A4: a synthetic area never cites the user's files; projects and problems never the plan's
    任务分工; English words hold no Chinese; attrs source is the area's own."""
    db = tmp_path / "s.duckdb"
    item = embedded().work_items[0].id
    commit(db, {"progress_reports": frame("progress_reports", [
        {"report_id": "R1", "item_id": item, "date": "2024-06-30", "completion": 40.0, "text": "t",
         "attachments": "", "reporter": ""}])}, file="reports_only.xlsx", plan_id=EMBEDDED)
    data = dd.delivery_data(db, EMBEDDED)
    generator = "zhizao synth delivery, seed 0"
    assert dd.delivery_source_words(data, "projects") == f"合成数据（演示用）：{generator}"
    assert dd.delivery_source_words(data, "services", "en") == f"SYNTHETIC (demo data): {generator}"
    assert dd.delivery_source_words(data, "tasks") == "reports_only.xlsx；规划原文（任务分工）"
    assert dd.delivery_source_words(data, "tasks", "en") == (
        "reports_only.xlsx; the plan's own task decomposition (its text)")
    for area in ("projects", "services", "tasks"):
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", dd.delivery_source_words(data, area, "en")), area
    assert zz.projects(plan=EMBEDDED, db=db).attrs["source"] == f"合成数据（演示用）：{generator}"
    assert "reports_only.xlsx" not in zz.problems(plan=EMBEDDED, db=db).attrs["source_en"]


def test_stored_units_add_to_the_plans_own_and_win_by_id(tmp_path):
    db = tmp_path / "s.duckdb"
    units = pd.DataFrame([{"department_id": "economy_it", "name": "市经济和信息化委员会", "name_en": "", "kind": "department",
                           "aliases": ""},
                          {"department_id": "finance", "name": "市财政局", "name_en": "", "kind": "department",
                           "aliases": ""}])
    commit(db, {"departments": units}, file="units.xlsx", plan_id=EMBEDDED)
    d = dd.delivery_data(db, EMBEDDED).departments.set_index("department_id")
    assert len(d) == 10 and d.loc["finance", "name"] == "市财政局"  # the plan's 9, one renamed, one added
    assert d.loc["economy_it", "name"] == "市经济和信息化委员会" and d.loc["leading_group", "kind"] == "group"


# --- import_delivery_data -----------------------------------------------------------------------------
def test_the_template_imports_on_a_second_plan_and_a_revised_file_is_an_upsert(tmp_path, plan_path):
    db = tmp_path / "s.duckdb"
    plan = zz.resolve_plan(plan_path, None, register=False)
    path = template(plan, tmp_path, lang="en")
    result = dd.import_delivery_data([path], plan=str(plan_path), db=db, actor="analyst1", role="analyst",
                                     ip="10.0.0.9", today=TODAY)
    assert result["plan_id"] == PLAN_ID and result["file"] == str(path)
    # the fictional plan has no tasks: its template has no work item rows (nor milestones, reports)
    assert {f: result[f] for f in FRAMES} == {**dict.fromkeys(FRAMES, 0), "projects": 1, "project_progress": 1,
                                              "problems": 1, "departments": 1}
    assert zz.resolve_plan(PLAN_ID, db, register=False).plan.id == PLAN_ID  # registered by the import
    batch = zz.batches(db).set_index("batch_id").loc[result["batch_id"]]
    assert (batch["kind"], batch["file"], batch["rows"]) == ("delivery", "d.xlsx", 4)

    def revise(f, ws, heads):
        if f == "projects":
            set_cell(ws, heads, 2, f, "planned_investment", 60000, "en")
            ws.append([c.value for c in ws[2]])
            set_cell(ws, heads, 3, f, "project_id", "EXAMPLE-P002", "en")
            set_cell(ws, heads, 3, f, "started", None, "en")

    revised = template(plan, tmp_path, "e.xlsx", lang="en", keep={"projects"}, change=revise)
    dd.import_delivery_data(revised, plan=PLAN_ID, db=db, today=TODAY)
    data = dd.delivery_data(db, PLAN_ID)
    assert list(data.projects["project_id"]) == ["EXAMPLE-P001", "EXAMPLE-P002"]
    assert list(data.projects["planned_investment"]) == [60000.0, 60000.0] and list(data.projects["started"])[1] == ""
    assert len(data.problems) == 1 and not data.synthetic_frames - {"progress_reports"}  # kept: not in the file
    assert data.source.startswith("d.xlsx, e.xlsx")
    assert (zz.audit_log(db, action="plan_register")["target"] == PLAN_ID).sum() == 1


def test_an_import_never_refers_to_the_synthetic_rows(tmp_path, plan_path):
    """Monthly progress of a synthetic project is refused: the demo projects are not real."""
    db = tmp_path / "s.duckdb"
    plan = zz.resolve_plan(plan_path, None, register=False)
    demo = default_delivery_data(plan).projects["project_id"].iloc[0]
    path = tmp_path / "project_progress.csv"
    path.write_text(f"project_id,year,month,investment\n{demo},2025,3,100\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as e:
        dd.import_delivery_data([path], plan=str(plan_path), db=db, today=TODAY)
    assert [(p.row, p.value) for p in e.value.problems] == [(2, demo)]


def test_a_refused_import_raises_every_problem_and_stores_and_registers_nothing(tmp_path, plan_path):
    db = tmp_path / "s.duckdb"
    plan = zz.resolve_plan(plan_path, None, register=False)

    def spoil(f, ws, heads):
        if f == "projects":
            set_cell(ws, heads, 2, f, "started", "2000-01-01")  # before 签约
        if f == "problems":
            set_cell(ws, heads, 2, f, "district", "110101")  # not the plan's

    path = template(plan, tmp_path, change=spoil)
    zz.open_store(db).close()
    with pytest.raises(ImportFailed) as e:
        dd.import_delivery_data([path], plan=str(plan_path), db=db, today=TODAY)
    where = {(p.file, p.row, p.column) for p in e.value.problems}
    assert ("d.xlsx[项目]", 2, "实际开工日期") in where and ("d.xlsx[三服务问题]", 2, "所在区县") in where
    with Store(db, read_only=True) as s:
        counts, plans = s.counts(), list(s.plans()["plan_id"])
    assert counts["delivery_batches"] == 0 and counts["dl_projects"] == 0 and PLAN_ID not in plans


# --- record_delivery_edit -----------------------------------------------------------------------------
def test_a_new_progress_report_and_problem_get_ids(tmp_path):
    db = tmp_path / "s.duckdb"
    item = embedded().work_items[0].id
    report = {"item_id": item, "date": "2025-06-30", "completion": 30.0, "text": "进展"}
    first = dd.record_delivery_edit("progress_reports", report, plan=EMBEDDED, db=db, today=TODAY)
    second = dd.record_delivery_edit("progress_reports", {**report, "report_id": ""}, plan=EMBEDDED, db=db, today=TODAY)
    assert (first["key"], second["key"]) == ("R20250630-1", "R20250630-2")
    assert second["row"]["report_id"] == "R20250630-2" and second["row"]["completion"] == 30.0
    problem = {"enterprise_name": "某企业", "district": "500101", "category": "用地", "description": "用地指标",
               "department": embedded().departments[0].id, "raised": "2025-05-01", "deadline": "2025-06-30",
               "status": "open"}
    made = dd.record_delivery_edit("problems", problem, plan=EMBEDDED, db=db, today=TODAY)
    assert made["key"] == "Q20250501-1" and made["row"]["category"] == "land"
    data = dd.delivery_data(db, EMBEDDED)
    assert list(data.progress_reports["report_id"]) == ["R20250630-1", "R20250630-2"]
    assert "progress_reports" not in data.synthetic_frames and "projects" in data.synthetic_frames


def test_a_refused_edit_stores_nothing_and_creates_no_store(tmp_path):
    db = tmp_path / "s.duckdb"
    with pytest.raises(ImportFailed) as e:
        dd.record_delivery_edit("progress_reports", {"item_id": "W9", "date": "2025-06-30", "completion": 10.0,
                                                     "text": "x"}, plan=EMBEDDED, db=db, today=TODAY)
    assert e.value.problems and all(p.file == "表单" and p.row is None for p in e.value.problems)
    assert any(p.value == "W9" for p in e.value.problems) and not db.exists()
    zz.open_store(db, embedded()).close()
    with pytest.raises(ImportFailed):
        dd.record_delivery_edit("problems", {"enterprise_name": "某企业", "district": "500101", "category": "land",
                                             "description": "x", "department": embedded().departments[0].id,
                                             "raised": "2025-05-01", "deadline": "2025-04-30", "status": "open"},
                                plan=EMBEDDED, db=db, today=TODAY)  # deadline before raised
    with pytest.raises(UserError) as e:
        dd.record_delivery_edit("reports", {}, plan=EMBEDDED, db=db)
    assert "progress_reports" in e.value.reason_zh and "no data table named 'reports'" in e.value.reason_en
    with Store(db, read_only=True) as s:
        counts = s.counts()
    assert counts["delivery_edit_batches"] == 0 and counts["dl_progress_reports"] == counts["dl_problems"] == 0


# --- end to end on both backends ----------------------------------------------------------------------
def test_template_revision_edits_history_withdraw_backup_and_restore(tmp_path, store_db):
    db = store_db
    plan = embedded()
    first = dd.import_delivery_data(template(plan, tmp_path), plan=EMBEDDED, db=db, actor="a1", today=TODAY)
    assert all(first[f] == 1 for f in FRAMES)

    def revise(f, ws, heads):
        if f == "projects":
            set_cell(ws, heads, 2, f, "planned_investment", 60000)

    dd.import_delivery_data(template(plan, tmp_path, "r.xlsx", keep={"projects"}, change=revise), plan=EMBEDDED,
                            db=db, actor="a2", today=TODAY)
    stage = dd.record_delivery_edit("projects", {"project_id": "EXAMPLE-P001", "production": "2023-05-01"},
                                    plan=EMBEDDED, db=db, actor="d1", role="district", ip="10.0.0.8", today=TODAY)
    assert stage["row"]["production"] == "2023-05-01" and stage["row"]["planned_investment"] == 60000.0  # merged
    resolve = dd.record_delivery_edit("problems", {"problem_id": "EXAMPLE-Q001", "status": "resolved",
                                                   "resolved": "2021-06-10", "resolution": "已落实"},
                                      plan=EMBEDDED, db=db, actor="d1", today=TODAY)
    assert resolve["row"]["status"] == "resolved" and resolve["row"]["enterprise_name"] == "示例企业有限公司"
    report = dd.record_delivery_edit("progress_reports", {"item_id": "example_item", "date": "2021-09-30",
                                                          "completion": 55, "text": "推进中"},
                                     plan=EMBEDDED, db=db, actor="d1", today=TODAY)
    assert report["key"] == "R20210930-1"
    data = dd.delivery_data(db, EMBEDDED)
    assert not data.synthetic and list(data.progress_reports["report_id"]) == ["EXAMPLE-R001", "R20210930-1"]
    assert list(data.projects["production"]) == ["2023-05-01"] and list(data.problems["status"]) == ["resolved"]
    h = data.history[data.history["key"] == "EXAMPLE-P001"]
    assert list(h["kind"]) == ["delivery", "delivery", "delivery_edit"] and list(h["actor"]) == ["a1", "a2", "d1"]
    assert [v["planned_investment"] for v in h["values"]] == [50000.0, 60000.0, 60000.0]
    audit = zz.audit_log(db, action="edit")
    mine = audit[audit["target"] == stage["batch_id"]].iloc[0]
    assert (mine["actor"], mine["role"], mine["ip"]) == ("d1", "district", "10.0.0.8")

    out = CliRunner().invoke(app, ["data", "withdraw", stage["batch_id"], "--reason", "误填", "--db", str(db)])
    assert out.exit_code == 0 and "nan" not in out.output, out.output
    data = dd.delivery_data(db, EMBEDDED)
    assert list(data.projects["production"]) == [""]  # the previous version again
    assert data.history.loc[data.history["batch_id"] == stage["batch_id"], "withdrawn"].all()

    archive = tmp_path / "b.zip"
    zz.backup(db, archive)
    restored = tmp_path / "restored.duckdb"
    zz.restore(restored, archive)
    again = dd.delivery_data(restored, EMBEDDED)
    for f in FRAMES:
        pd.testing.assert_frame_equal(again.frame(f), data.frame(f))
    pd.testing.assert_frame_equal(again.history.drop(columns="values"), data.history.drop(columns="values"))
    assert list(again.history["values"]) == list(data.history["values"])


# --- a district user's scope --------------------------------------------------------------------------
def test_a_district_users_import_is_refused_row_by_row_outside_the_district(tmp_path):
    db = tmp_path / "s.duckdb"
    plan = embedded()
    units = template(plan, tmp_path, "u.xlsx", keep={"departments"})
    dd.import_delivery_data(units, plan=EMBEDDED, db=db, today=TODAY)  # the units: a city user's
    path = template(plan, tmp_path, keep={"projects", "project_progress", "problems", "work_items", "milestones",
                                          "progress_reports"})
    with pytest.raises(ImportFailed) as e:
        dd.import_delivery_data(path, plan=EMBEDDED, db=db, today=TODAY, district="500102")
    where = {(p.file, p.row, p.column, p.code) for p in e.value.problems}
    assert {(f, r, c) for f, r, c, _ in where} == {
        ("d.xlsx[项目]", 2, "所在区县"), ("d.xlsx[项目进度]", 2, "项目编号"), ("d.xlsx[三服务问题]", 2, "所在区县"),
        ("d.xlsx[任务分工]", 2, "牵头单位"), ("d.xlsx[任务节点]", 2, "任务编号"), ("d.xlsx[进展报告]", 2, "任务编号")}
    assert {c for *_, c in where} == {dd.OUTSIDE_DISTRICT}
    assert "区县用户只能导入或修改" in e.value.problems[0].message_zh
    with pytest.raises(ImportFailed) as e:  # units are city-wide
        dd.import_delivery_data(units, plan=EMBEDDED, db=db, today=TODAY, district="500101")
    assert [p.code for p in e.value.problems] == [dd.OUTSIDE_DISTRICT]
    with pytest.raises(UserError, match="500101"):
        dd.import_delivery_data(path, plan=EMBEDDED, db=db, today=TODAY, district="东区")
    # the district's own rows import (the work item: 500101 co-operates on it)
    result = dd.import_delivery_data(path, plan=EMBEDDED, db=db, today=TODAY, district="500101")
    assert result["projects"] == result["progress_reports"] == 1
    with Store(db, read_only=True) as s:
        assert s.counts()["delivery_batches"] == 2  # the units, then the district's rows: nothing of the refusals


def test_a_district_users_edit_must_stay_in_the_district(tmp_path):
    db = tmp_path / "s.duckdb"
    plan = embedded()
    dd.import_delivery_data(template(plan, tmp_path), plan=EMBEDDED, db=db, today=TODAY)
    with pytest.raises(ImportFailed) as e:  # another district's project
        dd.record_delivery_edit("projects", {"project_id": "EXAMPLE-P001", "production": "2023-05-01"},
                                plan=EMBEDDED, db=db, today=TODAY, district="500102")
    assert [(p.file, p.row, p.column, p.value) for p in e.value.problems] == [("表单", None, "所在区县", "500101")]
    assert e.value.problems[0].message_zh.startswith("表单")
    with pytest.raises(ImportFailed) as e:  # nor taken over by writing one's own district into it
        dd.record_delivery_edit("projects", {"project_id": "EXAMPLE-P001", "district": "500102"},
                                plan=EMBEDDED, db=db, today=TODAY, district="500102")
    assert "已有记录" in e.value.problems[0].message_zh
    with pytest.raises(ImportFailed):  # a report on an item the district has no part in
        dd.record_delivery_edit("progress_reports", {"item_id": plan.work_items[0].id, "date": "2025-06-30",
                                                     "completion": 10, "text": "x"},
                                plan=EMBEDDED, db=db, today=TODAY, district="500101")
    ok = dd.record_delivery_edit("progress_reports", {"item_id": "example_item", "date": "2025-06-30",
                                                      "completion": 10, "text": "x"},
                                 plan=EMBEDDED, db=db, today=TODAY, district="500101")
    moved = dd.record_delivery_edit("problems", {"problem_id": "EXAMPLE-Q001", "status": "resolved",
                                                 "resolved": "2021-06-10", "resolution": "已落实"},
                                    plan=EMBEDDED, db=db, today=TODAY, district="500101")
    assert ok["key"] == "R20250630-1" and moved["row"]["status"] == "resolved"
    with Store(db, read_only=True) as s:
        assert s.counts()["delivery_edit_batches"] == 2


# --- two processes at once ----------------------------------------------------------------------------
EDITOR = textwrap.dedent("""
    import sys
    from zhizao import api_delivery_data as dd
    db, column, date, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    dd.record_delivery_edit("projects", {"project_id": "EXAMPLE-P001", column: date},
                            plan="%s", db=db, today="%s")
    for i in range(n):
        dd.record_delivery_edit("progress_reports", {"item_id": "example_item", "date": "2025-06-30",
                                "completion": i, "text": column}, plan="%s", db=db, today="%s")
""") % (EMBEDDED, TODAY, EMBEDDED, TODAY)


def test_two_processes_editing_at_once_lose_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    dd.import_delivery_data(template(embedded(), tmp_path), plan=EMBEDDED, db=db, today=TODAY)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    env_root = str(Path(__file__).resolve().parents[1])
    runs = [subprocess.Popen([sys.executable, str(script), str(db), column, date, "4"], cwd=env_root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for column, date in (("production", "2023-05-01"), ("planned_full_production", "2024-05-01"))]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
    data = dd.delivery_data(db, EMBEDDED)
    # both edits of one project kept (each merged over the other's version), and all eight reports
    assert (data.projects.loc[0, "production"], data.projects.loc[0, "planned_full_production"]) == (
        "2023-05-01", "2024-05-01")  # not the actual 达产: it waits for the actual 投产 (stage_missing)
    reports = data.progress_reports[data.progress_reports["report_id"].str.startswith("R20250630-")]
    assert sorted(reports["report_id"]) == sorted(f"R20250630-{i}" for i in range(1, 9))
    assert sorted(reports["text"]) == ["planned_full_production"] * 4 + ["production"] * 4
