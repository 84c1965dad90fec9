"""The single authorisation point of the dashboard (docs/accounts.md).

Who: `current_user(request)` — in local mode (no accounts database) the one LOCAL user who may do
everything; in server mode the user of the session cookie or of an `Authorization: Bearer` API
token, else GUEST (not logged in).

What: `ROUTE_PERMISSIONS` maps every route (method, path template) to the permission it needs;
`authorize`, the dependency app.py attaches to every router, enforces it. A route without an entry
is refused (and a test fails), so a new route cannot be forgotten. A missing permission answers 401
with a login link to the anonymous and 404 to a logged-in user (the page does not exist for them).

Which rows: `User.can_see_region(code)` / `User.visible(df)` — enterprise, project and service rows
of a district only for that district's users and the city's; the pages call them.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit
from dataclasses import dataclass, field, replace
from typing import Mapping

import pandas as pd
from fastapi import Depends, HTTPException, Request

from zhizao.store.postgres import StoreUnavailable

CITY = "500000"
SESSION_COOKIE = "zhizao_session"
SECURE_ENV = "ZHIZAO_SECURE_COOKIES"

# permission → roles that hold it. read_enterprise is row-scoped for district users (User.visible).
PERMISSIONS: dict[str, frozenset[str]] = {
    "public": frozenset({"local", "admin", "analyst", "district", "guest"}),  # login page, health
    "read_public": frozenset({"local", "admin", "analyst", "district", "guest"}),
    "read_enterprise": frozenset({"local", "admin", "analyst", "district"}),
    "read_all_enterprises": frozenset({"local", "admin", "analyst"}),  # e.g. the brief: every district's enterprises
    "export_all": frozenset({"local", "admin", "analyst", "district", "guest"}),  # downloads; rows filtered by visible()
    "import": frozenset({"local", "admin", "analyst", "district"}),  # a district user's rows: own district only
    "import_city": frozenset({"local", "admin", "analyst"}),  # city-level data (the chain data, issue 12)
    "withdraw": frozenset({"local", "admin", "analyst"}),
    "session": frozenset({"local", "admin", "analyst", "district", "guest"}),  # logout
    "admin": frozenset({"local", "admin"}),
}

_PLAN = "/p/{plan_id}"
# The plan pages, at / and under /p/<plan_id>/ (app.PLAN_ROUTERS): one entry each, both prefixes.
_PLAN_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): "read_public",
    ("GET", "/indicator/{indicator_id}"): "read_public",
    ("GET", "/plan"): "read_public",
    ("GET", "/plan/{kind}/{item_id}"): "read_public",
    ("GET", "/districts"): "read_public",
    ("GET", "/geo.geojson"): "read_public",
    ("GET", "/data"): "read_public",
    ("POST", "/data/upload"): "import",
    ("GET", "/downloads"): "read_public",
    ("GET", "/download/report"): "read_public",
    ("GET", "/download/{name}"): "export_all",
    ("GET", "/gaps"): "read_public",
    ("GET", "/completion"): "read_public",
    # issue 12: the chain pages; enterprise names on them are row-scoped (pages/chains.py can_name)
    ("GET", "/chains"): "read_public",
    ("GET", "/chains/{chain_id}"): "read_public",
    ("GET", "/chains/{chain_id}/links/{link_id}"): "read_public",
    ("GET", "/chains/{chain_id}/whatif"): "read_public",
    # the chain workbook and GraphML: rows scoped like the pages (pages/chains.py scoped), audited
    ("GET", "/chains/download"): "export_all",
    ("GET", "/chains/{chain_id}/download"): "export_all",
    ("POST", "/data/chains/upload"): "import_city",  # chain data are city-level
}
ROUTE_PERMISSIONS: dict[tuple[str, str], str] = {
    **_PLAN_ROUTES,
    **{(m, _PLAN + p): perm for (m, p), perm in _PLAN_ROUTES.items()},
    ("GET", "/plans"): "read_public",
    ("GET", "/monitoring"): "read_public",  # aggregates; enterprise warnings filtered by can_see_region
    ("GET", "/monitoring/district/{adcode}"): "read_enterprise",
    ("GET", "/monitoring/subject/{subject_type}/{subject_id}"): "read_public",  # enterprise subjects: row scope
    ("GET", "/monitoring/brief"): "read_all_enterprises",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "session",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/health"): "public",
    ("HEAD", "/health"): "public",
}


def register_permissions(mapping: Mapping[tuple[str, str], str]) -> None:
    """Add routes' entries (another module's, e.g. api_v1.PERMISSIONS) to the one policy table."""
    for key, perm in mapping.items():
        if perm not in PERMISSIONS:
            raise ValueError(f"unknown permission {perm!r} for {key}")
        ROUTE_PERMISSIONS[(key[0].upper(), key[1])] = perm


# issue 12: routes whose refusal says why (403) instead of hiding the route (404): an action offered
# on a page the user does see (the data page's chain upload), where "no such page" would mislead.
REFUSAL_REASONS: dict[tuple[str, str], tuple[str, str]] = {}


def register_refusal_reason(method: str, path: str, zh: str, en: str) -> None:
    """A route (at / and under /p/<plan_id>) refused with 403 and these words to anyone lacking its permission."""
    for p in (path, _PLAN + path):
        REFUSAL_REASONS[(method.upper(), p)] = (zh, en)


@dataclass(frozen=True)
class User:
    id: str
    level: str  # "city" sees every row; "district" its own district's enterprise rows; "guest" none
    region: str | None = CITY  # GB/T 2260 code the user belongs to
    can_import: bool = True
    role: str = "local"  # local | admin | analyst | district | guest
    name: str | None = None
    authenticated: bool = False  # logged in (session or token); the LOCAL user is not
    via_token: bool = field(default=False, compare=False)

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS.get(permission, frozenset())

    def can_see_region(self, region: str | None) -> bool:
        """Whether this user may see the enterprise/project/service rows of district `region`."""
        if self.level == "city":
            return True
        return self.level == "district" and region is not None and region == self.region

    def visible(self, obs: pd.DataFrame) -> pd.DataFrame:
        """Rows of a frame this user may see: aggregate rows (no enterprise_id) for everyone,
        enterprise rows only in the user's scope."""
        if self.level == "city" or obs.empty or "enterprise_id" not in obs.columns:
            return obs
        mine = obs["enterprise_id"].isna()
        if self.level == "district":
            mine = mine | (obs["region"] == self.region)
        return obs[mine]


LOCAL = User(id="local", level="city", role="local")
GUEST = User(id="guest", level="guest", region=None, can_import=False, role="guest")
ANONYMOUS_CITY_USER = LOCAL  # the name before accounts existed


def user_of(account) -> User:
    """The dashboard's User for an accounts.Account."""
    level = {"admin": "city", "analyst": "city", "district": "district"}.get(account.role, "guest")
    return User(id=account.username, level=level, region=account.region if level == "district" else
                (CITY if level == "city" else None), can_import=account.role in PERMISSIONS["import"],
                role=account.role, name=account.display_name, authenticated=True)


def accounts_of(request: Request):
    return getattr(request.app.state, "accounts", None)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header ('' for a malformed one), None without."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def current_user(request: Request) -> User:
    """Who is asking: LOCAL without accounts; else the Bearer token's user (a request with an
    Authorization header is judged by it alone), the session cookie's, or GUEST. Computed once per
    request (kept in request.state, which the page cache middleware shares)."""
    state = request.scope.setdefault("state", {})
    if "user" in state:
        return state["user"]
    accounts = accounts_of(request)
    if accounts is None:
        user = LOCAL
    else:
        try:
            user = _account_user(request, accounts)
        except StoreUnavailable as e:  # the accounts database is down or restarting: 503, never a hang or a 500
            raise unavailable(e, request_language(request)) from None
    state["user"] = user
    return user


class Refused(HTTPException):
    """A refusal in both languages: `.zh` and `.en` (the API's error handler reads both), `detail` in
    the language of the request (`lang`)."""

    def __init__(self, status_code: int, zh: str, en: str, headers: dict | None = None, *, lang: str = "zh"):
        super().__init__(status_code, en if lang == "en" else zh, headers=headers)
        self.zh, self.en = zh, en


def request_language(request: Request) -> str:
    """zh or en: ?lang=, else the zhizao_lang cookie (as i18n.request_lang, which this module may not import)."""
    q = request.query_params.get("lang")
    if q in ("zh", "en"):
        return q
    return "en" if request.cookies.get("zhizao_lang") == "en" else "zh"


def unavailable(e: StoreUnavailable, lang: str = "zh") -> Refused:
    """503 naming the database that cannot be reached and what to do, with Retry-After (as the
    pages' StoreUnavailablePage)."""
    return Refused(503, e.reason_zh, e.reason_en, headers={"Retry-After": "5"}, lang=lang)


def _account_user(request: Request, accounts) -> User:
    """The Bearer token's user (an invalid token: 401), else the session cookie's, else GUEST."""
    token = bearer_token(request)
    if token is not None:
        scheme = request.headers.get("authorization", "").partition(" ")[0]
        if scheme.lower() != "bearer":  # Basic, Digest …: say what is accepted, not that a token is wrong
            raise Refused(401, f"只接受 Bearer 令牌（收到 {scheme[:20] or '空的'} 认证）：请以 Authorization: Bearer <令牌> "
                               "发送，令牌由管理员用 zhizao user token 生成；用户名和密码只用于网页登录 /login",
                          f"only Bearer tokens are accepted (got {scheme[:20] or 'an empty'} authorization): send "
                          "Authorization: Bearer <token>, created by an administrator with zhizao user token; user "
                          "names and passwords are for the web login (/login) only",
                          headers={"WWW-Authenticate": "Bearer"}, lang=request_language(request))
        account = accounts.token_account(token)
        if account is None:
            raise Refused(401, "API 令牌无效、已过期或已撤销：请用 zhizao user token 重新生成",
                          "the API token is invalid, expired or revoked: create a new one with zhizao user token",
                          headers={"WWW-Authenticate": "Bearer"}, lang=request_language(request))
        return replace(user_of(account), via_token=True)
    account = accounts.session_account(request.cookies.get(SESSION_COOKIE))
    return user_of(account) if account else GUEST


def route_template(request: Request) -> str | None:
    """The matched route's full path template, its router's prefix included (/p/{plan_id}/plan)."""
    context = (request.scope.get("fastapi") or {}).get("effective_route_context")
    if context is not None and getattr(context, "path", None):
        return context.path  # FastAPI ≥ 0.16x: routers stay wrapped; the route's own path lacks the prefix
    route = request.scope.get("route")
    return getattr(route, "path_format", None) or getattr(route, "path", None)


def app_routes(app) -> list[tuple[str, str]]:
    """(method, full path template) of every route of `app`, included routers' prefixes added."""
    out = []

    def walk(routes, prefix=""):
        for r in routes:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                walk(inner.routes, prefix + r.include_context.prefix)
            elif getattr(r, "methods", None) and hasattr(r, "endpoint"):
                out.extend((m, prefix + r.path) for m in sorted(r.methods))
    walk(app.routes)
    return out


def route_permission(request: Request) -> str | None:
    path = route_template(request)
    method = "GET" if request.method == "HEAD" else request.method
    return ROUTE_PERMISSIONS.get((method, path)) if path else None


def authorize(request: Request, user: User = Depends(current_user)) -> User:
    """The dependency on every router: the route's permission, held by the user, or a refusal —
    401 with a login link for someone not logged in, 404 for a logged-in user (no such page for them).
    Every refusal is a `Refused` carrying both languages."""
    permission = route_permission(request)
    if permission is not None and user.can(permission):
        return user
    lang = request_language(request)
    reason = REFUSAL_REASONS.get(("GET" if request.method == "HEAD" else request.method, route_template(request) or ""))
    if permission is not None and reason is not None:
        raise Refused(403, *reason, lang=lang)
    if permission is not None and not user.authenticated and user.role == "guest":
        nxt = quote(request.url.path + (("?" + request.url.query) if request.url.query else ""), safe="")
        raise login_required(lang, f"/login?next={nxt}")
    # a route nobody declared is closed, never open by default; a logged-in user: no such page for them
    if request.url.path.startswith("/api/"):
        raise Refused(404, "没有这个资源", "not found", lang=lang)
    raise Refused(404, "没有这个页面", "no such page", lang=lang)


def login_required(lang: str, url: str = "/login") -> Refused:
    """401 for someone not logged in; the login address rides in X-Login-URL (the error page's
    button), never in the text."""
    return Refused(401, "请先登录：这一页只对有账户的用户开放", "log in first: this page is for users with an account",
                   headers={"WWW-Authenticate": 'Cookie realm="zhizao"', "X-Login-URL": url}, lang=lang)


def not_visible(lang: str) -> Refused:
    """A row outside the user's scope: 404, as a row that does not exist (its existence is not told)."""
    return Refused(404, "没有找到", "not found", lang=lang)


# --- which links to show: the same policy, asked for a concrete address ----------------------------
@lru_cache(maxsize=8)
def _patterns(size: int) -> list[tuple[str, re.Pattern, str]]:
    """(method, compiled path template, permission) for every entry of ROUTE_PERMISSIONS (`size`:
    its length, so that registered entries are seen)."""
    out = []
    for (method, template), perm in ROUTE_PERMISSIONS.items():
        rx = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
                     for part in re.split(r"({\w+})", template))
        out.append((method, re.compile(rx + "$"), perm))
    return out


def may(user: User, path: str, method: str = "GET", *, region: str | None = None) -> bool:
    """Whether `user` may follow a link to `path` (its query is ignored): the route's permission
    (ROUTE_PERMISSIONS, the rule `authorize` enforces) and, for a district's enterprise rows, the
    row scope (can_see_region of the {adcode} in the address, or of `region` when given). The pages
    show only the links this allows."""
    path = urlsplit(path).path
    for m, rx, perm in _patterns(len(ROUTE_PERMISSIONS)):
        match = rx.match(path) if m == method else None
        if match is None:
            continue
        if not user.can(perm):
            return False
        code = match.groupdict().get("adcode") or region
        if perm == "read_enterprise" and code is not None and not user.can_see_region(code):
            return False
        return region is None or user.can_see_region(region)
    return False


def secure_scheme(scheme: str) -> bool:
    """Whether cookies are `Secure`: the request came over https (behind a TLS proxy: uvicorn's
    --proxy-headers turn X-Forwarded-Proto into the scheme) or ZHIZAO_SECURE_COOKIES is set. One
    rule for the session and the CSRF cookie."""
    return scheme in ("https", "wss") or os.environ.get(SECURE_ENV, "").lower() in ("1", "true", "yes", "on")


def secure_cookies(request: Request) -> bool:
    return secure_scheme(request.url.scheme)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def audit(request: Request, action: str, target: str | None = None, *, rows: int | None = None,
          detail: dict | None = None) -> None:
    """An audit row for what `request`'s user did (server mode; local mode keeps no log)."""
    accounts = accounts_of(request)
    if accounts is None:
        return
    request.scope.setdefault("state", {})["audited"] = True  # page_cache.py: such an answer is never replayed
    user = current_user(request)
    try:
        accounts.audit(user.id, action, target, role=user.role, rows=rows, detail=detail, ip=client_ip(request))
    except StoreUnavailable as e:  # what cannot be recorded is not done (an export is refused): 503
        raise unavailable(e, request_language(request)) from None
