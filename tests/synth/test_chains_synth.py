"""The synthetic chain data (zhizao.synth.chains): contract frames, valid codes, supply invariants,
designed gaps, calibration, determinism and scale — on fictional plans built here (no real places)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.analytics.chains.data import ENTERPRISE_COLUMNS, MEMBER_COLUMNS, ROLES, SUPPLY_COLUMNS, ChainData
from zhizao.codes.uscc import valid_mask
from zhizao.errors import UserError
from zhizao.plan.spec import Plan
from zhizao.synth import chains as synth_chains
from zhizao.synth.chains import ABROAD_REGION, CHAINS_SHARE_OF_CLUSTER, default_chain_data, generate_chain_data

# A fictional city (code 990100, not a real GB/T 2260 code) with three districts and a fictional supply
# region (prefix 98) plus a real one outside (44), and chains of different shapes.
DISTRICTS = ["990101", "990102", "990103"]


def _links(variant: int) -> list[dict]:
    if variant == 0:  # a diamond with a service tail
        return [
            {"id": "ore", "name": "矿料", "stage": "materials", "section": "三(一)"},
            {"id": "cell", "name": "电芯", "stage": "parts", "upstream": ["ore"], "section": "三(一)"},
            {"id": "chip", "name": "芯片", "stage": "parts", "upstream": ["ore"], "section": "三(一)"},
            {"id": "pack", "name": "模组", "stage": "systems", "upstream": ["cell", "chip"], "section": "三(一)"},
            {"id": "car", "name": "整车", "stage": "final", "upstream": ["pack", "chip"], "section": "三(一)"},
            {"id": "svc", "name": "运维服务", "stage": "services", "upstream": ["car"], "section": "三(一)"},
        ]
    if variant == 1:  # a line
        return [
            {"id": "resin", "name": "树脂", "stage": "materials", "section": "三(二)"},
            {"id": "film", "name": "薄膜", "stage": "parts", "upstream": ["resin"], "section": "三(二)"},
            {"id": "panel", "name": "面板", "stage": "final", "upstream": ["film"], "section": "三(二)"},
        ]
    return [  # no final stage: the systems link is the most downstream
        {"id": "alloy", "name": "合金", "stage": "materials", "section": "三(三)"},
        {"id": "gear", "name": "减速器", "stage": "parts", "upstream": ["alloy"], "section": "三(三)"},
        {"id": "servo", "name": "伺服", "stage": "parts", "upstream": ["alloy"], "section": "三(三)"},
        {"id": "arm", "name": "机械臂", "stage": "systems", "upstream": ["gear", "servo"], "section": "三(三)"},
    ]


def make_plan(n_chains: int = 3, *, regions: bool = True, supply_region: bool = True,
              unit: str = "亿元") -> Plan:
    chains = [{"id": f"chain{c}", "name": f"虚构链{c}", "cluster": "alpha" if c % 2 == 0 else "beta",
               "section": "四(二)", "links": _links(c % 3)} for c in range(n_chains)]
    data = {
        "plan": {"id": "riverton-chains", "title": "河湾市产业链规划（虚构，测试用）", "issuer": "河湾市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}],
        "indicators": [],
        "clusters": [
            {"id": "alpha", "name": "甲集群", "scale_target": 2000, "unit": unit, "target_year": 2027,
             "target_text": "两千亿级", "section": "三"},
            {"id": "beta", "name": "乙集群", "scale_target": 800, "unit": unit, "target_year": 2027,
             "target_text": "八百亿级", "section": "三"},
        ],
        "chains": chains,
    }
    if regions:
        data["regions"] = {"whole_code": "990100", "whole_name": "河湾市",
                           "districts": [{"code": c, "name": f"{i}区"} for i, c in enumerate(DISTRICTS)]}
    if supply_region:
        data["supply_region"] = {"name": "湾区", "division_prefixes": ["98", "44"]}
    return Plan.model_validate(data)


def plan_without_chains() -> Plan:
    return Plan.model_validate({
        "plan": {"id": "no-chains", "title": "无链规划（虚构）", "issuer": "某市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}], "indicators": []})


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(3)


@pytest.fixture(scope="module")
def data(plan) -> ChainData:
    return generate_chain_data(plan, seed=0)


def _links_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame([{"chain": c.id, "link": lk.id, "stage": lk.stage.value} for c in plan.chains
                         for lk in c.links])


def _edges(plan: Plan) -> set[tuple[str, str, str]]:
    return {(c.id, u, lk.id) for c in plan.chains for lk in c.links for u in lk.upstream}


def _local(data: ChainData, plan: Plan) -> pd.Series:
    return data.enterprises.set_index("enterprise_id")["district"].isin([d.code for d in plan.regions.districts])


def check_invariants(plan: Plan, data: ChainData) -> None:
    e, m, s = data.enterprises, data.members, data.supply
    assert list(e.columns) == ENTERPRISE_COLUMNS
    assert list(m.columns) == MEMBER_COLUMNS
    assert list(s.columns) == SUPPLY_COLUMNS
    for frame, numeric in ((e, "output"), (m, "capacity"), (s, "share")):
        for col in frame.columns:
            if col == numeric:
                assert frame[col].dtype == np.float64, col
            else:
                assert pd.api.types.is_string_dtype(frame[col]), col
    # enterprises: unique valid credit codes whose region part is the district (000000 abroad)
    assert e["enterprise_id"].is_unique
    assert valid_mask(e["enterprise_id"].to_numpy()).all()
    abroad = e["country"] != "CN"
    assert (e.loc[abroad, "district"] == "").all() and (e.loc[~abroad, "district"].str.len() == 6).all()
    region = e["enterprise_id"].str[2:8]
    assert (region[~abroad] == e.loc[~abroad, "district"]).all()
    assert (region[abroad] == ABROAD_REGION).all()
    assert e["name"].str.startswith("合成企业").all() and e["name"].is_unique
    assert (e["output"] > 0).all()
    # members: known enterprises on known links, each enterprise somewhere, one row per place
    links = _links_frame(plan)
    assert set(m["enterprise_id"]) == set(e["enterprise_id"])
    assert not m.duplicated(["enterprise_id", "chain", "link"]).any()
    assert m.merge(links, on=["chain", "link"], how="left")["stage"].notna().all()
    assert set(m["role"]) <= set(ROLES)
    assert (m["capacity"].dropna() > 0).all()
    # supply
    if s.empty:
        return
    assert (s["supplier_id"] != s["buyer_id"]).all()
    assert not s.duplicated(["supplier_id", "buyer_id", "chain", "link"]).any()
    assert ((s["share"] > 0) & (s["share"] <= 1)).all()
    assert (s.groupby(["buyer_id", "chain", "link"])["share"].sum() <= 1 + 1e-9).all()
    supplier_ok = s.merge(m, left_on=["supplier_id", "chain", "link"],
                          right_on=["enterprise_id", "chain", "link"], how="left")["role"].notna()
    assert supplier_ok.all()
    down = pd.DataFrame(sorted(_edges(plan)), columns=["chain", "link", "downstream"])
    bm = m.rename(columns={"enterprise_id": "buyer_id", "link": "downstream"})[["buyer_id", "chain", "downstream"]]
    ok = s.merge(down, on=["chain", "link"]).merge(bm, on=["buyer_id", "chain", "downstream"])
    assert set(map(tuple, ok[["supplier_id", "buyer_id", "chain", "link"]].to_numpy())) == \
        set(map(tuple, s[["supplier_id", "buyer_id", "chain", "link"]].to_numpy()))


def test_default_size_frames_and_invariants(plan, data):
    check_invariants(plan, data)
    assert data.synthetic and data.batch_id is None and data.as_of == synth_chains.AS_OF
    assert "合成数据（演示用）" in data.source and "zhizao synth chains, seed 0" in data.source
    assert "校准" in data.source and "calibrated" in data.source
    assert 300 <= len(data.enterprises) <= 2000 and len(data.supply) > len(data.enterprises)


def test_every_location_class_and_leaders_are_local_on_final_links(plan, data):
    e = data.enterprises
    local = e["district"].isin(DISTRICTS)
    region = e["district"].str.startswith("98") | e["district"].str.startswith("44")
    assert local.sum() > len(e) / 3
    assert (region & ~local).any() and (~region & ~local & (e["country"] == "CN")).any()
    assert (e["country"] != "CN").any()
    assert e.loc[local, "district"].nunique() == len(DISTRICTS)
    m = data.members.merge(_links_frame(plan), on=["chain", "link"])
    leaders = m[m["role"] == "leader"]
    assert leaders.groupby("chain").size().between(1, 2).all() and set(leaders["chain"]) == {c.id for c in plan.chains}
    # chain2 has no final stage: its leaders sit on its most downstream link (systems)
    assert set(leaders["stage"]) == {"final", "systems"}
    assert leaders.loc[leaders["chain"] == "chain2", "stage"].eq("systems").all()
    assert _local(data, plan)[leaders["enterprise_id"]].all()
    assert (m["role"] == "core").any() and (m["role"] == "supplier").any()
    assert data.members["enterprise_id"].duplicated().any()  # some sit on a second link


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_missing_weak_and_single_source_are_there(plan, seed):
    data = generate_chain_data(plan, seed=seed)
    local = _local(data, plan)
    m = data.members.assign(local=local[data.members["enterprise_id"]].to_numpy())
    per_link = m.groupby(["chain", "link"]).agg(n=("local", "size"), n_local=("local", "sum"))
    assert len(per_link) == len(_links_frame(plan))  # every link has members
    missing = per_link[per_link["n_local"] == 0]
    weak = per_link[per_link["n_local"] == 1]
    assert len(missing) >= 1 and len(weak) >= 1
    assert (missing["n"] >= 1).all()  # missing locally, supplied from outside
    suppliers = data.supply.groupby(["buyer_id", "chain", "link"]).size()
    assert (suppliers == 1).any() and (suppliers > 1).any()
    # some needs are not fully recorded, most are
    covered = data.supply.groupby(["buyer_id", "chain", "link"])["share"].sum()
    assert (covered < 0.99).any() and (covered > 0.999).mean() > 0.5
    # missing and weak links feed the supply: their products are bought
    gaps = set(missing.index) | set(weak.index)
    assert gaps & set(map(tuple, data.supply[["chain", "link"]].drop_duplicates().to_numpy()))


def test_output_calibrated_to_cluster_scale_targets(plan, data):
    # every enterprise has one main chain, so the total is the clusters' share exactly: 亿元 → 万元
    expected = CHAINS_SHARE_OF_CLUSTER * (2000 + 800) * 1e4
    assert data.enterprises["output"].sum() == pytest.approx(expected, rel=1e-9)
    out = data.enterprises.set_index("enterprise_id")["output"]
    per_chain = data.members.drop_duplicates(["enterprise_id", "chain"]).assign(
        output=lambda f: out[f["enterprise_id"]].to_numpy()).groupby("chain")["output"].sum()
    # alpha (2,000亿) has chain0 and chain2, beta (800亿) chain1: each at least its part, second links add a bit
    part = {"chain0": 1000, "chain1": 800, "chain2": 1000}
    for chain, yi in part.items():
        target = CHAINS_SHARE_OF_CLUSTER * yi * 1e4
        assert target <= per_chain[chain] * (1 + 1e-9) <= 1.6 * target
    # another unit converts too
    big = generate_chain_data(make_plan(3, unit="万亿元"), seed=0)
    assert big.enterprises["output"].sum() == pytest.approx(expected * 1e4, rel=1e-9)


def test_uncalibrated_when_the_unit_is_unknown():
    d = generate_chain_data(make_plan(2, unit="台"), seed=0)
    assert "校准" not in d.source and (d.enterprises["output"] > 0).all()


def test_deterministic_for_a_seed(plan, data):
    again = generate_chain_data(plan, seed=0)
    for name in ("enterprises", "members", "supply"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name))
    other = generate_chain_data(plan, seed=1)
    assert set(other.enterprises["enterprise_id"]) != set(data.enterprises["enterprise_id"])
    assert "seed 1" in other.source


def test_plan_without_chains_gives_empty_data():
    d = generate_chain_data(plan_without_chains(), seed=3)
    assert d.is_empty and d.supply.empty and d.enterprises.empty and d.synthetic
    assert list(d.enterprises.columns) == ENTERPRISE_COLUMNS
    assert default_chain_data(plan_without_chains()).is_empty


def test_scale_parameters_are_honoured(plan):
    d = generate_chain_data(plan, seed=5, n_enterprises=5_000, n_relations=40_000)
    assert len(d.enterprises) == 5_000 and len(d.supply) == 40_000
    check_invariants(plan, d)


def test_fewer_relations_than_buyers_and_more_than_possible(plan):
    few = generate_chain_data(plan, seed=0, n_enterprises=400, n_relations=50)
    assert len(few.supply) == 50 and (few.supply["share"] > 0).all()
    check_invariants(plan, few)
    none = generate_chain_data(plan, seed=0, n_enterprises=400, n_relations=0)
    assert none.supply.empty and not none.members.empty
    # every possible pair: capped at what the links allow, still without duplicates
    full = generate_chain_data(make_plan(1), seed=0, n_enterprises=40, n_relations=10**6)
    check_invariants(make_plan(1), full)
    m = full.members
    possible = set()
    for chain, up, down in _edges(make_plan(1)):
        sup = m.loc[(m["chain"] == chain) & (m["link"] == up), "enterprise_id"]
        buy = m.loc[(m["chain"] == chain) & (m["link"] == down), "enterprise_id"]
        possible |= {(a, b, up) for a in sup for b in buy if a != b}
    assert len(full.supply) == len(possible)


def test_too_few_enterprises_or_negative_relations_is_a_user_error(plan):
    with pytest.raises(UserError) as exc:
        generate_chain_data(plan, n_enterprises=5)
    assert "环节" in exc.value.reason_zh and "link" in exc.value.reason_en
    with pytest.raises(UserError):
        generate_chain_data(plan, n_relations=-1)


def test_plan_without_regions_or_supply_region():
    p = make_plan(3, regions=False)
    d = generate_chain_data(p, seed=0)
    check_invariants(p, d)
    assert not d.enterprises["district"].str.startswith("99").any()  # no local area to be in
    assert d.enterprises["district"].str.startswith("98").any()  # the supply region still is
    p = make_plan(3, supply_region=False)
    d = generate_chain_data(p, seed=0)
    check_invariants(p, d)
    # no region enterprises: only the plan's districts, the listed other places, or abroad
    places = {c for c, _ in synth_chains.OTHER_PLACES}
    assert set(d.enterprises["district"]) <= set(DISTRICTS) | places | {""}
    assert d.enterprises["district"].str.startswith("44").any()  # Guangdong is plain domestic now


def test_supply_region_overlapping_the_plans_own_province_adds_no_pseudo_locals():
    p = make_plan(3).model_copy(update={"supply_region": make_plan(3).supply_region.model_copy(
        update={"division_prefixes": ["99", "98"]})})
    d = generate_chain_data(p, seed=0)
    district = d.enterprises["district"]
    assert set(district[district.str.startswith("99")]) <= set(DISTRICTS)
    assert district.str.startswith("98").any()


def test_default_is_cached_and_each_caller_gets_its_own_frames(plan, data):
    a = default_chain_data(plan)
    pd.testing.assert_frame_equal(a.supply, data.supply)
    a.enterprises.loc[:, "output"] = -1.0
    b = default_chain_data(plan)
    assert (b.enterprises["output"] > 0).all()
    assert b.source == data.source and b.as_of == data.as_of
    # a different plan under the same id is not served from the cache
    c = default_chain_data(make_plan(2))
    assert set(c.members["chain"]) == {"chain0", "chain1"}


def test_module_names_no_real_plan_area():
    text = Path(synth_chains.__file__).read_text(encoding="utf-8")
    assert "重庆" not in text and "成渝" not in text and "Chongqing" not in text
    assert not re.search(r"\b50\d{4}\b", text)  # no GB/T 2260 code under the embedded plan's province


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n_chains=st.integers(1, 4), n_ent=st.integers(14, 300),
       n_rel=st.integers(0, 3000))
def test_invariants_hold_for_any_seed_and_size(seed, n_chains, n_ent, n_rel):
    p = make_plan(n_chains)
    n_links = sum(len(c.links) for c in p.chains)
    d = generate_chain_data(p, seed=seed, n_enterprises=max(n_ent, n_links), n_relations=n_rel)
    check_invariants(p, d)
    assert len(d.enterprises) == max(n_ent, n_links) and len(d.supply) <= n_rel
