"""Overview: the plan period and time elapsed, statuses, the indicator cards, the clusters."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends

from zhizao.analytics.progress import status_label
from zhizao.outputs.web.charts import STATUS_COLOURS, clusters_chart, sparkline
from zhizao.outputs.web.i18n import cluster_heading, pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, page_context
from zhizao.outputs.web.render import STATUS_ORDER, respond

router = APIRouter()

CARD_KEYS = ("id", "category", "category_name", "unit", "binding", "nature_label", "status", "status_label",
             "status_definite", "status_if_high_label", "binding_alert", "actual", "actual_text",
             "qualifier", "data_year", "target", "completion", "growth_ratio", "reason")


def plan_period(plan, eval_year: int, today: date | None = None) -> dict:
    """Time elapsed two ways: at the evaluation year (as the assessment counts it) and by the
    calendar, since a plan period may be over while its last statistics are still unpublished."""
    base, end = plan.plan.base_year, plan.plan.target_year
    today = today or date.today()
    start, stop = date(base + 1, 1, 1), date(end, 12, 31)
    by_today = (today - start).days / (stop - start).days
    return {
        "base_year": base, "target_year": end, "first_year": base + 1,
        "elapsed_eval": max(0.0, min(1.0, (eval_year - base) / (end - base))),
        "elapsed_today": max(0.0, min(1.0, by_today)), "today": today.isoformat(),
    }


def overview_data(ctx: Ctx, result: dict) -> dict:
    counts = result["summary"]["counts"]
    by_id = {i["id"]: i for i in result["indicators"]}
    cards = [{**{k: i.get(k) for k in CARD_KEYS}, "name": pick(i["name"], i.get("name_en"), ctx.lang),
              "colour": STATUS_COLOURS[i["status"]]} for i in result["indicators"]]
    return {
        "plan": result["plan"], "year": result["year"], "as_of": result["as_of"],
        "period": plan_period(ctx.plan, result["year"]),
        "counts": [{"status": s, "label": status_label(s, ctx.lang), "count": counts.get(s, 0),
                    "colour": STATUS_COLOURS[s]} for s in STATUS_ORDER],
        "binding_behind": [{"id": b, "name": pick(by_id[b]["name"], by_id[b].get("name_en"), ctx.lang),
                            "status_label": by_id[b]["status_label"]} for b in result["summary"]["binding_behind"]],
        "indicators": cards,
        "clusters": [{**c, "display_name": pick(c["name"], c.get("name_en"), ctx.lang)} for c in result["clusters"]],
        "cluster_heading": cluster_heading(ctx.plan, ctx.lang),
        "years": list(range(ctx.plan.plan.base_year + 1, ctx.plan.plan.target_year + 1)),
    }


@router.get("/")
def overview(ctx: Ctx = Depends(page_context), when: When = Depends(evaluation_options)):
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    data = overview_data(ctx, result)
    charts = {"clusters": clusters_chart(result["clusters"], ctx.lang)} if result["clusters"] else {}
    sparks = {i["id"]: sparkline(i) for i in result["indicators"]}
    title = pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)
    return respond(ctx.request, "overview.html", data, lang=ctx.lang, user=ctx.user, page="overview",
                   title=t("nav_overview", ctx.lang) + " · " + title, charts={**charts, "sparks": sparks})
