"""The monitoring refresh written plainly in pandas: the bench's baseline.

Same inputs and outputs as zhizao.analytics.monitoring.refresh.refresh, computed the way an analyst
would in a notebook: merges for dimensions and deflators, group-bys for aggregates, a self-merge
for year-on-year, group-wise cumulative products for runs. The anomaly, CUSUM and change-point
rules loop over the ~80 aggregate series one at a time, as an analyst would and as zhizao itself did
before it batched them: statsmodels' robust STL per series, a window-by-window robust z, a plain
CUSUM loop and a plain pruned PELT (ruptures is not a dependency). The cheap aggregate signals (five lights, target gap, drag) reuse zhizao's code on a
context built from the pandas aggregates.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL  # imported here so that the import is not timed

from zhizao.analytics.monitoring.context import context_from_levels, subject_name
from zhizao.analytics.monitoring.contributions import contribution_table
from zhizao.analytics.monitoring.growth import add_growth
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.warnings import RULES, WARNING_COLUMNS, WARNING_RULES, lights
from zhizao.settings import Settings

GROUPS = ("district", "zone", "industry", "cluster")
SHARED_RULES = ("target_gap", "five_light", "drag")  # cheap signals: zhizao's code on the pandas aggregates
MAD = 1.4826


# --- the aggregate-series detectors, one series at a time ---------------------------------------------

def _stl_z_last(x: np.ndarray, floor: float) -> float:
    """Robust z of the last robust-STL residual (statsmodels, seasonal 7) of log levels, the scale
    floored at `floor`; NaN when the series is not positive and finite or too short."""
    if not (np.isfinite(x).all() and (x > 0).all()) or len(x) < 23:
        return np.nan
    r = STL(np.log(x), period=11, seasonal=7, robust=True).fit().resid
    med = np.median(r)
    mad = max(np.median(np.abs(r - med)) * MAD, floor)
    return (r[-1] - med) / mad if mad > 0 else np.nan


def _trailing_z(g: pd.Series, window: int, need: int | None = None, floor: float = 0.0) -> pd.Series:
    """Robust z of each value against the (up to) `window` values before it, window by window; at
    least `need` (default: window) finite past values; scale floored at `floor`."""
    x = g.to_numpy()
    out = np.full(len(x), np.nan)
    need = max(3, window if need is None else need)
    for t in range(1, len(x)):
        past = x[max(0, t - window):t]
        past = past[np.isfinite(past)]
        if len(past) < need or not np.isfinite(x[t]):
            continue
        med = np.median(past)
        mad = max(np.median(np.abs(past - med)) * MAD, floor)
        if mad > 0:
            out[t] = (x[t] - med) / mad
    return pd.Series(out, index=g.index)


def _cusum_signals(z: np.ndarray, k: float, h: float):
    sh = sl = 0.0
    hi, lo, sig = np.zeros(len(z)), np.zeros(len(z)), np.zeros(len(z), dtype=int)
    for t, v in enumerate(z):
        if np.isfinite(v):
            sh = max(0.0, v - k + sh)
            sl = max(0.0, -k - v + sl)
        hi[t], lo[t] = sh, sl
        if np.isfinite(v) and sh > h:
            sig[t], sh, sl = 1, 0.0, 0.0
        elif np.isfinite(v) and sl > h:
            sig[t], sh, sl = -1, 0.0, 0.0
    return hi, lo, sig


def _pelt(x: np.ndarray, penalty: float, min_size: int) -> list[int]:
    n = len(x)
    if n < 2 * min_size:
        return []
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def cost(a, b):
        return s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / (b - a)

    F = np.full(n + 1, np.inf)
    F[0] = -penalty
    last = np.zeros(n + 1, dtype=int)
    cands = [0]
    for t in range(min_size, n + 1):
        vals = [(F[a] + cost(a, t) + penalty, a) for a in cands if t - a >= min_size]
        if vals:
            F[t], last[t] = min(vals)
        cands = [a for a in cands if t - a < min_size or F[a] + cost(a, t) <= F[t]]
        if np.isfinite(F[t]):
            cands.append(t)
    cps, t = [], n
    while t > 0:
        if last[t] > 0:
            cps.append(int(last[t]))
        t = last[t]
    return sorted(cps)


def detection_rules(levels: pd.DataFrame, y0: int, y: int, m: int, s: Settings, step) -> list[pd.DataFrame]:
    """anomaly, cusum_shift and change_point, series by series. Watched: the city's comparable
    index, and each part's share of it (see zhizao.analytics.monitoring.warnings._relative)."""
    p = (y - y0) * 11 + m - 2
    lv = levels.assign(slot=(levels["year"].astype(int) - y0) * 11 + levels["month"].astype(int) - 2)
    lv = lv[lv["slot"] <= p]
    col = "value_added_comparable" if "value_added_comparable" in lv else "value_added"
    wide = lv.set_index(["subject_type", "subject_id", "slot"])[col].unstack("slot").reindex(columns=range(p + 1))
    city = wide.loc["city"].iloc[0]
    period = f"{y}-{m:02d}"
    march = m == 3 and s["spring_festival_march"] in ("downgrade", "suppress")
    k, h, window = float(s["cusum_k"]), float(s["cusum_h"]), int(s["anomaly_short_window"])
    c, min_size, recent = float(s["change_point_penalty"]), int(s["change_point_min_size"]), int(s["change_point_recent"])
    found = {"anomaly": [], "cusum_shift": [], "change_point": []}
    series = {}
    for (st, sid), row in wide.iterrows():
        x = row if st == "city" else (row / city).where(city > 0)
        prev = x.shift(11)
        g = ((x / prev - 1.0) * 100.0).where(prev > 0)
        series[(st, sid)] = (x, g, _trailing_z(g, window))
    floor = float(s["anomaly_min_sigma_pct"])
    need = min(int(s["anomaly_short_min_points"]), window)
    for (st, sid), (x, g, z) in series.items():
        sev = "high" if st == "city" else "medium"
        zz = _stl_z_last(x.to_numpy(), floor / 100) if p + 1 >= int(s["anomaly_min_periods_stl"]) else np.nan
        method = "stl"
        if not np.isfinite(zz):
            zz, method = _trailing_z(g, window, need, floor).iloc[-1], "yoy_robust_z"
        if np.isfinite(zz) and abs(zz) >= float(s["anomaly_z"]):
            found["anomaly"].append((st, sid, sev, {"z": round(float(zz), 4), "method": method}))
    step("anomaly")
    for (st, sid), (x, g, z) in series.items():
        hi, lo, sig = _cusum_signals(z.clip(-h / 2, h / 2).to_numpy(), k, h)
        if sig[-1]:
            found["cusum_shift"].append((st, sid, "high" if st == "city" else "medium",
                                         {"direction": "up" if sig[-1] > 0 else "down", "s_high": hi[-1], "s_low": lo[-1]}))
    step("cusum_shift")
    for (st, sid), (x, g, z) in series.items():
        gf = g.dropna()
        if len(gf) < max(2 * min_size + 1, int(s["change_point_min_points"])):
            continue
        v = gf.to_numpy()
        d = np.diff(v)
        noise = np.median(np.abs(d - np.median(d))) * MAD / np.sqrt(2)
        if not noise > 0:
            continue
        cps = _pelt(v, c * noise ** 2 * np.log(len(v)), min_size)
        if cps and len(v) - 1 - cps[-1] < recent:
            cp = cps[-1]
            before, after = v[(cps[-2] if len(cps) > 1 else 0):cp].mean(), v[cp:].mean()
            found["change_point"].append((st, sid, "low", {"change_at": int(gf.index[cp]), "shift_pp": after - before}))
    step("change_point")
    frames = []
    for rule, hits in found.items():
        if march and s["spring_festival_march"] == "suppress":
            hits = []
        frames.append(pd.DataFrame([{
            "subject_type": st, "subject_id": sid, "subject_name": subject_name(st, sid), "period": period,
            "rule": rule, "severity": "low" if march else sev, "evidence": ev,
            "explanation_zh": f"{period}，{subject_name(st, sid)}：{RULES[rule].title_zh}",
            "explanation_en": f"{period}: {st} {sid}: {RULES[rule].title_en}"}
            for st, sid, sev, ev in hits], columns=WARNING_COLUMNS))
    return frames


def _chain(levels: np.ndarray, num: pd.Series, den: pd.Series, slots: np.ndarray | None = None) -> np.ndarray:
    """I_t = I_(t−11) · num_t / den_t from the first year's levels (slots: the rows' periods)."""
    slots = np.arange(len(levels)) if slots is None else slots
    pos = {int(t): i for i, t in enumerate(slots)}
    out = np.full(len(levels), np.nan)
    for i, t in enumerate(slots):
        if t < 11:
            out[i] = levels[i]
        elif t - 11 in pos and den.get(t, 0) > 0:
            out[i] = out[pos[t - 11]] * num.get(t, 0.0) / den[t]
    return out


def refresh_pandas(enterprises: pd.DataFrame, monthly: pd.DataFrame, prices: pd.DataFrame, period=None,
                   settings: Settings | None = None, progress: Callable[[str], None] | None = None) -> dict:
    s = settings or Settings()
    step = progress or (lambda name: None)
    dims = enterprises[["enterprise_id", *GROUPS]]
    df = monthly.merge(dims, on="enterprise_id", how="left")
    if (df["month"] == 1).any():
        df["month"] = df["month"].clip(lower=2)
        df = df.groupby(["enterprise_id", "year", "month", *GROUPS], as_index=False).sum()
    df = df.merge(prices[["industry", "year", "month", "deflator"]], on=["industry", "year", "month"], how="left")
    df["deflator"] = df["deflator"].fillna(1.0)
    df["va_real"] = df["value_added"] / df["deflator"]
    df["output_real"] = df["output"] / df["deflator"]
    y0 = int(df["year"].min())
    df["slot"] = (df["year"].astype(int) - y0) * 11 + df["month"].astype(int) - 2
    step("panel")

    # Year-on-year pairs for the whole panel by a self-merge (used by the comparable index and the
    # enterprise rules)
    cols = ["enterprise_id", "slot", "va_real", "output_real", "electricity"]
    last = df[cols].copy()
    last["slot"] = last["slot"] + 11
    yo = df[cols + list(GROUPS)].merge(last, on=["enterprise_id", "slot"], how="left", suffixes=("", "_prev"))

    # Aggregates, and the comparable-enterprise (同口径) chained index the anomaly rules watch
    both = yo[yo["va_real_prev"] > 0]
    city = df.groupby(["year", "month"], as_index=False)[["va_real", "output_real", "revenue", "profit", "electricity"]].sum()
    city = city.rename(columns={"va_real": "value_added", "output_real": "output"})
    city["subject_type"], city["subject_id"] = "city", "500000"
    num = both.groupby("slot")["va_real"].sum()
    den = both.groupby("slot")["va_real_prev"].sum()
    city["value_added_comparable"] = _chain(city["value_added"].to_numpy(), num, den)
    parts = [city]
    for g in GROUPS:
        a = df.groupby([g, "year", "month"], as_index=False)["va_real"].sum()
        a["slot"] = (a["year"].astype(int) - y0) * 11 + a["month"].astype(int) - 2
        nums = both.groupby([g, "slot"])["va_real"].sum()
        dens = both.groupby([g, "slot"])["va_real_prev"].sum()
        comp = []
        for key, grp in a.sort_values("slot").groupby(g):
            grp = grp.copy()
            grp["value_added_comparable"] = _chain(grp["va_real"].to_numpy(), nums.get(key, pd.Series(dtype=float)),
                                                   dens.get(key, pd.Series(dtype=float)), grp["slot"].to_numpy())
            comp.append(grp)
        a = pd.concat(comp).drop(columns="slot")
        parts.append(a.rename(columns={g: "subject_id", "va_real": "value_added"}).assign(subject_type=g))
    levels = pd.concat(parts, ignore_index=True)
    ctx = context_from_levels(levels, {"value_added": "constant", "output": "constant"})
    if period is None:
        y, m = ctx.period(ctx.latest)
    else:
        y, m = period
    p = int((y - y0) * 11 + m - 2)
    growth = add_growth(levels[["subject_type", "subject_id", "year", "month", "value_added"]],
                        value="value_added", by=["subject_type", "subject_id"])
    growth_now = growth[(growth["year"] == y) & (growth["month"] == m)]
    step("growth")

    # Contributions of parts (YTD) and of enterprises
    g_parts = growth_now[growth_now["subject_type"] != "city"].rename(columns={"ytd": "cur", "ytd_prev": "prev"})
    contrib = contribution_table(g_parts, "subject_id", by=["subject_type"])
    cur = df[(df["year"] == y) & (df["month"] <= m)].groupby("enterprise_id")["va_real"].sum()
    prev = df[(df["year"] == y - 1) & (df["month"] <= m)].groupby("enterprise_id")["va_real"].sum()
    ent = pd.concat([cur.rename("cur"), prev.rename("prev")], axis=1).fillna(0.0)
    ent["delta"] = ent["cur"] - ent["prev"]
    ent["pull_pp"] = ent["delta"] / ent["prev"].sum() * 100
    ent["contribution_pct"] = ent["delta"] / ent["delta"].sum() * 100
    ent["growth_pct"] = np.where(ent["prev"] > 0, (ent["cur"] / ent["prev"] - 1) * 100, np.nan)
    step("contributions")
    lt = lights(ctx, p, s)
    step("lights")

    frames = []
    for name in [r for r in SHARED_RULES[:2] if r in WARNING_RULES]:  # as zhizao: five_light is a status (in lt)
        frames.append(RULES[name](ctx, p, s))
        step(name)
    frames += detection_rules(levels, y0, y, m, s, step)
    frames.append(RULES["drag"](ctx, p, s))
    step("drag")

    # Enterprise rules
    for a, b in (("g_va", "va_real"), ("g_out", "output_real"), ("g_el", "electricity")):
        yo[a] = np.where(yo[b + "_prev"] > 0, (yo[b] / yo[b + "_prev"] - 1) * 100, np.nan)
    names = enterprises.set_index("enterprise_id")[["credit_code", "name"]]
    base_total = df.loc[df["slot"] == p - 11, "va_real"].sum()
    base = df[df["slot"] == p - 11].set_index("enterprise_id")["va_real"]
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    now = yo[yo["slot"] == p]

    def rows(rule: str, hits: pd.DataFrame, ev_cols: list[str], zh, en) -> pd.DataFrame:
        if hits.empty:
            return pd.DataFrame(columns=WARNING_COLUMNS)
        h = hits.join(names, on="enterprise_id")
        share = h["enterprise_id"].map(base).fillna(0.0) / base_total * 100
        sev = np.where(share >= float(s["enterprise_high_share_pct"]), "high",
                       np.where(share >= float(s["enterprise_medium_share_pct"]), "medium", "low"))
        evs = [{c: (round(float(r[c]), 4) if isinstance(r[c], (float, np.floating)) else r[c]) for c in ev_cols}
               for r in h[ev_cols].to_dict("records")]
        return pd.DataFrame({"subject_type": "enterprise", "subject_id": h["credit_code"].to_numpy(),
                             "subject_name": h["name"].to_numpy(), "period": f"{y}-{m:02d}", "rule": rule,
                             "severity": sev, "evidence": evs,
                             "explanation_zh": [zh(n, e) for n, e in zip(h["name"], evs)],
                             "explanation_en": [en(c, e) for c, e in zip(h["credit_code"], evs)]})

    thr = float(s["enterprise_sharp_fall_pct"])
    sharp = now[now["g_va"] <= thr].rename(columns={"g_va": "growth_pct"})
    frames.append(rows("enterprise_sharp_fall", sharp, ["growth_pct"],
                       lambda n, e: f"{lz}，{n}增加值同比{e['growth_pct']:.1f}%，大幅下滑。",
                       lambda c, e: f"{le}: enterprise {c} value added changed {e['growth_pct']:.1f}% YoY (sharp fall)."))
    step("enterprise_sharp_fall")

    need, dthr = int(s["enterprise_decline_periods"]), float(s["enterprise_decline_pct"])
    w = yo[(yo["slot"] <= p) & (yo["slot"] > max(p - 11, 10))].sort_values(["enterprise_id", "slot"], ascending=[True, False])
    w["k"] = w.groupby("enterprise_id").cumcount()
    w["ok"] = ((w["g_va"] < dthr) & (w["slot"] == p - w["k"])).astype(int)
    run = w.groupby("enterprise_id")["ok"].cumprod().groupby(w["enterprise_id"]).sum()
    dec = now.set_index("enterprise_id").join(run.rename("periods"), how="inner")
    dec = dec[dec["periods"] >= need].reset_index().rename(columns={"g_va": "growth_pct"})
    frames.append(rows("enterprise_consecutive_decline", dec, ["periods", "growth_pct"],
                       lambda n, e: f"{lz}，{n}增加值已连续{e['periods']}期同比下降（本期{e['growth_pct']:.1f}%）。",
                       lambda c, e: f"{le}: enterprise {c} value added has fallen YoY for {e['periods']} periods in a row."))
    step("enterprise_consecutive_decline")

    k = int(s["enterprise_stopped_periods"])
    stop = pd.DataFrame(columns=["enterprise_id"])
    if p - k >= p - p % 11:
        before = set(df.loc[(df["slot"] == p - k) & (df["va_real"] > 0), "enterprise_id"])
        after = set(df.loc[(df["slot"] > p - k) & (df["slot"] <= p) & (df["va_real"] > 0), "enterprise_id"])
        stop = pd.DataFrame({"enterprise_id": sorted(before - after)})
    frames.append(rows("enterprise_stopped_reporting", stop, [],
                       lambda n, e: f"{lz}，{n}未报送数据或产出为零。", lambda c, e: f"{le}: enterprise {c} stopped reporting."))
    step("enterprise_stopped_reporting")

    gap = (now["g_out"] - now["g_el"])
    div = now[gap.abs() >= float(s["enterprise_divergence_pp"])].assign(gap_pp=gap)
    frames.append(rows("enterprise_output_power_divergence", div, ["g_out", "g_el", "gap_pp"],
                       lambda n, e: f"{lz}，{n}产值与用电量增速相差{abs(e['gap_pp']):.1f}个百分点。",
                       lambda c, e: f"{le}: enterprise {c} output and electricity diverge by {abs(e['gap_pp']):.1f} pp."))
    step("enterprise_output_power_divergence")

    frames = [f for f in frames if len(f)]
    warnings = pd.concat(frames, ignore_index=True)[WARNING_COLUMNS]
    return {"period": (y, m), "growth": growth_now, "contributions": contrib, "enterprises": ent,
            "lights": lt, "warnings": warnings}
