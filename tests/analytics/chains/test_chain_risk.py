"""Risk grades with their reasons, single sources, critical nodes, backups, the 招商 brief and the chain
warnings on hand-built data (docs/chains.md §Risk grade)."""
from __future__ import annotations

import pytest
from chain_helpers import chain_data, ent, make_plan, three_tier

from zhizao.analytics.chains import backups, chain_warnings, critical_nodes, gaps, risk
from zhizao.analytics.chains.data import ChainData
from zhizao.analytics.chains.gaps import GAP_COLUMNS
from zhizao.analytics.chains.risk import BACKUP_COLUMNS, CRITICAL_COLUMNS
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS
from zhizao.settings import Settings


@pytest.fixture(scope="module")
def graded():
    p, d = make_plan(), three_tier()
    return p, d, risk(p, d)


def _rel(cr, sup, buy):
    r = cr.relations
    return r[(r["supplier_id"] == sup) & (r["buyer_id"] == buy)].iloc[0]


def test_single_source_dominant_and_buyer_hhi(graded):
    _, _, cr = graded
    c1p1 = _rel(cr, "C1", "P1")
    assert c1p1["single_source"] and c1p1["n_suppliers"] == 1 and c1p1["buyer_hhi"] == pytest.approx(1.0)
    m1 = _rel(cr, "M1", "C1")
    assert not m1["single_source"] and not m1["dominant"]  # 0.6 < 0.7
    assert m1["buyer_hhi"] == pytest.approx(0.6 ** 2 + 0.4 ** 2)
    assert "单一来源" in c1p1["reasons_zh"] and "single source" in c1p1["reasons_en"]
    # C1 is the only cell maker: nobody can replace it
    assert c1p1["alternatives"] == 0 and c1p1["f_alternatives"] == 1.0
    assert "无其他企业可替代" in c1p1["reasons_zh"]


def test_dominant_source_follows_the_setting(graded):
    p, d, _ = graded
    cr = risk(p, d, Settings({"chain_dominant_share": 0.6}))
    assert _rel(cr, "M1", "C1")["dominant"] and "主导来源" in _rel(cr, "M1", "C1")["reasons_zh"]


def test_score_is_the_weighted_mean_of_the_factors(graded):
    _, _, cr = graded
    s = Settings()
    names = ("source", "concentration", "location", "share", "alternatives")
    w = {k: s[f"chain_w_rel_{k}"] for k in names}
    r = _rel(cr, "M2", "C1")
    expected = sum(w[k] * r[f"f_{k}"] for k in names) / sum(w.values())
    assert r["score"] == pytest.approx(expected)
    assert r["f_location"] == 1.0  # abroad
    assert _rel(cr, "P2", "V2")["f_location"] == s["chain_region_factor"]


def test_grades_follow_the_cut_offs(graded):
    p, d, cr = graded
    assert _rel(cr, "C1", "P1")["grade"] == "high"
    everything_high = risk(p, d, Settings({"chain_risk_high": 0.0}))
    assert set(everything_high.relations["grade"]) == {"high"}
    nothing_high = risk(p, d, Settings({"chain_risk_high": 1.0, "chain_risk_medium": 1.0}))
    assert set(nothing_high.links["grade"]) == {"low"}


def test_every_graded_row_has_reasons_in_both_languages(graded):
    _, _, cr = graded
    for frame in (cr.relations, cr.links, cr.enterprises):
        assert set(frame["grade"]) <= {"high", "medium", "low"}
        assert (frame["reasons_zh"].str.len() > 0).all() and (frame["reasons_en"].str.len() > 0).all()


def test_link_articulation_and_enterprise_articulation(graded):
    _, _, cr = graded
    links = cr.links.set_index("link")
    # mat → cell → pack → car: the middle links cut the chain, the ends do not
    assert links["articulation"].to_dict() == {"mat": False, "cell": True, "pack": True, "car": False}
    crit = cr.critical
    assert list(crit.columns) == CRITICAL_COLUMNS
    ents = crit[crit["level"] == "enterprise"].set_index("enterprise_id")
    # supply graph (undirected): M1,M2–C1–P1–{V1,V2–P2}: C1, P1 and V2 cut it
    assert set(ents.index[ents["articulation"]]) == {"C1", "P1", "V2"}
    assert ents.loc["P1", "sole_supplier_of"] == 1 and ents.loc["P1", "buyers"] == 2
    assert ents.loc["C1", "downstream_reach"] == 3  # P1, V1, V2
    ent_risk = cr.enterprises.set_index("enterprise_id")
    assert ent_risk.loc["C1", "grade"] == "high" and "唯一供应商" in ent_risk.loc["C1", "reasons_zh"]


def test_critical_nodes_matches_risk(graded):
    p, d, cr = graded
    assert critical_nodes(p, d).equals(cr.critical)


def test_backups_local_first_then_region(graded):
    p, d, _ = graded
    ents = [ent(x) for x in ("S", "B", "L1", "L2")] + [ent("R1", "980101"), ent("A1", "", "KR")]
    members = [{"enterprise_id": e, "chain": "battery", "link": "cell", "role": role, "capacity": cap}
               for e, role, cap in (("S", "supplier", 10.0), ("L1", "supplier", 5.0), ("L2", "core", 50.0),
                                    ("R1", "supplier", 500.0), ("A1", "leader", 900.0))]
    supply = [{"supplier_id": "S", "buyer_id": "B", "chain": "battery", "link": "cell", "share": 1.0}]
    data = chain_data(ents, members, supply)
    cr = risk(p, data, Settings({"chain_risk_high": 0.0}))
    b = backups(p, data, cr, top=3)
    assert list(b.columns) == BACKUP_COLUMNS
    # local by capacity (L2 50, L1 5), then region R1; abroad A1 only with top 4; never S nor B
    assert b["candidate_id"].tolist() == ["L2", "L1", "R1"] and b["rank"].tolist() == [1, 2, 3]
    assert backups(p, data, cr, top=4)["candidate_id"].tolist()[-1] == "A1"
    assert b.iloc[0]["reason_zh"].startswith("本地企业")


def test_no_backups_without_high_risk(graded):
    p, d, _ = graded
    cr = risk(p, d, Settings({"chain_risk_high": 1.0}))
    assert backups(p, d, cr).empty and list(backups(p, d, cr).columns) == BACKUP_COLUMNS


def test_gaps_rank_missing_and_weak_links(graded):
    p, d, cr = graded
    g = gaps(p, d, chain_risk=cr)
    assert list(g.columns) == GAP_COLUMNS
    assert set(g["status"]) <= {"missing", "weak"} and "car" not in set(g["link"])
    assert g["rank"].tolist() == list(range(1, len(g) + 1))
    order = {"high": 0, "medium": 1, "low": 2}
    keys = [(order[gr], -sc) for gr, sc in zip(g["grade"], g["score"])]
    assert keys == sorted(keys)
    assert g.set_index("link").loc["pack", "size"] == 1500  # V1 + V2 buy packs
    assert g.set_index("link").loc["pack", "key_products"] == "电池包"


def test_gaps_size_falls_back_to_the_downstream_members():
    p = make_plan()
    d = chain_data([ent("V", output=700)], [{"enterprise_id": "V", "chain": "battery", "link": "car",
                                             "role": "leader", "capacity": 1.0}], [])
    g = gaps(p, d).set_index("link")
    assert g.loc["pack", "size"] == 700 and g.loc["pack", "size_basis"] == "downstream"
    assert g.loc["mat", "size_basis"] == "none"


def test_chain_warnings_rows(graded):
    p, d, cr = graded
    w = chain_warnings(p, d, chain_risk=cr)
    assert list(w.columns) == WARNING_COLUMNS
    assert set(w["rule"]) == {"chain_weak_link", "chain_single_source", "chain_high_risk_enterprise"}
    assert set(w["period"]) == {"2025-06"}
    assert set(w["subject_type"]) <= {"chain", "chain_link", "enterprise"}
    assert set(w["severity"]) <= {"high", "medium", "low"}
    single = w[w["rule"] == "chain_single_source"].set_index("subject_id")
    # P1's single-source input is in its chain_high_risk_enterprise row (one row per key enterprise)
    assert set(single.index) == {"V1"} and "电池包" in single.loc["V1", "explanation_zh"]
    assert all(isinstance(e, dict) for e in w["evidence"])
    low = chain_warnings(p, d, Settings({"chain_local_share_low": 0.9}), chain_risk=cr)
    assert "chain_low_local_share" in set(low["rule"])


def test_synthetic_data_is_labelled_in_warnings(graded):
    p, d, _ = graded
    synth = ChainData(d.enterprises, d.members, d.supply, synthetic=True, source="synth", as_of="2025-01-01")
    w = chain_warnings(p, synth)
    assert w["explanation_zh"].str.contains("合成数据").all() and w["explanation_en"].str.contains("SYNTHETIC").all()


def test_no_chains_no_warnings_no_gaps():
    p = make_plan(chains=False)
    assert list(chain_warnings(p, ChainData.empty()).columns) == WARNING_COLUMNS
    assert gaps(p, ChainData.empty()).empty and list(gaps(p, ChainData.empty()).columns) == GAP_COLUMNS
    cr = risk(p, ChainData.empty())
    assert cr.links.empty and cr.relations.empty and cr.enterprises.empty and "grade" in cr.links.columns


def _car_link(members, supply=(), settings=None):
    ents = [ent("V"), ent("W", "110105"), ent("H"), ent("X"), ent("B", output=10.0)]
    rows = [{"enterprise_id": e, "chain": "battery", "link": "car", "role": r, "capacity": c} for e, r, c in members]
    cr = risk(make_plan(), chain_data(ents, rows, list(supply)), settings)
    return cr.links.set_index("link").loc["car"]


def test_link_reason_says_what_the_outside_share_rests_on():
    """Review: 3 of 4 members local (链主 capacity unknown) read "外地供应占100%; HHI 1"."""
    nan = float("nan")
    row = _car_link([("V", "leader", nan), ("W", "supplier", 90000.0), ("H", "supplier", 1.0),
                     ("X", "supplier", 1.0)])
    assert row["outside_basis"] == "members" and row["f_outside"] == pytest.approx(0.25)
    assert row["hhi_basis"] == "members" and row["f_concentration"] == pytest.approx(0.25)
    assert "外地供应" not in row["reasons_zh"] and "HHI 1" not in row["reasons_zh"]
    assert "按企业数计HHI 0.25" in row["reasons_zh"] and "HHI by count 0.25" in row["reasons_en"]
    # mostly outside, capacity unknown: named as a share of the member enterprises
    row = _car_link([("W", "leader", nan), ("V", "supplier", 5.0)], settings=Settings({"chain_local_share_low": 0.6}))
    assert row["outside_basis"] == "members" and "外地企业占50%（2家中1家；无采购记录）" in row["reasons_zh"]
    assert "50% of member enterprises outside (1 of 2; no recorded purchases)" in row["reasons_en"]
    # every capacity known: capacity is the basis and the reason says so
    row = _car_link([("V", "leader", 10.0), ("W", "supplier", 90.0)])
    assert row["outside_basis"] == "capacity" and row["hhi_basis"] == "capacity"
    assert "外地产能占90%（无采购记录）" in row["reasons_zh"] and "of capacity outside" in row["reasons_en"]
    # recorded purchases win over both, and say 外地供应
    row = _car_link([("V", "leader", 10.0), ("W", "supplier", 90.0)],
                    [{"supplier_id": "W", "buyer_id": "B", "chain": "battery", "link": "car", "share": 1.0}])
    assert row["outside_basis"] == "supply" and "外地供应占100%" in row["reasons_zh"]


def test_warnings_name_key_enterprises_only_one_row_each(graded):
    p, d, cr = graded
    w = chain_warnings(p, d, chain_risk=cr)
    ents = w[w["subject_type"] == "enterprise"]
    assert ents["subject_id"].is_unique  # one row per enterprise at most
    roles = cr.enterprises.set_index("enterprise_id")["role"]
    assert set(roles[ents["subject_id"]]) <= {"leader", "core"}
    # P1 (core) is graded high: its single-source input is named in that row, not in a second one
    p1 = ents.set_index("subject_id").loc["P1"]
    assert p1["rule"] == "chain_high_risk_enterprise" and "电芯" in p1["explanation_zh"]
    assert p1["evidence"]["single_source_inputs"] == 1 and p1["evidence"]["suppliers"] == ["C1"]
    # a high-risk single source bought by a plain supplier is graded in risk() but not warned
    ents2 = [ent("S", "", "JP"), ent("B")]
    members = [{"enterprise_id": "S", "chain": "battery", "link": "cell", "role": "supplier", "capacity": 1.0},
               {"enterprise_id": "B", "chain": "battery", "link": "pack", "role": "supplier", "capacity": 1.0}]
    supply = [{"supplier_id": "S", "buyer_id": "B", "chain": "battery", "link": "cell", "share": 1.0}]
    small = chain_data(ents2, members, supply)
    assert (risk(p, small).relations["grade"] == "high").all()
    assert not (chain_warnings(p, small)["subject_type"] == "enterprise").any()
    every = chain_warnings(p, small, Settings({"chain_warn_roles": "leader, core,supplier"}))
    assert "B" in set(every["subject_id"])


def test_warn_roles_setting_refuses_an_unknown_role(graded):
    from zhizao.errors import UserError

    p, d, cr = graded
    with pytest.raises(UserError, match="chain_warn_roles"):
        chain_warnings(p, d, Settings({"chain_warn_roles": "leader,boss"}), chain_risk=cr)


@pytest.mark.parametrize("which", ["fictional", "embedded"])
def test_generated_data_warns_tens_of_key_enterprises_not_hundreds(which):
    """Review: 448 chain warnings on the demo data swamped the warning table."""
    from pathlib import Path

    from zhizao import api
    from zhizao.analytics.chains import link_coverage
    from zhizao.plan.load import load_plan
    from zhizao.synth.chains import generate_chain_data

    p = (load_plan(Path(__file__).resolve().parents[2] / "assets" / "fictional-plan.yaml") if which == "fictional"
         else api.resolve_plan(register=False))
    d = generate_chain_data(p, seed=0)
    cr = risk(p, d)
    w = chain_warnings(p, d, chain_risk=cr)
    ents = w[w["subject_type"] == "enterprise"]
    assert 0 < len(w) < 100 and ents["subject_id"].is_unique
    roles = cr.enterprises.set_index("enterprise_id")["role"]
    assert set(roles[ents["subject_id"]]) <= {"leader", "core"}
    assert len(cr.relations) > len(w)  # every relation is still graded
    cov = link_coverage(p, d)
    assert cov.loc[cov["n_buyers"] == 0, "local_share"].isna().all()
