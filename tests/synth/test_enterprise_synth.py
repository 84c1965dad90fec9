"""The synthetic enterprise default (zhizao.synth.enterprises): contract frames, valid codes, one registry
shared with the monitoring and chain synthetic data, tags without overlapping spells, parks from the plan's
tiers, calibration, and the deliberate cases (checked on their raw conditions: the classes need the
analytics) — on the embedded plan, the 2023—2027 plan, the fictional test plan and a fictional plan with
districts and a park system built here."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhizao import labels
from zhizao.codes.uscc import valid_mask
from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import FRAMES, LEVELS, SIZES, TAGS, empty_frame
from zhizao.plan.load import load_plan
from zhizao.plan.spec import Plan
from zhizao.synth import enterprises as E
from zhizao.synth.chains import default_chain_data
from zhizao.synth.enterprises import default_enterprise_data, generate_enterprise_data

ROOT = Path(__file__).resolve().parents[2]
PLAN_2327 = ROOT / "zhizao/resources/plans/chongqing-manufacturing-2023-2027.yaml"
FICTIONAL = ROOT / "tests/assets/fictional-plan.yaml"


@pytest.fixture(scope="module")
def embedded():
    plan = load_plan(None)
    return plan, generate_enterprise_data(plan)


@pytest.fixture(scope="module")
def plan2327():
    plan = load_plan(PLAN_2327)
    return plan, generate_enterprise_data(plan)


def _fictional_with_parks(n_districts: int = 4) -> Plan:
    """The fictional plan with districts 990101… and a two-tier park system (fictional names)."""
    d = load_plan(FICTIONAL).model_dump(mode="json", exclude_none=True)
    d["regions"]["districts"] = [{"code": f"9901{i:02d}", "name": f"虚构区{i}"} for i in range(1, n_districts + 1)]
    d["park_system"] = {"name": "“1+3”园区体系（虚构）", "section": "四", "tiers": [
        {"id": "core_zone", "name": "核心区", "count": 1}, {"id": "town_park", "name": "镇级园区", "count": 3}]}
    return Plan.model_validate(d)


@pytest.fixture(scope="module")
def parks_plan():
    plan = _fictional_with_parks()
    return plan, generate_enterprise_data(plan)


def _held(tags: pd.DataFrame, tag: str, date: str, level: str | None = None) -> set:
    t = tags[(tags["tag"] == tag) & (tags["acquired"] <= date) & ((tags["lost"] == "") | (date < tags["lost"]))]
    if level is not None:
        t = t[t["level"] == level]
    return set(t["enterprise_id"])


def _intensity_yoy(green: pd.DataFrame, area: str, what: str = "energy") -> pd.Series:
    g = green[green["area"] == area].set_index("year").sort_index()
    real = (1 + g["va_real_growth"] / 100).cumprod()  # value added at constant prices, up to a factor
    inten = g[what] / (g["value_added"].iloc[0] * real / real.iloc[0])
    return (inten / inten.shift(1) - 1) * 100


def _invariants(plan: Plan, data) -> None:
    assert data.synthetic is True and data.batch_id is None
    for f in FRAMES:
        frame = data.frame(f)
        expected = empty_frame(f)
        assert list(frame.columns) == list(expected.columns), f
        assert frame.dtypes.astype(str).tolist() == expected.dtypes.astype(str).tolist(), f
    r, t = data.registry, data.tags
    assert r["enterprise_id"].is_unique and r["name"].is_unique
    assert valid_mask(r["enterprise_id"]).all()
    codes = {d.code for d in plan.regions.districts} or {plan.regions.whole_code}
    assert set(r["district"]) <= codes
    assert (r["enterprise_id"].str[2:8] == r["district"]).all()  # the code's region part is the district
    assert set(r["size"]) <= set(SIZES) | {""}
    assert r["industry_class"].str.fullmatch(r"\d{3,4}").all()
    assert set(r["park"]) - {""} <= set(data.parks["park_id"])
    assert set(t["tag"]) <= set(TAGS) and set(t["level"]) <= set(LEVELS)
    assert set(t["enterprise_id"]) <= set(r["enterprise_id"])
    assert set(data.annual["enterprise_id"]) <= set(r["enterprise_id"])
    assert set(data.srdi["enterprise_id"]) <= set(r["enterprise_id"])
    assert not data.annual.duplicated(["enterprise_id", "year"]).any()
    assert t["acquired"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert ((t["lost"] == "") | (t["lost"] > t["acquired"])).all()
    # spells of one (enterprise, tag, level) never overlap
    s = t.sort_values(["enterprise_id", "tag", "level", "acquired"])
    nxt = s.groupby(["enterprise_id", "tag", "level"])["acquired"].shift(-1)
    assert not (nxt.notna() & ((s["lost"] == "") | (s["lost"] > nxt))).any()
    amounts = data.annual.drop(columns=["enterprise_id", "year", "net_profit"])  # a loss is negative
    assert (amounts.fillna(0) >= 0).all().all()
    g = data.green
    assert set(g["area"]) == codes | {plan.regions.whole_code}
    assert (g[["energy", "water", "value_added"]] > 0).all().all()


# --- the contract, on every plan ----------------------------------------------------------------------------

def test_embedded_plan_frames_follow_the_contract(embedded):
    plan, data = embedded
    _invariants(plan, data)
    assert data.source == "合成数据（演示用）：zhizao synth enterprises, seed 0"
    assert data.as_of == "2024-12-31"
    assert sorted(data.annual["year"].unique()) == [2022, 2023, 2024]


def test_the_2023_2027_plan_and_the_fictional_plan_work(plan2327):
    plan, data = plan2327
    _invariants(plan, data)
    assert data.parks.empty and (data.registry["park"] == "").all()  # this plan names no park system
    fict = load_plan(FICTIONAL)
    d = generate_enterprise_data(fict)
    _invariants(fict, d)
    assert set(d.registry["district"]) == {"990100"}  # no districts: the whole area
    assert set(d.green["area"]) == {"990100"}
    assert d.parks.empty


def test_a_plan_without_regions_gets_labelled_empty_frames():
    d = load_plan(FICTIONAL).model_dump(mode="json", exclude_none=True)
    d.pop("regions")
    d.pop("chains", None)
    data = generate_enterprise_data(Plan.model_validate(d))
    assert data.synthetic and data.is_empty and "seed 0" in data.source


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n=st.integers(1, 400), n_districts=st.integers(1, 5))
@example(seed=184123697, n=12, n_districts=5)  # districts without an above-scale enterprise: no zero green rows
def test_invariants_hold_for_any_seed_and_size(seed, n, n_districts):
    plan = _fictional_with_parks(n_districts)
    data = generate_enterprise_data(plan, seed=seed, n_enterprises=n, years=[2021, 2022])
    _invariants(plan, data)
    assert len(data.registry) == n
    assert data.as_of == "2022-12-31"


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(parks_plan):
    plan, data = parks_plan
    again = generate_enterprise_data(plan)
    for f in FRAMES:
        pd.testing.assert_frame_equal(data.frame(f), again.frame(f))
    other = generate_enterprise_data(plan, seed=1)
    assert set(other.registry["enterprise_id"]).isdisjoint(data.registry["enterprise_id"])


def test_default_is_cached_per_plan_and_hands_out_copies(parks_plan):
    plan, data = parks_plan
    a = default_enterprise_data(plan)
    a.registry.loc[0, "name"] = "改掉"
    b = default_enterprise_data(plan)
    pd.testing.assert_frame_equal(b.registry, data.registry)
    assert b.source == data.source and b.synthetic


def test_bad_arguments_are_refused_in_both_languages(parks_plan):
    plan, _ = parks_plan
    for kwargs in ({"n_enterprises": 0}, {"years": [1800]}):
        with pytest.raises(UserError) as e:
            generate_enterprise_data(plan, **kwargs)
        assert e.value.args  # a message, not a traceback


# --- one registry with the monitoring and chain synthetic data -------------------------------------------------

def test_monitoring_enterprises_keep_their_codes_names_and_revenue(embedded):
    plan, data = embedded
    ents, yearly = E._monitoring(0)
    codes = {d.code for d in plan.regions.districts}
    active = yearly[yearly["year"].between(2022, 2024)]["enterprise_id"].unique()
    mon = ents[ents["enterprise_id"].isin(active) & ents["district"].isin(codes)]
    reg = data.registry.set_index("enterprise_id")
    assert set(mon["credit_code"]) <= set(reg.index)
    assert (reg.loc[mon["credit_code"], "name"].to_numpy() == mon["name"].to_numpy()).all()
    one = mon.iloc[0]
    y = yearly[(yearly["enterprise_id"] == one["enterprise_id"]) & (yearly["year"] == 2023)]
    a = data.annual[(data.annual["enterprise_id"] == one["credit_code"]) & (data.annual["year"] == 2023)]
    if len(y):
        assert a["revenue"].iloc[0] == pytest.approx(y["revenue"].iloc[0], rel=1e-6)


def test_chain_enterprises_are_in_the_registry_and_their_leaders_tagged(embedded):
    plan, data = embedded
    chain = default_chain_data(plan)
    codes = {d.code for d in plan.regions.districts}
    local = chain.enterprises[chain.enterprises["district"].isin(codes)]
    reg = data.registry.set_index("enterprise_id")
    assert set(local["enterprise_id"]) <= set(reg.index)
    assert (reg.loc[local["enterprise_id"], "name"].to_numpy() == local["name"].to_numpy()).all()
    leaders = set(chain.members.loc[chain.members["role"] == "leader", "enterprise_id"]) & set(local["enterprise_id"])
    assert leaders and leaders <= _held(data.tags, "chain_leader", "2024-12-31")
    # chain and monitoring names never meet (合成企业C000001 vs 合成企业000001)
    ents, _ = E._monitoring(0)
    assert set(chain.enterprises["name"]).isdisjoint(ents["name"])


# --- parks -----------------------------------------------------------------------------------------------------

def test_parks_follow_the_plans_tiers(embedded, parks_plan):
    for plan, data in (embedded, parks_plan):
        p = data.parks
        counts = p["tier"].value_counts().to_dict()
        assert counts == {t.id: min(t.count, E.MAX_PARKS_PER_TIER) for t in plan.park_system.tiers}
        assert p["park_id"].is_unique and p["name"].str.startswith("合成园区").all()
        codes = {d.code for d in plan.regions.districts}
        assert all(set(ds.split(";")) <= codes for ds in p["districts"])
        assert (data.registry["park"] != "").any()


def _park_actuals(data, year: int) -> pd.DataFrame:
    a = data.annual[data.annual["year"] == year].merge(data.registry[["enterprise_id", "park"]], on="enterprise_id")
    a = a[(a["park"] != "") & a["land_area"].notna()]
    s = a.groupby("park")[["revenue", "tax", "investment", "land_area"]].sum()
    return pd.DataFrame({"output_per_mu": s["revenue"] / s["land_area"], "tax_per_mu": s["tax"] / s["land_area"]})


def test_some_parks_fall_short_of_their_land_use_targets_and_some_meet_them(embedded):
    _, data = embedded
    act = _park_actuals(data, 2024).join(data.parks.set_index("park_id"), how="inner")
    short = act["output_per_mu"] < act["target_output_per_mu"]
    assert short.any() and (~short).any()
    assert (act.loc[short, "tax_per_mu"] < act.loc[short, "target_tax_per_mu"]).any()
    assert (data.parks["area"] > 0).all()


# --- tags and calibration --------------------------------------------------------------------------------------

def test_2023_2027_targets_set_the_orders_of_magnitude_of_the_tag_counts(plan2327):
    plan, data = plan2327
    t = data.tags
    stock = len(_held(t, "srdi_sme", "2024-12-31"))
    assert 0.8 * E.STOCK_SHARE_OF_TARGET * 5000 <= stock <= E.STOCK_SHARE_OF_TARGET * 5000
    assert len(_held(t, "srdi_sme", "2022-12-31")) < stock  # the stock grows
    lg = t[(t["tag"] == "little_giant") & (t["level"] == "national")]
    first = lg.groupby("enterprise_id")["acquired"].min().str[:4].astype(int)
    assert 10 <= (first == 2024).sum() <= 60  # 120 new in 2024—2027: about 30 a year
    # a little giant holds the 专精特新 title too
    assert set(lg["enterprise_id"]) <= set(t.loc[t["tag"] == "srdi_sme", "enterprise_id"])
    assert len(_held(t, "single_champion", "2024-12-31")) >= 1
    assert (t["lost"] != "").any()  # history: some titles lapsed


def test_rd_intensity_of_above_scale_firms_is_calibrated(embedded):
    _, data = embedded
    a = data.annual[(data.annual["year"] == 2022) & (data.annual["revenue"] >= 2000)]
    assert a["rd_expense"].sum() / a["revenue"].sum() * 100 == pytest.approx(E.RD_INTENSITY_ABOVE_SCALE, rel=0.05)
    above = _held(data.tags, "above_scale", "2020-12-31")
    assert 6000 <= len(above) <= 9000  # the plan: 规上工业企业超过6800家 (2020)


def test_muju_items_centre_on_the_huangyan_benchmarks(embedded):
    """Medians at the 黄岩 2022 benchmarks and each group's aggregate (the evaluation's benchmark) near its
    median, so that the median firm scores about each item's weight (docs/synthetic-data.md)."""
    _, data = embedded
    a = data.annual[(data.annual["year"] == 2024) & (data.annual["land_area"] > 0)]
    above, below = a[a["revenue"] >= 2000], a[a["revenue"] < 2000]
    for g, num, den, target in ((above, "value_added", "land_area", E.VA_PER_MU),
                                (above, "tax", "land_area", E.TAX_PER_MU_ABOVE),
                                (below, "tax", "land_area", E.TAX_PER_MU_BELOW),
                                (above, "value_added", "energy", E.VA_PER_TCE),
                                (above, "value_added", "emissions", E.VA_PER_EMISSION)):
        ok = g[num].notna() & (g[den] > 0)
        median = (g.loc[ok, num] / g.loc[ok, den]).median()
        aggregate = g.loc[ok, num].sum() / g.loc[ok, den].sum()
        assert median == pytest.approx(target, rel=0.05), (num, den)
        assert aggregate == pytest.approx(median, rel=0.15), (num, den)  # the deliberate cases move it a little
    # electricity stays within energy (1.229 tce per 万千瓦时; its share at most 95 %, figures rounded)
    assert (a["electricity"] * 1.229 <= a["energy"] * 0.951).all()


# --- the deliberate cases -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["embedded", "parks_plan"])
def test_backward_capacity_and_d_class_material_is_present(which, request):
    _, data = request.getfixturevalue(which)
    a = data.annual[data.annual["year"] == data.annual["year"].max()].merge(
        data.registry[["enterprise_id", "industry_class"]], on="enterprise_id")
    ratio = a["energy"] / a["value_added"]
    med = ratio.groupby(a["industry_class"].str[:3]).transform("median")
    assert (ratio > 3 * med).sum() >= 1
    for col in ("env_violations", "quality_failures", "safety_violations"):
        assert (a[col] >= 1).sum() >= 3
    assert (a["obsolete_equipment"] == 1).sum() >= 3
    per_mu = a["value_added"] / a["land_area"]
    assert (per_mu < 0.2 * per_mu.median()).any()  # land far beyond what the output needs
    assert a["land_area"].isna().any() and a["emissions"].isna().any()  # gaps the evaluation must handle


@pytest.mark.parametrize("which", ["embedded", "parks_plan"])
def test_near_miss_srdi_candidates_in_every_district(which, request):
    plan, data = request.getfixturevalue(which)
    last = int(data.annual["year"].max())
    holders = _held(data.tags, "srdi_sme", f"{last}-12-31")
    a = data.annual[data.annual["year"] == last].merge(data.registry, on="enterprise_id")
    s = data.srdi[data.srdi["year"] == last]
    a = a.merge(s, on=["enterprise_id", "year"])
    eligible = (a["size"].isin(["small", "medium", "micro", ""]) & ~a["enterprise_id"].isin(holders)
                & (a["niche_years"] >= 2) & (a["rd_expense"] >= 100) & (a["rd_expense"] >= 0.03 * a["revenue"])
                & (a["revenue"] >= 1000))
    assert set(a.loc[eligible, "district"]) == {d.code for d in plan.regions.districts}


def test_a_district_energy_intensity_rose_while_the_whole_area_fell(embedded, parks_plan):
    for plan, data in (embedded, parks_plan):
        rises = {d.code: _intensity_yoy(data.green, d.code).iloc[-1] for d in plan.regions.districts}
        assert max(rises.values()) >= E.RISE_PCT - 0.5
        whole = _intensity_yoy(data.green, plan.regions.whole_code)
        assert whole.iloc[-1] < max(rises.values())


def test_green_table_covers_the_base_year_and_sums_districts(embedded):
    plan, data = embedded
    g = data.green
    years = sorted(g["year"].unique())
    assert plan.plan.base_year in years and len(years) >= 6 and years[-1] == 2024
    whole = g[g["area"] == plan.regions.whole_code].set_index("year")["energy"]
    parts = g[g["area"] != plan.regions.whole_code].groupby("year")["energy"].sum()
    np.testing.assert_allclose(whole.to_numpy(), parts.to_numpy(), rtol=1e-6)
    # the registry's above-scale energy is the district table's in the generated years (万吨 = 10,000 t)
    a = data.annual[(data.annual["year"] == 2023) & (data.annual["revenue"] >= 2000)]
    assert whole[2023] == pytest.approx(a["energy"].sum() / 1e4, rel=1e-4)


def test_the_fictional_plan_without_districts_rises_as_a_whole():
    plan = load_plan(FICTIONAL)
    data = generate_enterprise_data(plan)
    assert _intensity_yoy(data.green, "990100").iloc[-1] >= E.RISE_PCT - 0.5


# --- labels ---------------------------------------------------------------------------------------------------------

def test_synthetic_labels_in_both_languages():
    zh, en = labels.UI["ent_synthetic"]
    assert "合成数据" in zh and "SYNTHETIC" in en
    zh, en = labels.UI["ent_synthetic_basis"]
    assert "docs/synthetic-data.md" in zh and "docs/synthetic-data.md" in en
