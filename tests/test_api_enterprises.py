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
    monkeypatch.setattr(ze, "enterprise_data", lambda db=None, plan=None: data)
    obs, links = ze.registry_assessment_inputs(plan)
    assert len(obs) and set(obs["series"]) == {f"registry.{i}" for i in links["indicator"]}
    assert set(links["comparability"]) == {"comparable"} and set(links["transform"]) == {"identity"}
    assert set(links["plan_id"]) == {plan.plan.id}
    assert not obs["synthetic"].any() and obs["obs_id"].lt(0).all()
    value = obs.set_index(["series", "year"])["value"]
    assert value[("registry.specialised_smes", 2024)] == 2  # E0 and E2 hold it on 2024-12-31; E1 lost it
    assert value[("registry.specialised_smes", 2023)] == 1
    assert value[("registry.new_little_giants_2024_2027", 2024)] == 1  # E0; E3's came before the baseline
    result = assess_plan(plan, obs, links, year=2024, settings=Settings(), lang="zh")
    card = {i["id"]: i for i in result["indicators"]}
    assert card["specialised_smes"]["actual"] == 2
    assert card["specialised_smes"]["data_year"] == 2024
