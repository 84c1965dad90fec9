"""Browser security of the dashboard: allowed Host names, security headers, CSRF.

The defences here stop another web site from using a visitor's browser (and its session cookie,
auth.py) against the dashboard, and a guesser from trying passwords quickly:

- **Host check.** A request whose Host is not an allowed name answers 400. This stops DNS
  rebinding (an attacker's name resolving to 127.0.0.1). Allowed: localhost, 127.0.0.1, ::1, the
  `--host` given to `zhizao serve`, and the names in `--allowed-host` / $ZHIZAO_ALLOWED_HOSTS.
- **Headers** on every response: a Content-Security-Policy without inline script, nosniff,
  no framing, same-origin referrers and opener.
- **CSRF.** Every state-changing request (any method but GET/HEAD/OPTIONS) must (1) come from the
  same origin — Origin, else Referer, must name the request's Host; a request with neither is
  accepted only on the token — and (2) carry the CSRF token: the value of the `zhizao_csrf`
  cookie, sent back as the form field `csrf_token` or the header `X-CSRF-Token` (double submit).
  The cookie is set on the first page view; pages render it into their forms. A request carrying a
  valid `Authorization: Bearer` API token is let through without it (a browser never adds that
  header on another site's behalf, and token requests carry no cookies); only then.
  The cookie is `Secure` by the session cookie's rule (auth.secure_scheme: https, or
  ZHIZAO_SECURE_COOKIES).
- **Login rate limit.** `RateLimiter`: at most LOGIN_ATTEMPTS *failed* login attempts per client
  address in LOGIN_WINDOW seconds (in this process), then 429 with Retry-After (a success does not
  count); the per-account lock-out is in zhizao/store/accounts.py.
"""
from __future__ import annotations

import os
import secrets
import threading
import time
from collections import deque
from http.cookies import SimpleCookie
from typing import Iterable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, PlainTextResponse

from zhizao.outputs.web.auth import bearer_token, current_user, secure_scheme

CSRF_COOKIE = "zhizao_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
HOSTS_ENV = "ZHIZAO_ALLOWED_HOSTS"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# ECharts sets inline styles on its elements ('unsafe-inline' for styles only) and draws on
# canvases it may export as data:/blob: images; no script runs but the files under /static.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)

CROSS_SITE_ZH = "跨站请求被拒绝：请在本看板自己的页面上提交（其他网站不能代为上传或修改数据）"
CROSS_SITE_EN = "cross-site request refused: submit from the dashboard's own page (another site may not upload or change data)"
NO_TOKEN_ZH = "缺少或无效的 CSRF 令牌：请刷新页面后重新提交；脚本请先 GET 任一页面取得 zhizao_csrf Cookie，再以 X-CSRF-Token 头发送其值"
NO_TOKEN_EN = ("missing or invalid CSRF token: reload the page and submit again; a script first GETs any page for "
               "the zhizao_csrf cookie and sends its value in the X-CSRF-Token header")


def host_name(host_header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower case ('' if malformed)."""
    h = host_header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[1:end] if end > 0 and (h[end + 1:] == "" or h[end + 1:].startswith(":")) else ""
    if h.count(":") > 1:  # a bare IPv6 address is not a valid Host header
        return ""
    return h.split(":", 1)[0]


def allowed_hosts(extra: Iterable[str] | None = None, *, env: bool = True) -> tuple[str, ...]:
    """Loopback names, the given names and those in $ZHIZAO_ALLOWED_HOSTS (comma separated)."""
    names = list(LOOPBACK_HOSTS) + list(extra or [])
    if env:
        names += os.environ.get(HOSTS_ENV, "").split(",")
    out = []
    for n in names:
        n = n.strip().lower().strip("[]")
        if n and n not in out:
            out.append(n)
    return tuple(out)


def host_allowed(name: str, allowed: Iterable[str]) -> bool:
    for a in allowed:
        if a == "*" or a == name or (a.startswith("*.") and name.endswith(a[1:])):
            return True
    return False


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for k, v in headers:
        if k == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(v.decode("latin-1"))
            except Exception:  # a malformed Cookie header is no token
                continue
            if name in jar:
                return jar[name].value
    return None


def _valid_token(token: str | None) -> bool:
    return bool(token) and 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


class SecurityMiddleware:
    """Host check, security headers on every response, and the CSRF cookie (pure ASGI, outermost,
    so that even errors and static files get the headers)."""

    def __init__(self, app, allowed: Iterable[str]):
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = scope.get("headers") or []
        host = next((v.decode("latin-1") for k, v in headers if k == b"host"), "")
        name = host_name(host)
        if not host_allowed(name, self.allowed):
            response = _host_refusal(scope, host)
            return await response(scope, receive, self._with_headers(send, None))
        token = _cookie(headers, CSRF_COOKIE)
        new_token = None
        if not _valid_token(token):
            token = new_token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        await self.app(scope, receive, self._with_headers(send, new_token, secure_scheme(scope.get("scheme", "http"))))

    @staticmethod
    def _with_headers(send, new_token: str | None, secure: bool = False):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                hdrs = [(k, v) for k, v in message.get("headers", [])
                        if k.decode("latin-1").lower() not in dict(SECURITY_HEADERS)]
                hdrs += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
                if new_token:
                    flags = "; Secure" if secure else ""
                    hdrs.append((b"set-cookie", f"{CSRF_COOKIE}={new_token}; Path=/; HttpOnly; SameSite=Strict{flags}".encode()))
                message = {**message, "headers": hdrs}
            await send(message)
        return wrapped


def _host_refusal(scope, host: str):
    zh = f"不允许的主机名“{host[:100]}”：用 zhizao serve --allowed-host 名称（或环境变量 {HOSTS_ENV}）允许它"
    en = f"host '{host[:100]}' is not allowed: allow it with zhizao serve --allowed-host NAME (or {HOSTS_ENV})"
    query = scope.get("query_string", b"").decode("latin-1")
    accept = next((v.decode("latin-1") for k, v in scope.get("headers") or [] if k == b"accept"), "")
    if "format=json" in query or "application/json" in accept:
        return JSONResponse({"status": 400, "detail": f"{zh} / {en}"}, status_code=400)
    return PlainTextResponse(f"{zh}\n{en}\n", status_code=400)


def _same_origin(request: Request) -> bool | None:
    """True/False when Origin or Referer says where the request comes from; None when neither does."""
    source = request.headers.get("origin")
    if source is None:
        source = request.headers.get("referer")
        if source is None:
            return None
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # includes Origin: null (sandboxed frames, file: pages)
    return parts.netloc.lower() == request.headers.get("host", "").lower()


def csrf_token(request: Request) -> str:
    return getattr(request.state, "csrf_token", "")


async def csrf_protect(request: Request) -> None:
    """Dependency on every route: refuses a state-changing request from another origin or without
    the token (403, in Chinese and English). A request with a valid Bearer API token passes."""
    if request.method in SAFE_METHODS:
        return
    if _valid_bearer(request):
        return
    if _same_origin(request) is False:
        raise HTTPException(403, f"{CROSS_SITE_ZH} / {CROSS_SITE_EN}")
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("multipart/form-data", "application/x-www-form-urlencoded")):
        try:
            value = (await request.form()).get(CSRF_FIELD)
        except Exception:  # an unreadable body has no token; the handler reports the body itself
            value = None
        sent = value if isinstance(value, str) else None
    if not (_valid_token(cookie) and sent and secrets.compare_digest(cookie.encode(), sent.encode())):
        raise HTTPException(403, f"{NO_TOKEN_ZH} / {NO_TOKEN_EN}")


def _valid_bearer(request: Request) -> bool:
    if not bearer_token(request):
        return False
    try:
        return current_user(request).via_token
    except HTTPException:  # an invalid token: refused by authorize, with its own message
        return False


# --- login rate limit ------------------------------------------------------------------------------
LOGIN_ATTEMPTS = 10
LOGIN_WINDOW = 300.0  # seconds


class RateLimiter:
    """A sliding window per key (a client address) of failed attempts: `wait(key)` is 0 while the key
    may try again, else the seconds until its oldest failure leaves the window; `fail(key)` records a
    failure. A successful login is never recorded, so an office behind one address is not shut out
    by its own colleagues logging in."""

    def __init__(self, limit: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, t: float) -> deque:
        q = self._hits.setdefault(key, deque())
        while q and q[0] <= t - self.window:
            q.popleft()
        return q

    def wait(self, key: str) -> int:
        t = self.clock()
        with self._lock:
            q = self._recent(key, t)
            return max(1, int(q[0] + self.window - t + 0.999)) if len(q) >= self.limit else 0

    def fail(self, key: str) -> None:
        t = self.clock()
        with self._lock:
            self._recent(key, t).append(t)
            if len(self._hits) > 10_000:  # forget addresses with nothing in the window
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= t - self.window]:
                    del self._hits[k]

    def hit(self, key: str) -> int:
        """wait(key), and a failure recorded when allowed (an attempt counted whatever its outcome)."""
        w = self.wait(key)
        if not w:
            self.fail(key)
        return w

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
