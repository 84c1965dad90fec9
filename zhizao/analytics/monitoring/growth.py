"""Year-to-date and single-period growth, and the gap to the path of an annual target.

Pure functions over small pandas frames (groups × periods); the enterprise-scale path is in
`panel.py`. Growth rates are in percent, as published (8.7 means +8.7%). Growth is the ratio of the
sums of the units present in each period (全口径); NBS computes 规上 growth on a comparable set of
enterprises (同口径), which differs when enterprises enter or leave the directory.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.periods import month_to_ytd


def pct(cur, prev):
    """(cur/prev − 1)·100, NaN where prev is not positive (growth of a sign change is meaningless)."""
    cur = np.asarray(cur, dtype=float)
    prev = np.asarray(prev, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(prev > 0, (cur / prev - 1.0) * 100.0, np.nan)


def add_growth(levels: pd.DataFrame, value: str = "value", by: Sequence[str] = (),
               year: str = "year", month: str = "month") -> pd.DataFrame:
    """Single-period levels → adds ytd, prev-year values and both growth rates.

    Output columns (beyond the keys): `value` (single period), `ytd`, `value_prev`, `ytd_prev`,
    `month_growth_pct`, `ytd_growth_pct`. The previous year's same period is matched by key, so a
    missing year gives NaN rather than a wrong comparison.
    """
    d = month_to_ytd(levels[[*by, year, month, value]], value=value, by=by, year=year, month=month)
    d = d.rename(columns={value: "value"}) if value != "value" else d
    prev = d[[*by, year, month, "value", "ytd"]].rename(columns={"value": "value_prev", "ytd": "ytd_prev"})
    prev[year] = prev[year] + 1
    d = d.merge(prev, on=[*by, year, month], how="left")
    d["month_growth_pct"] = pct(d["value"], d["value_prev"])
    d["ytd_growth_pct"] = pct(d["ytd"], d["ytd_prev"])
    return d


def required_rest_growth(ytd_cur: float, ytd_prev: float, annual_prev: float, target_pct: float) -> float:
    """Growth (%) needed over the rest of the year to reach the annual target.

    ((1+g*)·Y_prev − C_cur) / (Y_prev − C_prev) − 1, with Y_prev the previous year's annual total and
    C the YTD totals. NaN at year end (no months left).
    """
    rest_prev = annual_prev - ytd_prev
    if not rest_prev > 0:
        return float("nan")
    return ((annual_prev * (1 + target_pct / 100) - ytd_cur) / rest_prev - 1) * 100


def target_gap(levels: pd.DataFrame, target_pct: float, value: str = "value",
               year: str = "year", month: str = "month") -> pd.DataFrame:
    """Gap between YTD growth and the annual target, per period, for one series (e.g. the city).

    Columns: year, month, ytd_growth_pct, target_pct, gap_pp (= ytd growth − target),
    required_rest_pct (growth needed in the remaining months), months_left.
    """
    g = add_growth(levels, value=value, year=year, month=month)
    annual = g[g[month] == 12].set_index(year)["ytd"]
    g["annual_prev"] = g[year].map(lambda y: annual.get(y - 1, np.nan))
    g["target_pct"] = float(target_pct)
    g["gap_pp"] = g["ytd_growth_pct"] - target_pct
    g["required_rest_pct"] = [
        required_rest_growth(c, p, a, target_pct) if m < 12 else np.nan
        for c, p, a, m in zip(g["ytd"], g["ytd_prev"], g["annual_prev"], g[month])
    ]
    g["months_left"] = 12 - g[month]
    return g[[year, month, "ytd", "ytd_prev", "ytd_growth_pct", "target_pct", "gap_pp",
              "required_rest_pct", "months_left"]]
