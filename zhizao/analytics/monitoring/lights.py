"""Five-light business-climate signal (景气信号灯) of every aggregate subject, and the `five_light`
rule: a *signal* (a status shown in the subjects' tables), not a warning, so it is not run by default
(`WARNING_RULES`).

Cut-offs fit the subject (docs/monitoring.md §Five lights): the city is judged against the city's
cut-offs (`light_fixed_cutoffs`, or its own history with `light_method = history`); districts, zones,
industries and clusters against the spread of their peers at the same period (robust z of the
cross-section, cut by `light_z_cutoffs`, σ at least `light_min_sigma_pp`). The city's cut-offs applied to
a district put most districts at 过冷/过热: small bases make district growth rates spread far wider
than the city's, and a district officer reads the light as "against the other districts".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import labels
from zhizao.analytics.monitoring.anomaly import MAD_SCALE
from zhizao.analytics.monitoring.context import MonitoringContext
from zhizao.analytics.monitoring.panel import CITY_MEASURES
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.settings import parse_floats
from zhizao.analytics.monitoring.warning_table import (AGGREGATE_TYPES, _frame, _who, _num, _period_text,
                                                       _subject_types, _ytd_growth, empty_warnings, register)
from zhizao.settings import Settings

LIGHTS = ("过热", "偏热", "正常", "偏冷", "过冷")
LIGHTS_EN = {k: v[1] for k, v in labels.LIGHT.items()}
LIGHT_SCORE = {"过热": 5, "偏热": 4, "正常": 3, "偏冷": 2, "过冷": 1}

# --- five lights ------------------------------------------------------------------------------------

def light_of(value: float, cutoffs: tuple[float, ...]) -> str | None:
    """Light for a value given 4 descending cut-offs: ≥c0 过热, ≥c1 偏热, >c2 正常, >c3 偏冷, else 过冷."""
    if not np.isfinite(value):
        return None
    c0, c1, c2, c3 = cutoffs
    if value >= c0:
        return "过热"
    if value >= c1:
        return "偏热"
    if value > c2:
        return "正常"
    if value > c3:
        return "偏冷"
    return "过冷"


def _light_stat(series: np.ndarray, slot: int, s: Settings) -> tuple[float, dict]:
    """The value compared with the cut-offs: growth itself (fixed) or its robust z (history)."""
    stat, ev = _light_stats(np.asarray(series, dtype=float)[None, :], slot, s)
    return stat[0], ev[0]


def _light_stats(G: np.ndarray, slot: int, s: Settings) -> tuple[np.ndarray, list[dict]]:
    """`_light_stat` of every row of G (subjects × periods) at once."""
    g = G[:, slot]
    if s["light_method"] == "fixed":
        return g, [{"method": "fixed", "growth_pct": _num(x)} for x in g]
    n = int(s["light_history_periods"])
    P = G[:, max(0, slot - n):slot]
    fin = np.isfinite(P)
    cnt = fin.sum(axis=1)
    center = np.full(len(G), np.nan)
    mad = np.full(len(G), np.nan)
    full = fin.all(axis=1) & (cnt >= 3)
    if full.any():  # every past value finite: medians along the rows
        center[full] = np.median(P[full], axis=1)
        mad[full] = np.median(np.abs(P[full] - center[full, None]), axis=1)
    for i in np.nonzero(~full & (cnt >= 3))[0]:
        past = P[i][fin[i]]
        center[i] = np.median(past)
        mad[i] = np.median(np.abs(past - center[i]))
    ok = (cnt >= 3) & np.isfinite(g)
    sigma = np.maximum(mad * MAD_SCALE, float(s["light_min_sigma_pp"]))
    with np.errstate(invalid="ignore"):
        z = np.where(ok, (g - center) / sigma, np.nan)
    ev = [{"method": "history", "growth_pct": _num(g[i]), "center_pct": _num(center[i]),
           "sigma_pp": _num(sigma[i]), "z": _num(z[i]), "history_points": int(cnt[i])} if ok[i] else
          {"method": "history", "growth_pct": _num(g[i]), "history_points": int(cnt[i])}
          for i in range(len(G))]
    return z, ev


def _peer_stats(g: np.ndarray, s: Settings) -> tuple[np.ndarray, list[dict]]:
    """Robust z of each subject's growth against its peers' (the same type, the same period): the
    median and MAD of the cross-section, σ at least `light_min_sigma_pp`. Fewer than 3 peers with a
    value: no light (a spread of two says nothing)."""
    fin = np.isfinite(g)
    if fin.sum() < 3:
        return np.full(len(g), np.nan), [{"method": "peers", "growth_pct": _num(x), "peers": int(fin.sum())}
                                         for x in g]
    center = float(np.median(g[fin]))
    sigma = max(float(np.median(np.abs(g[fin] - center))) * MAD_SCALE, float(s["light_min_sigma_pp"]))
    with np.errstate(invalid="ignore"):
        z = (g - center) / sigma
    return z, [{"method": "peers", "growth_pct": _num(x), "center_pct": _num(center), "sigma_pp": _num(sigma),
                "z": _num(zi), "peers": int(fin.sum())} for x, zi in zip(g, z)]


def _subject_stats(G: np.ndarray, subject_type: str, slot: int, s: Settings
                   ) -> tuple[np.ndarray, list[dict], tuple[float, ...]]:
    """(statistic, evidence, cut-offs) fitting the subject: the city with the city's method and
    cut-offs; a part (district, zone, industry, cluster) against its own history when
    `light_method = history`, else against its peers (`light_z_cutoffs`)."""
    if subject_type == "city" or s["light_method"] == "history":
        stats, evs = _light_stats(G, slot, s)
        return stats, evs, _cutoffs(s)
    stats, evs = _peer_stats(np.asarray(G, dtype=float)[:, slot], s)
    return stats, evs, parse_floats(s["light_z_cutoffs"])


def _cutoffs(s: Settings) -> tuple[float, ...]:
    return parse_floats(s["light_fixed_cutoffs"] if s["light_method"] == "fixed" else s["light_z_cutoffs"])


def lights(ctx: MonitoringContext, slot: int, settings: Settings | None = None) -> pd.DataFrame:
    """Five-light signal of every aggregate subject (YTD growth of value added), 正常 included; the
    cut-offs fit the subject (`_subject_stats`).

    The city also gets a composite over the measures it has (score 5…1 per light, index = mean/3 ×
    100, so all-green = 100), lit by `light_composite_green_band`.
    """
    s = settings or Settings()
    cut = _cutoffs(s)
    rows = []
    for st in _subject_types(ctx, AGGREGATE_TYPES):
        ss = ctx.series[st]
        stats, evs, sub_cut = _subject_stats(_ytd_growth(ctx, st), st, slot, s)
        for i, sid in enumerate(ss.ids):
            light = light_of(stats[i], sub_cut)
            if light is None:
                continue
            rows.append({"subject_type": st, "subject_id": sid, "subject_name": ss.names[i],
                         "measure": "value_added", "light": light, "score": LIGHT_SCORE[light], **evs[i]})
    if "city" in ctx.series:
        scores, parts = [], {}
        for measure in [m for m in CITY_MEASURES if m in ctx.city.levels]:
            stat, ev = _light_stat(_ytd_growth(ctx, "city", measure)[0], slot, s)
            light = light_of(stat, cut)
            if light is not None:
                scores.append(LIGHT_SCORE[light])
                parts[measure] = light
        if scores:
            index = float(np.mean(scores)) / LIGHT_SCORE["正常"] * 100
            lo, hi = parse_floats(s["light_composite_green_band"])
            width = hi - lo  # bands beyond green are as wide as the green band (zhizao choice)
            light = light_of(index, (hi + width, hi, lo, lo - width))
            rows.append({"subject_type": "city", "subject_id": ctx.city.ids[0],
                         "subject_name": ctx.city.names[0], "measure": "composite", "light": light,
                         "score": LIGHT_SCORE[light], "method": "composite", "index": _num(index, 2),
                         "components": parts})
    return pd.DataFrame(rows)


def _name_en(ctx: MonitoringContext, r: dict) -> str:
    """The subject's English name for explanation_en (its code where there is none)."""
    ss = ctx.series.get(r["subject_type"])
    if ss is None or not ss.names_en or str(r["subject_id"]) not in ss.ids:
        return str(r["subject_id"])
    return ss.names_en[ss.ids.index(str(r["subject_id"]))]


def _light_severity(subject_type: str, measure: str, extreme: bool) -> str:
    """偏热/偏冷 are frequent by construction (|z| > 1 for a third of normal periods): low. 过热/过冷:
    medium, and high for the city's composite index."""
    if not extreme:
        return "low"
    return "high" if (subject_type == "city" and measure == "composite") else "medium"


@register("five_light", AGGREGATE_TYPES, "五色灯景气信号（非绿灯）", "Five-light signal (not green)",
          ("light_method", "light_z_cutoffs", "light_fixed_cutoffs", "light_history_periods",
           "light_min_sigma_pp", "light_composite_green_band"), signal=True)
def five_light_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    L = lights(ctx, slot, s)
    if L.empty:
        return empty_warnings()
    L = L[L["light"] != "正常"]
    y, m = ctx.period(slot)
    lab_zh, lab_en = period_label(y, m, "ytd", "zh"), period_label(y, m, "ytd", "en")
    rows = []
    for r in L.to_dict("records"):
        extreme = r["light"] in ("过热", "过冷")
        ev = {k: v for k, v in r.items() if k not in ("subject_type", "subject_id", "subject_name")
              and not (isinstance(v, float) and not np.isfinite(v))}
        what_zh = "综合景气指数" if r["measure"] == "composite" else "规上工业增加值累计增速"
        what_en = "composite index" if r["measure"] == "composite" else "YTD value-added growth"
        rows.append({
            "subject_type": r["subject_type"], "subject_id": r["subject_id"],
            "subject_name": r["subject_name"], "period": _period_text(ctx, slot), "rule": "five_light",
            "severity": _light_severity(r["subject_type"], r["measure"], extreme), "evidence": ev,
            "explanation_zh": f"{lab_zh}，{_who(r['subject_type'], r['subject_name'], 'zh')}{what_zh}"
                              f"亮{r['light']}信号。",
            "explanation_en": f"{lab_en}: {_who(r['subject_type'], _name_en(ctx, r), 'en')} "
                              f"{what_en} signals {LIGHTS_EN[r['light']]}.",
        })
    return _frame(rows)


