"""One way to answer a page: HTML from a template, or its JSON twin with `?format=json`.

Each page handler builds one plain dict (`data`) and passes it here. The template renders that
dict; `?format=json` returns the same dict, so the JSON twin can never disagree with the page.
Chart options ride along separately (`charts`): they are presentation, not data.
"""
from __future__ import annotations

from zhizao import formatting, labels

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Undefined

from zhizao.outputs.web.auth import User
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

STATUS_ORDER = ("achieved", "ahead", "on_track", "behind", "seriously_behind", "not_met", "no_comparable_data", "tracked")

NAV = (("overview", "/", "nav_overview"), ("plan", "/plan", "nav_plan"),
       ("districts", "/districts", "nav_districts"), ("monitoring", "/monitoring", "nav_monitoring"),
       ("data", "/data", "nav_data"),
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


def target_text(target: dict | None) -> str:
    if not target:
        return "—"
    if target.get("display"):  # the assessment's: ≥36, 5—6, 保持≥28 (comparator aliases printed as symbols)
        return target["display"]
    sign = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≈": "≈", "=": ""}.get(target.get("comparator"), "")
    return target.get("text") or f"{sign}{fmt_num(target.get('value'))}"


# How a published qualifier reads in front of a number (超2.6万 → "超26,000").
QUALIFIER_PREFIX = {"more_than": ("超", "> "), "at_least": ("≥", "≥ "), "nearly": ("近", "nearly "),
                    "about": ("约", "about "), "at_most": ("≤", "≤ "), "less_than": ("<", "< ")}


def fmt_qualified(v: Any, qualifier: str | None, lang: str = "zh") -> str:
    zh, en = QUALIFIER_PREFIX.get(qualifier or "", ("", ""))
    return (en if lang == "en" else zh) + fmt_num(v)


def qual_label(code: Any, lang: str = "zh") -> str:
    """精确/超过/近 … instead of the stored code (exact, more_than, nearly …)."""
    from zhizao.ingest.values import QUALIFIERS, qualifier_label
    return qualifier_label(code, lang) if code in QUALIFIERS else ("" if code is None else str(code))


def obs_status(code: Any, lang: str = "zh") -> str:
    return labels.label("obs_status", code, lang)


TEMPLATES.env.filters.update(num=fmt_num, pct=fmt_pct, target_text=target_text, qualified=fmt_qualified,
                             qual_label=qual_label, obs_status=obs_status)
TEMPLATES.env.globals.update(STATUS_ORDER=STATUS_ORDER, NAV=NAV)


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


def respond(request: Request, template: str, data: dict, *, lang: str, user: User,
            page: str, title: str, charts: dict | None = None, status_code: int = 200):
    if wants_json(request):
        return JSONResponse(jsonable({"page": page, "lang": lang, **data}), status_code=status_code)
    other = "en" if lang == "zh" else "zh"
    plans = request.app.state.plans
    plan_id = request.path_params.get("plan_id") or plans.default.plan.plan.id
    context = {
        "base": f"/p/{request.path_params['plan_id']}" if "plan_id" in request.path_params else "",
        "plans": plans.listing(lang), "current_plan": plan_id,
        "data": data, "charts": charts or {}, "lang": lang, "user": user, "page": page, "title": title,
        "t": lambda key: t(key, lang),
        "json_url": with_params(request, format="json"),
        "lang_url": with_params(request, format=None, lang=other),
        "csrf_token": csrf_token(request),
    }
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
