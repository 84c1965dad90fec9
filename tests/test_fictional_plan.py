"""A fictional second plan loads, imports and assesses: nothing is Chongqing-specific."""
import math
from pathlib import Path

import pytest

import zhizao.api as zz

ASSETS = Path(__file__).parent / "assets"


@pytest.fixture()
def result(tmp_path):
    plan = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp_path / "f.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    out = zz.assess(plan, db=db, year=2024)
    return {i["id"]: i for i in out["indicators"]}, out


def test_no_bundled_data_for_other_plans(result):
    _, out = result
    assert out["plan"]["id"] == "riverton-industry-2023-2027"


def test_qualified_level(result):
    ind, _ = result
    o = ind["output"]
    assert o["qualifier"] == "more_than" and o["actual"] == 1200
    assert o["status"] == "ahead" and not o["status_definite"] and o["status_if_high"] == "achieved"
    assert math.isclose(o["growth_ratio"], (1.2 ** 0.5 - 1) / (1.5 ** 0.2 - 1), rel_tol=1e-9)


def test_constant_price_chains_real_growth_and_ignores_current_price_level(result):
    ind, _ = result
    va = ind["value_added"]
    assert math.isclose(va["actual"], 300 * 1.06 * 1.05, rel_tol=1e-9)
    assert va["status"] == "behind"  # a current-price 390 would have looked 90 % complete
    assert va["actual_derivation"]["formula"].startswith("基期值")
    assert len(va["sources"]) == 2
    cur = [e for e in va["other_evidence"] if e["value"] == 390]
    assert cur and "不变价" in cur[0]["reason"]


def test_final_beats_preliminary_and_both_are_shown(result):
    ind, _ = result
    h = ind["hightech_share"]
    assert h["actual"] == 22.5 and h["actual_observation_status"] == "final"
    assert [c["value"] for c in h["conflicts"]] == [23.1]
    assert h["status"] == "ahead"


def test_derived_ratio_converts_units_and_carries_both_sources(result):
    ind, _ = result
    m = ind["margin"]
    assert math.isclose(m["actual"], 6.0, rel_tol=1e-12)  # 660000万元 = 66亿元; 66/1100
    assert m["status"] != "achieved"  # the target is > 6, and 6 is not more than 6
    assert {s["role"] for s in m["sources"]} == {"numerator", "denominator"}
    assert m["actual_derivation"]["inputs"][0]["unit"] == "亿元"


def test_cumulative_decrease_from_annual_changes(result):
    ind, _ = result
    e = ind["energy_intensity"]
    assert math.isclose(e["actual"], (0.96 * 0.97 - 1) * 100, rel_tol=1e-9)
    assert e["status"] == "on_track" and e["binding"] and not e["binding_alert"]


def test_grade_d_alone_never_decides(result):
    ind, _ = result
    p = ind["parks"]
    assert p["status"] == "no_comparable_data"
    assert p["other_evidence"] and p["other_evidence"][0]["grade"] == "D"


def test_store_for_another_plan_holds_only_its_own_data(tmp_path):
    plan = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp_path / "own.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    with zz.open_store(db, plan) as store:
        kinds = set(store.batches()["kind"])
    assert kinds == {"links", "import"}  # the bundled Chongqing data is loaded only for the embedded plan
    assert len(zz.observations(db)) == 12
