"""Overview: the plan period and time elapsed, statuses, the indicator cards, the clusters."""
from __future__ import annotations

from datetime import date

import pandas as pd
from fastapi import APIRouter, Depends

from zhizao import formatting, labels
from zhizao.analytics.final import FINAL_STATUSES, final_label
from zhizao.analytics.progress import status_label
from zhizao.outputs.web.charts import clusters_chart, shown_status, sparkline, status_colour
from zhizao.outputs.web.i18n import cluster_heading, pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, page_context
from zhizao.outputs.web.pages.completion import completion_frame, completion_rows
from zhizao.outputs.web.pages.readout import completion_figure, grade_words, weakest_grade
from zhizao.outputs.web.render import frame, STATUS_ORDER, cell_number, respond

router = APIRouter()

CARD_KEYS = ("id", "category", "category_name", "unit", "binding", "nature_label", "status", "status_label",
             "status_definite", "status_if_high_label", "status_words", "binding_alert", "actual", "actual_text",
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
    by_id = {i["id"]: i for i in result["indicators"]}
    cards = [{**{k: i.get(k) for k in CARD_KEYS}, "name": pick(i["name"], i.get("name_en"), ctx.lang),
              "status": shown_status(i), "colour": status_colour(shown_status(i)), "badge": badge_text(i),
              "figure": completion_figure(i, ctx.lang),
              "unit_label": labels.unit_label(i.get("unit"), ctx.lang),
              **card_source(i, result["year"], ctx.lang)} for i in result["indicators"]]
    return {
        "plan": result["plan"], "year": result["year"], "as_of": result["as_of"],
        "period": plan_period(ctx.plan, result["year"]),
        "counts": status_counts(result, ctx.lang),
        "binding_behind": [{"id": b, "name": pick(by_id[b]["name"], by_id[b].get("name_en"), ctx.lang),
                            "status_label": by_id[b]["status_label"]} for b in result["summary"]["binding_behind"]],
        "indicators": cards,
        "stale": stale_summary(cards, result["year"], ctx.lang),
        "clusters": [{**c, "display_name": pick(c["name"], c.get("name_en"), ctx.lang), **cluster_words(c, ctx.lang)}
                     for c in result["clusters"]],
        "cluster_heading": cluster_heading(ctx.plan, ctx.lang),
        "years": list(range(ctx.plan.plan.base_year + 1, ctx.plan.plan.target_year + 1)),
    }


def cluster_words(c: dict, lang: str) -> dict:
    """A cluster's target and latest value as the table prints them: 万亿级（10,000亿元）; in English the
    plan's Chinese tier word is left out: 10,000 (100 million yuan); 2024: at least 8,000 (…)."""
    target = formatting.value(c.get("target"), c.get("unit"), lang)
    if lang != "en" and c.get("target_text"):
        target = f"{c['target_text']}（{target}）"
    latest = None
    if c.get("actual") is not None:
        value = formatting.value(c["actual"], c.get("unit"), lang, c.get("qualifier"))
        latest = f"{c['year']}: {value}" if lang == "en" else f"{value}（{c['year']}年）"
    return {"target_words": target, "latest_words": latest}


def badge_text(ind: dict) -> str:
    """The status in words: the final label in a final evaluation, else the pace status with the
    other reading of a qualified value spelled out (基本符合预期，按区间上端为提前实现)."""
    if ind.get("final"):
        return ind["final"]["label"]
    return ind.get("status_words") or ind["status_label"]


def status_counts(result: dict, lang: str) -> list[dict]:
    """Counts of the statuses the cards show: the final evaluation's in a final evaluation (the same
    as `zhizao assess` and the report), else the pace statuses."""
    final = result["summary"].get("final_counts")
    if final is not None:
        return [{"status": s, "label": final_label(s, lang), "count": final.get(s, 0), "colour": status_colour(s)}
                for s in FINAL_STATUSES]
    counts = result["summary"]["counts"]
    return [{"status": s, "label": status_label(s, lang), "count": counts.get(s, 0), "colour": status_colour(s)}
            for s in STATUS_ORDER]


def card_source(ind: dict, eval_year: int, lang: str) -> dict:
    """What a card says about its evidence: the data year and the source grade in words, and
    whether the data are older than the evaluation year (a reader must see that, not a grey year)."""
    grade = weakest_grade(ind)
    year = ind.get("data_year")
    return {"grade": grade, "grade_words": grade_words(grade, lang) if grade else None,
            "stale": bool(year) and int(year) < int(eval_year)}


def stale_summary(cards: list[dict], eval_year: int, lang: str) -> str | None:
    """"7项状态依据的数据早于评估年份2025年（2021年 4项、2022年 3项）", or None when none is."""
    old = [c["data_year"] for c in cards if c.get("stale")]
    if not old:
        return None
    by_year = pd.Series(old).value_counts().sort_index()
    years = ("、" if lang != "en" else ", ").join(
        (f"{y}年 {n}项" if lang != "en" else f"{y}: {n}") for y, n in by_year.items())
    return t("stale_summary", lang).format(n=len(old), year=eval_year, years=years)


def clusters_frame(clusters: list[dict], lang: str) -> pd.DataFrame:
    rows = [{t("cluster", lang): pick(c["name"], c.get("name_en"), lang), t("scale_target", lang): c.get("target_text"),
             t("target", lang): cell_number(c.get("target")), t("unit", lang): labels.unit_label(c.get("unit"), lang),
             t("latest", lang): cell_number(c.get("actual")), t("year", lang): c.get("year"),
             t("share_of_target", lang): cell_number(c.get("share_of_target")),
             t("comparability", lang): labels.label("comparability", c.get("comparability"), lang),
             t("card_source", lang): grade_words(c.get("grade"), lang) if c.get("grade") else ""} for c in clusters]
    return frame(rows, columns=[t(k, lang) for k in ("cluster", "scale_target", "target", "unit", "latest", "year",
                                                            "share_of_target", "comparability", "card_source")])


@router.get("/")
def overview(ctx: Ctx = Depends(page_context), when: When = Depends(evaluation_options)):
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    data = overview_data(ctx, result)
    charts = {"clusters": clusters_chart(result["clusters"], ctx.lang)} if result["clusters"] else {}
    sparks = {i["id"]: sparkline(i) for i in result["indicators"]}
    title = pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)
    tables = {"indicators": lambda: completion_frame(completion_rows(result, ctx.lang), ctx.lang),
              "clusters": lambda: clusters_frame(result["clusters"], ctx.lang)}
    return respond(ctx.request, "overview.html", data, lang=ctx.lang, user=ctx.user, page="overview",
                   title=t("nav_overview", ctx.lang) + " · " + title, charts={**charts, "sparks": sparks},
                   tables=tables)
