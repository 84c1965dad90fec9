"""The report's contents, built once from the assessment and walked by every renderer.

Every number printed comes from the assessment dict (`result`) through text.num/pct/growth; the
observations frame only feeds the data-sources appendix (who published what) and the XLSX.
Source addresses appear only in the data-sources appendix.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.progress import target_display
from zhizao.outputs.reports import charts
from zhizao.outputs.reports.changes import Previous, compare
from zhizao.outputs.reports.final import final_blocks, is_final
from zhizao.outputs.reports.model import Bullets, Cell, Figure, Heading, Para, Report, Table
from zhizao.outputs.reports.text import (STATUSES, actual_text, cluster_heading, code_label, completion, growth,
                                         growth_is_rate, ind_name, num, pct, planned_growth, qual_mark, ratio, required_growth, status_label,
                                         status_text, t, unit, with_unit)
from zhizao.settings import ASSESSMENT_SETTINGS, baseline_rule

NO_DATA = "no_comparable_data"


# --- small helpers ---------------------------------------------------------------------------
def _zh(lang: str) -> bool:
    return lang != "en"


def _join(items: list[str], lang: str) -> str:
    return ("、" if _zh(lang) else ", ").join(items)


def _paren(s: str, lang: str) -> str:
    return f"（{s}）" if _zh(lang) else f" ({s})"


def _target_text(ind: dict, lang: str = "zh") -> str:
    # "—" for an indicator tracked without a target; digits grouped as every number (30,000)
    return formatting.grouped(target_display(ind["target"], lang))


_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _target_with_unit(ind: dict, lang: str = "zh") -> str:
    """A target in prose with its unit (≥4万亿元, 30,000亿元); a target text that already carries
    words (30%左右, about 30 %) is left as it is, never followed by a second unit."""
    text = _target_text(ind, lang)
    if text == formatting.MISSING or _WORDS.search(text.replace("%", "")) or "%" in text:
        return text
    if not _zh(lang) and unit(ind.get("unit"), lang)[:1].isdigit():
        return text  # "(target 30,000 (100 million yuan))" nests: the value just before gave the unit
    return with_unit(text, ind.get("unit"), lang)


def _yearly(ind: dict, v, lang: str) -> str:
    """A per-year change after 年均 in Chinese prose: a rate (4.7%), or a level's increment in its
    unit without a second “per year” (增加4.8万元/人, 增加0.38个百分点)."""
    if not _zh(lang) or v is None or pd.isna(v) or growth_is_rate(ind):
        return growth(ind, v, lang)
    x, u = float(v), ind.get("unit") or ""
    amount = formatting.points(abs(x), lang, digits=2, signed=False) if u == "%" else f"{num(abs(x))}{u}"
    return ("增加" if x >= 0 else "减少") + amount


def _baseline_text(ind: dict, lang: str = "zh") -> str:
    b = ind["baseline"]
    return (qual_mark(b.get("qualifier"), lang) + num(b["value"]) + ("*" if b.get("rebased") else "")
            + ("†" if b.get("source") == "store" else ""))


def _nature(ind: dict, lang: str) -> str:
    if ind.get("nature"):
        return code_label("nature", ind["nature"], lang)
    if ind.get("nature_label") and _zh(lang):
        return ind["nature_label"]
    return t("binding" if ind.get("binding") else "expected", lang)


def _status_cell(ind: dict, lang: str) -> Cell:
    return Cell(status_text(ind, lang), status=ind["status"], align="center")


def _category_names(plan, lang: str) -> list[tuple[str, str]]:
    return [(c.id, (c.name_en or c.name) if lang == "en" else c.name) for c in plan.categories]


def report_kind(result: dict) -> str:
    """终期评估 once the evaluation year reaches the target year (result["evaluation"]); 中期评估 before."""
    return "final_eval" if is_final(result) else "mid_eval"


STYLES = ("auto", "standard", "gongwen")


def style_for(style: str, final: bool, lang: str) -> str:
    """`auto`: the 公文 layout for the Chinese final report (the document a director signs), else standard."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    if style == "auto":
        return "gongwen" if final and lang != "en" else "standard"
    return style


def document_date(result: dict, observations: pd.DataFrame | None) -> date:
    """A date that depends only on the inputs: the as-of date, else the latest vintage stored."""
    if result.get("as_of"):
        return date.fromisoformat(str(result["as_of"])[:10])
    if observations is not None and "vintage" in observations and observations["vintage"].notna().any():
        return pd.Timestamp(observations["vintage"].max()).date()
    return date(2000, 1, 1)


# --- sections --------------------------------------------------------------------------------
def _title(result: dict, lang: str) -> tuple[list[str], list[str]]:
    p = result["plan"]
    kind = t(report_kind(result), lang)
    if _zh(lang):
        head, paren, tail = p["title"].partition("（")  # break before the plan period: （2021—2025年）
        lines = [f"《{head}", f"{paren}{tail}》"] if paren else [f"《{p['title']}》"]
        lines.append(f"{t('impl_of', lang)}{kind}")
    else:
        lines = [f"{p.get('title_en') or p['title']}:", kind[0].upper() + kind[1:]]
    sep = "：" if _zh(lang) else ": "
    sub = [
        f"{t('doc_no', lang)}{sep}{p.get('document_number') or '—'}　{t('period', lang)}{sep}"
        f"{p['base_year'] + 1}—{p['target_year']}",
        f"{t('eval_year', lang)}{sep}{result['year']}",
        f"{t('as_of', lang)}{sep}{result['as_of'] or t('as_of_all', lang)}",
        t("generated_by", lang),
    ]
    return lines, sub


def _summary(result: dict, lang: str, previous: Previous | None) -> list:
    inds = result["indicators"]
    counts = result["summary"]["counts"]
    n_data = sum(v for k, v in counts.items() if k != NO_DATA)
    zh = _zh(lang)
    blocks: list = [Heading(1, t("s_summary", lang), "summary")]
    blocks.append(Para(
        f"本报告对规划确定的{len(inds)}项主要指标逐项评估（评估年份{result['year']}），其中{n_data}项有可比数据，"
        f"{counts.get(NO_DATA, 0)}项无可比数据。" if zh else
        f"This report assesses the plan's {len(inds)} main indicators (evaluation year {result['year']}): "
        f"{n_data} have comparable data, {counts.get(NO_DATA, 0)} have none.", "lead"))

    # Binding (约束性) indicators come first: the plan holds the government to them.
    blocks.append(Heading(2, t("s_binding", lang), "binding"))
    binding = [i for i in inds if i.get("binding")]
    if binding:
        blocks.append(Para(
            f"规划设约束性指标{len(binding)}项：" + _join([f"{i['name']}（{status_text(i, lang)}）" for i in binding], lang) + "。"
            if zh else f"The plan has {len(binding)} binding indicator(s): "
            + _join([f"{ind_name(i, lang)} ({status_text(i, lang)})" for i in binding], lang) + "."))
        alerts = [i for i in inds if i["id"] in result["summary"].get("binding_behind", [])]
        if alerts:
            blocks.append(Para(
                ("需重点关注：" if zh else "Needing attention: ")
                + _join([ind_name(i, lang) + _paren(i.get("reason") or status_text(i, lang), lang) for i in alerts], lang),
                "alert"))
    else:
        blocks.append(Para("规划未设约束性指标。" if zh else "The plan has no binding indicators."))

    blocks.append(Heading(2, t("s_counts", lang), "counts"))
    rows = []
    for s in STATUSES:
        names = [ind_name(i, lang) for i in inds if i["status"] == s]
        rows.append([Cell(status_label(s, lang), status=s, align="center"), Cell(str(counts.get(s, 0)), align="right"),
                     Cell(_join(names, lang) or "—")])
    blocks.append(Table([t("h_status", lang), t("h_count", lang), t("h_indicators", lang)], rows, "counts",
                        widths=[1.4, 0.8, 6]))
    blocks += _changes(result, lang, previous)
    return blocks


def _changes(result: dict, lang: str, previous: Previous | None) -> list:
    zh = _zh(lang)
    blocks: list = [Heading(2, t("s_changes", lang), "changes")]
    if previous is None:
        blocks.append(Para("没有可比较的上一期评估：输出目录中没有较早的报告数据文件，也无法得到早一年的评估。" if zh else
                           "There is no earlier evaluation to compare with: no earlier report data file beside the "
                           "output and no assessment one year earlier."))
        return blocks
    prev = previous.result
    when = f"{prev['year']}" + (f"，数据截至{prev['as_of']}" if zh and prev.get("as_of") else
                                (f", data as of {prev['as_of']}" if prev.get("as_of") else ""))
    if previous.origin == "saved":
        basis = (f"与上一期报告（{previous.file}，评估年份{when}）相比：" if zh else
                 f"Compared with the previous report ({previous.file}, evaluation year {when}):")
    else:
        basis = (f"与早一年的评估（评估年份{when}）相比：" if zh else
                 f"Compared with the assessment one year earlier (evaluation year {when}):")
    pc = prev.get("summary", {}).get("counts", {})
    deltas = []
    for s in STATUSES:
        a, b = pc.get(s, 0), result["summary"]["counts"].get(s, 0)
        if a != b:
            deltas.append(f"{status_label(s, lang)} {a}→{b}")
    blocks.append(Para(basis + (("各状态指标数变化：" if zh else " counts by status changed: ") + _join(deltas, lang)
                                if deltas else ("各状态指标数没有变化。" if zh else " no change in the counts by status."))))
    changed = compare(result, prev)
    if not changed:
        blocks.append(Para("各指标的状态、数据年份和数值均未变化。" if zh else
                           "No indicator's status, data year or value changed."))
        return blocks
    rows = []
    for c in changed:
        b = c.before or {}
        rows.append([
            Cell(ind_name(c.indicator, lang)),
            Cell(status_text(b, lang) if b else "—", status=b.get("status"), align="center"),
            Cell(status_text(c.indicator, lang), status=c.indicator["status"], align="center"),
            Cell(_value_year(b, lang) if b else "—", align="right"),
            Cell(_value_year(c.indicator, lang), align="right"),
        ])
    blocks.append(Table([t("h_indicator", lang), t("h_prev_status", lang), t("h_status", lang),
                         t("h_prev_value", lang), t("h_new_value", lang)], rows, "changes",
                        widths=[3.2, 1.5, 1.5, 1.5, 1.5]))
    return blocks


def _value_year(ind: dict, lang: str) -> str:
    if ind.get("actual") is None:
        return "—"
    return f"{actual_text(ind['actual'], ind.get('qualifier'), lang)}{_paren(str(ind.get('data_year')), lang)}"


SCORECARD_WIDTHS = {"zh": [3.4, 0.9, 0.9, 1.0, 1.0, 0.8, 1.1, 1.1, 1.0, 1.0, 0.8, 1.7],
                    "en": [3.2, 1.2, 0.9, 1.1, 1.0, 0.8, 1.1, 1.1, 1.0, 0.9, 0.8, 1.7]}  # English words do not wrap


def scorecard_header(lang: str) -> list[str]:
    return [t(k, lang) for k in ("h_indicator", "h_nature", "h_unit", "h_baseline", "h_target", "h_year", "h_actual",
                                 "h_planned", "h_completion", "h_time", "h_ratio", "h_status")]


def scorecard_order(result: dict) -> list[dict]:
    """Binding indicators first, then the plan's order."""
    inds = result["indicators"]
    return [i for i in inds if i.get("binding")] + [i for i in inds if not i.get("binding")]


def _scorecard(result: dict, lang: str) -> list:
    rows = []
    for ind in scorecard_order(result):
        rows.append([
            Cell(("★ " if ind.get("binding") else "") + ind_name(ind, lang)),
            Cell(_nature(ind, lang), align="center"),
            Cell(unit(ind["unit"], lang), align="center"),
            Cell(_baseline_text(ind, lang), align="right"),
            Cell(_target_text(ind, lang), align="right"),
            Cell(str(ind["data_year"]) if ind.get("data_year") else "—", align="center"),
            Cell(actual_text(ind.get("actual"), ind.get("qualifier"), lang), align="right"),
            Cell(num(ind.get("planned")), align="right"),
            Cell(completion(ind.get("completion"), lang), align="right"),
            Cell(pct(ind.get("time_elapsed")), align="right"),
            Cell(ratio(ind.get("growth_ratio")), align="right"),
            _status_cell(ind, lang),
        ])
    base, target = result["plan"]["base_year"], result["plan"]["target_year"]
    notes = (f"基期为{base}年，目标为{target}年。" if _zh(lang) else f"Baseline year {base}; target year {target}. ")
    notes += " ".join([t("binding_mark_note", lang), t("rebased_note", lang), t("indefinite_note", lang)])
    if any(i["baseline"].get("source") == "store" for i in result["indicators"]):
        notes += " " + t("store_baseline_note", lang)
    return [Heading(1, t("s_scorecard", lang), "scorecard"),
            Table(scorecard_header(lang), rows, "scorecard", widths=SCORECARD_WIDTHS["en" if lang == "en" else "zh"], landscape=True),
            Para(notes, "note")]


def _cautious(ind: dict, lang: str) -> str:
    """（按区间保守端34.2计算） after a pace figure of a qualified value shown as 约36."""
    shown, used = ind.get("actual"), ind.get("actual_assessed")
    if shown is None or used is None or not ind.get("qualifier") or abs(float(shown) - float(used)) < 1e-9:
        return ""
    return _paren(labels.label("ui", "cautious_end_note", lang).format(value=num(used)), lang)


def _indicator_text(ind: dict, lang: str) -> str:
    zh = _zh(lang)
    if ind["status"] in ("tracked", "not_met") or ind.get("every_year"):
        return _value_only_text(ind, lang)
    if ind["status"] == NO_DATA:
        reason = ind.get("reason") or ""
        return (f"状态：{status_text(ind, lang)}。{reason}。其他证据见第五部分。" if zh else
                f"Status: {status_text(ind, lang)}. {reason}. Other evidence: section 5.")
    y, tg = ind["data_year"], ind["target"]
    u = unit(ind["unit"], lang)
    s = (f"状态：{status_text(ind, lang)}。{y}年实际值{actual_text(ind['actual'], ind.get('qualifier'), lang)}{u}"
         f"（规划路径值{num(ind.get('planned'))}），{labels.CHANGE_COMPLETION[0]}{completion(ind.get('completion'), lang)}{_cautious(ind, lang)}，"
         f"时间进度{pct(ind.get('time_elapsed'))}；"
         f"年均{_yearly(ind, ind.get('observed_growth'), lang)}，规划所需年均{_yearly(ind, planned_growth(ind), lang)}，"
         f"增速比{ratio(ind.get('growth_ratio'))}。" if zh else
         f"Status: {status_text(ind, lang)}. Actual {y}: {with_unit(actual_text(ind['actual'], ind.get('qualifier'), lang), ind['unit'], lang)} "
         f"(planned path {num(ind.get('planned'))}); share of required change achieved {completion(ind.get('completion'), lang)}{_cautious(ind, lang)}, time elapsed "
         f"{pct(ind.get('time_elapsed'))}; observed growth {growth(ind, ind.get('observed_growth'), lang)} against "
         f"{growth(ind, planned_growth(ind), lang)} planned, growth ratio {ratio(ind.get('growth_ratio'))}. ")
    if ind.get("projected") is not None and tg.get("year") is not None and y < tg["year"]:
        s += (f"按现趋势{tg['year']}年预计{num(ind['projected'])}{u}（目标{_target_with_unit(ind, lang)}）" if zh else
              f"On the observed trend {tg['year']} would reach {with_unit(num(ind['projected']), ind['unit'], lang)} "
              f"(target {_target_with_unit(ind, lang)})")
        if ind["status"] == "achieved":
            s += "；已达到目标。" if zh else "; the target is already met."
        elif required_growth(ind) is not None:
            s += (f"；实现目标此后需年均{_yearly(ind, required_growth(ind), lang)}。" if zh else
                  f"; reaching the target needs {growth(ind, required_growth(ind), lang)} a year from now on.")
        else:
            s += "。" if zh else "."
    return s


def _value_only_text(ind: dict, lang: str) -> str:
    """Statuses without a pace (tracked, not met, held every year): the value, the gap and why."""
    zh = _zh(lang)
    unit_ = ind["unit"]
    u = unit(unit_, lang)
    s = f"状态：{status_text(ind, lang)}。" if zh else f"Status: {status_text(ind, lang)}. "
    if ind.get("actual") is not None:
        s += (f"{ind['data_year']}年实际值{actual_text(ind['actual'], ind.get('qualifier'), lang)}{u}" if zh else
              f"Actual {ind['data_year']}: {with_unit(actual_text(ind['actual'], ind.get('qualifier'), lang), unit_, lang)}")
        if ind.get("target"):
            s += (f"，目标{_target_with_unit(ind, lang)}" if zh else f"; target {_target_with_unit(ind, lang)}")
            if ind.get("gap"):
                gap = (formatting.points(ind["gap"], lang, signed=False) if unit_ == "%" else
                       with_unit(num(ind["gap"]), unit_, lang))
                s += (f"，差距{gap}" if zh else f", gap {gap}")
            if required_growth(ind) is not None:
                s += (f"，此后需年均{_yearly(ind, required_growth(ind), lang)}" if zh else
                      f", needing {growth(ind, required_growth(ind), lang)} a year from now on")
        tr = ind.get("trend")
        if tr:
            s += (f"，比{tr['from_year']}年{'增加' if tr['change'] >= 0 else '减少'}{num(abs(tr['change']))}{u}" if zh else
                  f", {with_unit(num(tr['change']), unit_, lang)} since {tr['from_year']}")
        s += "。" if zh else ". "
    if ind.get("reason"):
        s += ind["reason"] + ("。" if zh else ".")
    return s


def _indicator_notes(ind: dict, lang: str, rule: str = "") -> list[str]:
    zh = _zh(lang)
    notes = []
    b = ind["baseline"]
    if b.get("label"):
        notes.append(b["label"] + ("。" if zh else "."))
    if b.get("rebased") and b.get("printed_value") is not None:
        notes.append(f"基期值按最终公布数{num(b['value'])}替换规划印刷值{num(b['printed_value'])}（{rule}）。" if zh else
                     f"Baseline re-based to the final figure {num(b['value'])} (printed: {num(b['printed_value'])}; {rule}).")
    d = ind.get("actual_derivation")
    if d and d.get("formula"):
        inputs = _join([f"{x.get('series')} {with_unit(num(x.get('value')), x.get('unit'), lang)}"
                        for x in d.get("inputs") or []
                        if x.get("value") is not None], lang)
        notes.append((f"实际值为推算值：{d['formula']}" if zh else f"Derived value: {d['formula']}")
                     + (_paren(inputs, lang) if inputs else "") + ("。" if zh else "."))
    if ind.get("conflicts"):
        n = len(ind["conflicts"])
        notes.append(f"另有{n}个公布值按选用规则未采用，见附录一。" if zh else
                     f"{n} other published value(s) lost the selection rule; see appendix A.")
    if ind.get("other_evidence") and ind["status"] != NO_DATA:
        n = len(ind["other_evidence"])
        notes.append(f"另有{n}条口径不同或近似替代的证据，不据此判断状态，见附录一。" if zh else
                     f"{n} item(s) of other evidence (different definition or proxy) do not decide the status; see appendix A.")
    meta = [x for x in (ind.get("lead_department"), ind.get("section")) if x]
    if meta:
        notes.append(("牵头单位与规划出处：" if zh else "Lead department and plan section: ") + _join(meta, lang))
    return notes


def _categories(result: dict, plan, lang: str) -> list:
    blocks: list = [Heading(1, t("s_categories", lang), "categories")]
    fig_no = 0
    for cat_id, cat_name in _category_names(plan, lang):
        inds = [i for i in result["indicators"] if i["category"] == cat_id]
        if not inds:
            continue
        blocks.append(Heading(2, cat_name, f"cat-{cat_id}"))
        for ind in inds:
            fig_no += 1
            blocks.append(Heading(3, ("★ " if ind.get("binding") else "") + ind_name(ind, lang), f"ind-{ind['id']}"))
            blocks.append(Para(_indicator_text(ind, lang)))
            blocks.append(Figure(charts.indicator_chart(ind, lang),
                                 (f"图{fig_no}　{ind_name(ind, lang)}：实际值、规划路径、目标、预测与所需路径" if _zh(lang) else
                                  f"Figure {fig_no}. {ind_name(ind, lang)}: actual, planned path, target, "
                                  "projection and required path"), f"fig-{ind['id']}"))
            notes = _indicator_notes(ind, lang, baseline_rule(result, lang))
            if notes:
                blocks.append(Bullets(notes))
    return blocks


def _cluster_names(plan, lang: str) -> dict[str, str]:
    return {c.id: ((c.name_en or c.name) if lang == "en" else c.name) for c in getattr(plan, "clusters", [])}


def _clusters(result: dict, plan, lang: str) -> list:
    zh = _zh(lang)
    clusters = result.get("clusters") or []
    if not clusters:  # no clusters, no cluster section
        return []
    heading = cluster_heading(result, lang)
    blocks: list = [Heading(1, t("s_clusters", lang).format(heading), "clusters")]
    names = _cluster_names(plan, lang)
    blocks.append(Para(f"规划提出{heading}并给出规模目标（“万亿级”等）。下表为各集群最新公布规模与目标之比；"
                       "规划未界定规模口径，近似替代口径的数据单独标明。" if zh else
                       f"The plan sets scale targets for {heading} (\"trillion-yuan class\" …). The table "
                       "compares each cluster's latest published scale with its target; the plan does not define the "
                       "measure, so proxies are marked."))
    rows = []
    for c in clusters:
        comp_label = code_label("comparability", c.get("comparability"), lang)
        rows.append([
            Cell(names.get(c["id"], c["name"])),
            Cell(f"{num(c['target'])}{_paren(c['target_text'], lang) if c.get('target_text') and zh else ''}",
                 align="right"),
            Cell(unit(c.get("unit"), lang), align="center"),
            Cell(actual_text(c.get("actual"), c.get("qualifier"), lang), align="right"),
            Cell(str(c["year"]) if c.get("year") else "—", align="center"),
            Cell(pct(c.get("share_of_target")), align="right"),
            Cell(comp_label if c.get("actual") is not None else t("c_no_data", lang), align="center"),
        ])
    blocks.append(Table([t("h_cluster", lang), t("h_scale_target", lang), t("h_unit", lang), t("c_cluster_actual", lang),
                         t("h_year", lang), t("h_share", lang), t("h_comparability", lang)], rows, "clusters",
                        widths=[1.6, 1.6, 0.8, 1.3, 0.9, 1.1, 1.2]))
    blocks.append(Figure(charts.clusters_chart(clusters, names, lang, heading=heading),
                         f"图　{heading}最新规模与目标" if zh else f"Figure. {heading[:1].upper() + heading[1:]} against their scale targets",
                         "fig-clusters"))
    items = []
    for c in clusters:
        for e in c.get("evidence") or []:
            items.append(f"{names.get(c['id'], c['name'])}：{e.get('series')} {e.get('year')}年 "
                         f"{actual_text(e.get('value'), e.get('qualifier'), lang)}{e.get('unit') or ''}"
                         f"（{code_label('comparability', e.get('comparability'), lang)}，{e.get('grade')}级"
                         f"{'；' + e['note'] if e.get('note') else ''}）"
                         if zh else
                         f"{names.get(c['id'], c['name'])}: {e.get('series')} {e.get('year')} "
                         f"{with_unit(actual_text(e.get('value'), e.get('qualifier'), lang), e.get('unit'), lang)} "
                         f"({code_label('comparability', e.get('comparability'), lang)}, grade {e.get('grade')}"
                         f"{'; ' + e['note'] if e.get('note') else ''})")
    if items:
        blocks.append(Bullets(items))
    return blocks


def _no_data(result: dict, lang: str) -> list:
    zh = _zh(lang)
    inds = [i for i in result["indicators"] if i["status"] == NO_DATA]
    # Numbered after the cluster section, or in its place when the plan has no clusters.
    blocks: list = [Heading(1, t("s_nodata" if result.get("clusters") else "s_nodata_4", lang), "no-data")]
    if not inds:
        return blocks + [Para("所有指标均有可比数据。" if zh else "Every indicator has comparable data.")]
    blocks.append(Para(f"以下{len(inds)}项指标没有可据以判断状态的数据。所列其他证据口径不同、为近似替代或来源等级不足，"
                       "仅供参考，不决定状态。" if zh else
                       f"The {len(inds)} indicators below have no data that may decide a status. The other evidence "
                       "listed has a different definition, is a proxy or comes from too weak a source: shown, never deciding."))
    for ind in inds:
        blocks.append(Heading(2, ("★ " if ind.get("binding") else "") + ind_name(ind, lang), f"nodata-{ind['id']}"))
        blocks.append(Para(("原因：" if zh else "Why: ") + (ind.get("reason") or "—")))
        ev = ind.get("other_evidence") or []
        if not ev:
            blocks.append(Para("未找到其他证据。" if zh else "No other evidence was found.", "note"))
            continue
        # Evidence values are already in the indicator's unit (converted by the assessment).
        rows = [[Cell(e.get("series") or ""), Cell(code_label("comparability", e.get("comparability"), lang), align="center"),
                 Cell(str(e.get("year") or "—"), align="center"),
                 Cell(actual_text(e.get("value"), e.get("qualifier"), lang), align="right"),
                 Cell(e.get("grade") or "—", align="center"),
                 Cell(e.get("note") or e.get("reason") or "")] for e in ev]
        blocks.append(Table([t("h_series", lang), t("h_comparability", lang), t("c_year", lang),
                             t("h_value", lang) + _paren(unit(ind["unit"], lang), lang), t("h_grade", lang), t("h_note", lang)],
                            rows, f"evidence-{ind['id']}", widths=[2.6, 1.0, 0.7, 1.1, 0.7, 3.0], small=True))
    return blocks


# --- data-sources appendix -------------------------------------------------------------------
def _source_names(observations: pd.DataFrame | None) -> dict[str, tuple[str | None, str | None]]:
    """url → (publisher, title), for the addresses history rows carry alone."""
    out: dict[str, tuple[str | None, str | None]] = {}
    if observations is None or observations.empty or "source_url" not in observations:
        return out
    for row in observations[["source_url", "publisher", "source_title"]].drop_duplicates().itertuples(index=False):
        url, pub, title = (x if isinstance(x, str) and x else None for x in row)
        if url and (url not in out or not any(out[url])):
            out[url] = (pub, title)
    return out


def _src_cell(url: str | None, publisher: str | None, title: str | None, grade: str | None, lang: str) -> Cell:
    """Publisher and title first, the grade in words, the address last (formatting.source_text)."""
    return Cell(formatting.source_text(title, publisher, grade, url, lang) or "—", href=url or None)


def _release(status: str | None, lang: str) -> str:
    return t(status, lang) if status in ("final", "preliminary") else code_label("obs_status", status, lang)


def _source_rows(ind: dict, names: dict, lang: str) -> list[list[Cell]]:
    rows, seen = [], set()

    def add(role, year, value, qualifier, series, grade, status, vintage, url, publisher=None, title=None):
        key = (role, year, value, series, url)
        if key in seen:
            return
        seen.add(key)
        if not (publisher or title):
            publisher, title = names.get(url or "", (None, None))
        rows.append([Cell(t(role, lang)), Cell(str(year or "—"), align="center"),
                     Cell(actual_text(value, qualifier, lang), align="right"), Cell(series or "—"),
                     Cell(_release(status, lang), align="center"),
                     Cell(formatting.date(vintage) if vintage else "—", align="center"),
                     _src_cell(url, publisher, title, grade, lang)])

    b = ind["baseline"]
    bs = b.get("source_record")
    if bs:
        add("r_baseline", b.get("year"), b.get("value"), "exact", bs.get("series"), bs.get("grade"),
            bs.get("observation_status"), bs.get("vintage"), bs.get("url"), bs.get("publisher"), bs.get("title"))
    for h in ind.get("history") or []:
        add("r_chosen" if h.get("chosen") else "r_not_chosen", h.get("year"), h.get("value"), h.get("qualifier"),
            h.get("series"), h.get("grade"), h.get("status"), h.get("vintage"), h.get("source_url"))
    for role, items in (("r_conflict", ind.get("conflicts") or []), ("r_evidence", ind.get("other_evidence") or [])):
        for e in items:
            srcs = e.get("sources") or [{}]
            for src in srcs:
                add(role, e.get("year"), e.get("value"), e.get("qualifier"), e.get("series"),
                    src.get("grade") or e.get("grade"), src.get("observation_status") or e.get("status"),
                    src.get("vintage"), src.get("url"), src.get("publisher"), src.get("title"))
    return rows


def _weak_sources(observations: pd.DataFrame, lang: str) -> Para | None:
    """The bundled data's weakest sources named as such: grade D (secondary compilations, self-media)
    and C (reprints on other sites)."""
    g = observations["grade"].fillna("none")
    n_d, n_c = int((g == "D").sum()), int((g == "C").sum())
    if not (n_d or n_c):
        return None
    return Para(f"较弱的来源：{n_d}个观测值来自D级来源（二手整理或自媒体，慎用，永不单独决定状态），{n_c}个来自C级来源"
                "（其他网站转载的政府或官方媒体原文），宜以政府网站原文核对替换。下表“来源”栏逐条注明来源等级。"
                if _zh(lang) else
                f"Weakest sources: {n_d} observations come from grade D sources (secondary compilations or self-media: "
                f"use with care, never deciding alone), {n_c} from grade C sources (official texts reprinted on another "
                "site); check them against the government's "
"own text where possible). The Source column gives each source's grade.", "alert")


def _sources(result: dict, observations: pd.DataFrame | None, plan, lang: str) -> list:
    zh = _zh(lang)
    blocks: list = [Heading(1, t("s_sources", lang), "sources")]
    blocks.append(Para(
        "本附录列出报告中每个数字的来源（发布单位和标题、来源等级、网址）和发布（版本）日期。来源等级：A＝政府网站原文，"
        "B＝主流或官方媒体，C＝其他网站转载的政府或官方媒体原文，D＝二手整理或自媒体（不单独决定状态），"
        "R＝本单位台账（导入的管理数据，非公开发布）。"
        "“—”表示来源未注明发布日期。"
        if zh else
        "Every number in the report with its source (publisher and title, grade, address) and vintage (publication "
        "date). Grades: A the government's own site, B mainstream or official media, C an official text reprinted "
        "on another site, D a secondary compilation or self-media (never decides alone), R the office's own register "
        "(imported administrative data, not published). “—”: the source gives no date."))
    if observations is not None and not observations.empty:
        by_grade = observations["grade"].fillna("none").value_counts().sort_index()
        rows = [[Cell(labels.label("grade", g if g in labels.GRADE else "none", lang)), Cell(str(int(n)), align="right")]
                for g, n in by_grade.items()]
        rows.append([Cell("合计" if zh else "total"), Cell(str(len(observations)), align="right")])
        blocks.append(Para(f"数据库共存有{len(observations)}个观测值，来自{observations['source_url'].nunique()}个来源地址"
                           "（全部列于XLSX文件“观测值”表）：" if zh else
                           f"The store holds {len(observations)} observations from "
                           f"{observations['source_url'].nunique()} source addresses (all in the XLSX 'Observations' sheet):"))
        blocks.append(Table([t("h_grade", lang), t("h_value_count", lang)], rows, "grades", widths=[4, 1]))
        weak = _weak_sources(observations, lang)
        if weak:
            blocks.append(weak)
    names = _source_names(observations)
    header = [t(k, lang) for k in ("h_role", "c_year", "h_value", "h_series", "h_obs_status", "h_vintage", "h_source")]
    widths = [0.9, 0.7, 0.9, 2.0, 0.8, 1.1, 3.8]
    for cat_id, cat_name in _category_names(plan, lang):
        inds = [i for i in result["indicators"] if i["category"] == cat_id]
        if inds:
            blocks.append(Heading(2, cat_name, f"src-cat-{cat_id}"))
        for ind in inds:
            rows = _source_rows(ind, names, lang)
            blocks.append(Heading(3, ind_name(ind, lang), f"src-{ind['id']}"))
            if rows:
                blocks.append(Table(header, rows, f"sources-{ind['id']}", widths=widths, small=True))
            else:
                blocks.append(Para("没有公布值。" if zh else "No published values.", "note"))
    cl_rows = []
    cnames = _cluster_names(plan, lang)
    for c in result.get("clusters") or []:
        for e in c.get("evidence") or []:
            s = e.get("source") or {}
            cl_rows.append([Cell(cnames.get(c["id"], c["name"])), Cell(str(e.get("year") or "—"), align="center"),
                            Cell(actual_text(e.get("value"), e.get("qualifier"), lang), align="right"),
                            Cell(e.get("series") or "—"), Cell("—", align="center"),
                            Cell(formatting.date(s.get("vintage")) if s.get("vintage") else "—", align="center"),
                            _src_cell(s.get("url"), s.get("publisher") or names.get(s.get("url") or "", (None, None))[0],
                                      s.get("title") or names.get(s.get("url") or "", (None, None))[1],
                                      s.get("grade") or e.get("grade"), lang)])
    if cl_rows:
        blocks.append(Heading(2, t("h_cluster", lang), "src-clusters"))
        blocks.append(Table([t("h_cluster", lang)] + header[1:], cl_rows, "sources-clusters", widths=widths, small=True))
    return blocks


# --- methodology appendix --------------------------------------------------------------------
def _method(result: dict, lang: str) -> list:
    zh = _zh(lang)
    s = result.get("settings", {})
    g = lambda k: s.get(k, "—")  # noqa: E731
    blocks: list = [Heading(1, t("s_method", lang), "methodology"), Heading(2, "状态与阈值" if zh else "Statuses and thresholds", "m-status")]
    rules = {
        "achieved": (f"实际值已达到目标（按目标的比较符；“左右”目标容差±{pct(g('approx_tolerance'), 0)}）",
                     f"the actual value already meets the target (by its comparator; ≈ targets within ±{pct(g('approx_tolerance'), 0)})"),
        "ahead": (f"增速比 ≥ {g('ahead_ratio')}", f"growth ratio ≥ {g('ahead_ratio')}"),
        "on_track": (f"{g('on_track_ratio')} ≤ 增速比 < {g('ahead_ratio')}", f"{g('on_track_ratio')} ≤ ratio < {g('ahead_ratio')}"),
        "behind": (f"{g('behind_ratio')} ≤ 增速比 < {g('on_track_ratio')}", f"{g('behind_ratio')} ≤ ratio < {g('on_track_ratio')}"),
        "seriously_behind": (f"增速比 < {g('behind_ratio')}（含背离目标的变化）", f"ratio < {g('behind_ratio')} (including moving away from the target)"),
        "not_met": ("尚未达到目标，且无法判断进度（规划未给基期值、目标未注明年份、数值超出目标区间等），或“保持”类目标有年份未达到；"
                    "原因逐项注明", "not yet met and the pace cannot be judged (no baseline, an undated target, a value "
                    "beyond a range …), or a target to be held every year was missed in a year; the reason is given"),
        "tracked": ("规划未设目标值，仅监测最新值与趋势", "the plan sets no target: latest value and trend only"),
        NO_DATA: ("没有可比、来源等级足够的数据（口径不同、近似替代、D级来源单独支持或价格口径不符的数据只作其他证据）",
                  "no comparable value from a sufficient source (different definitions, proxies, grade-D-only values "
                  "and a wrong price basis are shown as other evidence only)"),
    }
    blocks.append(Table([t("h_status", lang), t("h_rule", lang)],
                        [[Cell(status_label(k, lang), status=k, align="center"), Cell(v[0] if zh else v[1])]
                         for k, v in rules.items()], "status-rules", widths=[1.3, 6]))
    blocks.append(Heading(2, "计算方法" if zh else "Calculation", "m-calc"))
    blocks.append(Bullets([
        "增速比 = 方向 × 观察年均增速 ÷ |规划所需年均增速|（Eurostat/Open SDG 方法）。几何路径用年均增长率：(x_t/x_0)^(1/n) − 1；"
        "线性路径（占比、指数等）用年均增量：(x_t − x_0)/n。" if zh else
        "Growth ratio = direction × observed growth per year ÷ |required growth per year| (Eurostat / Open SDG). Geometric "
        "paths use rates, (x_t/x_0)^(1/n) − 1; linear paths (shares, indices) use increments, (x_t − x_0)/n.",
        "进度完成度 = (实际值 − 基期值)/(目标值 − 基期值)，终期评估的完成率 = 实际值 ÷ 目标值；时间进度 = (数据年份 − 基期年)/(目标年 − 基期年)；规划路径值为基期至目标的"
        "几何或线性插值；预测值按观察增速外推至目标年；“此后需年均”为由最新数据年份到目标年所需的增速。" if zh else
        "Share of required change achieved = (actual − baseline)/(target − baseline); completion rate (final evaluation) = actual ÷ target; time elapsed = (data year − base year)/(target year − base "
        "year); the planned path interpolates baseline to target geometrically or linearly; the projection extends the "
        "observed growth to the target year; the required growth from now on runs from the latest data year to the target.",
        f"带限定词的公布值按区间处理：超X为(X, ∞)，近X为[X(1−ε), X]，约X为X(1±ε)，ε = {g('near_epsilon')}；状态按较保守一端判断，"
        "两端结论不同时同时给出较乐观一端的结果；进度完成度、增速比亦按保守端计算，并注明。" if zh else
        f"Qualified values are intervals: more than X is (X, ∞), nearly X is [X(1−ε), X], about X is X(1±ε), "
        f"ε = {g('near_epsilon')}; the conservative end decides, and the optimistic reading is shown when it differs; the share of "
        "required change achieved and the growth ratio are computed at that end too, and say so.",
        "累计下降类指标（如单位增加值能耗下降率）在“变化空间”计算：基期为0，规划路径按复利累积，1 − (1 + c_T)^(n/N)，"
        "累计下降逐年复合而非简单相加。" if zh else
        "Cumulative decreases (e.g. energy intensity) are computed in change space: baseline 0, the planned path compounds, "
        "1 − (1 + c_T)^(n/N); annual decreases compound rather than add.",
    ]))
    blocks.append(Heading(2, "数据选用规则" if zh else "Which value is used", "m-select"))
    blocks.append(Bullets([
        "同一指标同一期有多个公布值时依次比较：终值优先于初步数；来源等级高者优先；确数优先于带限定词（超、近、约……）的数；"
        "发布（版本）日期晚者优先；仍相同则取最后导入者。未采用的值在附录一列为“未采用值”。" if zh else
        "Among several published values for the same period: final over preliminary; then the higher source grade; then "
        "an exact value over a qualified one (more than, nearly, about …); then the latest vintage; then the latest import. "
        "Values not used are listed in appendix A.",
        f"D级来源永不单独决定状态（可单独决定状态的最低等级：{g('min_grade_alone')}级）。" if zh else
        f"Grade D never decides a status alone (lowest grade that may: {g('min_grade_alone')}).",
        f"基期值以最终公布数据为准（{baseline_rule(result, lang)}）：有可比终值时替换规划印刷值，两者都列出。" if zh else
        f"Baselines follow the final published figure ({baseline_rule(result, lang)}): a comparable final value "
        "replaces the printed baseline, and both are shown.",
        "推算值：规划使用的占比、比率可由两个公布数推算（如利润总额 ÷ 营业收入），推算值注明公式及两个输入值的来源。" if zh else
        "Derived values: shares and ratios the plan uses may be derived from two published numbers (e.g. profit ÷ revenue); "
        "a derived value states its formula and both inputs' sources.",
        "不变价链接：按不变价计算的目标（如工业增加值）以基期水平按各年实际增速逐年链接，不直接使用当年价水平。" if zh else
        "Constant-price chaining: constant-price targets (e.g. industrial value added) chain the base-year level with each "
        "year's real growth rate instead of using current-price levels.",
    ]))
    blocks.append(Heading(2, "评估参数" if zh else "Settings", "m-settings"))
    rows = [[Cell(x.name), Cell(str(s.get(x.name, x.default)), align="center"), Cell(x.help_zh if zh else x.help_en),
             Cell((x.basis_zh or x.basis) if zh else x.basis)] for x in ASSESSMENT_SETTINGS]
    blocks.append(Table([t("h_setting", lang), t("h_value", lang), t("h_meaning", lang), t("h_basis", lang)], rows,
                        "settings", widths=[1.6, 0.7, 3.2, 2.6], small=True))
    return blocks


# --- the whole report ------------------------------------------------------------------------
def build_content(result: dict, observations: pd.DataFrame | None, plan, lang: str = "zh",
                  previous: Previous | None = None, *, style: str = "auto", draft: pd.DataFrame | None = None,
                  draft_error: str | None = None, delivery=None) -> Report:
    """The report as format-neutral blocks, in reading order: the 终期评估 draft (final.py) for the
    target year, the mid-term layout before it. `draft` holds the next-plan reference values, `delivery`
    the store's delivery data for the final report's chapter 三 (final.final_blocks)."""
    lines, sub = _title(result, lang)
    title = ("" if _zh(lang) else " ").join(lines)
    final = is_final(result)
    common = dict(lang=lang, title=title, subtitle=sub, title_lines=lines, doc_date=document_date(result, observations),
                  plan_id=result["plan"]["id"], year=result.get("year"), as_of=result.get("as_of"), final=final,
                  style=style_for(style, final, lang))
    if final:
        return Report(blocks=final_blocks(result, observations, plan, lang, mid_clusters=_clusters, draft=draft,
                                          draft_error=draft_error, delivery=delivery), **common)
    blocks: list = []
    blocks += _summary(result, lang, previous)
    blocks += _scorecard(result, lang)
    blocks += _categories(result, plan, lang)
    blocks += _clusters(result, plan, lang)
    blocks += _no_data(result, lang)
    blocks += _sources(result, observations, plan, lang)
    blocks += _method(result, lang)
    return Report(blocks=blocks, **common)
