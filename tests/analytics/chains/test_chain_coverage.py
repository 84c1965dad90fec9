"""Chain frames, locations, local supply coverage and the chain summary on hand-built data with known
answers (docs/chains.md §Coverage)."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from chain_helpers import chain_data, ent, make_plan, three_tier

from zhizao.analytics.chains import chain_frames, chain_summary, link_coverage, locate, risk
from zhizao.analytics.chains.coverage import COVERAGE_COLUMNS, SUMMARY_COLUMNS
from zhizao.analytics.chains.data import ChainData
from zhizao.settings import Settings


def test_chain_frames_links_and_edges():
    links, edges = chain_frames(make_plan())
    assert list(links["link"]) == ["mat", "cell", "pack", "car"]
    assert list(links["stage_order"]) == [0, 1, 2, 3]
    assert links.loc[0, "key_products"] == ["正极材料"]
    assert edges.values.tolist() == [["battery", "mat", "cell"], ["battery", "cell", "pack"],
                                     ["battery", "pack", "car"]]


def test_locate_uses_the_plan_not_a_fixed_code():
    df = pd.DataFrame([ent("a", "990101"), ent("b", "990199"), ent("c", "980301"), ent("d", "110101"),
                       ent("e", "", "JP"), ent("f", "990102", "")])
    assert locate(df, make_plan()).tolist() == ["local", "domestic", "region", "domestic", "abroad", "local"]
    # a plan listing no districts: its whole area (990100 → prefix 9901) is local
    assert locate(df, make_plan(districts=False)).tolist() == ["local", "local", "region", "domestic", "abroad",
                                                                "local"]


def test_need_weighted_coverage_known_answers():
    cov = link_coverage(make_plan(), three_tier()).set_index("link")
    assert list(cov.columns) == [c for c in COVERAGE_COLUMNS if c != "link"]
    # mat: one buyer C1, 60 % from local M1, 40 % from abroad M2
    assert cov.loc["mat", "local_share"] == pytest.approx(0.6)
    assert cov.loc["mat", "abroad_share"] == pytest.approx(0.4)
    # pack: V1 (output 1000) all local; V2 (500) half local, half region → (1000 + 250) / 1500
    assert cov.loc["pack", "local_share"] == pytest.approx(1250 / 1500)
    assert cov.loc["pack", "region_share"] == pytest.approx(1.0)
    # car: nobody buys it: all unrecorded
    assert cov.loc["car", "unrecorded_share"] == 1.0 and cov.loc["car", "n_buyers"] == 0
    # capacity HHI: mat 50/200 and 150/200 → 0.0625 + 0.5625
    assert cov.loc["mat", "hhi"] == pytest.approx(0.625)
    assert cov.loc["cell", "hhi"] == pytest.approx(1.0)
    assert cov.loc["mat", "status"] == "weak" and cov.loc["car", "status"] == "covered"
    assert cov.loc["car", "n_local"] == 2 and cov.loc["pack", "n_region"] == 1


def test_weak_link_setting_and_missing_link():
    d = three_tier()
    cov = link_coverage(make_plan(), d, Settings({"chain_weak_link_max": 2})).set_index("link")
    assert cov.loc["car", "status"] == "weak"  # two local members ≤ 2
    cov0 = link_coverage(make_plan(), d, Settings({"chain_weak_link_max": 0})).set_index("link")
    assert set(cov0["status"]) == {"covered"}
    only_abroad = chain_data([ent("X", "", "DE")], [{"enterprise_id": "X", "chain": "battery", "link": "mat",
                                                     "role": "supplier", "capacity": math.nan}], [])
    cov = link_coverage(make_plan(), only_abroad).set_index("link")
    assert cov.loc["mat", "status"] == "missing" and cov.loc["mat", "n_members"] == 1
    assert math.isnan(cov.loc["mat", "hhi"])  # no capacity known: concentration unknown, not 0


def test_unknown_output_weighs_as_the_mean_of_known_buyers():
    ents = [ent("S", "990101"), ent("T", "", "US"), ent("B1", output=300), ent("B2", output=math.nan)]
    members = [{"enterprise_id": e, "chain": "battery", "link": "cell", "role": "supplier", "capacity": 1.0}
               for e in ("S", "T")]
    supply = [{"supplier_id": "S", "buyer_id": "B1", "chain": "battery", "link": "cell", "share": 1.0},
              {"supplier_id": "T", "buyer_id": "B2", "chain": "battery", "link": "cell", "share": 0.5}]
    cov = link_coverage(make_plan(), chain_data(ents, members, supply)).set_index("link")
    # B2 counts as 300 too: local (300·1 + 300·0)/600, abroad 300·0.5/600, unrecorded 300·0.5/600
    assert cov.loc["cell", "local_share"] == pytest.approx(0.5)
    assert cov.loc["cell", "abroad_share"] == pytest.approx(0.25)
    assert cov.loc["cell", "unrecorded_share"] == pytest.approx(0.25)


def test_chain_summary():
    p, d = make_plan(), three_tier()
    summ = chain_summary(p, d, chain_risk=risk(p, d))
    assert list(summ.columns) == SUMMARY_COLUMNS
    row = summ.iloc[0]
    assert row["links"] == 4 and row["missing"] == 0 and row["weak"] == 3
    # buyer-links weighted by buyer output: C1 mat 200·0.6, P1 cell 300·1, V1 pack 1000·1, V2 pack 500·0.5
    assert row["local_share"] == pytest.approx((120 + 300 + 1000 + 250) / 2000)
    assert row["enterprises"] == 7 and row["leaders"] == 2 and row["leader_names"] == "企业V1、企业V2"
    assert row["high_risk_links"] == int((risk(p, d).links["grade"] == "high").sum())


def test_a_plan_without_chains_gives_empty_frames_with_the_columns():
    p = make_plan(chains=False)
    for frame, columns in ((link_coverage(p, ChainData.empty()), COVERAGE_COLUMNS),
                           (chain_summary(p, ChainData.empty()), SUMMARY_COLUMNS)):
        assert frame.empty and list(frame.columns) == columns
    links, edges = chain_frames(p)
    assert links.empty and edges.empty and "stage_order" in links.columns


def test_the_fictional_plan_file_without_chains():
    """A second plan, loaded as users load it: no chains → every analysis is empty, none fails."""
    from pathlib import Path

    from zhizao.analytics.chains import Scenario, backups, chain_warnings, critical_nodes, gaps, whatif
    from zhizao.plan.load import load_plan

    p = load_plan(Path(__file__).resolve().parents[2] / "assets" / "fictional-plan.yaml")
    assert p.chains  # it has one (led); a copy without any, as another plan's file would be
    p = p.model_copy(update={"chains": []})
    data = ChainData.empty()
    for f in (link_coverage, chain_summary, critical_nodes, backups, gaps, chain_warnings):
        assert f(p, data).empty
    w = whatif(p, data, Scenario("x", districts=("990101",)))
    assert w.summary["removed"] == 0 and w.links.empty and w.chains.empty


def test_a_link_nobody_is_recorded_buying_has_unknown_shares_not_zero():
    """Review: 回收与梯级利用 read 本地配套率 0 % with 16 of 22 members local: no buyer recorded is unknown."""
    p, d = make_plan(), three_tier()
    cov = link_coverage(p, d).set_index("link")
    car = cov.loc["car"]  # V1 and V2 are local, nobody buys cars
    assert car["n_local"] == 2 and car["n_buyers"] == 0 and car["unrecorded_share"] == 1.0
    for c in ("local_share", "region_share", "domestic_share", "abroad_share"):
        assert math.isnan(car[c]), c
    # the risk frame passes it on; the chain's own share only weighs the links with recorded supply
    assert math.isnan(risk(p, d).links.set_index("link").loc["car", "local_share"])
    assert chain_summary(p, d).iloc[0]["local_share"] == pytest.approx((120 + 300 + 1000 + 250) / 2000)
    # a chain with members but no supply at all: its shares are unknown too
    none = chain_data(d.enterprises.to_dict("records"), d.members.to_dict("records"), [])
    row = chain_summary(p, none).iloc[0]
    assert math.isnan(row["local_share"]) and math.isnan(row["region_share"]) and row["unrecorded_share"] == 1.0
    # buyers whose recorded shares are all 0 record nothing either
    zero = chain_data(d.enterprises.to_dict("records"), d.members.to_dict("records"),
                      [{"supplier_id": "V1", "buyer_id": "V2", "chain": "battery", "link": "car", "share": 0.0}])
    assert math.isnan(link_coverage(p, zero).set_index("link").loc["car", "local_share"])


def test_capacity_measures_need_the_capacity_of_enough_members():
    # 3 of 4 local, the local 链主's capacity unknown, the outside member's large
    ents = [ent("V"), ent("W", "110105"), ent("H"), ent("X")]
    members = [{"enterprise_id": e, "chain": "battery", "link": "car", "role": r, "capacity": c}
               for e, r, c in (("V", "leader", math.nan), ("W", "supplier", 90000.0), ("H", "supplier", 1.0),
                               ("X", "supplier", 1.0))]
    data = chain_data(ents, members, [])
    cov = link_coverage(make_plan(), data).set_index("link")
    assert cov.loc["car", "capacity_known"] == pytest.approx(0.75)
    assert math.isnan(cov.loc["car", "hhi"]) and math.isnan(cov.loc["car", "local_capacity_share"])
    # with the setting lowered to 3/4 the capacity measures come back
    some = link_coverage(make_plan(), data, Settings({"chain_capacity_known_min": 0.75})).set_index("link")
    assert some.loc["car", "hhi"] == pytest.approx((90000 / 90002) ** 2 + 2 * (1 / 90002) ** 2)
