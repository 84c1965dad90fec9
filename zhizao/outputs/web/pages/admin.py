"""The audit log (/admin/audit, administrators only; its JSON twin): paged, filtered by actor and action.

Read by people, so nothing in it is a code: actions and roles in words (labels.AUDIT_ACTION, ROLE), the
detail (a JSON object in the database) as "key value" words (labels.AUDIT_DETAIL_KEY; values that are
codes through AUDIT_REASON and PROBLEM_CODE), times in the display time zone named in the heading
(settings.display_time_zone, 北京时间 by default; stored in UTC). `?table=audit&format=csv|xlsx` exports
every row the filter selects (spreadsheet_safe, itself an audited export); the page prints on A4.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from zhizao import labels
from zhizao.codes.regions import DISTRICTS, district_name
from zhizao.outputs.web.auth import accounts_of
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.pages.data import user_file
from zhizao.outputs.web.render import export_links, frame, respond
from zhizao.settings import display_time_zone

router = APIRouter()
PER_PAGE = 50
EXPORT_LIMIT = 100_000  # rows of one export of the log
TIME_KEYS = ("until", "created_at")  # detail values that are UTC times
SHORT_KEYS = ("sha256",)  # shown shortened on the page (whole in the export)


def _url(actor: str | None, action: str | None, page: int) -> str:
    q = {k: v for k, v in (("actor", actor), ("action", action), ("page", page)) if v}
    return "/admin/audit" + ("?" + urlencode(q) if q else "")


def local_time(at, zone) -> str:
    """A stored (naive UTC) time in the display zone, to the second: 2026-11-30 16:44:05."""
    if at is None or at is pd.NaT:
        return ""
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return at
    if isinstance(at, pd.Timestamp):
        at = at.to_pydatetime()
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _value(key: str, v, lang: str, zone, short: bool) -> str:
    if isinstance(v, (list, tuple)):
        return ("、" if lang != "en" else ", ").join(_value(key, x, lang, zone, short) for x in v)
    if isinstance(v, bool):
        return ("是", "yes")[lang == "en"] if v else ("否", "no")[lang == "en"]
    if isinstance(v, dict):
        return "; ".join(f"{labels.label('audit_detail_key', k, lang)} {_value(k, x, lang, zone, short)}"
                         for k, x in v.items())
    if isinstance(v, str):
        if key in TIME_KEYS:
            return local_time(v, zone)
        if key == "role" and v in labels.ROLE:
            return labels.label("role", v, lang)
        if key == "region" and v in DISTRICTS:
            return f"{district_name(v, lang)} {v}"
        if key == "file":  # an upload's temporary folder means nothing to the reader: its own name
            v = v.replace("\\", "/").rsplit("/", 1)[-1]
        if key in SHORT_KEYS and short and len(v) > 12:
            return v[:12] + "…"
        for table in ("audit_reason", "problem_code"):
            if v in labels.TABLES[table]:
                return labels.label(table, v, lang)
        return v[:300]
    return str(v)


def detail_words(detail, lang: str, zone, *, short: bool = True) -> list[dict]:
    """The detail of an audit row as [{key, label, value}] in the reader's words (nothing for none)."""
    if detail in (None, ""):
        return []
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return [{"key": "", "label": "", "value": detail[:300]}]
    if not isinstance(detail, dict):
        return [{"key": "", "label": "", "value": str(detail)[:300]}]
    return [{"key": k, "label": labels.label("audit_detail_key", k, lang), "value": _value(k, v, lang, zone, short)}
            for k, v in detail.items() if v is not None and v != ""]


def detail_text(words: list[dict], lang: str) -> str:
    colon, sep = (": ", "; ") if lang == "en" else ("：", "；")
    return sep.join((w["label"] + colon if w["label"] else "") + w["value"] for w in words)


def _user_detail(detail):
    """The detail with an upload's temporary path (detail.file) as the user's own file name (data.user_file)."""
    if isinstance(detail, str):
        try:
            parsed = json.loads(detail)
        except ValueError:
            return detail
        if not isinstance(parsed, dict) or "file" not in parsed:
            return detail
        detail = parsed
    if isinstance(detail, dict) and "file" in detail:
        return {**detail, "file": user_file(detail["file"])}
    return detail


def shown_rows(rows: list[dict], lang: str, zone) -> list[dict]:
    rows = [{**r, "detail": _user_detail(r["detail"])} for r in rows]
    return [{**r, "at_local": local_time(r["at"], zone),
             "role_label": labels.label("role", r["role"], lang) if r["role"] else "",
             "action_label": labels.label("audit_action", r["action"], lang),
             "detail_words": detail_words(r["detail"], lang, zone)} for r in rows]


def audit_frame(rows: list[dict], lang: str, zone, zone_name: str) -> pd.DataFrame:
    """The log as a table for CSV/XLSX: local and UTC time, words for codes, the detail in words."""
    heads = [t("audit_at", lang).format(zone=zone_name), t("audit_at_utc", lang), t("audit_actor", lang),
             t("audit_role", lang), t("audit_action", lang), t("audit_target", lang), t("audit_rows", lang),
             t("audit_detail", lang), t("audit_ip", lang)]
    out = [dict(zip(heads, (local_time(r["at"], zone), local_time(r["at"], timezone.utc), r["actor"],
                            labels.label("role", r["role"], lang) if r["role"] else None,
                            labels.label("audit_action", r["action"], lang), r["target"], r["rows"],
                            detail_text(detail_words(r["detail"], lang, zone, short=False), lang) or None,
                            r["ip"])))
           for r in rows]
    return frame(out, heads)


@router.get("/admin/audit")
async def audit_page(ctx: Ctx = Depends(page_context), actor: str | None = Query(None, max_length=200),
                     action: str | None = Query(None, max_length=40), page: int = Query(1, ge=1)):
    accounts = accounts_of(ctx.request)
    if accounts is None:  # local mode keeps no audit log: there is nobody to tell apart
        raise HTTPException(404, t("local_mode", ctx.lang))
    actor, action = actor or None, action or None
    zone, zone_zh, zone_en = display_time_zone()
    zone_name = zone_en if ctx.lang == "en" else zone_zh
    rows, total = await run_in_threadpool(accounts.audit_log, actor=actor, action=action, limit=PER_PAGE,
                                          offset=(page - 1) * PER_PAGE)
    known = await run_in_threadpool(accounts.actions)
    first = (page - 1) * PER_PAGE + 1 if rows else 0

    def whole_log() -> pd.DataFrame:  # the export: every row the filter selects, not one page
        every, _ = accounts.audit_log(actor=actor, action=action, limit=EXPORT_LIMIT, offset=0)
        return audit_frame(every, ctx.lang, zone, zone_name)

    data = {
        "filters": {"actor": actor, "action": action},
        "time_zone": zone_name,
        "actions": sorted(({"id": a, "label": labels.label("audit_action", a, ctx.lang)} for a in known),
                          key=lambda a: a["label"]),
        "rows": shown_rows(rows, ctx.lang, zone),
        "total": total, "page": page, "per_page": PER_PAGE, "first": first, "last": first + len(rows) - 1 if rows else 0,
        "prev_url": _url(actor, action, page - 1) if page > 1 else None,
        "next_url": _url(actor, action, page + 1) if page * PER_PAGE < total else None,
        "exports": export_links(ctx.request, "audit"),
    }
    return respond(ctx.request, "admin_audit.html", data, lang=ctx.lang, user=ctx.user, page="admin_audit",
                   title=t("audit_title", ctx.lang) + " · " + t("app_title", ctx.lang), tables={"audit": whole_log})
