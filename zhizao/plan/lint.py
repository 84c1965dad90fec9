"""Internal consistency of a plan: do its numbers agree with each other?

Pure: Plan → list of findings. Severity `error` means the indicator cannot be assessed as written;
`warning` means the plan's own numbers disagree (e.g. a stated growth that does not reach the target);
`info` is worth knowing.
"""
from __future__ import annotations

from zhizao import formatting, labels

from dataclasses import asdict

import pandas as pd

from zhizao.plan.chain_lint import lint_chains
from zhizao.plan.findings import Finding
from zhizao.plan.spec import Comparator, Direction, GrowthUnit, Indicator, Plan, TargetKind

# A stated growth that misses the target by more than this share of the target is reported.
WARN_GAP = 0.02
INFO_GAP = 0.005


SEVERITY_LABELS = labels.LINT_SEVERITY
PERIOD_KINDS = (TargetKind.cumulative_change, TargetKind.average_annual_growth)


def lint_plan(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    for ind in plan.indicators:
        out += _growth_consistency(ind)
        out += _semantics(ind, plan)
    return out + lint_chains(plan)  # issue 12: the chain maps (zhizao chain lint shows them alone)


def findings_frame(findings: list[Finding], lang: str = "zh") -> pd.DataFrame:
    df = pd.DataFrame([asdict(f) for f in findings], columns=["indicator", "check", "severity", "message_zh", "message_en"])
    df["message"] = df["message_en"] if lang == "en" else df["message_zh"]
    df["severity_label"] = df["severity"].map(lambda s: SEVERITY_LABELS[s][1 if lang == "en" else 0])
    return df[["indicator", "check", "severity", "severity_label", "message"]]


def _growth_consistency(ind: Indicator) -> list[Finding]:
    g, b, t = ind.stated_growth, ind.baseline, ind.target
    if (g is None or b is None or t is None or t.year is None or ind.kind in PERIOD_KINDS
            or t.comparator == Comparator.between or t.every_year):
        return []
    n = t.year - b.year
    if n <= 0:
        return []
    if g.unit == GrowthUnit.percent:
        if b.value <= 0:
            return []
        reached = b.value * (1 + g.value / 100) ** n
        needed = ((t.value / b.value) ** (1 / n) - 1) * 100 if t.value > 0 else None
        needed_text = f"{needed:.2f}%" if needed is not None else "—"
        stated_text = f"{g.value:g}%"
        needed_en, stated_en = needed_text, stated_text
    else:
        reached = b.value + g.value * n
        needed = (t.value - b.value) / n
        unit = "个百分点" if g.unit == GrowthUnit.percentage_points else ind.unit
        needed_text, stated_text = f"{needed:.3g} {unit}", f"{g.value:g} {unit}"
        # English: the unit in English words (0.4 pp, 0.6 (10,000 yuan per person)), never 个百分点
        en_unit = "pp" if g.unit == GrowthUnit.percentage_points else ind.unit
        needed_en, stated_en = (formatting.with_unit(f"{x:{f}}", en_unit, "en") for x, f in ((needed, ".3g"), (g.value, "g")))
    gap = (reached - t.value) / abs(t.value) if t.value else 0.0
    if abs(gap) <= INFO_GAP:
        return []
    severity = "warning" if abs(gap) > WARN_GAP else "info"
    return [Finding(
        ind.id, "stated_growth_reaches_target", severity,
        f"{ind.name}：基期{b.value:g}按规划所列年均增速{stated_text}增长{n}年达到{reached:.4g}，"
        f"与目标{t.value:g}相差{gap:+.1%}；达到目标需年均{needed_text}。",
        f"{ind.name_en or ind.id}: baseline {b.value:g} growing at the stated {stated_en} a year for {n} years reaches "
        f"{reached:.4g}, {gap:+.1%} from the target {t.value:g}; the target needs {needed_en} a year.",
    )]


def _semantics(ind: Indicator, plan: Plan) -> list[Finding]:
    out = []
    meta = plan.plan

    def f(check, severity, zh, en):
        out.append(Finding(ind.id, check, severity, f"{ind.name}：{zh}", f"{ind.name_en or ind.id}: {en}"))

    pct = ind.unit.strip() in ("%", "％")
    t, b = ind.target, ind.baseline
    if ind.kind in (TargetKind.share, TargetKind.cumulative_change, TargetKind.average_annual_growth) and not pct:
        f("unit_matches_kind", "error", f"类型为{ind.kind.value}，单位应为%，实为“{ind.unit}”",
          f"kind {ind.kind.value} needs unit %, got '{ind.unit}'")
    if ind.stated_growth and ind.stated_growth.unit == GrowthUnit.percentage_points and not pct:
        f("growth_unit_matches_unit", "error", "年均增速以百分点表示，但指标单位不是%",
          "stated growth is in percentage points but the unit is not %")
    if ind.stated_growth and ind.stated_growth.unit == GrowthUnit.percent and ind.kind == TargetKind.share:
        f("growth_unit_matches_kind", "warning", "比重类指标的年均增速通常以百分点表示，这里为百分比",
          "a share usually moves in percentage points, but the stated growth is in percent")
    if ind.nature.value == "unstated":
        f("nature_unstated", "info", "规划未注明指标属性（预期性/约束性）：标为“未注明”，不按约束性指标处理",
          "the plan does not state the attribute (expected/binding): shown as not stated, never treated as binding")
    if b and b.qualifier.value != "exact":
        f("baseline_qualified", "info", f"基期值带限定词（{b.text or b.qualifier.value}）：进度按区间两端分别计算，"
          "两端结论一致时状态才确定", f"the baseline is qualified ({b.text or b.qualifier.value}): the pace is "
          "computed at both ends of its range and the status is definite only when both agree")
    if b and b.year != meta.base_year:
        f("baseline_year", "warning", f"基期年份{b.year}与规划基期{meta.base_year}不同",
          f"baseline year {b.year} differs from the plan's base year {meta.base_year}")
    if t is None:
        f("no_target", "info", "未设目标值：仅监测最新数值与趋势，不评价进度",
          "no target: the latest value and trend are tracked, no progress is judged")
        if ind.stated_growth:
            f("growth_without_target", "warning", "给出了年均增速但没有目标值：增速不参与评估",
              "a stated growth without a target: it is not used")
        return out
    level_kind = ind.kind not in PERIOD_KINDS
    pc = ind.project_count
    if b is None and level_kind and t.year is not None and not t.every_year and pc is not None:
        # a register count: analytics.delivery.projects.project_observations decides what its base year is
        if pc.period == "cumulative":
            f("baseline_zero", "info",
              f"未列基期值：按项目台账累计计数，{meta.base_year}年末按定义为0，据此判断进度（无需填写基期值）",
              f"no printed baseline: the project register's cumulative count is 0 by definition at the end of "
              f"{meta.base_year}, and the pace is judged from it (no baseline needed)")
        else:
            f("baseline_missing", "info",
              f"未列基期值：按年计数的项目台账指标无法从台账得出{meta.base_year}年的数值，不判断进度；"
              f"请在规划文件中写出基期值（baseline: {{year: {meta.base_year}, value: …}}），"
              "或改为累计计数（project_count.period: cumulative）",
              f"no printed baseline: a yearly count from the project register gives no {meta.base_year} value, so "
              f"no pace is judged; write the baseline in the plan file (baseline: {{year: {meta.base_year}, "
              "value: …}) or count cumulatively (project_count.period: cumulative)")
    elif b is None and level_kind and t.year is not None and not t.every_year:
        f("baseline_missing", "info",
          f"规划未给出基期值：若数据库导入了{meta.base_year}年的可比数值，据此判断进度；否则只判断是否达到目标、"
          "差距和此后所需增速，不判断进度",
          f"no printed baseline: the pace is judged from a comparable {meta.base_year} value if one is imported; "
          "otherwise only whether the target is met, the gap and the growth still needed")
    if t.year is None:
        if level_kind and not t.every_year:
            f("target_undated", "info", "目标未注明年份：只判断是否达到及差距，不判断进度",
              "undated target: judged met or not, with the gap; never for pace")
        elif not level_kind:
            f("target_undated", "info", f"目标未注明年份：按规划期{meta.base_year}—{meta.target_year}年计算",
              f"undated target: the plan period {meta.base_year}–{meta.target_year} applies")
        if ind.stated_growth and level_kind:
            f("growth_undated_target", "warning", "给出了年均增速但目标未注明年份：无法核对增速能否达到目标",
              "a stated growth with an undated target: whether it reaches the target cannot be checked")
    else:
        start = b.year if b else meta.base_year
        if t.year <= start:
            f("target_after_base", "error", f"目标年份{t.year}不晚于基期年份{start}，无法计算进度",
              f"target year {t.year} is not after the base year {start}: progress cannot be computed")
        elif t.year != meta.target_year:
            f("target_year", "info", f"目标年份{t.year}与规划目标年{meta.target_year}不同",
              f"target year {t.year} differs from the plan's target year {meta.target_year}")
    up = ind.direction == Direction.increase
    between = t.comparator == Comparator.between
    if up and t.comparator in (Comparator.le, Comparator.lt):
        f("comparator_direction", "error", "方向为提高，但目标比较符为≤/<", "direction is increase but the comparator is ≤/<")
    if not up and t.comparator in (Comparator.ge, Comparator.gt):
        f("comparator_direction", "error", "方向为下降，但目标比较符为≥/>", "direction is decrease but the comparator is ≥/>")
    if b and level_kind and not between and not t.every_year:
        if up and t.value < b.value:
            f("target_beyond_baseline", "error", "方向为提高，但目标低于基期值", "direction is increase but the target is below the baseline")
        if not up and t.value > b.value:
            f("target_beyond_baseline", "error", "方向为下降，但目标高于基期值", "direction is decrease but the target is above the baseline")
    if b and level_kind and between and t.value <= b.value <= t.upper:
        f("baseline_in_range", "info", "基期值已在目标区间内：只判断是否保持在区间内",
          "the baseline is already inside the target range: only staying inside is judged")
    if ind.kind == TargetKind.cumulative_change and not between and (t.value < 0) != (not up):
        f("cumulative_sign", "error", "累计变化目标的符号与方向不符", "the sign of the cumulative change contradicts the direction")
    if not level_kind and min(t.value, t.upper if t.upper is not None else t.value) <= -100:
        f("change_above_minus_100", "error", "变化率目标不能低于或等于−100%", "a rate of change cannot be −100 % or less")
    if t.every_year:
        if t.comparator == Comparator.eq:
            f("every_year_comparator", "warning", "“保持”类目标通常写作≥/≤（保持…以上/以下），这里为“=”，按达到该值的方向判断",
              "a target held every year is usually ≥/≤ (保持…以上/以下); '=' is read in the indicator's direction")
        if ind.kind == TargetKind.cumulative_change:
            f("every_year_cumulative", "warning", "累计变化目标不能逐年保持：每年的累计值按同一目标检验",
              "a cumulative change cannot be held every year: each year's cumulative value is checked against it")
    if t.comparator == Comparator.approx and t.tolerance is None:
        f("approx_tolerance", "info", "“左右”目标未给容差，使用设置 approx_tolerance 的默认值",
          "approximate target without its own tolerance: the approx_tolerance setting applies")
    return out
