"""Rules on enterprises: sharp falls, consecutive declines, stopped reporting, output–electricity
divergence; severity from the enterprise's share of the city."""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting
from zhizao.analytics.monitoring.context import MonitoringContext
from zhizao.analytics.monitoring.panel import PERIODS_PER_YEAR
from zhizao.analytics.monitoring.periods import period_label
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS, _cached, _period_text, empty_warnings, register
from zhizao.settings import Settings

# --- enterprise distress ----------------------------------------------------------------------------

def _enterprise_rows(ctx, slot, rule, idx, evidence, zh, en) -> pd.DataFrame:
    """Rows for enterprise hits; severity from the enterprise's share of the city a year earlier."""
    if not len(idx):
        return empty_warnings()
    p = ctx.panel
    ent = p.enterprises
    # only the hit rows of the two columns leave the (Arrow-backed) frame
    codes = (ent["credit_code"] if "credit_code" in ent else ent["enterprise_id"].astype(str)).iloc[idx].to_numpy()
    names = ent["name"].iloc[idx].to_numpy() if "name" in ent else codes
    sev = evidence.pop("_severity")
    k = len(idx)
    # column by column (thousands of hits at national scale): each evidence array converted once
    cols = {key: (_nums(v) if v.dtype.kind == "f" else v.tolist())
            if isinstance(v, np.ndarray) else [v] * k for key, v in evidence.items()}
    evs = [dict(zip(cols, vals)) for vals in zip(*cols.values())] if cols else [{} for _ in range(k)]
    codes, names = [str(c) for c in codes], [str(n) for n in names]
    return pd.DataFrame({
        "subject_type": "enterprise", "subject_id": codes, "subject_name": names,
        "period": _period_text(ctx, slot), "rule": rule, "severity": list(sev), "evidence": evs,
        "explanation_zh": [zh(n, e) for n, e in zip(names, evs)],
        "explanation_en": [en(c, e) for c, e in zip(codes, evs)]}, columns=WARNING_COLUMNS)


def _nums(v: np.ndarray, nd: int = 4) -> list:
    """_num over an array: Python floats rounded as round() does, None for NaN/inf."""
    finite = np.isfinite(v).tolist()
    return [round(x, nd) if f else None for x, f in zip(v.tolist(), finite)]


def _enterprise_severity(ctx: MonitoringContext, idx: np.ndarray, slot: int, s: Settings) -> np.ndarray:
    p = ctx.panel
    base_slot = slot - PERIODS_PER_YEAR if slot >= PERIODS_PER_YEAR else slot
    total = _cached(ctx, ("enterprise_total", base_slot), lambda: np.nansum(p.values["value_added"][:, base_slot]))
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
                            lambda n, e: f"{lz}，{n}增加值同比{formatting.percent(e['growth_pct'])}，大幅下滑。",
                            lambda c, e: f"{le}: enterprise {c} value added changed {formatting.percent(e['growth_pct'])} YoY (sharp fall).")


@register("enterprise_consecutive_decline", ("enterprise",), "企业连续下滑", "Enterprise: consecutive declines",
          ("enterprise_decline_periods", "enterprise_decline_pct", "enterprise_high_share_pct",
           "enterprise_medium_share_pct"))
def consecutive_decline_rule(ctx: MonitoringContext, slot: int, s: Settings) -> pd.DataFrame:
    need = int(s["enterprise_decline_periods"])
    if not _has_panel(ctx, slot) or slot - need + 1 < PERIODS_PER_YEAR:
        return empty_warnings()
    thr = float(s["enterprise_decline_pct"])
    # Run length of qualifying declines ending at `slot`, looked back at most one year: the window's
    # year-on-year growth in one block (a few contiguous cells per enterprise, not one column at a time).
    # Only enterprises falling now can have a run: the window is read for them alone.
    _, _, g_now = _enterprise_yoy(ctx, "value_added", slot)
    cand = np.nonzero(g_now < thr)[0]
    lo = max(PERIODS_PER_YEAR, slot - PERIODS_PER_YEAR + 1)
    p, P = ctx.panel, PERIODS_PER_YEAR
    A, R = p.values["value_added"], p.reported
    cur, prev = A[cand, lo:slot + 1], A[cand, lo - P:slot + 1 - P]
    ok = R[cand, lo:slot + 1] & R[cand, lo - P:slot + 1 - P] & (prev > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(ok, (cur / prev - 1) * 100, np.nan)
    falling = (g < thr)[:, ::-1]  # newest first
    run_c = np.where(falling.all(axis=1), falling.shape[1], np.argmin(falling, axis=1))
    run = np.zeros(p.n, dtype=np.int64)
    run[cand] = run_c
    idx = np.nonzero(run >= need)[0]
    ev = {"periods": run[idx], "growth_pct": g_now[idx], "threshold_pct": thr, "min_periods": need,
          "_severity": _enterprise_severity(ctx, idx, slot, s)}
    y, m = ctx.period(slot)
    lz, le = period_label(y, m, "month", "zh"), period_label(y, m, "month", "en")
    return _enterprise_rows(ctx, slot, "enterprise_consecutive_decline", idx, ev,
                            lambda n, e: f"{lz}，{n}增加值已连续{e['periods']}期同比下降（本期{formatting.percent(e['growth_pct'])}）。",
                            lambda c, e: f"{le}: enterprise {c} value added has fallen YoY for {e['periods']} "
                                         f"periods in a row ({formatting.percent(e['growth_pct'])} now).")


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
                            lambda n, e: f"{lz}，{n}产值同比{formatting.percent(e['output_growth_pct'])}而用电量同比"
                                         f"{formatting.percent(e['electricity_growth_pct'])}，相差{formatting.points(abs(e['gap_pp']), 'zh', signed=False)}，需核实。",
                            lambda c, e: f"{le}: enterprise {c} output changed {formatting.percent(e['output_growth_pct'])} YoY "
                                         f"but electricity use {formatting.percent(e['electricity_growth_pct'])} — check the data.")
