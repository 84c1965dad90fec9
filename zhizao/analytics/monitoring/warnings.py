"""Early-warning rules: a registry (name → Rule) of typed rules returning one table shape.

Every rule takes (context, slot, settings) and returns a frame with exactly WARNING_COLUMNS:
subject_type, subject_id, subject_name, period ('YYYY-MM', the last month of the reporting period),
rule, severity (high / medium / low), evidence (JSON-able dict), explanation_zh, explanation_en.
Thresholds are read from settings by name (declared in `settings.py`); rule bodies hold none.
Rules look only at data up to the evaluated period, so running them period by period replays what
a monitor would have said at the time (used by scripts/detection_quality.py).
"""
from __future__ import annotations

from zhizao import labels

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.anomaly import (MAD_SCALE, cusum, pelt_l2_many, stl_residual_z_rows,
                                                 trailing_robust_z)
from zhizao.analytics.monitoring.context import SUBJECT_LABELS, MonitoringContext
from zhizao.analytics.monitoring.growth import pct, required_rest_growth
from zhizao.analytics.monitoring.panel import CITY_MEASURES, PERIODS_PER_YEAR, prev_year, ytd, yoy_pct
from zhizao.analytics.monitoring.periods import parse_period, period_label
from zhizao.analytics.monitoring.settings import parse_floats
from zhizao.settings import Settings

WARNING_COLUMNS = ["subject_type", "subject_id", "subject_name", "period", "rule", "severity",
                   "evidence", "explanation_zh", "explanation_en"]
SEVERITIES = ("high", "medium", "low")
SEVERITY_ZH = {k: v[0] for k, v in labels.SEVERITY.items()}
LIGHTS = ("过热", "偏热", "正常", "偏冷", "过冷")
LIGHTS_EN = {k: v[1] for k, v in labels.LIGHT.items()}
LIGHT_SCORE = {"过热": 5, "偏热": 4, "正常": 3, "偏冷": 2, "过冷": 1}
AGGREGATE_TYPES = ("city", "district", "zone", "industry", "cluster")
PART_TYPES = ("district", "zone", "industry", "cluster")

RuleFunc = Callable[[MonitoringContext, int, Settings], pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    name: str
    func: RuleFunc
    subject_types: tuple[str, ...]
    title_zh: str
    title_en: str
    settings: tuple[str, ...]  # names of the settings the rule reads

    def __call__(self, ctx: MonitoringContext, slot: int, settings: Settings) -> pd.DataFrame:
        return self.func(ctx, slot, settings)


RULES: dict[str, Rule] = {}


def register(name: str, subject_types: tuple[str, ...], title_zh: str, title_en: str,
             settings: tuple[str, ...]) -> Callable[[RuleFunc], RuleFunc]:
    def deco(func: RuleFunc) -> RuleFunc:
        RULES[name] = Rule(name, func, subject_types, title_zh, title_en, settings)
        return func
    return deco


def empty_warnings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in WARNING_COLUMNS})


def run_rules(ctx: MonitoringContext, period: tuple[int, int] | str | None = None,
              settings: Settings | Mapping | None = None, rules: Iterable[str] | None = None,
              progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Run the named rules (default: all registered) at a period (default: the latest)."""
    s = settings if isinstance(settings, Settings) else Settings(settings)
    slot = slot_for(ctx, period)
    frames = []
    for name in (list(rules) if rules is not None else list(RULES)):
        frames.append(RULES[name](ctx, slot, s))
        if progress:
            progress(name)
    frames = [f for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else empty_warnings()
    return out[WARNING_COLUMNS]


def slot_for(ctx: MonitoringContext, period) -> int:
    """Reporting-period index of (year, month) or 'YYYY-MM'; None → the latest with data."""
    if period is None:
        return ctx.latest
    y, m = parse_period(period) if isinstance(period, str) else period
    return ctx.slot(y, m)


# --- small helpers ----------------------------------------------------------------------------------

def _num(x, nd: int = 4):
    """JSON-able number: python float rounded, None for NaN/inf."""
    if x is None:
        return None
    x = float(x)
    return round(x, nd) if np.isfinite(x) else None


def _period_text(ctx: MonitoringContext, slot: int) -> str:
    y, m = ctx.period(slot)
    return f"{y}-{m:02d}"


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=WARNING_COLUMNS) if rows else empty_warnings()


def _cached(ctx: MonitoringContext, key, make):
    if key not in ctx.cache:
        ctx.cache[key] = make()
    return ctx.cache[key]


def _va(ctx: MonitoringContext, st: str) -> np.ndarray:
    return ctx.series[st].levels["value_added"]


def _ytd_growth(ctx: MonitoringContext, st: str, measure: str = "value_added") -> np.ndarray:
    def make():
        L = ctx.series[st].levels[measure]
        Y = ytd(L)
        return pct(Y, prev_year(Y))
    return _cached(ctx, ("ytd_growth", st, measure), make)


def _label(st: str, lang: str) -> str:
    return SUBJECT_LABELS[st][0 if lang == "zh" else 1]


def _subject_types(ctx: MonitoringContext, wanted: Iterable[str]) -> list[str]:
    return [st for st in wanted if st in ctx.series]


def _march_policy(ctx: MonitoringContext, slot: int, s: Settings) -> str | None:
    """'downgrade' / 'suppress' when the period is March and the setting asks; None otherwise."""
    _, m = ctx.period(slot)
    mode = s["spring_festival_march"]
    return mode if m == 3 and mode in ("downgrade", "suppress") else None


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
    rest_zh = f"；余下月份需增长{rest:.1f}%方能完成全年目标" if np.isfinite(rest) else ""
    rest_en = f"; the rest of the year needs {rest:.1f}% to reach it" if np.isfinite(rest) else ""
    ss = ctx.city
    return _frame([{
        "subject_type": "city", "subject_id": ss.ids[0], "subject_name": ss.names[0],
        "period": _period_text(ctx, slot), "rule": "target_gap", "severity": sev,
        "evidence": {"ytd_growth_pct": _num(g), "target_pct": _num(target), "gap_pp": _num(gap),
                     "required_rest_pct": _num(rest), "ytd": _num(cur, 2), "ytd_prev": _num(prev, 2),
                     "annual_prev": _num(annual_prev, 2)},
        "explanation_zh": f"{lab_zh}，全市规上工业增加值累计增长{g:.1f}%，低于全年目标{target:.1f}%"
                          f"共{-gap:.1f}个百分点{rest_zh}。",
        "explanation_en": f"{lab_en}: value added grew {g:.1f}% year to date, {-gap:.1f} pp below the "
                          f"{target:.1f}% annual target{rest_en}.",
    }])


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


def _cutoffs(s: Settings) -> tuple[float, ...]:
    return parse_floats(s["light_fixed_cutoffs"] if s["light_method"] == "fixed" else s["light_z_cutoffs"])


def lights(ctx: MonitoringContext, slot: int, settings: Settings | None = None) -> pd.DataFrame:
    """Five-light signal of every aggregate subject (YTD growth of value added), 正常 included.

    The city also gets a composite over the measures it has (score 5…1 per light, index = mean/3 ×
    100, so all-green = 100), lit by `light_composite_green_band`.
    """
    s = settings or Settings()
    cut = _cutoffs(s)
    rows = []
    for st in _subject_types(ctx, AGGREGATE_TYPES):
        ss = ctx.series[st]
        stats, evs = _light_stats(_ytd_growth(ctx, st), slot, s)
        for i, sid in enumerate(ss.ids):
            light = light_of(stats[i], cut)
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


def _light_severity(subject_type: str, measure: str, extreme: bool) -> str:
    """偏热/偏冷 are frequent by construction (|z| > 1 for a third of normal periods): low. 过热/过冷:
    medium, and high for the city's composite index."""
    if not extreme:
        return "low"
    return "high" if (subject_type == "city" and measure == "composite") else "medium"


@register("five_light", AGGREGATE_TYPES, "五色灯景气信号（非绿灯）", "Five-light signal (not green)",
          ("light_method", "light_z_cutoffs", "light_fixed_cutoffs", "light_history_periods",
           "light_min_sigma_pp", "light_composite_green_band"))
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
            "explanation_zh": f"{lab_zh}，{_label(r['subject_type'], 'zh')}{r['subject_name']}{what_zh}"
                              f"亮{r['light']}信号。",
            "explanation_en": f"{lab_en}: {_label(r['subject_type'], 'en')} {r['subject_id']} "
                              f"{what_en} signals {LIGHTS_EN[r['light']]}.",
        })
    return _frame(rows)


# --- anomalies, persistent deviations, turning points -----------------------------------------------

def _relative(ctx: MonitoringContext, st: str) -> np.ndarray:
    """What the anomaly rules watch: the city's own level, and for a part its share of the city.

    Levels are the comparable-enterprise chained index when the context has one (同口径: enterprises
    entering or leaving the directory each January would otherwise look like shocks), else the sums.
    A shock common to the whole city (a published base effect, the Spring Festival) moves every
    part's level but not its share, so parts are flagged only when they behave differently.
    """
    def level(kind: str) -> np.ndarray:
        lv = ctx.series[kind].levels
        return lv.get("value_added_comparable", lv["value_added"])

    def make():
        L = level(st)
        if st == "city":
            return L
        city = level("city")[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(city > 0, L / city, np.nan)
    return _cached(ctx, ("relative", st), make)


def _watched(st: str, lang: str, growth: bool = False) -> str:
    """Name of the watched quantity (see `_relative`)."""
    if st == "city":
        return ("当月同比增速" if growth else "规上工业增加值当期值") if lang == "zh" else \
            ("monthly YoY growth" if growth else "value added")
    return ("占全市比重的当月同比变化" if growth else "规上工业增加值占全市比重") if lang == "zh" else \
        ("YoY change of its share of the city" if growth else "share of the city's value added")


def _anomaly_z(ctx: MonitoringContext, st: str, slot: int, s: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Standardised value at `slot` of every series of a subject type, and the method used:
    robust-STL residual z of the series up to `slot` if long enough, else the robust z of its YoY
    growth against the trailing window. The series of all aggregate types are fitted together, in
    one batched STL, once per slot."""
    min_periods, window = int(s["anomaly_min_periods_stl"]), int(s["anomaly_short_window"])
    floor = float(s["anomaly_min_sigma_pct"])  # % of the level, or pp of YoY growth
    need = min(int(s["anomaly_short_min_points"]), window)

    def make():
        types = _subject_types(ctx, AGGREGATE_TYPES)
        R = np.vstack([_relative(ctx, t)[:, :slot + 1] for t in types])
        z = np.full(len(R), np.nan)
        method = np.full(len(R), "yoy_robust_z", dtype=object)
        has = np.zeros(len(R), dtype=bool)
        if slot + 1 >= min_periods:
            Z = stl_residual_z_rows(R, PERIODS_PER_YEAR, min_scale=floor / 100)
            has = np.isfinite(Z).any(axis=1)
            z[has], method[has] = Z[has, -1], "stl"
        out, at = {}, 0
        for t in types:
            n = len(ctx.series[t].ids)
            zt, mt, ht = z[at:at + n], method[at:at + n], has[at:at + n]
            if not ht.all():  # causal: the trailing z at `slot` is the same on the whole series
                Zy = _yoy_z(ctx, t, window) if (floor == 0 and need == window) else _cached(
                    ctx, ("yoy_z", t, window, floor, need),
                    lambda t=t: trailing_robust_z(_yoy_rel(ctx, t), window, need, min_scale=floor))
                zt[~ht] = Zy[~ht, slot]
            out[t] = (zt, mt)
            at += n
        return out
    return _cached(ctx, ("anomaly_z", slot, min_periods, window, floor, need), make)[st]


def _aggregate_rule_rows(ctx, slot, s, rule, hits, text):
    """Rows for aggregate-series hits [(st, i, severity, evidence)] with Spring-Festival handling."""
    policy = _march_policy(ctx, slot, s)
    if policy == "suppress":
        return empty_warnings()
    y, m = ctx.period(slot)
    rows = []
    for st, i, sev, ev in hits:
        ss = ctx.series[st]
        if policy == "downgrade":
            sev, ev = "low", {**ev, "spring_festival_march": True}
        zh, en = text(st, ss.names[i], ss.ids[i], ev, period_label(y, m, "month", "zh"),
                      period_label(y, m, "month", "en"))
        if policy == "downgrade":
            zh += "（3月受春节错月影响，已降级）"
            en += " (March: Spring Festival timing, downgraded)"
        rows.append({"subject_type": st, "subject_id": ss.ids[i], "subject_name": ss.names[i],
                     "period": _period_text(ctx, slot), "rule": rule, "severity": sev, "evidence": ev,
                     "explanation_zh": zh, "explanation_en": en})
    return _frame(rows)


def _aggregate_severity(st: str) -> str:
    return "high" if st == "city" else "medium"


@register("anomaly", AGGREGATE_TYPES, "异常值（稳健STL残差）", "Outlier (robust STL residual)",
          ("anomaly_min_periods_stl", "anomaly_z", "anomaly_min_sigma_pct", "anomaly_short_window",
           "anomaly_short_min_points", "spring_festival_march"))
def anomaly_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    thr = float(s["anomaly_z"])
    hits = []
    for st in _subject_types(ctx, AGGREGATE_TYPES):
        z, method = _anomaly_z(ctx, st, slot, s)
        with np.errstate(invalid="ignore"):
            flagged = np.nonzero(np.abs(z) >= thr)[0]
        for i in flagged:
            hits.append((st, int(i), _aggregate_severity(st),
                         {"z": _num(z[i]), "threshold": thr, "method": method[i],
                          "direction": "up" if z[i] > 0 else "down"}))

    def text(st, name, sid, ev, lz, le):
        d_zh = "异常偏高" if ev["direction"] == "up" else "异常偏低"
        return (f"{lz}，{_label(st, 'zh')}{name}{_watched(st, 'zh')}{d_zh}（稳健z={ev['z']:.1f}）。",
                f"{le}: {_label(st, 'en')} {sid} {_watched(st, 'en')} is abnormally "
                f"{'high' if ev['direction'] == 'up' else 'low'} (robust z = {ev['z']:.1f}).")
    return _aggregate_rule_rows(ctx, slot, s, "anomaly", hits, text)


def _yoy_z(ctx: MonitoringContext, st: str, window: int) -> np.ndarray:
    """Robust z of single-period YoY growth against its trailing window (causal), subjects × T."""
    def make():
        return trailing_robust_z(_yoy_rel(ctx, st), window)
    return _cached(ctx, ("yoy_z", st, window), make)


def _yoy_rel(ctx: MonitoringContext, st: str) -> np.ndarray:
    return _cached(ctx, ("yoy_rel", st), lambda: yoy_pct(_relative(ctx, st)))


@register("cusum_shift", AGGREGATE_TYPES, "持续偏离（CUSUM）", "Persistent deviation (CUSUM)",
          ("anomaly_short_window", "cusum_k", "cusum_h", "spring_festival_march"))
def cusum_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    """Tabular CUSUM on the YoY growth's robust z (trailing window). STL residuals would not do:
    the STL trend absorbs a level shift within a few periods, while YoY growth keeps it for a year.
    z is clipped at ±H/2 so that one outlier (the `anomaly` rule's job) cannot signal alone: at least
    three deviating periods in a row are needed."""
    k, h, window = float(s["cusum_k"]), float(s["cusum_h"]), int(s["anomaly_short_window"])
    hits = []
    for st in _subject_types(ctx, AGGREGATE_TYPES):
        Z = _yoy_z(ctx, st, window)
        # causal: one pass over every series of the type serves every slot
        hi, lo, sig = _cached(ctx, ("cusum", st, window, k, h), lambda Z=Z: cusum(np.clip(Z, -h / 2, h / 2), k, h))
        for i in np.nonzero(sig[:, slot])[0]:
            hits.append((st, int(i), _aggregate_severity(st),
                         {"direction": "up" if sig[i, slot] > 0 else "down", "s_high": _num(hi[i, slot]),
                          "s_low": _num(lo[i, slot]), "k": k, "h": h, "z": _num(Z[i, slot])}))

    def text(st, name, sid, ev, lz, le):
        d_zh = "持续高于" if ev["direction"] == "up" else "持续低于"
        return (f"{lz}，{_label(st, 'zh')}{name}{_watched(st, 'zh', True)}{d_zh}近期常态（CUSUM越过{ev['h']:g}σ）。",
                f"{le}: {_label(st, 'en')} {sid} {_watched(st, 'en', True)} has stayed "
                f"{'above' if ev['direction'] == 'up' else 'below'} its recent norm (CUSUM beyond {ev['h']:g}σ).")
    return _aggregate_rule_rows(ctx, slot, s, "cusum_shift", hits, text)


@register("change_point", AGGREGATE_TYPES, "增速转折（PELT变点）", "Turning point in growth (PELT)",
          ("change_point_penalty", "change_point_min_size", "change_point_min_points", "change_point_recent",
           "spring_festival_march"))
def change_point_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    c, min_size, recent = float(s["change_point_penalty"]), int(s["change_point_min_size"]), int(s["change_point_recent"])
    need = max(2 * min_size + 1, int(s["change_point_min_points"]))
    todo = []  # (subject type, row, finite slots, values, noise)
    for st in _subject_types(ctx, AGGREGATE_TYPES):
        Y = _yoy_rel(ctx, st)[:, :slot + 1]
        fin = np.isfinite(Y)
        for i in np.nonzero(fin.sum(axis=1) >= need)[0]:
            idx = np.nonzero(fin[i])[0]
            x = Y[i, idx]
            dx = np.diff(x)
            noise = np.median(np.abs(dx - np.median(dx))) * MAD_SCALE / np.sqrt(2)
            if noise > 0:
                todo.append((st, int(i), idx, x, noise))
    found = pelt_l2_many([t[3] for t in todo], [c * t[4] ** 2 * np.log(len(t[3])) for t in todo], min_size)
    hits = []
    for (st, i, idx, x, noise), cps in zip(todo, found):
        if not cps:
            continue
        cp = cps[-1]
        age = len(x) - 1 - cp
        if age >= recent:
            continue
        before = x[(cps[-2] if len(cps) > 1 else 0):cp].mean()
        after = x[cp:].mean()
        cy, cm = ctx.period(int(idx[cp]))
        hits.append((st, i, "low", {"change_at": f"{cy}-{cm:02d}", "mean_before_pct": _num(before),
                                    "mean_after_pct": _num(after), "shift_pp": _num(after - before),
                                    "age_periods": int(age), "noise_pp": _num(noise)}))

    def text(st, name, sid, ev, lz, le):
        d_zh = "加快" if ev["shift_pp"] > 0 else "放缓"
        return (f"{lz}，{_label(st, 'zh')}{name}{_watched(st, 'zh', True)}自{ev['change_at']}起{d_zh}，均值由"
                f"{ev['mean_before_pct']:.1f}%变为{ev['mean_after_pct']:.1f}%。",
                f"{le}: {_label(st, 'en')} {sid} {_watched(st, 'en', True)} shifted at {ev['change_at']}, from "
                f"{ev['mean_before_pct']:.1f}% to {ev['mean_after_pct']:.1f}% on average.")
    return _aggregate_rule_rows(ctx, slot, s, "change_point", hits, text)


# --- districts and industries dragging the total ----------------------------------------------------

@register("drag", PART_TYPES, "拖累全市增长", "Dragging the city's growth", ("drag_pp", "drag_high_pp"))
def drag_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    if slot < PERIODS_PER_YEAR:
        return empty_warnings()
    from zhizao.analytics.monitoring.contributions import contributions  # noqa: PLC0415

    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "ytd", "zh"), period_label(y, m, "ytd", "en")
    rows = []
    for st in _subject_types(ctx, PART_TYPES):
        ss = ctx.series[st]
        Y = _cached(ctx, ("ytd", st), lambda st=st: ytd(_va(ctx, st)))
        c = contributions(Y[:, slot], Y[:, slot - PERIODS_PER_YEAR])
        for i in np.nonzero(c["pull_pp"] <= float(s["drag_pp"]))[0]:
            pull, g = c["pull_pp"][i], c["growth_pct"][i]
            sev = "high" if pull <= float(s["drag_high_pp"]) else "medium"
            g_txt_zh = f"累计增长{g:.1f}%，" if np.isfinite(g) else ""
            g_txt_en = f"grew {g:.1f}% year to date and " if np.isfinite(g) else ""
            rows.append({
                "subject_type": st, "subject_id": ss.ids[i], "subject_name": ss.names[i],
                "period": _period_text(ctx, slot), "rule": "drag", "severity": sev,
                "evidence": {"pull_pp": _num(pull), "growth_pct": _num(g),
                             "contribution_pct": _num(c["contribution_pct"][i]),
                             "share_prev_pct": _num(c["share_prev_pct"][i]), "threshold_pp": float(s["drag_pp"])},
                "explanation_zh": f"{lz}，{_label(st, 'zh')}{ss.names[i]}规上工业增加值{g_txt_zh}"
                                  f"拉动全市增长{pull:.2f}个百分点，拖累全市。",
                "explanation_en": f"{le}: {_label(st, 'en')} {ss.ids[i]} {g_txt_en}pulled the city's "
                                  f"growth by {pull:.2f} pp (a drag).",
            })
    return _frame(rows)


# --- enterprise distress ----------------------------------------------------------------------------

def _enterprise_rows(ctx, slot, rule, idx, evidence, zh, en) -> pd.DataFrame:
    """Rows for enterprise hits; severity from the enterprise's share of the city a year earlier."""
    if not len(idx):
        return empty_warnings()
    p = ctx.panel
    ent = p.enterprises
    codes = ent["credit_code"].to_numpy()[idx] if "credit_code" in ent else ent["enterprise_id"].astype(str).to_numpy()[idx]
    names = ent["name"].to_numpy()[idx] if "name" in ent else codes
    sev = evidence.pop("_severity")
    period = _period_text(ctx, slot)
    rows = []
    for j, i in enumerate(idx):
        ev = {k: (_num(v[j]) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else
                  (v[j].item() if isinstance(v, np.ndarray) else v)) for k, v in evidence.items()}
        rows.append({"subject_type": "enterprise", "subject_id": str(codes[j]), "subject_name": str(names[j]),
                     "period": period, "rule": rule, "severity": sev[j], "evidence": ev,
                     "explanation_zh": zh(names[j], ev), "explanation_en": en(codes[j], ev)})
    return _frame(rows)


def _enterprise_severity(ctx: MonitoringContext, idx: np.ndarray, slot: int, s: Settings) -> np.ndarray:
    p = ctx.panel
    base_slot = slot - PERIODS_PER_YEAR if slot >= PERIODS_PER_YEAR else slot
    total = np.nansum(p.values["value_added"][:, base_slot])
    base = p.values["value_added"][idx, base_slot]
    share = base / total * 100 if total > 0 else np.zeros(len(idx))
    return np.where(share >= float(s["enterprise_high_share_pct"]), "high",
                    np.where(share >= float(s["enterprise_medium_share_pct"]), "medium", "low"))


def _enterprise_yoy(ctx: MonitoringContext, measure: str, slot: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(current, previous-year, growth %) at slot; growth NaN unless both periods were reported."""
    p = ctx.panel
    A = p.values[measure]
    cur, prev = A[:, slot], A[:, slot - PERIODS_PER_YEAR]
    ok = p.reported[:, slot] & p.reported[:, slot - PERIODS_PER_YEAR] & (prev > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(ok, (cur / prev - 1) * 100, np.nan)
    return cur, prev, g


def _has_panel(ctx: MonitoringContext, slot: int) -> bool:
    return ctx.panel is not None and slot >= PERIODS_PER_YEAR


@register("enterprise_sharp_fall", ("enterprise",), "企业增加值大幅下滑", "Enterprise: sharp fall",
          ("enterprise_sharp_fall_pct", "enterprise_high_share_pct", "enterprise_medium_share_pct"))
def sharp_fall_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    if not _has_panel(ctx, slot):
        return empty_warnings()
    cur, prev, g = _enterprise_yoy(ctx, "value_added", slot)
    idx = np.nonzero(g <= float(s["enterprise_sharp_fall_pct"]))[0]
    ev = {"growth_pct": g[idx], "value": cur[idx], "value_prev": prev[idx],
          "threshold_pct": float(s["enterprise_sharp_fall_pct"]), "_severity": _enterprise_severity(ctx, idx, slot, s)}
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    return _enterprise_rows(ctx, slot, "enterprise_sharp_fall", idx, ev,
                            lambda n, e: f"{lz}，{n}增加值同比{e['growth_pct']:.1f}%，大幅下滑。",
                            lambda c, e: f"{le}: enterprise {c} value added changed {e['growth_pct']:.1f}% YoY (sharp fall).")


@register("enterprise_consecutive_decline", ("enterprise",), "企业连续下滑", "Enterprise: consecutive declines",
          ("enterprise_decline_periods", "enterprise_decline_pct", "enterprise_high_share_pct",
           "enterprise_medium_share_pct"))
def consecutive_decline_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    need = int(s["enterprise_decline_periods"])
    if not _has_panel(ctx, slot) or slot - need + 1 < PERIODS_PER_YEAR:
        return empty_warnings()
    thr = float(s["enterprise_decline_pct"])
    run = np.zeros(ctx.panel.n, dtype=np.int64)
    alive = np.ones(ctx.panel.n, dtype=bool)
    # Run length of qualifying declines ending at `slot`, looked back at most one year.
    for t in range(slot, max(PERIODS_PER_YEAR - 1, slot - PERIODS_PER_YEAR), -1):
        _, _, g = _enterprise_yoy(ctx, "value_added", t)
        alive &= g < thr
        run += alive
        if not alive.any():
            break
    idx = np.nonzero(run >= need)[0]
    _, _, g_now = _enterprise_yoy(ctx, "value_added", slot)
    ev = {"periods": run[idx], "growth_pct": g_now[idx], "threshold_pct": thr, "min_periods": need,
          "_severity": _enterprise_severity(ctx, idx, slot, s)}
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    return _enterprise_rows(ctx, slot, "enterprise_consecutive_decline", idx, ev,
                            lambda n, e: f"{lz}，{n}增加值已连续{e['periods']}期同比下降（本期{e['growth_pct']:.1f}%）。",
                            lambda c, e: f"{le}: enterprise {c} value added has fallen YoY for {e['periods']} "
                                         f"periods in a row ({e['growth_pct']:.1f}% now).")


@register("enterprise_stopped_reporting", ("enterprise",), "企业停报或停产", "Enterprise: stopped reporting",
          ("enterprise_stopped_periods", "enterprise_high_share_pct", "enterprise_medium_share_pct"))
def stopped_reporting_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    if ctx.panel is None:
        return empty_warnings()
    k = int(s["enterprise_stopped_periods"])
    p = ctx.panel
    year_start = slot - (slot % PERIODS_PER_YEAR)
    last_ok = slot - k  # the period just before the gap must be in this year and reported
    if last_ok < year_start:
        return empty_warnings()
    A = p.values["value_added"]
    silent = np.ones(p.n, dtype=bool)
    for t in range(last_ok + 1, slot + 1):
        silent &= ~p.reported[:, t] | (A[:, t] <= 0)
    idx = np.nonzero(silent & p.reported[:, last_ok] & (A[:, last_ok] > 0))[0]
    ly, lm = ctx.period(last_ok)
    ev = {"last_reported": f"{ly}-{lm:02d}", "last_value": A[idx, last_ok], "periods_silent": k,
          "_severity": _enterprise_severity(ctx, idx, slot, s)}
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    return _enterprise_rows(ctx, slot, "enterprise_stopped_reporting", idx, ev,
                            lambda n, e: f"{lz}，{n}未报送数据或产出为零（上次报送{e['last_reported']}）。",
                            lambda c, e: f"{le}: enterprise {c} did not report or reported zero "
                                         f"(last report {e['last_reported']}).")


@register("enterprise_output_power_divergence", ("enterprise",), "企业产值与用电量背离",
          "Enterprise: output–electricity divergence",
          ("enterprise_divergence_pp", "enterprise_high_share_pct", "enterprise_medium_share_pct"))
def divergence_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    if not _has_panel(ctx, slot) or "electricity" not in ctx.panel.values or "output" not in ctx.panel.values:
        return empty_warnings()
    _, _, g_out = _enterprise_yoy(ctx, "output", slot)
    _, _, g_el = _enterprise_yoy(ctx, "electricity", slot)
    gap = g_out - g_el
    idx = np.nonzero(np.abs(gap) >= float(s["enterprise_divergence_pp"]))[0]
    ev = {"output_growth_pct": g_out[idx], "electricity_growth_pct": g_el[idx], "gap_pp": gap[idx],
          "threshold_pp": float(s["enterprise_divergence_pp"]), "_severity": _enterprise_severity(ctx, idx, slot, s)}
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    return _enterprise_rows(ctx, slot, "enterprise_output_power_divergence", idx, ev,
                            lambda n, e: f"{lz}，{n}产值同比{e['output_growth_pct']:.1f}%而用电量同比"
                                         f"{e['electricity_growth_pct']:.1f}%，相差{abs(e['gap_pp']):.1f}个百分点，需核实。",
                            lambda c, e: f"{le}: enterprise {c} output changed {e['output_growth_pct']:.1f}% YoY "
                                         f"but electricity use {e['electricity_growth_pct']:.1f}% — check the data.")
