"""What every page handler needs: the user, the language, the app state, the evaluation options."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Depends, HTTPException, Query, Request

from zhizao.outputs.web.auth import User, current_user
from zhizao.outputs.web.i18n import request_lang
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

    def region_name(self, code: str | None) -> str:
        return self.state.region_names.get(code or "", code or "")


def page_context(request: Request, user: User = Depends(current_user),
                 lang: str = Depends(request_lang)) -> Ctx:
    # `current_user` is the same dependency app.py puts on every router; FastAPI calls it once.
    return Ctx(request=request, user=user, lang=lang, state=request.app.state.web)


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


def not_found(what: str) -> HTTPException:
    return HTTPException(404, what)
