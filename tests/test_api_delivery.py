"""zhizao.api_delivery (issue 14) on the real data API and analytics: filters, checks that name what to do,
attrs saying where data come from (in each language), work items named by number, id or title, and
project_assessment_inputs never fed by synthetic data. The synthetic default's deliberate rows are
chosen by what they are (zhizao/synth/delivery.py: PN000001 overdue at 开工, PN000002 behind on investment);
stored data are real imports into a temporary DuckDB store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zhizao import api_delivery as zd
from zhizao import labels
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import COLUMN_WORDS, FRAME_NAMES
from zhizao.plan.load import load_plan
from zhizao.synth.delivery import AS_OF

EMBEDDED = "chongqing-manufacturing-2021-2025"
CURRENT = "chongqing-manufacturing-2023-2027"
FICTIONAL = str(Path(__file__).parent / "assets" / "fictional-plan.yaml")


@pytest.fixture
def no_store(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "none.duckdb"))
    return tmp_path / "none.duckdb"


def write_sheet(path: Path, frame: str, rows: list[dict]) -> Path:
    """One XLSX sheet of `frame` with the Chinese headers an office writes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = FRAME_NAMES[frame][0]
    cols = list(rows[0])
    ws.append([COLUMN_WORDS[frame][c][0] for c in cols])
    for r in rows:
        ws.append([r[c] for c in cols])
    wb.save(path)
    return path


def test_projects_filters_and_attrs(no_store):
    plan = load_plan(EMBEDDED)
    df = zd.projects(EMBEDDED)
    assert df.attrs["synthetic"] is True and df.attrs["as_of"] == AS_OF
    assert df.attrs["source_zh"].startswith("合成数据") and df.attrs["source_en"].startswith("SYNTHETIC")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in df.attrs["source_en"])  # English only
    first = plan.regions.districts[0]
    by_code = zd.projects(EMBEDDED, district=first.code)
    assert set(by_code["district"]) == {first.code} and 0 < len(by_code) < len(df)
    assert by_code.attrs["synthetic"] is True  # a filter keeps the label
    assert zd.projects(EMBEDDED, district=first.name)["project_id"].tolist() == by_code["project_id"].tolist()
    done = zd.projects(EMBEDDED, stage="full_production")
    assert 0 < len(done) < len(df) and set(done["stage"]) == {"full_production"}
    late = df.set_index("project_id")
    assert bool(late.loc["PN000001", "stage_overdue"]) and late.loc["PN000001", "next_stage"] == "started"
    assert bool(late.loc["PN000002", "investment_behind"])
    assert zd.projects(EMBEDDED, as_of="2030-01-01").attrs["as_of"] == "2030-01-01"


@pytest.mark.parametrize("kw, words", [
    ({"district": "999999"}, "区县"), ({"stage": "built"}, "项目阶段"), ({"cluster": "nope"}, "产业集群"),
    ({"as_of": "2024-13-01"}, "YYYY-MM-DD")])
def test_projects_bad_choices_name_what_to_do(no_store, kw, words):
    with pytest.raises(UserError) as e:
        zd.projects(EMBEDDED, **kw)
    assert words in e.value.reason_zh and e.value.reason_en


def test_profiles_and_unknown_ids(no_store):
    prof = zd.project_profile("PN000002", EMBEDDED)
    assert prof["project"]["project_id"].tolist() == ["PN000002"] and len(prof["progress"])
    name = prof["project"]["name"].iloc[0]
    assert zd.project_profile(name, EMBEDDED)["project"]["project_id"].tolist() == ["PN000002"]
    with pytest.raises(UserError) as e:
        zd.project_profile("P-999", EMBEDDED)
    assert "P000001" in e.value.reason_zh and "zhizao project list" in e.value.reason_en
    with pytest.raises(UserError):
        zd.problem_profile("Q-999", EMBEDDED)
    with pytest.raises(UserError) as e:
        zd.work_item_profile("nope", EMBEDDED)
    assert "序号" in e.value.reason_zh and "number" in e.value.reason_en


def test_a_work_item_by_number_id_or_title(no_store):
    items = zd.work_items(EMBEDDED)
    assert items["no"].tolist() == list(range(1, len(items) + 1))
    third = items.iloc[2]
    for name in ("3", third["item_id"], third["title"]):
        assert zd.work_item_profile(name, EMBEDDED)["item"]["item_id"].tolist() == [third["item_id"]]
    assert zd.work_item_id(" 3 ", EMBEDDED) == third["item_id"]
    # a filtered list keeps the numbers of the whole list: task show N names the same item
    stalled = zd.work_items(EMBEDDED, status="stalled")
    assert len(stalled) and all(items.set_index("no").loc[n, "item_id"] == i
                                for n, i in zip(stalled["no"], stalled["item_id"]))
    with pytest.raises(UserError):
        zd.work_item_id(str(len(items) + 1), EMBEDDED)


def test_problems_filters(no_store):
    all_ = zd.problems(EMBEDDED)
    assert len(all_) and all_.attrs["synthetic"] is True
    resolved = zd.problems(EMBEDDED, status="resolved")
    assert 0 < len(resolved) < len(all_) and set(resolved["status"]) == {"resolved"}
    late = zd.problems(EMBEDDED, overdue=True)
    assert len(late) and late["overdue"].all() and (late["status"] != "resolved").all()
    dep = all_["department"].value_counts().index[0]
    name = zd.unit_names(load_plan(EMBEDDED), None, "zh")[dep]
    by_name = zd.problems(EMBEDDED, department=name)  # a unit by its name
    assert len(by_name) == (all_["department"] == dep).sum() and set(by_name["department"]) == {dep}
    with pytest.raises(UserError) as e:
        zd.problems(EMBEDDED, department="市不存在局")
    assert "单位" in e.value.reason_zh
    with pytest.raises(UserError):
        zd.service_summary("enterprise", EMBEDDED)
    s = zd.service_summary("category", EMBEDDED)
    assert s["n"].sum() == len(all_) and s.attrs["synthetic"] is True


def test_work_items_by_unit_and_the_plan_without_tasks(no_store):
    plan = load_plan(EMBEDDED)
    items = zd.work_items(EMBEDDED)
    assert len(items) == len(plan.work_items) and not items.attrs.get("no_tasks")
    assert items.attrs["synthetic"] is True  # the progress reports are the synthetic default
    lead = plan.work_items[0].lead[0]
    mine = zd.work_items(EMBEDDED, department=lead)
    assert 0 < len(mine) <= len(items)
    assert all(lead in f"{a};{b}".split(";") for a, b in zip(mine["lead"], mine["cooperating"]))
    assert set(zd.work_items(EMBEDDED, status="stalled")["status"]) == {"stalled"}
    other = zd.work_items(CURRENT)
    assert other.empty and other.attrs["no_tasks"] and "任务分工" in other.attrs["note_zh"]
    assert zd.task_progress(plan=CURRENT).attrs["no_tasks"]
    with pytest.raises(UserError) as e:
        zd.work_item_profile("x", CURRENT)
    assert "本规划未列任务分工" in e.value.reason_zh


def test_delivery_warnings_are_the_warning_table(no_store):
    from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS

    w = zd.delivery_warnings(EMBEDDED)
    assert list(w.columns) == WARNING_COLUMNS and set(w["rule"]) <= set(zd.DELIVERY_RULES)
    assert {"project_stage_overdue", "project_investment_behind", "problem_overdue", "task_stalled"} <= set(w["rule"])
    assert "PN000001" in set(w.loc[w["rule"] == "project_stage_overdue", "subject_id"])
    assert w.attrs["synthetic"] and "projects" in w.attrs["synthetic_areas"]


def test_fictional_plan_works_too(no_store):
    df = zd.projects(FICTIONAL)
    assert len(df) and df.attrs["synthetic"] is True
    assert len(zd.project_funnel("district", FICTIONAL))
    assert zd.work_items(FICTIONAL).attrs["no_tasks"]


def test_stored_data_replace_the_synthetic_area(tmp_path):
    """A real import (the template's own rows) and a real edit: attrs say stored, the rows are the stored."""
    from zhizao.outputs.delivery_exports import template_workbook

    db = tmp_path / "store.duckdb"
    plan = load_plan(EMBEDDED)
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_workbook(plan, "zh"))
    zd.import_delivery_data([path], plan=plan, db=db, actor="t")
    df = zd.projects(plan, db)
    assert df["project_id"].tolist() == ["EXAMPLE-P001"] and df.attrs["synthetic"] is False
    assert df.attrs["source_zh"] == df.attrs["source_en"] == "template.xlsx"
    zd.record_delivery_edit("projects", {"project_id": "EXAMPLE-P001", "production": "2023-07-01"}, plan=plan, db=db,
                            actor="analyst", today="2024-01-01")
    assert zd.projects(plan, db, as_of="2024-01-01")["stage"].tolist() == ["production"]
    hist = zd.project_history("EXAMPLE-P001", plan, db)
    assert "analyst" in set(hist["actor"])


def test_project_assessment_inputs_empty_without_project_indicators_or_store(tmp_path):
    obs, links = zd.project_assessment_inputs(EMBEDDED, tmp_path / "none.duckdb")
    assert obs.empty and links.empty and "series" in obs and "indicator" in links
    assert not (tmp_path / "none.duckdb").exists()  # reading creates no store


def test_project_assessment_inputs_never_synthetic(tmp_path):
    """The fictional plan counts projects: nothing from the synthetic default, values from a real import."""
    plan = load_plan(FICTIONAL)
    counted = [i for i in plan.indicators if i.project_count is not None]
    assert counted
    db = tmp_path / "store.duckdb"
    zd.record_delivery_edit("problems", {"problem_id": "", "enterprise_name": "某企业", "district": "990100",
                                         "category": "land", "description": "d", "department": "990100",
                                         "raised": "2024-01-02", "deadline": "2024-03-01", "status": "open",
                                         "resolved": "", "resolution": ""}, plan=plan, db=db, actor="t",
                            today="2024-01-05")
    obs, _ = zd.project_assessment_inputs(plan, db)
    assert obs.empty  # a store, but its projects are the synthetic default
    projects = zd.projects(plan, db)
    assert projects.attrs["synthetic"] is True
    row = projects.iloc[0]
    real = {c: ("" if pd.isna(row[c]) else row[c]) for c in COLUMN_WORDS["projects"] if c in row.index}
    real.update(project_id="REAL-1", name="真实项目", signed="2023-01-05", started="2023-03-01", production="",
                full_production="", planned_signed="2023-01-05", planned_started="2023-03-01",
                planned_production="2025-06-30", planned_full_production="2026-06-30")
    zd.import_delivery_data([write_sheet(tmp_path / "p.xlsx", "projects", [real])], plan=plan, db=db, actor="t",
                            today="2024-06-30")
    obs, links = zd.project_assessment_inputs(plan, db)  # project_progress is still synthetic: counts are not
    assert len(obs) and not obs["synthetic"].any() and not obs["quote"].str.contains("合成").any()
    # an imported register is not a government website: grade R, its own file, never the plan's 任务分工
    assert set(obs["grade"]) == {"R"} and labels.GRADE["R"][0].startswith("R 本单位台账")
    assert obs["source_title"].str.contains("p.xlsx").all()
    for col in ("source_title", "quote", "note"):
        assert not obs[col].str.contains("规划原文|合成|表单录入").any(), col
    assert set(obs["series"]) <= {f"project.{i.id}" for i in counted}
    assert set(links["indicator"]) <= {i.id for i in counted}


def test_final_report_chapter_3_reads_stored_progress_never_the_synthetic(tmp_path):
    """`zhizao report` (final year) and the dashboard's download pass reports.cli._delivery: chapter 三 shows the
    task table (表3) after a real progress-report import, and its old text with only the synthetic default."""
    from zhizao.outputs.reports.cli import _delivery
    from zhizao.outputs.reports.final import _tasks, delivery_chapter
    from zhizao.outputs.reports.model import Table

    plan = load_plan(EMBEDDED)
    db = tmp_path / "store.duckdb"
    result = {"indicators": [], "clusters": []}

    def tables(data):
        chapter = delivery_chapter(plan, data, as_of="2025-06-30") if data is not None else None
        return [b.key for b in _tasks(result, {}, plan, None, "zh", chapter) if isinstance(b, Table)]

    assert _delivery(plan, db, None) is None and not db.exists()  # no store: nothing real, none created
    zd.record_delivery_edit("problems", {"problem_id": "", "enterprise_name": "某企业", "district": "500101",
                                         "category": "land", "description": "d", "department": "500101",
                                         "raised": "2024-01-02", "deadline": "2024-03-01", "status": "open",
                                         "resolved": "", "resolution": ""}, plan=plan, db=db, actor="t",
                            today="2024-01-05")
    synthetic = _delivery(plan, db, None)
    assert "progress_reports" in synthetic.synthetic_frames and "final-task-progress" not in tables(synthetic)
    item = plan.work_items[0].id
    path = write_sheet(tmp_path / "reports.xlsx", "progress_reports", [
        {"report_id": "R1", "item_id": item, "date": "2025-03-31", "completion": 40, "text": "推进中",
         "attachments": "", "reporter": "张三"}])
    zd.import_delivery_data([path], plan=plan, db=db, actor="t", today="2025-06-30")
    real = _delivery(plan, db, "2025-06-30")
    assert "progress_reports" not in real.synthetic_frames
    assert "final-task-progress" in tables(real)


def test_summaries_take_the_grouping_first(no_store):
    """Finding A#11: `task_progress("department", plan=P)` as docs/api.md writes it (muju_summary's order)."""
    by_dept = zd.task_progress("department", plan=EMBEDDED)
    assert len(by_dept) and by_dept.equals(zd.task_progress(by="department", plan=EMBEDDED))
    assert set(zd.task_progress("task", plan=EMBEDDED)["group"]) != set(by_dept["group"])
    assert zd.service_summary("district", plan=EMBEDDED)["n"].sum() == len(zd.problems(EMBEDDED))
    funnel = zd.project_funnel("district", plan=FICTIONAL)
    assert set(funnel["group"]) <= set(zd.projects(FICTIONAL)["district"]) and "all" not in set(funnel["group"])


def test_data_already_read_are_judged_once_and_give_the_same_tables(no_store, monkeypatch):
    """already_read (the dashboard reads once per store version): the functions use the data given and keep
    the statuses judged with the default settings; the tables equal those of a fresh read. An as_of or
    settings of the caller's own are judged anew from the store, never from the kept statuses."""
    from zhizao.analytics.delivery import services

    plan = load_plan(EMBEDDED)
    fresh = {"problems": zd.problems(plan=plan), "summary": zd.service_summary("category", plan=plan),
             "projects": zd.projects(plan=plan), "items": zd.work_items(plan=plan)}
    data = zd.delivery_data(plan=plan)
    judged: dict = {}
    calls = []
    judge = services.problem_status
    monkeypatch.setattr(services, "problem_status", lambda *a, **k: calls.append(1) or judge(*a, **k))
    with zd.already_read(data, None, plan, judged):
        monkeypatch.setattr(zd, "delivery_data", lambda **kw: pytest.fail("the store was read again"))
        got = {"problems": zd.problems(plan=plan), "summary": zd.service_summary("category", plan=plan),
               "projects": zd.projects(plan=plan), "items": zd.work_items(plan=plan)}
        assert len(calls) == 1 and {k[0] for k in judged} == {"services", "projects", "tasks"}
        monkeypatch.undo()
        other_day = zd.problems(plan=plan, as_of="2020-01-01")
    for k, frame in fresh.items():
        pd.testing.assert_frame_equal(got[k], frame)
    assert not other_day["overdue"].any()  # judged at its own date, not from the kept statuses
