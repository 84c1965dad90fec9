"""Investment projects: cumulative completion against the time elapsed (序时进度)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, slot_of


def project_progress(projects: pd.DataFrame, monthly: pd.DataFrame, period: tuple[int, int]) -> pd.DataFrame:
    """Per project at `period`: YTD and cumulative investment, completion (% of planned) and the
    schedule (% of planned periods elapsed, capped at 100); gap_pp = completion − schedule.

    projects: project_id, planned_investment, start_year, start_month, planned_periods.
    monthly: project_id, year, month, investment (single period).
    """
    y, m = period
    base = int(projects["start_year"].min()) if len(projects) else y
    slot = int(slot_of(y, m, base))
    mm = monthly.assign(_s=slot_of(monthly["year"].to_numpy(), monthly["month"].to_numpy(), base))
    upto = mm[mm["_s"] <= slot]
    cum = upto.groupby("project_id")["investment"].sum()
    year_start = slot - slot % PERIODS_PER_YEAR
    ytd = upto[upto["_s"] >= year_start].groupby("project_id")["investment"].sum()
    p = projects.copy()
    start = slot_of(p["start_year"].to_numpy(), p["start_month"].to_numpy(), base)
    elapsed = np.clip(slot - start + 1, 0, None)
    p["ytd_investment"] = p["project_id"].map(ytd).fillna(0.0)
    p["cumulative_investment"] = p["project_id"].map(cum).fillna(0.0)
    p["completion_pct"] = p["cumulative_investment"] / p["planned_investment"] * 100
    p["schedule_pct"] = np.minimum(elapsed / p["planned_periods"].to_numpy() * 100, 100.0)
    p["gap_pp"] = p["completion_pct"] - p["schedule_pct"]
    return p[elapsed > 0].reset_index(drop=True)
