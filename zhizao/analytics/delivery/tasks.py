"""The 任务分工方案 under supervision: each work item's status at a date, progress by department or by
task, and an item's reports (docs/delivery.md §Tasks and supervision).

Reports dated after as_of are not yet written at as_of and are ignored; an item's completion is its
latest report's (0 without one). time_share = % of start → deadline elapsed at as_of (clipped 0–100);
gap_pp = completion − time_share. Status, the first that holds:
- done: completion ≥ 100;
- overdue: deadline strictly before as_of;
- stalled: started (start ≤ as_of) and more than task_stalled_days since the last report (since the
  start when there is none);
- behind: gap_pp < −task_behind_pp;
- on_track: started, or reported on;
- not_started: otherwise (start after as_of, no report).
A milestone is done when its done date is on or before as_of; overdue when not done and due strictly
before as_of.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.delivery.services import as_of_date, dates, label_attrs
from zhizao.ingest.delivery_frames import REPORT_COLUMNS, WORK_ITEM_COLUMNS, DeliveryData, unit_names
from zhizao.settings import Settings

STATUSES = ("done", "overdue", "stalled", "behind", "on_track", "not_started")
ITEM_COLUMNS = [*WORK_ITEM_COLUMNS, "title_en", "task_title", "task_section", "lead_names", "lead_names_en",
                "cooperating_names", "cooperating_names_en", "completion", "last_report", "n_reports",
                "days_since_report", "time_share", "gap_pp", "days_overdue", "next_milestone_due",
                "next_milestone_text", "overdue_milestones", "status", "status_zh", "status_en",
                "reasons_zh", "reasons_en"]
PROGRESS_BY = ("department", "task")
PROGRESS_COLUMNS = ["group", "name", "name_en", "n", *STATUSES, "mean_completion"]
_NUMERIC = {"completion", "days_since_report", "time_share", "gap_pp", "days_overdue"}


def _units(text) -> list[str]:
    return [u.strip() for u in str(text or "").split(";") if u.strip()]


def _empty(columns, numeric) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in numeric else "object") for c in columns})


def item_status(plan, data: DeliveryData, as_of=None, settings: Settings | None = None) -> pd.DataFrame:
    """Per work item: its columns + the task's title and section, unit names (zh, en), completion,
    last_report, n_reports, time_share, gap_pp, the next milestone, overdue_milestones, status and
    reasons. attrs: unit_names_zh / unit_names_en (id → name, for task_progress) and, when the plan
    and the data have no work item, note_zh / note_en."""
    s = settings if settings is not None else Settings()
    day = as_of_date(as_of, data)
    names_zh = unit_names(plan, data.departments, "zh")
    names_en = unit_names(plan, data.departments, "en")
    items = data.work_items.reset_index(drop=True).reindex(columns=WORK_ITEM_COLUMNS)
    if items.empty:
        out = _empty(ITEM_COLUMNS, _NUMERIC | {"n_reports", "overdue_milestones"})
        out.attrs.update(unit_names_zh=names_zh, unit_names_en=names_en, **label_attrs(data, "tasks", day))
        if not plan.work_items:
            out.attrs.update(note_zh=labels.DELIVERY_TASK_WORDS["no_work_items"][0],
                             note_en=labels.DELIVERY_TASK_WORDS["no_work_items"][1])
        return out
    out = items.copy()
    plan_items = {w.id: w for w in plan.work_items}
    texts = {t.id: t for t in [*plan.tasks, *plan.safeguards]}
    out["title_en"] = [(plan_items[i].title_en or "") if i in plan_items else "" for i in out["item_id"]]
    out["task_title"] = [texts[t].title if t in texts else "" for t in out["task"]]
    out["task_section"] = [texts[t].section if t in texts else "" for t in out["task"]]
    for col in ("lead", "cooperating"):
        units = [_units(v) for v in out[col]]
        out[f"{col}_names"] = ["、".join(names_zh.get(u, u) for u in us) for us in units]
        out[f"{col}_names_en"] = ["; ".join(names_en.get(u, u) for u in us) for us in units]

    reps = data.progress_reports
    reps = reps[(dates(reps["date"]) <= day).to_numpy()]
    reps = reps.sort_values(["date", "report_id"], kind="stable")
    last = reps.groupby("item_id", sort=False).tail(1).set_index("item_id")
    counts = reps.groupby("item_id").size()
    ids = out["item_id"]
    completion = ids.map(last["completion"]).astype("float64").fillna(0.0)
    out["completion"] = completion
    out["last_report"] = [d if isinstance(d, str) else "" for d in ids.map(last["date"])]
    out["n_reports"] = ids.map(counts).fillna(0).astype("int64")

    start, deadline, last_day = dates(out["start"]), dates(out["deadline"]), dates(out["last_report"])
    since = last_day.where(last_day.notna(), start)
    out["days_since_report"] = (day - since).dt.days.astype("float64").clip(lower=0)
    span = (deadline - start).dt.days.astype("float64")
    elapsed = (day - start).dt.days.astype("float64")
    share = np.where(span > 0, 100.0 * elapsed / span.where(span > 0), np.where(elapsed >= 0, 100.0, 0.0))
    share = pd.Series(share, index=out.index).clip(0, 100).where(start.notna() & deadline.notna())
    out["time_share"] = share
    out["gap_pp"] = completion - share
    overdue = (deadline < day).to_numpy()
    out["days_overdue"] = np.where(overdue, (day - deadline).dt.days.astype("float64"), 0.0)

    nxt_due, nxt_text, n_late = _milestones(data.milestones, ids, day)
    out["next_milestone_due"], out["next_milestone_text"], out["overdue_milestones"] = nxt_due, nxt_text, n_late

    started = (start <= day).to_numpy()
    done = (completion >= 100).to_numpy()
    stalled = started & (out["days_since_report"] > s["task_stalled_days"]).to_numpy()
    behind = (out["gap_pp"] < -float(s["task_behind_pp"])).to_numpy()
    reported = (out["n_reports"] > 0).to_numpy()
    out["status"] = np.select([done, overdue, stalled, behind, started | reported],
                              ["done", "overdue", "stalled", "behind", "on_track"], "not_started").astype(object)
    out["status_zh"] = [labels.TASK_STATUS[x][0] for x in out["status"]]
    out["status_en"] = [labels.TASK_STATUS[x][1] for x in out["status"]]
    out["reasons_zh"], out["reasons_en"] = _reasons(out, done, overdue, stalled, behind, s)
    out = out[ITEM_COLUMNS]
    out.attrs.update(unit_names_zh=names_zh, unit_names_en=names_en, **label_attrs(data, "tasks", day))
    return out


def _milestones(stones: pd.DataFrame, ids: pd.Series, day: pd.Timestamp):
    """Per item: the next milestone not done at `day` (due, text; "" none) and how many are overdue."""
    due_by, text_by, late_by = {}, {}, {}
    if len(stones):
        m = stones.copy()
        m["_due"], m["_done"] = dates(m["due"]), dates(m["done"])
        m = m[~(m["_done"] <= day)].sort_values(["_due", "seq"], kind="stable")
        first = m.groupby("item_id", sort=False).head(1)
        due_by = dict(zip(first["item_id"], first["due"].fillna("").astype(str)))
        text_by = dict(zip(first["item_id"], first["text"].fillna("").astype(str)))
        late_by = m[m["_due"] < day].groupby("item_id").size().to_dict()
    return ([due_by.get(i, "") for i in ids], [text_by.get(i, "") for i in ids],
            np.array([int(late_by.get(i, 0)) for i in ids], dtype="int64"))


def _reasons(out: pd.DataFrame, done, overdue, stalled, behind, s) -> tuple[list[str], list[str]]:
    zh_all, en_all = [], []
    for i, r in enumerate(out.itertuples(index=False)):
        zh, en = [], []
        if done[i]:
            zh_all.append("")
            en_all.append("")
            continue
        if overdue[i]:
            n = formatting.number(r.days_overdue, 0)
            zh.append(f"已过完成时限（{r.deadline}）{n} 天，完成进度 {formatting.number(r.completion, 0)}%")
            en.append(f"{n} days past its deadline ({r.deadline}) at {formatting.number(r.completion, 0)} % complete")
        if stalled[i]:
            n = formatting.number(r.days_since_report, 0)
            if r.last_report:
                zh.append(f"最近一次进展报告（{r.last_report}）已过 {n} 天（超过 {s['task_stalled_days']} 天）")
                en.append(f"{n} days since the last progress report ({r.last_report}; more than "
                          f"{s['task_stalled_days']})")
            else:
                zh.append(f"开始（{r.start}）已 {n} 天，尚无进展报告（超过 {s['task_stalled_days']} 天）")
                en.append(f"no progress report in the {n} days since its start ({r.start}; more than "
                          f"{s['task_stalled_days']})")
        if behind[i]:
            zh.append(f"完成进度 {formatting.number(r.completion, 0)}%，时间进度 {formatting.number(r.time_share, 0)}%，"
                      f"落后 {formatting.number(-r.gap_pp, 1)} 个百分点（超过 {formatting.number(s['task_behind_pp'], 1)}）")
            en.append(f"{formatting.number(r.completion, 0)} % complete with {formatting.number(r.time_share, 0)} % "
                      f"of its time elapsed: {formatting.number(-r.gap_pp, 1)} points behind (more than "
                      f"{formatting.number(s['task_behind_pp'], 1)})")
        if r.overdue_milestones:
            zh.append(f"{int(r.overdue_milestones)} 个节点逾期未完成")
            en.append(f"{int(r.overdue_milestones)} milestone(s) overdue")
        zh_all.append("；".join(zh))
        en_all.append("; ".join(en))
    return zh_all, en_all


def task_progress(status: pd.DataFrame, by: str = "department", *, plan=None) -> pd.DataFrame:
    """Per lead unit (an item led by two units counts for both) or per plan task: n, the number in
    each status, mean_completion (%). Unit names come from item_status' attrs (or `plan`); most items
    first for departments, the plan's order for tasks."""
    if by not in PROGRESS_BY:
        raise ValueError(f"by must be one of {PROGRESS_BY}, not {by!r}")
    if status.empty:
        out = _empty(PROGRESS_COLUMNS, {"mean_completion"})
        out.attrs.update({k: v for k, v in status.attrs.items() if not k.startswith("unit_names")})
        return out
    if by == "department":
        names_zh = status.attrs.get("unit_names_zh") or (unit_names(plan, None, "zh") if plan else {})
        names_en = status.attrs.get("unit_names_en") or (unit_names(plan, None, "en") if plan else {})
        s = status.assign(group=[_units(v) for v in status["lead"]]).explode("group")
        s = s[s["group"].notna()]
        name = {g: (names_zh.get(g, g), names_en.get(g, names_zh.get(g, g))) for g in s["group"].unique()}
    else:
        s = status.assign(group=status["task"].fillna("").astype(str))
        first = s.drop_duplicates("group")
        name = {g: (t or g, t or g) for g, t in zip(first["group"], first["task_title"])}
    rows = []
    for group, g in s.groupby("group", sort=False):
        counts = g["status"].value_counts()
        rows.append({"group": group, "name": name[group][0], "name_en": name[group][1], "n": len(g),
                     **{st: int(counts.get(st, 0)) for st in STATUSES},
                     "mean_completion": float(g["completion"].mean())})
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    if by == "department":
        out = out.sort_values(["n", "group"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update({k: v for k, v in status.attrs.items() if k in ("synthetic", "source", "as_of")})
    return out


def item_reports(data: DeliveryData, item_id: str) -> pd.DataFrame:
    """The item's progress reports, newest first (by date, then report id)."""
    r = data.progress_reports
    r = r[r["item_id"] == item_id].reindex(columns=REPORT_COLUMNS)
    return r.sort_values(["date", "report_id"], ascending=False, kind="stable").reset_index(drop=True)
