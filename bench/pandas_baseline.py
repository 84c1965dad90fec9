"""The monitoring refresh written plainly in pandas: the bench's baseline.

Same inputs and outputs as zhizao.analytics.monitoring.refresh.refresh, computed the way an analyst
would in a notebook: merges for dimensions and deflators, group-bys for aggregates, a self-merge
for year-on-year, group-wise cumulative products for runs. The aggregate-series rules (five
lights, STL, CUSUM, PELT, target gap, drag) run on ~80 small series and reuse zhizao's code on a
context built from the pandas aggregates, so the comparison isolates the enterprise-scale work.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.context import context_from_levels
from zhizao.analytics.monitoring.contributions import contribution_table
from zhizao.analytics.monitoring.growth import add_growth
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.warnings import RULES, WARNING_COLUMNS, lights
from zhizao.settings import Settings

GROUPS = ("district", "zone", "industry", "cluster")
AGGREGATE_RULES = ("target_gap", "five_light", "anomaly", "cusum_shift", "change_point", "drag")


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
    for name in AGGREGATE_RULES:
        frames.append(RULES[name](ctx, p, s))
        step(name)

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
