"""One indicator: chart, calculation inputs, and every observation behind it with its source."""
from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends

from zhizao.outputs.web.charts import STATUS_COLOURS, indicator_chart
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, not_found, page_context
from zhizao.outputs.web.pages.plan import TEXT_KINDS
from zhizao.outputs.web.render import jsonable, respond

router = APIRouter()

OBS_COLUMNS = ["series", "region", "region_name", "period_key", "value", "value_text", "unit", "qualifier",
               "status", "grade", "vintage", "source_title", "publisher", "source_url", "quote", "note",
               "comparability", "transform", "batch_id", "synthetic"]


def indicator_links(links: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    return links[links["indicator"] == indicator_id]


def linked_series(links: pd.DataFrame, indicator_id: str) -> dict[str, dict]:
    """series → the link that brings it to the indicator (derived ratios bring two series).
    A file may also store values under the indicator's own id."""
    out: dict[str, dict] = {indicator_id: {"comparability": "comparable", "transform": "identity"}}
    for lk in indicator_links(links, indicator_id).to_dict(orient="records"):
        for col in ("series", "numerator", "denominator"):
            name = lk.get(col)
            if isinstance(name, str) and name and name not in out:
                out[name] = {"comparability": lk["comparability"], "transform": lk["transform"]}
    return out


def related_observations(ctx: Ctx, indicator_id: str) -> pd.DataFrame:
    series = linked_series(ctx.state.links(), indicator_id)
    obs = ctx.user.visible(ctx.state.observations())
    obs = obs[obs["series"].isin(list(series))].copy()
    obs["region_name"] = obs["region"].map(ctx.region_name)
    obs["comparability"] = obs["series"].map(lambda s: series[s]["comparability"])
    obs["transform"] = obs["series"].map(lambda s: series[s]["transform"])
    obs = obs.sort_values(["series", "region", "period_key", "vintage"], na_position="first")
    return obs.reindex(columns=OBS_COLUMNS)


def plan_items_for(plan, indicator_id: str) -> list[dict]:
    return [{"kind": kind, "id": x.id, "title": x.title, "section": x.section}
            for kind, attr in TEXT_KINDS.items() for x in getattr(plan, attr) if indicator_id in x.indicators]


@router.get("/indicator/{indicator_id}")
def indicator_page(indicator_id: str, ctx: Ctx = Depends(page_context),
                   when: When = Depends(evaluation_options)):
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    ind = next((i for i in result["indicators"] if i["id"] == indicator_id), None)
    if ind is None:
        raise not_found(f"indicator '{indicator_id}'")
    spec = ctx.plan.indicator(indicator_id)
    data = {
        "year": result["year"], "as_of": result["as_of"],
        "indicator": ind,
        "display_name": pick(ind["name"], ind.get("name_en"), ctx.lang),
        "colour": STATUS_COLOURS[ind["status"]],
        "plan_text": {"definition": spec.definition, "scope": spec.scope, "concept": spec.concept,
                      "notes": spec.notes, "frequency": spec.frequency,
                      "alert_threshold": spec.alert_threshold, "excellence_threshold": spec.excellence_threshold},
        "links": jsonable(indicator_links(ctx.state.links(), indicator_id).drop(columns=["batch_id"])),
        "observations": jsonable(related_observations(ctx, indicator_id)),
        "plan_items": plan_items_for(ctx.plan, indicator_id),
    }
    charts = {"indicator": indicator_chart(ind, ctx.plan, ctx.lang)}
    return respond(ctx.request, "indicator.html", data, lang=ctx.lang, user=ctx.user, page="indicator",
                   title=data["display_name"] + " · " + t("app_title", ctx.lang), charts=charts)
