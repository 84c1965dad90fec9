"""The synthetic delivery default (issue 14): contract frames, determinism, the deliberate cases, any plan,
and agreement with the monitoring synthetic projects and the enterprise registry."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from zhizao.codes.uscc import valid_mask
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import (FRAMES, KEYS, PROBLEM_CATEGORIES, PROBLEM_STATUSES, PROJECT_STATUSES,
                                           STAGES, empty_frame, unit_vocabulary)
from zhizao.plan.load import load_plan
from zhizao.plan.spec import Plan
from zhizao.settings import Settings
from zhizao.synth import delivery as D
from zhizao.synth.enterprises import default_enterprise_data

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "zhizao" / "resources" / "plans"
FICTIONAL = ROOT / "tests" / "assets" / "fictional-plan.yaml"
S = Settings()


@pytest.fixture(scope="module")
def plan21():
    return load_plan(PLANS / "chongqing-manufacturing-2021-2025.yaml")


@pytest.fixture(scope="module")
def plan23():
    return load_plan(PLANS / "chongqing-manufacturing-2023-2027.yaml")


@pytest.fixture(scope="module")
def fictional():
    return load_plan(FICTIONAL)


def tasked(plan: Plan) -> Plan:
    """The fictional plan with two districts, two departments, two tasks and four work items, one of them
    due before the synthetic as_of (the embedded plans cannot show an overdue item at 2024-12-31)."""
    d = plan.model_dump(mode="json")
    d["regions"]["districts"] = [{"code": "990101", "name": "东岸区"}, {"code": "990102", "name": "西岸区"}]
    d["departments"] = [{"id": "industry_office", "name": "河湾市工业局", "kind": "department"},
                        {"id": "finance_office", "name": "河湾市财政局", "kind": "department"}]
    d["tasks"] = [{"id": "t_chain", "title": "强链", "section": "四(一)", "text": "强链补链。"},
                  {"id": "t_parks", "title": "园区", "section": "四(二)", "text": "园区提质。"}]
    d["work_items"] = [
        {"id": f"w{i}", "task": task, "title": f"工作任务{i}", "lead": [lead], "cooperating": ["990101"],
         "start": "2023-01-01", "deadline": deadline, "section": "五(一)"}
        for i, (task, lead, deadline) in enumerate([
            ("t_chain", "industry_office", "2024-06-30"), ("t_chain", "industry_office", "2027-12-31"),
            ("t_parks", "finance_office", "2026-12-31"), ("t_parks", "990102", "2027-06-30"),
            ("t_parks", "industry_office", "2027-12-31")])]
    return Plan.model_validate(d)


def check_contract(plan: Plan, data) -> None:
    """Everything the contract asks of the frames (delivery_frames' docstring)."""
    as_of = data.as_of
    assert data.synthetic_frames == D.SYNTHETIC_FRAMES and data.synthetic
    assert "合成数据" in data.source and data.batch_id is None
    for f in FRAMES:
        frame, empty = data.frame(f), empty_frame(f)
        assert list(frame.columns) == list(empty.columns), f
        assert dict(frame.dtypes) == dict(empty.dtypes), f
        assert not frame.duplicated(KEYS[f]).any(), f
    codes = {d.code for d in plan.regions.districts} or {plan.regions.whole_code} if plan.regions else set()
    p = data.projects
    assert set(p["district"]) <= codes
    assert set(p["status"]) <= set(PROJECT_STATUSES)
    for prefix in ("planned_", ""):
        cols = [prefix + s for s in STAGES]
        dates = p[cols].replace("", np.nan).apply(pd.to_datetime)
        for a, b in zip(cols, cols[1:]):  # 签约 ≤ 开工 ≤ 投产 ≤ 达产 among those given
            both = dates[a].notna() & dates[b].notna()
            assert (dates.loc[both, a] <= dates.loc[both, b]).all(), (a, b)
        if not prefix:  # a later stage is never reached before an earlier one
            for a, b in zip(cols, cols[1:]):
                assert not (dates[a].isna() & dates[b].notna()).any()
            assert (dates.max(axis=1).dropna() <= pd.Timestamp(as_of)).all()
    assert (p["signed"] != "").all() and (p["planned_signed"] != "").all()
    assert (p["planned_investment"] > 0).all() and (p["planned_output"] > 0).all()
    assert valid_mask(p["investor_id"].to_numpy(dtype=str)).all()
    clusters = {c.id for c in plan.clusters}
    links = {(c.id, ln.id) for c in plan.chains for ln in c.links}
    assert set(p["cluster"]) <= clusters | {""}
    on_chain = p[p["chain"] != ""]
    assert set(zip(on_chain["chain"], on_chain["link"])) <= links
    parks = set(default_enterprise_data(plan).parks["park_id"])
    assert set(p["park"]) <= parks | {""}
    g = data.project_progress
    assert set(g["project_id"]) <= set(p["project_id"])
    assert g["month"].between(1, 12).all() and (g["investment"] >= 0).all()
    month = g["year"] * 100 + g["month"]
    assert (month <= int(as_of[:4]) * 100 + int(as_of[5:7])).all()
    started = g["project_id"].map(p.set_index("project_id")["started"])
    invested = g[g["investment"] > 0]
    assert (started[invested.index] != "").all()
    assert invested.empty or (invested["year"] * 100 + invested["month"]
            >= started[invested.index].str[:4].astype(int) * 100 + started[invested.index].str[5:7].astype(int)).all()
    prod = g["project_id"].map(p.set_index("project_id")["production"])
    with_out = g[g["output"].notna()]
    assert (prod[with_out.index] != "").all() and (with_out["output"] >= 0).all()
    q = data.problems
    assert set(q["category"]) <= set(PROBLEM_CATEGORIES) and set(q["status"]) <= set(PROBLEM_STATUSES)
    assert set(q["district"]) <= codes
    units = set(unit_vocabulary(plan, data.departments).values()) or {plan.regions.whole_code} if plan.regions \
        else set()
    assert set(q["department"]) <= units
    assert valid_mask(q["enterprise_id"].to_numpy(dtype=str)).all()
    assert (q["deadline"] >= q["raised"]).all() and (q["raised"] <= as_of).all()
    done = q["status"] == "resolved"
    assert (q.loc[done, "resolved"] != "").all() and (q.loc[~done, "resolved"] == "").all()
    assert (q.loc[done, "resolved"] >= q.loc[done, "raised"]).all() and (q.loc[done, "resolved"] <= as_of).all()
    r = data.progress_reports
    assert set(r["item_id"]) <= set(data.work_items["item_id"])
    assert r["completion"].between(0, 100).all() and (r["date"] <= as_of).all()
    assert r.empty or r["report_id"].str.fullmatch(r"R\d{8}-\d+").all()
    start = r["item_id"].map(data.work_items.set_index("item_id")["start"])
    assert (r["date"] >= start).all()


def latest(data) -> pd.DataFrame:
    r = data.progress_reports.sort_values("date")
    return r.groupby("item_id").tail(1).set_index("item_id")


def time_share(item, as_of: str) -> float:
    s, d, a = (pd.Timestamp(x) for x in (item["start"], item["deadline"], as_of))
    return float(np.clip((a - s).days / max((d - s).days, 1) * 100, 0, 100))


def check_deliberate(data, *, overdue_item: bool) -> None:
    """Each deliberate case exists at the data's as_of (judged as the contract's analytics judge)."""
    as_of = pd.Timestamp(data.as_of)
    p = data.projects.set_index("project_id")
    # a project overdue at a stage: the next planned stage more than the grace period past
    late = p[(p["started"] == "") & (p["planned_started"] != "") & (p["status"] == "active")]
    days = (as_of - pd.to_datetime(late["planned_started"])).dt.days
    assert (days > S["project_stage_grace_days"]).any()
    # a project behind on investment: started, not in production, invested share trailing time by > gap
    g = data.project_progress
    cum = g[g["year"] * 100 + g["month"] <= as_of.year * 100 + as_of.month].groupby("project_id")["investment"].sum()
    building = p[(p["started"] != "") & (p["production"] == "")]
    start = pd.to_datetime(building["started"])
    span = (pd.to_datetime(building["planned_production"]) - start).dt.days
    sched = ((as_of - start).dt.days / span * 100).clip(0, 100)
    share = cum.reindex(building.index).fillna(0) / building["planned_investment"] * 100
    assert ((share - sched) < -S["project_investment_gap_pp"]).any()
    # overdue problems, some beyond problem_overdue_high_days, some within
    q = data.problems
    open_ = q[q["status"] != "resolved"]
    over = (as_of - pd.to_datetime(open_["deadline"])).dt.days
    assert (over > S["problem_overdue_high_days"]).sum() >= 1
    assert ((over > 0) & (over <= S["problem_overdue_high_days"])).sum() >= 1
    if not len(data.work_items):
        assert data.progress_reports.empty
        return
    items = data.work_items.set_index("item_id")
    last = latest(data)
    future = items[pd.to_datetime(items["deadline"]) >= as_of]
    stalled = [i for i in future.index if i in last.index and last.loc[i, "completion"] < 100
               and (as_of - pd.Timestamp(last.loc[i, "date"])).days > S["task_stalled_days"]]
    # possible only where an item due later has run longer than task_stalled_days
    can_stall = future[pd.to_datetime(future["start"]) < as_of - pd.Timedelta(days=S["task_stalled_days"] + 2)]
    assert stalled or can_stall.empty
    behind = [i for i in future.index if i in last.index and i not in stalled
              and last.loc[i, "completion"] < time_share(items.loc[i], data.as_of) - S["task_behind_pp"]]
    # possible only where some item's elapsed time exceeds task_behind_pp (+5 points of margin)
    can_trail = [i for i in future.index if i not in stalled
                 and time_share(items.loc[i], data.as_of) > S["task_behind_pp"] + 5]
    assert behind or not can_trail
    due = items[pd.to_datetime(items["deadline"]) < as_of]
    overdue = [i for i in due.index if i not in last.index or last.loc[i, "completion"] < 100]
    assert bool(overdue) == overdue_item


def test_embedded_plan_default(plan21):
    data = D.default_delivery_data(plan21)
    check_contract(plan21, data)
    assert data.as_of == D.AS_OF
    assert len(data.projects) > 100 and len(data.problems) >= D.PROBLEMS_MIN
    # every work item but one (not started) has reports; the plan's own items, not synthetic ones
    assert data.progress_reports["item_id"].nunique() == len(plan21.work_items) - 1
    assert "work_items" not in data.synthetic_frames and set(data.work_items["basis"]) == {"plan_text"}
    # its items are all due 2025-12-31: none can be overdue at the fixed as_of
    check_deliberate(data, overdue_item=False)
    # the two deliberate projects by name: PN000001 late for 开工, PN000002 15 % invested at half time
    p = data.projects.set_index("project_id")
    assert p.loc["PN000001", "started"] == "" and p.loc["PN000001", "planned_started"] < "2024-11-01"
    assert p.loc["PN000002", "production"] == "" and p.loc["PN000002", "started"] == "2024-01-01"
    invested = data.project_progress.query("project_id == 'PN000002'")["investment"].sum()
    assert invested / p.loc["PN000002", "planned_investment"] == pytest.approx(0.15, abs=0.002)
    # investors' parks are the registry's, in the project's district
    reg = default_enterprise_data(plan21).registry.set_index("enterprise_id")
    in_park = p[p["park"] != ""]
    assert (reg.loc[in_park["investor_id"], "park"].to_numpy() == in_park["park"]).all()
    assert (reg.loc[in_park["investor_id"], "district"].to_numpy() == in_park["district"]).all()
    status = latest(data)["completion"]
    assert (status < 100).all() and len(status) == 40
    # units of the plan's departments and districts (the problems' responsible units)
    deps = {d.id for d in plan21.departments}
    assert set(data.problems["department"]) & deps and set(data.problems["department"]) - deps
    # the funnel has something at each stage, and some projects sit on the plan's chains
    assert all((data.projects[s] != "").any() for s in STAGES)
    assert (data.projects["started"] == "").sum() >= 10
    assert (data.projects["link"] != "").any() and (data.projects["park"] != "").any()


def test_plan_without_work_items_has_no_reports(plan23):
    data = D.default_delivery_data(plan23)
    check_contract(plan23, data)
    assert data.progress_reports.empty and data.work_items.empty and data.departments.empty
    # no departments: the problems go to districts
    assert set(data.problems["department"]) <= {d.code for d in plan23.regions.districts}
    check_deliberate(data, overdue_item=False)


def test_fictional_plan(fictional):
    data = D.default_delivery_data(fictional)
    check_contract(fictional, data)
    assert len(data.projects) >= D.PIPELINE_MIN and len(data.problems) >= D.PROBLEMS_MIN
    assert data.progress_reports.empty
    # no monitoring districts: only new projects, investors from the plan's registry
    assert data.projects["project_id"].str.startswith("PN").all()
    assert set(data.projects["district"]) == {fictional.regions.whole_code}
    assert set(data.problems["department"]) == {fictional.regions.whole_code}
    check_deliberate(data, overdue_item=False)


def test_any_plan_with_tasks(fictional):
    plan = tasked(fictional)
    data = D.generate_delivery_data(plan)
    check_contract(plan, data)
    check_deliberate(data, overdue_item=True)
    assert set(data.problems["department"]) & {"industry_office", "finance_office"}
    assert set(data.problems["district"]) <= {"990101", "990102"}
    assert set(data.progress_reports["reporter"]) <= {"河湾市工业局", "河湾市财政局", "西岸区"}


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), as_of=st.dates(pd.Timestamp("2023-06-01").date(), pd.Timestamp("2026-06-30").date()))
def test_contract_any_seed_and_date(fictional, seed, as_of):
    # from 2023-06: the items (from 2023-01-01) have run longer than task_stalled_days
    plan = tasked(fictional)
    data = D.generate_delivery_data(plan, seed=seed, as_of=as_of.isoformat())
    assert data.as_of == as_of.isoformat()
    check_contract(plan, data)
    check_deliberate(data, overdue_item=as_of > pd.Timestamp("2024-06-30").date())


@pytest.mark.parametrize("as_of", ["2021-09-30", "2022-06-30", "2026-03-31"])
def test_other_as_of_on_the_embedded_plan(plan21, as_of):
    data = D.generate_delivery_data(plan21, as_of=as_of)
    check_contract(plan21, data)
    # after the items' deadline (2025-12-31) the first one is overdue
    check_deliberate(data, overdue_item=as_of > "2025-12-31")


def test_deterministic(plan21, fictional):
    for plan in (plan21, fictional):
        a, b = D.generate_delivery_data(plan), D.generate_delivery_data(plan)
        for f in FRAMES:
            pd.testing.assert_frame_equal(a.frame(f), b.frame(f))
        assert a.source == b.source == "合成数据（演示用）：zhizao synth delivery, seed 0"
    c = D.generate_delivery_data(fictional, seed=1)
    assert not c.problems.equals(D.generate_delivery_data(fictional).problems)
    assert c.source.endswith("seed 1")


def test_default_is_cached_and_copied(fictional):
    a = D.default_delivery_data(fictional)
    a.projects.loc[:, "name"] = "changed"
    b = D.default_delivery_data(fictional)
    assert not (b.projects["name"] == "changed").any()
    pd.testing.assert_frame_equal(b.problems, D.generate_delivery_data(fictional).problems)


def test_same_projects_as_monitoring_and_registry(plan21):
    data = D.default_delivery_data(plan21)
    proj, monthly, ents = D._monitoring_projects(0)
    p = data.projects.set_index("project_id")
    mine = proj[proj["project_id"].isin(p.index)].set_index("project_id")
    assert len(mine) == len(proj)  # all of them: the embedded plan has every monitoring district
    assert (p.loc[mine.index, "name"] == mine["name"]).all()
    assert (p.loc[mine.index, "district"] == mine["district"]).all()
    assert (p.loc[mine.index, "investor_id"] == mine["credit_code"]).all()
    assert np.allclose(p.loc[mine.index, "planned_investment"], mine["planned_investment"], atol=0.05)
    # investors: same code and name as the enterprise registry (or the monitoring enterprises, for owners
    # that left the 规上 directory before the registry's years)
    reg = default_enterprise_data(plan21).registry.set_index("enterprise_id")["name"]
    mon = ents.set_index("credit_code")["name"]
    in_reg = p["investor_id"].isin(reg.index)
    assert in_reg.mean() > 0.8
    assert (p.loc[in_reg, "investor"] == reg[p.loc[in_reg, "investor_id"]].to_numpy()).all()
    assert (p.loc[~in_reg, "investor"] == mon[p.loc[~in_reg, "investor_id"]].to_numpy()).all()
    # monthly investment agrees with the monitoring rows: January + February = the 1–2月 period
    g = data.project_progress
    g = g[g["project_id"].isin(mine.index)].assign(month=lambda x: x["month"].where(x["month"] != 1, 2))
    ours = g.groupby(["project_id", "year", "month"])["investment"].sum()
    theirs = monthly.assign(year=monthly["year"].astype(int), month=monthly["month"].astype(int)) \
        .groupby(["project_id", "year", "month"])["investment"].sum()
    theirs = theirs[theirs.index.isin(ours.index)]
    assert len(theirs) == len(monthly)  # every monitoring row is there
    assert np.allclose(ours[theirs.index], theirs, atol=0.1)
    assert (ours.drop(theirs.index) == 0).all()  # other months: output only


def test_problems_use_registry_enterprises(plan21):
    data = D.default_delivery_data(plan21)
    reg = default_enterprise_data(plan21).registry.set_index("enterprise_id")
    q = data.problems
    assert q["enterprise_id"].isin(reg.index).all()
    assert (reg.loc[q["enterprise_id"], "name"].to_numpy() == q["enterprise_name"]).all()
    assert (reg.loc[q["enterprise_id"], "district"].to_numpy() == q["district"]).all()


def test_plan_without_regions_gives_empty_synthetic_frames(fictional):
    plan = fictional.model_copy(update={"regions": None})
    data = D.generate_delivery_data(plan)
    assert data.synthetic and all(data.frame(f).empty for f in D.SYNTHETIC_FRAMES)
    check_contract(plan, data)


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "1900-01-01"])
def test_bad_as_of_is_refused(fictional, bad):
    with pytest.raises(UserError) as e:
        D.generate_delivery_data(fictional, as_of=bad)
    assert e.value.args  # a message in both languages, no traceback for the user
