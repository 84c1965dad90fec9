"""A chain on which the data have no member is not covered by the data: "no data", never missing or
high risk (second review: data imported for one chain made every other chain read as missing)."""
from __future__ import annotations

import math

import pandas as pd

from chain_helpers import LINKS, chain_data, plan_dict, three_tier

from zhizao import labels
from zhizao.analytics.chains import chain_summary, chain_warnings, gaps, link_coverage, risk
from zhizao.plan.spec import Plan

# a second fictional chain, three links, on which three_tier() has no member at all
CHIP_LINKS = [
    {"id": "wafer", "name": "晶圆", "name_en": "Wafers", "stage": "materials", "upstream": [],
     "key_products": ["硅片"], "section": "三(二)"},
    {"id": "die", "name": "芯片", "name_en": "Dies", "stage": "parts", "upstream": ["wafer"],
     "key_products": ["功率芯片"], "section": "三(二)"},
    {"id": "module", "name": "模组", "name_en": "Modules", "stage": "systems", "upstream": ["die"],
     "key_products": ["功率模组"], "section": "三(二)"},
]


def two_chain_plan() -> Plan:
    d = plan_dict()
    d["chains"].append({"id": "chip", "name": "功率半导体", "name_en": "Power semiconductors", "cluster": "auto",
                        "section": "四(二)", "links": CHIP_LINKS})
    return Plan.model_validate(d)


def test_links_of_a_chain_without_members_are_no_data_not_missing():
    plan = two_chain_plan()
    cov = link_coverage(plan, three_tier()).set_index(["chain", "link"])
    chip = cov.loc["chip"]
    assert list(chip["status"]) == ["no_data"] * 3
    for col in ("local_share", "region_share", "domestic_share", "abroad_share", "unrecorded_share"):
        assert chip[col].isna().all(), col
    assert (chip["n_members"] == 0).all()
    # the chain with members keeps its rules: same statuses as on the one-chain plan
    one = link_coverage(plan.model_copy(update={"chains": plan.chains[:1]}), three_tier())
    assert list(cov.loc["battery"]["status"]) == list(one["status"])
    assert "no_data" in labels.CHAIN_STATUS


def test_a_chain_with_some_members_still_has_missing_links():
    plan = two_chain_plan()
    d = three_tier()
    members = pd.concat([d.members, pd.DataFrame([{"enterprise_id": "M2", "chain": "chip", "link": "wafer",
                                                    "role": "supplier", "capacity": 10.0}])], ignore_index=True)
    d2 = chain_data(d.enterprises.to_dict("records"), members.to_dict("records"), d.supply.to_dict("records"))
    cov = link_coverage(plan, d2).set_index(["chain", "link"]).loc["chip"]
    # M2 is abroad: no local member on any chip link, and die/module have no member at all
    assert list(cov["status"]) == ["missing", "missing", "missing"]
    cr = risk(plan, d2)
    assert cr.links.set_index("chain").loc["chip", "grade"].notna().all()
    assert set(gaps(plan, d2)["chain"]) >= {"chip"}


def test_no_data_links_are_not_graded_and_not_in_gaps_warnings_or_high_counts():
    plan = two_chain_plan()
    d = three_tier()
    cr = risk(plan, d)
    chip = cr.links[cr.links["chain"] == "chip"]
    assert chip["grade"].isna().all() and chip["score"].isna().all()
    assert chip["f_members"].isna().all()
    assert chip["reasons_zh"].str.startswith("无数据").all() and chip["reasons_en"].str.startswith("no data").all()
    battery = cr.links[cr.links["chain"] == "battery"]
    assert battery["grade"].notna().all()
    g = gaps(plan, d, chain_risk=cr)
    assert "chip" not in set(g["chain"])
    assert len(g) == len(gaps(plan.model_copy(update={"chains": plan.chains[:1]}), d))
    w = chain_warnings(plan, d, chain_risk=cr)
    assert not w["subject_id"].astype(str).str.startswith("chip").any()
    assert not (w["evidence"].map(lambda e: e.get("chain") if isinstance(e, dict) else None) == "chip").any()


def test_summary_says_which_chains_have_data():
    plan = two_chain_plan()
    s = chain_summary(plan, three_tier()).set_index("chain")
    assert bool(s.loc["battery", "has_data"]) is True
    assert bool(s.loc["chip", "has_data"]) is False
    chip = s.loc["chip"]
    assert chip["links"] == 3
    assert chip["missing"] == 0 and chip["weak"] == 0 and chip["high_risk_links"] == 0
    assert chip["enterprises"] == 0 and chip["leaders"] == 0
    assert all(math.isnan(chip[c]) for c in ("local_share", "region_share", "unrecorded_share"))
    assert s.loc["battery", "links"] == len(LINKS) and s.loc["battery", "enterprises"] == 7
    assert s.loc["battery", "local_share"] > 0
