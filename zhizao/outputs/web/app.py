"""The dashboard application: `create_app(db, plan)`.

Layout: pages/*.py hold one router per page, templates/ the Jinja2 pages, static/ the CSS, the
page script and the vendored ECharts (no CDN: the dashboard must work with no network).
Every plan in the store is served under /p/<plan_id>/ (its pages and their JSON twins); the
default plan also at / (docs/dashboard.md §Plans). Monitoring is not per plan.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Iterable

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhizao.outputs.web import api_v1
from zhizao.outputs.web.auth import authorize, current_user, register_permissions, unavailable
from zhizao.outputs.web.i18n import COOKIE, LANGS, request_lang, t
from zhizao.outputs.monitoring_view import default_data_dir
from zhizao.outputs.web.monitoring_state import MonitoringState
from zhizao.outputs.web.page_cache import PageCache
from zhizao.outputs.web.pages import (admin, chains, completion, data, delivery, districts, downloads, enterprises, gaps,
                                      indicator, login, monitoring, overview, plan, plans)
from zhizao.outputs.web.render import TEMPLATES, wants_json, with_params
from zhizao.outputs.web.security import (RateLimiter, SecurityMiddleware, allowed_hosts as default_allowed_hosts,
                                         csrf_protect, csrf_token)
from zhizao.outputs.web.state import WebPlans
from zhizao.store.postgres import StoreUnavailable

STATIC = Path(__file__).parent / "static"
# A plan's pages: at / for the default plan and at /p/<plan_id>/ for every plan in the store.
PLAN_ROUTERS = (overview.router, indicator.router, plan.router, districts.router, data.router, downloads.router,
                gaps.router, completion.router, chains.router, enterprises.router,
                delivery.router)  # issue 14: projects, 三服务, tasks
ROUTERS = (*PLAN_ROUTERS, monitoring.router, plans.router, login.router, admin.router)
PLAN_PREFIX = "/p/{plan_id}"
# Routes declared by their page modules (the map geometry), under both prefixes.
register_permissions({**districts.PERMISSIONS, **{(m, PLAN_PREFIX + p): perm for (m, p), perm in districts.PERMISSIONS.items()}})
register_permissions({**enterprises.PERMISSIONS,  # issue 13: the enterprise pages and their upload
                      **{(m, PLAN_PREFIX + p): perm for (m, p), perm in enterprises.PERMISSIONS.items()}})
register_permissions({**delivery.PERMISSIONS,  # issue 14: the delivery pages, their forms and upload
                      **{(m, PLAN_PREFIX + p): perm for (m, p), perm in delivery.PERMISSIONS.items()}})


def create_app(db=None, plan=None, *, warm: bool = True, monitoring_data: Path | None = None,
               allowed_hosts: Iterable[str] | None = None, accounts: str | None = None) -> FastAPI:
    """The dashboard for the store at `db` (default: $ZHIZAO_DB, then the user data folder) and
    its plans: `plan` (a Plan, a YAML path or a plan id; default: the store's own plan, see
    api.resolve_plan) is served at / and every plan registered in the store at /p/<id>/. `warm` computes the first pages' assessments
    (and the latest monitoring refresh) at start-up so the first visitor does not wait for them.
    `monitoring_data` is the folder written by `zhizao synth` that the monitoring page reads
    (default: $ZHIZAO_MONITORING_DATA, else ./zhizao-synth); without data there the page says how
    to create it. `allowed_hosts`: Host names accepted besides localhost, 127.0.0.1, ::1 and those
    in $ZHIZAO_ALLOWED_HOSTS (security.py); any other Host answers 400. `accounts`: the PostgreSQL
    URL of the users (server mode, docs/accounts.md; default: `db` when it is a PostgreSQL URL);
    without one the dashboard is in local single-user mode (no accounts)."""
    from zhizao.store import postgres  # psycopg: only when an app is made, not at `zhizao --help`

    plans_state = WebPlans(db, plan)  # UserError / PlanError when the plan cannot be used
    # plans_state.db: `db` resolved ($ZHIZAO_DB when None), so ZHIZAO_DB=postgresql://… is server mode too
    if accounts is None and postgres.is_postgres(plans_state.db):
        accounts = str(plans_state.db)
    if accounts is not None:
        from zhizao.store.accounts import Accounts  # psycopg pool and argon2: server mode only

        accounts_db = Accounts(accounts)  # migrated to the head revision first
    else:
        accounts_db = None
    state = plans_state.default
    monitoring_state = MonitoringState(monitoring_data if monitoring_data is not None else default_data_dir())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            plans_state.warm()
            delivery.warm(state)  # the 三服务, project and task statuses: seconds at 100,000 problems
            downloads.report_builder()  # import the reports module now, not on a visitor's click
            monitoring_state.warm()
        yield
        if accounts_db is not None:
            accounts_db.close()

    app = FastAPI(title="zhizao dashboard", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = state  # the default plan's
    app.state.plans = plans_state
    app.state.monitoring = monitoring_state
    app.state.accounts = accounts_db  # None: local mode
    app.state.login_limiter = RateLimiter()
    # The one authorisation point: every page, JSON twin, download and upload is behind it.
    # /static holds only code, styles and licences, no data, so it is mounted outside.
    # authorize: the route's permission (auth.ROUTE_PERMISSIONS) held by current_user, else 401/404.
    # csrf_protect lets only same-origin POSTs with the token (or a valid Bearer token) through.
    guard = [Depends(authorize), Depends(csrf_protect)]
    for router in ROUTERS:
        app.include_router(router, dependencies=guard)
    for router in PLAN_ROUTERS:
        app.include_router(router, prefix=PLAN_PREFIX, dependencies=guard)
    # The JSON API (api_v1.py, docs/api.md) behind the same guard; /health needs no login (load balancers).
    register_permissions(api_v1.PERMISSIONS)
    app.include_router(api_v1.router, dependencies=guard)
    app.include_router(api_v1.health_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Innermost middleware (added first): kept answers never carry the language cookie, which the
    # middleware around it sets for each visitor; the security middleware gives the CSRF token.
    app.add_middleware(PageCache, plans=plans_state, user_of=current_user)

    @app.middleware("http")
    async def remember_language(request: Request, call_next):
        response = await call_next(request)
        chosen = request.query_params.get("lang")
        if chosen in LANGS and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax")
        return response

    # Added last, so outermost: the Host check and the headers cover errors and static files too.
    app.add_middleware(SecurityMiddleware, allowed=default_allowed_hosts(allowed_hosts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if api_v1.is_api(request):
            return api_v1.http_error(request, exc)
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable):
        # The accounts database down or restarting under a route (a login, the audit page): 503 naming it.
        return await http_error(request, unavailable(exc, request_lang(request)))

    import psycopg  # the driver (installed with zhizao); its errors reach here only in server mode

    @app.exception_handler(psycopg.OperationalError)
    async def connection_lost(request: Request, exc: psycopg.OperationalError):
        # A connection the server dropped mid-request (a restart: AdminShutdown) that the store did not
        # turn into StoreUnavailable: the same 503 naming the database, not a 500.
        return await store_unavailable(request, StoreUnavailable(str(plans_state.db), str(exc)))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if api_v1.is_api(request):
            return api_v1.validation_error(request, exc)
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _error(request, 422, detail)

    return app


def _error_user(request: Request, status: int):
    """Who the error page is for (its header keeps their name, role and logout button), never raising:
    the user already found for this request, else looked up now — except when the accounts database
    is what failed (503) or the lookup itself is refused (an invalid token): then no one is named."""
    known = (request.scope.get("state") or {}).get("user")
    if known is not None or status == 503:
        return known
    try:
        return current_user(request)
    except Exception:  # noqa: BLE001 - an invalid token, the accounts database gone: the page shows no user
        return None


def _error(request: Request, status: int, detail: str, headers=None):
    if wants_json(request) or "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"status": status, "detail": detail}, status_code=status, headers=headers)
    lang = request_lang(request)
    title = t({404: "not_found", 401: "login_required_title"}.get(status, "error"), lang)
    return TEMPLATES.TemplateResponse(
        request, "error.html",
        {"status": status, "detail": detail, "title": title, "lang": lang, "t": lambda k: t(k, lang), "base": "",
         "plans": [], "login_url": (headers or {}).get("X-Login-URL"), "user": _error_user(request, status),
         "csrf_token": csrf_token(request),
         "page": "error", "json_url": with_params(request, format="json"),
         "lang_url": with_params(request, format=None, lang="en" if lang == "zh" else "zh"), "data": {}, "charts": {}},
        status_code=status, headers=headers)
