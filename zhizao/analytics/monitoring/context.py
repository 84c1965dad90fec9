"""What the warning rules read: aggregate series by subject, plus the enterprise panel if any.

A context is built either from enterprise micro-data (`context_from_panel`, the fast path) or from
aggregate levels already summed elsewhere (`context_from_levels`, used by the published-series seam
and by the plain-pandas baseline of the bench). Rules never see where the numbers came from.
"""
from __future__ import annotations

from zhizao import labels

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from zhizao.analytics.monitoring.panel import CITY_MEASURES, Panel, chain_index
from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, slot_of, year_month_of
from zhizao.codes.industries import CLUSTERS, DIVISIONS, OTHER_CLUSTER, cluster_name, division_name
from zhizao.codes.regions import CITY_CODE, CITY_NAME, CITY_NAME_EN, district_name, zone_name

SUBJECT_TYPES = ("city", "district", "zone", "industry", "cluster")
GROUP_COLUMNS = {"district": "district", "zone": "zone", "industry": "industry", "cluster": "cluster"}
SUBJECT_LABELS = labels.SUBJECT_TYPE


@dataclass
class SeriesSet:
    """Series of one subject type: ids, names and levels (subjects × T) per measure."""

    subject_type: str
    ids: list[str]
    names: list[str]
    levels: dict[str, np.ndarray]
    names_en: list[str] = field(default_factory=list)


@dataclass
class MonitoringContext:
    first_year: int
    n_slots: int
    latest: int  # last reporting period with data
    series: dict[str, SeriesSet]
    panel: Panel | None = None
    basis: dict[str, str] = field(default_factory=dict)  # measure → constant/current/physical
    cache: dict = field(default_factory=dict)  # derived arrays shared between rules
    groups: "Groups | None" = None  # the panel's subject indicator (kept for a new period's update)

    def slot(self, year: int, month: int) -> int:
        return int(slot_of(year, month, self.first_year))

    def period(self, slot: int) -> tuple[int, int]:
        y, m = year_month_of(slot, self.first_year)
        return int(y), int(m)

    @property
    def city(self) -> SeriesSet:
        return self.series["city"]


def subject_name(subject_type: str, subject_id: str, lang: str = "zh") -> str:
    """Label of an aggregate subject from the code tables in the reader's language (an unknown code
    stays as it is)."""
    if subject_type == "city":
        return CITY_NAME if lang == "zh" else CITY_NAME_EN
    if subject_type == "district":
        return district_name(subject_id, lang)
    if subject_type == "industry":
        return DIVISIONS.get(subject_id, subject_id) if lang == "zh" else division_name(subject_id, "en")
    if subject_type == "cluster":
        if subject_id in CLUSTERS or subject_id == OTHER_CLUSTER[0]:
            return cluster_name(subject_id, lang)
        return subject_id
    if subject_type == "zone":
        return zone_name(subject_id, lang)
    return subject_id


@dataclass
class Groups:
    """Every aggregate subject as one stacked sparse indicator matrix (row 0: the whole city, then
    each subject type's groups): one pass over an enterprise array sums it for every subject."""

    matrix: sp.csc_matrix  # (1 + Σ groups) × enterprises
    spans: dict[str, tuple[int, int, list[str]]]  # subject type → (first row, end row, ids)
    codes: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # subject type → group of each row
    _blocks: dict = field(default_factory=dict, repr=False)  # chunk → the matrix's columns of that row chunk (CSC)

    def block(self, start: int, chunk: int) -> sp.csc_matrix:
        key = (start, chunk)
        if key not in self._blocks:
            self._blocks[key] = self.matrix[:, start:start + chunk]
        return self._blocks[key]


def groups_of(enterprises: pd.DataFrame) -> Groups:
    coded = {}
    for st, col in GROUP_COLUMNS.items():
        if col in enterprises.columns:
            codes, uniq = pd.factorize(enterprises[col].astype(str), sort=True)  # hashing, not sorting strings
            coded[st] = (codes, [str(u) for u in uniq])
    return groups_from_codes(coded, len(enterprises))


def groups_from_matrix(indptr: np.ndarray, indices: np.ndarray, spans: dict[str, tuple[int, int, list[str]]],
                       codes: dict[str, np.ndarray]) -> Groups:
    """Groups from a stored matrix (the CSC arrays of groups_from_codes, e.g. memory-mapped)."""
    n_rows = max((hi for _, hi, _ in spans.values()), default=1)
    data = np.ones(len(indices))
    return Groups(sp.csc_matrix((data, indices, indptr), shape=(n_rows, len(indptr) - 1), copy=False), spans, codes)


def groups_from_codes(coded: dict[str, tuple[np.ndarray, list[str]]], n: int) -> Groups:
    """Groups from each subject type's (group index per enterprise, group ids), e.g. as stored.

    The matrix is built column-wise (CSC: each enterprise's column lists the city row and its groups'
    rows, ascending), so a block of enterprises is a cheap column slice. A CSC product adds each
    row's terms in enterprise order, as CSR does, so sums do not depend on the format."""
    spans, row, rows = {}, 1, [np.zeros(n, dtype=np.int64)]
    for st, (codes, ids) in coded.items():
        c = np.asarray(codes, dtype=np.int64)
        rows.append(np.where(c >= 0, c + row, -1))
        spans[st] = (row, row + len(ids), list(ids))
        row += len(ids)
    R = np.stack(rows, axis=1)
    if all(r.min(initial=0) >= 0 for r in rows):  # every enterprise in a group of each type: k per column
        indptr, indices = np.arange(0, R.size + 1, R.shape[1]), R.ravel()
    else:
        keep = R >= 0
        indptr = np.concatenate([[0], np.cumsum(keep.sum(axis=1))])
        indices = R[keep]
    matrix = sp.csc_matrix((np.ones(len(indices)), indices, indptr), shape=(row, n))
    return Groups(matrix, spans, {st: np.asarray(c) for st, (c, _) in coded.items()})


def group_sums_of(groups: Groups, a: np.ndarray) -> np.ndarray:
    """groups.matrix @ a for an enterprise × period array in either layout: a period-major one (a stored
    panel, memory-mapped) is summed period by period, which reads each period's contiguous run once
    instead of copying the whole array; the sums are the same to the bit either way."""
    if a.flags.c_contiguous or a.shape[1] == 0:
        return groups.matrix @ a
    return np.column_stack([groups.matrix @ a[:, t] for t in range(a.shape[1])])


def comparable_sums(panel: Panel, groups: Groups, slots: slice | None = None, chunk: int = 1 << 15,
                    measure: str = "value_added") -> tuple[np.ndarray, np.ndarray]:
    """Sums by subject of the comparable pairs (value at t and a year earlier, both kept only when the
    enterprise reported in both periods and the earlier value is positive: 同口径) for the periods
    t ≥ 1 year in `slots` (default all): in row chunks, so the pairs never exist whole (a single
    period is summed in one pass; the two agree to rounding, ~1e-16 relative)."""
    A, R, P = panel.values[measure], panel.reported, PERIODS_PER_YEAR
    lo, hi = (P, panel.n_slots) if slots is None else (max(slots.start, P), slots.stop)
    num = np.zeros((groups.matrix.shape[0], max(hi - lo, 0)))
    den = np.zeros_like(num)
    if hi <= lo:
        return num, den
    if hi - lo == 1:  # one period (a new month): its pairs are two columns, no need to chunk
        prev = A[:, lo - P]
        both = R[:, lo] & R[:, lo - P] & (prev > 0)
        num[:, 0] = groups.matrix @ np.where(both, A[:, lo], 0.0)
        den[:, 0] = groups.matrix @ np.where(both, prev, 0.0)
        return num, den
    for i in range(0, panel.n, chunk):
        a, r = A[i:i + chunk], R[i:i + chunk]
        cur, prev = a[:, lo:hi], a[:, lo - P:hi - P]
        both = r[:, lo:hi] & r[:, lo - P:hi - P] & (prev > 0)
        m = groups.block(i, chunk)
        num += m @ (cur * both)
        den += m @ (prev * both)
    return num, den


def context_from_panel(panel: Panel, groups: Groups | None = None) -> MonitoringContext:
    """Aggregate series from the panel: value-added sums (they add up, for growth and contributions)
    and a comparable-enterprise chained index (`value_added_comparable`, for the anomaly rules)."""
    g = groups if groups is not None else groups_of(panel.enterprises)
    T = panel.n_slots
    sums = group_sums_of(g, panel.values["value_added"])
    num, den = comparable_sums(panel, g)
    comp = chain_index(sums, num, den)
    any_report = panel.reported.any(axis=0)
    series: dict[str, SeriesSet] = {}
    city_levels = {m: panel.city_totals[m].reshape(1, T) for m in panel.city_totals}
    city_levels["value_added_comparable"] = chain_index(city_levels["value_added"], num[:1], den[:1])
    series["city"] = SeriesSet("city", [CITY_CODE], [CITY_NAME], city_levels, [CITY_NAME_EN])
    for st, (lo, hi, ids) in g.spans.items():
        va = sums[lo:hi]
        va[:, ~any_report] = np.nan
        series[st] = SeriesSet(st, ids, [subject_name(st, i) for i in ids],
                               {"value_added": va, "value_added_comparable": comp[lo:hi]},
                               [subject_name(st, i, "en") for i in ids])
    latest = int(np.nonzero(any_report)[0].max())
    return MonitoringContext(panel.first_year, T, latest, series, panel, dict(panel.price_basis), groups=g)


def context_with_period(ctx: MonitoringContext, panel: Panel, slot: int) -> MonitoringContext:
    """The context of a panel that `add_period` gave one more period: each series' column `slot` is
    summed from the panel, the other columns are kept. Equal to `context_from_panel(panel)` (tested);
    new enterprises in a subject that did not exist yet fall back to it."""
    g = ctx.groups
    if g is None or g.matrix.shape[1] != panel.n:
        fresh = groups_of(panel.enterprises)
        if g is None or {k: v[2] for k, v in fresh.spans.items()} != {k: v[2] for k, v in g.spans.items()}:
            return context_from_panel(panel, fresh)
        g = fresh
    T, P = panel.n_slots, PERIODS_PER_YEAR
    col = g.matrix @ panel.values["value_added"][:, slot]
    num, den = comparable_sums(panel, g, slice(slot, slot + 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den[:, 0] > 0, num[:, 0] / den[:, 0], np.nan) if slot >= P else None

    def widened(a: np.ndarray) -> np.ndarray:
        out = np.full((a.shape[0], T), np.nan)
        out[:, :a.shape[1]] = a
        return out

    def comparable(old: np.ndarray, first_year_level: np.ndarray, rows: slice) -> np.ndarray:
        c = widened(old)
        c[:, slot] = first_year_level if ratio is None else c[:, slot - P] * ratio[rows]
        return c

    series: dict[str, SeriesSet] = {}
    old_city = ctx.city
    city_levels = {m: panel.city_totals[m].reshape(1, T) for m in panel.city_totals}
    city_levels["value_added_comparable"] = comparable(old_city.levels["value_added_comparable"],
                                                       city_levels["value_added"][:, slot], slice(0, 1))
    series["city"] = SeriesSet("city", old_city.ids, old_city.names, city_levels, old_city.names_en)
    for st, (lo, hi, ids) in g.spans.items():
        old = ctx.series[st]
        va = widened(old.levels["value_added"])
        va[:, slot] = col[lo:hi]
        series[st] = SeriesSet(st, ids, old.names, {
            "value_added": va,
            "value_added_comparable": comparable(old.levels["value_added_comparable"], col[lo:hi], slice(lo, hi)),
        }, old.names_en)
    return MonitoringContext(panel.first_year, T, max(ctx.latest, slot), series, panel, dict(panel.price_basis),
                             groups=g)


def context_from_levels(levels: pd.DataFrame, basis: dict[str, str] | None = None) -> MonitoringContext:
    """Context from aggregate single-period levels.

    levels: long frame with subject_type, subject_id, year, month, and one column per measure
    (value_added required; value_added_comparable optional: a comparable-enterprise chained index,
    used by the anomaly rules when present). Other subject types than the city carry these two only.
    """
    first_year = int(levels["year"].min())
    T = (int(levels["year"].max()) - first_year + 1) * PERIODS_PER_YEAR
    s = slot_of(levels["year"].to_numpy(), levels["month"].to_numpy(), first_year)
    series: dict[str, SeriesSet] = {}
    for st in [t for t in SUBJECT_TYPES if t in set(levels["subject_type"])]:
        mask = (levels["subject_type"] == st).to_numpy()
        sub = levels[mask]
        ids = sorted(sub["subject_id"].astype(str).unique())
        pos = {k: i for i, k in enumerate(ids)}
        r = sub["subject_id"].astype(str).map(pos).to_numpy()
        measures = (*CITY_MEASURES, "value_added_comparable") if st == "city" else ("value_added", "value_added_comparable")
        lv = {}
        for m in measures:
            if m not in sub.columns:
                continue
            a = np.full((len(ids), T), np.nan)
            a[r, s[mask]] = sub[m].to_numpy(dtype=float)
            lv[m] = a
        series[st] = SeriesSet(st, ids, [subject_name(st, i) for i in ids], lv,
                               [subject_name(st, i, "en") for i in ids])
    city = series["city"].levels["value_added"][0]
    latest = int(np.nonzero(~np.isnan(city))[0].max())
    return MonitoringContext(first_year, T, latest, series, None, dict(basis or {}))
