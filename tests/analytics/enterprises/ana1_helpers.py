"""Small hand-built enterprise data for the 亩均, park and backward-capacity tests, on a fictional plan.

The plan's area is 990100 (fictional 河湾市) with districts 990101 and 990102; with_parks gives it a
two-tier park system (core / local), without it the plan names none. Enterprise ids are short
strings: the analytics do not check credit codes (the import does).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao.analytics.enterprises.data import (ANNUAL_COLUMNS, PARK_COLUMNS, REGISTRY_COLUMNS, EnterpriseData,
                                               empty_frame)
from zhizao.plan.spec import Plan


def make_plan(parks: bool = True) -> Plan:
    d = {
        "plan": {"id": "riverton-parks", "title": "河湾市园区测试规划（虚构）", "issuer": "河湾市（虚构）",
                 "base_year": 2022, "target_year": 2027},
        "categories": [{"id": "scale", "name": "规模"}],
        "indicators": [],
        "regions": {"whole_code": "990100", "whole_name": "河湾市",
                    "districts": [{"code": "990101", "name": "东区"}, {"code": "990102", "name": "西区"}]},
    }
    if parks:
        d["park_system"] = {"name": "“1+2”园区体系", "name_en": "The 1+2 park system", "section": "二(一)",
                            "tiers": [{"id": "core", "name": "核心园区", "name_en": "Core park", "count": 1},
                                      {"id": "local", "name": "特色园区", "name_en": "Local park", "count": 2}]}
    return Plan.model_validate(d)


def firm(eid, *, year=2024, district="990101", park="", industry="3670", size="", **measures) -> tuple[dict, dict]:
    """A registry row and its annual row: any ANNUAL_MEASURES as keywords, the rest NaN."""
    reg = {"enterprise_id": eid, "name": f"企业{eid}", "district": district, "park": park, "industry_class": industry,
           "size": size, "established": ""}
    ann = {c: np.nan for c in ANNUAL_COLUMNS}
    ann.update({"enterprise_id": eid, "year": year, **measures})
    return reg, ann


def data(firms, parks=(), extra_annual=()) -> EnterpriseData:
    """EnterpriseData from firm() pairs (and more annual rows, e.g. another year's)."""
    registry = pd.DataFrame([r for r, _ in firms], columns=REGISTRY_COLUMNS)
    annual = pd.DataFrame([a for _, a in firms] + list(extra_annual), columns=ANNUAL_COLUMNS)
    annual = annual.astype({c: "float64" for c in ANNUAL_COLUMNS[2:]}).astype({"year": "Int64"})
    park_frame = pd.DataFrame(list(parks), columns=PARK_COLUMNS) if parks else empty_frame("parks")
    return EnterpriseData(registry, empty_frame("tags"), annual, empty_frame("srdi"), park_frame,
                          empty_frame("green"), synthetic=False, source="test")
