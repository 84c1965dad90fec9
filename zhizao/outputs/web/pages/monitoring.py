"""Monthly monitoring (运行监测): the city at a reporting period, districts on the map coloured by
YTD growth, the industries' and clusters' pulls, the warnings with their evidence, and each
district's enterprises.

The data are the `zhizao synth` folder given to `create_app(monitoring_data=…)` (default:
$ZHIZAO_MONITORING_DATA, else ./zhizao-synth), refreshed once per (folder state, period) by
`MonitoringState`. Every page and JSON twin showing synthetic data says so (`synthetic: true` and a
banner). Numbers come from `zhizao.outputs.monitoring_view`, as in the monthly brief.

Warnings are grouped (by rule and subject type, counts first) and paged server-side (`page`); the
five-light signal is each subject's status (the 信号灯 column), not a warning. Red means a
high-severity warning only: growth above the city is orange, a negative pull purple.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from collections import Counter
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from zhizao import formatting, labels
from zhizao.analytics.monitoring.warnings import RULES, WARNING_RULES
from zhizao.codes.regions import DISTRICTS
from zhizao.outputs import monitoring_view as mv
from zhizao.outputs.reports.brief import brief_stem, build_brief_from
from zhizao.outputs.web.auth import audit, may, not_visible
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.monitoring_state import MonitoringState, MonitoringUnavailable
from zhizao.analytics import chains as chain_analytics
from zhizao.outputs.web.pages import chains as chain_pages
from zhizao.outputs.web.pages import enterprises as ent_pages
from zhizao.outputs.web.pages import delivery as dl_pages
from zhizao.outputs.web.pages.common import Ctx, not_found, page_context, say
from zhizao.outputs.web.pages.districts import GEO_URL, MAP_NAME, geojson_adcodes
from zhizao.outputs.web.render import cell_number, frame, respond
from zhizao.settings import Settings

router = APIRouter()

# Low growth blue, high growth orange, as the five lights (过冷 blue … 过热 orange): red is kept for
# high-severity warnings, so that it means one thing on every page.
GROWTH_COLOURS = ["#2166ac", "#67a9cf", "#d1e5f0", "#fee0b6", "#f1a340", "#b35806"]
POSITIVE, NEGATIVE = "#2166ac", "#7b3294"
WARNINGS_PER_PAGE = 20
# without monitoring data: the most severe rows of each kind of warning listed (a hundred thousand overdue
# problems made a page of 29 MB); the rest are counted and `zhizao warnings` lists them all
UNAVAILABLE_ROWS = 100
SERIES_COLOURS = {"value": "#b9c7dc", "ytd_growth": "#1f4e99", "month_growth": "#e08214", "output": "#5aae61",
                  "electricity": "#c51b7d"}
BRIEF_FORMATS = {"html": "text/html; charset=utf-8",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SEVERITIES = ("high", "medium", "low")
SUBJECT_TYPES = ("city", "district", "zone", "industry", "cluster", "enterprise")
CHAIN_SUBJECT_TYPES = ("chain", "chain_link")  # issue 12: the chain warnings' own subjects (pages under /chains)
CHAIN_RULES = tuple(labels.CHAIN_RULE)  # the chain warnings' rules (analytics.chains.chain_warnings)
# issue 13: the green, park and backward-capacity warnings (api_enterprises.enterprise_warnings), all aggregates
ENTERPRISE_RULES = ("green_level1", "green_level2", "park_below_target", "enterprise_backward")
# issue 14: projects, 三服务 problems and work items (api_delivery.delivery_warnings), scoped to the user's rows
DELIVERY_RULES = ("project_stage_overdue", "project_investment_behind", "problem_overdue", "task_overdue",
                  "task_behind", "task_stalled", "milestone_overdue")
DELIVERY_SUBJECT_TYPES = ("project", "problem", "work_item")
ENTERPRISE_SUBJECT_TYPES = ("area", "park")


def monitoring_state(ctx: Ctx) -> MonitoringState:
    return ctx.request.app.state.monitoring


def _title(ctx: Ctx, what: str | None = None) -> str:
    return (what + " · " if what else "") + t("nav_monitoring", ctx.lang) + " · " + t("app_title", ctx.lang)


def _load(ctx: Ctx, period: str | None):
    """(data, result) at the requested period; MonitoringUnavailable without data, 422 for a bad period."""
    state = monitoring_state(ctx)
    data = state.data()
    if not data.periods:
        raise HTTPException(422, say(ctx.lang, "数据不足两年，没有可与上年同期比较的报告期；请用更长的数据（zhizao synth --months）",
                                     "the data cover less than two years: no period has a previous year to compare "
                                     "with; use longer data (zhizao synth --months)"))
    try:
        p = mv.check_period(data, period)
    except ValueError:
        lo, hi = mv.period_key(data.periods[0]), mv.period_key(data.periods[-1])
        raise HTTPException(422, say(ctx.lang, f"报告期须在 {lo} 至 {hi} 之间（格式 YYYY-MM），收到“{str(period)[:20]}”",
                                     f"period must be between {lo} and {hi} (YYYY-MM), got '{str(period)[:20]}'")) from None
    return data, state.result(p)


def sees_folder(ctx: Ctx) -> bool:
    """The data folder is the server's: named to administrators and the local user only."""
    return ctx.user.role in ("admin", "local")


def _base(ctx: Ctx, data, result) -> dict:
    """What every monitoring page says first: where the numbers come from, and that they are synthetic."""
    return {
        "available": True,
        "synthetic": bool(data.synthetic),
        "synthetic_label": mv.SYNTHETIC_LABEL["en" if ctx.lang == "en" else "zh"] if data.synthetic else None,
        # The folder's notice is English; the Chinese page says it with synthetic_label alone.
        "notice": data.metadata.get("notice") if ctx.lang == "en" else data.metadata.get("notice_zh"),
        "data_dir": str(data.data_dir) if sees_folder(ctx) else None,
        "period": mv.period_key(result.period),
        "period_label": mv.period_label(result.period, ctx.lang),
        "price_basis": result.price_basis.get("value_added"),
        "periods": [{"period": mv.period_key(p), "label": mv.period_label(p, ctx.lang)} for p in reversed(data.periods)],
    }


def _unavailable(ctx: Ctx, e: MonitoringUnavailable, page: str, chains: bool = False):
    """The notice that there are no (usable) monitoring data; `chains`: the chain warnings below it, which
    do not depend on the monitoring data (`zhizao warnings` lists them then too)."""
    state = monitoring_state(ctx)
    if sees_folder(ctx):
        data = {
            "available": False, "reason": e.reason, "data_dir": str(state.data_dir),
            "message": mv.synth_hint(state.data_dir, ctx.lang) if e.reason == "missing" else e.message,
            "command": f"zhizao synth --out {state.data_dir}", "env": mv.DATA_ENV,
        }
    else:  # the server's folders and commands are the administrator's business
        data = {"available": False, "reason": e.reason, "data_dir": None, "message": t("mon_data_admin_only", ctx.lang),
                "command": None, "env": None}
    data["chain_warnings"] = data["enterprise_warnings"] = data["delivery_warnings"] = None
    exported = None
    if chains:
        rows, info = _chain_rows(ctx)
        if info is not None:
            rows = _scoped_chain_rows(ctx, rows)
            n_all, rows, more = _most_severe(rows)
            data["chain_warnings"] = {**info, "count": n_all, "url": "/chains", "rows": rows, "more": more,
                                      "note": _chain_note(ctx, info, n_all)}
            # enterprise rows leave the server in the JSON twin: an audited export, as on the full page
            exported = ("monitoring:chain_warnings", sum(w["subject_type"] == "enterprise" for w in rows))
        # issue 13: the green, park and backward-capacity warnings need no monitoring data either
        ent_rows, ent_info = ent_pages.warning_rows(ctx, mv.chain_warning_rows)
        n_ent, ent_rows, ent_more = _most_severe(ent_rows)
        data["enterprise_warnings"] = None if ent_info is None else {
            **ent_info, "count": n_ent, "rows": ent_rows, "more": ent_more,
            "note": t("ent_warnings_note", ctx.lang).format(
                n=n_ent, as_of=ent_info["as_of"] or "—",
                source=t("ent_synthetic_short", ctx.lang) if ent_info["synthetic"] else ent_info["source"] or "—")}
        n = ent_pages.named_in_evidence(ent_rows)
        if n:
            exported = ("monitoring:warnings", n + (exported[1] if exported else 0))
        # issue 14: the project, problem and task warnings need no monitoring data either (the user's rows)
        dl_rows, dl_info = dl_pages.warning_rows(ctx, mv.chain_warning_rows)
        n_dl, dl_rows, dl_more = _most_severe(dl_rows)
        data["delivery_warnings"] = None if dl_info is None else {
            **dl_info, "count": n_dl, "rows": dl_rows, "more": dl_more,
            "note": t("dl_warnings_note", ctx.lang).format(
                n=n_dl, as_of=dl_info["as_of"] or "—",
                source=t("dl_synthetic_short", ctx.lang) if dl_info["synthetic"] else dl_info["source"] or "—")}
    return respond(ctx.request, "monitoring_missing.html", data, lang=ctx.lang, user=ctx.user, page=page,
                   title=_title(ctx), exported=exported)


def _most_severe(rows: list[dict]) -> tuple[int, list[dict], int]:
    """(how many, the UNAVAILABLE_ROWS most severe in order, how many more) of a list of warnings."""
    ordered = sorted(rows, key=lambda w: mv.SEVERITY_ORDER.get(w["severity"], 9))
    return len(rows), ordered[:UNAVAILABLE_ROWS], max(0, len(rows) - UNAVAILABLE_ROWS)


def _chain_note(ctx: Ctx, info: dict, n: int) -> str:
    """Where the chain warnings come from, in the page's words (the generator's note is Chinese)."""
    return t("mon_chain_warnings", ctx.lang).format(
        n=n, as_of=info["as_of"] or "—",
        source=labels.label("chain_words", "synthetic", ctx.lang) if info["synthetic"] else info["source"] or "—")


def _q(period: str) -> str:
    return f"?period={period}"


def subject_url(st: str, sid: str, period: str) -> str:
    return f"/monitoring/subject/{st}/{sid}" + _q(period)


def district_url(code: str, period: str) -> str:
    return f"/monitoring/district/{code}" + _q(period)


def _visible_warnings(ctx: Ctx, rows: list[dict]) -> list[dict]:
    """Enterprise warnings only for users who may see the enterprise's district (auth.User)."""
    return [w for w in rows if w["subject_type"] != "enterprise" or ctx.user.can_see_region(w["district"] or "")]


def _with_urls(rows: list[dict], period: str) -> list[dict]:
    return [{**w, "url": w["url"] if "url" in w else subject_url(w["subject_type"], w["subject_id"], period)}
            for w in rows]


# --- chain warnings (issue 12): the plan's chain data, listed with the monitoring ones as `zhizao warnings` does ---
def _chain_rows(ctx: Ctx) -> tuple[list[dict], dict | None]:
    """Every chain warning of the default plan in the page's language, each with the chain data's
    district of its enterprise and the address of its chain, link or (an enterprise) the link it is on;
    shared by every user (scope them with `_scoped_chain_rows`). ([], None) for a plan without chains."""
    a = chain_pages._analysis(ctx)
    if a is None:
        return [], None

    def compute():
        w = chain_analytics.chain_warnings(ctx.plan, a.data, Settings(), chain_risk=a.risk)
        w.attrs.update(synthetic=bool(a.data.synthetic))
        rel = a.risk.relations
        high = rel[(rel["grade"] == "high") & rel["single_source"]] if len(rel) else rel
        first_input = {b: (c, lk) for b, c, lk in zip(high["buyer_id"][::-1], high["chain"][::-1], high["link"][::-1])}
        m = a.data.members
        first_link = {e: (c, lk) for e, c, lk in zip(m["enterprise_id"][::-1], m["chain"][::-1], m["link"][::-1])}
        rows = []
        for r in mv.chain_warning_rows(w, ctx.lang):
            st, sid = r["subject_type"], r["subject_id"]
            if st == "chain":
                url = f"/chains/{sid}"
            elif st == "chain_link":
                url = "/chains/{}/links/{}".format(*sid.split("/", 1))
            else:  # an enterprise: the link of its risky input (single source), else a link it is on
                where = (first_input.get(sid) if r["rule"] == "chain_single_source" else None) or first_link.get(sid)
                url = f"/chains/{where[0]}/links/{where[1]}" if where else None
            district = (a.enterprises.get(sid) or {}).get("district") if st == "enterprise" else None
            rows.append({**r, "district": district or None, "url": url, "chain": True})
        return rows

    info = {"source": a.data.source, "as_of": a.data.as_of, "synthetic": bool(a.data.synthetic)}
    return ctx.state.cached(("chain_warning_rows", ctx.lang), compute), info


def _scoped_chain_rows(ctx: Ctx, rows: list[dict]) -> list[dict]:
    """The chain warnings `ctx.user` may see: an enterprise's only within their district (the chain data's
    district, as on the chain pages); the suppliers it names outside it lose their name and code."""
    if ctx.user.level == "city":
        return rows
    a = chain_pages._analysis(ctx)
    hidden = t("chain_hidden_name", ctx.lang)
    out = []
    for w in rows:
        if w["subject_type"] != "enterprise":
            out.append(w)
            continue
        if not ctx.user.can_see_region(w["district"]):
            continue
        ev = dict(w["evidence"])
        others = [s for s in ev.get("suppliers") or [] if not chain_pages.can_name(ctx.user, a, s)]
        text = w["explanation"]
        for s in others:
            name = (a.enterprises.get(s) or {}).get("name")
            text = text.replace(str(name), hidden) if name else text
        if "suppliers" in ev:
            ev["suppliers"] = [s for s in ev["suppliers"] if s not in others]
        out.append({**w, "evidence": ev, "explanation": text})
    return out


SUBJECT_KEYS = {"subject_type", "subject_id", "subject_name"}
# Codes the explanation already says in words (the cluster a drag warning stands for too).
HIDDEN_EVIDENCE = SUBJECT_KEYS | {"same_as_cluster"}


def _evidence_value(v, lang: str) -> str:
    if isinstance(v, dict):
        return "、".join(f"{labels.label('evidence_value', k, lang)} {_evidence_value(x, lang)}" for k, x in v.items())
    if isinstance(v, bool) or (isinstance(v, str) and v in labels.EVIDENCE_VALUE):
        return labels.label("evidence_value", v, lang)
    if isinstance(v, (int, float)):
        return formatting.number(v)
    return formatting.MISSING if v is None else str(v)


def evidence_rows(ev: dict | None, lang: str) -> list[dict]:
    """A rule's (or light's) evidence as the reader's words: labelled keys, formatted numbers."""
    return [{"key": k, "label": labels.label("evidence_key", k, lang), "value": _evidence_value(v, lang)}
            for k, v in (ev or {}).items() if k not in HIDDEN_EVIDENCE]


# --- charts ---------------------------------------------------------------------------------------
def _r(v, nd: int = 2):
    return None if v is None else round(v, nd)


def growth_map(d: dict, lang: str) -> dict:
    rows = d["districts"]
    vals = [r["ytd_growth_pct"] for r in rows if r["ytd_growth_pct"] is not None]
    city = d["city"]["ytd_growth_pct"] or 0.0
    # Centred on the city; the scale spans most districts (one outlier would wash out the rest),
    # the few beyond it take the end colours.
    devs = sorted(abs(v - city) for v in vals)
    span = max(devs[int(0.9 * (len(devs) - 1))] if devs else 0.0, 2.0)
    pull = t("mon_pull", lang)
    return {
        "animation": False, "tooltip": {"trigger": "item"},
        "title": {"text": f"{t('mon_map', lang)}（{d['period_label']}）" if lang != "en"
                  else f"{t('mon_map', lang)} ({d['period_label']})", "left": "center", "textStyle": {"fontSize": 16}},
        "visualMap": {"type": "continuous", "min": round(city - span, 1), "max": round(city + span, 1),
                      "calculable": True, "left": 10, "bottom": 10, "inRange": {"color": GROWTH_COLOURS},
                      "text": ["%", ""], "precision": 1},
        "series": [{
            "type": "map", "map": MAP_NAME, "nameProperty": "adcode", "roam": True, "top": 50, "bottom": 10,
            "label": {"show": False}, "select": {"disabled": True}, "emphasis": {"label": {"show": True}},
            "itemStyle": {"borderColor": "#ffffff", "borderWidth": 0.8, "areaColor": "#e6e6e6"},
            "data": [{"name": r["id"], "value": _r(r["ytd_growth_pct"], 1), "district": r["name"],
                      "value_text": formatting.percent(r["ytd_growth_pct"]),
                      "group_name": "" if r["pull_pp"] is None else f"{pull} {formatting.points(r['pull_pp'], lang, 2)}",
                      "url": r["url"]} for r in rows],
        }],
        "geoUrl": GEO_URL,
    }


def pull_bars(rows: list[dict], title: str | None, lang: str) -> dict:
    rows = sorted(rows, key=lambda r: (-(r["pull_pp"] if r["pull_pp"] is not None else -1e9), r["id"]))
    return {
        "animation": False, "textStyle": {"fontSize": 13},
        **({"title": {"text": title, "left": 0, "textStyle": {"fontSize": 14}}} if title else {}),
        "grid": {"left": 200, "right": 60, "top": 36 if title else 10, "bottom": 24},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "value", "name": t("mon_pp_unit", lang)},
        "yAxis": {"type": "category", "inverse": True, "data": [r["name"] for r in rows],
                  "axisLabel": {"width": 180, "overflow": "truncate"}},
        "series": [{"type": "bar", "name": t("mon_pull", lang),
                    "label": {"show": True, "position": "right"},
                    # each bar's label is the table's text (zhizao.formatting): never "-0"
                    "data": [{"value": _r(r["pull_pp"]), "url": r.get("url"),
                              "label": {"formatter": formatting.number(r["pull_pp"], 2)},
                              "itemStyle": {"color": POSITIVE if (r["pull_pp"] or 0) >= 0 else NEGATIVE}}
                             for r in rows]}],
    }


def series_chart(s: dict, subject_type: str, lang: str, target: float | None = None) -> dict:
    """Monthly chart of one subject: the level as bars (right axis), growth rates as lines (%)."""
    x = s["periods"]
    value_name = t("mon_value", lang)
    series = [{"name": value_name, "type": "bar", "yAxisIndex": 1, "data": [_r(v, 1) for v in s["value"]],
               "itemStyle": {"color": SERIES_COLOURS["value"]}}]
    if subject_type == "enterprise":
        lines = [("value_added_growth_pct", t("mon_month_growth", lang), "month_growth"),
                 ("output_growth_pct", "产值同比" if lang != "en" else "Output YoY", "output"),
                 ("electricity_growth_pct", "用电量同比" if lang != "en" else "Electricity YoY", "electricity")]
    else:
        lines = [("ytd_growth_pct", t("mon_ytd_growth", lang), "ytd_growth"),
                 ("month_growth_pct", t("mon_month_growth", lang), "month_growth")]
    for key, name, colour in lines:
        if key in s:
            line = {"name": name, "type": "line", "yAxisIndex": 0, "connectNulls": False, "symbolSize": 5,
                    "data": [_r(v) for v in s[key]], "itemStyle": {"color": SERIES_COLOURS[colour]},
                    "lineStyle": {"width": 2.5 if colour == "ytd_growth" else 1.5}}
            if colour == "ytd_growth" and target is not None:
                line["markLine"] = {"symbol": "none", "data": [{"yAxis": target}],
                                    "lineStyle": {"color": "#c51b7d", "type": "dashed"},
                                    "label": {"formatter": f"{t('mon_target', lang)} {formatting.percent(target)}",
                                              "position": "insideStartTop"}}
            series.append(line)
    return {
        "animation": False, "textStyle": {"fontSize": 13}, "legend": {"top": 0},
        "tooltip": {"trigger": "axis"}, "grid": {"left": 60, "right": 80, "top": 40, "bottom": 60},
        "xAxis": {"type": "category", "data": x, "axisLabel": {"rotate": 45}},
        "yAxis": [{"type": "value", "name": "%", "scale": True},
                  {"type": "value", "name": value_name, "splitLine": {"show": False}}],
        "dataZoom": [{"type": "inside"}],
        "series": series,
    }


# --- pages ----------------------------------------------------------------------------------------
def _warning_url(period: str, **params) -> str:
    q = {"period": period, **{k: v for k, v in params.items() if v}}
    return "/monitoring?" + urlencode(q) + "#warnings"


def warning_groups(rows: list[dict], period: str) -> list[dict]:
    """Warnings counted by (rule, subject type), the largest group first; each links to its rows and
    splits its count by severity (中1 · 低17), so that the groups add up to the headline counts."""
    counts = Counter((w["rule"], w["subject_type"]) for w in rows)
    by_severity = Counter((w["rule"], w["subject_type"], w["severity"]) for w in rows)
    first = {}
    for w in rows:  # rows are most severe first: the first of a group is its worst
        first.setdefault((w["rule"], w["subject_type"]), w)
    labels_ = {w["severity"]: w["severity_label"] for w in rows}
    return [{"rule": r, "rule_title": first[(r, st)]["rule_title"], "subject_type": st,
             "subject_type_label": first[(r, st)]["subject_type_label"], "count": n,
             "worst_severity": first[(r, st)]["severity"], "worst_severity_label": first[(r, st)]["severity_label"],
             "severities": [{"id": s, "label": labels_[s], "count": by_severity[(r, st, s)],
                             "url": _warning_url(period, rule=r, type=st, severity=s)}
                            for s in SEVERITIES if by_severity[(r, st, s)]],
             "url": _warning_url(period, rule=r, type=st)}
            for (r, st), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def monitoring_data(ctx: Ctx, data, result, severity: str | None, rule: str | None,
                    subject_type: str | None = None, page: int = 1) -> dict:
    d = _base(ctx, data, result)
    period = d["period"]
    city = mv.city_summary(result)
    # only links the user may follow (auth.may): a district user's own district, none for a guest
    districts = [{**r, "url": url if may(ctx.user, url) else None}
                 for r in mv.district_rows(result, ctx.lang) for url in [district_url(r["id"], period)]]
    industries = [{**r, "url": subject_url("industry", r["id"], period)} for r in mv.part_rows(result, "industry", ctx.lang)]
    clusters = [{**r, "url": subject_url("cluster", r["id"], period)} for r in mv.part_rows(result, "cluster", ctx.lang)]
    zones = [{**r, "url": subject_url("zone", r["id"], period)} for r in mv.part_rows(result, "zone", ctx.lang)]
    # The five lights are a status (the tables' light column), never listed as warnings.
    all_warnings = [w for w in _visible_warnings(ctx, mv.warning_rows(result, ctx.lang)) if w["rule"] in WARNING_RULES]
    chain_rows, chain_info = _chain_rows(ctx)
    chain_rows = _scoped_chain_rows(ctx, chain_rows)
    all_warnings += chain_rows  # most severe first, as zhizao warnings sorts the two together
    ent_rows, ent_info = ent_pages.warning_rows(ctx, mv.chain_warning_rows)
    all_warnings += ent_rows
    dl_rows, dl_info = dl_pages.warning_rows(ctx, mv.chain_warning_rows)  # issue 14: the user's rows only
    all_warnings += dl_rows
    all_warnings.sort(key=lambda w: mv.SEVERITY_ORDER.get(w["severity"], 9))
    shown = [w for w in all_warnings if (not severity or w["severity"] == severity) and (not rule or w["rule"] == rule)
             and (not subject_type or w["subject_type"] == subject_type)]
    pages = max(1, -(-len(shown) // WARNINGS_PER_PAGE))
    page = min(max(1, page), pages)
    at = (page - 1) * WARNINGS_PER_PAGE
    keep = {"severity": severity, "rule": rule, "type": subject_type}
    codes = [r["id"] for r in districts]
    return {
        **d, "city": {**city, "url": subject_url("city", city["subject_id"], period),
                      "warnings_total": len(all_warnings),
                      "light_label": mv.light_label(city["light"], ctx.lang),
                      "composite_light_label": mv.light_label(city["composite_light"], ctx.lang)},
        "districts": districts, "industries": industries, "clusters": clusters, "zones": zones,
        "join": {"geojson_features": len(geojson_adcodes()), "joined": len(set(geojson_adcodes()) & set(codes)),
                 "districts": len(codes), "with_data": sum(r["has_data"] for r in districts)},
        "warnings": _with_urls(shown[at:at + WARNINGS_PER_PAGE], period),
        "warnings_all": shown,
        "warning_groups": warning_groups(all_warnings, period),
        "warning_filter": {"severity": severity, "rule": rule, "type": subject_type, "shown": len(shown),
                           "total": len(all_warnings)},
        "warning_page": {"page": page, "pages": pages, "per_page": WARNINGS_PER_PAGE, "first": at + 1 if shown else 0,
                         "last": min(at + WARNINGS_PER_PAGE, len(shown)),
                         "prev_url": _warning_url(period, **keep, page=page - 1) if page > 1 else None,
                         "next_url": _warning_url(period, **keep, page=page + 1) if page < pages else None},
        "warning_counts": {s: sum(w["severity"] == s for w in all_warnings) for s in SEVERITIES},
        "severities": [{"id": s, "label": mv.severity_label(s, ctx.lang)} for s in SEVERITIES],
        "rules": [{"id": k, "title": mv.rule_title(k, ctx.lang)}
                  for k in (*WARNING_RULES, *(CHAIN_RULES if chain_info else ()))]
        + [{"id": k, "title": ent_pages.rule_title(k, ctx.lang)} for k in (ENTERPRISE_RULES if ent_info else ())]
        + [{"id": k, "title": dl_pages.rule_title(k, ctx.lang)} for k in (DELIVERY_RULES if dl_info else ())],
        "subject_types": [{"id": k, "label": mv.subject_type_label(k, ctx.lang)}
                          for k in SUBJECT_TYPES if any(RULES[r].subject_types and k in RULES[r].subject_types
                                                        for r in WARNING_RULES)]
        + [{"id": k, "label": mv.subject_type_label(k, ctx.lang)} for k in CHAIN_SUBJECT_TYPES if chain_info]
        + [{"id": k, "label": mv.subject_type_label(k, ctx.lang)} for k in ENTERPRISE_SUBJECT_TYPES if ent_info]
        + [{"id": k, "label": labels.label("subject_type", k, ctx.lang)} for k in DELIVERY_SUBJECT_TYPES if dl_info],
        "chain_warnings": None if chain_info is None else {
            **chain_info, "count": len(chain_rows),
            # synthetic data in the page's words (the generator's note is Chinese); an import's file names
            "note": _chain_note(ctx, chain_info, len(chain_rows)),
            "url": "/chains"},
        "light_counts": {st: dict(Counter(r["light"] for r in rows if r.get("light")))
                         for st, rows in (("district", districts), ("industry", industries), ("cluster", clusters),
                                          ("zone", zones))},
        "brief": [{"format": f, "url": f"/monitoring/brief?format={f}&period={period}"} for f in BRIEF_FORMATS
                  if may(ctx.user, "/monitoring/brief")],
    }


# --- exports (?table=NAME&format=csv|xlsx|json): the page's tables with the synthetic label in the first column,
# numbers as numbers (percent and percentage points in the header), codes as words
def _synthetic_column(d: dict, lang: str) -> dict:
    return {t("mon_period", lang): d["period_label"], **({t("source", lang): d["synthetic_label"]}
                                                          if d.get("synthetic") else {})}


def monitoring_frame(rows: list[dict], kind: str, d: dict, lang: str) -> pd.DataFrame:
    name_head = {"district": "district", "industry": "mon_industry", "cluster": "mon_cluster", "zone": "region"}[kind]
    pct = "（%）" if lang != "en" else " (%)"
    out = []
    for r in rows:
        row = {**_synthetic_column(d, lang)}
        if kind == "district":
            row[t("code", lang)] = r["id"]
        row[t(name_head, lang)] = r["name"]
        if kind == "district":
            row[t("mon_ytd", lang)] = cell_number(r.get("ytd"))
        row[t("mon_ytd_growth", lang) + pct] = cell_number(r.get("ytd_growth_pct"))
        if kind == "district":
            row[t("mon_month_growth", lang) + pct] = cell_number(r.get("month_growth_pct"))
        row[t("mon_contribution", lang) + pct] = cell_number(r.get("contribution_pct"))
        row[t("mon_pull", lang)] = cell_number(r.get("pull_pp"))  # the header says 百分点 / pp
        if kind in ("district", "industry"):
            row[t("mon_rank", lang)] = None if r.get("rank") is None else int(r["rank"])
        row[t("mon_light", lang)] = r.get("light_label") or None
        if kind == "district":
            row[t("mon_warnings", lang)] = r.get("warnings") or 0
        out.append(row)
    return frame(out, columns=list(out[0]) if out else [t(name_head, lang)])


def _code(w: dict) -> str:
    """A subject's code for the export: a chain's, link's or work item's id is zhizao's (or the plan file's) word,
    not a code (its name says it)."""
    return "" if w.get("subject_type") in ("chain", "chain_link", "work_item") else w["subject_id"]


def _origin(w: dict, d: dict, lang: str) -> str:
    """A warning's source: its own data's (the chain and enterprise warnings carry theirs), else the page's."""
    if w.get("synthetic", d.get("synthetic")):
        return mv.SYNTHETIC_LABEL["en" if lang == "en" else "zh"]
    return w.get("source") or ""


def warnings_frame(rows: list[dict], d: dict, lang: str) -> pd.DataFrame:
    """The warnings as a table; the source column (when any row is synthetic) says each row's own origin."""
    period = {t("mon_period", lang): d["period_label"]}
    labelled = d.get("synthetic") or any(w.get("synthetic") for w in rows)
    src = t("source", lang)
    out = [{**period, **({src: _origin(w, d, lang)} if labelled else {}), t("mon_severity", lang): w["severity_label"],
            t("mon_rule", lang): w["rule_title"], t("mon_type", lang): w["subject_type_label"],
            t("mon_subject", lang): w["subject_name"], t("code", lang): _code(w),
            t("mon_explanation", lang): w["explanation"]} for w in rows]
    heads = [*period, *([src] if labelled else []), *(t(k, lang) for k in ("mon_severity", "mon_rule", "mon_type",
                                                                         "mon_subject", "code", "mon_explanation"))]
    return frame(out, columns=heads)


def enterprises_frame(rows: list[dict], d: dict, lang: str) -> pd.DataFrame:
    """A district's enterprise list (企业名单) as a table: codes and names as text, figures as numbers,
    warnings by their rule's title (export_table passes it through spreadsheet_safe)."""
    pct = "（%）" if lang != "en" else " (%)"
    sep = "、" if lang != "en" else "; "
    heads = [*_synthetic_column(d, lang), t("mon_credit_code", lang), t("mon_enterprise", lang), t("mon_industry", lang),
             t("mon_cluster", lang), t("mon_size", lang), t("mon_ytd", lang), t("mon_ytd_growth", lang) + pct,
             t("mon_contribution", lang) + pct, t("mon_pull", lang), t("mon_reported", lang), t("mon_warnings", lang)]
    yes, no = labels.label("evidence_value", True, lang), labels.label("evidence_value", False, lang)
    out = [dict(zip(heads, (*_synthetic_column(d, lang).values(), e["credit_code"], e["name"],
                            f"{e['industry']} {e['industry_name']}", e.get("cluster_name"), e.get("size_class_label"),
                            cell_number(e.get("ytd")), cell_number(e.get("ytd_growth_pct")),
                            cell_number(e.get("contribution_pct")), cell_number(e.get("pull_pp")),
                            yes if e["reported"] else no,
                            sep.join(w["rule_title"] for w in e["warnings"]) or None)))
           for e in rows]
    return frame(out, columns=heads)


@router.get("/monitoring")
def monitoring_page(ctx: Ctx = Depends(page_context), period: str | None = Query(None),
                    severity: str | None = Query(None), rule: str | None = Query(None),
                    type: str | None = Query(None), page: int = Query(1)):
    severity, rule, type = severity or None, rule or None, type or None  # the form sends empty fields
    if severity and severity not in SEVERITIES:
        raise HTTPException(422, say(ctx.lang, f"级别须为 {'、'.join(SEVERITIES)} 之一",
                                     f"severity must be one of {', '.join(SEVERITIES)}, got {severity[:20]!r}"))
    if rule and rule not in WARNING_RULES and rule not in CHAIN_RULES and rule not in ENTERPRISE_RULES \
            and rule not in DELIVERY_RULES:
        raise HTTPException(422, say(ctx.lang, "规则须为以下之一：" + "、".join(mv.rule_title(k, "zh")
                                                                        for k in (*WARNING_RULES, *CHAIN_RULES))
                                     + "（请在页面的规则列表中选择；信号灯是各表的状态列，不是预警）",
                                     f"rule must be one of {', '.join((*WARNING_RULES, *CHAIN_RULES))} (the five lights "
                                     f"are a status column, not a warning), got {rule[:40]!r}"))
    if type and type not in SUBJECT_TYPES and type not in CHAIN_SUBJECT_TYPES and type not in ENTERPRISE_SUBJECT_TYPES \
            and type not in DELIVERY_SUBJECT_TYPES:
        raise HTTPException(422, say(ctx.lang, "对象类型须为以下之一：" + "、".join(
            mv.subject_type_label(k, "zh") for k in (*SUBJECT_TYPES, *CHAIN_SUBJECT_TYPES)) + "（请在页面的类型列表中选择）",
            f"type must be one of {', '.join((*SUBJECT_TYPES, *CHAIN_SUBJECT_TYPES))}, got {type[:40]!r}"))
    try:
        data, result = _load(ctx, period)
    except MonitoringUnavailable as e:
        return _unavailable(ctx, e, "monitoring", chains=True)
    d = monitoring_data(ctx, data, result, severity, rule, type, page)
    tables = {name: (lambda rows=rows, kind=kind: monitoring_frame(rows, kind, d, ctx.lang))
              for name, kind, rows in (("districts", "district", d["districts"]),
                                       ("industries", "industry", d["industries"]),
                                       ("clusters", "cluster", d["clusters"]), ("zones", "zone", d["zones"]))}
    all_shown = d.pop("warnings_all")  # the page shows one page of them (and so does its JSON twin)
    tables["warnings"] = lambda: warnings_frame(all_shown, d, ctx.lang)
    charts = {"map": growth_map(d, ctx.lang),
              "cluster_pulls": pull_bars(d["clusters"], t("mon_pulls_cluster", ctx.lang), ctx.lang),
              "industry_pulls": pull_bars(d["industries"], None, ctx.lang)}
    # the JSON twin's enterprise warnings (the user's scope) and the credit codes their evidence names are
    # enterprise rows: audited when there are any
    ent = sum(w["subject_type"] == "enterprise" for w in d["warnings"]) + ent_pages.named_in_evidence(d["warnings"])
    return respond(ctx.request, "monitoring.html", d, lang=ctx.lang, user=ctx.user, page="monitoring",
                   title=_title(ctx, d["period_label"]), charts=charts, tables=tables,
                   exported=("monitoring:warnings", ent))


@router.get("/monitoring/district/{adcode}")
def monitoring_district(adcode: str, ctx: Ctx = Depends(page_context), period: str | None = Query(None)):
    if adcode not in DISTRICTS:
        raise not_found(say(ctx.lang, f"没有代码为“{adcode[:20]}”的区县；请从运行监测页的区县表进入",
                            f"no district '{adcode[:20]}' (a GB/T 2260 code); open it from the monitoring page's table"))
    if not ctx.user.can_see_region(adcode):  # out of scope: as if it did not exist (auth.not_visible)
        raise not_visible(ctx.lang)
    try:
        data, result = _load(ctx, period)
    except MonitoringUnavailable as e:
        return _unavailable(ctx, e, "monitoring_district")
    d = _base(ctx, data, result)
    p = d["period"]
    row = next(r for r in mv.district_rows(result, ctx.lang) if r["id"] == adcode)
    enterprises = mv.enterprise_rows(result, adcode, ctx.lang)
    for e in enterprises:
        e["url"] = subject_url("enterprise", e["credit_code"], p)
        e["size_class_label"] = labels.label("size_class", e["size_class"], ctx.lang) if e["size_class"] else None
    d.update({
        "district": {**row, "url": subject_url("district", adcode, p) if row["has_data"] else None},
        "warnings": _with_urls(mv.warning_rows(result, ctx.lang, subject_type="district", subject_id=adcode), p),
        "enterprise_warnings": _with_urls([w for w in mv.warning_rows(result, ctx.lang, subject_type="enterprise")
                                           if w["district"] == adcode], p),
        "enterprises": enterprises,
        "counts": {"enterprises": len(enterprises), "with_warnings": sum(bool(e["warnings"]) for e in enterprises)},
    })
    every_warning = d["warnings"] + d["enterprise_warnings"]
    tables = {"enterprises": lambda: enterprises_frame(enterprises, d, ctx.lang),
              "warnings": lambda: warnings_frame(every_warning, d, ctx.lang)}
    # its JSON twin hands out the district's enterprises (credit codes, figures): an audited export
    return respond(ctx.request, "monitoring_district.html", d, lang=ctx.lang, user=ctx.user,
                   page="monitoring_district", title=_title(ctx, row["name"]), tables=tables,
                   exported=(f"monitoring_district:{adcode}", len(enterprises) + len(d["enterprise_warnings"])))


@router.get("/monitoring/subject/{subject_type}/{subject_id}")
def monitoring_subject(subject_type: str, subject_id: str, ctx: Ctx = Depends(page_context),
                       period: str | None = Query(None)):
    if subject_type not in SUBJECT_TYPES:
        raise not_found(say(ctx.lang, "对象类型须为以下之一：" + "、".join(mv.subject_type_label(k, "zh") for k in SUBJECT_TYPES),
                            f"subject type '{subject_type[:20]}' (one of {', '.join(SUBJECT_TYPES)})"))
    try:
        data, result = _load(ctx, period)
    except MonitoringUnavailable as e:
        return _unavailable(ctx, e, "monitoring_subject")
    series = mv.subject_series(result, subject_type, subject_id)
    missing = not_found(say(ctx.lang, f"监测数据中没有{mv.subject_type_label(subject_type, 'zh')}“{subject_id[:40]}”；"
                                      "请从运行监测页的表格进入",
                            f"no {subject_type} '{subject_id[:40]}' in the monitoring data; open it from the monitoring "
                            "page's tables"))
    if series is None:
        raise missing
    d = _base(ctx, data, result)
    p = d["period"]
    info = None
    if subject_type == "enterprise":
        info = mv.enterprise_info(result, subject_id, ctx.lang)
        if not ctx.user.can_see_region(info["district"]):
            raise missing  # the same answer as an enterprise that does not exist: its existence is not told
        info["district_url"] = district_url(info["district"], p)
        if info.get("size_class"):
            info["size_class_label"] = labels.label("size_class", info["size_class"], ctx.lang)
        name = info["name"]
    else:
        name = mv.subject_display(result, subject_type, subject_id, ctx.lang)
        part = next((r for r in mv.part_rows(result, subject_type, ctx.lang) if r["id"] == subject_id), None)
        info = part or {"id": subject_id, "name": name}
        if subject_type == "city":
            info = {**info, **mv.city_summary(result)}
        if subject_type == "district" and may(ctx.user, district_url(subject_id, p)):
            info["district_url"] = district_url(subject_id, p)
    target = float(mv.city_summary(result)["target_pct"]) if subject_type == "city" else None
    light = mv.light_detail(result, subject_type, subject_id)
    d.update({
        "subject": {"type": subject_type, "type_label": mv.subject_type_label(subject_type, ctx.lang),
                    "id": subject_id, "name": name},
        "info": info,
        "light": light,
        "light_label": mv.light_label(light["light"], ctx.lang) if light else None,
        "light_rows": evidence_rows(light, ctx.lang),
        "warnings": [{**w, "evidence_rows": evidence_rows(w["evidence"], ctx.lang)}
                     for w in mv.warning_rows(result, ctx.lang, subject_type=subject_type, subject_id=subject_id)
                     if w["rule"] in WARNING_RULES],
        "series": series,
    })
    charts = {"series": series_chart(series, subject_type, ctx.lang, target)}
    # an enterprise's page as JSON is that enterprise's row and monthly figures leaving the server: an export
    exported = (f"monitoring_subject:enterprise:{subject_id}", 1) if subject_type == "enterprise" else None
    return respond(ctx.request, "monitoring_subject.html", d, lang=ctx.lang, user=ctx.user,
                   page="monitoring_subject", title=_title(ctx, name), charts=charts, exported=exported)


@router.get("/monitoring/brief")
def monitoring_brief(ctx: Ctx = Depends(page_context), period: str | None = Query(None),
                     format: str = Query("html")):
    """The monthly brief (zhizao brief) of the period, built once per folder state."""
    if format not in BRIEF_FORMATS:
        raise HTTPException(422, say(ctx.lang, f"简报格式须为 {'、'.join(BRIEF_FORMATS)} 之一",
                                     f"brief format must be one of {', '.join(BRIEF_FORMATS)}"))
    if ctx.user.level != "city":  # auth.ROUTE_PERMISSIONS keeps others out already; this says why
        raise not_visible(ctx.lang)
    try:
        data, result = _load(ctx, period)
    except MonitoringUnavailable as e:
        raise HTTPException(404, mv.synth_hint(monitoring_state(ctx).data_dir, ctx.lang)
                            if e.reason == "missing" else e.message) from None

    def build() -> bytes:
        with tempfile.TemporaryDirectory(prefix="zhizao-web-brief-") as tmp:
            paths = build_brief_from(data, result, formats=[format], out_dir=Path(tmp), lang=ctx.lang)
            return Path(paths[format]).read_bytes()

    try:
        body = monitoring_state(ctx).cached(("brief", result.period, ctx.lang, format), build)
    except RuntimeError as e:  # CJK fonts missing on this machine; the message names the package
        raise HTTPException(503, str(e)) from None
    # every district's enterprises leave the server: an export, audited as the table exports are
    audit(ctx.request, "export", f"monitoring_brief:{mv.period_key(result.period)}",
          rows=0 if result.enterprises is None else len(result.enterprises),
          detail={"format": format, "period": mv.period_key(result.period), "path": ctx.request.url.path})
    filename = f"{brief_stem(result.period, ctx.lang)}.{format}"
    return Response(body, media_type=BRIEF_FORMATS[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
