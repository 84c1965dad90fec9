"""The final report's chapter 三 with delivery data (final.py `_tasks`, `delivery_chapter`): reported task
progress becomes 表3 and the project funnel sentences; synthetic or plan-default data never feed it and
the chapter keeps its old text. Task statuses and funnels are hand-built in the contract's columns."""
from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

from final_fake import make_draft, make_final
from zhizao.ingest.delivery_frames import DeliveryData, empty_frame, plan_departments, plan_work_items
from zhizao.outputs.reports.content import build_content
from zhizao.outputs.reports.final import DeliveryChapter, _tasks, delivery_chapter
from zhizao.outputs.reports.model import Heading, Para, Table
from zhizao.plan.load import load_plan

FICTIONAL = Path(__file__).resolve().parents[2] / "assets" / "fictional-plan.yaml"
OLD_TEXT = "数据库中没有重点任务和重大工程的进度数据"


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def chapter(plan, *, tasks: bool = True, projects: bool = True) -> DeliveryChapter:
    w, _ = plan_work_items(plan)
    w = w.head(4).copy()
    w.loc[3, "task"] = w.loc[0, "task"]  # two items under the first task
    items = w.assign(status=["behind", "done", "not_started", "on_track"], completion=[30.0, 100.0, 0.0, 60.0],
                     n_reports=[2, 1, 0, 1], lead_names=["市经济信息委", "市科技局", "市级有关部门", "市科技局"],
                     lead_names_en=["MEIT", "MSTB", "municipal departments", "MSTB"])
    by_task = items.groupby("task", sort=False).agg(
        n=("item_id", "size"), done=("status", lambda s: (s == "done").sum()),
        on_track=("status", lambda s: (s == "on_track").sum()), behind=("status", lambda s: (s == "behind").sum()),
        stalled=("status", lambda s: (s == "stalled").sum()), overdue=("status", lambda s: (s == "overdue").sum()),
        not_started=("status", lambda s: (s == "not_started").sum()),
        mean_completion=("completion", "mean")).reset_index()
    funnel = pd.DataFrame({"group": [""] * 4, "stage": ["signed", "started", "production", "full_production"],
                           "n": [20, 15, 8, 3], "planned_investment": [1_250_000.0, 900_000.0, 500_000.0, 100_000.0]})
    by_cluster = pd.DataFrame({"group": [plan.clusters[0].id] * 2, "stage": ["signed", "production"], "n": [6, 2],
                               "planned_investment": [300_000.0, 100_000.0]})
    return DeliveryChapter(as_of="2025-12-31", items=items if tasks else None, by_task=by_task if tasks else None,
                           n_reports=5 if tasks else 0, funnel=funnel if projects else None,
                           funnel_by_cluster=by_cluster if projects else None, n_projects=24 if projects else 0)


def texts(blocks) -> str:
    return "\n".join(b.text for b in blocks if isinstance(b, (Para, Heading)))


RESULT = {"indicators": [], "clusters": []}


def test_reported_progress_gives_table_3_and_the_funnel(plan):
    blocks = _tasks(RESULT, {}, plan, None, "zh", chapter(plan))
    text = texts(blocks)
    assert OLD_TEXT not in text
    assert "截至2025-12-31，任务分工方案共4项工作任务，3项报送了进展（进展报告5份）" in text
    assert "已完成1项、按期推进1项、滞后1项、尚未开始1项" in text and "平均完成进度47.5%" in text
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [t.key for t in tables] == ["final-tasks", "final-task-progress"]  # 表2, then 表3
    assert "表3　重点任务分工推进情况" in text
    rows = tables[1].rows
    assert len(rows) == 3  # three plan tasks
    first = [c.text for c in rows[0]]
    assert first[1].startswith(plan.tasks[0].title) and first[2] == "市经济信息委、市科技局"
    assert first[3] == "2" and first[4] == "45%" and first[5] == "按期推进1项、滞后1项"
    assert ("重点项目台账共有项目24个，其中已签约20个（计划总投资125亿元），已开工15个（占签约的75%），"
            "已投产8个（占签约的40%），已达产3个（占签约的15%）") in text
    assert f"{plan.clusters[0].name}签约6个、投产2个" in text


def test_english_chapter(plan):
    text = texts(_tasks(RESULT, {}, plan, None, "en", chapter(plan)))
    assert "4 work items, 3 with reported progress (5 reports)" in text and "Table 3" in text
    assert ("holds 24 projects, 20 of them signed (125 100m yuan of planned investment); 15 have started "
            "construction (75% of those signed)") in text


def test_only_projects_reported_says_tasks_are_missing(plan):
    blocks = _tasks(RESULT, {}, plan, None, "zh", chapter(plan, tasks=False))
    text = texts(blocks)
    assert "没有重点任务分工的进展报告" in text and "重点项目台账共有项目24个，其中已签约20个" in text
    assert [b.key for b in blocks if isinstance(b, Table)] == ["final-tasks"]


def test_nothing_given_keeps_the_old_text(plan):
    for delivery in (None, DeliveryChapter(as_of="2025-12-31")):
        text = texts(_tasks(RESULT, {}, plan, None, "zh", delivery))
        assert OLD_TEXT in text and "表3" not in text


def synthetic_data(plan) -> DeliveryData:
    w, m = plan_work_items(plan)
    reports = pd.DataFrame({"report_id": ["R1"], "item_id": [w["item_id"].iloc[0] if len(w) else "x"],
                            "date": ["2025-06-30"], "completion": [99.0], "text": ["合成"], "attachments": [""],
                            "reporter": [""]})
    projects = empty_frame("projects")
    projects.loc[0, "project_id"] = "P1"
    return DeliveryData(projects, empty_frame("project_progress"), empty_frame("problems"), w, m, reports,
                        plan_departments(plan), synthetic_frames=frozenset({"projects", "project_progress", "problems",
                                                                            "progress_reports"}),
                        source="合成数据 zhizao synth delivery, seed 0", as_of="2025-06-30")


@pytest.mark.parametrize("which", ["embedded", "fictional"])
def test_synthetic_data_never_feed_the_chapter(which, plan):
    p = plan if which == "embedded" else load_plan(FICTIONAL)
    ch = delivery_chapter(p, synthetic_data(p))  # no analytics needed: nothing real to read
    assert not ch.has_tasks and not ch.has_projects and ch.synthetic_left_out
    text = texts(_tasks(RESULT, {}, p, None, "zh", ch))
    assert "演示用合成数据不进入本报告" in text and "99" not in text
    if which == "embedded":
        assert OLD_TEXT in text
    else:
        assert "规划未列出重点任务条目" in text


def test_final_report_numbers_the_draft_table_4_after_table_3(assessed, plan):
    result = make_final(assessed.result)
    report = build_content(result, assessed.observations, assessed.plan, "zh", draft=make_draft(result),
                           delivery=chapter(assessed.plan))
    captions = [b.text for b in report.blocks if isinstance(b, Para) and b.style == "caption"]
    assert any(c.startswith("表3　重点任务分工推进情况") for c in captions)
    assert any(c.startswith("表4　") and "目标设定参考值" in c for c in captions)
    assert any("（表4）" in b.text for b in report.blocks if isinstance(b, Para))
    plain = build_content(result, assessed.observations, assessed.plan, "zh", draft=make_draft(result))
    assert any(b.text.startswith("表3　") and "目标设定参考值" in b.text for b in plain.blocks
               if isinstance(b, Para) and b.style == "caption")


def test_real_delivery_data_through_the_analytics(plan):
    try:
        importlib.import_module("zhizao.analytics.delivery.tasks")
        importlib.import_module("zhizao.analytics.delivery.projects")
    except ModuleNotFoundError:
        pytest.skip("zhizao.analytics.delivery (parts analytics-1/2) is not in this branch yet: unskips after the merge")
    data = synthetic_data(plan)
    data = DeliveryData(empty_frame("projects"), data.project_progress, data.problems, data.work_items,
                        data.milestones, data.progress_reports, data.departments, synthetic_frames=frozenset(),
                        source="任务进展.xlsx", as_of="2025-06-30")
    ch = delivery_chapter(plan, data)
    assert ch.has_tasks and not ch.has_projects
    text = texts(_tasks(RESULT, {}, plan, None, "zh", ch))
    assert f"共{len(plan.work_items)}项工作任务，1项报送了进展（进展报告1份）" in text


def _register(plan, stages: list[dict]) -> DeliveryData:
    """A stored (not synthetic) register of the given projects, each 10,000–25,000 万元."""
    projects = empty_frame("projects")
    for k, st in enumerate(stages):
        projects.loc[k, ["project_id", "name", "planned_investment", "status"]] = [f"P{k + 1}", f"项目{k + 1}",
                                                                                   st.pop("amount"), "active"]
        for stage, d in st.items():
            projects.loc[k, stage] = d
    w, m = plan_work_items(plan)
    return DeliveryData(projects, empty_frame("project_progress"), empty_frame("problems"), w, m,
                        empty_frame("progress_reports"), plan_departments(plan), synthetic_frames=frozenset(),
                        source="项目台账.xlsx", as_of="2028-12-31")


@pytest.mark.parametrize("which", ["embedded", "fictional"])
def test_the_register_total_is_not_the_signed_count(which, plan):
    """Review A #5: 6 projects in the register, P6 not yet signed; 5 signed for 8.8亿元, 4 started, 2 in production."""
    p = plan if which == "embedded" else load_plan(FICTIONAL)
    data = _register(p, [
        {"amount": 10000.0, "signed": "2024-01-10", "started": "2024-03-01", "production": "2025-06-01"},
        {"amount": 25000.0, "signed": "2024-02-10", "started": "2024-05-01"},
        {"amount": 20000.0, "signed": "2024-03-10", "started": "2024-06-01"},
        {"amount": 15000.0, "signed": "2024-04-10", "started": "2024-07-01", "production": "2025-09-01"},
        {"amount": 18000.0, "signed": "2025-01-10"},
        {"amount": 30000.0}])
    ch = delivery_chapter(p, data)
    assert ch.has_projects and ch.n_projects == 6
    text = texts(_tasks(RESULT, {}, p, None, "zh", ch))
    assert ("截至2028-12-31，重点项目台账共有项目6个，其中已签约5个（计划总投资8.8亿元），已开工4个（占签约的80%），"
            "已投产2个（占签约的40%），已达产0个（占签约的0%）。") in text
    en = texts(_tasks(RESULT, {}, p, None, "en", ch))
    assert ("the projects ledger holds 6 projects, 5 of them signed (8.8 100m yuan of planned investment); 4 have "
            "started construction (80% of those signed), 2 are in production (40%)") in en


def test_a_register_with_nothing_signed_says_so(plan):
    ch = delivery_chapter(plan, _register(plan, [{"amount": 10000.0}, {"amount": 5000.0}]))
    assert ch.has_projects and ch.n_projects == 2
    text = texts(_tasks(RESULT, {}, plan, None, "zh", ch))
    assert "重点项目台账共有项目2个，尚无已签约项目。" in text and "占签约" not in text
    assert "none of them signed yet" in texts(_tasks(RESULT, {}, plan, None, "en", ch))
