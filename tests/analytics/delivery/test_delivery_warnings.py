"""Delivery warnings in the common warning table (docs/delivery.md §Warnings): every rule at its boundary,
the severities, the period, the synthetic suffix and the empty table of a plan without projects or tasks.
The problem and item statuses are built by hand as services.problem_status and tasks.item_status return
them (part analytics-2's functions), so each rule here is judged on known numbers."""
from __future__ import annotations

import pandas as pd
import pytest
from delivery_builders import ASSETS, ddata, project

import zhizao.api as zz
from zhizao.analytics.delivery.projects import project_status
from zhizao.analytics.delivery.warnings import RULES, delivery_warnings
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS
from zhizao.settings import Settings

FICTIONAL = zz.load_plan(ASSETS / "fictional-plan.yaml")
CQ = zz.load_plan("chongqing-manufacturing-2021-2025")
AS_OF = "2024-06-30"
NO_ITEMS = pd.DataFrame(columns=["item_id", "status"])
NO_PROBLEMS = pd.DataFrame(columns=["problem_id", "overdue", "days_overdue"])


def warn(plan, data, *, problems=NO_PROBLEMS, items=NO_ITEMS, as_of=AS_OF, **settings) -> pd.DataFrame:
    out = delivery_warnings(plan, data, as_of, Settings(settings), problems=problems, items=items)
    assert list(out.columns) == WARNING_COLUMNS
    assert set(out["rule"]) <= set(RULES)
    return out


def test_project_stage_overdue_at_the_grace_boundary():
    # 开工 planned 2024-05-30: 31 days before 2024-06-30 (overdue with grace 30), P2's 2024-05-31: 30 (not)
    data = ddata(projects=[project("P1", signed="2024-01-01", planned_started="2024-05-30"),
                           project("P2", signed="2024-01-01", planned_started="2024-05-31")])
    w = warn(FICTIONAL, data, project_stage_grace_days=30)
    assert w["subject_id"].tolist() == ["P1"]
    r = w.iloc[0]
    assert (r["subject_type"], r["rule"], r["severity"], r["period"]) == ("project", "project_stage_overdue",
                                                                           "medium", "2024-06")
    assert r["subject_name"] == "项目P1" and r["evidence"]["days_overdue"] == 31
    assert r["explanation_zh"].startswith("项目项目P1：计划2024-05-30开工，截至2024-06-30逾期31天")
    assert "31 days later at 2024-06-30" in r["explanation_en"] and "（合成数据）" not in r["explanation_zh"]
    assert warn(FICTIONAL, data, project_stage_grace_days=29)["subject_id"].tolist() == ["P1", "P2"]


def test_project_investment_behind_at_the_gap_boundary():
    # started 2024-01-01, production planned 2024-12-31 (365 days); at 2024-06-30 181 days = 49.59 %;
    # 2950 of 10000 万元 = 29.5 %: gap −20.09 pp, beyond 20 → low; 3000 (30 %, −19.59 pp) is within it
    def data(amount):
        return ddata(projects=[project("P1", signed="2023-12-01", started="2024-01-01",
                                       planned_production="2024-12-31", planned_investment=10000.0)],
                     project_progress=[{"project_id": "P1", "year": 2024, "month": 3, "investment": amount}])
    w = warn(FICTIONAL, data(2950.0))
    assert w[["rule", "severity"]].values.tolist() == [["project_investment_behind", "low"]]
    ev = w.iloc[0]["evidence"]
    assert ev["investment_share"] == 29.5 and ev["gap_pp"] == pytest.approx(29.5 - 100 * 181 / 365, abs=1e-4)
    assert "落后20.1个百分点" in w.iloc[0]["explanation_zh"]
    assert warn(FICTIONAL, data(3000.0)).empty


def _problem(pid, days_overdue, overdue=True, **kw):
    return {"problem_id": pid, "enterprise_name": f"企业{pid}", "district": "500101", "category": "land",
            "department": "economy_it", "raised": "2024-01-01", "deadline": "2024-05-01", "status": "open",
            "overdue": overdue, "days_overdue": days_overdue, **kw}


def test_problem_overdue_medium_up_to_the_high_days_then_high():
    problems = pd.DataFrame([_problem("Q1", 30), _problem("Q2", 31), _problem("Q3", 0, overdue=False),
                             _problem("Q4", 1)])
    w = warn(CQ, ddata(), problems=problems, problem_overdue_high_days=30).set_index("subject_id")
    assert w.loc["Q1", "severity"] == "medium" and w.loc["Q4", "severity"] == "medium"
    assert w.loc["Q2", "severity"] == "high" and "Q3" not in w.index
    assert set(w["rule"]) == {"problem_overdue"} and set(w["subject_type"]) == {"problem"}
    assert w.loc["Q2", "explanation_zh"] == ("企业Q2反映的用地问题（责任单位市经济信息委）办理期限为2024-05-01，"
                                            "已逾期31天仍未办结，超过30天升为高级预警")
    assert "Municipal Commission of Economy and Information Technology" in w.loc["Q2", "explanation_en"]
    assert w.loc["Q2", "evidence"]["days_overdue"] == 31
    # high first in the table
    assert warn(CQ, ddata(), problems=problems)["severity"].tolist()[0] == "high"


def _item(iid, status, **kw):
    return {"item_id": iid, "title": f"任务{iid}", "lead": "economy_it", "lead_names": "市经济信息委",
            "lead_names_en": "Municipal Commission of Economy and Information Technology", "start": "2022-01-01",
            "deadline": "2025-12-31", "status": status, "completion": 40.0, "time_share": 70.0, "gap_pp": -30.0,
            "last_report": "2024-01-15", **kw}


def test_task_rules_follow_the_item_status():
    items = pd.DataFrame([_item("I1", "overdue", deadline="2024-06-01"), _item("I2", "behind"),
                          _item("I3", "stalled", last_report=""), _item("I4", "on_track"), _item("I5", "done"),
                          _item("I6", "not_started")])
    w = warn(CQ, ddata(), items=items, task_behind_pp=20.0, task_stalled_days=90).set_index("subject_id")
    assert w[["rule", "severity"]].to_dict("index") == {
        "I1": {"rule": "task_overdue", "severity": "high"}, "I2": {"rule": "task_behind", "severity": "medium"},
        "I3": {"rule": "task_stalled", "severity": "low"}}
    assert set(w["subject_type"]) == {"work_item"}
    assert w.loc["I1", "explanation_zh"] == "任务I1（牵头单位市经济信息委）已过完成时限2024-06-01，完成进度40%"
    assert w.loc["I2", "explanation_zh"] == ("任务I2（牵头单位市经济信息委）完成进度40%，时间进度70%，落后30个百分点"
                                            "（允许落后20个百分点）")
    assert "trailing the 70% of its time elapsed by 30 pp" in w.loc["I2", "explanation_en"]
    assert w.loc["I3", "explanation_zh"] == "任务I3（牵头单位市经济信息委）自2022-01-01开始以来从未报送进展，超过90天未报送进展"
    assert w.loc["I2", "evidence"]["gap_pp"] == -30.0


def test_milestone_overdue_strictly_before_as_of_and_not_done_by_it():
    items = pd.DataFrame([_item("I1", "on_track"), _item("I2", "overdue"), _item("I3", "behind")])
    stones = [
        {"item_id": "I1", "seq": 1, "due": "2024-06-29", "text": "出台方案", "done": ""},  # overdue
        {"item_id": "I1", "seq": 2, "due": "2024-06-30", "text": "完成评估", "done": ""},  # due today: not yet
        {"item_id": "I1", "seq": 3, "due": "2024-03-01", "text": "成立专班", "done": "2024-07-15"},  # done later
        {"item_id": "I1", "seq": 4, "due": "2024-03-01", "text": "摸底调查", "done": "2024-06-30"},  # done by as_of
        {"item_id": "I2", "seq": 1, "due": "2024-01-01", "text": "开题", "done": ""},  # item overdue itself
    ]
    w = warn(CQ, ddata(milestones=stones), items=items)
    m = w[w["rule"] == "milestone_overdue"]
    assert m["subject_id"].tolist() == ["I1"] and m.iloc[0]["severity"] == "medium"
    assert m.iloc[0]["evidence"]["milestones"] == [{"seq": 1, "due": "2024-06-29"}, {"seq": 3, "due": "2024-03-01"}]
    assert m.iloc[0]["explanation_zh"] == ("任务I1（牵头单位市经济信息委）有2个节点逾期未完成：2024-06-29前出台方案；"
                                          "2024-03-01前成立专班")


def test_synthetic_suffix_per_area():
    data = ddata(projects=[project("P1", signed="2024-01-01", planned_started="2024-01-02")],
                 synthetic={"projects", "project_progress"})
    problems = pd.DataFrame([_problem("Q1", 5)])
    items = pd.DataFrame([_item("I1", "stalled")])
    w = warn(CQ, data, problems=problems, items=items).set_index("rule")
    assert w.loc["project_stage_overdue", "explanation_zh"].endswith("（合成数据）")
    assert w.loc["project_stage_overdue", "explanation_en"].endswith(" (SYNTHETIC data)")
    assert not w.loc["problem_overdue", "explanation_zh"].endswith("（合成数据）")
    assert not w.loc["task_stalled", "explanation_en"].endswith("(SYNTHETIC data)")
    data = ddata(synthetic={"problems", "progress_reports"})
    w = warn(CQ, data, problems=problems, items=items).set_index("rule")
    assert w.loc["problem_overdue", "explanation_zh"].endswith("（合成数据）")
    assert w.loc["task_stalled", "explanation_en"].endswith(" (SYNTHETIC data)")


def test_a_plan_without_tasks_or_projects_gives_an_empty_table():
    plan = zz.load_plan("chongqing-manufacturing-2023-2027")
    assert not plan.work_items
    out = delivery_warnings(plan, ddata(as_of="2024-06-30"))  # the data's as_of; the default settings
    assert out.empty and list(out.columns) == WARNING_COLUMNS
    out = delivery_warnings(FICTIONAL, ddata(), "2024-06-30", Settings())
    assert out.empty and list(out.columns) == WARNING_COLUMNS


def test_passed_statuses_equal_computed_ones():
    data = ddata(projects=[project("P1", signed="2024-01-01", planned_started="2024-02-01")])
    status = project_status(data, AS_OF, Settings())
    assert warn(FICTIONAL, data).equals(
        delivery_warnings(FICTIONAL, data, AS_OF, Settings(), projects=status, problems=NO_PROBLEMS, items=NO_ITEMS))


def test_without_as_of_each_area_is_judged_at_its_own_date():
    """A synthetic area at the synthetic date, a stored one at the data's as_of (review A3); a given as_of
    holds for all. The stored problem is overdue at 2026 but the synthetic project not yet at 2024-06-30."""
    from dataclasses import replace

    data = ddata(projects=[project("P1", signed="2024-01-01", planned_started="2024-06-15")],
                 problems=[{"problem_id": "Q1", "enterprise_name": "甲", "district": "990101", "category": "land",
                            "department": "990101", "raised": "2024-01-01", "deadline": "2024-12-31",
                            "status": "open"}],
                 synthetic={"projects", "project_progress"}, as_of="2026-06-30")
    data = replace(data, synthetic_as_of="2024-06-30")
    assert data.area_as_of("projects") == "2024-06-30" and data.area_as_of("services") == "2026-06-30"
    w = delivery_warnings(FICTIONAL, data, None, Settings(), items=NO_ITEMS)
    assert w["rule"].tolist() == ["problem_overdue"] and w.iloc[0]["period"] == "2026-06"
    assert w.iloc[0]["evidence"]["days_overdue"] == 546  # 2024-12-31 → 2026-06-30
    w = delivery_warnings(FICTIONAL, data, "2026-06-30", Settings(), items=NO_ITEMS)
    assert sorted(w["rule"]) == ["problem_overdue", "project_stage_overdue"]
    w = delivery_warnings(FICTIONAL, replace(data, synthetic_as_of=None), None, Settings(), items=NO_ITEMS)
    assert sorted(w["rule"]) == ["problem_overdue", "project_stage_overdue"]  # no synthetic date: as_of for all
