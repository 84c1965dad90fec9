"""Rules on the aggregate series: outliers, persistent deviations, turning points, and the parts
(districts, industries …) dragging the city's growth."""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting
from zhizao.analytics.monitoring.anomaly import (MAD_SCALE, cusum, pelt_l2_many, stl_residual_z_rows,
                                                 trailing_robust_z)
from zhizao.analytics.monitoring.context import MonitoringContext
from zhizao.analytics.monitoring.contributions import contributions
from zhizao.analytics.monitoring.panel import PERIODS_PER_YEAR, yoy_pct, ytd
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.warning_table import (AGGREGATE_TYPES, PART_TYPES, _cached, _frame, _who,
                                                       _march_policy, _num, _period_text, _subject_types, _va,
                                                       empty_warnings, register)
from zhizao.codes.industries import CLUSTERS
from zhizao.settings import Settings

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


def _name_en(ss, i: int) -> str:
    """The subject's English name for explanation_en (its code where there is none)."""
    return ss.names_en[i] if ss.names_en else ss.ids[i]


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
        zh, en = text(st, ss.names[i], _name_en(ss, i), ev, period_label(y, m, "month", "zh"),
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
        return (f"{lz}，{_who(st, name, 'zh')}{_watched(st, 'zh')}{d_zh}（稳健z={formatting.number(ev['z'], 1)}）。",
                f"{le}: {_who(st, sid, 'en')} {_watched(st, 'en')} is abnormally "
                f"{'high' if ev['direction'] == 'up' else 'low'} (robust z = {formatting.number(ev['z'], 1)}).")
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
        return (f"{lz}，{_who(st, name, 'zh')}{_watched(st, 'zh', True)}{d_zh}近期常态（CUSUM越过{formatting.number(ev['h'])}σ）。",
                f"{le}: {_who(st, sid, 'en')} {_watched(st, 'en', True)} has stayed "
                f"{'above' if ev['direction'] == 'up' else 'below'} its recent norm (CUSUM beyond {formatting.number(ev['h'])}σ).")
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
        return (f"{lz}，{_who(st, name, 'zh')}{_watched(st, 'zh', True)}自{ev['change_at']}起{d_zh}，均值由"
                f"{formatting.percent(ev['mean_before_pct'])}变为{formatting.percent(ev['mean_after_pct'])}。",
                f"{le}: {_who(st, sid, 'en')} {_watched(st, 'en', True)} shifted at {ev['change_at']}, from "
                f"{formatting.percent(ev['mean_before_pct'])} to {formatting.percent(ev['mean_after_pct'])} on average.")
    return _aggregate_rule_rows(ctx, slot, s, "change_point", hits, text)


# --- districts and industries dragging the total ----------------------------------------------------

def single_industry_clusters(ctx: MonitoringContext) -> dict[str, str]:
    """Cluster id → its one industry, for the clusters that consist of a single industry: from the
    enterprises' own industry and cluster when the context has them, else the division lists of
    zhizao.codes.industries. Such a cluster's series is the industry's: one fact, not two."""
    def make():
        ent = ctx.panel.enterprises if ctx.panel is not None else None
        g = ctx.groups
        if g is not None and {"industry", "cluster"} <= set(g.codes):  # from the group codes: no string pass
            ci, ii = g.codes["cluster"], g.codes["industry"]
            ok = (ci >= 0) & (ii >= 0)
            clusters, industries = g.spans["cluster"][2], g.spans["industry"][2]
            seen = np.zeros((len(clusters), len(industries)), dtype=bool)
            seen[ci[ok], ii[ok]] = True
            one = np.nonzero(seen.sum(axis=1) == 1)[0]
            return {clusters[c]: industries[int(seen[c].argmax())] for c in one}
        if ent is not None and {"industry", "cluster"} <= set(ent.columns):
            pairs = pd.DataFrame({"c": ent["cluster"].astype(str), "i": ent["industry"].astype(str)}).drop_duplicates()
            one = pairs.drop_duplicates("c", keep=False)  # a cluster with exactly one industry among its members
            return dict(zip(one["c"], one["i"]))
        return {c: divs[0] for c, (_, _, divs) in CLUSTERS.items() if len(divs) == 1}
    return _cached(ctx, ("single_industry_clusters",), make)


@register("drag", PART_TYPES, "拖累全市增长", "Dragging the city's growth", ("drag_pp", "drag_high_pp"))
def drag_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    """A part whose pull on the city's YTD growth is at or below drag_pp. A cluster made of one
    industry that also drags is not listed again: the industry's warning names the cluster."""
    if slot < PERIODS_PER_YEAR:
        return empty_warnings()
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "ytd", "zh"), period_label(y, m, "ytd", "en")
    rows, names_en = [], {}
    for st in _subject_types(ctx, PART_TYPES):
        ss = ctx.series[st]
        Y = _cached(ctx, ("ytd", st), lambda st=st: ytd(_va(ctx, st)))
        c = contributions(Y[:, slot], Y[:, slot - PERIODS_PER_YEAR])
        for i in np.nonzero(c["pull_pp"] <= float(s["drag_pp"]))[0]:
            pull, g = c["pull_pp"][i], c["growth_pct"][i]
            sev = "high" if pull <= float(s["drag_high_pp"]) else "medium"
            g_txt_zh = f"累计增长{formatting.percent(g)}，" if np.isfinite(g) else ""
            g_txt_en = f"grew {formatting.percent(g)} year to date and " if np.isfinite(g) else ""
            names_en[(st, ss.ids[i])] = _name_en(ss, i)
            rows.append({
                "subject_type": st, "subject_id": ss.ids[i], "subject_name": ss.names[i],
                "period": _period_text(ctx, slot), "rule": "drag", "severity": sev,
                "evidence": {"pull_pp": _num(pull), "growth_pct": _num(g),
                             "contribution_pct": _num(c["contribution_pct"][i]),
                             "share_prev_pct": _num(c["share_prev_pct"][i]), "threshold_pp": float(s["drag_pp"])},
                "explanation_zh": f"{lz}，{_who(st, ss.names[i], 'zh')}规上工业增加值{g_txt_zh}"
                                  f"拉动全市增长{formatting.points(pull, 'zh', 2, signed=False)}，拖累全市。",
                "explanation_en": f"{le}: {_who(st, _name_en(ss, i), 'en')} {g_txt_en}pulled the city's "
                                  f"growth by {formatting.points(pull, 'en', 2, signed=False)} (a drag).",
            })
    if "cluster" in ctx.series and "industry" in ctx.series:
        at = {(r["subject_type"], r["subject_id"]): r for r in rows}
        for cid, ind in single_industry_clusters(ctx).items():
            cl, it = at.get(("cluster", cid)), at.get(("industry", ind))
            if cl is None or it is None:
                continue
            rows.remove(cl)
            it["evidence"]["same_as_cluster"] = cid
            it["explanation_zh"] += f"{_who('cluster', cl['subject_name'], 'zh')}仅由该行业构成，同一下滑不另列预警。"
            it["explanation_en"] += (f" The {names_en[('cluster', cid)]} cluster consists of this industry alone: "
                                     "the same decline, not listed again.")
    return _frame(rows)
