"""Projects at a date (docs/delivery.md §Projects), on hand-built registers whose numbers are worked out
in the comments: stage and slippage, the investment schedule, the funnel, the stage-date history and the
plan's project targets counted from the register."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from delivery_builders import ASSETS, ddata, project
from hypothesis import given, settings as hsettings, strategies as st

import zhizao.api as zz
from zhizao.analytics.delivery import projects as pj
from zhizao.analytics.delivery.projects import (FUNNEL_COLUMNS, OBSERVATION_COLUMNS, STATUS_COLUMNS, funnel,
                                                project_history, project_observations, project_status)
from zhizao.ingest.delivery_frames import HISTORY_COLUMNS, PROJECT_COLUMNS
from zhizao.settings import Settings

FICTIONAL = zz.load_plan(ASSETS / "fictional-plan.yaml")


def one(p: dict, as_of: str, progress=(), **settings) -> dict:
    out = project_status(ddata(projects=[p], project_progress=list(progress)), as_of, Settings(settings))
    assert list(out.columns) == STATUS_COLUMNS
    return out.iloc[0].to_dict()


def test_31_days_past_planned_start_is_overdue_30_is_not():
    # signed 2024-01-10; 开工 planned 2024-03-01; 2024-04-01 is 31 days later, 2024-03-31 is 30
    p = project(signed="2024-01-10", planned_signed="2024-01-01", planned_started="2024-03-01",
                planned_production="2025-03-01")
    r = one(p, "2024-04-01", project_stage_grace_days=30)
    assert (r["stage"], r["next_stage"], r["next_planned"]) == ("signed", "started", "2024-03-01")
    assert r["days_overdue"] == 31 and r["stage_overdue"]
    assert "2024-03-01" in r["reasons_zh"] and "31天" in r["reasons_zh"] and "宽限30天" in r["reasons_zh"]
    assert "31 days" in r["reasons_en"]
    r = one(p, "2024-03-31", project_stage_grace_days=30)
    assert r["days_overdue"] == 30 and not r["stage_overdue"] and r["reasons_zh"] == ""
    # before the planned date: nothing overdue, never negative
    assert one(p, "2024-02-01")["days_overdue"] == 0
    # a suspended project is shown but never flagged
    assert not one({**p, "status": "suspended"}, "2024-06-01")["stage_overdue"]


def test_signing_is_not_a_stage_overdue_and_full_production_ends_the_path():
    r = one(project(planned_signed="2024-01-01"), "2024-12-31")
    assert r["stage"] == "" and r["next_stage"] == "signed" and r["days_overdue"] == 365 and not r["stage_overdue"]
    done = project(signed="2021-01-01", started="2021-06-01", production="2022-06-01", full_production="2023-01-01")
    r = one(done, "2024-01-01")
    assert (r["stage"], r["next_stage"], r["next_planned"], r["days_overdue"]) == ("full_production", "", "", 0)


def test_slips_and_actual_dates_after_as_of_not_yet_reached():
    # 开工 planned 03-01, actual 03-11: +10; 投产 planned 2025-03-01, actual 2025-02-20: −9; 签约 not planned: NaN
    p = project(signed="2024-01-10", planned_started="2024-03-01", started="2024-03-11",
                planned_production="2025-03-01", production="2025-02-20")
    r = one(p, "2025-06-30")
    assert r["slip_started"] == 10 and r["slip_production"] == -9
    assert math.isnan(r["slip_signed"]) and math.isnan(r["slip_full_production"])
    assert r["stage"] == "production"
    # at 2024-12-31 投产 (2025-02-20) has not happened yet
    assert one(p, "2024-12-31")["stage"] == "started"


def test_investment_schedule_between_start_and_planned_production():
    # started 2024-01-01, production planned 2025-01-01 (366 days); at 2024-07-01, 182 days: 49.73 %.
    # planned 10000 万元; progress 500 a month, January to July (as_of's month counts; August does not)
    # → 3500 = 35 %; gap 35 − 49.73 = −14.73 pp: within 20, so not behind; with a 10 pp allowance it is.
    p = project(signed="2023-10-01", started="2024-01-01", planned_production="2025-01-01",
                planned_investment=10000.0)
    progress = [{"project_id": "P1", "year": 2024, "month": m, "investment": 500.0} for m in range(1, 9)]
    r = one(p, "2024-07-01", progress)
    assert r["cumulative_investment"] == 3500.0 and r["investment_share"] == pytest.approx(35.0)
    assert r["schedule_share"] == pytest.approx(100 * 182 / 366)
    assert r["gap_pp"] == pytest.approx(35.0 - 100 * 182 / 366)
    assert not r["investment_behind"]
    r = one(p, "2024-07-01", progress, project_investment_gap_pp=10.0)
    assert r["investment_behind"] and "3,500万元" in r["reasons_zh"] and "占计划总投资35%，时间进度49.7%，落后14.7个百分点" in r["reasons_zh"]
    assert "14.7 pp" in r["reasons_en"]
    # before 开工 the schedule is unknown; after the planned production it is clipped at 100
    assert math.isnan(one(p, "2023-12-31", progress)["schedule_share"])
    assert one(p, "2025-06-01", progress)["schedule_share"] == 100.0
    # without an actual 开工, the planned one is the start; a project in production is no longer "behind"
    planned_only = project(signed="2023-10-01", planned_started="2024-01-01", planned_production="2025-01-01")
    assert one(planned_only, "2024-07-01")["schedule_share"] == pytest.approx(100 * 182 / 366)
    assert not one(planned_only, "2024-07-01", project_investment_gap_pp=0.0)["investment_behind"]  # not started
    in_production = {**p, "production": "2024-06-30"}
    assert not one(in_production, "2024-07-01", progress, project_investment_gap_pp=0.0)["investment_behind"]


@hsettings(max_examples=40, deadline=None)
@given(st.dates(), st.integers(1, 2000), st.integers(-500, 3000))
def test_schedule_share_is_within_0_100_or_nan(start, length, offset):
    end = start + pd.Timedelta(days=length).to_pytimedelta()
    at = start + pd.Timedelta(days=offset).to_pytimedelta()
    s = pj.schedule_share(start, end, at)
    assert math.isnan(s) if offset < 0 else 0.0 <= s <= 100.0


def test_empty_register_gives_the_columns():
    out = project_status(ddata(), "2024-01-01", Settings())
    assert out.empty and list(out.columns) == STATUS_COLUMNS
    assert list(funnel(out).columns) == FUNNEL_COLUMNS and funnel(out).empty


FUNNEL_PROJECTS = [
    # P1 in production: counts in 签约, 开工 and 投产; P2 started; P3 signed; P4 nothing yet (left out)
    project("P1", cluster="lighting", district="990101", planned_investment=100.0, signed="2023-01-01",
            started="2023-03-01", production="2024-01-01"),
    project("P2", cluster="lighting", district="990102", planned_investment=50.0, signed="2023-02-01",
            started="2023-05-01"),
    project("P3", cluster="", district="990101", planned_investment=30.0, signed="2023-06-01"),
    project("P4", cluster="lighting", district="990101", planned_investment=999.0),
]


def test_funnel_counts_a_project_at_every_stage_it_passed():
    status = project_status(ddata(projects=FUNNEL_PROJECTS), "2024-06-30", Settings())
    f = funnel(status)
    assert f["group"].unique().tolist() == ["all"]
    assert f["stage"].tolist() == ["signed", "started", "production", "full_production"]
    assert f["n"].tolist() == [3, 2, 1, 0]
    assert f["planned_investment"].tolist() == [180.0, 150.0, 100.0, 0.0]
    assert f["share"].tolist() == pytest.approx([100.0, 200 / 3, 100 / 3, 0.0])
    by = funnel(status, "cluster").set_index(["group", "stage"])
    assert by.loc[("lighting", "signed"), "n"] == 2 and by.loc[("lighting", "production"), "n"] == 1
    assert by.loc[("", "signed"), "n"] == 1 and by.loc[("", "started"), "n"] == 0
    by = funnel(status, "district").set_index(["group", "stage"])
    assert by.loc[("990101", "signed"), "n"] == 2 and by.loc[("990101", "started"), "n"] == 1
    assert by.loc[("990102", "started"), "share"] == 100.0
    with pytest.raises(ValueError):
        funnel(status, "park")


def _version(key, when, values, batch):
    return {"frame": "projects", "key": key, "batch_id": batch, "kind": "delivery_edit", "actor": "analyst",
            "recorded_at": when, "withdrawn": False, "values": values}


def test_project_history_keeps_the_stage_date_changes():
    v1 = project("P1", planned_started="2024-03-01", note="first")
    v2 = {**v1, "started": "2024-03-11", "note": "second"}  # a stage date and a note
    v3 = {**v2, "planned_investment": 12000.0}  # no stage date changed
    hist = pd.DataFrame([_version("P1", "2024-01-01 10:00", v1, "b1"), _version("P1", "2024-03-12 09:00", v2, "b2"),
                         _version("P1", "2024-04-01 09:00", v3, "b3"),
                         _version("P2", "2024-04-02 09:00", project("P2"), "b4")],
                        columns=[*HISTORY_COLUMNS, "values"])
    h = project_history(ddata(projects=[v3], history=hist), "P1")
    assert h["column"].tolist() == ["started", ""]  # newest first; the note and the amount are not stage dates
    assert h.iloc[0]["after"] == "2024-03-11" and h.iloc[0]["batch_id"] == "b2"
    assert project_history(ddata(projects=[v3], history=hist), "P9").empty


def _register(*dates, stage="started", amount=10000.0):
    return [project(f"P{i}", signed="2022-01-01", planned_investment=amount, **{stage: d})
            for i, d in enumerate(dates)]


def test_project_observations_cumulative_count_on_the_fictional_plan():
    # fictional new_projects: 开工 counted cumulatively since the end of 2022 (no baseline: the base year)
    # 2022-12-31 is before; 2022 itself is 0 by definition; 2023: 2; 2024: +1 → 3; as_of 2025-06-30 → 2024
    reg = _register("2022-12-31", "2023-02-01", "2023-12-31", "2024-07-01", "2025-03-01")
    obs = project_observations(FICTIONAL, ddata(projects=reg, source="导入的项目库"), "2025-06-30")
    assert list(obs.columns) == OBSERVATION_COLUMNS
    assert obs["indicator"].unique().tolist() == ["new_projects"]
    assert obs["year"].tolist() == [2022, 2023, 2024] and obs["value"].tolist() == [0.0, 2.0, 3.0]
    assert obs["unit"].unique().tolist() == ["个"] and obs["basis_year"].tolist() == [2022, 2022, 2022]
    assert obs["measure"].unique().tolist() == ["count"] and obs["source"].unique().tolist() == ["导入的项目库"]
    # on 31 December the year is complete and counts: 2025 → 4
    obs = project_observations(FICTIONAL, ddata(projects=reg), "2025-12-31")
    assert obs["value"].tolist() == [0.0, 2.0, 3.0, 4.0]
    # the data's own as_of when none is given
    assert project_observations(FICTIONAL, ddata(projects=reg, as_of="2024-12-31"))["year"].tolist() == \
        [2022, 2023, 2024]
    # before the basis year has ended there is nothing to say, not even its 0
    assert project_observations(FICTIONAL, ddata(projects=reg), "2022-12-30").empty


def _plan_with(project_count: dict, unit: str, baseline=None):
    """The fictional plan with its new_projects indicator counted another way."""
    ind = next(i for i in FICTIONAL.indicators if i.id == "new_projects")
    pc = type(ind.project_count)(**project_count)
    point = type(FICTIONAL.indicators[0].baseline)(**baseline) if baseline else None
    ind = ind.model_copy(update={"unit": unit, "project_count": pc, "baseline": point})
    return FICTIONAL.model_copy(update={"indicators": [ind]})


def test_project_observations_yearly_investment_in_yi_yuan():
    # 投产 each year, planned investment 25000 万元 = 2.5 亿元 each: 2023 one, 2024 two
    reg = _register("2023-05-01", "2024-01-01", "2024-12-31", stage="production", amount=25000.0)
    plan = _plan_with({"stage": "production", "measure": "investment", "period": "yearly"}, "亿元")
    obs = project_observations(plan, ddata(projects=reg), "2024-12-31")
    assert obs["year"].tolist() == [2023, 2024] and obs["value"].tolist() == [2.5, 5.0]
    assert obs["basis_year"].isna().all() and obs["measure"].unique().tolist() == ["investment"]
    plan = _plan_with({"stage": "production", "measure": "investment", "period": "cumulative"}, "万元",
                      baseline={"year": 2023, "value": 0})
    obs = project_observations(plan, ddata(projects=reg), "2024-12-31")  # since the end of 2023: two
    assert obs["year"].tolist() == [2023, 2024] and obs["value"].tolist() == [0.0, 50000.0]
    assert obs["basis_year"].tolist() == [2023, 2023]


def test_project_observations_notes_when_nothing_can_be_counted():
    embedded = zz.load_plan("chongqing-manufacturing-2023-2027")
    obs = project_observations(embedded, ddata(projects=_register("2024-01-01")), "2024-12-31")
    assert obs.empty and list(obs.columns) == OBSERVATION_COLUMNS
    assert obs.attrs["note_zh"] == "本规划未列按项目库计数的指标" and "no indicator" in obs.attrs["note_en"]
    obs = project_observations(FICTIONAL, ddata(), "2024-12-31")
    assert obs.empty and "项目库为空" in obs.attrs["note_zh"]
    obs = project_observations(_plan_with({"stage": "started"}, "%"), ddata(projects=_register("2024-01-01")),
                               "2024-12-31")
    assert obs.empty and "单位“%”" in obs.attrs["note_zh"] and "unit '%'" in obs.attrs["note_en"]


def test_status_keeps_the_project_columns():
    out = project_status(ddata(projects=FUNNEL_PROJECTS), "2024-06-30", Settings())
    assert out[PROJECT_COLUMNS].shape == (4, len(PROJECT_COLUMNS))
    assert out["project_id"].tolist() == ["P1", "P2", "P3", "P4"]
    assert out["stage"].tolist() == ["production", "started", "signed", ""]


def test_imported_projects_give_the_cumulative_count_a_pace(tmp_path):
    """The fictional new_projects ([40] by 2027, no baseline) after an import: the basis year's 0 is the
    baseline, so the pace is judged (4 of 40 after 2 of 5 years: 10 % done at 40 % of the time)."""
    from openpyxl import Workbook

    from zhizao import api_delivery as zd
    from zhizao.ingest.delivery_frames import COLUMN_WORDS, FRAME_NAMES

    starts = ["2022-11-01", "2023-03-01", "2023-06-01", "2024-02-01", "2024-05-01", "2025-01-10"]
    rows = [{"project_id": f"P{i}", "name": f"项目{i}", "district": "990101", "planned_investment": 10000,
             "status": "active", "signed": "2022-10-01", "started": d, "planned_started": d}
            for i, d in enumerate(starts)]
    wb = Workbook()
    ws = wb.active
    ws.title = FRAME_NAMES["projects"][0]
    ws.append([COLUMN_WORDS["projects"][c][0] for c in rows[0]])
    for r in rows:
        ws.append(list(r.values()))
    wb.save(tmp_path / "projects.xlsx")
    db = tmp_path / "store.duckdb"
    zd.import_delivery_data([tmp_path / "projects.xlsx"], plan=FICTIONAL, db=db, actor="t", today="2025-06-30")
    res = zz.assess(FICTIONAL, db=db, year=2024, as_of="2025-06-30")
    ind = next(i for i in res["indicators"] if i["id"] == "new_projects")
    assert ind["baseline"]["value"] == 0.0 and ind["baseline"]["year"] == 2022
    assert ind["actual"] == 4.0 and ind["data_year"] == 2024  # 2022-11-01 is before the count starts
    assert ind["completion"] == pytest.approx(0.1) and ind["time_elapsed"] == pytest.approx(0.4)
    assert ind["status"] == "seriously_behind" and ind["reason"] is None  # judged for pace, not "no baseline"
