"""Reporting periods: year-to-date (1–N月) ↔ single month, with January and February together.

Chinese monthly industrial statistics are released cumulatively and January is never released on
its own: the first release of a year is 1–2月. zhizao therefore uses 11 reporting periods a year,
labelled by their last month: month 2 = 1–2月 (January and February together), 3 … 12 = that
month. Any January row in the input is added into February. March is flagged because the Spring
Festival shifts production between February and March (NBS: ~4–5 days before, 15–20 days after the
holiday; docs/reference/methods.md §2.3).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

import numpy as np
import pandas as pd

PERIODS_PER_YEAR = 11
FIRST_MONTH = 2  # the first reporting period of a year ends in February

# 春节 (Lunar New Year's Day), Gregorian date.
SPRING_FESTIVAL: dict[int, dt.date] = {
    2015: dt.date(2015, 2, 19), 2016: dt.date(2016, 2, 8), 2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16), 2019: dt.date(2019, 2, 5), 2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12), 2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29), 2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6), 2028: dt.date(2028, 1, 26), 2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}


def spring_festival_reaches_march(year: int, days_after: int = 20) -> bool | None:
    """Whether the post-holiday slowdown (days_after the festival) runs into March; None if unknown."""
    d = SPRING_FESTIVAL.get(year)
    if d is None:
        return None
    return d + dt.timedelta(days=days_after) >= dt.date(year, 3, 1)


def normalise_month(month: int) -> int:
    """January is reported with February: 1 → 2."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return max(month, FIRST_MONTH)


def parse_period(text: str) -> tuple[int, int]:
    """'2024-09', '2024-9', '202409', '2024-01'/'2024-1-2月' → (year, month); January → February."""
    s = str(text).strip()
    m = re.fullmatch(r"(\d{4})[-/.年]?(?:1[-—–~])?(\d{1,2})月?", s)
    if not m:
        raise ValueError(f"cannot read period {text!r}; use YYYY-MM, e.g. 2024-09")
    return int(m.group(1)), normalise_month(int(m.group(2)))


def slot_of(year, month, first_year: int):
    """Reporting-period index (0-based) from year/month (arrays or scalars); January shares February's."""
    month = np.maximum(np.asarray(month), FIRST_MONTH)
    return (np.asarray(year) - first_year) * PERIODS_PER_YEAR + (month - FIRST_MONTH)


def year_month_of(slot, first_year: int):
    slot = np.asarray(slot)
    return first_year + slot // PERIODS_PER_YEAR, slot % PERIODS_PER_YEAR + FIRST_MONTH


def period_label(year: int, month: int, kind: str = "ytd", lang: str = "zh") -> str:
    """'2024年1—9月' (YTD), '2024年3月' (single month); 1–2月 in both kinds for month 2."""
    month = normalise_month(month)
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if lang == "zh":
        if month == FIRST_MONTH or kind == "ytd":
            return f"{year}年1—{month}月"
        return f"{year}年{month}月"
    if month == FIRST_MONTH or kind == "ytd":
        return f"Jan–{names[month - 1]} {year}"
    return f"{names[month - 1]} {year}"


def merge_jan_feb(df: pd.DataFrame, values: Sequence[str], year: str = "year",
                  month: str = "month") -> pd.DataFrame:
    """Add January rows into February (single-month values); other columns are the keys."""
    if not (df[month] == 1).any():
        return df
    out = df.copy()
    out[month] = out[month].clip(lower=FIRST_MONTH)
    keys = [c for c in out.columns if c not in values]
    return out.groupby(keys, as_index=False, sort=False, dropna=False)[list(values)].sum(min_count=1)


def month_to_ytd(df: pd.DataFrame, value: str = "value", by: Sequence[str] = (),
                 year: str = "year", month: str = "month", out: str = "ytd") -> pd.DataFrame:
    """Single-period levels → YTD levels. A missing period makes later YTD values of that year NaN
    (a cumulative total with a hole in it would look complete and be wrong)."""
    d = merge_jan_feb(df, [value], year, month).sort_values([*by, year, month]).reset_index(drop=True)
    keys = [*by, year]
    expected = d.groupby(keys, sort=False).cumcount() + FIRST_MONTH
    hole = (d[month] != expected) | d[value].isna()
    broken = hole.astype(int).groupby([d[k] for k in keys], sort=False).cummax().astype(bool)
    d[out] = d.groupby(keys, sort=False)[value].cumsum().where(~broken)
    return d


def ytd_to_month(df: pd.DataFrame, value: str = "ytd", by: Sequence[str] = (),
                 year: str = "year", month: str = "month", out: str = "value") -> pd.DataFrame:
    """YTD levels → single-period levels.

    The 1–2月 value is the first period of the year. If January is given on its own (month 1),
    February = YTD(Feb) − YTD(Jan) and both are kept. A period whose predecessor is missing gets NaN
    (it cannot be split). Adds `jan_feb_combined` and `spring_festival_flag` (March) columns.
    """
    d = df.sort_values([*by, year, month]).reset_index(drop=True)
    keys = [*by, year]
    prev_month = d.groupby(keys, sort=False)[month].shift(1)
    prev_val = d.groupby(keys, sort=False)[value].shift(1)
    first = prev_month.isna()
    ok_first = first & d[month].isin([1, FIRST_MONTH])
    contiguous = (d[month] - prev_month == 1)
    d[out] = np.where(ok_first, d[value], np.where(contiguous, d[value] - prev_val, np.nan))
    d["jan_feb_combined"] = (d[month] == FIRST_MONTH) & first
    d["spring_festival_flag"] = d[month] == 3
    return d


def ytd_growth_to_month_growth(ytd_growth: pd.Series, prev_levels: pd.Series | None = None) -> pd.DataFrame:
    """Single-period growth (%) implied by YTD growth rates (%) of one year.

    ytd_growth: indexed by month (2 … 12, 1–2月 as 2). prev_levels: previous year's single-period
    levels indexed the same way. Current YTD = C_prev(m)·(1+G_m); the single period is the
    difference, and its growth is against the previous year's single period (docs/reference/methods.md §2.3). If
    prev_levels is None, equal monthly weights are assumed (1–2月 counts double) and the result is
    marked approximate.
    """
    g = ytd_growth.sort_index().astype(float)
    months = list(g.index)
    approx = prev_levels is None
    if approx:
        prev_levels = pd.Series([2.0 if m == FIRST_MONTH else 1.0 for m in range(FIRST_MONTH, 13)],
                                index=range(FIRST_MONTH, 13))
    prev = prev_levels.reindex(range(FIRST_MONTH, 13)).astype(float)
    c_prev = prev.cumsum()
    cur_ytd = c_prev.reindex(months) * (1 + g / 100)
    rows = []
    for i, m in enumerate(months):
        if m == FIRST_MONTH:
            cur, base = cur_ytd[m], prev[m]
        elif i > 0 and months[i - 1] == m - 1:
            cur, base = cur_ytd[m] - cur_ytd[months[i - 1]], prev[m]
        else:
            cur, base = np.nan, prev[m]
        rows.append({"month": m, "month_growth_pct": (cur / base - 1) * 100 if base else np.nan,
                     "approximate": approx})
    return pd.DataFrame(rows)
