"""Delivery warnings in the common warning table's columns (WARNING_COLUMNS), for `zhizao warnings` and
/monitoring (docs/delivery.md §Warnings):

- project_stage_overdue (medium): an active project's next stage (开工/投产/达产) more than
  project_stage_grace_days past its planned date;
- project_investment_behind (low): a project under construction whose investment share trails the share
  of its construction time elapsed by more than project_investment_gap_pp;
- problem_overdue (medium; high beyond problem_overdue_high_days): a 三服务 problem past its deadline
  and not resolved;
- task_overdue (high), task_behind (medium), task_stalled (low): a work item with that status
  (tasks.item_status: task_behind_pp, task_stalled_days);
- milestone_overdue (medium): a work item (neither done nor overdue itself) with milestones past their
  due date and not done, one row per item.

period = "YYYY-MM" of as_of; explanations end with （合成数据）/ (SYNTHETIC data) when the area is synthetic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.delivery import services, tasks
from zhizao.analytics.delivery.projects import as_of_date, day, project_status
from zhizao.analytics.monitoring.warning_table import SEVERITIES, WARNING_COLUMNS, empty_warnings
from zhizao.ingest.delivery_frames import PROBLEM_CATEGORIES, STAGE_NAMES, DeliveryData, unit_names
from zhizao.settings import Settings

RULES = ("project_stage_overdue", "project_investment_behind", "problem_overdue", "task_overdue", "task_behind",
         "task_stalled", "milestone_overdue")
TASK_RULES = {"overdue": ("task_overdue", "high"), "behind": ("task_behind", "medium"),
              "stalled": ("task_stalled", "low")}
W = labels.DELIVERY_ANALYTICS_WORDS


def _num(x):
    if x is None:
        return None
    x = float(x)
    return round(x, 4) if np.isfinite(x) else None


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _row(st, sid, name, period, rule, severity, evidence, zh, en) -> dict:
    return {"subject_type": st, "subject_id": sid, "subject_name": name, "period": period, "rule": rule,
            "severity": severity, "evidence": evidence, "explanation_zh": zh, "explanation_en": en}


def _suffix(data: DeliveryData, area: str) -> tuple[str, str]:
    return labels.ENTERPRISE_WORDS["synthetic_suffix"] if data.area_synthetic(area) else ("", "")


def delivery_warnings(plan, data: DeliveryData, as_of=None, settings: Settings | None = None, *,
                      projects: pd.DataFrame | None = None, problems: pd.DataFrame | None = None,
                      items: pd.DataFrame | None = None) -> pd.DataFrame:
    """The seven rules at `as_of`; when None, each area at its own date (data.area_as_of: a synthetic
    area at its synthetic date, so that stored tasks do not turn the demo projects red). `projects`
    (projects.project_status), `problems` (services.problem_status) and `items` (tasks.item_status) may
    be passed when already computed at the same dates and settings. A plan without work items gives no
    task rows. period: "YYYY-MM" of the row's area's date."""
    s = settings or Settings()
    at = {a: as_of_date(as_of if as_of is not None else data.area_as_of(a) or data.as_of, data)
          for a in ("projects", "services", "tasks")}
    period = {a: f"{d.year}-{d.month:02d}" for a, d in at.items()}
    if projects is None:
        projects = project_status(data, at["projects"].isoformat(), s)
    if problems is None:
        problems = services.problem_status(data, at["services"].isoformat(), s)
    if items is None:
        items = (tasks.item_status(plan, data, at["tasks"].isoformat(), s) if len(data.work_items)
                 else pd.DataFrame(columns=["item_id", "status"]))
    rows = (_project_rows(projects, at["projects"], period["projects"], s, _suffix(data, "projects"))
            + _problem_rows(plan, data, problems, period["services"], s, _suffix(data, "services"))
            + _task_rows(items, period["tasks"], s, _suffix(data, "tasks"))
            + _milestone_rows(data, items, at["tasks"], period["tasks"], _suffix(data, "tasks")))
    if not rows:
        return empty_warnings()
    out = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    order = (out["severity"].map(SEVERITIES.index), out["rule"].map(RULES.index))
    out = out.assign(_s=order[0], _r=order[1]).sort_values(["_s", "_r", "subject_id"], kind="stable")
    return out.drop(columns=["_s", "_r"]).reset_index(drop=True)


def _project_rows(status: pd.DataFrame, at, period, s, synth) -> list[dict]:
    rows = []
    grace, limit = int(s["project_stage_grace_days"]), float(s["project_investment_gap_pp"])
    for r in status.to_dict("records"):
        pid, name = _text(r["project_id"]), _text(r["name"]) or _text(r["project_id"])
        who_zh, who_en = (w.format(name=name) for w in W["project_subject"])
        if r["stage_overdue"]:
            nxt = r["next_stage"]
            args = dict(planned=r["next_planned"], days=int(r["days_overdue"]), grace=grace, as_of=at.isoformat())
            rows.append(_row("project", pid, name, period, "project_stage_overdue", "medium",
                             {"stage": r["stage"], "next_stage": nxt, "next_planned": r["next_planned"],
                              "days_overdue": int(r["days_overdue"]), "grace_days": grace},
                             who_zh + W["stage_overdue"][0].format(stage=STAGE_NAMES[nxt][0], **args) + synth[0],
                             who_en + W["stage_overdue"][1].format(stage=STAGE_NAMES[nxt][1], **args) + synth[1]))
        if r["investment_behind"]:
            gap = float(r["gap_pp"])
            args = dict(cum=formatting.number(r["cumulative_investment"]),
                        share=formatting.percent(r["investment_share"]),
                        schedule=formatting.percent(r["schedule_share"]), limit=formatting.number(limit))
            rows.append(_row("project", pid, name, period, "project_investment_behind", "low",
                             {"cumulative_investment": _num(r["cumulative_investment"]),
                              "planned_investment": _num(r["planned_investment"]),
                              "investment_share": _num(r["investment_share"]),
                              "schedule_share": _num(r["schedule_share"]), "gap_pp": _num(gap),
                              "limit_pp": limit},
                             who_zh + W["investment_behind"][0].format(
                                 gap=formatting.points(-gap, signed=False), **args) + synth[0],
                             who_en + W["investment_behind"][1].format(
                                 gap=formatting.points(-gap, "en", signed=False), **args) + synth[1]))
    return rows


def _problem_rows(plan, data, status: pd.DataFrame, period, s, synth) -> list[dict]:
    if status.empty:
        return []
    high = int(s["problem_overdue_high_days"])
    names_en = unit_names(plan, data.departments, "en")
    names_zh = unit_names(plan, data.departments, "zh")
    rows = []
    for r in status[status["overdue"].astype(bool)].to_dict("records"):
        days = int(r["days_overdue"])
        severity = "high" if days > high else "medium"
        cat = PROBLEM_CATEGORIES.get(_text(r["category"]), (_text(r["category"]),) * 2)
        dep = _text(r["department"])
        name = _text(r["enterprise_name"]) or _text(r["problem_id"])
        zh = W["problem_overdue"][0].format(name=name, category=cat[0], department=names_zh.get(dep, dep),
                                            deadline=r["deadline"], days=days)
        en = W["problem_overdue"][1].format(name=name, category=cat[1], department=names_en.get(dep, dep),
                                            deadline=r["deadline"], days=days)
        if severity == "high":
            zh += W["problem_high"][0].format(high=high)
            en += W["problem_high"][1].format(high=high)
        rows.append(_row("problem", _text(r["problem_id"]), name, period, "problem_overdue", severity,
                         {"category": _text(r["category"]), "department": dep, "district": _text(r["district"]),
                          "deadline": _text(r["deadline"]), "days_overdue": days, "high_days": high},
                         zh + synth[0], en + synth[1]))
    return rows


def _lead(r: dict, lang: str) -> str:
    names = r.get("lead_names_en" if lang == "en" else "lead_names")
    return _text(names) or _text(r.get("lead_names")) or _text(r.get("lead"))


def _task_rows(items: pd.DataFrame, period, s, synth) -> list[dict]:
    if items.empty:
        return []
    behind, stalled = float(s["task_behind_pp"]), int(s["task_stalled_days"])
    rows = []
    for r in items[items["status"].isin(list(TASK_RULES))].to_dict("records"):
        rule, severity = TASK_RULES[r["status"]]
        title = _text(r["title"]) or _text(r["item_id"])
        common = {"title": title, "completion": formatting.percent(r["completion"])}
        zh_args, en_args = dict(common, lead=_lead(r, "zh")), dict(common, lead=_lead(r, "en"))
        evidence = {"completion": _num(r["completion"]), "deadline": _text(r["deadline"]),
                    "last_report": _text(r.get("last_report"))}
        if rule == "task_overdue":
            zh_args["deadline"] = en_args["deadline"] = _text(r["deadline"])
        elif rule == "task_behind":
            gap = float(r["gap_pp"])
            for a, lang in ((zh_args, "zh"), (en_args, "en")):
                a.update(time=formatting.percent(r["time_share"]), limit=formatting.number(behind),
                         gap=formatting.points(-gap, lang, signed=False))
            evidence.update(time_share=_num(r["time_share"]), gap_pp=_num(gap), limit_pp=behind)
        else:
            last = _text(r.get("last_report"))
            since = W["last_report"] if last else W["no_report"]
            zh_args.update(limit=stalled, since=since[0].format(date=last, start=_text(r.get("start"))))
            en_args.update(limit=stalled, since=since[1].format(date=last, start=_text(r.get("start"))))
            evidence.update(stalled_days=stalled)
        rows.append(_row("work_item", _text(r["item_id"]), title, period, rule, severity, evidence,
                         W[rule][0].format(**zh_args) + synth[0], W[rule][1].format(**en_args) + synth[1]))
    return rows


def _milestone_rows(data: DeliveryData, items: pd.DataFrame, at, period, synth) -> list[dict]:
    """Milestones due before as_of and not done by it, per item; items done or overdue themselves are left
    out (their own warning says more)."""
    m = data.milestones
    if m.empty or items.empty:
        return []
    info = items.drop_duplicates("item_id", keep="last").set_index("item_id")
    due = m["due"].map(day)
    done = m["done"].map(day)
    late = m[[d is not None and d < at and (f is None or f > at) for d, f in zip(due, done)]]
    rows = []
    for item_id, grp in late.groupby("item_id", sort=True):
        if item_id not in info.index or info.at[item_id, "status"] in ("done", "overdue"):
            continue
        r = {"item_id": item_id, **info.loc[item_id].to_dict()}
        title = _text(r.get("title")) or _text(item_id)
        grp = grp.sort_values("seq")
        items_zh = "；".join(W["milestone_item"][0].format(due=g.due, text=g.text) for g in grp.itertuples())
        items_en = "; ".join(W["milestone_item"][1].format(due=g.due, text=g.text) for g in grp.itertuples())
        rows.append(_row("work_item", _text(item_id), title, period, "milestone_overdue", "medium",
                         {"milestones": [{"seq": int(g.seq), "due": g.due} for g in grp.itertuples()]},
                         W["milestone_overdue"][0].format(title=title, lead=_lead(r, "zh"), n=len(grp),
                                                          items=items_zh) + synth[0],
                         W["milestone_overdue"][1].format(title=title, lead=_lead(r, "en"), n=len(grp),
                                                          items=items_en) + synth[1]))
    return rows
