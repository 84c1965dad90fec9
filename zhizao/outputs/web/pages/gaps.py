"""数据缺口: per indicator, what is missing, where it is usually published and what to upload, with
an import template (CSV) holding one row per missing value.

"Where" comes from the data and the plan, never from code: the publishers of the values already
stored for the indicator's series, the plan's `source` (where the target is printed), the lead
department; else an honest generic hint (the statistics bureau's releases).
"""
from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends

from zhizao import labels
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, page_context
from zhizao.outputs.web.pages.readout import gaps as indicator_gaps
from zhizao.outputs.web.render import frame, respond

router = APIRouter()

# The long import format (docs/data-import.md): required columns first.
IMPORT_REQUIRED = ("series", "period", "value", "unit")
IMPORT_OPTIONAL = ("region", "price_basis", "status", "source_title", "publisher", "source_url", "published", "grade", "quote")
MAX_PUBLISHERS = 3


def comparable_series(links: pd.DataFrame, indicator_id: str) -> list[str]:
    """The published series that may decide the indicator (a derived ratio: its two inputs);
    without a comparable link, the indicator's own id (a file may store values under it)."""
    out: list[str] = []
    for lk in links[links["indicator"] == indicator_id].to_dict(orient="records"):
        if lk.get("comparability") != "comparable":
            continue
        for col in ("series", "numerator", "denominator"):
            name = lk.get(col)
            if isinstance(name, str) and name and name not in out:
                out.append(name)
    return out or [indicator_id]


def publishers(obs: pd.DataFrame, series: list[str], links: pd.DataFrame, indicator_id: str) -> list[str]:
    """Who published the values stored for the indicator's series (any comparability), most values first."""
    linked = set(series)
    for lk in links[links["indicator"] == indicator_id].to_dict(orient="records"):
        linked.update(x for x in (lk.get("series"), lk.get("numerator"), lk.get("denominator")) if isinstance(x, str))
    rows = obs[obs["series"].isin(linked)]
    names = rows["publisher"].dropna()
    names = names[names.str.strip() != ""]
    return list(names.value_counts().index[:MAX_PUBLISHERS])


def missing_years(ind: dict, eval_year: int, base_year: int) -> list[int]:
    if ind.get("actual") is None or not ind.get("data_year"):
        return list(range(base_year, eval_year + 1))
    return list(range(int(ind["data_year"]) + 1, eval_year + 1))


def year_span(years: list[int], lang: str = "zh") -> str:
    """2022、2025 or 2020—2025: a run of years as a range, else listed."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}"
    return ("、" if lang != "en" else ", ").join(str(y) for y in years)


def _split(template: str, key: str, value: str) -> list[tuple[str, bool]]:
    """A label with one field, as (text, verbatim) parts: the field is the plan's or a source's words."""
    before, _, after = template.partition("{" + key + "}")
    return [(before, False), (value, True), (after, False)]


def gap_rows(ctx: Ctx, result: dict) -> list[dict]:
    """The gaps of `result` (an assessment of ctx.state); computed once per store version, language,
    evaluation and user scope (the rows a user sees), shared by its users: do not mutate."""
    key = ("gap_rows", ctx.lang, result["year"], result["as_of"], ctx.state.rows_scope(ctx.user))
    return ctx.state.cached(key, lambda: _gap_rows(ctx, result))


def _gap_rows(ctx: Ctx, result: dict) -> list[dict]:
    lang, plan = ctx.lang, ctx.plan
    base_year, eval_year = plan.plan.base_year, int(result["year"])
    links, obs = ctx.state.links(), ctx.user.visible(ctx.state.observations())
    rows = []
    for ind in result["indicators"]:
        spec = plan.indicator(ind["id"])
        found = indicator_gaps(ind, eval_year, base_year, lang)
        series = comparable_series(links, ind["id"])
        known = publishers(obs, series, links, ind["id"])
        parts = []  # (words, the plan's or a source's own words) per hint: the page marks the latter verbatim
        if known:
            parts.append(_split(t("gap_known_publishers", lang), "names", "、".join(known) if lang != "en" else ", ".join(known)))
        if spec.source:
            parts.append(_split(t("gap_target_source", lang), "source", spec.source))
        parts.append([(t("gap_hint_statistics", lang), False)])
        if spec.lead_department:
            parts.append(_split(t("gap_hint_department", lang), "dept", spec.lead_department))
        where = ["".join(text for text, _ in p) for p in parts]
        years = missing_years(ind, eval_year, base_year) if any(g["kind"] != "low_grade" for g in found) else []
        if any(g["kind"] == "no_baseline" for g in found) and base_year not in years:
            years = [base_year, *years]
        unit = ind.get("unit")
        upload = []
        if found:
            span = year_span(years, lang) if years else str(ind.get("data_year"))
            unit_text = labels.unit_label(unit, lang)
            upload = [t("gap_upload_id", lang).format(name=pick(ind["name"], ind.get("name_en"), lang), id=s,
                                                      years=span, unit=unit_text) if s == ind["id"]
                      else t("gap_upload_rows", lang).format(series=s, years=span, unit=unit_text) for s in series]
        rows.append({"id": ind["id"], "name": pick(ind["name"], ind.get("name_en"), lang),
                     "status": ind["status"], "status_label": ind.get("status_label"),
                     "data_year": ind.get("data_year"), "gaps": found, "where": where, "where_parts": parts, "upload": upload,
                     "series": series, "years": years, "unit": unit})
    return rows


def gaps_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    sep = "；" if lang != "en" else "; "
    out = [{t("indicator", lang): r["name"], t("status", lang): r["status_label"], t("data_year", lang): r["data_year"],
            t("gap_missing", lang): sep.join(g["text"] for g in r["gaps"]) or t("gap_ok", lang),
            t("gap_where", lang): sep.join(r["where"]), t("gap_upload", lang): sep.join(r["upload"])} for r in rows]
    return frame(out, columns=[t(k, lang) for k in ("indicator", "status", "data_year", "gap_missing",
                                                           "gap_where", "gap_upload")])


def template_frame(rows: list[dict]) -> pd.DataFrame:
    """The import template: one row per missing (series, year), value left for the user to fill;
    the column names are the import's own (docs/data-import.md), so the file imports as it is."""
    out = []
    for r in rows:
        if not r["gaps"]:
            continue
        for s in r["series"]:
            for y in r["years"] or ([r["data_year"]] if r["data_year"] else []):
                out.append({"series": s, "region": "", "period": str(y), "value": "", "unit": r["unit"] or ""})
    columns = ["series", "region", "period", "value", "unit", *IMPORT_OPTIONAL[1:]]
    return frame(out, columns=columns).fillna("")


@router.get("/gaps")
def gaps_page(ctx: Ctx = Depends(page_context), when: When = Depends(evaluation_options)):
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    rows = gap_rows(ctx, result)
    data = {"plan": result["plan"], "year": result["year"], "as_of": result["as_of"],
            "total": len(rows), "with_gaps": sum(1 for r in rows if r["gaps"]), "indicators": rows,
            "import_columns": {"required": list(IMPORT_REQUIRED), "optional": list(IMPORT_OPTIONAL)}}
    title = pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)
    return respond(ctx.request, "gaps.html", data, lang=ctx.lang, user=ctx.user, page="gaps",
                   title=t("nav_gaps", ctx.lang) + " · " + title,
                   tables={"gaps": lambda: gaps_frame(rows, ctx.lang), "template": lambda: template_frame(rows)})
