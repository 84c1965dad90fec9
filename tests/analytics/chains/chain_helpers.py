"""A fictional plan with one battery chain, built in code, and small chain data with known answers.

The plan's area is 990100 (fictional) with districts 990101 and 990102; its supply region is the
prefix 98. Links: mat (materials) → cell (parts) → pack (systems) → car (final).
"""
from __future__ import annotations

import pandas as pd

from zhizao.analytics.chains.data import ENTERPRISE_COLUMNS, MEMBER_COLUMNS, SUPPLY_COLUMNS, ChainData
from zhizao.plan.spec import Plan

LINKS = [
    {"id": "mat", "name": "正极材料", "name_en": "Cathode material", "stage": "materials", "upstream": [],
     "key_products": ["正极材料"], "section": "三(一) 专栏2"},
    {"id": "cell", "name": "电芯", "name_en": "Cells", "stage": "parts", "upstream": ["mat"],
     "key_products": ["动力电池电芯"], "section": "三(一) 专栏2"},
    {"id": "pack", "name": "电池包", "name_en": "Battery packs", "stage": "systems", "upstream": ["cell"],
     "key_products": ["电池包"], "section": "三(一) 专栏2"},
    {"id": "car", "name": "整车", "name_en": "Vehicles", "stage": "final", "upstream": ["pack"],
     "key_products": ["新能源汽车"], "section": "三(一) 专栏2"},
]


def plan_dict(chains: bool = True, districts: bool = True) -> dict:
    return {
        "plan": {"id": "riverton-chains", "title": "河湾市产业链测试规划（虚构）", "issuer": "河湾市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}],
        "indicators": [],
        "clusters": [{"id": "auto", "name": "汽车产业集群", "scale_target": 100, "target_year": 2027,
                      "target_text": "百亿级", "section": "三(一)"}],
        "regions": {"whole_code": "990100", "whole_name": "河湾市",
                    "districts": ([{"code": "990101", "name": "东区"}, {"code": "990102", "name": "西区"}]
                                  if districts else [])},
        "supply_region": {"name": "河湾经济区", "name_en": "Riverton region", "division_prefixes": ["98"]},
        "chains": ([{"id": "battery", "name": "动力电池", "name_en": "Power batteries", "cluster": "auto",
                     "section": "四(二)", "links": LINKS}] if chains else []),
    }


def make_plan(**kw) -> Plan:
    return Plan.model_validate(plan_dict(**kw))


def ent(eid, district="990101", country="CN", output=100.0, name=None):
    return {"enterprise_id": eid, "name": name or f"企业{eid}", "district": district, "country": country,
            "output": output}


def chain_data(enterprises, members, supply, as_of="2025-06-30") -> ChainData:
    return ChainData(pd.DataFrame(enterprises, columns=ENTERPRISE_COLUMNS),
                     pd.DataFrame(members, columns=MEMBER_COLUMNS),
                     pd.DataFrame(supply, columns=SUPPLY_COLUMNS).astype({"share": float}),
                     synthetic=False, source="test", as_of=as_of)


def three_tier() -> ChainData:
    """M1 (local) supplies cells maker C1 60 %, M2 (abroad) 40 %; C1 sole supplier of packs to P1;
    P1 supplies car maker V1 100 %; V2 buys packs from P1 50 % and from P2 (region) 50 %.
    Links: mat has M1 local + M2 abroad; cell has C1 local; pack P1 local, P2 region; car V1, V2 local."""
    enterprises = [ent("M1", output=50), ent("M2", district="", country="JP", output=80),
                   ent("C1", output=200), ent("P1", district="990102", output=300),
                   ent("P2", district="980101", output=100), ent("V1", output=1000), ent("V2", output=500)]
    members = [
        {"enterprise_id": "M1", "chain": "battery", "link": "mat", "role": "supplier", "capacity": 50.0},
        {"enterprise_id": "M2", "chain": "battery", "link": "mat", "role": "supplier", "capacity": 150.0},
        {"enterprise_id": "C1", "chain": "battery", "link": "cell", "role": "core", "capacity": 200.0},
        {"enterprise_id": "P1", "chain": "battery", "link": "pack", "role": "core", "capacity": 300.0},
        {"enterprise_id": "P2", "chain": "battery", "link": "pack", "role": "supplier", "capacity": 100.0},
        {"enterprise_id": "V1", "chain": "battery", "link": "car", "role": "leader", "capacity": 1000.0},
        {"enterprise_id": "V2", "chain": "battery", "link": "car", "role": "leader", "capacity": 500.0},
    ]
    supply = [
        {"supplier_id": "M1", "buyer_id": "C1", "chain": "battery", "link": "mat", "share": 0.6},
        {"supplier_id": "M2", "buyer_id": "C1", "chain": "battery", "link": "mat", "share": 0.4},
        {"supplier_id": "C1", "buyer_id": "P1", "chain": "battery", "link": "cell", "share": 1.0},
        {"supplier_id": "P1", "buyer_id": "V1", "chain": "battery", "link": "pack", "share": 1.0},
        {"supplier_id": "P1", "buyer_id": "V2", "chain": "battery", "link": "pack", "share": 0.5},
        {"supplier_id": "P2", "buyer_id": "V2", "chain": "battery", "link": "pack", "share": 0.5},
    ]
    return chain_data(enterprises, members, supply)
