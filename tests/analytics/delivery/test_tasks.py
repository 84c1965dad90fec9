"""Work items at a date, hand-computed: each status at its precedence boundary, progress by department
(an item led by two units counts for both) and by task, unit names, and plans without a 任务分工."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao.analytics.delivery.tasks import item_reports, item_status, task_progress
from zhizao.ingest.delivery_frames import (MILESTONE_COLUMNS, REPORT_COLUMNS, WORK_ITEM_COLUMNS, DeliveryData,
                                           plan_departments, plan_work_items)
from zhizao.plan.load import embedded_plan_path, load_plan
from zhizao.plan.spec import Plan
from zhizao.settings import Settings

AS_OF = "2024-07-01"
# start 2024-01-01, deadline 2024-12-31 (365 days): on 2024-07-01, 182 days have elapsed
SHARE = 100 * 182 / 365
PLAN = load_plan()


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def item(iid, *, task="key_core_technology_breakthroughs", lead="economy_it", cooperating="",
         start="2024-01-01", deadline="2024-12-31"):
    return {"item_id": iid, "task": task, "title": f"工作{iid}", "lead": lead, "cooperating": cooperating,
            "start": start, "deadline": deadline, "basis": "user", "section": "", "quote": ""}


def report(rid, iid, date, completion):
    return {"report_id": rid, "item_id": iid, "date": date, "completion": completion, "text": "推进中",
            "attachments": "", "reporter": "张三"}


def data_of(plan, items, reports=(), milestones=()) -> DeliveryData:
    d = DeliveryData.empty("测试数据 test rows")
    stones = pd.DataFrame(list(milestones), columns=MILESTONE_COLUMNS)
    return replace(d, work_items=pd.DataFrame(items, columns=WORK_ITEM_COLUMNS),
                   progress_reports=pd.DataFrame(list(reports), columns=REPORT_COLUMNS).astype({"completion": float}),
                   milestones=stones, departments=plan_departments(plan), as_of=AS_OF)


def status_of(plan, items, reports=(), milestones=(), as_of=AS_OF, **settings):
    return item_status(plan, data_of(plan, items, reports, milestones), as_of, Settings(settings)).set_index("item_id")


def test_each_status_at_its_boundary(plan):
    items = [item(i) for i in ("done", "not_done", "overdue", "at_deadline", "stalled", "fresh", "behind",
                               "at_behind", "future")]
    items[2]["deadline"] = items[3]["deadline"] = "2024-06-30"
    items[3]["deadline"] = AS_OF  # due today: not overdue yet
    items[8]["start"] = "2024-08-01"
    behind_edge = SHARE - 20  # gap exactly −task_behind_pp: not behind
    reports = [
        report("R1", "done", "2024-06-01", 100), report("R2", "not_done", "2024-06-01", 99.5),
        report("R3", "overdue", "2024-06-01", 90), report("R4", "at_deadline", "2024-06-01", 90),
        report("R5", "stalled", "2024-04-01", 60),  # 91 days before 2024-07-01
        report("R6", "fresh", "2024-04-02", 60),  # exactly 90 days
        report("R7", "behind", "2024-06-01", behind_edge - 0.1), report("R8", "at_behind", "2024-06-01", behind_edge),
    ]
    st = status_of(plan, items, reports)
    assert st.loc["done", "status"] == "done" and st.loc["done", "reasons_zh"] == ""
    assert st.loc["not_done", "status"] == "on_track"
    assert st.loc["overdue", "status"] == "overdue" and st.loc["overdue", "days_overdue"] == 1
    assert st.loc["at_deadline", "status"] == "on_track"
    assert st.loc["stalled", "status"] == "stalled" and st.loc["stalled", "days_since_report"] == 91
    assert "91 天" in st.loc["stalled", "reasons_zh"]
    assert st.loc["fresh", "status"] == "on_track"
    assert st.loc["behind", "status"] == "behind" and st.loc["behind", "gap_pp"] == pytest.approx(-20.1)
    assert st.loc["at_behind", "status"] == "on_track"
    assert st.loc["future", "status"] == "not_started" and st.loc["future", "time_share"] == 0
    assert st.loc["behind", "time_share"] == pytest.approx(SHARE)
    assert (st.loc["overdue", "status_zh"], st.loc["overdue", "status_en"]) == ("逾期未完成", "overdue")
    # settings move the boundaries
    loose = status_of(plan, items, reports, task_stalled_days=91, task_behind_pp=25)
    assert loose.loc["stalled", "status"] == "on_track" and loose.loc["behind", "status"] == "on_track"


def test_precedence_when_several_hold(plan):
    # past its deadline, no report for a year and far behind: overdue wins; done wins over all
    items = [item("a", start="2023-01-01", deadline="2024-01-01"), item("b", start="2023-01-01", deadline="2024-01-01")]
    st = status_of(plan, items, [report("R1", "a", "2023-02-01", 10), report("R2", "b", "2023-02-01", 100)])
    assert st.loc["a", "status"] == "overdue" and st.loc["b", "status"] == "done"
    # all reasons are named, with the numbers
    assert "182 天" in st.loc["a", "reasons_zh"] and "没有" not in st.loc["a", "reasons_zh"]
    assert "days since the last progress report (2023-02-01" in st.loc["a", "reasons_en"]
    assert "points behind" in st.loc["a", "reasons_en"]
    # stalled beats behind; without a report the start counts
    st = status_of(plan, [item("c", start="2024-01-01")], [])
    assert st.loc["c", "status"] == "stalled" and st.loc["c", "completion"] == 0
    assert st.loc["c", "n_reports"] == 0 and st.loc["c", "last_report"] == ""
    assert "尚无进展报告" in st.loc["c", "reasons_zh"]


def test_latest_report_counts_and_later_ones_are_ignored(plan):
    reps = [report("R1", "a", "2024-03-01", 30), report("R2", "a", "2024-06-01", 55),
            report("R3", "a", "2024-08-01", 100)]  # after as_of
    st = status_of(plan, [item("a")], reps)
    assert st.loc["a", "completion"] == 55 and st.loc["a", "last_report"] == "2024-06-01"
    assert st.loc["a", "n_reports"] == 2
    assert status_of(plan, [item("a")], reps, as_of="2024-08-01").loc["a", "status"] == "done"
    newest = item_reports(data_of(plan, [item("a")], reps), "a")
    assert newest["report_id"].tolist() == ["R3", "R2", "R1"]
    assert item_reports(data_of(plan, [item("a")], reps), "zz").empty


def test_milestones(plan):
    stones = [{"item_id": "a", "seq": 1, "due": "2024-03-31", "text": "完成方案", "done": "2024-03-20"},
              {"item_id": "a", "seq": 2, "due": "2024-06-30", "text": "完成试点", "done": ""},
              {"item_id": "a", "seq": 3, "due": "2024-09-30", "text": "全面推开", "done": ""}]
    st = status_of(plan, [item("a")], [report("R1", "a", "2024-06-15", 50)], stones)
    assert st.loc["a", "next_milestone_due"] == "2024-06-30" and st.loc["a", "next_milestone_text"] == "完成试点"
    assert st.loc["a", "overdue_milestones"] == 1
    assert "1 个节点逾期" in st.loc["a", "reasons_zh"]


def test_progress_by_department_counts_two_leads_for_both(plan):
    items = [item("a", lead="economy_it;statistics"), item("b", lead="economy_it"),
             item("c", lead="statistics", task="organizational_leadership", start="2024-09-01")]
    reps = [report("R1", "a", "2024-06-01", 100), report("R2", "b", "2024-06-01", 40)]
    st = item_status(plan, data_of(plan, items, reps), AS_OF)
    by = task_progress(st, "department").set_index("group")
    assert by.loc["economy_it", "n"] == 2 and by.loc["statistics", "n"] == 2
    assert by.loc["economy_it", "done"] == 1 and by.loc["economy_it", "on_track"] == 1
    assert by.loc["statistics", "done"] == 1 and by.loc["statistics", "not_started"] == 1
    assert by.loc["economy_it", "mean_completion"] == 70 and by.loc["statistics", "mean_completion"] == 50
    assert by.loc["economy_it", "name"] == "市经济信息委"
    assert by.loc["statistics", "name_en"] == "Municipal Bureau of Statistics"
    assert by["n"].sum() == 4  # 3 items, one counted twice
    tasks = task_progress(st, "task").set_index("group")
    assert tasks.loc["key_core_technology_breakthroughs", "n"] == 2
    assert tasks.loc["organizational_leadership", "name"] == "加强组织领导"
    # names of the units, zh and en, through delivery_frames.unit_names
    assert st.set_index("item_id").loc["a", "lead_names"] == "市经济信息委、市统计局"
    assert st.set_index("item_id").loc["a", "lead_names_en"] == (
        "Municipal Commission of Economy and Information Technology; Municipal Bureau of Statistics")
    with pytest.raises(ValueError):
        task_progress(st, "district")


def test_the_plans_own_decomposition(plan):
    work, stones = plan_work_items(plan)
    d = replace(DeliveryData.empty(), work_items=work, milestones=stones, departments=plan_departments(plan))
    st = item_status(plan, d, "2024-06-30")
    assert len(st) == len(plan.work_items) == 41
    assert set(st["status"]) == {"stalled"}  # started 2021-07-19, no report since
    first = st.iloc[0]
    assert first["task_section"] == "四(一)" and first["lead_names"] == "市级有关部门"
    assert first["cooperating_names"] == "各区县（自治县）人民政府、市经济信息委"
    assert (task_progress(st, "department")["n"].sum()) == 41


def test_a_plan_without_work_items_says_so():
    plan = load_plan(embedded_plan_path("chongqing-manufacturing-2023-2027"))
    work, stones = plan_work_items(plan)
    d = replace(DeliveryData.empty(), work_items=work, milestones=stones, departments=plan_departments(plan))
    st = item_status(plan, d, "2024-06-30")
    assert st.empty and st.attrs["note_zh"] == "本规划未列任务分工"
    assert st.attrs["note_en"] == "this plan has no task decomposition"
    assert task_progress(st, "department").empty and task_progress(st, "task").empty
    assert task_progress(st, "task").attrs["note_zh"] == "本规划未列任务分工"


def test_fictional_plan_with_districts_as_units():
    plan = Plan.model_validate({
        "plan": {"id": "riverton-tasks", "title": "河湾市任务测试规划（虚构）", "issuer": "河湾市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}], "indicators": [],
        "tasks": [{"id": "lighting", "title": "壮大照明产业", "section": "四(一)", "text": "壮大半导体照明产业。"}],
        "regions": {"whole_code": "990100", "whole_name": "河湾市",
                    "districts": [{"code": "990101", "name": "东区"}, {"code": "990102", "name": "西区"}]},
        "work_items": [{"id": "w1", "task": "lighting", "title": "建设照明产业园", "lead": ["990101", "990102"],
                        "deadline": "2024-12-31", "start": "2024-01-01", "section": "四(一)"}]})
    work, stones = plan_work_items(plan)
    d = replace(DeliveryData.empty(), work_items=work, milestones=stones,
                progress_reports=pd.DataFrame([report("R1", "w1", "2024-06-01", 10)], columns=REPORT_COLUMNS))
    st = item_status(plan, d, AS_OF)
    assert st.iloc[0]["lead_names"] == "东区、西区" and st.iloc[0]["task_title"] == "壮大照明产业"
    assert st.iloc[0]["status"] == "behind"  # 10 % done with half the time gone
    by = task_progress(st, "department").set_index("group")
    assert list(by.index) == ["990101", "990102"] and by["behind"].tolist() == [1, 1]
    assert by.loc["990102", "name"] == "西区"
    assert not np.isnan(st.iloc[0]["gap_pp"])


def test_the_fictional_plan_file_has_no_decomposition():
    plan = load_plan(Path(__file__).resolve().parents[2] / "assets" / "fictional-plan.yaml")
    work, stones = plan_work_items(plan)
    st = item_status(plan, replace(DeliveryData.empty(), work_items=work, milestones=stones), AS_OF)
    assert st.empty and st.attrs["note_en"] == "this plan has no task decomposition"


@settings(max_examples=60, deadline=None)
@given(completion=st.floats(0, 100), report_day=st.integers(0, 400), deadline_day=st.integers(1, 500),
       start_day=st.integers(0, 300))
def test_the_status_is_the_first_condition_that_holds(completion, report_day, deadline_day, start_day):
    origin = pd.Timestamp("2023-07-01")
    day = lambda n: (origin + pd.Timedelta(days=n)).strftime("%Y-%m-%d")  # noqa: E731
    start, deadline = day(start_day), day(max(start_day, deadline_day))
    reports = [report("R1", "a", day(min(report_day, 366)), completion)] if report_day <= 366 else []
    r = status_of(PLAN, [item("a", start=start, deadline=deadline)], reports).loc["a"]
    as_of = pd.Timestamp(AS_OF)
    done = r["completion"] >= 100
    overdue = pd.Timestamp(deadline) < as_of
    stalled = pd.Timestamp(start) <= as_of and r["days_since_report"] > 90
    behind = r["gap_pp"] < -20
    expected = ("done" if done else "overdue" if overdue else "stalled" if stalled else "behind" if behind
                else "on_track" if pd.Timestamp(start) <= as_of or r["n_reports"] else "not_started")
    assert r["status"] == expected
    assert 0 <= r["time_share"] <= 100
    assert r["completion"] == (completion if reports and pd.Timestamp(reports[0]["date"]) <= as_of else 0)


def test_synthetic_reports_label_the_tables(plan):
    d = replace(data_of(plan, [item("a")], [report("R1", "a", "2024-06-01", 50)]),
                synthetic_frames=frozenset({"progress_reports"}), source="合成数据 zhizao synth delivery, seed 0")
    st = item_status(plan, d, AS_OF)
    assert st.attrs["synthetic"] and st.attrs["as_of"] == AS_OF
    assert task_progress(st, "task").attrs["synthetic"]
    assert task_progress(st, "department").attrs["source"].startswith("合成数据")
    assert not item_status(plan, data_of(plan, [item("a")]), AS_OF).attrs["synthetic"]
