"""项目、三服务与任务分工督办 (issue 14): /projects, a project, /services, /tasks, a work item — each with its
JSON twin and CSV/XLSX tables, at / and /p/<plan>/ — the forms that add a stage date, a problem, a
resolution or a progress report, and the /data upload of delivery files.

Everything is computed by `zhizao.api_delivery` (the store's data, else the labelled synthetic default)
once per store version (`_call`); the pages pick, scope and word the frames. Row scope (auth.py): a city
user sees every row, a district user the projects and problems of their district and the work items
their district leads or co-operates on (the others counted, never named), a guest counts only.
Aggregates (the funnel, the summaries, progress by unit and task) are for everyone.

Forms post with the CSRF token to `record_delivery_edit` (actor: the signed-in user); a refusal is shown
on the page in the reader's language and nothing is stored. Guests cannot post (403).
"""
from __future__ import annotations

import dataclasses
import logging
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile

from zhizao import api_delivery as dl_api
from zhizao import formatting, labels
from zhizao.errors import UserError
from zhizao.ingest import delivery_frames as dlf
from zhizao.ingest.table import ImportProblem
from zhizao.outputs import delivery_exports
from zhizao.outputs.web.auth import Refused, audit, register_refusal_reason
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages import data as data_pages
from zhizao.outputs.web.pages import enterprises as ent_pages
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.render import cell_number, frame, respond, wants_json, with_params
from zhizao.outputs.web.state import StoreBusyPage
from zhizao.store.importing import ImportFailed
from zhizao.store.store import default_actor

try:  # the ingest part's limits (import and edit); the same numbers until it has them
    from zhizao.ingest.delivery import TEXT_LIMITS
except ImportError:  # pragma: no cover - before the ingest fix is merged
    TEXT_LIMITS = {"description": 2000, "resolution": 2000, "text": 2000, "note": 2000, "quote": 2000,
                   "name": 200, "investor": 200, "enterprise_name": 200, "title": 200, "attachments": 500}

log = logging.getLogger(__name__)
router = APIRouter()

PAGES = ("/projects", "/projects/{project_id}", "/services", "/tasks", "/tasks/{item_id}")
FORMS = {"stage": "/projects/{project_id}/stage", "problem": "/services/add",
         "resolve": "/services/{problem_id}/resolve", "report": "/tasks/{item_id}/report"}
UPLOAD = "/data/delivery/upload"
# the office layouts of zhizao/outputs/delivery_exports.py (rows scoped like the pages; none for a guest)
OFFICE = {"services_ledger": "/services/ledger.xlsx", "tasks_table": "/tasks/table.xlsx",
          "tasks_docx": "/tasks/table.docx", "projects_ledger": "/projects/ledger.xlsx"}
# pages public (rows scoped below); the office layouts list rows by name, so they need read_enterprise (not
# logged in: 401; a guest: 404, like the other district-row routes); forms and the upload need the import role
PERMISSIONS = {**{("GET", p): "read_public" for p in PAGES}, **{("GET", p): "read_enterprise" for p in OFFICE.values()},
               **{("POST", p): "import" for p in (*FORMS.values(), UPLOAD)}}
for _p in (*FORMS.values(), UPLOAD):  # a guest sees the page: a refused form says why (403), not "no such page"
    register_refusal_reason("POST", _p, *labels.UI["dl_form_read_only"])
SUBNAV = (("projects", "/projects", "dl_nav_projects"), ("services", "/services", "dl_nav_services"),
          ("tasks", "/tasks", "dl_nav_tasks"))
ID_TEXT = re.compile(r"^[0-9A-Za-z_.\-]{1,60}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 2000  # any form field without a limit of its own (dates, codes)
PER_PAGE = 100  # rows of a listing per page; the CSV/XLSX twin and the office exports hold them all
MAX_FILES = 7  # one XLSX, or one CSV per frame


# --- the data and the analyses, once per store version -------------------------------------------
def _state_data(state):
    return state.cached(("dl_data",), lambda: dl_api.delivery_data(db=state.db, plan=state.plan))


def delivery_data(ctx: Ctx):
    return _state_data(ctx.state)


def delivery_batch_key(state) -> str | None:
    """The plan's delivery data version: what the monitoring page's delivery warnings change with."""
    try:
        return _state_data(state).batch_id
    except Exception:  # noqa: BLE001 - the key must never break the monitoring page
        return None


@contextmanager
def _read_once(state):
    """api_delivery's functions within it judge the data read once per store version, and their statuses once."""
    with dl_api.already_read(_state_data(state), state.db, state.plan, state.cached(("dl_judged",), dict)):
        yield


def warm(state) -> None:
    """At start-up (create_app's warm): the plan's delivery data read and their statuses judged, so the first
    visitor to /services, /projects or /tasks does not wait for them. A busy or unusable store is left to
    the pages, which say why."""
    try:
        with _read_once(state):
            for name in ("problems", "projects", "work_items"):
                getattr(dl_api, name)(plan=state.plan, db=state.db)
    except (StoreBusyPage, UserError):
        pass


def _call(ctx: Ctx, name: str, **kw) -> pd.DataFrame:
    """`api_delivery.<name>(plan, db, **kw)` once per store version and arguments, for every user (scope
    the rows with `scoped`); a UserError becomes an empty table that says why."""
    def compute() -> pd.DataFrame:
        try:
            with _read_once(ctx.state):
                return getattr(dl_api, name)(plan=ctx.plan, db=ctx.state.db, **kw)
        except UserError as e:
            out = pd.DataFrame()
            out.attrs["message"] = (e.reason_zh, e.reason_en)
            return out
    return ctx.state.cached(("dl", name, tuple(sorted(kw.items()))), compute)


def data_info(ctx: Ctx, area: str) -> dict:
    d = delivery_data(ctx)
    synthetic = d.area_synthetic(area)
    try:
        source = dl_api.delivery_source_words(d, area, ctx.lang)
    except Exception:  # noqa: BLE001 - the words are a courtesy; the source field stays
        source = d.source
    area_words = t(f"dl_area_{area}", ctx.lang)
    return {"area": area, "synthetic": synthetic, "source": source or d.source, "as_of": d.as_of,
            "batch_id": d.batch_id,
            "synthetic_label": t("dl_synthetic", ctx.lang).format(area=area_words) if synthetic else None,
            "notice": t("dl_source", ctx.lang).format(source=source or d.source or "—", as_of=d.as_of or "—")}


# --- who may see which row ------------------------------------------------------------------------
def units_of(v: Any) -> list[str]:
    return [x.strip() for x in str(v).split(";") if x.strip()] if isinstance(v, str) else []


def item_districts(row: dict) -> set[str]:
    return set(units_of(row.get("lead"))) | set(units_of(row.get("cooperating")))


def row_in(ctx: Ctx, row: dict, area: str) -> bool:
    """Whether the user may see (and edit) a row: its district (projects, problems) or its units (items)."""
    user = ctx.user
    if user.level == "city":
        return True
    if user.level != "district" or not user.region:
        return False
    if area == "tasks":
        return user.region in item_districts(row)
    return row.get("district") == user.region


def scoped(ctx: Ctx, df: pd.DataFrame | None, area: str) -> tuple[pd.DataFrame, int]:
    """(the rows of `df` the user may see, how many others). Rows without a district or units column are
    aggregates: every row for everyone. Vectorised: a listing may hold 100,000 problems."""
    if df is None:
        return pd.DataFrame(), 0
    if df.empty or ctx.user.level == "city":
        return df, 0
    keyed = "district" in df.columns if area != "tasks" else bool({"lead", "cooperating"} & set(df.columns))
    if not keyed:
        return df, 0
    region = ctx.user.region if ctx.user.level == "district" else None
    if not region:
        mine = pd.Series(False, index=df.index)
    elif area == "tasks":
        units = [df[c].where(df[c].map(lambda v: isinstance(v, str)), "") if c in df.columns
                 else pd.Series("", index=df.index) for c in ("lead", "cooperating")]
        mine = (units[0] + ";" + units[1]).map(lambda v: region in {x.strip() for x in v.split(";")})
    else:
        mine = df["district"].astype(str) == region
    mine = mine.astype(bool)
    return df[mine], int((~mine).sum())


def page_number(ctx: Ctx) -> int:
    """?page=N of a listing (1 when absent); 422 naming the parameter when it is not a whole number."""
    ent_pages.once(ctx, "page")
    raw = ctx.request.query_params.get("page")
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 10**7:
        raise HTTPException(422, t("dl_bad_page", ctx.lang).format(value=raw[:20]))
    return int(raw)


# --- words ----------------------------------------------------------------------------------------
def unit_words(ctx: Ctx, v: Any) -> str:
    names, districts = _unit_names(ctx)
    sep = ", " if ctx.lang == "en" else "、"
    return sep.join(ent_pages.district_words(ctx, u) if u in districts else names.get(u, u) for u in units_of(v))


def _unit_names(ctx: Ctx) -> tuple[dict[str, str], set[str]]:
    """(the units' names, the district codes) once per request: a table of 100,000 problems names a unit per row."""
    memo = getattr(ctx.request.state, "dl_unit_names", None)
    if memo is None:
        memo = (dlf.unit_names(ctx.plan, delivery_data(ctx).departments, ctx.lang), _district_codes(ctx))
        ctx.request.state.dl_unit_names = memo
    return memo


def _district_codes(ctx: Ctx) -> set[str]:
    return {d.code for d in ctx.plan.regions.districts} if ctx.plan.regions else set()


def pair(words: tuple[str, str] | None, lang: str, fallback: Any = "") -> str:
    return (words[1] if lang == "en" else words[0]) if words else str(fallback or "")


def stage_words(v: Any, lang: str) -> str:
    return pair(dlf.STAGE_NAMES.get(v), lang, v) if v else ""


def cluster_words(ctx: Ctx, v: Any) -> str:
    c = next((c for c in getattr(ctx.plan, "clusters", None) or [] if getattr(c, "id", None) == v), None)
    return pick(c.name, getattr(c, "name_en", None), ctx.lang) if c is not None else str(v or "")


def task_words(ctx: Ctx, v: Any) -> str:
    for kind in ("tasks", "safeguards"):
        for x in getattr(ctx.plan, kind, None) or []:
            if getattr(x, "id", None) == v:
                sec = getattr(x, "section", "") or ""
                return f"{sec} {pick(x.title, getattr(x, 'title_en', None), ctx.lang)}".strip()
    return str(v or "")


@dataclass(frozen=True)
class Col:
    key: str
    label: str  # labels.UI key
    kind: str = "text"  # text num int pct district date stage pstatus qstatus category units unit basis
    #                     cluster task tstatus reasons kind
    digits: int | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("num", "int", "pct")


def cell(ctx: Ctx, col: Col, row: dict) -> Any:
    lang, v = ctx.lang, row.get(col.key)
    blank = v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA or v is pd.NaT
    if col.kind == "reasons":
        text = row.get("reasons_en" if lang == "en" else "reasons_zh")
        return text if isinstance(text, str) else ""
    if col.numeric:
        x = None if blank else cell_number(v)
        return None if x is None else (int(round(x)) if col.kind == "int" else x)
    if blank:
        return ""
    if col.kind == "year":  # a year or month: a whole number, never 2,024
        x = cell_number(v)
        return "" if x is None else int(x)
    if col.kind == "district":
        return ent_pages.district_words(ctx, v)
    if col.kind == "stage":
        return stage_words(v, lang)
    if col.kind in ("pstatus", "qstatus", "basis"):
        table = {"pstatus": "project", "qstatus": "problem", "basis": "basis"}[col.kind]
        return pair(dlf.STATUS_NAMES[table].get(v), lang, v)
    if col.kind == "tstatus":  # the analytics' own words of an item's status
        words = row.get("status_en" if lang == "en" else "status_zh")
        return words if isinstance(words, str) and words else str(v)
    if col.kind == "category":
        return pair(dlf.PROBLEM_CATEGORIES.get(v), lang, v)
    if col.kind in ("units", "unit"):
        return unit_words(ctx, v)
    if col.kind == "cluster":
        return cluster_words(ctx, v) if v else t("dl_no_cluster", lang)
    if col.kind == "task":
        title = row.get("task_title")
        return task_words(ctx, v) if lang == "en" or not isinstance(title, str) or not title else title
    if col.kind == "kind":
        return t(f"dl_kind_{v}", lang) if f"dl_kind_{v}" in labels.UI else str(v)
    if col.kind == "date":
        return str(v)[:10]
    return str(v)


def table(ctx: Ctx, name: str, df: pd.DataFrame | None, cols: list[Col], *, title: str, area: str,
          url: Any = None, help: str | None = None, empty: str | None = None, page: int | None = None) -> dict:
    """A page's table `name`: the columns `df` has among `cols`, the rows the user may see (`hidden` the
    others), each with its page's address when `url(row)` gives one. `page`: a listing shows PER_PAGE rows
    of that page (`paging`); its CSV/XLSX twin (`_full`, taken off by `_page`) keeps every visible row."""
    df = df if df is not None else pd.DataFrame()
    shown, hidden = scoped(ctx, df, area)
    if ctx.user.level not in ("city", "district") and _listing(df, area):  # a guest: counts only
        shown, hidden = df.iloc[0:0], len(df)
    cols = [c for c in cols if c.key in df.columns or (c.kind == "reasons" and "reasons_zh" in df.columns)]

    def rows_of(part: pd.DataFrame) -> list[dict]:
        rows = []
        for r in part.to_dict(orient="records"):
            out = {c.key: cell(ctx, c, r) for c in cols}
            if url is not None and (u := url(r)):
                out["_url"] = u
            rows.append(out)
        return rows

    part, paging = shown, None
    if page is not None and len(shown) > PER_PAGE:
        pages = -(-len(shown) // PER_PAGE)
        page = min(max(1, page), pages)
        at = (page - 1) * PER_PAGE
        part = shown.iloc[at:at + PER_PAGE]
        last = at + len(part)
        paging = {"page": page, "pages": pages, "per_page": PER_PAGE, "first": at + 1, "last": last,
                  "total": len(shown), "more": len(shown) - len(part),
                  "text": t("dl_page_of", ctx.lang).format(page=page, pages=pages, first=formatting.number(at + 1),
                                                           last=formatting.number(last),
                                                           total=formatting.number(len(shown))),
                  "more_text": t("dl_more", ctx.lang).format(n=formatting.number(len(shown) - len(part))),
                  "prev_url": with_params(ctx.request, page=page - 1 if page > 2 else None) if page > 1 else None,
                  "next_url": with_params(ctx.request, page=page + 1) if page < pages else None}
    m = df.attrs.get("message")
    out = {"name": name, "title": title, "help": help, "hidden": hidden, "total": len(df), "listing": _listing(df, area),
           "empty": (m[1] if ctx.lang == "en" else m[0]) if m else (empty or t("dl_none", ctx.lang)),
           "columns": [{"key": c.key, "label": t(c.label, ctx.lang), "kind": c.kind, "numeric": c.numeric,
                        "digits": c.digits} for c in cols],
           "rows": rows_of(part), "paging": paging, "_frame": part}
    if paging is not None:
        out["_full"] = lambda: rows_of(shown)
    return out


def _listing(df: pd.DataFrame, area: str) -> bool:
    """A table of rows (projects, problems, items, reports, history), not an aggregate."""
    return bool({"project_id", "problem_id", "item_id", "report_id", "key"} & set(df.columns)) and \
        not {"n", "group"} <= set(df.columns)


def table_frame(tb: dict, info: dict, lang: str, full=None) -> pd.DataFrame:
    """The table as a spreadsheet (cells through spreadsheet_safe in render.export_table); synthetic rows
    labelled. `full`: the rows of every page of a paged listing (the download holds them all)."""
    heads = [c["label"] for c in tb["columns"]]
    rows = full() if full is not None else tb["rows"]
    df = frame([dict(zip(heads, (r.get(c["key"]) for c in tb["columns"]))) for r in rows], columns=heads)
    if info.get("synthetic"):
        df.insert(0, t("source", lang), info["synthetic_label"])
    return df


def subnav(ctx: Ctx, page: str) -> list[dict]:
    return [{"id": k, "label": t(label, ctx.lang), "url": f"{ctx.base}{href}", "active": page.startswith(k)}
            for k, href, label in SUBNAV]


def _page(ctx: Ctx, page: str, area: str, d: dict, title: str, tables: list[dict], *, charts: dict | None = None,
          status_code: int = 200):
    info = data_info(ctx, area)
    full = {tb["name"]: tb.pop("_full", None) for tb in tables}  # private parts: not in the JSON twin
    for tb in tables:
        tb.pop("_frame", None)
    d = {"plan": ctx.plan.plan.id, "data": info, "subnav": subnav(ctx, page), "page_title": title,
         "office": office_links(ctx, page),
         "limits": {k: limit_of(k) for k in ("enterprise_name", "description", "resolution", "text", "attachments")},
         "guest": ctx.user.level not in ("city", "district"), "tables": tables, "form": None, **d}
    exports = {tb["name"]: (lambda tb=tb: table_frame(tb, info, ctx.lang, full[tb["name"]])) for tb in tables}
    named = sum(len(tb["rows"]) for tb in tables if tb["listing"])
    return respond(ctx.request, "delivery_page.html", d, lang=ctx.lang, user=ctx.user, page=page,
                   title=" · ".join([title, pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)]),
                   charts=charts, tables=exports, exported=(f"delivery:{page}", named), status_code=status_code)


def _choice(ctx: Ctx, value: str | None, allowed: dict[str, str], what: str) -> str | None:
    if not value:
        return None
    if value in allowed:
        return value
    sep = ", " if ctx.lang == "en" else "、"
    raise HTTPException(422, t("dl_unknown_choice", ctx.lang).format(
        what=t(what, ctx.lang), value=value[:40], known=sep.join(f"{k} {v}" for k, v in list(allowed.items())[:40])))


def districts_offered(ctx: Ctx) -> dict[str, str]:
    return {c: ent_pages.district_words(ctx, c) for c in sorted(_district_codes(ctx))}


def _can_edit(ctx: Ctx) -> bool:
    return ctx.user.can("import")


# --- the columns ----------------------------------------------------------------------------------
PROJECTS = [Col("name", "dl_col_name"), Col("project_id", "dl_col_project_id"), Col("district", "dl_col_district", "district"),
            Col("cluster", "dl_col_cluster", "cluster"), Col("investor", "dl_col_investor"),
            Col("planned_investment", "dl_col_planned_investment", "num", 0),
            Col("cumulative_investment", "dl_col_cumulative_investment", "num", 0),
            Col("investment_share", "dl_col_investment_share", "pct", 1), Col("schedule_share", "dl_col_schedule_share", "pct", 1),
            Col("stage", "dl_col_stage", "stage"), Col("next_stage", "dl_col_next_stage", "stage"),
            Col("next_planned", "dl_col_next_planned", "date"), Col("days_overdue", "dl_col_days_overdue", "int"),
            Col("status", "dl_col_status", "pstatus"), Col("reasons", "dl_col_reasons", "reasons")]
FUNNEL = [Col("group", "dl_col_group", "text"), Col("stage", "dl_col_stage_name", "stage"), Col("n", "dl_col_n", "int"),
          Col("planned_investment", "dl_col_planned_investment", "num", 0), Col("share", "dl_col_share_signed", "pct", 1)]
STAGE_TABLE = [Col("stage", "dl_col_stage_name", "stage"), Col("planned", "dl_col_planned", "date"),
               Col("actual", "dl_col_actual", "date"), Col("slip", "dl_col_slip", "int")]
PROGRESS = [Col("year", "dl_col_year", "year"), Col("month", "dl_col_month", "year"),
            Col("investment", "dl_col_investment", "num", 0), Col("output", "dl_col_output", "num", 0)]
HISTORY = [Col("recorded_at", "dl_col_recorded_at", "date"), Col("actor", "dl_col_actor"), Col("kind", "dl_col_kind", "kind"),
           Col("column", "dl_col_column"), Col("before", "dl_col_before"), Col("after", "dl_col_after"),
           Col("key", "dl_col_key")]
PROBLEMS = [Col("problem_id", "dl_col_problem_id"), Col("enterprise_name", "dl_col_enterprise_name"),
            Col("district", "dl_col_district", "district"), Col("category", "dl_col_category", "category"),
            Col("description", "dl_col_description"), Col("department", "dl_col_department", "unit"),
            Col("raised", "dl_col_raised", "date"), Col("deadline", "dl_col_deadline", "date"),
            Col("status", "dl_col_status", "qstatus"), Col("resolved", "dl_col_resolved", "date"),
            Col("resolution", "dl_col_resolution"), Col("days_overdue", "dl_col_days_overdue", "int"),
            Col("reasons", "dl_col_reasons", "reasons")]
SUMMARY = [Col("n", "dl_col_n", "int"), Col("open", "dl_col_open", "int"), Col("in_progress", "dl_col_in_progress", "int"),
           Col("resolved", "dl_col_resolved_n", "int"), Col("overdue", "dl_col_overdue", "int"),
           Col("on_time_share", "dl_col_on_time_share", "pct", 1),
           Col("median_resolution_days", "dl_col_median_resolution_days", "num", 1)]
ITEMS = [Col("title", "dl_col_title"), Col("item_id", "dl_col_item_id"), Col("task", "dl_col_task", "task"),
         Col("lead", "dl_col_lead", "units"), Col("cooperating", "dl_col_cooperating", "units"),
         Col("deadline", "dl_col_deadline", "date"), Col("completion", "dl_col_completion", "pct", 0),
         Col("time_share", "dl_col_time_share", "pct", 0), Col("last_report", "dl_col_last_report", "date"),
         Col("status", "dl_col_status", "tstatus"), Col("basis", "dl_col_basis", "basis"),
         Col("reasons", "dl_col_reasons", "reasons")]
PROGRESS_BY = [Col("n", "dl_col_n", "int"), Col("done", "dl_col_done", "int"), Col("on_track", "dl_col_on_track", "int"),
               Col("behind", "dl_col_behind", "int"), Col("stalled", "dl_col_stalled", "int"),
               Col("overdue", "dl_col_overdue", "int"), Col("not_started", "dl_col_not_started", "int"),
               Col("mean_completion", "dl_col_mean_completion", "pct", 1)]
MILESTONES = [Col("seq", "dl_col_seq", "int"), Col("due", "dl_col_due", "date"), Col("text", "dl_col_text"),
              Col("done", "dl_col_done_date", "date")]
REPORTS = [Col("date", "dl_col_date", "date"), Col("completion", "dl_col_completion", "pct", 0), Col("text", "dl_col_text"),
           Col("attachments", "dl_col_attachments"), Col("reporter", "dl_col_reporter"), Col("report_id", "dl_col_report_id")]


def _by(ctx: Ctx, df: pd.DataFrame, by: str, kind: str) -> tuple[pd.DataFrame, Col]:
    """A summary's `group` column (funnel, service_summary, task_progress) as `_by`: the analytics' own
    name in the reader's language for categories and tasks, else worded by `kind`."""
    label = {"department": "dl_col_department", "district": "dl_col_district", "category": "dl_col_category",
             "task": "dl_col_task", "cluster": "dl_col_cluster"}.get(by, "dl_col_group")
    if df is None or df.empty:
        return pd.DataFrame(), Col("_by", label)
    out = df.rename(columns={"group": "_by"})
    if kind in ("category", "task") and "name" in out.columns:  # units: unit_words (it names districts too)
        names = out["name_en"] if ctx.lang == "en" and "name_en" in out.columns else out["name"]
        out["_by"] = [n if isinstance(n, str) and n else str(g) for n, g in zip(names.fillna(""), out["_by"])]
        kind = "text"
    return out, Col("_by", label, kind)


# --- the office layouts (zhizao/outputs/delivery_exports.py); declared before /projects/{id} and /tasks/{id},
# which would otherwise take "ledger.xlsx" for an id ------------------------------------------------------
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_OF = {"projects": ("projects_ledger",), "services": ("services_ledger",), "tasks": ("tasks_table", "tasks_docx")}


def office_links(ctx: Ctx, page: str) -> list[dict]:
    """The page's office downloads, for users who see rows by name (none for a guest: empty sheets)."""
    if ctx.user.level not in ("city", "district"):
        return []
    q = "?lang=en" if ctx.lang == "en" else ""
    return [{"kind": k, "label": t(f"dl_office_{k}", ctx.lang), "url": f"{ctx.base}{OFFICE[k]}{q}"}
            for k in OFFICE_OF.get(page, ())]


def _office(ctx: Ctx, kind: str) -> Response:
    """One office layout with the rows the user may see (a district user: their district's), every row
    of them (no paging); handing them out is an export, audited as the table exports are."""
    if ctx.user.level not in ("city", "district"):
        raise Refused(403, *labels.UI["dl_guest_counts"], lang=ctx.lang)
    data = delivery_data(ctx)
    if kind == "projects_ledger":
        status, _ = scoped(ctx, _call(ctx, "projects"), "projects")
        keep = dataclasses.replace(data, projects=data.projects[data.projects["project_id"].isin(status["project_id"])]
                                   if len(status) else data.projects.iloc[0:0])
        body, ext = delivery_exports.project_ledger_workbook(ctx.plan, keep, status, lang=ctx.lang, as_of=data.as_of), "xlsx"
    elif kind == "services_ledger":
        status, _ = scoped(ctx, _call(ctx, "problems"), "services")
        keep = dataclasses.replace(data, problems=data.problems[data.problems["problem_id"].isin(status["problem_id"])]
                                   if len(status) else data.problems.iloc[0:0])
        body, ext = delivery_exports.service_ledger_workbook(ctx.plan, keep, status, lang=ctx.lang, as_of=data.as_of), "xlsx"
    else:
        status, _ = scoped(ctx, _call(ctx, "work_items"), "tasks")
        items = data.work_items
        keep = dataclasses.replace(data, work_items=items[items["item_id"].isin(status["item_id"])]
                                   if len(status) and len(items) else items.iloc[0:0])
        make = delivery_exports.task_table_docx if kind == "tasks_docx" else delivery_exports.task_table_workbook
        body, ext = make(ctx.plan, keep, status, lang=ctx.lang, as_of=data.as_of), ("docx" if kind == "tasks_docx" else "xlsx")
    audit(ctx.request, "export", f"delivery:{kind}", rows=len(status), detail={"format": ext, "path": ctx.request.url.path})
    return Response(body, media_type=DOCX if ext == "docx" else XLSX,
                    headers={"Content-Disposition": f'attachment; filename="zhizao-{kind.replace("_", "-")}.{ext}"'})


@router.get(OFFICE["projects_ledger"])
def projects_ledger(ctx: Ctx = Depends(page_context)):
    return _office(ctx, "projects_ledger")


@router.get(OFFICE["services_ledger"])
def services_ledger(ctx: Ctx = Depends(page_context)):
    return _office(ctx, "services_ledger")


@router.get(OFFICE["tasks_table"])
def tasks_table(ctx: Ctx = Depends(page_context)):
    if no_tasks(ctx):
        raise HTTPException(404, t("dl_no_tasks", ctx.lang))
    return _office(ctx, "tasks_table")


@router.get(OFFICE["tasks_docx"])
def tasks_docx(ctx: Ctx = Depends(page_context)):
    if no_tasks(ctx):
        raise HTTPException(404, t("dl_no_tasks", ctx.lang))
    return _office(ctx, "tasks_docx")


# --- /projects ------------------------------------------------------------------------------------
def funnel_chart(ctx: Ctx, funnel: pd.DataFrame) -> dict | None:
    if funnel is None or funnel.empty or not {"stage", "n"} <= set(funnel.columns):
        return None
    f = funnel.drop_duplicates("stage").set_index("stage")
    stages = [s for s in dlf.STAGES if s in f.index]
    return {"animation": False, "tooltip": {"trigger": "axis"},
            "grid": {"left": 16, "right": 30, "top": 10, "bottom": 36, "containLabel": True},
            "xAxis": {"type": "value", "name": t("dl_col_n", ctx.lang), "nameLocation": "middle", "nameGap": 24,
                      "minInterval": 1},
            "yAxis": {"type": "category", "inverse": True, "data": [stage_words(s, ctx.lang) for s in stages]},
            "series": [{"type": "bar", "name": t("dl_col_n", ctx.lang), "itemStyle": {"color": "#1f5fa8"},
                        "label": {"show": True, "position": "right"},
                        "data": [int(cell_number(f.loc[s, "n"]) or 0) for s in stages]}]}


def _project_url(ctx: Ctx):
    return lambda r: f"{ctx.base}/projects/{quote(str(r['project_id']), safe='')}" if r.get("project_id") else None


@router.get("/projects")
def projects_page(ctx: Ctx = Depends(page_context), district: str | None = Query(None),
                  cluster: str | None = Query(None), stage: str | None = Query(None)):
    ent_pages.once(ctx, "district", "cluster", "stage")
    district = _choice(ctx, district, districts_offered(ctx), "dl_col_district")
    clusters = {c.id: pick(c.name, getattr(c, "name_en", None), ctx.lang) for c in getattr(ctx.plan, "clusters", None) or []}
    cluster = _choice(ctx, cluster, clusters, "dl_col_cluster")
    stage = _choice(ctx, stage, {s: stage_words(s, ctx.lang) for s in dlf.STAGES}, "dl_col_stage")
    listed = _call(ctx, "projects", district=district, cluster=cluster, stage=stage)
    funnel = _call(ctx, "project_funnel", by=None)
    by_district, c1 = _by(ctx, _call(ctx, "project_funnel", by="district"), "district", "district")
    tables = [table(ctx, "funnel", funnel, FUNNEL[1:], title=t("dl_funnel", ctx.lang), area="projects"),
              table(ctx, "by_district", by_district, [c1, *FUNNEL[1:]], title=t("dl_funnel_by_district", ctx.lang),
                    area="projects"),
              table(ctx, "projects", listed, PROJECTS, title=t("dl_projects", ctx.lang), area="projects",
                    url=_project_url(ctx), page=page_number(ctx))]
    if clusters:
        by_cluster, c2 = _by(ctx, _call(ctx, "project_funnel", by="cluster"), "cluster", "cluster")
        tables.insert(2, table(ctx, "by_cluster", by_cluster, [c2, *FUNNEL[1:]], title=t("dl_funnel_by_cluster", ctx.lang),
                               area="projects"))
    chart = funnel_chart(ctx, funnel)
    d = {"filters": {"district": district, "cluster": cluster, "stage": stage,
                     "districts": [{"code": k, "name": v} for k, v in districts_offered(ctx).items()],
                     "clusters": [{"code": k, "name": v} for k, v in clusters.items()],
                     "stages": [{"code": s, "name": stage_words(s, ctx.lang)} for s in dlf.STAGES]},
         "chart": {"name": "funnel", "title": t("dl_funnel", ctx.lang), "height": 200} if chart else None}
    return _page(ctx, "projects", "projects", d, t("dl_nav_projects", ctx.lang), tables,
                 charts={"funnel": chart} if chart else None)


def _one(ctx: Ctx, df: pd.DataFrame, key: str, value: str, area: str, listing: str) -> dict:
    """The active row `value` of `df` the user may see, else 404 — another district's row answers exactly
    as an absent one (pages and forms alike), so that its existence does not leak."""
    row = df[df[key].astype(str) == value] if ID_TEXT.match(value) and len(df) and key in df.columns else df.iloc[0:0]
    r = row.iloc[0].to_dict() if len(row) else None
    if r is None or not row_in(ctx, r, area):
        raise HTTPException(404, t("dl_not_found", ctx.lang).format(id=value[:60], url=f"{ctx.base}{listing}"))
    return r


def stage_rows(p: dict) -> pd.DataFrame:
    rows = []
    for s in dlf.STAGES:
        planned, actual = p.get(f"planned_{s}") or "", p.get(s) or ""
        slip = p.get(f"slip_{s}")
        if (slip is None or pd.isna(slip)) and planned and actual and DATE.match(str(planned)) and DATE.match(str(actual)):
            slip = (date.fromisoformat(str(actual)[:10]) - date.fromisoformat(str(planned)[:10])).days
        rows.append({"stage": s, "planned": planned, "actual": actual, "slip": slip})
    return pd.DataFrame(rows)


def _changes(ctx: Ctx, frame_name: str, key: str, hist: pd.DataFrame | None = None) -> pd.DataFrame:
    """A row's edit history (analytics history.changes, newest first) with the changed column in words
    ("created" for a row's first version). Withdrawn versions are left out: they are no longer its story."""
    h = hist if hist is not None else _call(ctx, "delivery_history", frame=frame_name, key=key)
    if h is None or h.empty:
        return pd.DataFrame(columns=["key", "recorded_at", "actor", "kind", "column", "before", "after"])
    h = h[~h["withdrawn"].fillna(False).astype(bool)]
    en = ctx.lang == "en"
    words = [(r["change_en" if en else "change_zh"] if not r["column"] else r["column_en" if en else "column_zh"])
             or r["column"] for r in h.to_dict("records")]
    return h.assign(column=words)


def project_data(ctx: Ctx, project_id: str) -> tuple[dict, list[dict]]:
    p = _one(ctx, _call(ctx, "projects"), "project_id", project_id, "projects", "/projects")
    prog = delivery_data(ctx).project_progress
    prog = prog[prog["project_id"].astype(str) == project_id] if len(prog) else prog
    hist = _changes(ctx, "projects", project_id, _call(ctx, "project_history", project_id=project_id))
    tables = [table(ctx, "stages", stage_rows(p), STAGE_TABLE, title=t("dl_stages", ctx.lang), area="projects"),
              table(ctx, "progress", prog.sort_values(["year", "month"]) if len(prog) else prog, PROGRESS,
                    title=t("dl_progress", ctx.lang), area="projects"),
              table(ctx, "history", hist, HISTORY[:-1], title=t("dl_history", ctx.lang), area="projects")]
    facts = {c.key: cell(ctx, c, p) for c in PROJECTS if c.key in p or (c.kind == "reasons" and "reasons_zh" in p)}
    return {"id": project_id, "name": p.get("name"), "facts": [{"label": t(c.label, ctx.lang), "value": facts[c.key],
                                                                 "numeric": c.numeric, "digits": c.digits}
                                                                for c in PROJECTS if c.key in facts]}, tables


@router.get("/projects/{project_id}")
def project_page(project_id: str, ctx: Ctx = Depends(page_context)):
    return _project_page(ctx, project_id)


def _project_page(ctx: Ctx, project_id: str, form: dict | None = None, status_code: int = 200):
    one, tables = project_data(ctx, project_id)
    d = {"project": one, "crumb": {"label": t("dl_nav_projects", ctx.lang), "url": f"{ctx.base}/projects"},
         "forms": {"stage": {"url": f"{ctx.base}/projects/{quote(project_id, safe='')}/stage",
                             "stages": [{"code": s, "name": stage_words(s, ctx.lang)} for s in dlf.STAGES]}}
         if _can_edit(ctx) else {}}
    out = _page(ctx, "projects_one", "projects", {**d, "form": form}, str(one["name"] or project_id), tables,
                status_code=status_code)
    return out


# --- /services ------------------------------------------------------------------------------------
def _services_page(ctx: Ctx, district: str | None = None, department: str | None = None, status: str | None = None,
                   form: dict | None = None, status_code: int = 200):
    district = _choice(ctx, district, districts_offered(ctx), "dl_col_district")
    depts = dlf.unit_names(ctx.plan, delivery_data(ctx).departments, ctx.lang)
    department = _choice(ctx, department, depts, "dl_col_department")
    status = _choice(ctx, status, {s: pair(w, ctx.lang) for s, w in dlf.STATUS_NAMES["problem"].items()}, "dl_col_status")
    tables = []
    for by, kind in (("department", "unit"), ("district", "district"), ("category", "category")):
        df, c = _by(ctx, _call(ctx, "service_summary", by=by), by, kind)
        tables.append(table(ctx, f"by_{by}", df, [c, *SUMMARY], title=t(f"dl_summary_{by}", ctx.lang), area="services"))
    tables.append(table(ctx, "problems", _call(ctx, "problems", district=district, department=department, status=status),
                        PROBLEMS, title=t("dl_problems", ctx.lang), area="services", page=page_number(ctx)))
    listed = tables[-1]["_frame"]  # the open problems of this page are offered to the resolve form
    forms = {}
    if _can_edit(ctx):
        mine = [ctx.user.region] if ctx.user.level == "district" else list(districts_offered(ctx))
        open_ = listed[listed["status"] != "resolved"] if len(listed) and "status" in listed.columns else listed
        forms = {"problem": {"url": f"{ctx.base}{FORMS['problem']}",
                             "districts": [{"code": c, "name": ent_pages.district_words(ctx, c)} for c in mine],
                             "categories": [{"code": k, "name": pair(v, ctx.lang)} for k, v in dlf.PROBLEM_CATEGORIES.items()],
                             "departments": [{"code": k, "name": v} for k, v in depts.items()]},
                 "resolve": {"url": f"{ctx.base}/services/_/resolve",
                             "problems": [{"code": str(r["problem_id"]), "name": f"{r['problem_id']} {r.get('enterprise_name') or ''}",
                                           "url": f"{ctx.base}/services/{quote(str(r['problem_id']), safe='')}/resolve"}
                                          for r in open_.to_dict("records")]}}
    d = {"filters": {"district": district, "department": department, "status": status,
                     "districts": [{"code": k, "name": v} for k, v in districts_offered(ctx).items()],
                     "departments": [{"code": k, "name": v} for k, v in depts.items()],
                     "statuses": [{"code": s, "name": pair(w, ctx.lang)} for s, w in dlf.STATUS_NAMES["problem"].items()]},
         "forms": forms, "form": form}
    return _page(ctx, "services", "services", d, t("dl_nav_services", ctx.lang), tables, status_code=status_code)


@router.get("/services")
def services_page(ctx: Ctx = Depends(page_context), district: str | None = Query(None),
                  department: str | None = Query(None), status: str | None = Query(None)):
    ent_pages.once(ctx, "district", "department", "status")
    return _services_page(ctx, district, department, status)


# --- /tasks ---------------------------------------------------------------------------------------
def _item_url(ctx: Ctx):
    return lambda r: f"{ctx.base}/tasks/{quote(str(r['item_id']), safe='')}" if r.get("item_id") else None


def no_tasks(ctx: Ctx) -> bool:
    return len(delivery_data(ctx).work_items) == 0


@router.get("/tasks")
def tasks_page(ctx: Ctx = Depends(page_context), department: str | None = Query(None), status: str | None = Query(None)):
    ent_pages.once(ctx, "department", "status")
    if no_tasks(ctx):  # the plan lists no 任务分工 and none is imported: say so, list nothing
        d = {"message": t("dl_no_tasks", ctx.lang), "no_tasks": True}
        return _page(ctx, "tasks", "tasks", d, t("dl_nav_tasks", ctx.lang), [])
    depts = dlf.unit_names(ctx.plan, delivery_data(ctx).departments, ctx.lang)
    department = _choice(ctx, department, depts, "dl_col_department")
    statuses = ("done", "overdue", "stalled", "behind", "on_track", "not_started")
    status = _choice(ctx, status, {s: t(f"dl_col_{s}", ctx.lang) for s in statuses}, "dl_col_status")
    by_dept, c1 = _by(ctx, _call(ctx, "task_progress", by="department"), "department", "unit")
    by_task, c2 = _by(ctx, _call(ctx, "task_progress", by="task"), "task", "task")
    tables = [table(ctx, "by_department", by_dept, [c1, *PROGRESS_BY], title=t("dl_by_department", ctx.lang), area="tasks"),
              table(ctx, "by_task", by_task, [c2, *PROGRESS_BY], title=t("dl_by_task", ctx.lang), area="tasks"),
              table(ctx, "items", _call(ctx, "work_items", department=department, status=status), ITEMS,
                    title=t("dl_items", ctx.lang), area="tasks", url=_item_url(ctx), page=page_number(ctx))]
    items = delivery_data(ctx).work_items
    plan_text = len(items) > 0 and set(items["basis"].dropna()) == {"plan_text"}
    d = {"filters": {"department": department, "status": status,
                     "departments": [{"code": k, "name": v} for k, v in depts.items()],
                     "statuses": [{"code": s, "name": t(f"dl_col_{s}", ctx.lang)} for s in statuses]},
         "basis_note": t("dl_plan_text_basis", ctx.lang) if plan_text else None}
    return _page(ctx, "tasks", "tasks", d, t("dl_nav_tasks", ctx.lang), tables)


@router.get("/tasks/{item_id}")
def item_page(item_id: str, ctx: Ctx = Depends(page_context)):
    return _item_page(ctx, item_id)


def _item_page(ctx: Ctx, item_id: str, form: dict | None = None, status_code: int = 200):
    if no_tasks(ctx):
        raise HTTPException(404, t("dl_no_tasks", ctx.lang))
    it = _one(ctx, _call(ctx, "work_items"), "item_id", item_id, "tasks", "/tasks")
    data = delivery_data(ctx)
    stones = data.milestones[data.milestones["item_id"].astype(str) == item_id] if len(data.milestones) else data.milestones
    reports = _call(ctx, "item_reports", item_id=item_id)
    # the item's own changes and those of its reports (a report is a row of its own, keyed by report_id)
    hist = _changes(ctx, "work_items", item_id)
    if len(reports):
        mine = set(reports["report_id"].astype(str))
        rh = _changes(ctx, "progress_reports", None, _call(ctx, "delivery_history", frame="progress_reports"))
        hist = pd.concat([hist, rh[rh["key"].astype(str).isin(mine)]], ignore_index=True)
        hist = hist.sort_values("recorded_at", ascending=False, kind="stable")
    tables = [table(ctx, "milestones", stones, MILESTONES, title=t("dl_milestones", ctx.lang), area="tasks"),
              table(ctx, "reports", reports.assign(lead=it.get("lead"), cooperating=it.get("cooperating")) if len(reports)
                    else reports, REPORTS, title=t("dl_reports", ctx.lang), area="tasks"),
              table(ctx, "history", hist.assign(lead=it.get("lead"), cooperating=it.get("cooperating")) if len(hist) else hist,
                    HISTORY, title=t("dl_history", ctx.lang), area="tasks")]
    facts = [{"label": t(c.label, ctx.lang), "value": cell(ctx, c, it), "numeric": c.numeric, "digits": c.digits}
             for c in ITEMS if c.key in it or (c.kind == "reasons" and "reasons_zh" in it)]
    d = {"item": {"id": item_id, "title": it.get("title"), "facts": facts, "quote": it.get("quote") or "",
                  "section": it.get("section") or ""},
         "crumb": {"label": t("dl_nav_tasks", ctx.lang), "url": f"{ctx.base}/tasks"},
         "forms": {"report": {"url": f"{ctx.base}/tasks/{quote(item_id, safe='')}/report", "today": date.today().isoformat()}}
         if _can_edit(ctx) else {}, "form": form}
    return _page(ctx, "tasks_one", "tasks", d, str(it.get("title") or item_id), tables, status_code=status_code)


# --- the forms --------------------------------------------------------------------------------------
async def _form(ctx: Ctx) -> dict[str, str]:
    try:
        form = await ctx.request.form()
    except Exception:  # noqa: BLE001 - a malformed body: an empty form, refused field by field
        return {}
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def limit_of(field: str) -> int:
    return int(TEXT_LIMITS.get(field, MAX_TEXT))


def _too_long(ctx: Ctx, f: dict[str, str]) -> list[ImportProblem]:
    """A problem per field over its limit (TEXT_LIMITS, the import's): refused, never cut short."""
    out = []
    for k, v in f.items():
        if len(v) > limit_of(k):
            zh, en = (t(f"dl_col_{k}", lang) if f"dl_col_{k}" in labels.UI else k[:40] for lang in ("zh", "en"))
            out.append(ImportProblem(file="表单", row=None, column=k[:40], value=None, code="too_long",
                                     message_zh=t("dl_form_too_long", "zh").format(field=zh, limit=limit_of(k), n=len(v)),
                                     message_en=t("dl_form_too_long", "en").format(field=en, limit=limit_of(k), n=len(v))))
    return out


def _refusal(ctx: Ctx, problems: list) -> dict:
    return {"ok": False, "message": t("dl_form_refused", ctx.lang).format(n=len(problems)),
            "problems": [{"column": getattr(p, "column", None), "value": getattr(p, "value", None),
                          "message": (p.message_en if ctx.lang == "en" else p.message_zh)} for p in problems]}


def _missing(ctx: Ctx, field: str) -> ImportProblem:
    label = t(field, "zh"), t(field, "en")
    return ImportProblem(file="表单", row=None, column=None, value=None, code="missing",
                         message_zh=t("dl_form_missing", "zh").format(field=label[0]),
                         message_en=t("dl_form_missing", "en").format(field=label[1]))


def _actor(ctx: Ctx) -> tuple[str, str | None]:
    """(actor, role) of a write: the signed-in user, else in local mode the web's local actor
    (web:<system user>), so that history does not say it came from the command line."""
    if ctx.user.authenticated:
        return ctx.user.id, ctx.user.role
    return "web:" + default_actor().removeprefix("cli:"), None


def _district(ctx: Ctx) -> str | None:
    """The district code the api scopes a district user's writes to (None: a city user)."""
    return (ctx.user.region or "") if ctx.user.level != "city" else None


def _record(ctx: Ctx, frame_name: str, values: dict) -> dict:
    """One edit through record_delivery_edit (all or nothing); {ok, message, batch_id} or the refusal."""
    actor, role = _actor(ctx)
    try:
        with ctx.state._import_lock:
            try:
                out = dl_api.record_delivery_edit(frame_name, values, plan=ctx.plan, db=ctx.state.db,
                                                  actor=actor, role=role, district=_district(ctx),
                                                  ip=ctx.request.client.host if ctx.request.client else None)
            finally:
                ctx.state.invalidate()
    except ImportFailed as e:
        audit(ctx.request, "edit_refused", frame_name, rows=len(e.problems))
        return _refusal(ctx, list(e.problems))
    except UserError as e:
        return {"ok": False, "message": e.reason_en if ctx.lang == "en" else e.reason_zh, "problems": []}
    except Exception as e:  # noqa: BLE001 - a bug or an input no check foresaw: a message, never a 500
        log.exception("delivery edit of %s failed", frame_name)
        return {"ok": False, "problems": [], "message": ("the edit failed and nothing was written (" if ctx.lang == "en"
                                                         else "保存失败，未写入任何数据（") + type(e).__name__ +
                ("): try again or tell the maintainers" if ctx.lang == "en" else "）：请重试或联系维护人员")}
    return {"ok": True, "batch_id": out.get("batch_id"), "message": t("dl_form_saved", ctx.lang).format(batch=out.get("batch_id"))}


def _answer(ctx: Ctx, result: dict, page):
    """The page again with the form's result; a refusal is 422 for the JSON twin (a normal page in HTML)."""
    return page(result, 422 if not result["ok"] and wants_json(ctx.request) else 200)


@router.post(FORMS["stage"])
async def stage_form(project_id: str, ctx: Ctx = Depends(page_context)):
    p = _one(ctx, await run_in_threadpool(_call, ctx, "projects"), "project_id", project_id, "projects", "/projects")
    f = await _form(ctx)
    problems = _too_long(ctx, f) or \
        [_missing(ctx, k) for k, v in (("dl_col_stage", f.get("stage")), ("dl_col_actual", f.get("date"))) if not v]
    if not problems and f["stage"] not in dlf.STAGES:
        problems = [_missing(ctx, "dl_col_stage")]
    result = _refusal(ctx, problems) if problems else \
        await run_in_threadpool(_record, ctx, "projects", {"project_id": project_id, f["stage"]: f["date"]})
    return await run_in_threadpool(_answer, ctx, result, lambda r, s: _project_page(ctx, project_id, r, s))


@router.post(FORMS["problem"])
async def problem_form(ctx: Ctx = Depends(page_context)):
    f = await _form(ctx)
    required = (("district", "dl_col_district"), ("enterprise_name", "dl_col_enterprise_name"),
                ("category", "dl_col_category"), ("description", "dl_col_description"),
                ("department", "dl_col_department"), ("raised", "dl_col_raised"), ("deadline", "dl_col_deadline"))
    problems = _too_long(ctx, f) or [_missing(ctx, label) for k, label in required if not f.get(k)]
    values = {k: f.get(k, "") for k in ("enterprise_id", "enterprise_name", "district", "category", "description",
                                         "department", "raised", "deadline")}
    values.update(problem_id="", status="open", resolved="", resolution="")
    result = _refusal(ctx, problems) if problems else await run_in_threadpool(_record, ctx, "problems", values)
    return await run_in_threadpool(_answer, ctx, result, lambda r, s: _services_page(ctx, form=r, status_code=s))


@router.post(FORMS["resolve"])
async def resolve_form(problem_id: str, ctx: Ctx = Depends(page_context)):
    f = await _form(ctx)
    problem_id = f.get("problem_id") or problem_id  # the /services form names the problem in a field
    p = _one(ctx, await run_in_threadpool(_call, ctx, "problems"), "problem_id", problem_id, "services", "/services")
    problems = _too_long(ctx, f) or [_missing(ctx, label) for k, label in (("resolved", "dl_col_resolved"),
                                                                           ("resolution", "dl_col_resolution")) if not f.get(k)]
    values = {"problem_id": problem_id, "status": "resolved", "resolved": f.get("resolved", ""),
              "resolution": f.get("resolution", "")}
    result = _refusal(ctx, problems) if problems else await run_in_threadpool(_record, ctx, "problems", values)
    return await run_in_threadpool(_answer, ctx, result, lambda r, s: _services_page(ctx, form=r, status_code=s))


@router.post(FORMS["report"])
async def report_form(item_id: str, ctx: Ctx = Depends(page_context)):
    if await run_in_threadpool(no_tasks, ctx):
        raise HTTPException(404, t("dl_no_tasks", ctx.lang))
    it = _one(ctx, await run_in_threadpool(_call, ctx, "work_items"), "item_id", item_id, "tasks", "/tasks")
    f = await _form(ctx)
    problems = _too_long(ctx, f) or [_missing(ctx, label) for k, label in (("date", "dl_col_date"),
                                                                           ("completion", "dl_col_completion"),
                                                                           ("text", "dl_col_text")) if not f.get(k)]
    completion = None
    if not problems:
        try:
            completion = float(f["completion"])
            if not 0 <= completion <= 100:
                raise ValueError
        except ValueError:
            problems = [ImportProblem(file="表单", row=None, column="completion", value=f["completion"], code="bad_number",
                                      message_zh=t("dl_form_bad_number", "zh").format(field=t("dl_col_completion", "zh"), value=f["completion"]),
                                      message_en=t("dl_form_bad_number", "en").format(field=t("dl_col_completion", "en"), value=f["completion"]))]
    values = {"report_id": "", "item_id": item_id, "date": f.get("date", ""), "completion": completion,
              "text": f.get("text", ""), "attachments": ";".join(a.strip() for a in re.split(r"[;\n]", f.get("attachments", ""))
                                                                  if a.strip()),
              "reporter": ctx.user.name or ctx.user.id}
    result = _refusal(ctx, problems) if problems else await run_in_threadpool(_record, ctx, "progress_reports", values)
    return await run_in_threadpool(_answer, ctx, result, lambda r, s: _item_page(ctx, item_id, r, s))


# --- the /data upload of delivery files ------------------------------------------------------------
def import_delivery_upload(ctx: Ctx, uploads: list) -> dict:
    """Import the uploaded delivery files (all or nothing); {ok, files, batch_id, rows} or {ok: False, problems}."""
    given = [data_pages.display_name(u.filename) for u in uploads]
    label = ", ".join(given)
    problems: list[ImportProblem] = []
    names: dict[str, str] = {}
    summary = None
    try:
        if not uploads:
            problems.append(data_pages._problem("", "no_file", "没有选择文件：请选择一个 XLSX 或若干 CSV 文件再上传",
                                                "no file was chosen: choose one XLSX or the CSV files, then upload"))
        elif len(uploads) > MAX_FILES:
            problems.append(data_pages._problem(label, "too_many_files", f"最多上传 {MAX_FILES} 个文件（一个 XLSX 或每类数据一个 CSV）",
                                                f"at most {MAX_FILES} files (one XLSX or one CSV per kind of data)"))
        with tempfile.TemporaryDirectory(prefix=data_pages.UPLOAD_PREFIX) as tmp:
            paths = [] if problems else data_pages._saved_uploads(uploads, given, Path(tmp), problems, names)
            if not problems:  # a district user's rows, and the stored rows of their keys, must be theirs (the api checks)
                actor, role = _actor(ctx)
                with ctx.state._import_lock:
                    try:
                        summary = dl_api.import_delivery_data(
                            paths, plan=ctx.plan, db=ctx.state.db, actor=actor, role=role, district=_district(ctx),
                            ip=ctx.request.client.host if ctx.request.client else None)
                    finally:
                        ctx.state.invalidate()
    except ImportFailed as e:
        problems = list(e.problems)
    except UserError as e:
        problems = [data_pages._problem(label, "import_error", e.reason_zh, e.reason_en)]
    except Exception as e:  # noqa: BLE001 - a bug or an input no check foresaw: a listed problem, never a 500
        log.exception("delivery upload of %r failed", label)
        problems = [data_pages._unforeseen(label, e, "docs/delivery.md")]
    if problems:
        audit(ctx.request, "upload_refused", label, rows=len(problems),
              detail={"kind": "delivery", "codes": sorted({p.code for p in problems})})
        return {"ok": False, "files": given, "problems": [data_pages._chain_problem(p, names, ctx.lang) for p in problems]}
    rows = {f: int(summary.get(f) or 0) for f in summary.get("frames", [])}  # import_delivery_data: rows per frame
    sep = ", " if ctx.lang == "en" else "、"
    return {"ok": True, "files": given, "batch_id": summary.get("batch_id"), "rows": rows,
            "rows_text": sep.join(t("dl_upload_rows", ctx.lang).format(name=pair(dlf.FRAME_NAMES.get(k), ctx.lang, k), n=n)
                                  for k, n in rows.items())}


@router.post(UPLOAD)
async def delivery_upload(ctx: Ctx = Depends(page_context)):
    if not ctx.user.can("import"):  # auth.authorize refuses first; kept as a second lock
        raise Refused(403, *labels.UI["dl_upload_refused"], lang=ctx.lang)
    try:
        form = await ctx.request.form()
        files = [f for f in form.getlist("files") if isinstance(f, StarletteUploadFile) and f.filename]
    except Exception:  # noqa: BLE001 - a malformed multipart body
        files = []
    result = await run_in_threadpool(import_delivery_upload, ctx, files)
    d = await run_in_threadpool(data_pages.data_page_data, ctx)
    d["delivery_upload"] = result
    return respond(ctx.request, "data.html", d, lang=ctx.lang, user=ctx.user, page="data",
                   title=t("nav_data", ctx.lang) + " · " + t("app_title", ctx.lang),
                   status_code=422 if not result["ok"] and wants_json(ctx.request) else 200)


def _upload_offered(ctx: Ctx) -> bool:
    return ctx.user.can("import")


data_pages.delivery_offered = _upload_offered  # the /data page shows the form (data.py cannot import this module)


# --- the monitoring page's delivery warnings ---------------------------------------------------------
def rule_title(rule: str, lang: str) -> str:
    return t(f"dl_rule_{rule}", lang) if f"dl_rule_{rule}" in labels.UI else rule


def warning_rows(ctx: Ctx, rows_of) -> tuple[list[dict], dict | None]:
    """The plan's delivery warnings (api_delivery.delivery_warnings, WARNING_COLUMNS) as the monitoring page's
    rows (`rows_of`: monitoring_view.chain_warning_rows), each with its page's address and its data's origin,
    cut to the viewer's rows (a guest: none). ([], None) when the data cannot be read."""
    base = getattr(ctx, "base", "")
    try:
        data = delivery_data(ctx)
    except Exception:  # noqa: BLE001 - the monitoring page stands without them
        log.exception("delivery warnings unavailable")
        return [], None

    def compute():
        w = _call(ctx, "delivery_warnings")
        synthetic = bool(w.attrs.get("synthetic", data.synthetic))
        w.attrs.update(synthetic=synthetic)
        projects = dict(zip(data.projects["project_id"].astype(str), data.projects["district"]))
        problems = dict(zip(data.problems["problem_id"].astype(str), data.problems["district"]))
        items = {str(r["item_id"]): r for r in data.work_items.to_dict("records")}
        out = []
        for r in rows_of(w, ctx.lang):
            sid, st = str(r["subject_id"]), r["subject_type"]
            area, where = {"project": ("projects", {"district": projects.get(sid)}),
                           "problem": ("services", {"district": problems.get(sid)}),
                           "work_item": ("tasks", items.get(sid, {}))}.get(st, ("tasks", {}))
            url = {"project": f"{base}/projects/{quote(sid, safe='')}", "problem": f"{base}/services",
                   "work_item": f"{base}/tasks/{quote(sid, safe='')}"}.get(st, f"{base}/tasks")
            out.append({**r, "rule_title": rule_title(r["rule"], ctx.lang), "district": where.get("district"),
                        "url": url, "delivery": True, "_area": area, "_row": {k: where.get(k) for k in
                                                                               ("district", "lead", "cooperating")},
                        "synthetic": synthetic, "source": data.source or ""})
        return out

    rows = ctx.state.cached(("dl_warning_rows", ctx.lang, base), compute)
    user = getattr(ctx, "user", None)
    mine = [{k: v for k, v in w.items() if not k.startswith("_")} for w in rows
            if user is not None and row_in(ctx, w["_row"], w["_area"])]
    return mine, {"source": data.source, "as_of": data.as_of, "synthetic": bool(data.synthetic)}
