"""Disruption what-if: propagation down three tiers, cycles, districts and regions, comparison
(docs/chains.md §What-if)."""
from __future__ import annotations

import math

import pytest
from chain_helpers import chain_data, ent, make_plan, three_tier

from zhizao.analytics.chains import Scenario, compare, whatif
from zhizao.analytics.chains.whatif import SUMMARY_KEYS
from zhizao.settings import Settings


def _loss(w) -> dict[str, float]:
    return dict(zip(w.enterprises["enterprise_id"], w.enterprises["loss"]))


def test_three_tier_propagation_known_answers():
    p, d = make_plan(), three_tier()
    w = whatif(p, d, Scenario("M1 stops", enterprises=("M1",)))
    loss = _loss(w)
    # C1 loses the 60 % M1 gave; P1 gets all cells from C1 → 0.6; V1 all packs from P1 → 0.6;
    # V2 half from P1 (which lost 0.6) → 0.3
    assert loss == pytest.approx({"M1": 1.0, "C1": 0.6, "P1": 0.6, "V1": 0.6, "V2": 0.3})
    assert w.summary["output_at_risk"] == pytest.approx(50 + 0.6 * 200 + 0.6 * 300 + 0.6 * 1000 + 0.3 * 500)
    assert w.summary["output_removed"] == pytest.approx(50)
    assert w.summary["enterprises_affected"] == 4 and w.summary["converged"]
    links = w.links.set_index("link")
    assert links.loc["mat", "status"] == "local_lost"  # M2 abroad remains, no local member left
    assert links.loc["pack", "need_lost_share"] == pytest.approx((1000 * 0.6 + 500 * 0.3) / 1500)
    assert w.chains.iloc[0]["enterprises_affected"] == 4


def test_a_line_stops_at_its_scarcest_input():
    # B needs two inputs: 30 % of cells from X, 80 % of materials from Y; both removed → max, not sum
    p = make_plan()
    ents = [ent("X"), ent("Y"), ent("B", output=100)]
    members = [{"enterprise_id": "X", "chain": "battery", "link": "cell", "role": "supplier", "capacity": 1.0},
               {"enterprise_id": "Y", "chain": "battery", "link": "mat", "role": "supplier", "capacity": 1.0}]
    supply = [{"supplier_id": "X", "buyer_id": "B", "chain": "battery", "link": "cell", "share": 0.3},
              {"supplier_id": "Y", "buyer_id": "B", "chain": "battery", "link": "mat", "share": 0.8}]
    w = whatif(p, chain_data(ents, members, supply), Scenario("both", enterprises=("X", "Y")))
    assert _loss(w)["B"] == pytest.approx(0.8)
    assert set(w.links["status"]) == {"lost"}  # each link's only member is gone


def test_cycles_terminate():
    p = make_plan()
    ents = [ent(x) for x in ("A", "B", "C")]
    members = [{"enterprise_id": e, "chain": "battery", "link": lk, "role": "supplier", "capacity": 1.0}
               for e, lk in (("A", "pack"), ("B", "cell"), ("C", "cell"))]
    # A buys cells from B (50 %) and C (50 %); B buys packs from A (100 %): a cycle A ⇄ B
    supply = [{"supplier_id": "B", "buyer_id": "A", "chain": "battery", "link": "cell", "share": 0.5},
              {"supplier_id": "C", "buyer_id": "A", "chain": "battery", "link": "cell", "share": 0.5},
              {"supplier_id": "A", "buyer_id": "B", "chain": "battery", "link": "pack", "share": 1.0}]
    data = chain_data(ents, members, supply)
    w = whatif(p, data, Scenario("C stops", enterprises=("C",)))
    # A = 0.5 + 0.5·B, B = A → the fixed point is A = B = 1, reached geometrically
    assert w.summary["converged"] and _loss(w)["A"] == pytest.approx(1.0, abs=1e-5)
    capped = whatif(p, data, Scenario("C stops", enterprises=("C",)), Settings({"chain_whatif_max_rounds": 3}))
    assert capped.summary["rounds"] == 3 and not capped.summary["converged"]
    assert 0.5 < _loss(capped)["A"] < 1.0
    # a pure cycle with no removal stays at zero
    assert whatif(p, data, Scenario("none")).enterprises.empty


def test_remove_a_district_a_region_abroad_and_a_country():
    p, d = make_plan(), three_tier()
    assert set(whatif(p, d, Scenario("west", districts=("990102",))).enterprises.query("removed")["enterprise_id"]) == {"P1"}
    assert set(whatif(p, d, Scenario("98", regions=("98",))).enterprises.query("removed")["enterprise_id"]) == {"P2"}
    assert set(whatif(p, d, Scenario("abroad", regions=("abroad",))).enterprises.query("removed")["enterprise_id"]) == {"M2"}
    assert set(whatif(p, d, Scenario("jp", regions=("jp",))).enterprises.query("removed")["enterprise_id"]) == {"M2"}


def test_unknown_enterprise_is_reported_not_an_error():
    w = whatif(make_plan(), three_tier(), Scenario("typo", enterprises=("NOPE",)))
    assert w.summary["not_found"] == ["NOPE"] and w.summary["removed"] == 0 and w.enterprises.empty


def test_compare_one_row_per_scenario():
    p, d = make_plan(), three_tier()
    a = whatif(p, d, Scenario("M1", enterprises=("M1",)))
    b = whatif(p, d, Scenario("C1", enterprises=("C1",)))
    cmp = compare([a, b])
    assert list(cmp.columns) == SUMMARY_KEYS and cmp["scenario"].tolist() == ["M1", "C1"]
    # without C1 every downstream enterprise loses everything or half: worse than M1
    assert cmp.loc[1, "output_at_risk"] > cmp.loc[0, "output_at_risk"]
    assert cmp.loc[1, "links_lost"] == 1  # cells: C1 was the only member


def test_a_link_whose_members_lose_all_their_inputs_is_stopped():
    """Review: C1 not removed but without any material read as weakened with a 100 % gap."""
    p = make_plan()
    ents = [ent("M"), ent("C"), ent("P", output=300)]
    members = [{"enterprise_id": e, "chain": "battery", "link": lk, "role": "core", "capacity": 1.0}
               for e, lk in (("M", "mat"), ("C", "cell"), ("P", "pack"))]
    supply = [{"supplier_id": "M", "buyer_id": "C", "chain": "battery", "link": "mat", "share": 1.0},
              {"supplier_id": "C", "buyer_id": "P", "chain": "battery", "link": "cell", "share": 1.0}]
    w = whatif(p, chain_data(ents, members, supply), Scenario("M", enterprises=("M",)))
    links = w.links.set_index("link")
    assert links.loc["mat", "status"] == "lost" and links.loc["cell", "status"] == "stopped"
    assert links.loc["pack", "status"] == "stopped"  # P lost all its cells too; nobody buys packs
    assert links.loc["mat", "need_lost_share"] == pytest.approx(1.0)
    assert math.isnan(links.loc["pack", "need_lost_share"])  # no recorded buyer: unknown, never 0 %
    assert w.summary["links_lost"] == 1 and w.summary["links_stopped"] == 2 and w.summary["links_weakened"] == 0
    assert w.chains.iloc[0]["links_stopped"] == 2


def test_a_lost_link_nobody_buys_shows_no_zero_loss():
    p = make_plan()
    ents = [ent("V", output=10.0)]
    members = [{"enterprise_id": "V", "chain": "battery", "link": "car", "role": "leader", "capacity": 1.0}]
    w = whatif(p, chain_data(ents, members, []), Scenario("V", enterprises=("V",)))
    row = w.links.set_index("link").loc["car"]
    assert row["status"] == "lost" and math.isnan(row["need_lost_share"])


def test_local_links_lost_and_links_stopped_are_compared():
    p, d = make_plan(), three_tier()
    cmp = compare([whatif(p, d, Scenario("M1", enterprises=("M1",)))])
    assert {"local_links_lost", "links_stopped"} <= set(cmp.columns)
    assert cmp.loc[0, "local_links_lost"] == 1  # 正极材料: M1 was its only local member


def test_small_losses_are_summed_but_not_listed():
    p = make_plan()
    ents = [ent("S", output=100.0), ent("B", output=1000.0), ent("T")]
    members = [{"enterprise_id": e, "chain": "battery", "link": "cell", "role": "supplier", "capacity": 1.0}
               for e in ("S", "T")]
    supply = [{"supplier_id": "S", "buyer_id": "B", "chain": "battery", "link": "cell", "share": 0.0001},
              {"supplier_id": "T", "buyer_id": "B", "chain": "battery", "link": "cell", "share": 0.9999}]
    data = chain_data(ents, members, supply)
    w = whatif(p, data, Scenario("S", enterprises=("S",)))
    assert _loss(w) == {"S": 1.0}  # B lost 0.01 %: below chain_whatif_min_loss (0.05 %)
    assert w.summary["enterprises_affected"] == 0
    assert w.summary["output_at_risk"] == pytest.approx(100 + 0.0001 * 1000)  # still in the sum
    assert w.summary["output_at_risk_downstream"] == pytest.approx(0.1)
    assert set(w.links["link"]) == {"cell"} and w.links.iloc[0]["status"] == "weakened"  # a member removed
    every = whatif(p, data, Scenario("S", enterprises=("S",)), Settings({"chain_whatif_min_loss": 0.0}))
    assert _loss(every)["B"] == pytest.approx(0.0001) and every.summary["enterprises_affected"] == 1
    assert every.summary["output_at_risk"] == w.summary["output_at_risk"]
