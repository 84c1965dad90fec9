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
import scipy.sparse as sp

from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, slot_of, year_month_of

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
    has_jan = bool((months == 1).any())
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
        if has_jan:  # January and February land in one cell: add, do not overwrite
            return np.bincount(flat, weights=v, minlength=n * T).reshape(n, T)
        a = np.zeros(n * T)
        a[flat] = v
        return a.reshape(n, T)

    reported = np.zeros(n * T, dtype=bool)
    reported[flat] = True
    reported = reported.reshape(n, T)
    values: dict[str, np.ndarray] = {}
    basis: dict[str, str] = {}
    city: dict[str, np.ndarray] = {}
    clock("scatter")
    deflator = _deflator_matrix(ent, prices, first_year, T) if prices is not None else None
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
    return Panel(first_year, T, ent, values, reported, city, basis)


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


def _deflator_matrix(ent: pd.DataFrame, prices: pd.DataFrame, first_year: int, T: int):
    """(industry index per enterprise, deflator matrix industries × T); missing cells → 1.0."""
    codes, inds = pd.factorize(ent["industry"].astype(str), sort=True)
    D = np.ones((len(inds), T))
    p = prices[prices["year"] >= first_year]
    s = slot_of(p["year"].to_numpy(), p["month"].to_numpy(), first_year)
    r = pd.Index(inds).get_indexer(p["industry"].astype(str).to_numpy())
    ok = (s >= 0) & (s < T) & (r >= 0)
    D[r[ok], s[ok]] = p["deflator"].to_numpy(dtype=float)[ok]
    return codes, D


def _divide_rows(a: np.ndarray, ind_idx: np.ndarray, D: np.ndarray, chunk: int = 65536) -> None:
    # In chunks, so the gathered deflator rows never need a second full-size array.
    for i in range(0, a.shape[0], chunk):
        a[i:i + chunk] /= D[ind_idx[i:i + chunk]]


def one_hot(codes: np.ndarray, n_groups: int) -> sp.csr_matrix:
    """Sparse (groups × units) indicator matrix; code −1 = in no group."""
    keep = codes >= 0
    cols = np.nonzero(keep)[0]
    return sp.csr_matrix((np.ones(len(cols)), (codes[keep], cols)), shape=(n_groups, len(codes)))


def comparable_pairs(panel: Panel, measure: str = "value_added") -> tuple[np.ndarray, np.ndarray]:
    """Per enterprise and period t ≥ 1 year: (value at t, value at t − 1 year), both kept only when
    the enterprise reported in both periods (同口径, the same enterprises in both years). Zeros
    elsewhere; shape n × (T − 11)."""
    A = panel.values[measure]
    P = PERIODS_PER_YEAR
    both = panel.reported[:, P:] & panel.reported[:, :-P] & (A[:, :-P] > 0)
    return A[:, P:] * both, A[:, :-P] * both


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


def group_sums(panel: Panel, column: str, measure: str = "value_added") -> tuple[list[str], np.ndarray]:
    """Sums of a measure by an enterprise attribute: (group keys, groups × T matrix)."""
    codes, uniq = pd.factorize(panel.enterprises[column].astype(str), sort=True)  # hashing, not sorting strings
    sums = one_hot(codes, len(uniq)) @ panel.values[measure]
    any_report = panel.reported.any(axis=0)
    sums[:, ~any_report] = np.nan
    return [str(u) for u in uniq], sums


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
