"""Hypothesis strategies for plans and data, and builders for the frames the store returns.

`plans()` draws valid plans with any mix of kinds, comparators and target forms (tracked, undated,
ranges, held every year, qualified or missing baselines, unstated nature) over 1–10 year periods;
`plan_and_data()` adds observations of those indicators (levels, qualifiers, grades, preliminary
and final values, base-year values) in the store's frame layout, so analytics run without a store.
"""
from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from zhizao.plan.spec import Plan

REGION = "990100"
OBS_COLUMNS = ["obs_id", "series", "region", "industry", "period_type", "year", "month", "period_key", "value",
               "qualifier", "value_text", "unit", "unit_original", "price_basis", "status", "vintage", "source_id",
               "quote", "note", "batch_id", "synthetic", "source_title", "publisher", "source_url", "published",
               "accessed", "grade"]
LINK_COLUMNS = ["plan_id", "indicator", "series", "comparability", "transform", "numerator", "numerator_unit",
                "denominator", "denominator_unit", "scale", "region", "note", "batch_id"]
QUALIFIERS = ["exact", "exact", "exact", "more_than", "nearly", "about", "at_least", "at_most", "less_than"]


def obs_frame(rows: list[dict]) -> pd.DataFrame:
    """Observations as `Store.observations()` returns them; each row needs series, year, value, unit;
    the rest defaults to a final, exact, grade-A annual value for the whole region."""
    out = []
    for i, r in enumerate(rows):
        y = int(r["year"])
        out.append({
            "obs_id": i + 1, "series": r["series"], "region": r.get("region", REGION), "industry": "ALL",
            "period_type": "year", "year": y, "month": None, "period_key": str(y), "value": float(r["value"]),
            "qualifier": r.get("qualifier", "exact"), "value_text": r.get("value_text", f"{r['value']:g}"),
            "unit": r["unit"], "unit_original": r["unit"], "price_basis": r.get("price_basis"),
            "status": r.get("status", "final"), "vintage": pd.Timestamp(r.get("vintage", f"{y + 1}-03-01")),
            "source_id": f"s{i}", "quote": r.get("quote", f"{r['series']} {r['value']:g}"), "note": None,
            "batch_id": "b1", "synthetic": False, "source_title": "公报", "publisher": "统计局",
            "source_url": r.get("url", f"https://example.org/{i}"), "published": pd.Timestamp(f"{y + 1}-03-01"),
            "accessed": pd.NaT, "grade": r.get("grade", "A"),
        })
    df = pd.DataFrame(out, columns=OBS_COLUMNS)
    return df.astype({"year": "int32", "value": "float64"}) if len(df) else df


def links_frame(rows: list[dict], plan_id: str = "p") -> pd.DataFrame:
    return pd.DataFrame([{**{c: None for c in LINK_COLUMNS}, "plan_id": plan_id, "comparability": "comparable",
                          "transform": "identity", **r} for r in rows], columns=LINK_COLUMNS)


def plan_dict(indicators: list[dict], base_year: int = 2020, target_year: int = 2025, **meta) -> dict:
    return {
        "plan": {"id": "p", "title": "测试规划", "issuer": "测试", "base_year": base_year,
                 "target_year": target_year, **meta},
        "categories": [{"id": "c", "name": "类"}],
        "indicators": [{"category": "c", "section": "表1", "nature": "expected", **i} for i in indicators],
        "regions": {"whole_code": REGION, "whole_name": "测试市"},
    }


def make_plan(indicators: list[dict], **kw) -> Plan:
    return Plan.model_validate(plan_dict(indicators, **kw))


@st.composite
def indicators(draw, i: int, base_year: int, target_year: int) -> dict:
    kind = draw(st.sampled_from(["level", "share", "count", "index", "ratio", "average_annual_growth",
                                 "cumulative_change"]))
    up = draw(st.booleans()) if kind != "count" else True
    pct = kind in ("share", "average_annual_growth", "cumulative_change")
    ind = {"id": f"i{i}", "name": f"指标{i}", "kind": kind, "unit": "%" if pct else draw(st.sampled_from(["亿元", "个", "指数"])),
           "direction": "increase" if up else "decrease",
           "nature": draw(st.sampled_from(["expected", "binding", "unstated"]))}
    form = draw(st.sampled_from(["plain", "plain", "tracked", "undated", "between", "every_year", "approx"]))
    if form == "tracked":
        return ind
    b = draw(st.floats(1, 1000, allow_nan=False).map(lambda x: round(x, 2)))
    year = None if form == "undated" else draw(st.integers(base_year + 1, target_year))
    if kind == "cumulative_change":
        mag = draw(st.floats(0.5, 60).map(lambda x: round(x, 2)))
        value = -mag if not up else mag
    elif kind == "average_annual_growth":
        value = draw(st.floats(-20, 30).map(lambda x: round(x, 2)))
    else:
        factor = draw(st.floats(1.0, 3.0))
        value = round(b * factor if up else b / factor, 2)
        if kind == "share":
            b, value = min(b, 99.0) / 1, min(value, 99.0)
    comp = ">=" if up else "<="
    target = {"year": year, "value": value, "comparator": draw(st.sampled_from([comp, {">=": "≥", "<=": "≤"}[comp],
                                                                                  ">" if up else "<", "="]))}
    if form == "between":
        target.update(comparator=draw(st.sampled_from(["between", "区间"])),
                      upper=round(value + abs(value) * draw(st.floats(0.01, 0.5)), 2))
    if form == "approx":
        target["comparator"] = draw(st.sampled_from(["≈", "左右"]))
    if form == "every_year":
        target["every_year"] = True
    ind["target"] = target
    if kind != "cumulative_change" and draw(st.booleans()):
        ind["baseline"] = {"year": base_year, "value": b, "qualifier": draw(st.sampled_from(QUALIFIERS[:6]))}
    if kind not in ("average_annual_growth", "cumulative_change") and draw(st.integers(0, 3)) == 0:
        ind["stated_growth"] = {"value": draw(st.floats(0.1, 20).map(lambda x: round(x, 2))),
                                "unit": "percentage_points" if pct else "percent"}
    if draw(st.integers(0, 4)) == 0:
        ind["path"] = draw(st.sampled_from(["geometric", "linear"]))
    return ind


@st.composite
def plans(draw, max_indicators: int = 5) -> Plan:
    base_year = draw(st.integers(2015, 2022))
    target_year = base_year + draw(st.integers(1, 10))
    n = draw(st.integers(1, max_indicators))
    inds = [draw(indicators(i, base_year, target_year)) for i in range(n)]
    return make_plan(inds, base_year=base_year, target_year=target_year)


@st.composite
def observations_for(draw, plan: Plan) -> pd.DataFrame:
    """Values for some years (from the year before the base year to the year after the target), around
    each indicator's baseline or target, with random qualifiers, grades and release status."""
    rows = []
    p = plan.plan
    for ind in plan.indicators:
        years = draw(st.lists(st.integers(p.base_year - 1, p.target_year + 1), max_size=6, unique=True))
        ref = ind.baseline.value if ind.baseline else (ind.target.value if ind.target else 50.0)
        for y in years:
            if ind.kind.value in ("average_annual_growth", "cumulative_change"):
                v = draw(st.floats(-30, 30))
            else:
                v = draw(st.floats(0.01, 3)) * (abs(ref) or 1)
            for _ in range(draw(st.integers(1, 2))):
                rows.append({"series": ind.id, "year": y, "value": round(v, 3), "unit": ind.unit,
                             "qualifier": draw(st.sampled_from(QUALIFIERS)),
                             "status": draw(st.sampled_from(["final", "final", "preliminary"])),
                             "grade": draw(st.sampled_from(["A", "A", "B", "C", "D"]))})
    return obs_frame(rows)


@st.composite
def plan_and_data(draw, max_indicators: int = 5) -> tuple[Plan, pd.DataFrame, pd.DataFrame]:
    plan = draw(plans(max_indicators))
    return plan, draw(observations_for(plan)), links_frame([])
