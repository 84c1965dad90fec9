"""zhizao.api_enterprises: every frame says where its data came from; filters and years are checked with a
message; tags held follow the contract's rule; registry counts reach the assessment in the store's layout only
for imported data, never for the synthetic default."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zhizao import api
from zhizao import api_enterprises as ze
from zhizao.analytics.assessment import assess_plan
from zhizao.analytics.enterprises.data import EnterpriseData, empty_frame
from zhizao.errors import UserError
from zhizao.settings import Settings
from zhizao.store.store import Store

EMBEDDED = "chongqing-manufacturing-2021-2025"
CURRENT = "chongqing-manufacturing-2023-2027"  # registry-count targets, no park system
FICTIONAL = str(Path(__file__).parent / "assets" / "fictional-plan.yaml")


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)


CALLS = [
    lambda p: ze.enterprises(p), lambda p: ze.enterprise_tags(p), lambda p: ze.muju(p),
    lambda p: ze.muju(p, level="classes"), lambda p: ze.muju(p, level="benchmarks"), lambda p: ze.muju_prices(p),
    lambda p: ze.muju_summary("district", p), lambda p: ze.parks(p), lambda p: ze.srdi_candidates(p),
    lambda p: ze.backward_candidates(p), lambda p: ze.enterprise_counts("srdi_sme", None, p),
    lambda p: ze.green(p), lambda p: ze.green(p, level="intensity"), lambda p: ze.green(p, level="key_users"),
    lambda p: ze.enterprise_warnings(p),
]


@pytest.mark.parametrize("k", range(len(CALLS)))
def test_every_frame_labels_the_synthetic_default(k):
    df = CALLS[k](EMBEDDED)
    assert isinstance(df, pd.DataFrame)
    assert df.attrs["synthetic"] is True and df.attrs["source"]
    assert {"as_of", "batch_id"} <= set(df.attrs)


def test_district_park_and_tag_filters_keep_only_matching_rows():
    plan = api.resolve_plan(EMBEDDED, register=False)
    every = ze.enterprises(EMBEDDED)
    district = every["district"].value_counts().index[0]
    one = ze.enterprises(EMBEDDED, district=district)
    assert len(one) == (every["district"] == district).sum() and set(one["district"]) == {district}
    name = next(d.name for d in plan.regions.districts if d.code == district)
    assert len(ze.enterprises(EMBEDDED, district=name)) == len(one)  # a district named in words
    held = every[every["tags"].map(len) > 0]
    if len(held):
        tag = held["tags"].iloc[0][0]
        with_tag = ze.enterprises(EMBEDDED, tag=tag)
        assert len(with_tag) and all(tag in ts for ts in with_tag["tags"])
    parked = every[every["park"].astype(str) != ""]
    if len(parked):
        park = str(parked["park"].iloc[0])
        assert set(ze.enterprises(EMBEDDED, park=park)["park"]) == {park}


@pytest.mark.parametrize("kwargs,words", [({"district": "990199"}, "区县"), ({"tag": "unicorn"}, "标签"),
                                          ({"park": "no-such-park"}, "园区")])
def test_unknown_filters_are_user_errors_naming_what_to_give(kwargs, words):
    with pytest.raises(UserError) as e:
        ze.enterprises(EMBEDDED, **kwargs)
    assert words in e.value.reason_zh and e.value.reason_en


def test_tags_held_at_a_year_end_follow_the_contract_rule():
    data = ze.enterprise_data(plan=EMBEDDED)
    year = int(str(data.as_of or "2024")[:4]) - 1
    when = f"{year}-12-31"
    t = data.tags
    lost = t["lost"].fillna("").astype(str)
    held = t[(t["acquired"].astype(str) <= when) & ((lost == "") | (when < lost))]
    expected = held.groupby("enterprise_id")["tag"].agg(lambda s: sorted(set(s)))
    df = ze.enterprises(EMBEDDED, year=year)
    got = dict(zip(df["enterprise_id"], df["tags"].map(lambda ts: sorted(set(ts)))))  # one tag may be held at two levels
    for e, tags in expected.items():
        assert got[e] == tags
    assert sum(map(len, got.values())) == sum(map(len, expected))


def test_a_year_without_data_and_a_bad_choice_are_refused():
    with pytest.raises(UserError) as e:
        ze.muju(EMBEDDED, year=1990)
    assert "--year" in e.value.reason_zh
    with pytest.raises(UserError):
        ze.muju(EMBEDDED, level="districts")
    with pytest.raises(UserError):
        ze.green(EMBEDDED, level="sky")


def test_muju_classes_count_the_evaluated_enterprises():
    ent = ze.muju(EMBEDDED)
    classes = ze.muju(EMBEDDED, level="classes")
    assert ent.attrs["year"] == classes.attrs["year"]
    assert int(classes["n"].sum()) == int(ent["klass"].isin(list("ABCD")).sum())


def test_a_plan_without_park_system_or_green_targets_says_so():
    parks = ze.parks(FICTIONAL)
    assert parks.attrs["no_park_system"] is True
    assert ze.green(FICTIONAL).attrs["no_green_targets"] is True
    assert ze.green(EMBEDDED).attrs["no_green_targets"] is False


# --- the assessment ---------------------------------------------------------------------------------
def test_synthetic_data_never_feed_the_assessment():
    obs, links = ze.registry_assessment_inputs(CURRENT)
    assert obs.empty and links.empty
    store = Store(":memory:")
    assert list(obs.columns) == list(store.observations().columns)
    assert list(links.columns) == list(store.links().columns)


def _imported(plan) -> EnterpriseData:
    """Four enterprises: 专精特新 acquired 2023-05 / 2024-03 (lost 2024-06-01) / 2024-09; a national 小巨人
    first acquired in 2024 (new since the 2023 baseline) and one acquired in 2022 (not new)."""
    d = plan.regions.districts[0].code
    reg = pd.DataFrame([{"enterprise_id": f"E{i}", "name": f"企业{i}", "district": d, "park": "",
                         "industry_class": "3670", "size": "small", "established": ""} for i in range(4)])
    tags = pd.DataFrame([
        ("E0", "srdi_sme", "", "2023-05-01", ""), ("E1", "srdi_sme", "", "2024-03-01", "2024-06-01"),
        ("E2", "srdi_sme", "", "2024-09-01", ""), ("E0", "little_giant", "national", "2024-07-01", ""),
        ("E3", "little_giant", "national", "2022-07-01", ""),
    ], columns=["enterprise_id", "tag", "level", "acquired", "lost"])
    empty = {f: empty_frame(f) for f in ("annual", "srdi", "parks", "green")}
    return EnterpriseData(reg, tags, synthetic=False, source="registry.xlsx", batch_id="b-test", as_of="2025-02-01",
                          **empty)


def test_imported_registry_counts_reach_the_assessment(monkeypatch):
    plan = api.resolve_plan(CURRENT, register=False)
    data = _imported(plan)
    monkeypatch.setattr(ze, "_stored_enterprise_data", lambda db, plan_id: data)
    obs, links = ze.registry_assessment_inputs(plan)
    assert len(obs) and set(obs["series"]) == {f"registry.{i}" for i in links["indicator"]}
    assert set(links["comparability"]) == {"comparable"} and set(links["transform"]) == {"identity"}
    assert set(links["plan_id"]) == {plan.plan.id}
    assert not obs["synthetic"].any() and obs["obs_id"].lt(0).all()
    assert set(obs["grade"]) == {"R"}  # an office's own register, not "A 政府网站原文" (it still decides: below)
    value = obs.set_index(["series", "year"])["value"]
    assert value[("registry.specialised_smes", 2024)] == 2  # E0 and E2 hold it on 2024-12-31; E1 lost it
    assert value[("registry.specialised_smes", 2023)] == 1
    assert value[("registry.new_little_giants_2024_2027", 2024)] == 1  # E0; E3's came before the baseline
    result = assess_plan(plan, obs, links, year=2024, settings=Settings(), lang="zh")
    card = {i["id"]: i for i in result["indicators"]}
    assert card["specialised_smes"]["actual"] == 2
    assert card["specialised_smes"]["data_year"] == 2024


# --- imported green data reach the assessment (fix C) ------------------------------------------------
def _green_only(plan, final: float, last: int) -> EnterpriseData:
    """An imported green table whose whole-area energy and water intensity fall evenly from the plan's
    base year to `final` % in `last` (value added flat at comparable prices)."""
    base = plan.plan.base_year
    rows = [{"area": plan.regions.whole_code, "year": y, "energy": 1000 * (1 + final / 100) ** ((y - base) / (last - base)),
             "water": 5e4 * (1 + final / 100) ** ((y - base) / (last - base)), "value_added": 1e4,
             "va_real_growth": 0.0 if y > base else float("nan")} for y in range(base, last + 1)]
    frames = {f: empty_frame(f) for f in ("registry", "tags", "annual", "srdi", "parks")}
    return EnterpriseData(**frames, green=pd.DataFrame(rows), synthetic=False, source="green.xlsx", batch_id="b-g",
                          as_of=f"{last + 1}-03-01")


@pytest.mark.parametrize("plan_id,indicator,final,last,statuses", [
    (EMBEDDED, "energy_intensity_reduction", -16, 2025, {"achieved"}),
    (EMBEDDED, "energy_intensity_reduction", -5, 2025, {"behind", "seriously_behind", "not_met"}),
    (EMBEDDED, "water_intensity_reduction", -16, 2025, {"behind", "seriously_behind", "not_met"}),  # −20 % asked
    (CURRENT, "energy_intensity_reduction", -5, 2025, {"behind", "seriously_behind"}),  # −13 % by 2027
    (CURRENT, "energy_intensity_reduction", -10, 2025, {"on_track", "ahead", "achieved"}),
])
def test_imported_green_data_reach_the_assessment(monkeypatch, plan_id, indicator, final, last, statuses):
    plan = api.resolve_plan(plan_id, register=False)
    monkeypatch.setattr(ze, "_stored_enterprise_data", lambda db, plan_id: _green_only(plan, final, last))
    obs, links = ze.green_assessment_inputs(plan)
    one = obs[obs["series"] == f"green.{indicator}"].set_index("year")
    assert one.at[last, "value"] == pytest.approx(final)  # the cumulative change in %, signed as the target
    assert set(one["basis"]) == {"cumulative_since"} and set(one["basis_from"]) == {str(plan.plan.base_year)}
    assert not obs["synthetic"].any() and obs["obs_id"].lt(0).all() and obs["obs_id"].is_unique
    card = {i["id"]: i for i in api.assess(plan_id, year=last)["indicators"]}  # through api.assess's hook
    assert card[indicator]["status"] in statuses
    assert card[indicator]["actual"] == pytest.approx(final) and card[indicator]["data_year"] == last


def test_synthetic_green_data_never_feed_the_assessment():
    obs, links = ze.green_assessment_inputs(EMBEDDED)
    assert obs.empty and links.empty
    assert ze.green(EMBEDDED).attrs["synthetic"] is True  # there are green figures, only synthetic
    card = {i["id"]: i for i in api.assess(EMBEDDED, year=2024)["indicators"]}
    assert card["energy_intensity_reduction"]["actual"] is None
    assert ze.green_assessment_inputs(FICTIONAL)[0].empty  # a plan without green indicators


def test_registry_and_green_inputs_together_have_distinct_ids(monkeypatch):
    plan = api.resolve_plan(CURRENT, register=False)
    both = _imported(plan)
    both = EnterpriseData(both.registry, both.tags, both.annual, both.srdi, both.parks,
                          _green_only(plan, -6, 2024).green, synthetic=False, source="x.xlsx", batch_id="b",
                          as_of="2025-03-01")
    monkeypatch.setattr(ze, "_stored_enterprise_data", lambda db, plan_id: both)
    obs, links = ze.enterprise_assessment_inputs(plan)
    assert {s.split(".")[0] for s in obs["series"]} == {"registry", "green"}
    assert obs["obs_id"].is_unique and set(links["series"]) == set(obs["series"])


# --- counts: the year's additions and the cumulative (fix C) ----------------------------------------------
def test_counts_give_the_years_additions_and_the_cumulative(monkeypatch):
    plan = api.resolve_plan(CURRENT, register=False)
    monkeypatch.setattr(ze, "enterprise_data", lambda db=None, plan=None: _imported(plan))
    c = ze.enterprise_counts("srdi_sme", None, plan).set_index("year")
    assert c.attrs["new_since"] == 2023
    assert c.at[2023, "new"] == 1 and c.at[2024, "new"] == 2  # E0 in 2023; E1 and E2 in 2024
    assert c.at[2023, "new_cumulative"] == 1 and c.at[2024, "new_cumulative"] == 3
    assert c.at[2024, "stock"] == 2 and c.at[2024, "lost"] == 0  # E1 came and went within 2024: not held a year end
    every = ze.enterprise_counts(None, None, plan)
    assert every.attrs["new_since"] == 2022  # E3's little giant
    for _, g in every.groupby("tag"):
        assert (g["new"].cumsum() == g["new_cumulative"]).all()


# --- 亩均 reasons: an item at the benchmark is not below it (fix C, muju.py's tolerance) -------------------
def test_an_item_at_the_benchmark_is_not_called_below_it(monkeypatch):
    """Three identical enterprises: each item equals its benchmark up to floating point."""
    from zhizao.ingest.enterprise_frames import ANNUAL_COLUMNS
    reg = pd.DataFrame([{"enterprise_id": f"E{i}", "name": f"企业{i}", "district": "500101", "park": "",
                         "industry_class": "3670", "size": "small", "established": ""} for i in range(3)])
    ann = pd.DataFrame([{"enterprise_id": f"E{i}", "year": 2024, "land_area": 3.3, "revenue": 5000.0,
                         "main_revenue": 5000.0, "value_added": 1000.1, "tax": 0.7, "energy": 300.3,
                         "electricity": 100.7, "water": 1000.0, "emissions": 3.3, "rd_expense": 170.1,
                         "employees": 30.0, "net_profit": 1.0, "assets": 1.0, "liabilities": 1.0, "investment": 1.0,
                         "env_violations": 0, "quality_failures": 0, "safety_violations": 0, "obsolete_equipment": 0}
                        for i in range(3)], columns=ANNUAL_COLUMNS)
    data = EnterpriseData(reg, annual=ann, synthetic=False, source="t.xlsx",
                          **{f: empty_frame(f) for f in ("tags", "srdi", "parks", "green")})
    monkeypatch.setattr(ze, "enterprise_data", lambda db=None, plan=None: data)
    df = ze.muju(EMBEDDED, year=2024)
    assert len(df) == 3 and not df["reasons_zh"].str.contains("低于基准").any()
    assert not df["reasons_en"].str.contains("below the benchmark").any()
