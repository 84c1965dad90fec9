"""Districts: the plan's districts on a map (the plan's own region geometry), coloured by any series
with district data or by the plan's region groups; the functional zones (not administrative areas)
listed beside it. A plan without geometry gets the same page with the table and no map.

The map joins data to boundaries by code (GB/T 2260, in the plan's `code_property`), never by
display name: names change (梁平县 → 梁平区) and a silent mismatch leaves a district blank.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from zhizao.analytics.selection import select_best
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, not_found, page_context
from zhizao.outputs.web.render import jsonable, respond

router = APIRouter()

GEOJSON = "geo/chongqing-districts.geojson"  # the default plan's map, also at its historical address
GEO_URL = "/" + GEOJSON  # the monitoring page's map: its (synthetic) data are that plan's districts
MAP_NAME = "districts"  # the name a map is registered under with echarts.registerMap
GROUP_LAYER = "groups"
GROUP_COLOURS = ["#1f4e99", "#6a9fd8", "#e08214", "#5aae61", "#c51b7d", "#8c8c8c"]
VALUE_COLOURS = ["#edf4fc", "#9ecae1", "#4292c6", "#08519c", "#08306b"]
GEO_HEADERS = {"Cache-Control": "public, max-age=86400"}


@lru_cache(maxsize=8)
def _read_geometry(file: str, code_property: str) -> tuple[bytes | None, tuple[str, ...], str | None]:
    """(bytes, feature codes, problem) of a map file: bundled `geo/…` or an absolute path (the loader
    made plan-relative paths absolute). Anything but a FeatureCollection with codes is refused."""
    try:
        data = (resources.files("zhizao.resources").joinpath(file).read_bytes() if file.startswith("geo/")
                else Path(file).read_bytes())
        doc = json.loads(data)
    except (OSError, ValueError) as e:
        return None, (), f"地图文件无法读取 / the map file cannot be read: {type(e).__name__}"
    feats = doc.get("features") if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" else None
    if not isinstance(feats, list):
        return None, (), "地图文件不是 GeoJSON FeatureCollection / the map file is not a GeoJSON FeatureCollection"
    codes = tuple(str((f.get("properties") or {}).get(code_property, "")) for f in feats if isinstance(f, dict))
    if not any(codes):
        return None, (), (f"地图要素没有代码属性“{code_property}” / "
                          f"the map's features have no code property '{code_property}'")
    return data, codes, None


def plan_geometry(plan) -> tuple[bytes | None, tuple[str, ...], str | None]:
    """The plan's map: (bytes, codes, problem); (None, (), None) for a plan without one."""
    geo = plan.regions.geometry if plan.regions else None
    if geo is None:
        return None, (), None
    return _read_geometry(geo.file, geo.code_property)


def geo_url(plan) -> str:
    return f"/p/{plan.plan.id}/geo.geojson"


def geojson_bytes() -> bytes:
    return resources.files("zhizao.resources").joinpath(GEOJSON).read_bytes()


def geojson_adcodes() -> tuple[str, ...]:
    return _read_geometry(GEOJSON, "adcode")[1]


@router.get("/geo/chongqing-districts.geojson")
def geojson():
    # Served from the package (zhizao/resources/geo, MIT, see its licence file): no map service.
    return Response(geojson_bytes(), media_type="application/geo+json", headers=GEO_HEADERS)


@router.get("/geo.geojson")
def plan_geojson(ctx: Ctx = Depends(page_context)):
    """The plan's map (its own file: bundled, or beside the plan file): /p/<plan id>/geo.geojson,
    and /geo.geojson for the default plan."""
    data, _, problem = plan_geometry(ctx.plan)
    if data is None:
        raise not_found(problem or f"plan '{ctx.plan.plan.id}' has no map (regions.geometry)")
    return Response(data, media_type="application/geo+json", headers=GEO_HEADERS)


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
    regions_ = plan.regions
    rows = []
    for d in (regions_.districts if regions_ else []):
        g = group_of.get(d.code)
        rows.append({"code": d.code, "name": d.name, "group": g["id"] if g else None,
                     "group_name": pick(g["name"], g["name_en"], ctx.lang) if g else None,
                     **values.get(d.code, {"value": None})})
    zones = []
    functional = regions_.functional_zones if regions_ else []
    zone_values = _values(ctx, layer, period, {z.code for z in functional}) if current else {}
    for z in functional:
        zones.append({"code": z.code, "name": z.name, "note": z.note,
                      "host_districts": [{"code": c, "name": ctx.region_name(c)} for c in z.host_districts],
                      **zone_values.get(z.code, {"value": None})})
    data, codes, problem = plan_geometry(plan)
    geo = regions_.geometry if regions_ else None
    return {
        "layer": layer, "period": period, "layers": all_layers, "current": current,
        "districts": rows, "groups": groups, "functional_zones": zones,
        # No geometry, no map: the plan names its own (regions.geometry); the table stays.
        "map": ({"url": geo_url(plan), "code_property": geo.code_property, "licence": geo.licence}
                if data is not None else None),
        "map_problem": problem,
        "join": {"geojson_features": len(codes), "joined": len(set(codes) & {r["code"] for r in rows}),
                 "plan_districts": len(rows)},
    }


def map_option(data: dict, lang: str, map_name: str = MAP_NAME) -> dict:
    """The ECharts map option (drawn only when the plan has a map: data["map"]). `geoUrl` tells app.js
    where the boundaries are (it registers them under `map_name` and removes the key before drawing)."""
    geo = data.get("map") or {}
    rows = data["districts"]
    base = {"animation": False, "tooltip": {"trigger": "item"},
            "title": {"text": (data["layer"] if data["current"] else t("groups", lang))
                      + (f"（{data['period']}）" if data["period"] else ""), "left": "center",
                      "textStyle": {"fontSize": 16}}}
    series = {"type": "map", "map": map_name, "nameProperty": geo.get("code_property", "adcode"), "roam": True, "top": 50, "bottom": 10,
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
                  "pieces": [{"value": i, "label": pick(g["name"], g["name_en"], lang), "color": GROUP_COLOURS[i % len(GROUP_COLOURS)]}
                             for i, g in enumerate(leaf)]}
    return {**base, "visualMap": visual, "series": [series], "geoUrl": geo.get("url", GEO_URL)}


@router.get("/districts")
def districts_page(ctx: Ctx = Depends(page_context), layer: str | None = Query(None),
                   period: str | None = Query(None)):
    data = districts_data(ctx, layer, period)
    return respond(ctx.request, "districts.html", data, lang=ctx.lang, user=ctx.user, page="districts",
                   title=t("nav_districts", ctx.lang) + " · " + t("app_title", ctx.lang),
                   charts={"map": map_option(data, ctx.lang, ctx.plan.plan.id)} if data["map"] else {})
