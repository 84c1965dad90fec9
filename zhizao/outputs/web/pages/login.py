"""Log in and out (server mode, docs/accounts.md). In local mode there is nobody to log in: /login says so.

POST /login: rate-limited per client address — LOGIN_ATTEMPTS *failed* attempts in LOGIN_WINDOW
(security.RateLimiter), then 429 + Retry-After, audited as `login_rate_limited` — then the account's
own lock-out (accounts.Accounts.authenticate). An unknown user, a wrong password and a locked account
(an unknown name "locks" too) get the same answer (401, one message) after the same work, so the
answers never tell which user names exist. The name is cut to accounts.MAX_USERNAME characters
before anything else. A success starts a new session (the old cookie's session, if any, is deleted:
the id is new at every login) and redirects to `next` (a local path only).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from zhizao.outputs.web.auth import SESSION_COOKIE, accounts_of, client_ip, secure_cookies, unavailable
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.render import respond, wants_json
from zhizao.store.accounts import LOCK_FOR, MAX_USERNAME, SESSION_ABSOLUTE
from zhizao.store.postgres import StoreUnavailable

router = APIRouter()


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a path of this site only (no //host, no scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value or "\n" in value:
        return "/"
    return value[:500]


def _page(ctx: Ctx, *, error: str | None = None, username: str = "", next_url: str = "/", status: int = 200,
          headers: dict | None = None):
    data = {"local_mode": accounts_of(ctx.request) is None, "error": error, "username": username,
            "next": safe_next(next_url), "user": {"id": ctx.user.id, "role": ctx.user.role,
                                                  "authenticated": ctx.user.authenticated}}
    response = respond(ctx.request, "login.html", data, lang=ctx.lang, user=ctx.user, page="login",
                       title=t("login_title", ctx.lang) + " · " + t("app_title", ctx.lang), status_code=status)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


@router.get("/login")
def login_page(ctx: Ctx = Depends(page_context), next: str = "/"):
    return _page(ctx, next_url=next)


@router.post("/login")
async def login(ctx: Ctx = Depends(page_context)):
    request = ctx.request
    accounts = accounts_of(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()[:MAX_USERNAME]
    password = str(form.get("password") or "")[:1000]
    next_url = safe_next(str(form.get("next") or "/"))
    if accounts is None:
        return _page(ctx, next_url=next_url)  # local mode: nothing to log in to; the page says so
    limiter, ip = request.app.state.login_limiter, client_ip(request)
    wait = limiter.wait(ip)
    if wait:  # too many failures from this address: not even tried, but recorded
        try:
            await run_in_threadpool(accounts.audit, username, "login_rate_limited", None,
                                    detail={"retry_after": wait}, ip=ip)
        except StoreUnavailable as e:
            raise unavailable(e, ctx.lang) from None
        return _page(ctx, error=t("login_rate", ctx.lang).format(seconds=wait), username=username,
                     next_url=next_url, status=429, headers={"Retry-After": str(wait)})
    result = await run_in_threadpool(accounts.authenticate, username, password, ip=ip)
    if result.account is None:
        limiter.fail(ip)  # only failures count towards the address's limit
    if result.outcome == "disabled":  # said only to someone who gave the right password
        return _page(ctx, error=t("login_disabled", ctx.lang), username=username, next_url=next_url, status=403)
    if result.account is None:  # unknown name, wrong password or locked: one answer
        minutes = int(LOCK_FOR.total_seconds() // 60)
        return _page(ctx, error=t("login_bad", ctx.lang).format(minutes=minutes), username=username,
                     next_url=next_url, status=401)
    token = await run_in_threadpool(accounts.create_session, result.account.username,
                                    replaces=request.cookies.get(SESSION_COOKIE), ip=client_ip(request))
    if wants_json(request):
        response = JSONResponse({"ok": True, "username": result.account.username, "role": result.account.role})
    else:
        response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_ABSOLUTE.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=secure_cookies(request))
    return response


@router.post("/logout")
async def logout(ctx: Ctx = Depends(page_context)):
    request = ctx.request
    accounts = accounts_of(request)
    if accounts is not None:
        await run_in_threadpool(accounts.end_session, request.cookies.get(SESSION_COOKIE), ip=client_ip(request))
    response = JSONResponse({"ok": True}) if wants_json(request) else RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(request))
    return response

