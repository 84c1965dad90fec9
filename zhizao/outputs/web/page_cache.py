"""Whole answers of the store's pages, kept per store version: a repeated view costs a lookup.

Pages are pure functions of (store version, plan, path, query, language, user), so a GET answer
can be replayed until the store changes; it is kept in its plan's state (/ and its pages: the
default plan's; /p/<id>/…: that plan's). Computing a page's data and rendering it take 2–30 ms of
CPU; with 50 visitors on 2 cores that alone queues requests past the 300 ms budget (issue 7,
bench/web_concurrency_bench.py). Entries live in `WebState`'s versioned cache, so they follow the
same rules as every cached read: dropped when the store changes, never served across versions.

The monitoring pages (/monitoring, a district's and a subject's page) read the monitoring folder as
well as the store (the plan switcher): they are kept in the default plan's state with the folder's
state in the key, so either change drops them. Their rows depend on the user's scope (a district
user sees its own district's enterprise warnings only): every answer is kept per user and scope
(`user_key`), never served to another.

Not kept: anything but a complete 200 answer; answers that set a cookie; answers whose request wrote
an audit row (an export in server mode: every export is recorded, so it is computed each time);
the monthly brief and downloads (cached as files by their own page); static files. The CSRF token a
page carries (the visitor's own) is cut out before keeping and put back for each visitor.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from zhizao.outputs.web.i18n import request_lang
from zhizao.outputs.web.security import csrf_token

CACHED_PREFIXES = ("/indicator/", "/plan", "/districts")
CACHED_PATHS = ("/", "/data", "/completion", "/gaps")  # not /downloads: it also shows whether the report module is installed
TOKEN_MARK = b"\x00zhizao-csrf\x00"  # never in a rendered page
TOKEN_FIELD = b'name="csrf_token" value="%s"'  # as templates/data.html renders the visitor's token


MONITORING_PATHS = ("/monitoring",)
MONITORING_PREFIXES = ("/monitoring/district/", "/monitoring/subject/")  # not /monitoring/brief (a file)


def cacheable(path: str) -> bool:
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


def monitoring_page(path: str) -> bool:
    return path in MONITORING_PATHS or path.startswith(MONITORING_PREFIXES)


def user_key(user) -> tuple:
    """Whose answer it is: the user and everything that decides which rows they see (role, district)
    and what the header shows (their name)."""
    return (user.id, user.role, user.level, user.region, user.name, user.authenticated)


def audited(scope) -> bool:
    """Whether the request wrote an audit row (auth.audit marks it): such an answer is never replayed."""
    return bool((scope.get("state") or {}).get("audited"))


class PageCache:
    """Pure ASGI middleware; sits inside SecurityMiddleware, which sets the CSRF token."""

    def __init__(self, app, plans, user_of):
        self.app, self.plans, self.user_of = app, plans, user_of

    def _state(self, path: str):
        """The state of the plan whose page `path` is (only plans already served), or None."""
        if not path.startswith("/p/"):
            return self.plans.default if cacheable(path) or monitoring_page(path) else None
        plan_id, _, rest = path[3:].partition("/")
        return self.plans.loaded(plan_id) if cacheable("/" + rest) else None

    def _lookup(self, request: Request, state) -> tuple | None:
        """(the answer's key, the kept answer or None, the store version), or None when the user is refused
        (or the monitoring pages cannot be kept here)."""
        try:
            user = self.user_of(request)
        except Exception:  # noqa: BLE001 - refused (an invalid token): the routes answer as they do
            return None
        path = request.scope["path"]
        key = ("page", path, request.scope.get("query_string", b""), request_lang(request), user_key(user))
        if monitoring_page(path):
            monitoring = getattr(request.app.state, "monitoring", None)
            if monitoring is None:
                return None
            key += (monitoring.stamp(),)  # the folder's state: rewritten data are other pages
        try:
            hit, version = state.peek(key)
        except HTTPException:  # the store cannot be read (503): the route says so, with its fallbacks
            return None
        return key, hit, version

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        state = self._state(scope["path"])
        if state is None:
            return await self.app(scope, receive, send)
        request = Request(scope)
        # Who is asking (a session lookup in server mode) and the store's version (a query on PostgreSQL)
        # block: in a worker thread, never on the event loop, where they would stall every other request.
        found = await run_in_threadpool(self._lookup, request, state)
        if found is None:  # refused: let the routes answer as they do
            return await self.app(scope, receive, send)
        key, hit, version = found
        field = TOKEN_FIELD % csrf_token(request).encode()
        if hit is not None:
            status, headers, body = hit
            body = body.replace(TOKEN_FIELD % TOKEN_MARK, field)
            await send({"type": "http.response.start", "status": status,
                        "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return

        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    _keep(start, b"".join(chunks))
            await send(message)

        def _keep(start: dict, body: bytes) -> None:
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if start.get("status") != 200 or any(k.lower() == b"set-cookie" for k, _ in headers) or audited(scope):
                return
            state.keep(key, (200, headers, body.replace(field, TOKEN_FIELD % TOKEN_MARK)), version)

        await self.app(scope, receive, capture)
