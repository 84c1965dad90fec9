"""Park results against their land-use targets, on plans with and without a park system."""
from __future__ import annotations

import math

import numpy as np
import pytest
from ana1_helpers import data, firm, make_plan

from zhizao.analytics.enterprises import muju, parks
from zhizao.errors import UserError
from zhizao.settings import Settings

S = Settings()
NAN = np.nan


def park(pid, tier, *, inv=NAN, out=NAN, tax=NAN, name=None):
    return {"park_id": pid, "name": name or f"园区{pid}", "tier": tier, "districts": "990101", "area": 100.0,
            "leading_industries": "36", "target_investment_per_mu": inv, "target_output_per_mu": out,
            "target_tax_per_mu": tax}


def sample():
    """P1 (core): A and B on 10 + 30 亩, tax 100 + 500 → 15 万元/亩 against a target 20 (below by 5);
    revenue 3,000 + 9,000 → 300 against 300 (met); investment only A's 500 on its 10 亩 → 50, no target.
    P2 (a tier the plan does not name): C, 1 万元/亩, no targets. P3 (local): D has no figures in 2024."""
    firms = [firm("A", park="P1", land_area=10.0, revenue=3000.0, tax=100.0, investment=500.0),
             firm("B", park="P1", land_area=30.0, revenue=9000.0, tax=500.0),
             firm("C", park="P2", district="990102", land_area=10.0, revenue=100.0, tax=10.0),
             firm("D", park="P3", year=2023, land_area=5.0, revenue=100.0, tax=100.0),
             firm("OUT", land_area=10.0, revenue=100.0, tax=1.0)]
    return data(firms, [park("P1", "core", out=300.0, tax=20.0), park("P2", "odd"), park("P3", "local", tax=5.0)])


def test_a_park_below_its_target():
    d = sample()
    res = parks.park_results(make_plan(), d, 2024, muju.evaluate(d, 2024, S), S).set_index("park_id")
    p1 = res.loc["P1"]
    assert p1["land_used"] == 40.0 and p1["n_enterprises"] == 2 and p1["n_with_data"] == 2
    assert p1["tax_per_mu"] == pytest.approx(15.0)
    assert p1["met_tax_per_mu"] is False and p1["gap_tax_per_mu"] == pytest.approx(-5.0)
    assert p1["output_per_mu"] == pytest.approx(300.0) and p1["met_output_per_mu"] is True
    assert p1["investment_per_mu"] == pytest.approx(50.0)
    assert math.isnan(p1["met_investment_per_mu"]) and math.isnan(p1["gap_investment_per_mu"])
    assert "亩均税收15万元/亩，低于目标20（差5）" == p1["reasons_zh"]
    assert "below its target 20 by 5" in p1["reasons_en"]
    # its enterprises are the only two above-scale firms: B ranks 1 (class B of 2), A ranks 2 (class C)
    assert p1[["n_A", "n_B", "n_C", "n_D"]].tolist() == [0, 1, 1, 0]


def test_ranking_parks_without_data_and_tiers_with_a_park_system():
    d = sample()
    res = parks.park_results(make_plan(), d, 2024, None, S)
    assert list(res["park_id"]) == ["P1", "P2", "P3"]
    assert list(res["rank"][:2]) == [1, 2] and res["rank"].isna().iat[2]
    r = res.set_index("park_id")
    assert (r.loc["P1", "tier_name"], r.loc["P1", "tier_name_en"]) == ("核心园区", "Core park")
    assert r.loc["P2", "tier_name"] == "odd"  # a tier the plan does not name reads as it is
    assert r.loc["P3", "n_with_data"] == 0 and r.loc["P3", "n_enterprises"] == 1
    assert math.isnan(r.loc["P3", "tax_per_mu"]) and math.isnan(r.loc["P3", "met_tax_per_mu"])
    assert r.loc["P3", "reasons_zh"].startswith("园区内无当年有用地面积数据的企业")
    assert r.loc["P2", "reasons_en"] == "the park has no land-use control targets"
    assert list(res.columns) == parks.PARK_RESULT_COLUMNS


def test_a_plan_without_a_park_system_shows_tiers_as_they_are():
    d = sample()
    res = parks.park_results(make_plan(parks=False), d, 2024, None, S).set_index("park_id")
    assert res.loc["P1", "tier_name"] == "core" and res.loc["P3", "tier_name_en"] == "local"
    assert res.loc["P1", "met_tax_per_mu"] is False  # the targets work the same


def test_no_parks_gives_an_empty_table_with_the_columns():
    d = data([firm("A", land_area=1.0, revenue=10.0, tax=1.0)])
    res = parks.park_results(make_plan(parks=False), d, 2024, None, S)
    assert res.empty and list(res.columns) == parks.PARK_RESULT_COLUMNS


def test_park_enterprises():
    d = sample()
    r = muju.evaluate(d, 2024, S)
    p1 = parks.park_enterprises(d, "P1", r)
    # A and B are the only above-scale firms: B (rank 1 of 2) is B, A (rank 2) is C; best class first
    assert list(p1["enterprise_id"]) == ["B", "A"] and list(p1["klass"]) == ["B", "C"]
    assert set(p1["park"]) == {"P1"} and list(p1.columns) == muju.ENTERPRISE_COLUMNS
    p3 = parks.park_enterprises(d, "P3", r)
    assert list(p3["enterprise_id"]) == ["D"] and p3["klass"].iat[0] == ""
    assert p3["reasons_zh"].iat[0] == "未评价：本年无年度数据" and p3["imputed"].iat[0] == ()
    with pytest.raises(UserError) as e:
        parks.park_enterprises(d, "P9", r)
    assert "P9" in e.value.reason_zh and "P1" in e.value.reason_en


def test_park_class_counts_follow_the_evaluation():
    firms = [firm(f"F{i}", park="P1" if i < 3 else "", land_area=1.0, revenue=1000.0, tax=float(20 - i),
                  electricity=1.0) for i in range(20)]
    d = data(firms, [park("P1", "core")])
    r = muju.evaluate(d, 2024, S)
    res = parks.park_results(make_plan(), d, 2024, r, S).iloc[0]
    # F0–F2 have the three best scores of 20: class A (A = the top 4)
    assert (res["n_A"], res["n_B"], res["n_C"], res["n_D"]) == (3, 0, 0, 0)
    assert res["mean_score"] == pytest.approx(r.enterprises.iloc[:3]["score"].mean())


@pytest.mark.parametrize("plan_id,tier,name", [("chongqing-manufacturing-2021-2025", "national_zone", "国家级开发区"),
                                               ("chongqing-manufacturing-2023-2027", "national_zone", "national_zone")])
def test_the_embedded_plans_tiers(plan_id, tier, name):
    from zhizao.plan.load import embedded_plan_path, load_plan

    plan = load_plan(embedded_plan_path(plan_id))
    assert parks.tier_names(plan, tier)[0] == name
