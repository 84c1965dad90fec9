"""What every page handler needs: the user, the language, the app state, the evaluation options."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Depends, HTTPException, Query, Request

from zhizao.outputs.web.auth import User, current_user
from zhizao.outputs.web.i18n import request_lang, t
from zhizao.outputs.web.state import WebState


@dataclass(frozen=True)
class Ctx:
    request: Request
    user: User
    lang: str
    state: WebState

    @property
    def plan(self):
        return self.state.plan

    @property
    def base(self) -> str:
        """The plan's address prefix: "" at the default plan's own URLs, /p/<id> under /p/."""
        return plan_base(self.request)

    def region_name(self, code: str | None) -> str:
        return self.state.region_names.get(code or "", code or "")


def plan_base(request: Request) -> str:
    plan_id = request.path_params.get("plan_id")
    return f"/p/{plan_id}" if plan_id else ""


def plan_state(request: Request) -> WebState:
    """The state of the plan the address names (/p/<id>/…), else the default plan's; 404 naming
    the plans served when the store has no such plan."""
    plan_id = request.path_params.get("plan_id")
    plans = request.app.state.plans
    if plan_id is None:
        return plans.default
    state = plans.get(plan_id)
    if state is None:
        raise unknown_plan(plan_id, plans, request_lang(request))
    return state


def unknown_plan(plan_id: str, plans, lang: str) -> HTTPException:
    """404 in the page's language naming the plans served and /plans (an embedded plan needs no
    --plan: it is served on its first visit)."""
    known = "、".join(p["id"] for p in plans.listing(lang)) if lang != "en" else \
        ", ".join(p["id"] for p in plans.listing(lang))
    return HTTPException(404, t("plan_unknown", lang).format(id=plan_id[:80], known=known))


def page_context(request: Request, user: User = Depends(current_user),
                 lang: str = Depends(request_lang)) -> Ctx:
    # `current_user` is the same dependency app.py puts on every router; FastAPI calls it once.
    return Ctx(request=request, user=user, lang=lang, state=plan_state(request))


@dataclass(frozen=True)
class When:
    """Evaluation options shared by the overview and indicator pages (part of the cache key)."""

    year: int | None
    as_of: date | None


def evaluation_options(
    year: str | None = Query(None, description="evaluation year; default: the latest with data"),
    as_of: str | None = Query(None, description="only values known by this date (YYYY-MM-DD)"),
) -> When:
    # Parsed by hand: the page's form sends empty fields as "", which typed parameters refuse.
    y = None
    if year:
        if not year.isdigit() or not 1990 <= int(year) <= 2100:
            raise HTTPException(422, f"year must be a year such as 2024, got {year!r}")
        y = int(year)
    if not as_of:
        return When(y, None)
    try:
        return When(y, date.fromisoformat(as_of))
    except ValueError:
        raise HTTPException(422, f"as_of must be a date YYYY-MM-DD, got {as_of!r}") from None


def say(lang: str, zh: str, en: str) -> str:
    """A message in the page's language only (a Chinese page never carries the English beside it)."""
    return en if lang == "en" else zh


def not_found(what: str) -> HTTPException:
    return HTTPException(404, what)
