"""Rule: the city's year-to-date growth against the path to its annual target."""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting
from zhizao.analytics.monitoring.context import MonitoringContext
from zhizao.analytics.monitoring.growth import pct, required_rest_growth
from zhizao.analytics.monitoring.panel import PERIODS_PER_YEAR, ytd
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.warning_table import _frame, _num, _period_text, _va, empty_warnings, register
from zhizao.settings import Settings

# --- target path ------------------------------------------------------------------------------------

@register("target_gap", ("city",), "累计增速与全年目标路径的差距", "Gap to the annual-target path",
          ("target_annual_growth_pct", "target_gap_medium_pp", "target_gap_high_pp"))
def target_gap_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    if slot < PERIODS_PER_YEAR:
        return empty_warnings()
    L = _va(ctx, "city")[0]
    Y = ytd(L)
    y, m = ctx.period(slot)
    cur, prev = Y[slot], Y[slot - PERIODS_PER_YEAR]
    dec_prev = slot - PERIODS_PER_YEAR + (12 - m)  # December of the previous year
    annual_prev = Y[dec_prev]
    g = float(pct(cur, prev))
    target = float(s["target_annual_growth_pct"])
    if not np.isfinite(g):
        return empty_warnings()
    gap = g - target
    rest = required_rest_growth(cur, prev, annual_prev, target) if m < 12 else float("nan")
    if gap >= -float(s["target_gap_medium_pp"]):
        return empty_warnings()
    high = gap <= -float(s["target_gap_high_pp"]) or (
        np.isfinite(rest) and rest - g >= float(s["target_gap_high_pp"]))
    sev = "high" if high else "medium"
    lab_zh, lab_en = period_label(y, m, "ytd", "zh"), period_label(y, m, "ytd", "en")
    rest_zh = f"；余下月份需增长{formatting.percent(rest)}方能完成全年目标" if np.isfinite(rest) else ""
    rest_en = f"; the rest of the year needs {formatting.percent(rest)} to reach it" if np.isfinite(rest) else ""
    ss = ctx.city
    return _frame([{
        "subject_type": "city", "subject_id": ss.ids[0], "subject_name": ss.names[0],
        "period": _period_text(ctx, slot), "rule": "target_gap", "severity": sev,
        "evidence": {"ytd_growth_pct": _num(g), "target_pct": _num(target), "gap_pp": _num(gap),
                     "required_rest_pct": _num(rest), "ytd": _num(cur, 2), "ytd_prev": _num(prev, 2),
                     "annual_prev": _num(annual_prev, 2)},
        "explanation_zh": f"{lab_zh}，全市规上工业增加值累计增长{formatting.percent(g)}，低于全年目标"
                          f"{formatting.percent(target)}共{formatting.points(-gap, 'zh', signed=False)}{rest_zh}。",
        "explanation_en": f"{lab_en}: value added grew {formatting.percent(g)} year to date, "
                          f"{formatting.points(-gap, 'en', signed=False)} below the {formatting.percent(target)} "
                          f"annual target{rest_en}.",
    }])


