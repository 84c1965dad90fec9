"""三服务 problems at a date: overdue, days open, resolution time, and counts by department, district
or category (docs/delivery.md §三服务 problems).

A problem is resolved at as_of when its status is resolved and its resolved date is on or before
as_of (a later resolution has not happened yet at that date). Overdue = not resolved at as_of and
its deadline strictly before as_of; days_overdue = as_of − deadline. resolution_days = resolved −
raised; on_time = resolved on or before the deadline (NA while unresolved).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from zhizao import formatting
from zhizao.ingest.delivery_frames import (PROBLEM_CATEGORIES, PROBLEM_COLUMNS, DeliveryData, unit_names)
from zhizao.settings import Settings

STATUS_COLUMNS = [*PROBLEM_COLUMNS, "category_zh", "category_en", "department_name", "department_name_en",
                  "district_name", "district_name_en", "state", "days_open", "overdue", "days_overdue",
                  "resolution_days", "on_time", "reasons_zh", "reasons_en"]
SUMMARY_BY = ("department", "district", "category")
SUMMARY_COLUMNS = ["group", "name", "name_en", "n", "open", "in_progress", "resolved", "overdue",
                   "on_time_share", "median_resolution_days", "mean_resolution_days"]


def as_of_date(as_of, data: DeliveryData | None = None) -> pd.Timestamp:
    """as_of (a date or 'YYYY-MM-DD'), else the data's own as_of, else today."""
    value = as_of if as_of is not None else (data.as_of if data is not None else None)
    return pd.Timestamp(value if value is not None else dt.date.today()).normalize()


def dates(series: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' text ("" / NaN = none) as timestamps (NaT = none)."""
    text = series.astype(object).where(series.notna(), "").astype(str).str.strip()
    return pd.to_datetime(text, errors="coerce", format="ISO8601")  # "" → NaT


def _days(later: pd.Series, earlier: pd.Series | pd.Timestamp) -> pd.Series:
    return (later - earlier).dt.days.astype("float64")


def problem_status(data: DeliveryData, as_of=None, settings: Settings | None = None, *,
                   plan=None) -> pd.DataFrame:
    """Per problem: its columns + category and unit names, state at as_of, days_open, overdue,
    days_overdue, resolution_days, on_time and reasons. `plan` (optional) names district units and
    districts; without it the names come from data.departments (a code stands for a district)."""
    del settings  # no threshold applies to a single problem (the warning's severity is analytics-1's)
    day = as_of_date(as_of, data)
    p = data.problems.reset_index(drop=True).copy()
    out = p.reindex(columns=PROBLEM_COLUMNS)
    names_zh, names_en = _unit_names(plan, data)
    cat = out["category"].fillna("").astype(str).tolist()  # plain lists: iterating Arrow strings is slow
    out["category_zh"] = [PROBLEM_CATEGORIES.get(c, (c, c))[0] for c in cat]
    out["category_en"] = [PROBLEM_CATEGORIES.get(c, (c, c))[1] for c in cat]
    dep = out["department"].fillna("").astype(str).tolist()
    out["department_name"] = [names_zh.get(d, d) for d in dep]
    out["department_name_en"] = [names_en.get(d, d) for d in dep]
    dis = out["district"].fillna("").astype(str).tolist()
    out["district_name"] = [names_zh.get(d, d) for d in dis]
    out["district_name_en"] = [names_en.get(d, d) for d in dis]

    raised, deadline, resolved = dates(out["raised"]), dates(out["deadline"]), dates(out["resolved"])
    is_resolved = (out["status"] == "resolved").to_numpy() & (resolved <= day).to_numpy()
    stored = out["status"].fillna("").astype(str).replace("", "open")
    # a resolution after as_of has not happened yet: the problem was still being handled
    out["state"] = np.where(is_resolved, "resolved", np.where(stored == "resolved", "in_progress", stored))
    end = resolved.where(is_resolved, day)
    out["days_open"] = _days(end, raised).clip(lower=0)
    overdue = ~is_resolved & (deadline < day).to_numpy()
    out["overdue"] = overdue
    out["days_overdue"] = np.where(overdue, _days(pd.Series(day, index=out.index), deadline), 0.0)
    out["resolution_days"] = _days(resolved, raised).where(is_resolved)
    on_time = pd.Series(pd.NA, index=out.index, dtype="boolean")
    known = is_resolved & deadline.notna().to_numpy()
    on_time[known] = (resolved <= deadline)[known]
    out["on_time"] = on_time
    # the reasons: one per problem that is overdue or was resolved late (only those rows are visited)
    zh, en = [""] * len(out), [""] * len(out)
    deadlines = out["deadline"].tolist()
    over_days = out["days_overdue"].to_numpy()
    for i in np.flatnonzero(overdue):
        n, d = formatting.number(int(over_days[i]), 0), deadlines[i]
        zh[i], en[i] = f"超过办理期限（{d}）{n} 天未办结", f"{n} days past its deadline ({d}), not resolved"
    late_days = _days(resolved, deadline).to_numpy()
    for i in np.flatnonzero(~overdue & known & ~on_time.fillna(True).to_numpy(dtype=bool)):
        n, d = formatting.number(int(late_days[i]), 0), deadlines[i]
        zh[i], en[i] = f"办结日期晚于办理期限（{d}）{n} 天", f"resolved {n} days after its deadline ({d})"
    out["reasons_zh"], out["reasons_en"] = zh, en
    out = out[STATUS_COLUMNS]
    out.attrs.update(label_attrs(data, "services", day))
    return out


def label_attrs(data: DeliveryData, area: str, day: pd.Timestamp) -> dict:
    """What every analytics frame carries so no reader loses the synthetic label or the date."""
    return {"synthetic": data.area_synthetic(area), "source": data.source, "as_of": day.strftime("%Y-%m-%d")}


def _unit_names(plan, data: DeliveryData) -> tuple[dict[str, str], dict[str, str]]:
    if plan is not None:
        return unit_names(plan, data.departments, "zh"), unit_names(plan, data.departments, "en")
    d = data.departments
    zh = dict(zip(d["department_id"].astype(str), d["name"].fillna("").astype(str)))
    en = {k: (e or zh[k]) for k, e in zip(d["department_id"].astype(str), d["name_en"].fillna("").astype(str))}
    return zh, en


def service_summary(status: pd.DataFrame, by: str = "department") -> pd.DataFrame:
    """Per department, district or category of problem_status: n, open / in_progress / resolved (the
    state at as_of), overdue, on_time_share (% of the resolved with a deadline resolved by it; NaN
    when none), median and mean resolution days. Most problems first."""
    if by not in SUMMARY_BY:
        raise ValueError(f"by must be one of {SUMMARY_BY}, not {by!r}")
    if status.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in ("group", "name", "name_en") else "float64")
                             for c in SUMMARY_COLUMNS})
    name_cols = {"department": ("department_name", "department_name_en"),
                 "district": ("district_name", "district_name_en"), "category": ("category_zh", "category_en")}[by]
    s = status.assign(group=status[by].fillna("").astype(str))
    rows = []
    for group, g in s.groupby("group", sort=False):
        res = g["resolution_days"].dropna()
        on_time = g["on_time"].dropna()
        rows.append({"group": group, "name": g[name_cols[0]].iat[0], "name_en": g[name_cols[1]].iat[0],
                     "n": len(g), "open": int((g["state"] == "open").sum()),
                     "in_progress": int((g["state"] == "in_progress").sum()),
                     "resolved": int((g["state"] == "resolved").sum()), "overdue": int(g["overdue"].sum()),
                     "on_time_share": 100.0 * on_time.astype(bool).mean() if len(on_time) else np.nan,
                     "median_resolution_days": float(res.median()) if len(res) else np.nan,
                     "mean_resolution_days": float(res.mean()) if len(res) else np.nan})
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out = out.sort_values(["n", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs.update({k: v for k, v in status.attrs.items() if k in ("synthetic", "source", "as_of")})
    return out
