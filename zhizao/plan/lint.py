"""Internal consistency of a plan: do its numbers agree with each other?

Pure: Plan → list of findings. Severity `error` means the indicator cannot be assessed as written;
`warning` means the plan's own numbers disagree (e.g. a stated growth that does not reach the target);
`info` is worth knowing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from zhizao.plan.spec import Comparator, Direction, GrowthUnit, Indicator, Plan, TargetKind

# A stated growth that misses the target by more than this share of the target is reported.
WARN_GAP = 0.02
INFO_GAP = 0.005


@dataclass(frozen=True)
class Finding:
    indicator: str
    check: str
    severity: str  # error | warning | info
    message_zh: str
    message_en: str


def lint_plan(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    for ind in plan.indicators:
        out += _growth_consistency(ind)
        out += _semantics(ind, plan)
    return out


def findings_frame(findings: list[Finding], lang: str = "zh") -> pd.DataFrame:
    df = pd.DataFrame([asdict(f) for f in findings], columns=["indicator", "check", "severity", "message_zh", "message_en"])
    df["message"] = df["message_en"] if lang == "en" else df["message_zh"]
    return df[["indicator", "check", "severity", "message"]]


def _growth_consistency(ind: Indicator) -> list[Finding]:
    g, b, t = ind.stated_growth, ind.baseline, ind.target
    if g is None or b is None or ind.kind == TargetKind.cumulative_change:
        return []
    n = t.year - b.year
    if n <= 0:
        return []
    if g.unit == GrowthUnit.percent:
        reached = b.value * (1 + g.value / 100) ** n
        needed = ((t.value / b.value) ** (1 / n) - 1) * 100 if b.value > 0 and t.value > 0 else None
        needed_text = f"{needed:.2f}%" if needed is not None else "—"
        stated_text = f"{g.value:g}%"
    else:
        reached = b.value + g.value * n
        needed = (t.value - b.value) / n
        unit = "个百分点" if g.unit == GrowthUnit.percentage_points else ind.unit
        needed_text, stated_text = f"{needed:.3g} {unit}", f"{g.value:g} {unit}"
    gap = (reached - t.value) / abs(t.value) if t.value else 0.0
    if abs(gap) <= INFO_GAP:
        return []
    severity = "warning" if abs(gap) > WARN_GAP else "info"
    return [Finding(
        ind.id, "stated_growth_reaches_target", severity,
        f"{ind.name}：基期{b.value:g}按规划所列年均增速{stated_text}增长{n}年达到{reached:.4g}，"
        f"与目标{t.value:g}相差{gap:+.1%}；达到目标需年均{needed_text}。",
        f"{ind.name_en or ind.id}: baseline {b.value:g} growing at the stated {stated_text} for {n} years reaches "
        f"{reached:.4g}, {gap:+.1%} from the target {t.value:g}; the target needs {needed_text} a year.",
    )]


def _semantics(ind: Indicator, plan: Plan) -> list[Finding]:
    out = []

    def f(check, severity, zh, en):
        out.append(Finding(ind.id, check, severity, f"{ind.name}：{zh}", f"{ind.name_en or ind.id}: {en}"))

    pct = ind.unit.strip() in ("%", "％")
    if ind.kind in (TargetKind.share, TargetKind.cumulative_change, TargetKind.average_annual_growth) and not pct:
        f("unit_matches_kind", "error", f"类型为{ind.kind.value}，单位应为%，实为“{ind.unit}”",
          f"kind {ind.kind.value} needs unit %, got '{ind.unit}'")
    if ind.stated_growth and ind.stated_growth.unit == GrowthUnit.percentage_points and not pct:
        f("growth_unit_matches_unit", "error", "年均增速以百分点表示，但指标单位不是%",
          "stated growth is in percentage points but the unit is not %")
    if ind.stated_growth and ind.stated_growth.unit == GrowthUnit.percent and ind.kind == TargetKind.share:
        f("growth_unit_matches_kind", "warning", "比重类指标的年均增速通常以百分点表示，这里为百分比",
          "a share usually moves in percentage points, but the stated growth is in percent")
    if ind.baseline is None and ind.kind not in (TargetKind.cumulative_change, TargetKind.average_annual_growth):
        f("baseline_present", "error", "缺少基期值，无法评估进度", "no baseline: progress cannot be assessed")
    if ind.baseline and ind.baseline.year != plan.plan.base_year:
        f("baseline_year", "warning", f"基期年份{ind.baseline.year}与规划基期{plan.plan.base_year}不同",
          f"baseline year {ind.baseline.year} differs from the plan's base year {plan.plan.base_year}")
    if ind.target.year != plan.plan.target_year:
        f("target_year", "info", f"目标年份{ind.target.year}与规划目标年{plan.plan.target_year}不同",
          f"target year {ind.target.year} differs from the plan's target year {plan.plan.target_year}")
    up = ind.direction == Direction.increase
    if up and ind.target.comparator in (Comparator.le, Comparator.lt):
        f("comparator_direction", "error", "方向为提高，但目标比较符为≤/<", "direction is increase but the comparator is ≤/<")
    if not up and ind.target.comparator in (Comparator.ge, Comparator.gt):
        f("comparator_direction", "error", "方向为下降，但目标比较符为≥/>", "direction is decrease but the comparator is ≥/>")
    if ind.baseline and ind.kind != TargetKind.cumulative_change:
        if up and ind.target.value < ind.baseline.value:
            f("target_beyond_baseline", "error", "方向为提高，但目标低于基期值", "direction is increase but the target is below the baseline")
        if not up and ind.target.value > ind.baseline.value:
            f("target_beyond_baseline", "error", "方向为下降，但目标高于基期值", "direction is decrease but the target is above the baseline")
    if ind.kind == TargetKind.cumulative_change and (ind.target.value < 0) != (not up):
        f("cumulative_sign", "error", "累计变化目标的符号与方向不符", "the sign of the cumulative change contradicts the direction")
    if ind.target.comparator == Comparator.approx and ind.target.tolerance is None:
        f("approx_tolerance", "info", "“左右”目标未给容差，使用设置 approx_tolerance 的默认值",
          "approximate target without its own tolerance: the approx_tolerance setting applies")
    return out
