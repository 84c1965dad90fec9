"""Forecast of the year's growth and level, with prediction intervals, and backtests.

With a monthly level series (e.g. constant-price value added of the city, 11 reporting periods a
year): a seasonal ARIMA "airline" model (0,1,1)(0,1,1)₁₁ on log levels (statsmodels SARIMAX) is
fitted on data up to the cut-off; the remaining periods of the year are simulated; annual level =
YTD actual + simulated rest. The reported forecast is the equal-weight combination of that and the
naive forecast (annual growth = current YTD growth): combining is the classic remedy (Bates &
Granger 1969) for a seasonal model that over-reacts early in the year, and on synthetic backtests
it beat both parts. Its interval is the simulated quantiles mapped through the same combination
(½·SARIMA draw + ½·naive), so it keeps the correlation between the remaining months.

Before any period of the year (December: the last year is complete; `forecast_next_year`): the same
airline model simulates all 11 periods of the new year from the history alone; annual growth =
simulated total / last year's total − 1. The naive part of the combination becomes last year's
annual growth (no change in the annual rate), again with equal weights; the interval maps the
simulated totals through the combination, as above. `backtest_next_year` replays it year by year.

With only published cumulative growth rates (`forecast_from_ytd_growth`): annual growth =
s·G_m + (1 − s)·g_rest, exact when s is last year's YTD share of the annual total; s ≈ m/12 and
g_rest = last year's annual growth (mean reversion) are the assumptions. No interval (too few points).
"""
from __future__ import annotations

import warnings
from typing import Iterable

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.periods import FIRST_MONTH, PERIODS_PER_YEAR, merge_jan_feb

MIN_PERIODS = 2 * PERIODS_PER_YEAR + 2  # seasonal differencing needs two years and a bit


def _series(levels: pd.DataFrame, value: str) -> pd.Series:
    d = merge_jan_feb(levels[["year", "month", value]], [value]).sort_values(["year", "month"])
    return pd.Series(d[value].to_numpy(dtype=float), index=pd.MultiIndex.from_frame(d[["year", "month"]]))


def forecast_year(levels: pd.DataFrame, year: int, through_month: int, *, value: str = "value",
                  alpha: float = 0.1, n_sim: int = 500, seed: int = 0) -> dict:
    """Forecast the annual total and growth (%) of `year` from data up to (year, through_month).

    levels: single-period levels (year, month, value), at least two years before the cut-off.
    Returns a dict: level / growth point (median of simulations), lo, hi (1−alpha interval),
    ytd_growth_pct (= the naive forecast), n_obs, model.
    """
    s = _series(levels, value)
    through_month = max(through_month, FIRST_MONTH)
    hist = s[s.index.map(lambda k: (k[0], k[1]) <= (year, through_month))]
    out = {"year": year, "through_month": through_month, "n_obs": len(hist), "model": "sarima(0,1,1)(0,1,1)11"}
    this_ytd = hist[hist.index.get_level_values(0) == year].sum()
    prev = s[s.index.get_level_values(0) == year - 1]
    prev_ytd = prev[prev.index.get_level_values(1) <= through_month].sum()
    prev_annual = prev.sum() if len(prev) == PERIODS_PER_YEAR else np.nan
    out["ytd_growth_pct"] = (this_ytd / prev_ytd - 1) * 100 if prev_ytd > 0 else np.nan
    h = 12 - through_month
    if len(hist) < MIN_PERIODS or not np.isfinite(prev_annual) or not (hist > 0).all():
        return {**out, **dict.fromkeys(["level", "level_lo", "level_hi", "growth_pct", "growth_lo", "growth_hi"], np.nan),
                "model": "insufficient data"}
    if h == 0:  # the year is complete
        sims = np.full(1, this_ytd)
    else:
        sims = this_ytd + _simulate_rest(hist, h, n_sim, seed)
    g_sarima = (sims / prev_annual - 1) * 100
    g = (g_sarima + out["ytd_growth_pct"]) / 2  # combination, draw by draw
    q = np.quantile(g, [alpha / 2, 0.5, 1 - alpha / 2])
    lv = prev_annual * (1 + q / 100)
    return {**out, "model": "½·sarima(0,1,1)(0,1,1)11 + ½·naive", "level": lv[1], "level_lo": lv[0],
            "level_hi": lv[2], "growth_pct": q[1], "growth_lo": q[0], "growth_hi": q[2],
            "sarima_growth_pct": float(np.median(g_sarima)), "alpha": alpha}


def _simulate_rest(hist: pd.Series, h: int, n_sim: int, seed: int) -> np.ndarray:
    """Sum of the next h simulated levels (n_sim draws) of the airline model on log levels."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX  # heavy (~1.7 s): only when a forecast runs, not at CLI start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short series
        res = SARIMAX(np.log(hist.to_numpy()), order=(0, 1, 1),
                      seasonal_order=(0, 1, 1, PERIODS_PER_YEAR)).fit(disp=False)
        paths = res.simulate(nsimulations=h, repetitions=n_sim, anchor="end", rng=np.random.default_rng(seed))
    return np.exp(np.asarray(paths).reshape(h, -1)).sum(axis=0)


def forecast_next_year(levels: pd.DataFrame, year: int, *, value: str = "value", alpha: float = 0.1,
                       n_sim: int = 500, seed: int = 0) -> dict:
    """Forecast the annual total and growth (%) of `year` before any of its periods, from the history
    through December of year − 1 (which must be complete, as must year − 2).

    Returns the keys of `forecast_year` (through_month = 0, ytd_growth_pct = NaN) plus
    naive_growth_pct (= last year's annual growth) and sarima_growth_pct.
    """
    s = _series(levels, value)
    hist = s[s.index.get_level_values(0) < year]
    prev = s[s.index.get_level_values(0) == year - 1]
    prev2 = s[s.index.get_level_values(0) == year - 2]
    out = {"year": year, "through_month": 0, "n_obs": len(hist), "ytd_growth_pct": np.nan,
           "model": "sarima(0,1,1)(0,1,1)11"}
    if len(hist) < MIN_PERIODS or len(prev) < PERIODS_PER_YEAR or len(prev2) < PERIODS_PER_YEAR \
            or not (hist > 0).all():
        return {**out, **dict.fromkeys(["level", "level_lo", "level_hi", "growth_pct", "growth_lo", "growth_hi",
                                        "naive_growth_pct", "sarima_growth_pct"], np.nan), "model": "insufficient data"}
    prev_annual = prev.sum()
    naive = (prev_annual / prev2.sum() - 1) * 100
    g_sarima = (_simulate_rest(hist, PERIODS_PER_YEAR, n_sim, seed) / prev_annual - 1) * 100
    g = (g_sarima + naive) / 2
    q = np.quantile(g, [alpha / 2, 0.5, 1 - alpha / 2])
    lv = prev_annual * (1 + q / 100)
    return {**out, "model": "½·sarima(0,1,1)(0,1,1)11 + ½·naive", "level": lv[1], "level_lo": lv[0],
            "level_hi": lv[2], "growth_pct": q[1], "growth_lo": q[0], "growth_hi": q[2],
            "sarima_growth_pct": float(np.median(g_sarima)), "naive_growth_pct": naive, "alpha": alpha}


def backtest_next_year(levels: pd.DataFrame, years: Iterable[int], *, value: str = "value", alpha: float = 0.1,
                       n_sim: int = 300) -> pd.DataFrame:
    """Forecast each year from the history through the December before and compare with its actual growth."""
    s = _series(levels, value)
    rows = []
    for y in years:
        cur, prev = s[s.index.get_level_values(0) == y], s[s.index.get_level_values(0) == y - 1]
        if len(cur) < PERIODS_PER_YEAR or len(prev) < PERIODS_PER_YEAR:
            continue
        f = forecast_next_year(levels[levels["year"] < y], y, value=value, alpha=alpha, n_sim=n_sim)
        rows.append({"year": y, "through_month": 0, "actual_pct": (cur.sum() / prev.sum() - 1) * 100,
                     "model_pct": f["growth_pct"], "sarima_pct": f["sarima_growth_pct"],
                     "naive_pct": f["naive_growth_pct"], "lo": f["growth_lo"], "hi": f["growth_hi"]})
    d = pd.DataFrame(rows)
    if len(d):
        d["covered"] = (d["lo"] <= d["actual_pct"]) & (d["actual_pct"] <= d["hi"])
    return d


def backtest(levels: pd.DataFrame, years: Iterable[int], months: Iterable[int] = range(2, 12), *,
             value: str = "value", alpha: float = 0.1, n_sim: int = 300) -> pd.DataFrame:
    """Forecast each (year, cut-off month) and compare with the realised annual growth."""
    s = _series(levels, value)
    rows = []
    for y in years:
        cur, prev = s[s.index.get_level_values(0) == y], s[s.index.get_level_values(0) == y - 1]
        if len(cur) < PERIODS_PER_YEAR or len(prev) < PERIODS_PER_YEAR:
            continue
        actual = (cur.sum() / prev.sum() - 1) * 100
        for m in months:
            f = forecast_year(levels, y, m, value=value, alpha=alpha, n_sim=n_sim)
            rows.append({"year": y, "through_month": m, "actual_pct": actual, "model_pct": f["growth_pct"],
                         "sarima_pct": f.get("sarima_growth_pct", np.nan), "naive_pct": f["ytd_growth_pct"],
                         "lo": f["growth_lo"], "hi": f["growth_hi"]})
    d = pd.DataFrame(rows)
    if len(d):
        d["covered"] = (d["lo"] <= d["actual_pct"]) & (d["actual_pct"] <= d["hi"])
    return d


def forecast_from_ytd_growth(ytd_growth_pct: float, month: int, prev_annual_growth_pct: float | None = None) -> float:
    """Annual growth (%) from a published YTD growth rate: s·G + (1−s)·g_rest, s = m/12.

    g_rest = last year's annual growth if known, else the YTD growth itself (then = naive).
    """
    s = max(month, FIRST_MONTH) / 12
    g_rest = ytd_growth_pct if prev_annual_growth_pct is None or not np.isfinite(prev_annual_growth_pct) \
        else prev_annual_growth_pct
    return s * ytd_growth_pct + (1 - s) * g_rest


def error_summary(d: pd.DataFrame, actual: str = "actual_pct", columns: Iterable[str] = ("model_pct", "naive_pct")) -> pd.DataFrame:
    """MAE and RMSE (percentage points) of each forecast column."""
    rows = []
    for c in columns:
        e = (d[c] - d[actual]).dropna()
        rows.append({"forecast": c, "n": len(e), "mae_pp": e.abs().mean(), "rmse_pp": float(np.sqrt((e ** 2).mean()))})
    return pd.DataFrame(rows)
