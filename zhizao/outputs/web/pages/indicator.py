"""One indicator: chart, calculation inputs, and every observation behind it with its source."""
from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends

from zhizao import formatting, labels
from zhizao.outputs.web.charts import indicator_chart, projection_of, shown_status, status_colour
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, not_found, page_context
from zhizao.outputs.web.pages.plan import TEXT_KINDS
from zhizao.outputs.reports.text import growth_is_rate  # light: labels and formatting only
from zhizao.outputs.web.pages.readout import cautious_note, conclusion, grade_words, weakest_grade
from zhizao.outputs.web.render import frame, cell_number, code_label, jsonable, obs_status, qual_label, respond

router = APIRouter()

OBS_COLUMNS = ["series", "region", "region_name", "period_key", "value", "value_text", "unit", "qualifier",
               "status", "grade", "vintage", "source_title", "publisher", "source_url", "quote", "note",
               "comparability", "transform", "batch_id", "synthetic"]


def elapsed_at(year: int, plan) -> float:
    """规划期已过 means one thing on every page: the share of the plan period elapsed by the
    evaluation year (the overview's figure); the share at the data year is labelled as such."""
    base, end = plan.plan.base_year, plan.plan.target_year
    return max(0.0, min(1.0, (year - base) / (end - base)))


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


def _yes(v) -> str:
    return "✓" if v else ""


def history_table(ind: dict, lang: str) -> pd.DataFrame:
    rows = [{t("year", lang): h.get("year"), t("value", lang): cell_number(h.get("value")),
             t("qualifier", lang): qual_label(h.get("qualifier"), lang), t("series", lang): h.get("series"),
             t("transform", lang): code_label(h.get("transform"), "transform", lang),
             t("obs_status", lang): obs_status(h.get("status"), lang), t("grade", lang): grade_words(h.get("grade"), lang),
             t("vintage", lang): formatting.date(h.get("vintage")), t("deciding", lang): _yes(h.get("deciding")),
             t("chosen", lang): _yes(h.get("chosen")), t("source", lang): h.get("source_url") or ""}
            for h in ind.get("history") or []]
    return frame(rows, columns=[t(k, lang) for k in ("year", "value", "qualifier", "series", "transform",
                                                            "obs_status", "grade", "vintage", "deciding", "chosen",
                                                            "source")])


def evidence_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    out = [{t("series", lang): e.get("series"), t("year", lang): e.get("year"), t("value", lang): cell_number(e.get("value")),
            t("qualifier", lang): qual_label(e.get("qualifier"), lang),
            t("comparability", lang): code_label(e.get("comparability"), "comparability", lang),
            t("obs_status", lang): obs_status(e.get("status"), lang), t("grade", lang): grade_words(e.get("grade"), lang),
            t("note", lang): " ".join(x for x in (e.get("reason"), e.get("note")) if x),
            t("source", lang): "；".join(formatting.source_text(s.get("title"), s.get("publisher"), s.get("grade"),
                                                               s.get("url"), lang) for s in e.get("sources") or [])}
           for e in rows]
    return frame(out, columns=[t(k, lang) for k in ("series", "year", "value", "qualifier", "comparability",
                                                           "obs_status", "grade", "note", "source")])


def observations_table(obs: list[dict], lang: str) -> pd.DataFrame:
    rows = [{t("series", lang): o.get("series"), t("region", lang): o.get("region_name"), t("period", lang): o.get("period_key"),
             t("value", lang): cell_number(o.get("value")), t("unit", lang): labels.unit_label(o.get("unit"), lang),
             t("qualifier", lang): qual_label(o.get("qualifier"), lang), t("obs_status", lang): obs_status(o.get("status"), lang),
             t("grade", lang): grade_words(o.get("grade"), lang), t("vintage", lang): formatting.date(o.get("vintage")),
             t("comparability", lang): code_label(o.get("comparability"), "comparability", lang),
             t("source", lang): formatting.source_text(o.get("source_title"), o.get("publisher"), o.get("grade"),
                                                       o.get("source_url"), lang),
             t("quote", lang): o.get("quote") or ""}
            for o in obs]
    return frame(rows, columns=[t(k, lang) for k in ("series", "region", "period", "value", "unit", "qualifier",
                                                            "obs_status", "grade", "vintage", "comparability",
                                                            "source", "quote")])


def sources_table(ind: dict, lang: str) -> pd.DataFrame:
    rows = [{t("series", lang): s.get("series"), t("period", lang): s.get("period"),
             t("value", lang): s.get("value_text"), t("unit", lang): labels.unit_label(s.get("unit"), lang),
             t("grade", lang): grade_words(s.get("grade"), lang),
             t("source", lang): formatting.source_text(s.get("title"), s.get("publisher"), s.get("grade"), s.get("url"), lang),
             t("quote", lang): s.get("quote") or ""} for s in ind.get("sources") or []]
    return frame(rows, columns=[t(k, lang) for k in ("series", "period", "value", "unit", "grade", "source", "quote")])


def indicator_tables(ind: dict, observations: list[dict], lang: str) -> dict:
    return {"history": lambda: history_table(ind, lang), "sources": lambda: sources_table(ind, lang),
            "conflicts": lambda: evidence_frame(ind.get("conflicts") or [], lang),
            "other_evidence": lambda: evidence_frame(ind.get("other_evidence") or [], lang),
            "observations": lambda: observations_table(observations, lang)}


def reader_words(ind: dict, spec, lang: str) -> dict:
    """The indicator's unit, latest value, stated growth and method in the reader's language:
    2,705 (100 million yuan) and an English method text on the English page."""
    unit = ind.get("unit")
    g = spec.stated_growth
    growth = None
    if g is not None:
        kind = getattr(g.unit, "value", g.unit)
        growth = (g.text if lang != "en" and g.text else
                  formatting.percent(g.value) if kind == "percent" else
                  formatting.points(g.value, lang, 2, signed=False) if kind == "percentage_points" else
                  formatting.value(g.value, unit, lang))
        growth += " a year" if lang == "en" else ""
    actual = None if ind.get("actual") is None else formatting.value(ind["actual"], unit, lang, ind.get("qualifier"))
    return {"unit_label": labels.unit_label(unit, lang), # a share's yearly change on a linear path is in points: 1.03个百分点/年, 1.03 pp a year
            "unit_suffix": formatting.unit_suffix("个百分点" if (unit or "").strip() in ("%", "％") else unit, lang),
            "actual_words": actual, "stated_growth_words": growth,
            "method_words": labels.method_words(ind.get("method"), lang)}


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
        "status": shown_status(ind), "colour": status_colour(shown_status(ind)),
        "badge": (ind.get("final") or {}).get("label") or ind.get("status_words") or ind["status_label"],
        "projection": projection_of(ind),
        "final_completion": formatting.completion_rate((ind.get("final") or {}).get("completion_pct")),
        "cautious_note": cautious_note(ind, ctx.lang),
        "growth_shape": "rate" if growth_is_rate(ind) else "linear",
        "elapsed_eval": elapsed_at(result["year"], ctx.plan),
        "conclusion": conclusion(ind, ctx.lang),
        **reader_words(ind, spec, ctx.lang),
        "grade": weakest_grade(ind),
        "plan_text": {"definition": spec.definition, "scope": spec.scope, "concept": spec.concept,
                      "notes": spec.notes, "frequency": spec.frequency,
                      "alert_threshold": spec.alert_threshold, "excellence_threshold": spec.excellence_threshold},
        "links": jsonable(indicator_links(ctx.state.links(), indicator_id).drop(columns=["batch_id"])),
        "observations": jsonable(related_observations(ctx, indicator_id)),
        "plan_items": plan_items_for(ctx.plan, indicator_id),
    }
    charts = {"indicator": indicator_chart(ind, ctx.plan, ctx.lang)}
    return respond(ctx.request, "indicator.html", data, lang=ctx.lang, user=ctx.user, page="indicator",
                   title=data["display_name"] + " · " + t("app_title", ctx.lang), charts=charts,
                   tables=indicator_tables(ind, data["observations"], ctx.lang))
