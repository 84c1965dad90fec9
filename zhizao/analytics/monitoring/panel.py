"""Enterprise × reporting-period panel: the enterprise-scale path of monitoring.

Why numpy on dense arrays (and not Polars or DuckDB): a 规上 panel is nearly full (each enterprise
reports every period while in the directory), so a dense enterprise × period matrix wastes little
memory, and every enterprise rule is then a column slice of it — year-on-year is `A[:, t] / A[:, t-11]`,
consecutive declines are a few slices, no sort, join or window function. Sums by district, industry,
cluster or zone are one sparse one-hot matrix product (scipy.sparse, already installed through
statsmodels), so there is no group-by either. On this 2-core machine multi-threaded engines gain
little, while the dense layout turns the national case (500,000 × 60) into a few hundred MB of
contiguous memory streamed a handful of times. numpy/scipy also add no dependency.

Inputs and outputs at the edges are pandas frames; the long → dense conversion is one scatter.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, slot_of, year_month_of
from zhizao.errors import UserError

# Measures deflated to constant prices when a price table is given (levels of 产出; electricity is
# physical and profit is left at current prices, as published).
DEFLATED = ("value_added", "output")
DENSE_MEASURES = ("value_added", "output", "electricity")
CITY_MEASURES = ("value_added", "output", "revenue", "profit", "electricity")


@dataclass
class Panel:
    """Dense panel. Row i is enterprises.iloc[i]; column t is reporting period t (11 a year)."""

    first_year: int
    n_slots: int
    enterprises: pd.DataFrame  # reset index, aligned with rows
    values: dict[str, np.ndarray]  # measure → (n, T) float64, 0 where not reported
    reported: np.ndarray  # (n, T) bool
    city_totals: dict[str, np.ndarray] = field(default_factory=dict)  # measure → (T,)
    price_basis: dict[str, str] = field(default_factory=dict)
    measures_in: tuple[str, ...] = ()  # the monthly columns the panel was built from (a new period needs them too)
    industry_codes: tuple[np.ndarray, list[str]] | None = None  # (row → industry index, industries): deflation

    @property
    def n(self) -> int:
        return len(self.enterprises)

    def slot(self, year: int, month: int) -> int:
        return int(slot_of(year, month, self.first_year))

    def period(self, slot: int) -> tuple[int, int]:
        y, m = year_month_of(slot, self.first_year)
        return int(y), int(m)


@contextlib.contextmanager
def no_hugepage_advice():
    """Temporarily stop numpy from madvise(MADV_HUGEPAGE) on new arrays.

    Why: with transparent huge pages on "madvise" (common, and so on this machine), faulting in a
    fresh huge page may trigger synchronous memory compaction once a few GB are in use; for the
    write-once 100–300 MB arrays built here that cost more than it saved (national build 3.7 s →
    2.3 s). numpy's switch is process-wide, so it is restored on exit.
    """
    setter = getattr(getattr(np, "_core", np).multiarray, "_set_madvise_hugepage", None)
    if setter is None:
        yield
        return
    previous = setter(False)
    try:
        yield
    finally:
        setter(previous)


def _row_index(enterprise_ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Row of each key in enterprise_ids (−1 if unknown)."""
    n = len(enterprise_ids)
    keys = np.asarray(keys)
    if enterprise_ids.dtype.kind in "iu" and n and keys.dtype.kind in "iu":
        if enterprise_ids[0] == 0 and enterprise_ids[-1] == n - 1 and (np.diff(enterprise_ids) == 1).all():
            # ids are the row numbers (as zhizao synth writes them): no lookup at all
            if keys.min() >= 0 and keys.max() < n:
                return keys
            return np.where((keys >= 0) & (keys < n), keys, -1)
        if enterprise_ids.min() >= 0 and enterprise_ids.max() < 20 * n + 1000:
            lut = np.full(int(enterprise_ids.max()) + 1, -1, dtype=np.int64)
            lut[enterprise_ids] = np.arange(n)
            inside = (keys >= 0) & (keys < len(lut))
            return np.where(inside, lut[np.clip(keys, 0, len(lut) - 1)], -1)
    order = np.argsort(enterprise_ids, kind="stable")
    pos = np.clip(np.searchsorted(enterprise_ids, keys, sorter=order), 0, n - 1)
    return np.where(enterprise_ids[order[pos]] == keys, order[pos], -1)


def build_panel(enterprises: pd.DataFrame, monthly: pd.DataFrame, prices: pd.DataFrame | None = None,
                measures: Sequence[str] = DENSE_MEASURES, *, timings: dict[str, float] | None = None) -> Panel:
    """Long monthly frame → dense panel (January rows are added into 1–2月).

    enterprises: enterprise_id, industry (GB/T 4754 division) and the grouping columns.
    monthly: enterprise_id, year, month and the measures (single-period, current prices).
    prices: industry, year, month, deflator (constant-price level = current / deflator). Without it
    levels stay at current prices and `price_basis` says so.
    timings: when given, seconds spent per part are added to it (index, scatter, deflation, totals):
    the benchmark's profile.
    """
    clock = _Clock(timings)
    ent = enterprises.reset_index(drop=True)
    ids = ent["enterprise_id"].to_numpy()
    years = monthly["year"].to_numpy()
    months = monthly["month"].to_numpy()
    first_year = int(years.min())
    T = (int(years.max()) - first_year + 1) * PERIODS_PER_YEAR
    n = len(ent)
    rows = _row_index(ids, monthly["enterprise_id"].to_numpy())
    # Few, in-place passes over the 30M-row columns: on this VM fresh pages cost more than arithmetic.
    slots = _slots(years, months, first_year)
    known = rows >= 0
    all_known = bool(known.all())
    if not all_known:
        rows, slots = rows[known], slots[known]
    flat = rows.astype(np.intp)
    flat *= T
    flat += slots
    slots = slots.astype(np.intp)
    mk = months[known] if not all_known else months
    jan_rows = np.flatnonzero(mk == 1)
    if len(jan_rows):  # 1–2月 is one cell: January and February are added, not overwritten
        feb_rows = np.flatnonzero(mk == 2)
        flat_jan, flat_feb = flat[jan_rows], flat[feb_rows]
    clock("index")

    def column(col: str) -> np.ndarray:
        v = monthly[col].to_numpy(dtype=np.float64, na_value=np.nan)
        if not all_known:
            v = v[known]
        nan = np.isnan(v)
        if nan.any():  # a missing value counts as 0 in sums; the row still counts as reported
            v = np.where(nan, 0.0, v)
        return v

    def scatter(col: str) -> np.ndarray:
        v = column(col)
        a = np.zeros(n * T)
        a[flat] = v  # one assignment (a bincount into n·T cells costs several times more)
        if len(jan_rows):  # then the 1–2月 cells again: February's value plus January's
            a[flat_jan] = 0.0
            a[flat_feb] = v[feb_rows]
            a[flat_jan] += v[jan_rows]
        return a.reshape(n, T)

    reported = np.zeros(n * T, dtype=bool)
    reported[flat] = True
    reported = reported.reshape(n, T)
    values: dict[str, np.ndarray] = {}
    basis: dict[str, str] = {}
    city: dict[str, np.ndarray] = {}
    clock("scatter")
    deflator = _deflator_matrix(ent, prices, first_year, T) if prices is not None else None
    industries = (deflator[0], deflator[2]) if deflator is not None else None
    clock("deflation")
    for m in measures:
        if m not in monthly.columns:
            continue
        a = scatter(m)
        clock("scatter")
        if m == "value_added":
            city["value_added_current"] = a.sum(axis=0)  # before deflation: the current-price total
        if m in DEFLATED and deflator is not None:
            _divide_rows(a, deflator[0], deflator[1])
            basis[m] = "constant"
        else:
            basis[m] = "current" if m != "electricity" else "physical"
        clock("deflation")
        values[m] = a
        city[m] = a.sum(axis=0)
        clock("totals")
    for m in CITY_MEASURES:  # measures only needed as city totals: one bincount each, no dense copy
        if m not in values and m in monthly.columns:
            city[m] = np.bincount(slots, weights=column(m), minlength=T)
            basis[m] = "current"
    any_report = reported.any(axis=0)
    for m in city:
        city[m] = np.where(any_report, city[m], np.nan)
    clock("totals")
    given = tuple(m for m in CITY_MEASURES if m in monthly.columns)
    return Panel(first_year, T, ent, values, reported, city, basis, given, industries)


def add_period(panel: Panel, enterprises: pd.DataFrame, rows: pd.DataFrame,
               prices: pd.DataFrame | None = None) -> tuple[Panel, int]:
    """The reports of the next reporting period added to a panel: (panel, its slot).

    Equal to building the panel again with these rows (tested), at the cost of one period: the
    rows are scattered into one column, which is deflated and totalled alone. `rows` hold one
    reporting period (January and February together for 1–2月) — the one after the panel's latest.
    `enterprises` is the panel's frame with any newly reporting enterprises appended at its end.
    The panel's arrays are written in place when they have room; a new year or new enterprises
    give a new, larger panel (the old arrays are copied once).
    """
    ent = enterprises.reset_index(drop=True)
    n0, T0 = panel.n, panel.n_slots
    old_ids = panel.enterprises["enterprise_id"].to_numpy()
    if len(ent) < n0 or not np.array_equal(ent["enterprise_id"].to_numpy()[:n0], old_ids):
        raise UserError("企业名录须是面板原有企业（顺序不变）加上新增企业（附在末尾）",
                        "enterprises must be the panel's enterprises, in order, with new ones appended")
    missing = [m for m in panel.measures_in if m not in rows.columns]
    if missing:
        raise UserError(f"新的一期缺少面板已有的指标：{'、'.join(missing)}",
                        f"the new period lacks the measures the panel holds: {', '.join(missing)}")
    if rows.empty:
        raise UserError("新的一期没有数据行", "the new period has no rows")
    slots = np.unique(slot_of(rows["year"].to_numpy(), rows["month"].to_numpy(), panel.first_year))
    va = panel.city_totals.get("value_added")  # NaN exactly where nobody reported: no pass over the panel
    expected = (int(np.nonzero(~np.isnan(va))[0].max()) if va is not None else latest_slot(panel)) + 1
    if len(slots) != 1 or int(slots[0]) != expected:
        got = ", ".join(f"{y}-{m:02d}" for y, m in (year_month_of(int(t), panel.first_year) for t in slots))
        y, m = year_month_of(expected, panel.first_year)
        raise UserError(f"新的一期须是且仅是 {int(y)}-{int(m):02d}；数据中的期别为 {got}（补报或修订往期请重建面板）",
                        f"the new period must be {int(y)}-{int(m):02d} alone; the rows hold {got} (for a late "
                        "report or a revision of an earlier period, rebuild the panel)")
    slot = int(slots[0])
    T = max(T0, (slot // PERIODS_PER_YEAR + 1) * PERIODS_PER_YEAR)
    n = len(ent)
    if (n, T) != (n0, T0):
        panel = _grown(panel, ent, n, T)
    r = _row_index(ent["enterprise_id"].to_numpy(), rows["enterprise_id"].to_numpy())
    known = r >= 0
    r = r[known]
    jan = rows["month"].to_numpy()[known] == 1  # 1–2月: one January and one February row allowed
    if len(r) and np.bincount(r * 2 + jan).max() > 1:
        raise UserError("同一企业在新的一期的同一月份有两行数据", "an enterprise reports twice for one month of the new period")
    deflator = None
    if any(panel.price_basis.get(m) == "constant" for m in DEFLATED):
        if prices is None:
            raise UserError("面板按不变价计算：新的一期须同时给出价格指数", "the panel is at constant prices: the new period needs its deflators")
        p = prices[slot_of(prices["year"].to_numpy(), prices["month"].to_numpy(), panel.first_year) == slot]
        panel.industry_codes = _industry_codes(panel, ent)
        codes, D, _ = _deflator_matrix(ent, p, panel.first_year, T, panel.industry_codes)
        deflator = codes, D[:, slot]
    panel.reported[r, slot] = True
    reported_any = bool(len(r))
    for m in panel.measures_in:
        v = rows[m].to_numpy(dtype=np.float64, na_value=np.nan)[known]
        v = np.where(np.isnan(v), 0.0, v)
        if m in panel.values:
            col = np.bincount(r, weights=v, minlength=n)  # January and February add up
            if m == "value_added":
                panel.city_totals["value_added_current"][slot] = col.sum()
            if deflator is not None and panel.price_basis.get(m) == "constant":
                col /= deflator[1][deflator[0]]
            panel.values[m][:, slot] = col
            panel.city_totals[m][slot] = col.sum()
        else:
            panel.city_totals[m][slot] = v.sum()
    if not reported_any:
        for m in panel.city_totals:
            panel.city_totals[m][slot] = np.nan
    return panel, slot


def _grown(panel: Panel, ent: pd.DataFrame, n: int, T: int) -> Panel:
    """A copy of the panel with room for n enterprises and T periods (new cells empty)."""
    n0, T0 = panel.n, panel.n_slots
    values = {}
    for m, a in panel.values.items():
        b = np.zeros((n, T))
        b[:n0, :T0] = a
        values[m] = b
    reported = np.zeros((n, T), dtype=bool)
    reported[:n0, :T0] = panel.reported
    city = {}
    for m, c in panel.city_totals.items():
        d = np.full(T, np.nan)
        d[:T0] = c
        city[m] = d
    return Panel(panel.first_year, T, ent, values, reported, city, dict(panel.price_basis), panel.measures_in,
                 panel.industry_codes)


class _Clock:
    """Adds the seconds since its last call to timings[part] (nothing when timings is None)."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings, self._t = timings, time.perf_counter()

    def __call__(self, part: str) -> None:
        if self.timings is None:
            return
        t = time.perf_counter()
        self.timings[part] = self.timings.get(part, 0.0) + t - self._t
        self._t = t


def _slots(years: np.ndarray, months: np.ndarray, first_year: int) -> np.ndarray:
    """Reporting-period index per row (1–2月 = slot 0 of a year), in the narrowest safe integer type."""
    span = int(years.max()) - first_year + 1
    dt = np.int16 if span * PERIODS_PER_YEAR < 2**15 else np.int32
    s = years.astype(dt, copy=True)
    s -= dt(first_year)
    s *= dt(PERIODS_PER_YEAR)
    s += np.maximum(months, 2).astype(dt, copy=False)
    s -= dt(2)
    return s


def _deflator_matrix(ent: pd.DataFrame, prices: pd.DataFrame, first_year: int, T: int,
                     industry_codes: tuple[np.ndarray, list[str]] | None = None):
    """(industry index per enterprise, deflator matrix industries × T, industries); missing cells → 1.0."""
    if industry_codes is None:
        codes, inds = pd.factorize(ent["industry"].astype(str), sort=True)
        inds = [str(i) for i in inds]
    else:
        codes, inds = industry_codes
    D = np.ones((len(inds), T))
    p = prices[prices["year"] >= first_year]
    s = slot_of(p["year"].to_numpy(), p["month"].to_numpy(), first_year)
    r = pd.Index(inds).get_indexer(p["industry"].astype(str).to_numpy())
    ok = (s >= 0) & (s < T) & (r >= 0)
    D[r[ok], s[ok]] = p["deflator"].to_numpy(dtype=float)[ok]
    return codes, D, inds


def _industry_codes(panel: Panel, ent: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The panel's industry index extended to enterprises appended after it was built (an industry new
    to the panel goes at the end: its index only has to be consistent within the panel)."""
    if panel.industry_codes is None:
        codes, inds = pd.factorize(ent["industry"].astype(str), sort=True)
        return codes, [str(i) for i in inds]
    codes, inds = panel.industry_codes
    if len(ent) == len(codes):
        return codes, inds
    new = ent["industry"].iloc[len(codes):].astype(str)
    inds = list(inds) + sorted(set(new) - set(inds))
    pos = {k: i for i, k in enumerate(inds)}
    return np.concatenate([codes, new.map(pos).to_numpy(dtype=codes.dtype)]), inds


def _divide_rows(a: np.ndarray, ind_idx: np.ndarray, D: np.ndarray, chunk: int = 65536) -> None:
    # In chunks, so the gathered deflator rows never need a second full-size array.
    for i in range(0, a.shape[0], chunk):
        a[i:i + chunk] /= D[ind_idx[i:i + chunk]]


def chain_index(levels: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Index chained from comparable year-on-year ratios: I_t = I_{t−1y} · num_t / den_t, starting
    from the first year's levels. Directory changes (entries, exits) then move no part of it."""
    P = PERIODS_PER_YEAR
    out = np.full(levels.shape, np.nan)
    out[..., :P] = levels[..., :P]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
    for t in range(P, levels.shape[-1]):
        out[..., t] = out[..., t - P] * ratio[..., t - P]
    return out


# --- small matrix helpers shared by the rules ------------------------------------------------------

def ytd(levels: np.ndarray) -> np.ndarray:
    """YTD sums within each year along the last axis (T must be whole years; NaN propagates)."""
    shape = levels.shape
    T = shape[-1]
    r = levels.reshape(*shape[:-1], T // PERIODS_PER_YEAR, PERIODS_PER_YEAR)
    return np.cumsum(r, axis=-1).reshape(shape)


def prev_year(levels: np.ndarray) -> np.ndarray:
    """Same period a year earlier (NaN for the first year)."""
    out = np.full(levels.shape, np.nan)
    out[..., PERIODS_PER_YEAR:] = levels[..., :-PERIODS_PER_YEAR]
    return out


def yoy_pct(levels: np.ndarray) -> np.ndarray:
    prev = prev_year(levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(prev > 0, (levels / prev - 1.0) * 100.0, np.nan)


def latest_slot(panel: Panel) -> int:
    rep = panel.reported.any(axis=0)
    return int(np.nonzero(rep)[0].max())
