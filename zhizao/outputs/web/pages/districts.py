"""Districts: Chongqing's 38 districts on a map, coloured by any series with district data or by
the plan's 一区两群 grouping; the functional zones (not administrative areas) listed beside it.

The map joins data to boundaries by adcode (GB/T 2260), never by display name: names change
(梁平县 → 梁平区) and a silent mismatch leaves a district blank.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import pandas as pd
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from zhizao.analytics.selection import select_best
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.render import jsonable, respond

router = APIRouter()

GEOJSON = "geo/chongqing-districts.geojson"
MAP_NAME = "chongqing"  # the name the page registers with echarts.registerMap
GROUP_LAYER = "groups"
GROUP_COLOURS = ["#1f4e99", "#6a9fd8", "#e08214", "#5aae61", "#c51b7d", "#8c8c8c"]
VALUE_COLOURS = ["#edf4fc", "#9ecae1", "#4292c6", "#08519c", "#08306b"]


@lru_cache(maxsize=1)
def geojson_bytes() -> bytes:
    return resources.files("zhizao.resources").joinpath(GEOJSON).read_bytes()


@lru_cache(maxsize=1)
def geojson_adcodes() -> tuple[str, ...]:
    return tuple(f["properties"]["adcode"] for f in json.loads(geojson_bytes())["features"])


@router.get("/geo/chongqing-districts.geojson")
def geojson():
    # Served from the package (zhizao/resources/geo, MIT, see its licence file): no map service.
    return Response(geojson_bytes(), media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})


def district_groups(plan) -> list[dict]:
    """一区两群 with each group's districts; a parent group (主城都市区) gets its children's."""
    groups = plan.regions.groups if plan.regions else []
    out = []
    for g in groups:
        members = list(g.districts) or [d for c in groups if c.parent == g.id for d in c.districts]
        out.append({"id": g.id, "name": g.name, "name_en": g.name_en, "parent": g.parent, "districts": members,
                    "leaf": bool(g.districts)})
    return out


def _district_obs(ctx: Ctx) -> pd.DataFrame:
    codes = {d.code for d in ctx.plan.regions.districts} if ctx.plan.regions else set()
    obs = ctx.user.visible(ctx.state.observations())
    return obs[obs["region"].isin(codes)]


def layers(ctx: Ctx) -> list[dict]:
    """Every series with values for at least one district, with its periods (latest first)."""
    obs = _district_obs(ctx)
    links = ctx.state.links()
    names = {i.id: pick(i.name, i.name_en, ctx.lang) for i in ctx.plan.indicators}
    out = []
    for series, g in obs.groupby("series", sort=True):
        per = g.groupby("period_key")["region"].nunique().sort_index(ascending=False)
        linked = links.loc[links["series"] == series, "indicator"].tolist() + ([series] if series in names else [])
        out.append({
            "series": series, "unit": g["unit"].iloc[0], "districts": int(g["region"].nunique()),
            "periods": [{"period": p, "districts": int(n)} for p, n in per.items()],
            "indicators": [{"id": i, "name": names[i]} for i in dict.fromkeys(linked) if i in names],
        })
    return sorted(out, key=lambda x: -x["districts"])


def _values(ctx: Ctx, series: str, period: str, regions: set[str] | None = None) -> dict[str, dict]:
    """region → the preferred published value (selection rule of zhizao.analytics.selection)."""
    obs = ctx.user.visible(ctx.state.observations())
    obs = obs[(obs["series"] == series) & (obs["period_key"] == period)]
    if regions is not None:
        obs = obs[obs["region"].isin(regions)]
    chosen, _ = select_best(obs)
    keep = ["value", "value_text", "unit", "qualifier", "status", "grade", "vintage", "source_url", "quote"]
    return {r["region"]: {k: r.get(k) for k in keep} for r in jsonable(chosen)}


def districts_data(ctx: Ctx, layer: str | None, period: str | None) -> dict:
    plan = ctx.plan
    all_layers = layers(ctx)
    by_series = {x["series"]: x for x in all_layers}
    if layer != GROUP_LAYER and layer not in by_series:
        layer = all_layers[0]["series"] if all_layers else GROUP_LAYER
    current = by_series.get(layer)
    if current:
        periods = [p["period"] for p in current["periods"]]
        if period not in periods:  # default: the period most districts report, latest on ties
            period = max(current["periods"], key=lambda p: p["districts"])["period"]
    else:
        period = None
    groups = district_groups(plan)
    group_of = {d: g for g in groups if g["leaf"] for d in g["districts"]}
    values = _values(ctx, layer, period) if current else {}
    rows = []
    for d in plan.regions.districts:
        g = group_of.get(d.code)
        rows.append({"code": d.code, "name": d.name, "group": g["id"] if g else None,
                     "group_name": pick(g["name"], g["name_en"], ctx.lang) if g else None,
                     **values.get(d.code, {"value": None})})
    zones = []
    zone_values = _values(ctx, layer, period, {z.code for z in plan.regions.functional_zones}) if current else {}
    for z in plan.regions.functional_zones:
        zones.append({"code": z.code, "name": z.name, "note": z.note,
                      "host_districts": [{"code": c, "name": ctx.region_name(c)} for c in z.host_districts],
                      **zone_values.get(z.code, {"value": None})})
    return {
        "layer": layer, "period": period, "layers": all_layers, "current": current,
        "districts": rows, "groups": groups, "functional_zones": zones,
        "join": {"geojson_features": len(geojson_adcodes()),
                 "joined": len(set(geojson_adcodes()) & {r["code"] for r in rows}),
                 "plan_districts": len(rows)},
    }


def map_option(data: dict, lang: str) -> dict:
    rows = data["districts"]
    base = {"animation": False, "tooltip": {"trigger": "item"},
            "title": {"text": (data["layer"] if data["current"] else t("groups", lang))
                      + (f"（{data['period']}）" if data["period"] else ""), "left": "center",
                      "textStyle": {"fontSize": 16}}}
    series = {"type": "map", "map": MAP_NAME, "nameProperty": "adcode", "roam": True, "top": 50, "bottom": 10,
              "label": {"show": False}, "itemStyle": {"borderColor": "#ffffff", "borderWidth": 0.8,
                                                      "areaColor": "#e6e6e6"},
              "emphasis": {"label": {"show": True}}, "select": {"disabled": True}}
    if data["current"]:
        vals = [r["value"] for r in rows if r["value"] is not None]
        lo, hi = (min(vals), max(vals)) if vals else (0, 1)
        series["data"] = [{"name": r["code"], "value": r["value"], "district": r["name"],
                           "value_text": r.get("value_text"), "group_name": r["group_name"]} for r in rows]
        visual = {"type": "continuous", "min": lo, "max": hi if hi > lo else lo + 1, "calculable": True,
                  "left": 10, "bottom": 10, "inRange": {"color": VALUE_COLOURS}, "text": ["", data["current"]["unit"]]}
    else:
        leaf = [g for g in data["groups"] if g["leaf"]]
        index = {g["id"]: i for i, g in enumerate(leaf)}
        series["data"] = [{"name": r["code"], "value": index.get(r["group"]), "district": r["name"],
                           "value_text": r["group_name"], "group_name": r["group_name"]} for r in rows]
        visual = {"type": "piecewise", "left": 10, "bottom": 10,
                  "pieces": [{"value": i, "label": pick(g["name"], g["name_en"], lang), "color": GROUP_COLOURS[i]}
                             for i, g in enumerate(leaf)]}
    return {**base, "visualMap": visual, "series": [series]}


@router.get("/districts")
def districts_page(ctx: Ctx = Depends(page_context), layer: str | None = Query(None),
                   period: str | None = Query(None)):
    data = districts_data(ctx, layer, period)
    return respond(ctx.request, "districts.html", data, lang=ctx.lang, user=ctx.user, page="districts",
                   title=t("nav_districts", ctx.lang) + " · " + t("app_title", ctx.lang),
                   charts={"map": map_option(data, ctx.lang)})
