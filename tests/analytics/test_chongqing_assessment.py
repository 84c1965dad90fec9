"""The embedded default on its bundled real data: statuses follow the data's semantics."""
import math

import pytest

import zhizao.api as zz


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    db = tmp_path_factory.mktemp("cq") / "cq.duckdb"
    return zz.assess(db=db)


@pytest.fixture(scope="module")
def by_id(result):
    return {i["id"]: i for i in result["indicators"]}


def test_all_twenty_indicators_with_a_status(result):
    assert len(result["indicators"]) == 20
    allowed = {"achieved", "ahead", "on_track", "behind", "seriously_behind", "no_comparable_data"}
    assert all(i["status"] in allowed and i["status_label"] for i in result["indicators"])
    assert sum(result["summary"]["counts"].values()) == 20


def test_sei_share_shows_value_added_share_as_different_definition(by_id):
    s = by_id["sei_output_share"]
    assert s["status"] == "no_comparable_data" and s["actual"] is None
    labelled = [e for e in s["other_evidence"] if e["comparability"] == "different_definition"]
    assert {e["value"] for e in labelled} >= {28.9, 31.1, 32.2}
    assert all(e["comparability_label"] == "口径不同" for e in labelled)


def test_no_data_says_so(by_id):
    # Was labour_productivity, which now has data (below); enterprise_led_platforms has only proxies.
    ep = by_id["enterprise_led_platforms"]
    assert ep["status"] == "no_comparable_data" and ep["reason"] and ep["actual"] is None


def test_labour_productivity_from_official_csv(by_id):
    # New data (issue 9): 2021 全员劳动生产率 41.9 万元/人·年, official.csv row 71 (市委宣传部发布会, grade C),
    # above the 2025 target of 40 → achieved (was no_comparable_data).
    lp = by_id["labour_productivity"]
    assert lp["status"] == "achieved" and lp["actual"] == 41.9


def test_industrial_va_share_derived_from_new_rows(by_id):
    # New data (issue 9): 2022 工业增加值 8276 (annual.csv / official.csv row 29) ÷ 地区生产总值 28771.8
    # (五经普修订后, official.csv row 24 / yearbook_datasets.csv) = 28.76 % → on_track (was no_comparable_data).
    s = by_id["industrial_va_share_of_gdp"]
    assert s["actual_derivation"] and math.isclose(s["actual"], 8276 / 28771.8 * 100, rel_tol=1e-9)
    assert s["status"] == "on_track"


def test_baseline_rebased_on_yearbook_final_figure(by_id):
    rd = by_id["rd_expenditure"]
    assert rd["baseline"]["rebased"] and rd["baseline"]["printed_value"] == 370
    assert math.isclose(rd["baseline"]["value"], 372.56095, rel_tol=1e-9)  # 3,725,609.5 万元
    # a rounded 2.27万 must not replace the printed 22655
    assert by_id["industrial_output_above_scale"]["baseline"]["rebased"] is False


def test_derived_ratio_states_its_inputs(by_id):
    pm = by_id["profit_margin"]
    assert pm["actual_derivation"] and len(pm["sources"]) == 2
    assert math.isclose(pm["actual"], 1877.55 / 27118.94 * 100, rel_tol=1e-9)
    assert pm["status"] == "achieved"  # 6.92 % > 6


def test_qualified_value_is_not_definite(by_id):
    o = by_id["industrial_output_above_scale"]
    assert o["qualifier"] == "more_than" and not o["status_definite"]


def test_constant_price_target_never_uses_current_price_levels(by_id):
    va = by_id["industrial_value_added"]
    assert va["status"] == "no_comparable_data"
    reasons = " ".join(e["reason"] or "" for e in va["other_evidence"])
    assert "不变价" in reasons or "grade" in reasons
    assert any(e["transform"] == "chain_real_growth" and e["comparability"] == "proxy" for e in va["other_evidence"])


def test_binding_indicators_flagged(result, by_id):
    for i in ("energy_intensity_reduction", "water_intensity_reduction"):
        assert by_id[i]["binding"] and by_id[i]["binding_alert"]
    assert set(result["summary"]["binding_behind"]) >= {"energy_intensity_reduction", "water_intensity_reduction"}


def test_preliminary_and_final_conflict_both_kept(by_id):
    sw = by_id["software_revenue"]
    assert sw["actual"] == 2705 and sw["data_year"] == 2022
    assert 2750 in {c["value"] for c in sw["conflicts"]}  # the 预计 figure stays visible


def test_every_status_carries_its_inputs(by_id):
    for i in by_id.values():
        if i["status"] != "no_comparable_data":
            assert i["sources"] and i["data_year"] and i["planned"] is not None
            assert i["growth_ratio"] is not None and i["method"]
