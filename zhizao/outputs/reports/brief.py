"""The monthly brief (月度经济运行分析): one reporting period of monitoring as DOCX and HTML.

    from zhizao.outputs.reports.brief import build_brief
    paths = build_brief("zhizao-synth", period="2024-09", formats=("docx", "html"), out_dir="out")

Sections: 总体运行 (city growth, gap to the target path, the year's forecast with its interval),
分区县 (pulls, ranks, lights), 分行业 (pulls and 贡献率 by plan cluster and GB/T 4754 division),
预警提示 (by severity), 重点企业 (enterprises with warnings), 数据说明 (synthetic-data label, definitions,
methods). Every number comes from one monitoring refresh (`zhizao.outputs.monitoring_view`, the
same tables the dashboard's monitoring page shows) and is formatted here; the blocks are the
evaluation report's (model.py) and so are the renderers (to_docx, to_html), fonts and charts.

Deterministic: no clock (the document date is the period's last day), a fixed forecast seed,
sorted tables, fixed ZIP times — the same data give byte-identical HTML and DOCX.
"""
from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import Iterable

from zhizao import formatting
from zhizao.analytics.monitoring.forecast import forecast_next_year
from zhizao.analytics.monitoring.growth import target_gap
from zhizao.analytics.monitoring.periods import parse_period
from zhizao.analytics.monitoring.warnings import RULES
from zhizao.codes.regions import district_name
from zhizao.errors import UserError
from zhizao.outputs import monitoring_view as mv
from zhizao.outputs.reports.fonts import find_cjk_fonts
from zhizao.outputs.reports.to_html import render_html
from zhizao.outputs.reports.model import Bullets, Cell, Figure, Heading, Para, Report, Table
from zhizao.outputs.reports.files import parse_formats
from zhizao.settings import SETTINGS, Settings

FORMATS = ("docx", "html")
LOW_LIMIT = 30  # low-severity warnings listed; the rest are counted
RISK_LIMIT = 50  # enterprises listed in 重点企业

L: dict[str, tuple[str, str]] = {
    "title": ("重庆市规模以上工业经济运行分析", "Chongqing industrial economy: monthly brief"),
    "generated_by": ("由 zhizao（智造）运行监测模块生成", "Produced by zhizao's monthly monitoring"),
    "s_overall": ("一、总体运行", "1. Overall"),
    "s_districts": ("二、分区县", "2. Districts"),
    "s_industries": ("三、分行业", "3. Industries"),
    "s_warnings": ("四、预警提示", "4. Warnings"),
    "s_enterprises": ("五、重点企业（风险企业）", "5. Enterprises at risk"),
    "s_data": ("六、数据说明", "6. About the data"),
    "s_clusters": ("（一）产业集群", "3.1 Plan clusters"),
    "s_divisions": ("（二）行业大类（GB/T 4754—2017）", "3.2 GB/T 4754-2017 divisions"),
    "s_scope": ("数据与口径", "Data and definitions"),
    "s_methods": ("方法", "Methods"),
    "s_settings": ("本期参数", "Settings of this run"),
    "h_period": ("期别", "Period"),
    "h_ytd_growth": ("累计增速", "YTD growth"),
    "h_month_growth": ("当月增速", "Period growth"),
    "h_gap": ("与目标差距（百分点）", "Gap to target (pp)"),
    "h_rank": ("位次", "Rank"),
    "h_district": ("区县", "District"),
    "h_ytd": ("累计增加值（亿元）", "YTD value added (100m yuan)"),
    "h_pull": ("拉动（百分点）", "Pull (pp)"),
    "h_contribution": ("贡献率", "Contribution"),
    "h_share": ("上年比重", "Share last year"),
    "h_light": ("信号灯", "Light"),
    "h_warnings": ("预警数", "Warnings"),
    "h_cluster": ("产业集群", "Plan cluster"),
    "h_division": ("行业大类", "Division"),
    "h_rule": ("规则", "Rule"),
    "h_subject": ("对象", "Subject"),
    "h_explanation": ("说明", "Explanation"),
    "h_code": ("统一社会信用代码", "Credit code"),
    "h_enterprise": ("企业", "Enterprise"),
    "h_industry": ("行业", "Industry"),
    "h_ytd_wan": ("累计增加值（万元）", "YTD value added (10k yuan)"),
    "h_setting": ("参数", "Setting"),
    "h_value": ("取值", "Value"),
    "h_meaning": ("含义", "Meaning"),
    "c_this": ("本年", "this year"),
    "c_last": ("上年", "last year"),
    "c_target": ("全年目标", "annual target"),
    "c_path_title": ("全市规上工业增加值累计增速（%）", "City value added, YTD growth (%)"),
    "c_pull_districts": ("各区县对全市增长的拉动（百分点）", "Districts' pull on the city's growth (pp)"),
    "c_pull_clusters": ("各产业集群对全市增长的拉动（百分点）", "Plan clusters' pull on the city's growth (pp)"),
    "c_pull_divisions": ("各行业大类对全市增长的拉动（百分点）", "Divisions' pull on the city's growth (pp)"),
    "pp": ("百分点", "pp"),
}


def _t(key: str, lang: str) -> str:
    zh, en = L[key]
    return en if lang == "en" else zh


def _zh(lang: str) -> bool:
    return lang != "en"


# --- number formatting: the brief's names for zhizao.formatting (the one formatter of every output) ---
def g1(v) -> str:
    """A growth rate or share in percent, one decimal: 8.1%."""
    return formatting.percent(mv.num(v), 1)


def pp1(v) -> str:
    """Percentage points, one decimal (the unit is in the sentence): 0.4."""
    return formatting.number(mv.num(v), 1)


def pp2(v) -> str:
    """A pull in percentage points, two decimals: 0.4, -0.18."""
    return formatting.number(mv.num(v), 2)


def yi(v) -> str:
    """万元 → 亿元, two decimals with separators: 4,388.81."""
    x = mv.num(v)
    return formatting.number(None if x is None else x / 1e4, 2)


def wan(v) -> str:
    """万元, whole: 26,834."""
    return formatting.number(mv.num(v), 0)


def brief_stem(period: tuple[int, int], lang: str) -> str:
    """File name without extension: zhizao-brief-2024-09-zh."""
    return f"zhizao-brief-{period[0]}-{period[1]:02d}-{lang}"


def _formats(formats: Iterable[str] | str) -> list[str]:
    return parse_formats(formats, FORMATS, "brief")


def _light(light: str | None, lang: str) -> str:
    return mv.light_label(light, lang) or "—"


# --- sections -----------------------------------------------------------------------------------
def _overall(result, city: dict, fc: dict, lang: str) -> list:
    from zhizao.outputs.reports.brief_charts import growth_path_chart  # noqa: PLC0415 - matplotlib, only when charting

    zh = _zh(lang)
    y, m = result.period
    label = mv.period_label(result.period, lang)
    month = mv.period_label(result.period, lang, "month")
    blocks: list = [Heading(1, _t("s_overall", lang), "overall")]
    g, tgt, gap = city["ytd_growth_pct"], city["target_pct"], city["gap_pp"]
    above = gap is not None and gap >= 0
    if zh:
        text = (f"{label}，全市规模以上工业增加值（不变价）累计增长{g1(g)}，"
                f"{'高于' if above else '低于'}全年目标（{g1(tgt)}）{pp1(abs(gap) if gap is not None else None)}个百分点；"
                f"{month}当期增长{g1(city['month_growth_pct'])}。")
        if city["ytd_growth_current_pct"] is not None:
            text += f"按现价计算累计增长{g1(city['ytd_growth_current_pct'])}。"
    else:
        text = (f"{label}: value added of industrial enterprises above designated size (constant prices) grew "
                f"{g1(g)} year to date, {pp1(abs(gap) if gap is not None else None)} pp "
                f"{'above' if above else 'below'} the {g1(tgt)} annual target; {month} alone grew "
                f"{g1(city['month_growth_pct'])}.")
        if city["ytd_growth_current_pct"] is not None:
            text += f" At current prices: {g1(city['ytd_growth_current_pct'])}."
    blocks.append(Para(text, "lead"))
    rest = city["required_rest_pct"]
    if m < 12 and rest is not None:
        blocks.append(Para(
            f"余下{city['months_left']}个月须增长{g1(rest)}方能完成全年{g1(tgt)}的目标"
            + ("，高于目前累计增速，完成目标压力较大。" if g is not None and rest > g else "，低于目前累计增速。")
            if zh else
            f"The remaining {city['months_left']} month(s) need {g1(rest)} growth to reach the {g1(tgt)} target"
            + (", above the growth so far: the target is under pressure." if g is not None and rest > g
               else ", below the growth so far."),
            "alert" if g is not None and rest > g else "body"))
    if m == 12:
        blocks.append(Para("全年已结束，全年增速即为1—12月累计增速。" if zh else
                           "The year is complete: the annual growth is the January–December growth."))
        nxt = fc.get("next") or {}
        if mv.num(nxt.get("growth_pct")) is not None:  # next year, from the history alone
            level = int(round((1 - nxt.get("alpha", 0.1)) * 100))
            blocks.append(Para(
                f"预测{y + 1}年增长{g1(nxt['growth_pct'])}（{level}%预测区间{g1(nxt['growth_lo'])}—"
                f"{g1(nxt['growth_hi'])}）。{y + 1}年尚无数据，模型：季节ARIMA与“增速同{y}年”等权组合。" if zh else
                f"Forecast for {y + 1}: {g1(nxt['growth_pct'])} ({level}% interval {g1(nxt['growth_lo'])} to "
                f"{g1(nxt['growth_hi'])}). No {y + 1} data yet; model: equal-weight combination of a seasonal "
                f"ARIMA and \"growth as in {y}\"."))
    elif fc.get("growth_pct") is not None:
        level = int(round((1 - fc.get("alpha", 0.1)) * 100))
        blocks.append(Para(
            f"预测全年增长{g1(fc['growth_pct'])}（{level}%预测区间{g1(fc['growth_lo'])}—{g1(fc['growth_hi'])}），"
            f"全年增加值约{yi(fc['level'])}亿元（不变价）。模型：季节ARIMA与朴素预测（全年增速=累计增速）等权组合。"
            if zh else
            f"Forecast for the year: {g1(fc['growth_pct'])} ({level}% interval {g1(fc['growth_lo'])} to "
            f"{g1(fc['growth_hi'])}), about {yi(fc['level'])} (100m yuan, constant prices). Model: equal-weight "
            f"combination of a seasonal ARIMA and the naive forecast (annual growth = YTD growth)."))
    else:
        blocks.append(Para("数据不足两年，未作全年预测。" if zh else "Less than two years of data: no forecast."))
    if city["composite_light"]:
        idx = city["composite_index"]
        blocks.append(Para(
            f"全市综合景气信号为“{city['composite_light']}”" + (f"（指数{idx:.1f}，100为全部正常）" if idx is not None else "")
            + f"；规上工业增加值累计增速信号为“{city['light'] or '—'}”。" if zh else
            f"The city's composite signal is {_light(city['composite_light'], lang)}"
            + (f" (index {idx:.1f}; 100 = all normal)" if idx is not None else "")
            + f"; the YTD value-added signal is {_light(city['light'], lang)}."))

    # This year's path, and last year's for comparison
    path = result.city_path
    gap_by = {}

    tg = target_gap(path[["year", "month", "value"]], tgt)
    for r in tg.itertuples(index=False):
        gap_by[(int(r.year), int(r.month))] = mv.num(r.gap_pp)
    rows, this_year, last_year = [], [], []
    cur = path[(path["year"] == y) & (path["month"] <= m)]
    prev = path[path["year"] == y - 1]
    prev_growth = {int(r.month): mv.num(r.ytd_growth_pct) for r in prev.itertuples(index=False)}
    for r in cur.itertuples(index=False):
        mm = int(r.month)
        rows.append([Cell(mv.period_label((y, mm), lang)), Cell(g1(mv.num(r.ytd_growth_pct)), align="right"),
                     Cell(g1(mv.num(r.month_growth_pct)), align="right"),
                     Cell(pp1(gap_by.get((y, mm))), align="right")])
    for mm in range(2, 13):
        lab = "1—2" if mm == 2 and zh else ("Jan–Feb" if mm == 2 else str(mm))
        this_year.append((lab, mv.num(cur.loc[cur["month"] == mm, "ytd_growth_pct"].iloc[0]) if (cur["month"] == mm).any() else None))
        last_year.append((lab, prev_growth.get(mm)))
    blocks.append(Table([_t("h_period", lang), _t("h_ytd_growth", lang), _t("h_month_growth", lang), _t("h_gap", lang)],
                        rows, "city_path", widths=[2, 1.2, 1.2, 1.6]))
    png = growth_path_chart(this_year, last_year, tgt, {"this": f"{y}" if zh else f"{y}", "last": f"{y - 1}",
                                                        "target": f"{_t('c_target', lang)} {g1(tgt)}",
                                                        "title": _t("c_path_title", lang)})
    blocks.append(Figure(png, _t("c_path_title", lang), "fig-city-path"))
    return blocks


def _districts(result, city: dict, lang: str) -> list:
    from zhizao.outputs.reports.brief_charts import pull_chart  # noqa: PLC0415 - matplotlib, only when charting

    zh = _zh(lang)
    rows = [r for r in mv.district_rows(result, lang) if r["has_data"]]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["id"]))
    blocks: list = [Heading(1, _t("s_districts", lang), "districts")]
    if not rows:
        blocks.append(Para("数据中没有区县。" if zh else "The data have no districts."))
        return blocks
    top = rows[:3]
    drags = [r for r in rows if (r["pull_pp"] or 0) < 0]
    faster = sum(1 for r in rows if r["ytd_growth_pct"] is not None and city["ytd_growth_pct"] is not None
                 and r["ytd_growth_pct"] > city["ytd_growth_pct"])
    lights = {}
    for r in rows:
        if r["light"]:
            lights[r["light"]] = lights.get(r["light"], 0) + 1
    order = sorted(lights.items(), key=lambda kv: list(mv.LIGHT_EN).index(kv[0]))  # 过热 … 过冷
    light_txt = ("、".join(f"{k}{v}个" for k, v in order) if zh else
                 ", ".join(f"{_light(k, lang)} {v}" for k, v in order))
    if zh:
        text = (f"{len(rows)}个区县中，{faster}个累计增速高于全市。拉动最大的是"
                + "、".join(f"{r['name']}（{pp2(r['pull_pp'])}个百分点，增长{g1(r['ytd_growth_pct'])}）" for r in top) + "。")
        if drags:
            text += (f"{len(drags)}个区县负拉动，拖累最大的是"
                     + "、".join(f"{r['name']}（{pp2(r['pull_pp'])}个百分点）" for r in sorted(drags, key=lambda r: r["pull_pp"])[:3]) + "。")
        text += f"信号灯：{light_txt}。" if light_txt else ""
    else:
        text = (f"Of {len(rows)} districts, {faster} grew faster than the city. The largest pulls: "
                + ", ".join(f"{r['name']} ({pp2(r['pull_pp'])} pp, {g1(r['ytd_growth_pct'])})" for r in top) + ".")
        if drags:
            text += (f" {len(drags)} district(s) pulled the city down, most of all "
                     + ", ".join(f"{r['name']} ({pp2(r['pull_pp'])} pp)" for r in sorted(drags, key=lambda r: r["pull_pp"])[:3]) + ".")
        text += f" Lights: {light_txt}." if light_txt else ""
    blocks.append(Para(text))
    table = []
    for r in rows:
        table.append([Cell(str(r["rank"] or "—"), align="center"), Cell(r["name"]), Cell(yi(r["ytd"]), align="right"),
                      Cell(g1(r["ytd_growth_pct"]), align="right"), Cell(pp2(r["pull_pp"]), align="right"),
                      Cell(g1(r["contribution_pct"]), align="right"), Cell(_light(r["light"], lang), align="center"),
                      Cell(str(r["warnings"]), align="right")])
    blocks.append(Table([_t(k, lang) for k in ("h_rank", "h_district", "h_ytd", "h_ytd_growth", "h_pull",
                                               "h_contribution", "h_light", "h_warnings")], table, "districts",
                        widths=[0.7, 2.2, 1.4, 1.1, 1.1, 1.1, 1.0, 0.8]))
    png = pull_chart([(r["name"], r["pull_pp"] or 0.0) for r in rows], _t("c_pull_districts", lang), _t("pp", lang))
    blocks.append(Figure(png, _t("c_pull_districts", lang), "fig-district-pulls"))
    return blocks


def _part_table(rows: list[dict], lang: str, key: str, name_header: str) -> Table:
    table = [[Cell(str(r["rank"] or "—"), align="center"), Cell(r["name"]), Cell(yi(r["ytd"]), align="right"),
              Cell(g1(r["ytd_growth_pct"]), align="right"), Cell(g1(r["share_prev_pct"]), align="right"),
              Cell(g1(r["contribution_pct"]), align="right"), Cell(pp2(r["pull_pp"]), align="right"),
              Cell(_light(r["light"], lang), align="center")] for r in rows]
    return Table([_t("h_rank", lang), _t(name_header, lang), _t("h_ytd", lang), _t("h_ytd_growth", lang),
                  _t("h_share", lang), _t("h_contribution", lang), _t("h_pull", lang), _t("h_light", lang)],
                 table, key, widths=[0.7, 3.0, 1.4, 1.1, 1.1, 1.1, 1.1, 0.9])


def _industries(result, lang: str) -> list:
    from zhizao.outputs.reports.brief_charts import pull_chart  # noqa: PLC0415 - matplotlib, only when charting

    zh = _zh(lang)
    clusters = mv.part_rows(result, "cluster", lang)
    divisions = mv.part_rows(result, "industry", lang)
    blocks: list = [Heading(1, _t("s_industries", lang), "industries")]
    plan = [r for r in clusters if r["id"] != "other"]
    if plan:
        share = sum(r["contribution_pct"] or 0 for r in plan)
        pull = sum(r["pull_pp"] or 0 for r in plan)
        lead = max(plan, key=lambda r: r["pull_pp"] or -1e9)
        blocks.append(Para(
            f"规划{len(plan)}个产业集群合计拉动全市增长{pp2(pull)}个百分点，贡献率{g1(share)}；其中{lead['name']}拉动最大"
            f"（{pp2(lead['pull_pp'])}个百分点，增长{g1(lead['ytd_growth_pct'])}，贡献率{g1(lead['contribution_pct'])}）。"
            if zh else
            f"The plan's {len(plan)} clusters together pulled the city's growth by {pp2(pull)} pp (contribution {g1(share)}); "
            f"{lead['name']} pulled most ({pp2(lead['pull_pp'])} pp, growth {g1(lead['ytd_growth_pct'])}, "
            f"contribution {g1(lead['contribution_pct'])})."))
    blocks.append(Heading(2, _t("s_clusters", lang), "clusters"))
    blocks.append(_part_table(clusters, lang, "clusters", "h_cluster"))
    if clusters:
        png = pull_chart([(r["name"], r["pull_pp"] or 0.0) for r in clusters], _t("c_pull_clusters", lang), _t("pp", lang))
        blocks.append(Figure(png, _t("c_pull_clusters", lang), "fig-cluster-pulls"))
    blocks.append(Heading(2, _t("s_divisions", lang), "divisions"))
    if divisions:
        # the largest drags first: -0.58, -0.18, -0.06 (divisions come by rank, largest pull first)
        top, bottom = divisions[:3], sorted((r for r in divisions if (r["pull_pp"] or 0) < 0),
                                            key=lambda r: r["pull_pp"])[:3]
        blocks.append(Para(
            "拉动最大的行业大类：" + "、".join(f"{r['name']}（{pp2(r['pull_pp'])}个百分点）" for r in top) + "。"
            + ("负拉动较大的：" + "、".join(f"{r['name']}（{pp2(r['pull_pp'])}个百分点）" for r in bottom) + "。" if bottom else "")
            if zh else
            "Largest pulls: " + ", ".join(f"{r['name']} ({pp2(r['pull_pp'])} pp)" for r in top) + "."
            + (" Largest drags: " + ", ".join(f"{r['name']} ({pp2(r['pull_pp'])} pp)" for r in bottom) + "." if bottom else "")))
    blocks.append(_part_table(divisions, lang, "divisions", "h_division"))
    return blocks


def _warnings(result, lang: str) -> list:
    zh = _zh(lang)
    rows = mv.warning_rows(result, lang)
    blocks: list = [Heading(1, _t("s_warnings", lang), "warnings")]
    counts = {s: sum(w["severity"] == s for w in rows) for s in mv.SEVERITY_ORDER}
    blocks.append(Para(
        f"本期共{len(rows)}条预警：高级别{counts['high']}条、中级别{counts['medium']}条、低级别{counts['low']}条。"
        if zh else
        f"{len(rows)} warning(s) this period: {counts['high']} high, {counts['medium']} medium, {counts['low']} low.",
        "lead"))
    for sev in mv.SEVERITY_ORDER:
        sel = [w for w in rows if w["severity"] == sev]
        title = (f"{mv.severity_label(sev, lang)}级别预警（{len(sel)}条）" if zh else
                 f"{mv.severity_label(sev, lang).capitalize()} severity ({len(sel)})")
        blocks.append(Heading(2, title, f"warnings-{sev}"))
        if not sel:
            blocks.append(Para("无。" if zh else "None."))
            continue
        shown = sel[:LOW_LIMIT] if sev == "low" else sel
        blocks.append(Table([_t("h_rule", lang), _t("h_subject", lang), _t("h_explanation", lang)],
                            [[Cell(w["rule_title"]), Cell(f"{w['subject_type_label']} {w['subject_name']}"),
                              Cell(w["explanation"])] for w in shown], f"warnings-{sev}", widths=[1.6, 1.8, 5.0]))
        if len(sel) > len(shown):
            blocks.append(Para(f"另有{len(sel) - len(shown)}条低级别预警未列出，见 zhizao warnings --severity low。" if zh else
                               f"{len(sel) - len(shown)} more low-severity warning(s): see `zhizao warnings --severity low`.",
                               "note"))
    return blocks


def _enterprises(result, lang: str) -> list:

    zh = _zh(lang)
    risk = mv.risk_enterprises(result, lang)
    blocks: list = [Heading(1, _t("s_enterprises", lang), "enterprises")]
    by_rule: dict[str, int] = {}
    for e in risk:
        for w in e["warnings"]:
            by_rule[w["rule_title"]] = by_rule.get(w["rule_title"], 0) + 1
    if not risk:
        blocks.append(Para("本期没有企业触发预警。" if zh else "No enterprise triggered a warning this period."))
        return blocks
    sep = "、" if zh else ", "
    blocks.append(Para(
        f"本期{len(risk)}家企业触发预警：" + sep.join(f"{k}{v}家" for k, v in sorted(by_rule.items())) + "。"
        "按预警级别和上年同期规模排序" + (f"，列出前{RISK_LIMIT}家。" if len(risk) > RISK_LIMIT else "。")
        if zh else
        f"{len(risk)} enterprise(s) triggered warnings: " + sep.join(f"{k} {v}" for k, v in sorted(by_rule.items()))
        + ". Ordered by severity and last year's size" + (f"; the first {RISK_LIMIT} are listed." if len(risk) > RISK_LIMIT else ".")))
    rows = []
    for e in risk[:RISK_LIMIT]:
        rows.append([Cell(e["credit_code"]), Cell(e["name"]), Cell(district_name(e["district"], lang)),
                     Cell(f"{e['industry']} {e['industry_name']}"), Cell(wan(e["ytd"]), align="right"),
                     Cell(g1(e["ytd_growth_pct"]), align="right"),
                     Cell(sep.join(f"{w['rule_title']}（{w['severity_label']}）" if zh else
                                   f"{w['rule_title']} ({w['severity_label']})" for w in e["warnings"]))])
    blocks.append(Table([_t(k, lang) for k in ("h_code", "h_enterprise", "h_district", "h_industry", "h_ytd_wan",
                                               "h_ytd_growth", "h_warnings")], rows, "enterprises",
                        widths=[2.0, 1.5, 1.3, 2.0, 1.2, 0.9, 2.2], small=True))
    return blocks


def _data_notes(data, result, settings, fc: dict, lang: str) -> list:

    zh = _zh(lang)
    meta = data.metadata
    blocks: list = [Heading(1, _t("s_data", lang), "data")]
    if data.synthetic:
        blocks.append(Para(mv.SYNTHETIC_LABEL["en" if lang == "en" else "zh"] + "。" if zh else
                           mv.SYNTHETIC_LABEL["en"] + ".", "alert"))
        blocks.append(Para(
            f"本分析所用企业数据由 zhizao synth 生成（生成器 {meta.get('generator', '—')} 版本 {meta.get('generator_version', '—')}，"
            f"随机种子 {meta.get('seed', '—')}，{meta.get('start', '—')} 至 {meta.get('end', '—')}，首年 {meta.get('n_enterprises', '—')} 家企业），"
            "企业名称与统一社会信用代码均为虚构；全市累计增速按公开发布的累计增速校准，区县、行业和企业的数值不代表真实情况。"
            if zh else
            f"The enterprise data were generated by zhizao synth (generator {meta.get('generator', '—')} version "
            f"{meta.get('generator_version', '—')}, seed {meta.get('seed', '—')}, {meta.get('start', '—')} to "
            f"{meta.get('end', '—')}, {meta.get('n_enterprises', '—')} enterprises in the first year); names and credit "
            "codes are invented. The city's YTD growth is calibrated to the published path; district, industry and "
            "enterprise figures describe nothing real."))
        if meta.get("notice"):
            blocks.append(Para(str(meta["notice"]), "note"))
    blocks.append(Heading(2, _t("s_scope", lang), "scope"))
    basis = result.price_basis.get("value_added")
    blocks.append(Bullets([
        ("指标：规模以上工业增加值；累计值为当年1月至本期之和，增速为与上年同期相比。" if zh else
         "Measure: value added of industrial enterprises above designated size; YTD = January to the period; growth "
         "against the same period a year earlier."),
        (f"价格：{'不变价（按行业价格指数平减）' if basis == 'constant' else '现价'}；金额单位万元（表中累计值为亿元）。" if zh else
         f"Prices: {'constant (deflated by industry price indices)' if basis == 'constant' else 'current'}; "
         "amounts in 10,000 yuan (YTD tables in 100 million yuan)."),
        ("1月与2月合并为一个报告期（1—2月），每年11个报告期；3月受春节影响的异常类预警按设置降级。" if zh else
         "January and February form one reporting period (1–2月), 11 periods a year; anomaly-type warnings in March "
         "are downgraded (Spring Festival) as set."),
        ("增速按各期实际报送企业合计计算（全口径）；国家统计局按同口径企业计算，企业进入、退出名录时两者不同。" if zh else
         "Growth is the ratio of the sums of the enterprises reporting in each period; NBS uses a comparable set of "
         "enterprises, which differs when enterprises enter or leave the directory."),
    ]))
    blocks.append(Heading(2, _t("s_methods", lang), "methods"))
    alpha = float(settings["forecast_alpha"])
    blocks.append(Bullets([
        ("贡献率ᵢ = ΔYᵢ / ΔY × 100；拉动ᵢ = ΔYᵢ / Y(上年同期) × 100（百分点）；各部分拉动之和等于全市增速。" if zh else
         "Contribution_i = ΔY_i / ΔY × 100; pull_i = ΔY_i / Y(last year) × 100 (pp); the pulls add up to the city's growth."),
        (f"信号灯：{settings['light_method']}法（history=相对自身近{settings['light_history_periods']}期的稳健z值，"
         f"临界值{settings['light_z_cutoffs']}；fixed=固定增速临界值{settings['light_fixed_cutoffs']}）。"
         "国家统计局景气信号临界点未公布，临界值为 zhizao 缺省值，可设置。" if zh else
         f"Lights: the {settings['light_method']} method (history = robust z against the last "
         f"{settings['light_history_periods']} periods, cut-offs {settings['light_z_cutoffs']}; fixed = growth cut-offs "
         f"{settings['light_fixed_cutoffs']}). NBS critical values are not published; these are zhizao defaults."),
        (f"全年预测：季节ARIMA(0,1,1)(0,1,1)₁₁与朴素预测等权组合，{int(round((1 - alpha) * 100))}%预测区间由"
         f"{int(settings['forecast_simulations'])}条模拟路径得到（固定随机种子）。" if zh else
         f"Forecast: equal-weight combination of a seasonal ARIMA(0,1,1)(0,1,1)11 and the naive forecast; the "
         f"{int(round((1 - alpha) * 100))}% interval from {int(settings['forecast_simulations'])} simulated paths (fixed seed)."),
        ("预警规则：" if zh else "Warning rules: ") + ("；" if zh else "; ").join(
            f"{(r.title_en if lang == 'en' else r.title_zh)}（{name}）" if zh else f"{r.title_en} ({name})"
            for name, r in RULES.items()),
        (f"目标：全年增长目标取设置 target_annual_growth_pct（{settings['target_annual_growth_pct']:g}%，"
         "缺省为规划的工业增加值年均增速，全部工业口径），用作规上工业的近似目标。" if zh else
         f"Target: the setting target_annual_growth_pct ({settings['target_annual_growth_pct']:g}%, by default the "
         "plan's yearly growth of industrial value added, all industry), used as a proxy for enterprises above "
         "designated size."),
    ]))
    blocks.append(Heading(2, _t("s_settings", lang), "settings"))
    used = sorted({n for r in RULES.values() for n in r.settings} | {"target_annual_growth_pct", "forecast_alpha",
                                                                    "forecast_simulations"})
    by_name = {s.name: s for s in SETTINGS}
    rows = [[Cell(n), Cell(str(settings[n]), align="right"),
             Cell((by_name[n].help_en if lang == "en" else by_name[n].help_zh) if n in by_name else "")] for n in used]
    blocks.append(Table([_t("h_setting", lang), _t("h_value", lang), _t("h_meaning", lang)], rows, "settings",
                        widths=[2.4, 1.2, 5.0], small=True))
    return blocks


def brief_content(data, result, fc: dict, settings, lang: str = "zh") -> Report:
    """The brief as format-neutral blocks (model.py) from one refresh and its forecast."""
    y, m = result.period
    city = mv.city_summary(result, settings)
    label = mv.period_label(result.period, lang)
    zh = _zh(lang)
    title_lines = [_t("title", lang), f"（{label}）" if zh else f"({label})"]
    subtitle = []
    if data.synthetic:
        subtitle.append(mv.SYNTHETIC_LABEL["en" if lang == "en" else "zh"])
    subtitle += [(f"报告期：{label}" if zh else f"Period: {label}"), _t("generated_by", lang)]
    blocks: list = []
    blocks += _overall(result, city, fc, lang)
    blocks += _districts(result, city, lang)
    blocks += _industries(result, lang)
    blocks += _warnings(result, lang)
    blocks += _enterprises(result, lang)
    blocks += _data_notes(data, result, settings, fc, lang)
    return Report(lang=lang, title=("" if zh else " ").join(title_lines), subtitle=subtitle, title_lines=title_lines,
                  blocks=blocks, doc_date=date(y, m, calendar.monthrange(y, m)[1]), plan_id="zhizao-brief",
                  year=y, as_of=mv.period_key(result.period))


def build_brief_from(data, result, formats: Iterable[str] | str = FORMATS, out_dir: Path | str = Path("."),
                     lang: str = "zh", settings=None) -> dict[str, Path]:
    """Write the brief of a refresh (`monitoring_view.refresh_at`) in `formats`; {format: path}."""

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    wanted = _formats(formats)
    find_cjk_fonts()  # FontMissing before any work
    s = settings if settings is not None else Settings()
    fc = mv.forecast(result, s)
    if result.period[1] == 12:  # the year is complete: forecast the next one instead
        fc["next"] = forecast_next_year(result.city_path[["year", "month", "value"]], result.period[0] + 1,
                                        alpha=float(s["forecast_alpha"]), n_sim=int(s["forecast_simulations"]))
    report = brief_content(data, result, fc, s, lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = brief_stem(result.period, lang)
    paths: dict[str, Path] = {}
    if "docx" in wanted:
        from zhizao.outputs.reports.to_docx import render_docx  # noqa: PLC0415 - python-docx, only for DOCX

        paths["docx"] = render_docx(report, out / f"{stem}.docx")
    if "html" in wanted:

        paths["html"] = render_html(report, out / f"{stem}.html")
    return paths


def _period(data, period: str | None) -> tuple[int, int] | None:
    """--period among the data's periods; UserError (Chinese and English) naming the range otherwise."""
    if not data.periods:
        raise UserError("数据不足两年：没有可与上年同期比较的报告期，请用更长的数据（zhizao synth --months 24 以上）",
                        "the data cover less than two years: no period has a previous year to compare with "
                        "(zhizao synth --months 24 or more)")
    try:
        return mv.check_period(data, period)
    except ValueError:
        pass
    (y0, m0), (y1, m1) = data.periods[0], data.periods[-1]
    try:
        parse_period(period)
    except ValueError:
        raise UserError(f"期别“{period}”无效：请写成 YYYY-MM，如 {y1}-{m1:02d}",
                        f"invalid period '{period}': write it as YYYY-MM, e.g. {y1}-{m1:02d}") from None
    raise UserError(f"--period {period} 超出数据范围：可取 {y0}-{m0:02d}—{y1}-{m1:02d}",
                    f"period must be between {y0}-{m0:02d} and {y1}-{m1:02d}, got '{period}'")


def build_brief(data_dir: Path | str | None = None, period: str | None = None,
                formats: Iterable[str] | str = FORMATS, out_dir: Path | str = Path("."), lang: str = "zh",
                settings=None) -> dict[str, Path]:
    """Read the `zhizao synth` folder (default: $ZHIZAO_MONITORING_DATA, else ./zhizao-synth), refresh
    at `period` ('YYYY-MM', default: the latest) and write the brief. FileNotFoundError without
    data; UserError (a ValueError, in Chinese and English) for a period outside the data; ValueError
    for an unknown format."""

    _formats(formats)
    d = Path(data_dir) if data_dir is not None else mv.default_data_dir()
    if mv.data_stamp(d) is None:
        raise FileNotFoundError(mv.synth_hint(d, lang))
    data = mv.load_data(d)
    p = _period(data, period)
    s = settings if settings is not None else Settings()
    result = mv.refresh_at(data, p, s)
    return build_brief_from(data, result, formats, out_dir, lang, s)
