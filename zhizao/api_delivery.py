"""Projects, 三服务 problems and the plan's tasks under supervision (issue 14, docs/delivery.md) as data frames.

    import zhizao.api as zz
    zz.projects(district="500112")        # each project's stage, slippage and investment against schedule
    zz.project_funnel(by="cluster")       # 签约 → 开工 → 投产 → 达产 per cluster
    zz.problems(status="open")            # 三服务 problems with days open / overdue
    zz.work_items(department="jxw")       # the 任务分工方案 with completion and status

Each function takes (plan=None, db=None, as_of=None, settings=None, …) — the summaries project_funnel,
service_summary and task_progress take `by` first, as api_enterprises.muju_summary does:
task_progress("department", plan=P) — and returns a DataFrame whose attrs
say where the data came from: synthetic (True → the area's rows are the labelled synthetic default,
合成数据（演示用）), source, as_of (the date statuses are judged at) and batch_id. The data are
zhizao.api_delivery_data.delivery_data (stored, else the default per frame); the analytics are
zhizao.analytics.delivery. Synthetic data never feed the plan's assessment (project_assessment_inputs).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from zhizao import api_delivery_data as _data
from zhizao import api_plans as _api
from zhizao.analytics.delivery import history as _history
from zhizao.analytics.delivery import projects as _projects
from zhizao.analytics.delivery import services as _services
from zhizao.analytics.delivery import tasks as _tasks
from zhizao.analytics.delivery import warnings as _warnings
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import (AREAS, FRAMES, PROBLEM_CATEGORIES, PROBLEM_STATUSES, STAGES,
                                           DeliveryData, unit_names, unit_vocabulary)
from zhizao.plan.spec import Plan
from zhizao.settings import Settings

__all__ = [
    "delivery_data", "import_delivery_data", "record_delivery_edit", "delivery_source_words",
    "projects", "project_profile", "project_funnel", "project_history", "problems", "problem_profile",
    "service_summary", "work_items", "work_item_id", "work_item_profile", "task_progress", "item_reports", "delivery_history",
    "delivery_warnings", "project_assessment_inputs", "DELIVERY_RULES", "ITEM_STATUSES",
]

FUNNEL_BY = ("cluster", "district")
SERVICE_BY = ("department", "district", "category")
TASK_BY = ("department", "task")
ITEM_STATUSES = ("done", "overdue", "stalled", "behind", "on_track", "not_started")
# the rules delivery_warnings gives (analytics.delivery.warnings), in zhizao warnings' --rule
DELIVERY_RULES = ("project_stage_overdue", "project_investment_behind", "problem_overdue", "task_overdue",
                  "task_behind", "task_stalled", "milestone_overdue")
NO_TASKS = ("本规划未列任务分工", "this plan has no task decomposition")
PROJECT_SERIES_PREFIX = "project."  # the series of a project count: project.<indicator id>


# the data API and the analytics, imported by name: tests replace nothing here, they run on the real data
def delivery_data(db=None, plan=None, as_of=None) -> DeliveryData:
    """The plan's delivery data: stored frames where present, else the default per frame
    (zhizao.api_delivery_data.delivery_data)."""
    return _data.delivery_data(db=db, plan=plan, as_of=as_of)


def import_delivery_data(paths, **kw) -> dict:
    """Import delivery files, all or nothing (zhizao.api_delivery_data.import_delivery_data)."""
    return _data.import_delivery_data(paths, **kw)


def record_delivery_edit(frame: str, values: dict, **kw) -> dict:
    """One form/API edit stored as a new version (zhizao.api_delivery_data.record_delivery_edit)."""
    return _data.record_delivery_edit(frame, values, **kw)


def delivery_source_words(data, area: str, lang: str = "zh") -> str:
    return _data.delivery_source_words(data, area, lang)


# --- the choices every analysis shares -----------------------------------------------------------------
def check_as_of(as_of) -> str | None:
    """--as-of: a date 'YYYY-MM-DD' (a date object too); UserError otherwise."""
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, date):
        return as_of.isoformat()
    text = str(as_of).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserError(f"日期“{text[:40]}”无效：请写成 YYYY-MM-DD，如 2024-06-30",
                        f"invalid date '{text[:40]}': write it as YYYY-MM-DD, e.g. 2024-06-30") from None


_READ: ContextVar[tuple | None] = ContextVar("zhizao_delivery_data_read", default=None)


@contextmanager
def already_read(data: DeliveryData, db, plan: Plan, judged: dict | None = None):
    """Within it, the functions here asked for `plan` on `db` without an as_of use `data` (what
    delivery_data(db, plan) returned) instead of reading the store again, and keep the statuses they
    judge with the default settings in `judged` (a dict the caller keeps with `data`): the dashboard
    reads once per store version and shows several tables of the same statuses."""
    token = _READ.set((str(db), plan.plan.id, data, judged))
    try:
        yield
    finally:
        _READ.reset(token)


def _context(plan, db, as_of, settings, area: str | None) -> tuple[Plan, DeliveryData, Settings, str]:
    """The plan, its data, the settings and the date `area` is judged at: the given as_of, else the area's
    own (DeliveryData.area_as_of: a synthetic area its synthetic date, a stored one today)."""
    plan = _api.resolve_plan(plan, db, register=False)
    when = check_as_of(as_of)
    read = _READ.get()
    if read is not None and when is None and read[:2] == (str(db), plan.plan.id):
        data = read[2]
    else:
        data = delivery_data(db=db, plan=plan, as_of=when)
    s = settings if isinstance(settings, Settings) else Settings(settings)
    own = data.area_as_of(area) if area is not None else data.as_of
    return plan, data, s, when or str(own or date.today().isoformat())[:10]


def _stamped(df: pd.DataFrame, data: DeliveryData, as_of: str, area: str) -> pd.DataFrame:
    df.attrs.update(synthetic=bool(data.area_synthetic(area)), source=_data.delivery_source_words(data, area, "zh"),
                    as_of=as_of, batch_id=data.batch_id, area=area, **_source_words(data, (area,)))
    return df


def _source_words(data: DeliveryData, areas) -> dict[str, str]:
    """attrs source_zh / source_en: where these areas' data come from, each in one language."""
    out = {}
    for lang in ("zh", "en"):
        words = []
        for a in areas:
            for w in _data.delivery_source_words(data, a, lang).split("; " if lang == "en" else "；"):
                if w and w not in words:
                    words.append(w)
        out[f"source_{lang}"] = ("; " if lang == "en" else "；").join(words)
    return out


def _choice(value, allowed, what_zh: str, what_en: str):
    if value is None or value == "":
        return None
    if value not in allowed:
        raise UserError(f"{what_zh}“{str(value)[:40]}”无效：可取 {'、'.join(allowed)}",
                        f"invalid {what_en} '{str(value)[:40]}': use one of {', '.join(allowed)}")
    return value


def check_district(plan: Plan, data: DeliveryData, district: str | None) -> str | None:
    """A district code (or name) of the plan — for a plan listing none, a code of the data; UserError
    naming some otherwise."""
    if district is None or district == "":
        return None
    text = str(district).strip()
    listed = plan.regions.districts if plan.regions else []
    for d in listed:
        if text in (d.code, d.name, *d.aliases):
            return d.code
    known = [d.code for d in listed] or sorted(
        set(data.projects["district"].dropna().astype(str)) | set(data.problems["district"].dropna().astype(str)) - {""})
    if text in known:
        return text
    shown = known[:8]
    raise UserError(f"没有区县“{text[:40]}”：请给本规划的区县代码（GB/T 2260 六位）或名称，如 {'、'.join(shown)}"
                    "（zhizao plan show --section regions 列出全部）",
                    f"no district '{text[:40]}': give one of the plan's district codes (6-digit GB/T 2260) or names, "
                    f"e.g. {', '.join(shown)} (zhizao plan show --section regions lists them)")


def check_unit(plan: Plan, data: DeliveryData, unit: str | None) -> str | None:
    """A department or district written any way the plan or the data know it → its canonical id."""
    if unit is None or unit == "":
        return None
    vocab = unit_vocabulary(plan, data.departments)
    text = str(unit).strip()
    if text in vocab:
        return vocab[text]
    names = unit_names(plan, data.departments, "zh")
    deps = [k for k in names if not k.isdigit()] or list(names)
    raise UserError(f"没有单位“{text[:40]}”：请给部门编号或名称，如 {'、'.join(names[d] for d in deps[:6])}"
                    "（zhizao task list 的牵头单位）",
                    f"no unit '{text[:40]}': give a department id or name, e.g. {', '.join(deps[:6])} (the lead "
                    "units of zhizao task list)")


def _units(value) -> list[str]:
    return [u for u in str(value or "").split(";") if u]


def _keep(df: pd.DataFrame, mask) -> pd.DataFrame:
    attrs = dict(df.attrs)
    out = df[mask].reset_index(drop=True)
    out.attrs.update(attrs)
    return out


def _unknown(kind_zh: str, kind_en: str, text: str, ids, command: str) -> UserError:
    ids = [str(i) for i in ids][:3]
    return UserError(f"没有{kind_zh}“{text[:60]}”：编号如 {'、'.join(ids) or '—'}（{command} 列出全部）",
                     f"no {kind_en} '{text[:60]}': ids are like {', '.join(ids) or '—'} ({command} shows them all)")


# --- projects ----------------------------------------------------------------------------------------------
def _judged(area: str, judge, plan, db, as_of, settings):
    """(plan, data, settings, when, judge(plan, data, when, settings)); the status frame kept in
    already_read's `judged` when the data are those read and the settings the defaults (callers never
    change it)."""
    plan, data, s, when = _context(plan, db, as_of, settings, area)
    read = _READ.get()
    if read is None or read[3] is None or read[2] is not data or settings is not None:
        return plan, data, s, when, judge(plan, data, when, s)
    key = (area, when)
    if key not in read[3]:
        read[3][key] = judge(plan, data, when, s)
    return plan, data, s, when, read[3][key]


def _project_status(plan, db, as_of, settings):
    return _judged("projects", lambda _, data, when, s: _projects.project_status(data, when, s),
                   plan, db, as_of, settings)


def projects(plan=None, db: str | Path | None = None, as_of=None,
             settings: Mapping[str, Any] | Settings | None = None, *, district: str | None = None,
             cluster: str | None = None, stage: str | None = None) -> pd.DataFrame:
    """Each project (`zhizao project list`): its columns and its status at `as_of` (project_status: stage
    reached, next stage and its planned date, days overdue, slippage per stage, cumulative investment against
    the time elapsed, reasons). Filters: district (code or name), cluster (id), stage (the stage reached:
    one of STAGES, or "none" for projects not yet signed)."""
    plan, data, _, when, st = _project_status(plan, db, as_of, settings)
    district = check_district(plan, data, district)
    clusters = [c.id for c in plan.clusters]
    cluster = _choice(cluster, clusters, "产业集群", "cluster") if clusters or cluster else None
    stage = _choice(stage, (*STAGES, "none"), "项目阶段", "project stage")
    if district is not None:
        st = _keep(st, st["district"].astype(str) == district)
    if cluster is not None:
        st = _keep(st, st["cluster"].astype(str) == cluster)
    if stage is not None:
        st = _keep(st, st["stage"].fillna("").astype(str) == ("" if stage == "none" else stage))
    return _stamped(st.reset_index(drop=True), data, when, "projects")


def _project_id(data: DeliveryData, project_id: str) -> str:
    text = str(project_id).strip()
    ids = data.projects["project_id"].astype(str)
    if (ids == text).any():
        return text
    by_name = data.projects[data.projects["name"].astype(str) == text]
    if len(by_name):
        return str(by_name["project_id"].iloc[0])
    raise _unknown("项目", "project", text, ids, "zhizao project list")


def project_profile(project_id: str, plan=None, db: str | Path | None = None, as_of=None,
                    settings: Mapping[str, Any] | Settings | None = None) -> dict[str, pd.DataFrame]:
    """One project (`zhizao project show`), by id or exact name: {"project": its status row, "progress": its
    monthly investment and output, "history": its changes (newest first)}. Each frame carries the attrs."""
    plan, data, _, when, st = _project_status(plan, db, as_of, settings)
    pid = _project_id(data, project_id)
    prog = data.project_progress[data.project_progress["project_id"].astype(str) == pid]
    out = {"project": st[st["project_id"].astype(str) == pid].reset_index(drop=True),
           "progress": prog.sort_values(["year", "month"]).reset_index(drop=True),
           "history": _projects.project_history(data, pid).reset_index(drop=True)}
    return {k: _stamped(v, data, when, "projects") for k, v in out.items()}


def project_funnel(by: str | None = None, plan=None, db: str | Path | None = None, as_of=None,
                   settings: Mapping[str, Any] | Settings | None = None, *,
                   district: str | None = None) -> pd.DataFrame:
    """签约 → 开工 → 投产 → 达产 (`zhizao project funnel`): per group (the whole area, each cluster or each
    district) and stage the projects that reached at least that stage, their planned investment (万元) and
    their share of the signed ones."""
    by = _choice(by, FUNNEL_BY, "分组", "grouping")
    plan, data, _, when, st = _project_status(plan, db, as_of, settings)
    district = check_district(plan, data, district)
    if district is not None:
        st = st[st["district"].astype(str) == district]
    return _stamped(_projects.funnel(st, by).reset_index(drop=True), data, when, "projects")


def project_history(project_id: str, plan=None, db: str | Path | None = None, as_of=None,
                    settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The stage-date changes of one project over time (who, when, before, after), newest first."""
    plan, data, _, when = _context(plan, db, as_of, settings, "projects")
    pid = _project_id(data, project_id)
    return _stamped(_projects.project_history(data, pid).reset_index(drop=True), data, when, "projects")


# --- 三服务 problems ------------------------------------------------------------------------------------------
def _problem_status(plan, db, as_of, settings):
    return _judged("services", lambda _, data, when, s: _services.problem_status(data, when, s),
                   plan, db, as_of, settings)


def problems(plan=None, db: str | Path | None = None, as_of=None,
             settings: Mapping[str, Any] | Settings | None = None, *, district: str | None = None,
             department: str | None = None, status: str | None = None, category: str | None = None,
             overdue: bool = False) -> pd.DataFrame:
    """三服务 problems (`zhizao service list`) with category and department names, days open, overdue,
    days overdue, resolution days and reasons. Filters: district, department (any spelling of a unit),
    status (PROBLEM_STATUSES), category (PROBLEM_CATEGORIES), overdue only."""
    plan, data, _, when, st = _problem_status(plan, db, as_of, settings)
    district = check_district(plan, data, district)
    department = check_unit(plan, data, department)
    status = _choice(status, PROBLEM_STATUSES, "办理状态", "status")
    category = _choice(category, tuple(PROBLEM_CATEGORIES), "问题类别", "category")
    for col, value in (("district", district), ("department", department), ("status", status),
                       ("category", category)):
        if value is not None:
            st = _keep(st, st[col].astype(str) == value)
    if overdue:
        st = _keep(st, st["overdue"].fillna(False).astype(bool))
    return _stamped(st.reset_index(drop=True), data, when, "services")


def problem_profile(problem_id: str, plan=None, db: str | Path | None = None, as_of=None,
                    settings: Mapping[str, Any] | Settings | None = None) -> dict[str, pd.DataFrame]:
    """One problem (`zhizao service show`): {"problem": its status row, "history": its changes}."""
    plan, data, _, when, st = _problem_status(plan, db, as_of, settings)
    text = str(problem_id).strip()
    ids = st["problem_id"].astype(str)
    if not (ids == text).any():
        raise _unknown("问题", "problem", text, ids, "zhizao service list")
    hist = _history.changes(data.history, "problems", text)
    out = {"problem": st[ids == text].reset_index(drop=True), "history": hist.reset_index(drop=True)}
    return {k: _stamped(v, data, when, "services") for k, v in out.items()}


def service_summary(by: str = "department", plan=None, db: str | Path | None = None, as_of=None,
                    settings: Mapping[str, Any] | Settings | None = None, *,
                    district: str | None = None) -> pd.DataFrame:
    """Counts and resolution times by department, district or category (`zhizao service summary`)."""
    by = _choice(by, SERVICE_BY, "分组", "grouping")
    plan, data, _, when, st = _problem_status(plan, db, as_of, settings)
    district = check_district(plan, data, district)
    if district is not None:
        st = st[st["district"].astype(str) == district]
    return _stamped(_services.service_summary(st, by).reset_index(drop=True), data, when, "services")


# --- the 任务分工方案 ------------------------------------------------------------------------------------------
def _item_status(plan, db, as_of, settings):
    return _judged("tasks", _judge_items, plan, db, as_of, settings)


def _judge_items(plan: Plan, data: DeliveryData, when: str, s: Settings) -> pd.DataFrame:
    st = _numbered(plan, _tasks.item_status(plan, data, when, s))
    st.attrs["no_tasks"] = data.work_items.empty
    if data.work_items.empty:
        st.attrs.update(note_zh=NO_TASKS[0], note_en=NO_TASKS[1])
    return st


def _numbered(plan: Plan, st: pd.DataFrame) -> pd.DataFrame:
    """The items in the 任务分工方案's order (the plan's tasks and safeguards, then item id) with `no`, the
    row number `zhizao task list` shows and the exported table's 序号 — `task show N` reads it."""
    order = {t.id: k for k, t in enumerate([*plan.tasks, *plan.safeguards])}
    attrs = dict(st.attrs)
    if len(st):
        st = (st.assign(_o=st["task"].map(lambda t: order.get(t, len(order))))
              .sort_values(["_o", "item_id"], kind="stable").drop(columns="_o").reset_index(drop=True))
    st.insert(0, "no", range(1, len(st) + 1))
    st.attrs.update(attrs)
    return st


def _stamped_tasks(df: pd.DataFrame, data: DeliveryData, when: str) -> pd.DataFrame:
    df = _stamped(df, data, when, "tasks")
    if data.work_items.empty:
        df.attrs.update(no_tasks=True, note_zh=NO_TASKS[0], note_en=NO_TASKS[1])
    return df


def work_items(plan=None, db: str | Path | None = None, as_of=None,
               settings: Mapping[str, Any] | Settings | None = None, *, department: str | None = None,
               status: str | None = None, task: str | None = None) -> pd.DataFrame:
    """The work items (`zhizao task list`) with their lead and co-operating units' names, completion (the
    latest report), time elapsed, next milestone, status (ITEM_STATUSES) and reasons. Filters: department
    (a unit, lead or co-operating; a district is a unit too), status, task (a plan task id). A plan without
    a task decomposition gives an empty frame with attrs no_tasks and note_zh/note_en."""
    status = _choice(status, ITEM_STATUSES, "任务状态", "item status")
    plan, data, _, when, st = _item_status(plan, db, as_of, settings)
    unit = check_unit(plan, data, department)
    if unit is not None:
        st = _keep(st, [unit in _units(a) + _units(b) for a, b in zip(st["lead"], st["cooperating"])])
    if status is not None:
        st = _keep(st, st["status"].astype(str) == status)
    if task is not None:
        tasks = sorted(set(data.work_items["task"].astype(str)))
        _choice(task, tasks, "规划任务", "plan task")
        st = _keep(st, st["task"].astype(str) == task)
    return _stamped_tasks(st.reset_index(drop=True), data, when)


def _item_id(st: pd.DataFrame, item_id: str) -> str:
    """A work item named by its id, its exact title (Chinese or English) or its row number in `zhizao task
    list` (`no` of the numbered item_status `st`)."""
    text = str(item_id).strip()
    if st.empty:
        raise UserError(f"{NO_TASKS[0]}：没有任务“{text[:60]}”", f"{NO_TASKS[1]}: no work item '{text[:60]}'")
    ids = st["item_id"].astype(str)
    if (ids == text).any():
        return text
    if text.isdigit() and 1 <= int(text) <= len(st):
        return str(st.loc[st["no"] == int(text), "item_id"].iloc[0])
    for col in ("title", "title_en"):
        if col in st:
            hit = st[st[col].fillna("").astype(str).str.strip() == text]
            if len(hit):
                return str(hit["item_id"].iloc[0])
    raise UserError(f"没有任务“{text[:60]}”：请给 zhizao task list 的序号（1–{len(st)}）、任务编号（如 {ids.iloc[0]}）"
                    "或工作任务的全称",
                    f"no work item '{text[:60]}': give its number in zhizao task list (1–{len(st)}), its id (e.g. "
                    f"{ids.iloc[0]}) or its full title")


def work_item_id(item: str, plan=None, db: str | Path | None = None) -> str:
    """The id of a work item named by id, exact title or row number in `zhizao task list`; UserError."""
    return _item_id(_item_status(plan, db, None, None)[4], item)


def work_item_profile(item_id: str, plan=None, db: str | Path | None = None, as_of=None,
                      settings: Mapping[str, Any] | Settings | None = None) -> dict[str, pd.DataFrame]:
    """One work item (`zhizao task show`) by id, exact title or row number in `zhizao task list`: {"item": its
    status row, "milestones", "reports" (newest first), "history" (its changes)}."""
    plan, data, _, when, st = _item_status(plan, db, as_of, settings)
    iid = _item_id(st, item_id)
    ms = data.milestones[data.milestones["item_id"].astype(str) == iid].sort_values("seq")
    out = {"item": st[st["item_id"].astype(str) == iid].reset_index(drop=True),
           "milestones": ms.reset_index(drop=True),
           "reports": _tasks.item_reports(data, iid).reset_index(drop=True),
           "history": _history.changes(data.history, "work_items", iid).reset_index(drop=True)}
    return {k: _stamped_tasks(v, data, when) for k, v in out.items()}


def task_progress(by: str = "department", plan=None, db: str | Path | None = None, as_of=None,
                  settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """Progress by lead department or by plan task (`zhizao task progress`): n, done, on_track, behind,
    stalled, overdue, not_started, mean_completion."""
    by = _choice(by, TASK_BY, "分组", "grouping")
    plan, data, _, when, st = _item_status(plan, db, as_of, settings)
    return _stamped_tasks(_tasks.task_progress(st, by).reset_index(drop=True), data, when)


def item_reports(item_id: str, plan=None, db: str | Path | None = None, as_of=None,
                 settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """One work item's progress reports, newest first."""
    plan, data, _, when, st = _item_status(plan, db, as_of, settings)
    iid = _item_id(st, item_id)
    return _stamped_tasks(_tasks.item_reports(data, iid).reset_index(drop=True), data, when)


# --- history and warnings ---------------------------------------------------------------------------------------
def delivery_history(plan=None, db: str | Path | None = None, as_of=None,
                     settings: Mapping[str, Any] | Settings | None = None, *, frame: str | None = None,
                     key: str | None = None) -> pd.DataFrame:
    """Every change to the stored delivery data (frame, key, recorded_at, actor, kind, batch_id, withdrawn,
    column, before, after), newest first; empty for the in-memory default."""
    frame = _choice(frame, tuple(FRAMES), "数据表", "frame")
    area = next((a for a, fs in AREAS.items() if frame in fs), "projects") if frame else "projects"
    plan, data, _, when = _context(plan, db, as_of, settings, area)
    df = _history.changes(data.history, frame, key).reset_index(drop=True)
    df = _stamped(df, data, when, area)
    df.attrs["synthetic"] = data.synthetic and data.history.empty
    return df


def delivery_warnings(plan=None, db: str | Path | None = None, as_of=None,
                      settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The project, 三服务 and task warnings (WARNING_COLUMNS; rules DELIVERY_RULES) that `zhizao warnings`
    lists beside the monitoring ones, each area judged at its own date (as_of_areas: the given as_of,
    else a synthetic area's synthetic date and a stored one's today). attrs synthetic: any area shown
    is synthetic; as_of: the given date, else the latest of the areas'."""
    plan, data, s, when = _context(plan, db, as_of, settings, None)
    given = check_as_of(as_of)
    df = _warnings.delivery_warnings(plan, data, given, s).reset_index(drop=True)
    areas = {a: given or str(data.area_as_of(a) or when)[:10] for a in AREAS}
    df.attrs.update(synthetic=bool(data.synthetic), source=_source_words(data, AREAS)["source_zh"],
                    as_of=given or max(areas.values()), as_of_areas=areas, batch_id=data.batch_id,
                    synthetic_areas=[a for a in AREAS if data.area_synthetic(a)], **_source_words(data, AREAS))
    return df


# --- the plan's assessment -------------------------------------------------------------------------------------
def _stored_source(source) -> str:
    """The stored part of a data source (the files): a synthetic part never reaches the assessment."""
    parts = str(source or "").split(_data.SOURCE_SEPARATOR)
    return _data.SOURCE_SEPARATOR.join(p for p in parts if p and not p.startswith("合成数据")
                                       and p != _data.PLAN_SOURCE[0])


def _register_files(data: DeliveryData) -> str:
    """The files (表单录入 for edits) the stored projects come from, for the assessment's source."""
    names = [n or _data.EDIT_WORDS[0] for n in data.frame_sources.get("projects", ())]
    return ", ".join(dict.fromkeys(names)) or _stored_source(data.source)


def project_assessment_inputs(plan=None, db: str | Path | None = None, *, as_of=None,
                              settings: Mapping[str, Any] | Settings | None = None
                              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, links) in the store's layout for the plan's indicators with a project_count, counted
    from the STORED project register (analytics.delivery.projects.project_observations): series
    project.<indicator>, one value per year, linked comparable/identity. Empty when the plan has no such
    indicator, when nothing is stored, or when the projects are the synthetic default (synthetic data never
    feed the assessment). `preliminary`, grade R (an office's own register, labels.GRADE: not a published
    text), source the register's own files, known from the data's date;
    `as_of`: only the stages reached by then (an as-of assessment)."""
    from zhizao.api_enterprises import _frames, _observation, counted_inputs  # noqa: PLC0415 - the shared layout

    plan = _api.resolve_plan(plan, db, register=False)
    if not any(getattr(i, "project_count", None) is not None for i in plan.indicators):
        return _frames([], [])
    if _api._store_if_exists(db) is None:  # nothing stored: the synthetic default is not even generated
        return _frames([], [])
    data = delivery_data(db=db, plan=plan, as_of=check_as_of(as_of))
    if "projects" in data.synthetic_frames or data.projects.empty:  # the counts read the stage dates only
        return _frames([], [])
    known = str(data.as_of or date.today().isoformat())[:10]
    register = _register_files(data)
    ro = _projects.project_observations(plan, data, known)
    if ro is None or ro.empty:
        return _frames([], [])

    def observation(k: int, ind, r: dict, series: str) -> dict:
        y = int(r["year"])
        row = _observation(
            k, plan, ind, data, series=series, year=y, value=float(r["value"]), unit=r.get("unit") or ind.unit,
            quote=f"项目台账：{register} / project register: {r.get('measure') or ''} {y}".strip(),
            title=("项目台账", "project register"), publisher="项目数据 / project data", basis="level",
            basis_from=None, price_basis=None, imported=known, release="12-31")
        row["known_since"] = pd.Timestamp(known)  # the register's own date, not an annual release
        row["vintage_assumed_from"] = "imported"
        row["source_id"] = f"delivery:{data.batch_id or 'stored'}"
        # the project register's own files, never the other areas' nor the plan's 任务分工
        row["source_title"] = f"项目台账（{register}） / project register ({register})"
        row["note"] = register
        return row
    return counted_inputs(plan, ro, data, PROJECT_SERIES_PREFIX, "项目台账 / project register", observation)
