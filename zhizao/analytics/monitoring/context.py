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

from zhizao.analytics.monitoring.panel import CITY_MEASURES, Panel, chain_index, comparable_pairs, one_hot
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


def context_from_panel(panel: Panel) -> MonitoringContext:
    """Aggregate series from the panel: value-added sums (they add up, for growth and contributions)
    and a comparable-enterprise chained index (`value_added_comparable`, for the anomaly rules)."""
    series: dict[str, SeriesSet] = {}
    T = panel.n_slots
    num, den = comparable_pairs(panel)
    any_report = panel.reported.any(axis=0)
    city_levels = {m: panel.city_totals[m].reshape(1, T) for m in panel.city_totals}
    city_levels["value_added_comparable"] = chain_index(city_levels["value_added"], num.sum(axis=0)[None, :],
                                                        den.sum(axis=0)[None, :])
    series["city"] = SeriesSet("city", [CITY_CODE], [CITY_NAME], city_levels, [CITY_NAME_EN])
    for st, col in GROUP_COLUMNS.items():
        if col not in panel.enterprises.columns:
            continue
        codes, uniq = pd.factorize(panel.enterprises[col].astype(str), sort=True)
        M = one_hot(codes, len(uniq))
        sums = M @ panel.values["value_added"]
        sums[:, ~any_report] = np.nan
        comp = chain_index(sums, M @ num, M @ den)
        ids = [str(u) for u in uniq]
        series[st] = SeriesSet(st, ids, [subject_name(st, i) for i in ids],
                               {"value_added": sums, "value_added_comparable": comp},
                               [subject_name(st, i, "en") for i in ids])
    del num, den
    latest = int(np.nonzero(any_report)[0].max())
    return MonitoringContext(panel.first_year, T, latest, series, panel, dict(panel.price_basis))


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
