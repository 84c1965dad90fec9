"""The plans in the store, and the header's plan switcher (`/plans?go=<id>` goes to that plan)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse

from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages.common import Ctx, page_context, unknown_plan
from zhizao.outputs.web.render import respond, wants_json

router = APIRouter()


@router.get("/plans")
def plans_page(ctx: Ctx = Depends(page_context), go: str | None = Query(None, description="a plan id to go to")):
    plans = ctx.request.app.state.plans
    if go:
        if plans.get(go) is None:
            raise unknown_plan(go, plans, ctx.lang)
        # A form's GET cannot name a path: the switcher lands here and is sent to the plan's overview.
        return RedirectResponse(f"/p/{go}/" + ("?format=json" if wants_json(ctx.request) else ""), status_code=303)
    listing = plans.listing(ctx.lang)
    data = {"plans": [{**p, "json_url": p["url"] + "?format=json"} for p in listing],
            "default": plans.default.plan.plan.id}
    return respond(ctx.request, "plans.html", data, lang=ctx.lang, user=ctx.user, page="plans",
                   title=t("plans_title", ctx.lang) + " · " + t("app_title", ctx.lang))
