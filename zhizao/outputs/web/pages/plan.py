"""Plan browser: every section of the plan, searchable in Chinese, each item linked to the
indicators and data that concern it."""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse

from zhizao import formatting, labels
from zhizao.analytics.progress import target_display
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, not_found, page_context
from zhizao.outputs.web.render import cell_number, frame, respond, wants_json
from zhizao.plan.search import search_plan

router = APIRouter()

# kind (as search_plan names it) → the Plan attribute holding those items
TEXT_KINDS = {"technology": "technologies", "platform": "platforms", "task": "tasks", "safeguard": "safeguards"}
KINDS = ("indicator", "cluster", "industry", *TEXT_KINDS)


def _status_by_id(ctx: Ctx) -> dict[str, dict]:
    return {i["id"]: i for i in ctx.state.assessment(ctx.lang)["indicators"]}


def _indicator_refs(ctx: Ctx, ids: list[str]) -> list[dict]:
    by_id = _status_by_id(ctx)
    return [{"id": i, "name": pick(by_id[i]["name"], by_id[i].get("name_en"), ctx.lang),
             "status": by_id[i]["status"], "status_label": by_id[i]["status_label"]} for i in ids if i in by_id]


def _industry_refs(ctx: Ctx, ids: list[str]) -> list[dict]:
    names = {x.id: pick(x.name, x.name_en, ctx.lang) for x in ctx.plan.industries}
    return [{"id": i, "name": names.get(i, i)} for i in ids]


def sections(ctx: Ctx) -> dict:
    """The whole plan as lists of short items (title, section, link), in the plan's order."""
    plan = ctx.plan
    by_id = _status_by_id(ctx)
    out = {
        "indicator": [{"id": i.id, "title": pick(i.name, i.name_en, ctx.lang), "section": i.section,
                       "target": target_display(i.target, ctx.lang) if i.target else None,
                       "target_year": i.target.year if i.target else None,
                       "status": by_id[i.id]["status"], "status_label": by_id[i.id]["status_label"]}
                      for i in plan.indicators],
        "cluster": [{"id": c.id, "title": c.target_text + pick(c.name, c.name_en, ctx.lang), "section": c.section}
                    for c in plan.clusters],
        "industry": [{"id": x.id, "title": pick(x.name, x.name_en, ctx.lang), "section": x.section, "group": x.group,
                      "group_label": t("group_" + x.group, ctx.lang),
                      "products": [p for g in x.key_products for p in g.products]} for x in plan.industries],
    }
    for kind, attr in TEXT_KINDS.items():
        out[kind] = [{"id": x.id, "title": x.title, "section": x.section, "indicators": x.indicators}
                     for x in getattr(plan, attr)]
    return out


# The plan tables as downloads (?table=NAME&format=csv|xlsx): headers are the page's words (labels.UI), else
# `plan show`'s (labels.CLI_COLUMN); numbers stay numbers, codes become words.
def _head(key: str, lang: str) -> str:
    return t(key, lang) if key in labels.UI else labels.label("cli_column", key, lang)


def _table(rows: list[dict], keys: tuple[str, ...], lang: str) -> pd.DataFrame:
    heads = [_head(k, lang) for k in keys]
    return frame([{h: r.get(k) for h, k in zip(heads, keys)} for r in rows], columns=heads)


def _join(items, lang: str) -> str:
    return ("; " if lang == "en" else "、").join(x for x in items if x)


def indicators_frame(ctx: Ctx) -> pd.DataFrame:
    plan, lang, by_id = ctx.plan, ctx.lang, _status_by_id(ctx)
    rows = [{"indicator": pick(i.name, i.name_en, lang), "category": plan.category_name(i.category, lang),
             "nature": labels.label("nature", i.nature.value, lang), "unit": labels.unit_label(i.unit, lang),
             "kind": labels.label("indicator_kind", i.kind.value, lang),
             "baseline_year": i.baseline.year if i.baseline else None,
             "baseline": cell_number(i.baseline.value) if i.baseline else None,
             "target": target_display(i.target, lang) if i.target else None,
             "target_year": i.target.year if i.target else None,
             "price_basis": labels.label("price_basis", i.price_basis.value, lang),
             "status": by_id[i.id]["status_label"] if i.id in by_id else None, "section": i.section}
            for i in plan.indicators]
    return _table(rows, ("indicator", "category", "nature", "unit", "kind", "baseline_year", "baseline", "target",
                         "target_year", "price_basis", "status", "section"), lang)


def clusters_frame(ctx: Ctx) -> pd.DataFrame:
    names = {x.id: pick(x.name, x.name_en, ctx.lang) for x in ctx.plan.industries}
    rows = [{"plan_cluster": pick(c.name, c.name_en, ctx.lang), "target_text": c.target_text,
             "scale_target": cell_number(c.scale_target), "unit": labels.unit_label(c.unit, ctx.lang),
             "target_year": c.target_year, "industries": _join((names.get(x, x) for x in c.industries), ctx.lang),
             "section": c.section} for c in ctx.plan.clusters]
    return _table(rows, ("plan_cluster", "target_text", "scale_target", "unit", "target_year", "industries", "section"),
                  ctx.lang)


def industries_frame(ctx: Ctx) -> pd.DataFrame:
    clusters = {c.id: pick(c.name, c.name_en, ctx.lang) for c in ctx.plan.clusters}
    rows = [{"group": labels.label("industry_group", x.group, ctx.lang), "industry": pick(x.name, x.name_en, ctx.lang),
             "section": x.section, "sub_industries": _join(x.sub_industries, ctx.lang),
             # a group's products are joined with 、 already: groups apart with ；
             "key_products": ("; " if ctx.lang == "en" else "；").join("、".join(g.products) for g in x.key_products),
             "cluster": clusters.get(x.cluster) if x.cluster else None} for x in ctx.plan.industries]
    return _table(rows, ("group", "industry", "section", "sub_industries", "key_products", "cluster"), ctx.lang)


def items_frame(ctx: Ctx) -> pd.DataFrame:
    """Technologies, platforms, tasks and safeguards in one table, each with the indicators it names."""
    by_id = _status_by_id(ctx)
    rows = [{"kind": t("kind_" + kind, ctx.lang), "title": x.title, "section": x.section,
             "related_indicators": _join((pick(by_id[i]["name"], by_id[i].get("name_en"), ctx.lang)
                                          for i in x.indicators if i in by_id), ctx.lang)}
            for kind, attr in TEXT_KINDS.items() for x in getattr(ctx.plan, attr)]
    return _table(rows, ("kind", "title", "section", "related_indicators"), ctx.lang)


def evidence_frame(cluster: dict, lang: str) -> pd.DataFrame:
    """A cluster's evidence: each published figure with its year, comparability, grade and source."""
    rows = []
    for e in cluster.get("evidence") or []:
        src = e.get("source") or {}
        rows.append({"series": e.get("series"), "year": e.get("year"), "value": cell_number(e.get("value")),
                     "value_text": e.get("value_text"), "unit": labels.unit_label(e.get("unit"), lang),
                     "comparability": labels.label("comparability", e.get("comparability"), lang),
                     "grade": labels.label("grade", e.get("grade") if e.get("grade") in labels.GRADE else "none", lang),
                     "note": e.get("note"),
                     "source": formatting.source_text(src.get("title"), src.get("publisher"), src.get("grade"),
                                                      src.get("url"), lang)})
    keys = ("series", "year", "value", "value_text", "unit", "comparability", "grade", "note", "source")
    return _table(rows, keys, lang)


def _with_units(cluster: dict | None, lang: str) -> dict | None:
    """The cluster's progress with its units in the reader's language (亿元 → 100 million yuan)."""
    if not cluster:
        return cluster
    return {**cluster, "unit_label": labels.unit_label(cluster.get("unit"), lang),
            "evidence": [{**e, "unit_label": labels.unit_label(e.get("unit"), lang),
                          "comparability_label": labels.label("comparability", e.get("comparability"), lang)}
                         for e in cluster.get("evidence") or []]}


def plan_tables(ctx: Ctx) -> dict:
    return {"indicators": lambda: indicators_frame(ctx), "clusters": lambda: clusters_frame(ctx),
            "industries": lambda: industries_frame(ctx), "items": lambda: items_frame(ctx)}


@router.get("/plan")
def plan_page(ctx: Ctx = Depends(page_context), q: str = Query("", max_length=100)):
    q = q.strip()
    results = None
    if q:
        hits = search_plan(ctx.plan, q)
        results = [{**h, "url": f"{ctx.base}/plan/{h['kind']}/{h['id']}"} for h in hits.to_dict(orient="records")]
    meta = ctx.plan.plan
    data = {
        "plan": {"id": meta.id, "title": pick(meta.title, meta.title_en, ctx.lang), "issuer": meta.issuer,
                 "document_number": meta.document_number, "issued": meta.issued, "base_year": meta.base_year,
                 "target_year": meta.target_year, "notes": meta.notes},
        "query": q, "results": results, "sections": sections(ctx), "kinds": list(KINDS),
    }
    return respond(ctx.request, "plan.html", data, lang=ctx.lang, user=ctx.user, page="plan",
                   title=t("nav_plan", ctx.lang) + " · " + t("app_title", ctx.lang), tables=plan_tables(ctx))


def _data_query(ctx: Ctx, *names: str) -> list[dict]:
    """Links into the data page for words that stored series names contain (汽车, 电子…), with
    how many observations each finds; words that find nothing are left out."""
    series = ctx.user.visible(ctx.state.observations())["series"]
    out = []
    for n in dict.fromkeys(n for n in names if n):
        count = int(series.str.contains(n, regex=False).sum())
        if count:
            out.append({"q": n, "url": f"{ctx.base}/data?" + urlencode({"q": n}), "count": count})
    return out


def _mentions(plan, industry_ids: set[str]) -> list[dict]:
    """Tasks, technologies and platforms that name one of these industries."""
    return [{"kind": k, "id": i.id, "title": i.title, "section": i.section, "indicators": i.indicators}
            for k, attr in TEXT_KINDS.items() for i in getattr(plan, attr) if industry_ids & set(i.industries)]


def _their_indicators(mentions: list[dict]) -> list[str]:
    return list(dict.fromkeys(i for m in mentions for i in m["indicators"]))


@router.get("/plan/{kind}/{item_id}")
def plan_item(kind: str, item_id: str, ctx: Ctx = Depends(page_context)):
    plan = ctx.plan
    if kind == "indicator":
        if item_id not in {i.id for i in plan.indicators}:
            raise not_found(f"indicator '{item_id}'")
        return RedirectResponse(f"{ctx.base}/indicator/{item_id}" + ("?format=json" if wants_json(ctx.request) else ""))
    result = ctx.state.assessment(ctx.lang)
    data: dict = {"kind": kind, "kind_label": t("kind_" + kind, ctx.lang) if kind in KINDS else kind}
    if kind == "industry":
        x = next((x for x in plan.industries if x.id == item_id), None)
        if x is None:
            raise not_found(f"industry '{item_id}'")
        cluster = _with_units(next((c for c in result["clusters"] if c["id"] == x.cluster), None), ctx.lang)
        mentions = _mentions(plan, {x.id})
        data.update(item=x.model_dump(), title=pick(x.name, x.name_en, ctx.lang),
                    group_label=t("group_" + x.group, ctx.lang), cluster=cluster, related_items=mentions,
                    indicators=_indicator_refs(ctx, _their_indicators(mentions)),
                    data_links=_data_query(ctx, x.name, *x.sub_industries, *(m["title"] for m in mentions),
                                           *([cluster["name"]] if cluster else [])))
    elif kind == "cluster":
        c = next((c for c in plan.clusters if c.id == item_id), None)
        if c is None:
            raise not_found(f"cluster '{item_id}'")
        progress = _with_units(next((p for p in result["clusters"] if p["id"] == c.id), None), ctx.lang)
        mentions = _mentions(plan, set(c.industries))
        data.update(item=c.model_dump(), title=c.target_text + pick(c.name, c.name_en, ctx.lang), cluster=progress,
                    unit_label=labels.unit_label(c.unit, ctx.lang),
                    # 产值/增加值 in the reader's words; another measure is the plan's own (shown verbatim)
                    measure_label=(labels.label("measure_word", c.measure, ctx.lang)
                                   if c.measure in labels.MEASURE_WORD else None),
                    industries=_industry_refs(ctx, c.industries), related_items=mentions,
                    indicators=_indicator_refs(ctx, _their_indicators(mentions)),
                    data_links=_data_query(ctx, c.name, *(e["series"] for e in (progress or {}).get("evidence", []))))
    elif kind in TEXT_KINDS:
        x = next((x for x in getattr(plan, TEXT_KINDS[kind]) if x.id == item_id), None)
        if x is None:
            raise not_found(f"{kind} '{item_id}'")
        data.update(item=x.model_dump(), title=x.title, indicators=_indicator_refs(ctx, x.indicators),
                    industries=_industry_refs(ctx, x.industries),
                    data_links=[{"q": r["name"], "url": f"{ctx.base}/data?indicator={r['id']}"}
                                for r in _indicator_refs(ctx, x.indicators)])
    else:
        raise not_found(f"plan section kind '{kind}'")
    cluster = data.get("cluster")
    return respond(ctx.request, "plan_item.html", data, lang=ctx.lang, user=ctx.user, page="plan_item",
                   title=data["title"] + " · " + t("app_title", ctx.lang),
                   tables={"evidence": lambda: evidence_frame(cluster, ctx.lang)} if cluster else None)
