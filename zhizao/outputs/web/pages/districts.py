"""Districts: the plan's districts on a map (the plan's own region geometry), coloured by any series
with district data or by the plan's region groups; the functional zones (not administrative areas)
listed beside it. A plan without geometry gets the same page with the table and no map.

The map joins data to boundaries by code (GB/T 2260, in the plan's `code_property`), never by
display name: names change (梁平县 → 梁平区) and a silent mismatch leaves a district blank.

Published district data are sparse (a few districts per series and period), so the page says how
many districts a layer covers (n/of the plan's districts), marks the rest 无数据 on the map, and
lets a district officer set 本区 (`district`) and districts to compare with (`compare`, repeated):
本区 against 全市, its rank among the districts with data, and a small comparison table and chart.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from zhizao import formatting, labels
from zhizao.analytics.selection import select_best
from zhizao.codes.regions import district_name
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, not_found, page_context, say
from zhizao.outputs.web.render import cell_number, frame, grade_words, jsonable, qual_label, respond

router = APIRouter()

GEOJSON = "geo/chongqing-districts.geojson"  # the default plan's map, also at its historical address
GEO_URL = "/" + GEOJSON  # the monitoring page's map: its (synthetic) data are that plan's districts
MAP_NAME = "districts"  # the name a map is registered under with echarts.registerMap
GROUP_LAYER = "groups"
GROUP_COLOURS = ["#1f4e99", "#6a9fd8", "#e08214", "#5aae61", "#c51b7d", "#8c8c8c"]
VALUE_COLOURS = ["#edf4fc", "#9ecae1", "#4292c6", "#08519c", "#08306b"]
NO_DATA_COLOUR = "#e6e6e6"  # the 无数据 legend entry (page and map) uses the same grey
COMPARE_COLOURS = {"self": "#1f4e99", "other": "#9ecae1", "whole": "#8c8c8c"}
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


def place_name(code: str, name: str, lang: str) -> str:
    """A district's name in the reader's language: the English name (zhizao.codes.regions, as the upload
    messages say it) on an English page when there is one, else the plan's own."""
    if lang == "en":
        en = district_name(code, "en")
        return en if en != str(code) else name
    return name


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


def _direct(link: dict) -> bool:
    """A link pairs the series with the indicator only when both measure the same thing: comparable and
    taken as published. A proxy, another definition or a derivation (a growth rate chained into a
    level) is a related indicator, not the series' own."""
    return link.get("comparability") == "comparable" and link.get("transform") == "identity"


def layers(ctx: Ctx) -> list[dict]:
    """Every series with values for at least one district, with its periods (latest first); computed once
    per store version, language and user scope (the rows a user sees), shared by its users: do not mutate."""
    return ctx.state.cached(("districts_layers", ctx.lang, ctx.state.rows_scope(ctx.user)), lambda: _layers(ctx))


def _layers(ctx: Ctx) -> list[dict]:
    obs = _district_obs(ctx)
    links = ctx.state.links()
    names = {i.id: pick(i.name, i.name_en, ctx.lang) for i in ctx.plan.indicators}
    out = []
    for series, g in obs.groupby("series", sort=True):
        per = g.groupby("period_key")["region"].nunique().sort_index(ascending=False)
        linked: dict[str, bool] = {series: True} if series in names else {}
        for link in links.loc[links["series"] == series].to_dict("records"):
            if link["indicator"] in names:
                linked[link["indicator"]] = linked.get(link["indicator"], False) or _direct(link)
        inds = [{"id": i, "name": names[i], "direct": direct} for i, direct in linked.items()]
        out.append({
            "series": series,
            "label": layer_label(series, [i["name"] for i in inds if i["direct"]],
                                 [i["name"] for i in inds if not i["direct"]], ctx.lang),
            "unit": g["unit"].iloc[0], "districts": int(g["region"].nunique()),
            "best_period_districts": int(per.max()),
            "periods": [{"period": p, "districts": int(n)} for p, n in per.items()],
            "indicators": inds,
        })
    # The default layer is the one a map shows most districts for: one period at a time.
    return sorted(out, key=lambda x: (-x["best_period_districts"], -x["districts"], x["series"]))


def layer_label(series: str, indicator_names: list[str], related: list[str] = (), lang: str = "zh") -> str:
    """A layer as the list shows it: the series, then in brackets the indicators it measures, leaving
    out a name that repeats the series (not 工业增加值（工业增加值）), and those it only relates to
    (a proxy, another definition, a growth rate behind a level) as 相关指标：…"""
    same = [n for n in dict.fromkeys(indicator_names) if n and n != series]
    rel = [n for n in dict.fromkeys(related) if n and n != series and n not in same]
    sep, lead = ("; ", t("related_indicator", lang) + ": ") if lang == "en" else ("；", t("related_indicator", lang) + "：")
    parts = ([(", " if lang == "en" else "、").join(same)] if same else []) + \
        ([lead + (", " if lang == "en" else "、").join(rel)] if rel else [])
    if not parts:
        return series
    if lang == "en" and same:  # the English names of the indicators it measures, not the series' Chinese name
        return ", ".join(same) + (f" ({lead}{', '.join(rel)})" if rel else "")
    return f"{series} ({sep.join(parts)})" if lang == "en" else f"{series}（{sep.join(parts)}）"


def _values(ctx: Ctx, series: str, period: str, regions: set[str] | None = None) -> dict[str, dict]:
    """region → the preferred published value (selection rule of zhizao.analytics.selection)."""
    obs = ctx.user.visible(ctx.state.observations())
    obs = obs[(obs["series"] == series) & (obs["period_key"] == period)]
    if regions is not None:
        obs = obs[obs["region"].isin(regions)]
    chosen, _ = select_best(obs)
    keep = ["value", "value_text", "unit", "qualifier", "status", "grade", "vintage", "source_url", "quote"]
    return {r["region"]: {k: r.get(k) for k in keep} for r in jsonable(chosen)}


def _check_codes(plan, district: str | None, compare: list[str], lang: str = "zh") -> None:
    known = {d.code for d in plan.regions.districts} if plan.regions else set()
    bad = [c[:20] for c in [district, *compare] if c and c not in known]
    if bad:
        raise HTTPException(422, say(lang, f"不是本规划的区县代码：{'、'.join(bad)}；请从列表中选择",
                                     f"not a district code of this plan: {', '.join(bad)}; choose one from the list"))


def _fmt(v, unit: str | None, lang: str) -> str:
    return formatting.value(v, unit, lang) if v is not None else formatting.MISSING


def _against_whole(v, whole, unit: str | None, lang: str) -> str | None:
    """本区 against 全市: a rate's difference in percentage points; a level's share of the city."""
    if v is None or whole is None:
        return None
    if _is_rate(unit):
        return formatting.points(float(v) - float(whole), lang)
    return formatting.percent(float(v) / float(whole) * 100) if float(whole) else None


def _is_rate(unit: str | None) -> bool:
    return (unit or "").strip() == "%"


def officer_view(rows: list[dict], whole: dict | None, unit: str | None, district: str | None,
                 compare: list[str], lang: str) -> dict | None:
    """本区 vs 全市, its rank among the districts with data (highest first) and the chosen districts."""
    if not district and not compare:
        return None
    ranked = sorted((r for r in rows if r.get("value") is not None), key=lambda r: -float(r["value"]))
    rank = {r["code"]: i + 1 for i, r in enumerate(ranked)}
    whole_value = whole.get("value") if whole else None
    by_code = {r["code"]: r for r in rows}
    chosen = list(dict.fromkeys(c for c in [district, *compare] if c))
    table = [{"code": c, "name": by_code[c]["name"], "self": c == district, "value": by_code[c].get("value"),
              "value_display": _fmt(by_code[c].get("value"), unit, lang), "rank": rank.get(c),
              "diff_display": _against_whole(by_code[c].get("value"), whole_value, unit, lang) or formatting.MISSING}
             for c in chosen]
    me = next((r for r in table if r["self"]), None)
    return {"district": me, "whole": {"value": whole_value, "value_display": _fmt(whole_value, unit, lang)},
            "ranked": len(ranked), "rows": table,
            # the label of diff_display: a difference for a rate, a share for a level
            "against": "diff_whole" if _is_rate(unit) else "share_whole"}


def compare_chart(view: dict, whole_name: str, unit: str | None, lang: str) -> dict:
    """Small bar chart of the chosen districts and 全市 (districts without a value are left out)."""
    rows = [r for r in view["rows"] if r["value"] is not None]
    bars = [{"value": r["value"], "itemStyle": {"color": COMPARE_COLOURS["self" if r["self"] else "other"]}}
            for r in rows]
    names = [r["name"] for r in rows]
    if view["whole"]["value"] is not None:
        names.append(whole_name)
        bars.append({"value": view["whole"]["value"], "itemStyle": {"color": COMPARE_COLOURS["whole"]}})
    return {"animation": False, "grid": {"left": 90, "right": 40, "top": 10, "bottom": 24},
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "xAxis": {"type": "value", "name": unit or ""},
            "yAxis": {"type": "category", "inverse": True, "data": names,
                      "axisLabel": {"width": 80, "overflow": "truncate"}},
            "series": [{"type": "bar", "data": bars, "label": {"show": True, "position": "right"}}]}


def districts_data(ctx: Ctx, layer: str | None, period: str | None, district: str | None = None,
                   compare: list[str] | None = None) -> dict:
    plan = ctx.plan
    compare = [c for c in (compare or []) if c]
    district = district or (ctx.user.region if ctx.user.level == "district" else None)
    _check_codes(plan, district, compare, ctx.lang)
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
        rows.append({"code": d.code, "name": place_name(d.code, d.name, ctx.lang), "group": g["id"] if g else None,
                     "group_name": pick(g["name"], g["name_en"], ctx.lang) if g else None,
                     **values.get(d.code, {"value": None})})
    unit = current["unit"] if current else None
    for r in rows:
        r["value_display"] = (r.get("value_text") or _fmt(r["value"], unit, ctx.lang)) if r["value"] is not None \
            else formatting.MISSING
    with_data = sum(r["value"] is not None for r in rows)
    whole_code = regions_.whole_code if regions_ else None
    whole = (_values(ctx, layer, period, {whole_code}).get(whole_code) if current and whole_code else None)
    zones = []
    functional = regions_.functional_zones if regions_ else []
    zone_values = _values(ctx, layer, period, {z.code for z in functional}) if current else {}
    for z in functional:
        zones.append({"code": z.code, "name": z.name, "note": z.note,
                      "host_districts": [{"code": c, "name": place_name(c, ctx.region_name(c), ctx.lang)}
                                         for c in z.host_districts],
                      **zone_values.get(z.code, {"value": None})})
    data, codes, problem = plan_geometry(plan)
    geo = regions_.geometry if regions_ else None
    return {
        "layer": layer, "period": period, "layers": all_layers, "current": current,
        "coverage": {"with_data": with_data, "no_data": len(rows) - with_data, "districts": len(rows)}
        if current else None,
        "whole": {"code": whole_code, "name": (t("whole_value", ctx.lang) if ctx.lang == "en" else regions_.whole_name)
                  if regions_ else None,
                  "value": whole.get("value") if whole else None,
                  "value_display": _fmt(whole.get("value") if whole else None, unit, ctx.lang)},
        "selection": {"district": district, "compare": compare},
        "officer": officer_view(rows, whole, unit, district, compare, ctx.lang) if current else None,
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
            "title": {"text": ((data["current"]["label"] if lang == "en" else data["layer"]) if data["current"]
                               else t("groups", lang))
                      + ((f" ({data['period']})" if lang == "en" else f"（{data['period']}）") if data["period"] else ""),
                      "left": "center",
                      "textStyle": {"fontSize": 16}}}
    series = {"type": "map", "map": map_name, "nameProperty": geo.get("code_property", "adcode"), "roam": True, "top": 50, "bottom": 10,
              "label": {"show": False}, "itemStyle": {"borderColor": "#ffffff", "borderWidth": 0.8,
                                                      "areaColor": "#e6e6e6"},
              "emphasis": {"label": {"show": True}}, "select": {"disabled": True}}
    if data["current"]:
        vals = [r["value"] for r in rows if r["value"] is not None]
        lo, hi = (min(vals), max(vals)) if vals else (0, 1)
        series["data"] = [{"name": r["code"], "value": r["value"], "district": r["name"],
                           "value_text": r.get("value_display") if r["value"] is not None else t("no_data_short", lang),
                           "group_name": r["group_name"]} for r in rows]
        visual = {"type": "continuous", "min": lo, "max": hi if hi > lo else lo + 1, "calculable": True,
                  "left": 10, "bottom": 10, "inRange": {"color": VALUE_COLOURS}, "text": ["", labels.unit_label(data["current"]["unit"], lang)]}
        cov = data["coverage"]
        # ECharts has no legend entry for items without a value: the 无数据 entry is a title line.
        lp, rp = (" (", ")") if lang == "en" else ("（", "）")
        base["title"] = [base["title"], {"text": f"■ {t('no_data_short', lang)}{lp}{cov['no_data']}/{cov['districts']}{rp}",
                                         "right": 10, "bottom": 10,
                                         "textStyle": {"fontSize": 12, "color": "#555", "fontWeight": "normal"}}]
    else:
        leaf = [g for g in data["groups"] if g["leaf"]]
        index = {g["id"]: i for i, g in enumerate(leaf)}
        series["data"] = [{"name": r["code"], "value": index.get(r["group"]), "district": r["name"],
                           "value_text": r["group_name"], "group_name": r["group_name"]} for r in rows]
        visual = {"type": "piecewise", "left": 10, "bottom": 10,
                  "pieces": [{"value": i, "label": pick(g["name"], g["name_en"], lang), "color": GROUP_COLOURS[i % len(GROUP_COLOURS)]}
                             for i, g in enumerate(leaf)]}
    return {**base, "visualMap": visual, "series": [series], "geoUrl": geo.get("url", GEO_URL)}


# --- exports (?table=districts|zones|compare&format=csv|xlsx|json): the page's tables, headers in its words
def districts_frame(data: dict, lang: str) -> pd.DataFrame:
    unit = labels.unit_label(data["current"]["unit"], lang) if data["current"] else ""
    head = {k: t(k, lang) for k in ("layer", "period", "code", "district", "groups", "value", "unit", "qualifier",
                                     "grade", "vintage", "source")}
    rows = [{head["layer"]: data["layer"] if data["current"] else t("groups", lang), head["period"]: data["period"],
             head["code"]: r["code"], head["district"]: r["name"], head["groups"]: r["group_name"],
             head["value"]: cell_number(r.get("value")), head["unit"]: unit if r.get("value") is not None else None,
             head["qualifier"]: qual_label(r.get("qualifier"), lang) or None,
             head["grade"]: grade_words(r["grade"], lang) if r.get("grade") else None,
             head["vintage"]: formatting.date(r["vintage"]) if r.get("vintage") else None,
             head["source"]: r.get("source_url")} for r in data["districts"]]
    return frame(rows, columns=list(head.values()))


def zones_frame(data: dict, lang: str) -> pd.DataFrame:
    unit = labels.unit_label(data["current"]["unit"], lang) if data["current"] else ""
    head = {k: t(k, lang) for k in ("region", "host_districts", "value", "unit", "note")}
    sep = ", " if lang == "en" else "、"
    rows = [{head["region"]: z["name"], head["host_districts"]: sep.join(h["name"] for h in z["host_districts"]),
             head["value"]: cell_number(z.get("value")), head["unit"]: unit if z.get("value") is not None else None,
             head["note"]: z.get("note")} for z in data["functional_zones"]]
    return frame(rows, columns=list(head.values()))


def compare_frame(data: dict, lang: str) -> pd.DataFrame:
    o = data["officer"]
    head = {"district": t("district", lang), "value": t("value", lang), "against": t(o["against"], lang),
            "rank": t("rank_among", lang)}
    mine = f" ({t('own_district', lang)})" if lang == "en" else f"（{t('own_district', lang)}）"
    rows = [{head["district"]: r["name"] + (mine if r["self"] else ""),
             head["value"]: cell_number(r["value"]), head["against"]: r["diff_display"],
             head["rank"]: f"{r['rank']}/{o['ranked']}" if r["rank"] else t("no_data_short", lang)} for r in o["rows"]]
    rows.append({head["district"]: t("whole_value", lang), head["value"]: cell_number(o["whole"]["value"]),
                 head["against"]: None, head["rank"]: None})
    return frame(rows, columns=list(head.values()))


# The map files are geometry, no data: public (auth.ROUTE_PERMISSIONS gets them through app.py).
PERMISSIONS = {("GET", r.path): "read_public" for r in router.routes if r.path.startswith("/geo/")}


@router.get("/districts")
def districts_page(ctx: Ctx = Depends(page_context), layer: str | None = Query(None),
                   period: str | None = Query(None), district: str | None = Query(None),
                   compare: list[str] = Query([])):
    data = districts_data(ctx, layer, period, district or None, compare)
    tables = {"districts": lambda: districts_frame(data, ctx.lang), "zones": lambda: zones_frame(data, ctx.lang)}
    if data["officer"]:
        tables["compare"] = lambda: compare_frame(data, ctx.lang)
    charts = {"map": map_option(data, ctx.lang, ctx.plan.plan.id)} if data["map"] else {}
    if data["officer"] and any(r["value"] is not None for r in data["officer"]["rows"]):
        charts["compare"] = compare_chart(data["officer"], data["whole"]["name"] or "", data["current"]["unit"], ctx.lang)
    return respond(ctx.request, "districts.html", data, lang=ctx.lang, user=ctx.user, page="districts",
                   title=t("nav_districts", ctx.lang) + " · " + t("app_title", ctx.lang), charts=charts,
                   tables=tables)
