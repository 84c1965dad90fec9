"""Investment projects at a date: the stage each has reached, slippage against its planned stage dates,
investment against the time elapsed (序时进度), the 签约 → 开工 → 投产 → 达产 funnel, a project's stage-date
history, and the plans' project targets counted from the register (docs/delivery.md §Projects).

A stage is reached at `as_of` when its actual date is on or before `as_of` (an as-of view does not see
later dates). Suspended and cancelled projects are shown but never flagged.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.delivery import history as _history
from zhizao.ingest.delivery_frames import PROJECT_COLUMNS, STAGE_NAMES, STAGES, DeliveryData
from zhizao.settings import Settings

# the stages whose planned date, once past by more than the grace, is a warning (签约 is not: a project
# in the register before signing is still being negotiated)
GRACE_STAGES = ("started", "production", "full_production")
STAGE_COLUMNS = (*(f"planned_{s}" for s in STAGES), *STAGES)
STATUS_COLUMNS = [*PROJECT_COLUMNS, "stage", "next_stage", "next_planned", "days_overdue", "stage_overdue",
                  *(f"slip_{s}" for s in STAGES), "cumulative_investment", "investment_share", "schedule_share",
                  "gap_pp", "investment_behind", "reasons_zh", "reasons_en"]
FUNNEL_COLUMNS = ["group", "stage", "n", "planned_investment", "share"]
FUNNEL_GROUPS = (None, "cluster", "district")
OBSERVATION_COLUMNS = ["indicator", "year", "value", "unit", "measure", "basis_year", "source"]
# an indicator's unit → projects (count) or 万元 (investment) per unit of its value
COUNT_UNITS = {"个": 1.0, "项": 1.0, "万个": 1e4}
MONEY_UNITS = {"万元": 1.0, "亿元": 1e4}
INACTIVE = ("suspended", "cancelled")
W = labels.DELIVERY_ANALYTICS_WORDS


def day(v) -> dt.date | None:
    """A 'YYYY-MM-DD' string (or a date) as a date; "", NaN and None → None."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip()[:10]
    return dt.date.fromisoformat(text) if text else None


def as_of_date(as_of, data: DeliveryData | None = None) -> dt.date:
    """The date statuses are judged at: `as_of`, else the data's own."""
    d = day(as_of) if as_of is not None else day(data.as_of) if data is not None else None
    if d is None:
        raise ValueError("as_of is needed (the data carry none)")
    return d


def _stage_en(stage: str) -> str:
    return STAGE_NAMES[stage][1]


def project_status(data: DeliveryData, as_of=None, settings: Settings | None = None) -> pd.DataFrame:
    """One row per project (STATUS_COLUMNS): the project's columns, then
    stage (latest actual stage reached by as_of, "" none), next_stage ("" after 达产), next_planned (its
    planned date, "" unknown), days_overdue (as_of − next_planned, ≥ 0), stage_overdue (days_overdue >
    project_stage_grace_days for 开工/投产/达产 of an active project), slip_<stage> (actual − planned, days;
    NaN when either is missing), cumulative_investment (万元 of project_progress up to as_of's month),
    investment_share (% of planned_investment), schedule_share (% of the time from 开工 (actual, else
    planned) to planned 投产 elapsed, clipped 0–100; NaN before 开工 or without both dates), gap_pp
    (investment_share − schedule_share), investment_behind (started, not yet in production, active, gap_pp
    < −project_investment_gap_pp), reasons_zh/reasons_en (why it is flagged, with the numbers; "" if not)."""
    s = settings or Settings()
    at = as_of_date(as_of, data)
    grace, gap_limit = int(s["project_stage_grace_days"]), float(s["project_investment_gap_pp"])
    cumulative = _cumulative_investment(data.project_progress, at)
    rows = []
    for p in data.projects.to_dict("records"):
        rows.append({**p, **_one(p, at, grace, gap_limit, cumulative.get(str(p["project_id"]), 0.0))})
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    if out.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in STATUS_COLUMNS})
    floats = ["planned_investment", "planned_output", *(f"slip_{st}" for st in STAGES), "cumulative_investment",
              "investment_share", "schedule_share", "gap_pp"]
    out[floats] = out[floats].astype(float)
    out["days_overdue"] = out["days_overdue"].astype("int64")
    out[["stage_overdue", "investment_behind"]] = out[["stage_overdue", "investment_behind"]].astype(bool)
    return out


def _cumulative_investment(progress: pd.DataFrame, at: dt.date) -> dict[str, float]:
    """万元 per project over the months up to and including as_of's month."""
    if progress.empty:
        return {}
    ym = pd.to_numeric(progress["year"], errors="coerce") * 100 + pd.to_numeric(progress["month"], errors="coerce")
    upto = progress[ym <= at.year * 100 + at.month]
    inv = pd.to_numeric(upto["investment"], errors="coerce").fillna(0.0)
    return inv.groupby(upto["project_id"].astype(str)).sum().to_dict()


def _one(p: dict, at: dt.date, grace: int, gap_limit: float, cumulative: float) -> dict:
    reached = [st for st in STAGES if (d := day(p.get(st))) is not None and d <= at]
    stage = reached[-1] if reached else ""
    rank = STAGES.index(stage) if stage else -1
    next_stage = STAGES[rank + 1] if rank + 1 < len(STAGES) else ""
    planned_next = day(p.get(f"planned_{next_stage}")) if next_stage else None
    days_overdue = max(0, (at - planned_next).days) if planned_next else 0
    active = str(p.get("status") or "") not in INACTIVE
    stage_overdue = active and next_stage in GRACE_STAGES and days_overdue > grace
    slips = {}
    for st in STAGES:
        a, pl = day(p.get(st)), day(p.get(f"planned_{st}"))
        slips[f"slip_{st}"] = float((a - pl).days) if a and pl else np.nan
    planned = pd.to_numeric(p.get("planned_investment"), errors="coerce")
    share = 100.0 * cumulative / planned if pd.notna(planned) and planned > 0 else np.nan
    schedule = schedule_share(day(p.get("started")) or day(p.get("planned_started")),
                              day(p.get("planned_production")), at)
    gap = share - schedule
    behind = bool(active and STAGES.index("started") <= rank < STAGES.index("production")
                  and np.isfinite(gap) and gap < -gap_limit)
    zh, en = [], []
    if stage_overdue:
        args = dict(planned=planned_next.isoformat(), days=days_overdue, grace=grace, as_of=at.isoformat())
        zh.append(W["stage_overdue"][0].format(stage=STAGE_NAMES[next_stage][0], **args))
        en.append(W["stage_overdue"][1].format(stage=_stage_en(next_stage), **args))
    if behind:
        args = dict(cum=formatting.number(cumulative), share=formatting.percent(share),
                    schedule=formatting.percent(schedule), limit=formatting.number(gap_limit))
        zh.append(W["investment_behind"][0].format(gap=formatting.points(-gap, signed=False), **args))
        en.append(W["investment_behind"][1].format(gap=formatting.points(-gap, "en", signed=False), **args))
    return {"stage": stage, "next_stage": next_stage,
            "next_planned": planned_next.isoformat() if planned_next else "", "days_overdue": days_overdue,
            "stage_overdue": bool(stage_overdue), **slips, "cumulative_investment": float(cumulative),
            "investment_share": share, "schedule_share": schedule, "gap_pp": gap, "investment_behind": behind,
            "reasons_zh": "；".join(zh), "reasons_en": "; ".join(en)}


def schedule_share(start: dt.date | None, end: dt.date | None, at: dt.date) -> float:
    """% of the time from `start` to `end` elapsed at `at`, clipped to 0–100; NaN before `start`, or
    without both dates, or when `end` is not after `start`."""
    if start is None or end is None or end <= start or at < start:
        return np.nan
    return float(min(100.0, 100.0 * (at - start).days / (end - start).days))


def funnel(status: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """签约 → 开工 → 投产 → 达产 (FUNNEL_COLUMNS) over project_status rows, per group (`by` None: one group
    "all"; "cluster" or "district": its value, "" unknown): n = projects that reached at least the stage (a
    project in production counts under 签约 and 开工 too), planned_investment = their planned investment
    (万元), share = n as % of those signed (NaN when none). Projects that reached no stage are left out."""
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"funnel by must be one of None, 'cluster', 'district', not {by!r}")
    rank = status["stage"].fillna("").map(lambda st: STAGES.index(st) if st in STAGES else -1)
    # object first: a column of only NaN is float and takes no "" (stored registers without clusters)
    keys = (pd.Series("all", index=status.index) if by is None
            else status[by].astype(object).fillna("").astype(str))
    planned = pd.to_numeric(status["planned_investment"], errors="coerce")
    rows = []
    for group in sorted(set(keys[rank >= 0])):
        in_group = (keys == group).to_numpy()
        signed = int((in_group & (rank >= 0).to_numpy()).sum())
        for i, st in enumerate(STAGES):
            hit = in_group & (rank >= i).to_numpy()
            n = int(hit.sum())
            rows.append({"group": group, "stage": st, "n": n,
                         "planned_investment": float(planned[hit].sum(min_count=0)),
                         "share": 100.0 * n / signed if signed else np.nan})
    out = pd.DataFrame(rows, columns=FUNNEL_COLUMNS)
    return out.astype({"n": "int64", "planned_investment": float, "share": float}) if rows else out


def project_history(data: DeliveryData, project_id: str) -> pd.DataFrame:
    """How the project's stage dates (planned and actual) changed, newest first: history.changes rows of
    the project whose column is a stage date, and its creation (column "")."""
    ch = _history.changes(data.history, "projects", str(project_id))
    if ch.empty:
        return ch
    keep = ch["column"].isin(STAGE_COLUMNS) | (ch["column"].fillna("") == "")
    return ch[keep].reset_index(drop=True)


def _last_year(at: dt.date | None) -> int | None:
    """The last year whose end the data describe: as_of's year on 31 December, else the year before."""
    if at is None:
        return None
    return at.year if (at.month, at.day) == (12, 31) else at.year - 1


def project_observations(plan, data: DeliveryData, as_of=None) -> pd.DataFrame:
    """One row per (indicator with project_count, year) (OBSERVATION_COLUMNS): the projects that reached
    the stage (actual date) — their number, or their planned investment — in the indicator's unit (个, 项,
    万个; 亿元, 万元). `cumulative`: reached after the end of basis_year (the indicator's baseline year, else
    the plan's base year) up to the end of each year, so basis_year itself is 0 by definition and is emitted
    (the assessment's base-year value: its pace is judged without a printed baseline); `yearly`: reached
    within the year (basis_year empty). Years from basis_year (the year after the plan's base year for
    yearly) to the last year ended by as_of
    (default: the data's as_of; without any, the last year with a date). attrs["note_zh"/"note_en"] says
    why there are no rows (no such indicator, an empty register) or which indicators were skipped."""
    out = pd.DataFrame({"indicator": pd.Series(dtype=object), "year": pd.Series(dtype="int64"),
                        "value": pd.Series(dtype=float), "unit": pd.Series(dtype=object),
                        "measure": pd.Series(dtype=object), "basis_year": pd.Series(dtype="Int64"),
                        "source": pd.Series(dtype=object)})
    inds = [i for i in plan.indicators if i.project_count is not None]
    notes: list[tuple[str, str]] = []
    if not inds:
        notes.append(W["no_project_counts"])
    elif data.projects.empty:
        notes.append(W["no_projects"])
    rows = []
    at = day(as_of) if as_of is not None else day(data.as_of)
    for ind in inds if not data.projects.empty else []:
        pc = ind.project_count
        stage = pc.stage.value
        scale = (COUNT_UNITS if pc.measure == "count" else MONEY_UNITS).get(ind.unit)
        if scale is None:
            nz, ne = W["bad_unit_count" if pc.measure == "count" else "bad_unit_investment"]
            notes.append((nz.format(name=ind.name, unit=ind.unit),
                          ne.format(name=ind.name_en or ind.name, unit=ind.unit)))
            continue
        when = data.projects[stage].map(day)
        dated = when.notna().to_numpy()
        years = pd.Series([d.year if d else 0 for d in when], index=data.projects.index)
        amount = (pd.Series(1.0, index=data.projects.index) if pc.measure == "count"
                  else pd.to_numeric(data.projects["planned_investment"], errors="coerce").fillna(0.0))
        last = _last_year(at) if at is not None else (int(years[dated].max()) if dated.any() else None)
        cumulative = pc.period == "cumulative"
        basis = (ind.baseline.year if ind.baseline else plan.plan.base_year) if cumulative else None
        # cumulative: the basis year's own 0 is a value (nothing counts yet), the pace's starting point
        first = basis if cumulative else plan.plan.base_year + 1
        for y in range(first, (last or first - 1) + 1):
            hit = dated & ((years > basis) & (years <= y) if cumulative else years == y).to_numpy()
            rows.append({"indicator": ind.id, "year": y, "value": float(amount[hit].sum()) / scale,
                         "unit": ind.unit, "measure": pc.measure, "basis_year": basis, "source": data.source})
    if rows:
        out = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"year": "int64", "value": float,
                                                                      "basis_year": "Int64"})
    out.attrs["note_zh"] = "；".join(n[0] for n in notes)
    out.attrs["note_en"] = "; ".join(n[1] for n in notes)
    return out
