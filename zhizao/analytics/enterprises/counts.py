"""Enterprise counts from the registry's tag history, and the plan indicators they observe
(专精特新 5000 家, 科技型企业 8.6 万家, 小巨人 累计新增 …; docs/enterprises.md §Enterprise counts).

An enterprise holds a tag at date d if acquired <= d and (lost == "" or d < lost). Per year Y:
- stock: distinct holders on Y-12-31;
- new: distinct enterprises whose FIRST acquisition of the tag falls in (B-12-31, Y-12-31], B the
  baseline year — cumulative, so it never falls;
- lost: distinct enterprises that held it on (Y-1)-12-31 and do not on Y-12-31.
Dates are 'YYYY-MM-DD' strings, so comparing them as text compares the dates.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import labels
from zhizao.analytics.enterprises.data import EnterpriseData

COUNT_COLUMNS = ["year", "stock", "new", "lost"]
OBSERVATION_COLUMNS = ["indicator", "year", "value", "unit", "measure", "basis_year", "source"]
# An indicator's unit → enterprises per unit of its value (8.6 万家 = 86,000 enterprises).
UNIT_SCALE = {"家": 1.0, "个": 1.0, "户": 1.0, "万家": 1e4, "万个": 1e4, "万户": 1e4}


def _spells(data: EnterpriseData, tag: str, level: str | None) -> pd.DataFrame:
    """The tag's spells (enterprise_id, acquired, lost) at `level` (any when None); rows without an
    acquisition date cannot be placed in time and are left out."""
    t = data.tags
    keep = t["tag"] == tag
    if level is not None:
        keep &= t["level"].fillna("") == level
    s = t.loc[keep, ["enterprise_id", "acquired", "lost"]].copy()
    s["acquired"] = s["acquired"].fillna("").astype(str)
    s["lost"] = s["lost"].fillna("").astype(str)
    return s[s["acquired"] != ""]


def _year_end(y: int) -> str:
    return f"{int(y):04d}-12-31"


def _holders(s: pd.DataFrame, day: str) -> set:
    held = (s["acquired"].to_numpy(dtype=object) <= day) & (
        (s["lost"].to_numpy(dtype=object) == "") | (s["lost"].to_numpy(dtype=object) > day))
    return set(s["enterprise_id"].to_numpy(dtype=object)[held])


def _event_years(s: pd.DataFrame) -> list[int]:
    dates = [d for d in (*s["acquired"], *s["lost"]) if d]
    return sorted({int(d[:4]) for d in dates})


def tag_counts(data: EnterpriseData, tag: str, level: str | None = None, years=None, *,
               baseline: int | None = None) -> pd.DataFrame:
    """(year, stock, new, lost) of `tag` at `level` for `years` (default: the first to the last year
    with an acquisition or loss). `new` counts first acquisitions after `baseline` (default: the year
    before the first year shown)."""
    s = _spells(data, tag, level)
    if years is None:
        ev = _event_years(s)
        years = range(ev[0], ev[-1] + 1) if ev else []
    years = sorted({int(y) for y in years})
    if not years:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in COUNT_COLUMNS})
    base = years[0] - 1 if baseline is None else int(baseline)
    first = s.groupby("enterprise_id", sort=False)["acquired"].min().to_numpy(dtype=object)
    rows = []
    prev_year, prev = None, set()
    for y in years:
        before = prev if prev_year == y - 1 else _holders(s, _year_end(y - 1))
        now = _holders(s, _year_end(y))
        new = int(((first > _year_end(base)) & (first <= _year_end(y))).sum()) if y > base else 0
        rows.append({"year": y, "stock": len(now), "new": new, "lost": len(before - now)})
        prev_year, prev = y, now
    return pd.DataFrame(rows, columns=COUNT_COLUMNS).astype("int64")


def _last_year(data: EnterpriseData, s: pd.DataFrame) -> int | None:
    """The last year whose end the data describe: as_of's year when as_of is 31 December, else the
    year before (a count on 2025-06-30 is not the 2025 year-end count); without as_of the last year
    with an acquisition or loss."""
    if data.as_of:
        y = int(data.as_of[:4])
        return y if data.as_of[5:10] == "12-31" else y - 1
    ev = _event_years(s)
    return ev[-1] if ev else None


def registry_observations(plan, data: EnterpriseData) -> pd.DataFrame:
    """One row per (indicator with registry_count, year): the count in the indicator's unit. Stock
    from the plan's base year, new from the year after the indicator's baseline, to the last year the
    data describe. An indicator whose tag the registry never records gets no rows (its count is
    unknown, not zero); attrs["notes"] says which, and why (zh, en)."""
    inds = [i for i in plan.indicators if i.registry_count is not None]
    out = pd.DataFrame({"indicator": pd.Series(dtype=object), "year": pd.Series(dtype="int64"),
                        "value": pd.Series(dtype=float), "unit": pd.Series(dtype=object),
                        "measure": pd.Series(dtype=object), "basis_year": pd.Series(dtype="Int64"),
                        "source": pd.Series(dtype=object)})
    notes: list[tuple[str, str]] = []
    if not inds:
        out.attrs["notes"] = [labels.ENTERPRISE_WORDS["no_registry_counts"]]
        return out
    rows = []
    for ind in inds:
        rc = ind.registry_count
        tag = rc.tag.value
        s = _spells(data, tag, rc.level)
        tz, te = labels.ENTERPRISE_TAG_NAME.get(tag, (tag, tag))
        scale = UNIT_SCALE.get(ind.unit)
        if scale is None:
            notes.append((f"{ind.name}：单位“{ind.unit}”不是企业数的单位（家、万家、个），未计数",
                          f"{ind.name_en or ind.name}: unit '{ind.unit}' is not a count of enterprises (家, 万家, 个): "
                          f"not counted"))
            continue
        if s.empty:
            lz, le = labels.SRDI_LEVEL_WORD.get(rc.level or "", ("", ""))
            notes.append((f"{ind.name}：企业名录未记录{lz}{tz}标签，无法计数",
                          f"{ind.name_en or ind.name}: the registry records no {le + ' ' if le else ''}{te} tag, "
                          f"so it cannot be counted"))
            continue
        last = _last_year(data, s)
        if rc.measure == "new":
            base = ind.baseline.year
            years = range(base + 1, (last or base) + 1)
        else:
            base = None
            years = range(plan.plan.base_year, (last or plan.plan.base_year - 1) + 1)
        counts = tag_counts(data, tag, rc.level, years, baseline=base)
        col = "new" if rc.measure == "new" else "stock"
        for y, n in zip(counts["year"], counts[col]):
            rows.append({"indicator": ind.id, "year": int(y), "value": n / scale, "unit": ind.unit,
                         "measure": rc.measure, "basis_year": base, "source": data.source})
    if rows:
        out = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"year": "int64", "value": float,
                                                                      "basis_year": "Int64"})
    out.attrs["notes"] = notes
    return out


def holders(data: EnterpriseData, tag: str, day: str, level: str | None = None) -> np.ndarray:
    """The enterprise ids holding `tag` (at `level`, any when None) on `day` ('YYYY-MM-DD')."""
    return np.array(sorted(_holders(_spells(data, tag, level), day)), dtype=object)
