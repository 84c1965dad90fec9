"""Labels (中文 / English) and number formatting shared by every format.

Numbers shown in the report are formatted here and only here, from the assessment's values,
so the DOCX, HTML, PDF and charts print the same digits.
"""
from __future__ import annotations

import math

from zhizao.analytics.progress import STATUSES, status_label

__all__ = ["STATUSES", "status_label", "t", "num", "pct", "ratio", "growth", "actual_text", "qual_mark",
           "ind_name", "planned_growth", "required_growth", "cluster_heading"]

LABELS: dict[str, tuple[str, str]] = {
    # report kinds and title page
    "final_eval": ("终期评估报告", "final evaluation report"),
    "mid_eval": ("中期评估报告", "mid-term evaluation report"),
    "impl_of": ("实施情况", "implementation: "),
    "eval_year": ("评估年份", "Evaluation year"),
    "as_of": ("数据截至", "Data as known on"),
    "as_of_all": ("使用数据库中全部已知数据（不限发布日期）", "all values in the store, whatever their publication date"),
    "doc_no": ("规划文号", "Plan document"),
    "period": ("规划期", "Plan period"),
    "generated_by": ("由“智造”平台依据公开统计数据生成", "Produced by zhizao from published statistics"),
    "toc": ("目录", "Contents"),
    "toc_hint": ("（目录将在打开文档或更新域时生成）", "(the contents are built when the document's fields are updated)"),
    "page": ("第 {} 页", "Page {}"),
    # section titles
    "s_summary": ("一、评估概要", "1. Summary"),
    "s_scorecard": ("二、指标评估总表", "2. Scorecard"),
    "s_categories": ("三、分领域评估", "3. Indicators by area"),
    "s_clusters": ("四、{}规模目标", "4. Scale targets of {}"),  # the plan's cluster_heading
    "s_nodata": ("五、无可比数据的指标", "5. Indicators without comparable data"),
    "s_nodata_4": ("四、无可比数据的指标", "4. Indicators without comparable data"),  # a plan without clusters
    "s_sources": ("附录一　数据来源", "Appendix A. Data sources"),
    "s_method": ("附录二　评估方法", "Appendix B. Methodology"),
    "s_binding": ("约束性指标", "Binding indicators"),
    "s_counts": ("各状态指标数", "Indicators by status"),
    "s_changes": ("与上次评估相比的变化", "Changes since the last report"),
    # table headers
    "h_indicator": ("指标", "Indicator"),
    "h_nature": ("属性", "Nature"),
    "h_unit": ("单位", "Unit"),
    "h_baseline": ("基期值", "Baseline"),
    "h_target": ("目标值", "Target"),
    "h_year": ("数据年份", "Year"),
    "h_actual": ("实际值", "Actual"),
    "h_planned": ("规划路径值", "Planned"),
    "h_completion": ("完成度", "Compl."),
    "h_time": ("时间进度", "Time"),
    "h_ratio": ("增速比", "Ratio"),
    "h_status": ("状态", "Status"),
    "h_count": ("指标数", "Count"),
    "h_indicators": ("指标", "Indicators"),
    "h_prev_status": ("上次状态", "Previous status"),
    "h_prev_value": ("上次数据", "Previous value"),
    "h_new_value": ("本次数据", "Current value"),
    "h_cluster": ("产业集群", "Cluster"),
    "h_scale_target": ("规模目标", "Scale target"),
    "h_share": ("占目标比例", "Share of target"),
    "h_comparability": ("可比性", "Comparability"),
    "h_series": ("统计序列", "Series"),
    "h_value": ("数值", "Value"),
    "h_note": ("说明", "Note"),
    "h_grade": ("来源等级", "Grade"),
    "h_role": ("用途", "Role"),
    "h_obs_status": ("数据性质", "Release"),
    "h_vintage": ("发布/版本日期", "Vintage"),
    "h_source": ("来源", "Source"),
    "h_setting": ("参数", "Setting"),
    "h_meaning": ("含义", "Meaning"),
    "h_basis": ("依据", "Basis"),
    "h_rule": ("判定规则", "Rule"),
    # roles in the sources appendix
    "r_baseline": ("基期值", "baseline"),
    "r_chosen": ("采用值", "used"),
    "r_not_chosen": ("未采用值", "not used"),
    "r_evidence": ("其他证据", "other evidence"),
    "r_conflict": ("未采用值", "not used"),
    "r_cluster": ("集群规模", "cluster scale"),
    "final": ("终值", "final"),
    "preliminary": ("初步数", "preliminary"),
    # chart legend
    "c_path": ("规划路径", "planned path"),
    "c_target": ("目标", "target"),
    "c_actual": ("实际值", "actual"),
    "c_actual_d": ("实际值（D级来源，不单独决定状态）", "actual (grade D, never decides alone)"),
    "c_qualified_up": ("实际值（超/不低于）", "actual (more than / at least)"),
    "c_qualified_down": ("实际值（近/不高于）", "actual (nearly / at most)"),
    "c_qualified_about": ("实际值（约）", "actual (about)"),
    "c_other_values": ("未采用的公布值", "published values not used"),
    "c_evidence": ("其他证据（口径不同，不据此判断）", "other evidence (not comparable, does not decide)"),
    "c_projection": ("按现趋势预测", "projection on the observed trend"),
    "c_projection_final": ("预测目标年值及区间", "projected to the target year, with interval"),
    "c_required": ("此后所需路径", "required path from now on"),
    "c_no_data": ("无可比数据", "no comparable data"),
    "c_year": ("年份", "year"),
    "c_clusters_title": ("{}：最新规模与目标", "{}: latest scale against target"),  # the plan's cluster_heading
    "c_cluster_target": ("规模目标", "scale target"),
    "c_cluster_actual": ("最新规模", "latest scale"),
    "c_cluster_proxy": ("最新规模（近似替代口径）", "latest scale (proxy measure)"),
    # small words
    "binding": ("约束性", "binding"),
    "expected": ("预期性", "expected"),
    "none": ("无", "none"),
    "or": ("或", "or"),
    "per_year_pp": ("个百分点/年", " pp per year"),
    "per_year": ("/年", " per year"),
    "derived": ("推算值", "derived"),
    "rebased_note": ("* 基期值已按最终公布数替换规划印刷值", "* baseline re-based on the final published figure"),
    "binding_mark_note": ("★ 约束性指标", "★ binding indicator"),
    "store_baseline_note": ("† 规划未列基期值，采用数据库中基期年的可比数值。",
                            "† the plan prints no baseline: the comparable base-year value in the store is used."),
    "indefinite_note": ("状态后的“或……”：公布值带限定词（超/近/约……），按较保守一端判断，括号内为较乐观一端的结果。",
                        "“or …” after a status: the published value is qualified (more than / nearly …); "
                        "the conservative end decides, the optimistic reading follows."),
}


# 终期评估 (final evaluation) statuses, as the assessment labels them (contract A in docs/reports.md).
FINAL_LABELS: dict[str, tuple[str, str]] = {
    "completed": ("已完成", "completed"),
    "basically_completed": ("基本完成", "basically completed"),
    "not_completed": ("未完成", "not completed"),
    "expected_completed": ("预计完成", "expected to be completed"),
    "expected_basically_completed": ("预计基本完成", "expected to be basically completed"),
    "expected_difficult": ("预计难以完成", "unlikely to be completed"),
    "undetermined": ("无法判断", "cannot be judged"),
    "no_data": ("无可比数据", "no comparable data"),
    "tracked": ("仅监测", "tracked only"),
}


def final_label(status: str, lang: str) -> str:
    zh, en = FINAL_LABELS.get(status, (status, status))
    return en if lang == "en" else zh


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


QUAL_MARK_ZH = {"more_than": "超", "at_least": "≥", "nearly": "近", "about": "约", "at_most": "≤", "less_than": "<"}
QUAL_MARK_EN = {"more_than": ">", "at_least": "≥", "nearly": "nearly ", "about": "about ", "at_most": "≤",
                "less_than": "<"}


def qual_mark(qualifier: str | None, lang: str) -> str:
    return (QUAL_MARK_EN if lang == "en" else QUAL_MARK_ZH).get(qualifier or "exact", "")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def num(v) -> str:
    """Four significant digits, never fewer than the integer digits: 26833.86 → 26834, 1.5654 → 1.565."""
    if _missing(v):
        return "—"
    v = float(v)
    if v == 0:
        return "0"
    decimals = max(0, 3 - math.floor(math.log10(abs(v))))
    s = f"{v:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(v, digits: int = 1) -> str:
    """A fraction as a percentage: 0.452 → 45.2%."""
    return "—" if _missing(v) else f"{100 * float(v):.{digits}f}%"


def ratio(v) -> str:
    return "—" if _missing(v) else f"{float(v):.2f}"


def growth_is_rate(ind: dict) -> bool:
    """Geometric and cumulative paths grow by a rate; linear ones by units per year."""
    if ind.get("kind") in ("cumulative_change", "average_annual_growth"):
        return True
    if str(ind.get("method") or "").startswith("线性"):  # geometric path fell back to linear
        return False
    return ind.get("path_shape") == "geometric"


def growth(ind: dict, v, lang: str) -> str:
    """A per-year growth of `ind`: 7.42% or 0.3 个百分点/年."""
    if _missing(v):
        return "—"
    if growth_is_rate(ind):
        return f"{100 * float(v):.2f}%"
    unit = ind.get("unit") or ""
    if unit == "%":
        return num(v) + t("per_year_pp", lang)
    return f"{num(v)} {unit}{t('per_year', lang)}" if lang == "en" else f"{num(v)}{unit}{t('per_year', lang)}"


def planned_growth(ind: dict):
    """Growth per year the plan needs over the whole period, baseline → target."""
    return ind.get("planned_growth")


def required_growth(ind: dict):
    """Growth per year still needed from the data year to reach the target."""
    return ind.get("required_growth")


def actual_text(value, qualifier: str | None, lang: str) -> str:
    """A value with its qualifier mark: 超26000, ≥8000."""
    return "—" if _missing(value) else qual_mark(qualifier, lang) + num(value)


def cluster_heading(result: dict, lang: str) -> str:
    """How the plan names its clusters as a group (plan.cluster_heading), else a neutral word."""
    p = result.get("plan") or {}
    if lang == "en":
        return p.get("cluster_heading_en") or p.get("cluster_heading") or "the industry clusters"
    return p.get("cluster_heading") or "产业集群"


def ind_name(ind: dict, lang: str) -> str:
    return (ind.get("name_en") or ind["name"]) if lang == "en" else ind["name"]


def status_text(ind: dict, lang: str) -> str:
    """The status label, with the optimistic reading when a qualified value straddles two statuses."""
    s = status_label(ind["status"], lang)
    if not ind.get("status_definite", True) and ind.get("status_if_high"):
        s += f"（{t('or', lang)}{status_label(ind['status_if_high'], lang)}）" if lang != "en" else \
            f" (or {status_label(ind['status_if_high'], lang)})"
    return s
