"""三服务 problems at a date, hand-computed: overdue, resolution time, on time, summaries."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from zhizao.analytics.delivery.services import problem_status, service_summary
from zhizao.ingest.delivery_frames import PROBLEM_COLUMNS, DeliveryData, plan_departments
from zhizao.plan.load import load_plan
from zhizao.plan.spec import Plan


def problem(pid, *, district="500101", category="land", department="economy_it", raised="2024-01-10",
            deadline="2024-02-10", status="open", resolved="", resolution=""):
    return {"problem_id": pid, "enterprise_id": "", "enterprise_name": f"企业{pid}", "district": district,
            "category": category, "description": "用地指标不足", "department": department, "raised": raised,
            "deadline": deadline, "status": status, "resolved": resolved, "resolution": resolution}


def data_of(rows, plan, as_of="2024-03-01") -> DeliveryData:
    d = DeliveryData.empty("测试数据 test rows")
    return replace(d, problems=pd.DataFrame(rows, columns=PROBLEM_COLUMNS), departments=plan_departments(plan),
                   as_of=as_of)


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_resolved_one_day_late_is_not_on_time(plan):
    d = data_of([problem("Q1", raised="2024-01-10", deadline="2024-02-10", status="resolved",
                         resolved="2024-02-11", resolution="已协调")], plan)
    st = problem_status(d, "2024-03-01", plan=plan).iloc[0]
    assert st["state"] == "resolved" and not st["overdue"] and st["days_overdue"] == 0
    assert st["resolution_days"] == 32  # 10 Jan → 11 Feb
    assert not pd.isna(st["on_time"]) and not st["on_time"]
    assert "1 天" in st["reasons_zh"] and "1 days after" in st["reasons_en"]
    on_deadline = problem_status(data_of([problem("Q2", status="resolved", resolved="2024-02-10")], plan),
                                 "2024-03-01").iloc[0]
    assert bool(on_deadline["on_time"]) and on_deadline["reasons_zh"] == ""


def test_open_past_the_deadline_is_overdue_by_days(plan):
    d = data_of([problem("Q1", deadline="2024-02-10", status="in_progress")], plan)
    st = problem_status(d, "2024-03-01", plan=plan).iloc[0]
    assert st["overdue"] and st["days_overdue"] == 20  # 10 Feb → 1 Mar (2024 is a leap year)
    assert st["days_open"] == 51 and np.isnan(st["resolution_days"]) and pd.isna(st["on_time"])
    assert st["reasons_zh"] == "超过办理期限（2024-02-10）20 天未办结"
    # on the deadline itself it is not overdue yet
    at_deadline = problem_status(d, "2024-02-10").iloc[0]
    assert not at_deadline["overdue"] and at_deadline["days_overdue"] == 0
    # as_of defaults to the data's
    assert problem_status(d).iloc[0]["days_overdue"] == 20


def test_a_resolution_after_as_of_has_not_happened_yet(plan):
    d = data_of([problem("Q1", deadline="2024-02-10", status="resolved", resolved="2024-03-05")], plan)
    st = problem_status(d, "2024-03-01").iloc[0]
    assert st["state"] == "in_progress" and st["overdue"] and st["days_overdue"] == 20
    assert np.isnan(st["resolution_days"])


def test_names_in_zh_and_en(plan):
    st = problem_status(data_of([problem("Q1")], plan), plan=plan).iloc[0]
    assert (st["category_zh"], st["category_en"]) == ("用地", "land")
    assert st["department_name"] == "市经济信息委"
    assert st["department_name_en"] == "Municipal Commission of Economy and Information Technology"
    assert st["district_name"] == "万州区"


def test_summaries_by_department_district_and_category(plan):
    rows = [
        problem("Q1", department="economy_it", district="500101", category="land", raised="2024-01-01",
                deadline="2024-01-31", status="resolved", resolved="2024-01-11"),  # 10 days, on time
        problem("Q2", department="economy_it", district="500101", category="financing", raised="2024-01-01",
                deadline="2024-01-31", status="resolved", resolved="2024-02-01"),  # 31 days, late
        problem("Q3", department="economy_it", district="500102", category="land", raised="2024-01-01",
                deadline="2024-02-29", status="resolved", resolved="2024-01-21"),  # 20 days, on time
        problem("Q4", department="economy_it", district="500102", category="land", deadline="2024-02-01",
                status="open"),  # overdue 29 days at 1 March
        problem("Q5", department="statistics", district="500101", category="labour", deadline="2024-04-01",
                status="in_progress"),
    ]
    st = problem_status(data_of(rows, plan), "2024-03-01", plan=plan)
    dep = service_summary(st, "department").set_index("group")
    e = dep.loc["economy_it"]
    assert (e["n"], e["open"], e["in_progress"], e["resolved"], e["overdue"]) == (4, 1, 0, 3, 1)
    assert e["median_resolution_days"] == 20 and e["mean_resolution_days"] == pytest.approx(61 / 3)
    assert e["on_time_share"] == pytest.approx(200 / 3) and e["name"] == "市经济信息委"
    s = dep.loc["statistics"]
    assert (s["n"], s["in_progress"], s["overdue"]) == (1, 1, 0)
    assert np.isnan(s["on_time_share"]) and np.isnan(s["median_resolution_days"])
    assert list(dep.index) == ["economy_it", "statistics"]  # most problems first

    dis = service_summary(st, "district").set_index("group")
    assert dis.loc["500101", "n"] == 3 and dis.loc["500101", "median_resolution_days"] == 20.5
    assert dis.loc["500102", "overdue"] == 1 and dis.loc["500102", "name"] == "涪陵区"

    cat = service_summary(st, "category").set_index("group")
    assert cat.loc["land", "n"] == 3 and cat.loc["land", "median_resolution_days"] == 15
    assert cat.loc["land", "on_time_share"] == 100 and cat.loc["financing", "on_time_share"] == 0
    assert cat.loc["land", "name_en"] == "land"
    with pytest.raises(ValueError):
        service_summary(st, "enterprise")


def test_empty_problems_give_empty_frames(plan):
    st = problem_status(data_of([], plan), "2024-03-01")
    assert st.empty and "overdue" in st.columns
    assert service_summary(st, "category").empty


def test_fictional_plan_districts_as_responsible_units():
    plan = Plan.model_validate({
        "plan": {"id": "riverton-delivery", "title": "河湾市任务测试规划（虚构）", "issuer": "河湾市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}], "indicators": [],
        "regions": {"whole_code": "990100", "whole_name": "河湾市",
                    "districts": [{"code": "990101", "name": "东区"}, {"code": "990102", "name": "西区"}]}})
    d = data_of([problem("Q1", district="990101", department="990101", deadline="2024-02-01"),
                 problem("Q2", district="990102", department="990102", deadline="2024-04-01")], plan)
    st = problem_status(d, "2024-03-01", plan=plan)
    assert st["department_name"].tolist() == ["东区", "西区"]
    assert st["department_name_en"].tolist() == ["东区", "西区"]  # no English name: the Chinese stands
    summary = service_summary(st, "department").set_index("group")
    assert summary.loc["990101", "overdue"] == 1 and summary.loc["990102", "overdue"] == 0


def test_synthetic_problems_label_the_tables(plan):
    d = replace(data_of([problem("Q1")], plan), synthetic_frames=frozenset({"problems"}))
    st = problem_status(d, "2024-03-01")
    assert st.attrs["synthetic"] and st.attrs["as_of"] == "2024-03-01"
    assert service_summary(st, "district").attrs["synthetic"]
    assert not problem_status(data_of([problem("Q1")], plan)).attrs["synthetic"]
    # the tasks being synthetic does not make the problems so
    assert not problem_status(replace(d, synthetic_frames=frozenset({"progress_reports"}))).attrs["synthetic"]
