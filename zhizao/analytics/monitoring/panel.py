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


def _row_index(enterprise_ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Row of each key in enterprise_ids (−1 if unknown), by a lookup table when ids are small ints."""
    if enterprise_ids.dtype.kind in "iu" and len(enterprise_ids) and enterprise_ids.min() >= 0 \
            and enterprise_ids.max() < 20 * len(enterprise_ids) + 1000:
        lut = np.full(int(enterprise_ids.max()) + 1, -1, dtype=np.int64)
        lut[enterprise_ids] = np.arange(len(enterprise_ids))
        keys = np.asarray(keys, dtype=np.int64)
        inside = (keys >= 0) & (keys < len(lut))
        out = np.full(len(keys), -1, dtype=np.int64)
        out[inside] = lut[keys[inside]]
        return out
    order = np.argsort(enterprise_ids, kind="stable")
    pos = np.searchsorted(enterprise_ids, keys, sorter=order)
    pos = np.clip(pos, 0, len(order) - 1)
    found = enterprise_ids[order[pos]] == keys
    return np.where(found, order[pos], -1)


def build_panel(enterprises: pd.DataFrame, monthly: pd.DataFrame, prices: pd.DataFrame | None = None,
                measures: Sequence[str] = DENSE_MEASURES) -> Panel:
    """Long monthly frame → dense panel (January rows are added into 1–2月).

    enterprises: enterprise_id, industry (GB/T 4754 division) and the grouping columns.
    monthly: enterprise_id, year, month and the measures (single-period, current prices).
    prices: industry, year, month, deflator (constant-price level = current / deflator). Without it
    levels stay at current prices and `price_basis` says so.
    """
    ent = enterprises.reset_index(drop=True)
    ids = ent["enterprise_id"].to_numpy()
    years = monthly["year"].to_numpy()
    first_year = int(years.min())
    last_year = int(years.max())
    T = (last_year - first_year + 1) * PERIODS_PER_YEAR
    n = len(ent)
    rows = _row_index(ids, monthly["enterprise_id"].to_numpy())
    slots = slot_of(years.astype(np.int64), monthly["month"].to_numpy().astype(np.int64), first_year)
    known = rows >= 0
    if not known.all():
        rows, slots = rows[known], slots[known]
    flat = rows * T + slots
    has_jan = bool((monthly["month"].to_numpy() == 1).any())

    def scatter(col: str) -> np.ndarray:
        v = monthly[col].to_numpy(dtype=np.float64, na_value=np.nan)
        if not known.all():
            v = v[known]
        v = np.nan_to_num(v, nan=0.0)
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
    deflator = _deflator_matrix(ent, prices, first_year, T) if prices is not None else None
    for m in measures:
        if m not in monthly.columns:
            continue
        a = scatter(m)
        if m in DEFLATED and deflator is not None:
            _divide_rows(a, deflator[0], deflator[1])
            basis[m] = "constant"
        else:
            basis[m] = "current" if m != "electricity" else "physical"
        values[m] = a
        city[m] = a.sum(axis=0)
    for m in CITY_MEASURES:  # measures only needed as city totals: one bincount each, no dense copy
        if m not in values and m in monthly.columns:
            v = monthly[m].to_numpy(dtype=np.float64, na_value=np.nan)
            v = np.nan_to_num(v[known] if not known.all() else v, nan=0.0)
            city[m] = np.bincount(slots, weights=v, minlength=T)
            basis[m] = "current"
    any_report = reported.any(axis=0)
    for m in city:
        city[m] = np.where(any_report, city[m], np.nan)
    return Panel(first_year, T, ent, values, reported, city, basis)


def _deflator_matrix(ent: pd.DataFrame, prices: pd.DataFrame, first_year: int, T: int):
    """(industry index per enterprise, deflator matrix industries × T); missing cells → 1.0."""
    inds = pd.Index(sorted(set(ent["industry"].astype(str)) | set(prices["industry"].astype(str))))
    D = np.ones((len(inds), T))
    p = prices[prices["year"] >= first_year]
    s = slot_of(p["year"].to_numpy(), p["month"].to_numpy(), first_year)
    ok = (s >= 0) & (s < T)
    r = inds.get_indexer(p["industry"].astype(str).to_numpy())
    D[r[ok], s[ok]] = p["deflator"].to_numpy(dtype=float)[ok]
    return inds.get_indexer(ent["industry"].astype(str).to_numpy()), D


def _divide_rows(a: np.ndarray, ind_idx: np.ndarray, D: np.ndarray, chunk: int = 65536) -> None:
    # In chunks, so the gathered deflator rows never need a second full-size array.
    for i in range(0, a.shape[0], chunk):
        a[i:i + chunk] /= D[ind_idx[i:i + chunk]]


def one_hot(codes: np.ndarray, n_groups: int) -> sp.csr_matrix:
    """Sparse (groups × units) indicator matrix; code −1 = in no group."""
    keep = codes >= 0
    cols = np.nonzero(keep)[0]
    return sp.csr_matrix((np.ones(len(cols)), (codes[keep], cols)), shape=(n_groups, len(codes)))


def group_sums(panel: Panel, column: str, measure: str = "value_added") -> tuple[list[str], np.ndarray]:
    """Sums of a measure by an enterprise attribute: (group keys, groups × T matrix)."""
    keys = panel.enterprises[column].astype(str).to_numpy()
    uniq, codes = np.unique(keys, return_inverse=True)
    sums = one_hot(codes, len(uniq)) @ panel.values[measure]
    any_report = panel.reported.any(axis=0)
    sums[:, ~any_report] = np.nan
    return list(uniq), sums


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
