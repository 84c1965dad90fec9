"""亩均效益 evaluation on hand-built data whose answers are worked out by hand (docs/enterprises.md)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ana1_helpers import data, firm
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from zhizao.analytics.enterprises import muju
from zhizao.errors import UserError
from zhizao.settings import Settings

S = Settings()


def five_firms(**change):
    """Five above-scale firms on 10 亩 each, 10 employees, revenue 10,000 万元:
    tax 10/20/30/40/50 (亩均税收 1–5, benchmark 150/50 = 3 → 10/20/30/40/50 points of 30);
    value added 100/100/100/100/600 (亩均增加值 10,10,10,10,60; benchmark 1000/50 = 20 → 10,10,10,10,60 of 20);
    energy 100 each (VA/energy 1,1,1,1,6; benchmark 1000/500 = 2 → 10,10,10,10,60 — capped at 40 by default);
    emissions 10 each (VA/emission 10..60; benchmark 20 → 5,5,5,5,30 of 10 — capped at 20);
    labour productivity 10..60 (benchmark 20 → 5,5,5,5,30 — capped at 20);
    R&D 300 each = 3 % of revenue (benchmark 3 % → 10 each)."""
    rows = []
    for i, (tax, va) in enumerate(zip([10, 20, 30, 40, 50], [100, 100, 100, 100, 600]), start=1):
        m = dict(land_area=10.0, revenue=10000.0, tax=float(tax), value_added=float(va), energy=100.0,
                 emissions=10.0, employees=10.0, rd_expense=300.0, electricity=100.0)
        m.update(change.get(f"E{i}", {}))
        rows.append(firm(f"E{i}", **m))
    return rows


def by_id(result):
    return result.enterprises.set_index("enterprise_id")


def test_huangyan_formula_by_hand_with_the_default_cap():
    e = by_id(muju.evaluate(data(five_firms()), 2024, S))
    assert list(e["pts_tax_per_mu"]) == pytest.approx([10, 20, 30, 40, 50])
    assert list(e["pts_va_per_mu"]) == pytest.approx([10, 10, 10, 10, 40])  # 60 capped at 2 × 20
    assert list(e["pts_va_per_energy"]) == pytest.approx([10, 10, 10, 10, 40])
    assert list(e["pts_va_per_emission"]) == pytest.approx([5, 5, 5, 5, 20])
    assert list(e["pts_labour_productivity"]) == pytest.approx([5, 5, 5, 5, 20])
    assert list(e["pts_rd_intensity"]) == pytest.approx([10, 10, 10, 10, 10])
    assert list(e["score"]) == pytest.approx([50, 60, 70, 80, 180])
    assert list(e["rank"]) == [5, 4, 3, 2, 1]
    # 5 firms, shares 20/45/30/5: A up to round(1) = 1, B up to round(3.25) = 3, C up to round(4.75) = 5
    assert list(e["klass"]) == ["C", "C", "B", "B", "A"]
    assert e["pts_tax_per_kwh"].isna().all()  # not an item of the above-scale scheme
    assert set(e["group"]) == {"above"}


def test_benchmarks_are_the_groups_aggregates():
    b = muju.evaluate(data(five_firms()), 2024, S).benchmarks.set_index(["group", "item"])
    assert b.loc[("above", "tax_per_mu"), "benchmark"] == pytest.approx(3.0)
    assert b.loc[("above", "va_per_energy"), "benchmark"] == pytest.approx(2.0)
    assert b.loc[("above", "rd_intensity"), "benchmark"] == pytest.approx(3.0)  # %
    assert b.loc[("above", "va_per_mu"), "cap"] == pytest.approx(40.0)
    assert b.loc[("above", "tax_per_mu"), "weight"] == 30.0
    assert set(b.index.get_level_values("group")) == {"above", "below"}


def test_no_cap_and_other_weights():
    s = Settings({"muju_item_cap": 0, "muju_weight_tax_per_mu": 40, "muju_weight_rd_intensity": 0})
    e = by_id(muju.evaluate(data(five_firms()), 2024, s))
    assert e.loc["E5", "pts_va_per_mu"] == pytest.approx(60.0)
    assert e.loc["E5", "pts_tax_per_mu"] == pytest.approx(5 / 3 * 40)
    assert e.loc["E1", "pts_rd_intensity"] == 0.0
    assert e.loc["E5", "score"] == pytest.approx(5 / 3 * 40 + 60 + 60 + 30 + 30)


def test_item_cap_limits_one_outlier():
    # E5 pays 1,000 of tax: 亩均税收 100 against a benchmark 1,100/50 = 22 → 136 points, capped at 60
    e = by_id(muju.evaluate(data(five_firms(E5={"tax": 1000.0})), 2024, S))
    assert e.loc["E5", "pts_tax_per_mu"] == pytest.approx(60.0)
    assert e.loc["E1", "pts_tax_per_mu"] == pytest.approx(1 / 22 * 30)


def test_missing_emissions_get_the_groups_average_points():
    e = by_id(muju.evaluate(data(five_firms(E3={"emissions": np.nan})), 2024, S))
    # the other four: VA/emission 10,10,10,60 against Σ900/Σ40 = 22.5 → 4.44 ×3 and 26.7 capped at 20
    others = [10 / 22.5 * 10] * 3 + [20.0]
    assert e.loc["E3", "pts_va_per_emission"] == pytest.approx(sum(others) / 4)
    assert e.loc["E3", "imputed"] == ("va_per_emission",)
    assert e.loc["E1", "imputed"] == ()
    assert "单位排放增加值缺数据，按本组平均分计" in e.loc["E3", "reasons_zh"]
    assert "no figure for value added per unit of emissions" in e.loc["E3", "reasons_en"]
    b = muju.evaluate(data(five_firms(E3={"emissions": np.nan})), 2024, S).benchmarks.set_index(["group", "item"])
    assert b.loc[("above", "va_per_emission"), "n"] == 4


def test_zero_energy_is_no_figure_not_infinity():
    e = by_id(muju.evaluate(data(five_firms(E2={"energy": 0.0})), 2024, S))
    assert math.isnan(e.loc["E2", "va_per_energy"])
    assert e.loc["E2", "imputed"] == ("va_per_energy",)
    assert np.isfinite(e["score"]).all()


def test_below_scale_formula():
    # three firms under 2,000 万元 of revenue: tax 10/20/60 on 10 亩, electricity 100/100/100 万千瓦时
    # 亩均税收 1,2,6 (benchmark 90/30 = 3) → 16.7, 33.3, 100 (cap 100); tax per kWh 0.1,0.2,0.6 (benchmark 0.3) → same
    firms = [firm(f"S{i}", land_area=10.0, revenue=1500.0, tax=t, electricity=100.0) for i, t in
             enumerate([10.0, 20.0, 60.0], start=1)]
    e = by_id(muju.evaluate(data(firms), 2024, S))
    assert set(e["group"]) == {"below"}
    assert list(e["pts_tax_per_mu"]) == pytest.approx([50 / 3, 100 / 3, 100])
    assert list(e["pts_tax_per_kwh"]) == pytest.approx([50 / 3, 100 / 3, 100])
    assert list(e["score"]) == pytest.approx([100 / 3, 200 / 3, 200])
    assert e.loc["S3", "tax_per_kwh"] == pytest.approx(0.6)  # 万元/万千瓦时 = 元/千瓦时
    assert e["pts_va_per_mu"].isna().all()
    assert "规下企业第1名（共3家）" in e.loc["S3", "reasons_zh"]


def test_above_scale_threshold_is_the_setting():
    firms = [firm("X", land_area=1.0, revenue=2000.0, tax=1.0), firm("Y", land_area=1.0, revenue=1999.9, tax=1.0)]
    e = by_id(muju.evaluate(data(firms), 2024, S))
    assert (e.loc["X", "group"], e.loc["Y", "group"]) == ("above", "below")
    e = by_id(muju.evaluate(data(firms), 2024, Settings({"above_scale_revenue_min": 1000})))
    assert (e.loc["X", "group"], e.loc["Y", "group"]) == ("above", "above")


def test_enterprises_that_cannot_be_evaluated_say_why():
    firms = five_firms() + [firm("NOLAND", revenue=5000.0, tax=5.0), firm("ZERO", land_area=0.0, revenue=5000.0),
                            firm("NOREV", land_area=5.0, tax=5.0)]
    r = muju.evaluate(data(firms), 2024, S)
    e = by_id(r)
    for eid in ("NOLAND", "ZERO", "NOREV"):
        assert e.loc[eid, "klass"] == "" and math.isnan(e.loc[eid, "score"]) and pd.isna(e.loc[eid, "rank"])
    assert e.loc["NOLAND", "reasons_zh"].startswith("未评价：用地面积")
    assert e.loc["NOREV", "reasons_en"].startswith("not evaluated: revenue missing")
    assert e.loc["NOREV", "group"] == ""
    # they do not move the benchmarks: still 3 for 亩均税收
    assert r.benchmarks.set_index(["group", "item"]).loc[("above", "tax_per_mu"), "benchmark"] == pytest.approx(3.0)


def test_only_registry_enterprises_with_figures_in_the_year():
    firms = five_firms()
    other_year = firm("E1", year=2023, land_area=10.0, revenue=10000.0, tax=99.0)[1]
    unregistered = firm("GHOST", land_area=10.0, revenue=10000.0, tax=10.0)[1]
    d = data(firms, extra_annual=[other_year, unregistered])
    ind = muju.muju_indicators(d, 2024, S)
    assert sorted(ind["enterprise_id"]) == ["E1", "E2", "E3", "E4", "E5"]
    assert list(ind.columns[:14]) == ["enterprise_id", "name", "district", "park", "industry_class", "group",
                                      "land_area", "tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission",
                                      "labour_productivity", "rd_intensity", "tax_per_kwh"]
    assert muju.evaluate(d, 2023, S).enterprises["enterprise_id"].tolist() == ["E1"]
    assert muju.evaluate(d, 2030, S).enterprises.empty


def twenty(taxes):
    return [firm(f"F{i:02d}", land_area=1.0, revenue=1000.0, tax=float(t), electricity=1.0)
            for i, t in enumerate(taxes)]


def test_class_shares_and_ties_share_the_better_class():
    # 20 below-scale firms with distinct taxes: A = 4, B = 9 (cumulative 13), C = 6 (19), D = 1
    r = muju.evaluate(data(twenty(range(20, 0, -1))), 2024, S)
    c = r.classes.query("group == 'below'").set_index("klass")["n"]
    assert c.to_dict() == {"A": 4, "B": 9, "C": 6, "D": 1}
    assert r.classes.query("group == 'below'")["share"].tolist() == pytest.approx([0.2, 0.45, 0.3, 0.05])
    # the 4th and 5th tie: both are A (rank 4), so A has 5 and B 8
    taxes = [20, 19, 18, 17, 17] + list(range(15, 0, -1))
    e = by_id(muju.evaluate(data(twenty(taxes)), 2024, S))
    assert list(e.loc[["F03", "F04"], "rank"]) == [4, 4]
    assert list(e.loc[["F03", "F04"], "klass"]) == ["A", "A"]
    assert (e["klass"] == "A").sum() == 5 and (e["klass"] == "B").sum() == 8


def test_share_settings_move_the_cuts():
    s = Settings({"muju_share_a": 10, "muju_share_b": 40, "muju_share_c": 30, "muju_share_d": 20})
    c = muju.evaluate(data(twenty(range(20, 0, -1))), 2024, s).classes.query("group == 'below'")
    assert c.set_index("klass")["n"].to_dict() == {"A": 2, "B": 8, "C": 6, "D": 4}


def test_shares_not_summing_to_100_are_refused():
    with pytest.raises(UserError):
        Settings({"muju_share_a": 30})


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(taxes=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=40),
       shares=st.sampled_from([(20, 45, 30, 5), (25, 25, 25, 25), (0, 50, 50, 0), (10, 10, 10, 70), (100, 0, 0, 0)]))
def test_class_counts_respect_the_shares_for_any_scores(taxes, shares):
    s = Settings(dict(zip(("muju_share_a", "muju_share_b", "muju_share_c", "muju_share_d"), map(float, shares))))
    e = muju.evaluate(data(twenty(taxes)), 2024, s).enterprises
    n = len(e)
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    cum = np.cumsum(shares)
    k = [int(np.floor(n * c / 100 + 0.5)) for c in cum]
    got = e["klass"].map(order).to_numpy()
    for j in range(3):
        at_most = int((got <= j).sum())
        # ties lift a class boundary, never lower it; distinct scores meet the share exactly
        assert at_most >= k[j]
        if e["score"].nunique() == n:
            assert at_most == k[j]
    # a better score never has a worse class; equal scores share a class
    srt = e.sort_values("score", ascending=False)
    assert (np.diff(srt["klass"].map(order).to_numpy()) >= 0).all()
    assert (e.groupby("score")["klass"].nunique() == 1).all()


_MEASURE = st.floats(min_value=1.0, max_value=1000.0, allow_nan=False)


@hsettings(max_examples=40, deadline=None)
@given(base=st.lists(st.tuples(_MEASURE, _MEASURE, _MEASURE, _MEASURE), min_size=2, max_size=8),
       measure=st.sampled_from(["tax", "value_added", "rd_expense", "energy", "emissions", "employees"]),
       factor=st.floats(min_value=1.01, max_value=10.0), cap=st.sampled_from([0.0, 2.0]))
def test_score_is_monotone_in_each_indicator(base, measure, factor, cap):
    def build(scale_first):
        rows = []
        for i, (tax, va, energy, emis) in enumerate(base):
            m = dict(land_area=10.0, revenue=5000.0, tax=tax, value_added=va, energy=energy, emissions=emis,
                     employees=20.0, rd_expense=50.0, electricity=10.0)
            if i == 0:
                m[measure] *= scale_first
            rows.append(firm(f"M{i}", **m))
        return data(rows)
    s = Settings({"muju_item_cap": cap})
    before = muju.evaluate(build(1.0), 2024, s).enterprises.set_index("enterprise_id").loc["M0", "score"]
    after = muju.evaluate(build(factor), 2024, s).enterprises.set_index("enterprise_id").loc["M0", "score"]
    if measure in ("energy", "emissions", "employees"):  # denominators: more of them never raises the score
        assert after <= before + 1e-9
    else:
        assert after >= before - 1e-9


_MAYBE = st.one_of(st.just(np.nan), st.floats(min_value=0.0, max_value=1e5, allow_nan=False))


@hsettings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(_MAYBE, _MAYBE, _MAYBE, _MAYBE, _MAYBE, _MAYBE, _MAYBE), min_size=1, max_size=12))
def test_no_evaluated_enterprise_has_a_nan_score(rows):
    firms = [firm(f"N{i}", land_area=1.0 + i, revenue=rev, tax=tax, value_added=va, energy=en, emissions=em,
                  rd_expense=rd, electricity=el, employees=5.0)
             for i, (rev, tax, va, en, em, rd, el) in enumerate(rows)]
    e = muju.evaluate(data(firms), 2024, S).enterprises
    ev = e[e["klass"] != ""]
    assert np.isfinite(ev["score"]).all() and (ev["score"] >= 0).all()
    assert (ev["reasons_zh"] != "").all() and (e["reasons_en"] != "").all()
    assert set(ev["klass"]) <= set("ABCD")
    assert (e.loc[e["klass"] == "", "score"].isna()).all()


def test_price_list_for_classes_c_and_d():
    # 20 below-scale firms, one D (the lowest tax), six C; electricity 100 万千瓦时 each
    firms = [firm(f"F{i:02d}", land_area=1.0, revenue=1000.0, tax=float(t), electricity=100.0, water=5000.0)
             for i, t in enumerate(range(20, 0, -1))]
    d = data(firms)
    r = muju.evaluate(d, 2024, S)
    p = muju.price_list(r, d, S)
    assert list(p["klass"]) == ["D"] + ["C"] * 6
    assert p["enterprise_id"].iat[0] == "F19"
    row = p.set_index("enterprise_id").loc["F19"]
    assert row["surcharge_electricity"] == pytest.approx(0.15) and row["surcharge_water"] == 30.0
    assert row["extra_cost"] == pytest.approx(15.0)  # 100 万千瓦时 × 0.15 元 = 15 万元
    assert row["water"] == 5000.0
    c = p.set_index("enterprise_id").loc["F13"]
    assert c["extra_cost"] == pytest.approx(10.0) and c["surcharge_water"] == 15.0
    assert "加收15万元" in row["reasons_zh"] and "water +30%" in row["reasons_en"]
    p2 = muju.price_list(r, d, Settings({"muju_surcharge_electricity_d": 0.3}))
    assert p2.set_index("enterprise_id").loc["F19", "extra_cost"] == pytest.approx(30.0)


def test_summaries_are_sums_over_sums():
    firms = five_firms()
    firms[0][0]["district"] = firms[1][0]["district"] = "990102"
    firms[0][0]["park"] = "P1"
    firms[4][0]["industry_class"] = "2611"
    firms.append(firm("NOLAND", district="990102", revenue=5000.0))
    r = muju.evaluate(data(firms), 2024, S)
    by_d = muju.summarise(r, "district").set_index("district")
    # 990102: E1 (C) and E2 (C) on 20 亩 with tax 30 → 1.5; NOLAND is not evaluated
    assert by_d.loc["990102", ["n", "n_C", "n_not_evaluated"]].tolist() == [2, 2, 1]
    assert by_d.loc["990102", "tax_per_mu"] == pytest.approx(1.5)
    assert by_d.loc["990101", "share_ab"] == pytest.approx(1.0)
    assert by_d.loc["990101", "mean_score"] == pytest.approx((70 + 80 + 180) / 3)
    assert by_d.loc["990101", "va_per_mu"] == pytest.approx(800 / 30)
    by_p = muju.summarise(r, "park").set_index("park")
    assert by_p.loc["P1", "n"] == 1 and by_p.loc["", "n"] == 4
    by_i = muju.summarise(r, "industry").set_index("industry")
    assert sorted(by_i.index) == ["26", "36"] and by_i.loc["26", "n_A"] == 1
    with pytest.raises(UserError):
        muju.summarise(r, "province")


def test_class_changes_from_last_year():
    now = muju.evaluate(data(five_firms()), 2024, S)
    last = five_firms(E1={"tax": 45.0}, E5={"tax": 1.0, "value_added": 100.0})
    for _, a in last:
        a["year"] = 2023
    last = [f for f in last if f[0]["enterprise_id"] != "E4"] + [firm("OLD", year=2023, land_area=10.0,
                                                                        revenue=10000.0, tax=30.0)]
    before = muju.evaluate(data(last), 2023, S)
    ch = muju.class_changes(now, before).set_index("enterprise_id")
    kb = by_id(before)["klass"]
    assert ch.loc["E4", "change"] == "new" and ch.loc["E4", "klass_before"] == ""
    assert ch.loc["OLD", "change"] == "gone" and ch.loc["OLD", "klass_now"] == ""
    assert ch.loc["E1", "klass_before"] == kb["E1"] and ch.loc["E1", "klass_now"] == "C"
    assert ch.loc["E1", "change"] == "down" and kb["E1"] in ("A", "B")
    assert ch.loc["E5", "change"] == "up"
    assert ch.loc["E5", "score_change"] == pytest.approx(by_id(now).loc["E5", "score"] - by_id(before).loc["E5", "score"])
    assert "变化最大：亩均税收" in ch.loc["E1", "reasons_zh"]
    assert "moved most: tax per mu" in ch.loc["E5", "reasons_en"]
    assert list(ch.columns) == muju.CHANGE_COLUMNS[1:]


def test_fast_number_words_match_formatting():
    from zhizao import formatting

    values = [0, 1, 7, 999, 1000, 12345, 500000, 1234567]
    assert list(muju.fmt_int(np.array(values, dtype=float))) == [formatting.number(v, 0) for v in values]
    ones = [0.0, 0.04, 0.05, 1.25, 99.95, 170.0, 1999.94, 2500.55, 1e7]
    assert list(muju.fmt1(np.array(ones))) == [formatting.number(v, 1) for v in ones]


@hsettings(max_examples=200, deadline=None)
@given(v=st.floats(min_value=-10.0, max_value=3000.0, allow_nan=False))
def test_one_decimal_words_match_formatting_for_any_value(v):
    from zhizao import formatting

    assert muju.fmt1(np.array([v]))[0] == formatting.number(v, 1)
