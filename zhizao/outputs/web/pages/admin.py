"""The audit log (/admin/audit, administrators only; its JSON twin): paged, filtered by actor and action."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from zhizao import labels
from zhizao.outputs.web.auth import accounts_of
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.render import respond

router = APIRouter()
PER_PAGE = 50


def _url(actor: str | None, action: str | None, page: int) -> str:
    q = {k: v for k, v in (("actor", actor), ("action", action), ("page", page)) if v}
    return "/admin/audit" + ("?" + urlencode(q) if q else "")


@router.get("/admin/audit")
async def audit_page(ctx: Ctx = Depends(page_context), actor: str | None = Query(None, max_length=200),
                     action: str | None = Query(None, max_length=40), page: int = Query(1, ge=1)):
    accounts = accounts_of(ctx.request)
    if accounts is None:  # local mode keeps no audit log: there is nobody to tell apart
        raise HTTPException(404, t("local_mode", ctx.lang))
    actor, action = actor or None, action or None
    rows, total = await run_in_threadpool(accounts.audit_log, actor=actor, action=action, limit=PER_PAGE,
                                          offset=(page - 1) * PER_PAGE)
    known = await run_in_threadpool(accounts.actions)
    first = (page - 1) * PER_PAGE + 1 if rows else 0
    data = {
        "filters": {"actor": actor, "action": action},
        "actions": [{"id": a, "label": labels.label("audit_action", a, ctx.lang)} for a in known],
        "rows": [{**r, "role_label": labels.label("role", r["role"], ctx.lang) if r["role"] else "",
                  "action_label": labels.label("audit_action", r["action"], ctx.lang)} for r in rows],
        "total": total, "page": page, "per_page": PER_PAGE, "first": first, "last": first + len(rows) - 1 if rows else 0,
        "prev_url": _url(actor, action, page - 1) if page > 1 else None,
        "next_url": _url(actor, action, page + 1) if page * PER_PAGE < total else None,
    }
    return respond(ctx.request, "admin_audit.html", data, lang=ctx.lang, user=ctx.user, page="admin_audit",
                   title=t("audit_title", ctx.lang) + " · " + t("app_title", ctx.lang))
