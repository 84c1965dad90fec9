"""ECharts options and sparklines, built from the assessment dict.

Options are plain JSON built here (not in JavaScript) so that tests can read them and the
browser only has to call `setOption`. Animation is off: projector screenshots and the browser
tests must see the final picture at once.
"""
from __future__ import annotations

from zhizao import formatting, labels
from zhizao.analytics.final import BOUNDS
from zhizao.outputs.web.i18n import pick, t

STATUS_COLOURS = {
    "achieved": "#1b7837", "ahead": "#5aae61", "on_track": "#2166ac",
    "behind": "#e08214", "seriously_behind": "#c51b7d", "not_met": "#762a83", "no_comparable_data": "#8c8c8c",
    "tracked": "#4393c3",
}
# A final evaluation (evaluation year ≥ target year) counts and colours these instead, on every page;
# the same values are the CSS variables of static/app.css.
FINAL_STATUS_COLOURS = {
    "completed": "#1b7837", "expected_completed": "#5aae61", "basically_completed": "#2166ac",
    "expected_basically_completed": "#5e8fc7", "not_completed": "#762a83", "expected_difficult": "#c51b7d",
    "undetermined": "#a6761d", "no_data": "#8c8c8c", "tracked": "#4393c3",
}


def shown_status(ind: dict) -> str:
    """The status a page shows, counts and colours: the final evaluation's in a final evaluation,
    else the pace status."""
    final = ind.get("final") or {}
    return final.get("status") or ind["status"]


def status_colour(status: str) -> str:
    return FINAL_STATUS_COLOURS.get(status) or STATUS_COLOURS[status]
PALETTE = {"actual": "#1f4e99", "planned": "#8c8c8c", "target": "#c51b7d", "projection": "#e08214",
           "evidence": "#b0b0b0"}
_BASE = {"animation": False, "textStyle": {"fontSize": 14}}


def held_bound(proj: dict | None, ind: dict) -> str | None:
    """at_least/at_most when the projection holds the latest value's bound (final.projection_for), else None."""
    if not proj or proj.get("basis") != "bound":
        return None
    return proj.get("bound") or BOUNDS.get(ind.get("qualifier") or "")


def bound_text(proj: dict, b: str, lang: str, lead: bool = False) -> str:
    """至少26,000 / at least 26,000 for a projection holding a bound; with `lead` named as held."""
    text = labels.label("bound_word", b, lang) + formatting.number(proj["value"])
    return (labels.label("projection_bound", b, lang) + text) if lead else text


def projection_of(ind: dict) -> dict | None:
    """The projection to the target year a page shows: the final evaluation's in a final evaluation
    (the same number as the assessment's, final.projection_for), else the assessment's."""
    final = ind.get("final") or {}
    if ind.get("final") is not None:
        return final.get("projection")
    return ind.get("projection")


def chosen_history(ind: dict) -> list[tuple[int, float]]:
    """The value used for each year (the history also lists the values not chosen)."""
    seen: dict[int, float] = {}
    for h in ind.get("history") or []:
        if h.get("chosen") and h.get("value") is not None:
            seen[int(h["year"])] = float(h["value"])
    return sorted(seen.items())


def _evidence_points(ind: dict) -> list[dict]:
    """Other evidence drawn only where it is in the indicator's unit (else the axis would lie)."""
    pts = []
    for e in ind.get("other_evidence") or []:
        unit = next((s.get("unit") for s in e.get("sources") or [] if s.get("role") == "actual"), None)
        if e.get("value") is None or e.get("year") is None:
            continue
        if e.get("derivation") or unit == ind.get("unit"):
            pts.append({"value": [str(e["year"]), e["value"]], "name": e.get("series")})
    return pts


def indicator_chart(ind: dict, plan, lang: str) -> dict:
    base, end = plan.plan.base_year, plan.plan.target_year
    actual = chosen_history(ind)
    evidence = _evidence_points(ind)
    first = min([base] + [y for y, _ in actual] + [int(p["value"][0]) for p in evidence])
    years = [str(y) for y in range(first, end + 1)]
    series = []
    if ind.get("path"):
        series.append({"name": t("planned", lang), "type": "line", "data": [[str(p["year"]), p["planned"]] for p in ind["path"]],
                       "lineStyle": {"type": "dashed", "width": 2}, "symbol": "none", "color": PALETTE["planned"]})
    if actual:
        series.append({"name": t("actual", lang), "type": "line", "data": [[str(y), v] for y, v in actual],
                       "lineStyle": {"width": 3}, "symbolSize": 9, "color": PALETTE["actual"]})
    target = ind.get("target") or {}
    if target.get("value") is not None and target.get("year") is not None:  # an undated target has no point
        series.append({"name": t("target", lang), "type": "scatter", "symbol": "diamond", "symbolSize": 16,
                       "data": [[str(target["year"]), target["value"]]], "color": PALETTE["target"]})
    proj = projection_of(ind)
    if proj and ind.get("data_year") and ind.get("actual") is not None:
        # THE projection (the final evaluation's in a final evaluation), from the value it starts at
        start = ind.get("actual_assessed") if ind.get("actual_assessed") is not None else ind["actual"]
        bound = held_bound(proj, ind)
        if bound:  # 超26,000 held as 至少26,000: not a trend, and an interval with equal ends says nothing
            name = bound_text(proj, bound, lang, lead=True)
        else:
            name = t("projection_hold" if proj.get("basis") == "hold_latest" else "projection", lang)
        if not bound and ind.get("qualifier") and abs(float(start) - float(ind["actual"])) > 1e-9:
            # 约36 plotted at 36, the projection from 34.2: the legend says why they part
            name += " · " + t("cautious_end_note", lang).format(value=formatting.number(start))
        series.append({"name": name, "type": "line", "color": PALETTE["projection"],
                       "lineStyle": {"type": "dotted", "width": 2}, "symbolSize": 7,
                       "data": [[str(ind["data_year"]), start], [str(proj["year"]), proj["value"]]]})
        if not bound and proj.get("low") is not None and proj.get("high") is not None:
            series.append({"name": t("projection_range", lang), "type": "line", "color": PALETTE["projection"],
                           "lineStyle": {"width": 6, "opacity": 0.35}, "symbol": "none",
                           "data": [[str(proj["year"]), proj["low"]], [str(proj["year"]), proj["high"]]]})
    if evidence:
        series.append({"name": t("other_evidence", lang), "type": "scatter", "data": evidence,
                       "symbolSize": 9, "color": PALETTE["evidence"]})
    return {
        **_BASE,
        "grid": {"left": 70, "right": 30, "top": 60, "bottom": 40},
        "legend": {"top": 5},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": years, "boundaryGap": False},
        "yAxis": {"type": "value", "scale": True, "name": ind.get("unit")},
        "series": series,
    }


def clusters_chart(clusters: list[dict], lang: str) -> dict:
    names = [pick(c.get("name"), c.get("name_en"), lang) for c in clusters]
    shares = [round(c["share_of_target"] * 100, 1) if c.get("share_of_target") is not None else None
              for c in clusters]
    return {
        **_BASE,
        "grid": {"left": 110, "right": 60, "top": 20, "bottom": 30},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "value", "max": 120, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": names, "inverse": True, "axisLabel": {"fontSize": 14}},
        "series": [{
            "type": "bar", "name": t("share_of_target", lang), "data": shares, "color": PALETTE["actual"],
            "label": {"show": True, "position": "right", "formatter": "{c}%"},
            "markLine": {"symbol": "none", "data": [{"xAxis": 100}], "lineStyle": {"color": PALETTE["target"]},
                         "label": {"formatter": t("target", lang)}},
        }],
    }


def sparkline(ind: dict, width: int = 120, height: int = 32) -> dict | None:
    """Polyline points for a small inline SVG: the planned path and the values used, on one
    scale. Inline SVG, not ECharts: twenty cards must cost nothing to draw."""
    path = [(p["year"], p["planned"]) for p in ind.get("path") or [] if p.get("planned") is not None]
    actual = chosen_history(ind)
    pts = path + actual
    if len(pts) < 2:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (width - 4) / ((x1 - x0) or 1)
    sy = (height - 4) / ((y1 - y0) or 1)

    def poly(points):
        return " ".join(f"{2 + (x - x0) * sx:.1f},{height - 2 - (y - y0) * sy:.1f}" for x, y in points)

    last = actual[-1] if actual else None
    return {
        "width": width, "height": height, "path": poly(path), "actual": poly(actual),
        "last": poly([last]).split(",") if last else None,
    }
