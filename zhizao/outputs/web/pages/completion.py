"""主要指标完成情况表: one row per indicator (nature, unit, baseline, target, latest value and year,
completion, status or final status, source grade), a page that prints on A4 landscape and its XLSX/CSV."""
from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends

from zhizao import labels
from zhizao.outputs.web.charts import shown_status, status_colour
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, page_context
from zhizao.outputs.web.pages.readout import completion_figure, grade_words, value_with_unit, weakest_grade
from zhizao.outputs.web.render import frame, cell_number, respond, target_text

router = APIRouter()

# column → its header key in labels.UI
COLUMNS = {"indicator": "indicator", "nature": "nature", "unit": "unit", "baseline": "baseline", "target": "target",
           "actual": "actual", "data_year": "data_year", "completion": "completion_pct_head", "status": "status", "final_status": "final_status",
           "grade": "card_source"}


def completion_rows(result: dict, lang: str) -> list[dict]:
    rows = []
    for i in result["indicators"]:
        base = i.get("baseline") or {}
        final = i.get("final") or {}
        grade = weakest_grade(i)
        rows.append({
            "id": i["id"], "name": pick(i["name"], i.get("name_en"), lang), "binding": bool(i.get("binding")),
            "nature": i.get("nature_label") or labels.label("nature", i.get("nature"), lang),
            "unit": labels.unit_label(i.get("unit"), lang),
            "baseline": base.get("value"), "baseline_year": base.get("year"),
            "baseline_text": value_with_unit(base.get("value"), None, base.get("qualifier"), lang),
            "target": target_text(i.get("target"), lang),
            "target_year": (i.get("target") or {}).get("year"),
            "actual": i.get("actual"), "actual_text": value_with_unit(i.get("actual"), None, i.get("qualifier"), lang),
            "data_year": i.get("data_year"), "completion": i.get("completion"),
            # 完成率 in a final evaluation (the number its text says: 完成104.8%), else 进度完成度
            "figure": completion_figure(i, lang),
            # one status per row, the one every page counts: the final evaluation's in a final evaluation
            "status": shown_status(i), "colour": status_colour(shown_status(i)),
            "status_label": final.get("label") or i.get("status_words") or i.get("status_label"),
            "final_status": final.get("status"), "final_label": final.get("label"), "final_text": final.get("text"),
            "grade": grade, "grade_words": grade_words(grade, lang) if grade else "—",
        })
    if has_final(rows):  # one column, one name: a row without a final evaluation has no 完成率
        for r in rows:
            if r["figure"]["key"] != "completion_rate":
                r["figure"] = {"key": "completion_rate", "label": t("completion_rate", lang), "value": None,
                               "text": "—", "note": None}
    return rows


def completion_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    """The table as a spreadsheet reads it: numbers as numbers, codes as words."""
    head = {k: t(key, lang) for k, key in COLUMNS.items()}
    if has_final(rows):
        head["completion"] = t("completion_rate_head", lang)
    out = [{head["indicator"]: r["name"], head["nature"]: r["nature"], head["unit"]: r["unit"],
            head["baseline"]: cell_number(r["baseline"]), head["target"]: r["target"],
            head["actual"]: cell_number(r["actual"]), head["data_year"]: r["data_year"],
            # the exact figure, in percent: the page caps 进度完成度's display (formatting.completion), a cell does not
            head["completion"]: cell_number(r["figure"]["value"]),
            head["status"]: r["status_label"], head["final_status"]: r["final_text"] or r["final_label"] or "",
            head["grade"]: r["grade_words"]} for r in rows]
    return frame(out, columns=list(head.values()))


def has_final(rows: list[dict]) -> bool:
    """A final evaluation: the completion column is 完成率 for every row."""
    return any(r["figure"]["key"] == "completion_rate" for r in rows)


@router.get("/completion")
def completion_page(ctx: Ctx = Depends(page_context), when: When = Depends(evaluation_options)):
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    rows = completion_rows(result, ctx.lang)
    data = {"plan": result["plan"], "year": result["year"], "as_of": result["as_of"], "rows": rows,
            "has_final": any(r["final_status"] for r in rows),
            "completion_head": t("completion_rate" if has_final(rows) else "change_completion", ctx.lang)}
    title = pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)
    return respond(ctx.request, "completion.html", data, lang=ctx.lang, user=ctx.user, page="completion",
                   title=t("completion_title", ctx.lang) + " · " + title,
                   tables={"completion": lambda: completion_frame(rows, ctx.lang)})
