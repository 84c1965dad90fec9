"""Whole answers of the store's pages, kept per store version: a repeated view costs a lookup.

Pages are pure functions of (store version, plan, path, query, language, what the user may see and
follow), so a GET answer can be replayed until the store changes; it is kept in its plan's state (/ and
its pages: the default plan's; /p/<id>/…: that plan's). Computing a page's data and rendering it take
2–70 ms of CPU; with 50 visitors on 2 cores that alone queues requests past the 300 ms budget (issue 7,
bench/web_concurrency_bench.py). Entries live in `WebState`'s versioned cache, so they follow the same
rules as every cached read: dropped when the store changes, never served across versions.

Keyed by what the page depends on, never by more (`page_key`):

- the rows the user may see. A plan page reads its rows through `User.visible` only (`plan_scope_key`):
  every user who sees every row shares one key (`WebState.rows_scope`; today's store holds aggregates
  only, so every role does), a page that opens at the user's own district (/districts) keeps the
  district. A monitoring page filters enterprises with `User.can_see_region` (`scope_key`: the city's,
  one district's, or none);
- for an HTML page, what it offers beyond its rows (`links_key`: local mode or not, the administrator's
  link, log out or log in, the upload form); a JSON twin renders no header (a monitoring twin keeps
  whether the user is an administrator, who also sees the data folder);
- not the user's name and role label: the header's `<!--who-->…<!--/who-->` (templates/_who.html) is cut
  out before keeping and each visitor's own is put back, as is the CSRF token. An HTML page of a
  signed-in user without that mark is not kept (it would carry one user's name to another).

So one computation of a plan page serves every role (per link set), one of a monitoring page every
user of one scope; an answer is never served to a user who may see other rows
(tests/outputs/web/test_web_page_cache.py).

The monitoring pages (/monitoring, a district's and a subject's page) read the monitoring folder, not
the store; the store gives only their header's plan switcher. They are kept apart from the store
versions, keyed by the folder's state and the switcher's plans, so an upload does not drop them.

Concurrent misses of one page (after an upload, several visitors ask for it at once) wait for the first
one's answer instead of computing it again. The version checked at the lookup is pinned for the route
(`WebState.pinned`): its cached reads cost no further store round trip.

Not kept: anything but a complete 200 answer; answers that set a cookie; answers whose request wrote
an audit row (an export in server mode: every export is recorded, so it is computed each time);
the monthly brief and downloads (cached as files by their own page); static files.
"""
from __future__ import annotations

import asyncio
import re
import threading
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from zhizao.outputs.web.i18n import request_lang
from zhizao.outputs.web.pages.chains import chain_batch_key
from zhizao.outputs.web.pages.enterprises import enterprise_batch_key
from zhizao.outputs.web.pages.delivery import delivery_batch_key
from zhizao.outputs.web.render import TEMPLATES
from zhizao.outputs.web.security import csrf_token

CACHED_PREFIXES = ("/indicator/", "/plan", "/districts")
HOME_PATHS = ("/districts",)  # pages/districts.py: a district user's map opens at their own district
CACHED_PATHS = ("/", "/data", "/completion", "/gaps")  # not /downloads: it also shows whether the report module is installed
TOKEN_MARK = b"\x00zhizao-csrf\x00"  # never in a rendered page
TOKEN_FIELD = b'name="csrf_token" value="%s"'  # as templates/data.html renders the visitor's token
WHO = re.compile(rb"<!--who-->.*?<!--/who-->", re.S)  # templates/_who.html: the signed-in user's name and role
WHO_MARK = b"\x00zhizao-who\x00"  # never in a rendered page

MONITORING_PATHS = ("/monitoring",)
MONITORING_PREFIXES = ("/monitoring/district/", "/monitoring/subject/")  # not /monitoring/brief (a file)
MAX_MONITORING = 2000  # monitoring answers kept (least recently used dropped first)
MAX_LABELS = 1000  # users' header labels kept


def cacheable(path: str) -> bool:
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


def monitoring_page(path: str) -> bool:
    return path in MONITORING_PATHS or path.startswith(MONITORING_PREFIXES)


def scope_key(user) -> tuple:
    """Which rows the user sees: `User.visible` and `User.can_see_region` depend on the level and, for a
    district user, the district; nothing else of the user changes a page's rows."""
    return (user.level, user.region if user.level == "district" else None)


def plan_scope_key(state, user, path: str) -> tuple:
    """The same for a plan page, which reads its rows through `user.visible(state.observations())` only:
    one key for every user who sees every row (`WebState.rows_scope`: today's store holds aggregates
    only, so everyone). The pages that open at the user's own district (HOME_PATHS) keep that district."""
    home = user.region if user.level == "district" and _plan_path(path) in HOME_PATHS else None
    return ("rows", state.rows_scope(user), home)


def _plan_path(path: str) -> str:
    """A plan page's path without its /p/<id> prefix."""
    return "/" + path[3:].partition("/")[2] if path.startswith("/p/") else path


def links_key(user) -> tuple:
    """What an HTML page offers the user beyond its rows (templates/base.html, data.html): the local-mode
    note, the administrator's link, log out or log in, the upload form."""
    return (user.role == "local", user.role == "admin", user.authenticated, user.can_import)


def json_twin(request: Request) -> bool:
    """A page's JSON twin (render.respond): the same data, no header."""
    return request.query_params.get("format") == "json" and "table" not in request.query_params


def page_key(request: Request, user, scope: tuple) -> tuple:
    """The kept answer's key: the address, the language, the rows the user sees (`scope`) and, for an
    HTML page, what it offers them."""
    path = request.scope["path"]
    if json_twin(request):  # no header; an administrator's monitoring twin also names the data folder
        offers = (user.role in ("local", "admin"),) if monitoring_page(path) else ()
    else:
        offers = links_key(user)
        if path.endswith("/data"):  # the chain data's upload form too: city roles only (issue 12)
            offers += (user.can("import_city"),)
    return ("page", path, request.scope.get("query_string", b""), request_lang(request), scope, offers)


def audited(scope) -> bool:
    """Whether the request wrote an audit row (auth.audit marks it): such an answer is never replayed."""
    return bool((scope.get("state") or {}).get("audited"))


def _listing_key(listing: list[dict]) -> tuple:
    return tuple(tuple(sorted(p.items())) for p in listing)


class PageCache:
    """Pure ASGI middleware; sits inside SecurityMiddleware, which sets the CSRF token."""

    def __init__(self, app, plans, user_of):
        self.app, self.plans, self.user_of = app, plans, user_of
        self._lock = threading.Lock()
        self._monitoring: OrderedDict = OrderedDict()  # monitoring answers, across store versions
        self._labels: dict[tuple, bytes] = {}  # (user, lang) → their header label
        self._flights: dict[tuple, asyncio.Future] = {}  # (key, version) → the first miss's answer (event loop only)

    def _state(self, path: str):
        """The state of the plan whose page `path` is (only plans already served), or None."""
        if not path.startswith("/p/"):
            return self.plans.default if cacheable(path) or monitoring_page(path) else None
        plan_id, _, rest = path[3:].partition("/")
        return self.plans.loaded(plan_id) if cacheable("/" + rest) else None

    def label(self, user, lang: str) -> bytes:
        """The user's name and role as the header shows them (templates/_who.html, marks included)."""
        key = (user.id, user.name, user.role, user.region, user.authenticated, lang)
        with self._lock:
            found = self._labels.get(key)
        if found is None:
            found = TEMPLATES.get_template("_who.html").render(user=user, lang=lang).encode()
            with self._lock:
                if len(self._labels) >= MAX_LABELS:
                    self._labels.clear()
                self._labels[key] = found
        return found

    def _lookup(self, request: Request, state) -> tuple | None:
        """(the answer's key, the kept answer or None, the store version, the user, the user's label,
        whether it is a monitoring page), or None when the user is refused (or the page cannot be kept here)."""
        try:
            user = self.user_of(request)
        except Exception:  # noqa: BLE001 - refused (an invalid token): the routes answer as they do
            return None
        path = request.scope["path"]
        monitoring = monitoring_page(path)
        try:
            _, version = state.peek(None)  # the store's version: one query (shared by concurrent requests)
            with state.pinned(version):  # the reads below: this version, no further query
                if monitoring:
                    folder = getattr(request.app.state, "monitoring", None)
                    if folder is None:
                        return None
                    key = page_key(request, user, scope_key(user))
                    # the folder's state and the header's plan switcher: rewritten data or other plans, other pages
                    key += (folder.stamp(), _listing_key(self.plans.listing(key[3])))
                    if path in MONITORING_PATHS:  # its warnings include the chain data's (issue 12): their batch
                        key += (chain_batch_key(state), enterprise_batch_key(state),  # issue 13: and the enterprise data's
                                delivery_batch_key(state))  # issue 14: and the delivery data's
                    with self._lock:
                        hit = self._monitoring.get(key)
                        if hit is not None:
                            self._monitoring.move_to_end(key)
                else:
                    key = page_key(request, user, plan_scope_key(state, user, path))
                    hit, _ = state.peek(key)
        except HTTPException:  # the store cannot be read (503): the route says so, with its fallbacks
            return None
        label = self.label(user, key[3]) if user.authenticated else b""
        return key, hit, version, user, label, monitoring

    def _kept(self, state, key, version, monitoring: bool, value) -> None:
        if monitoring:
            with self._lock:
                self._monitoring[key] = value
                self._monitoring.move_to_end(key)
                while len(self._monitoring) > MAX_MONITORING:
                    self._monitoring.popitem(last=False)
        else:
            state.keep(key, value, version)

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
        key, hit, version, user, label, monitoring = found
        field = TOKEN_FIELD % csrf_token(request).encode()
        flight = (key, version)
        if hit is None and flight in self._flights:  # the same page being computed: its answer is ours too
            hit = await asyncio.shield(self._flights[flight])
        if hit is not None:
            status, headers, body = hit
            body = body.replace(TOKEN_FIELD % TOKEN_MARK, field)
            if label:
                body = body.replace(WHO_MARK, label, 1)
            await send({"type": "http.response.start", "status": status,
                        "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return

        start: dict = {}
        chunks: list[bytes] = []
        answer = asyncio.get_running_loop().create_future()
        self._flights[flight] = answer

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and not answer.done():
                    answer.set_result(_keep(start, b"".join(chunks)))
            await send(message)

        def _keep(start: dict, body: bytes):
            """The answer as kept (the visitor's token and label cut out), or None if it may not be kept."""
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if start.get("status") != 200 or any(k.lower() == b"set-cookie" for k, _ in headers) or audited(scope):
                return None
            body = body.replace(field, TOKEN_FIELD % TOKEN_MARK)
            html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
            if html and user.authenticated:
                who = WHO.search(body)
                if who is None:  # the name would go to other users: not kept
                    return None
                body = body[:who.start()] + WHO_MARK + body[who.end():]
            kept = (200, headers, body)
            self._kept(state, key, version, monitoring, kept)
            return kept

        try:
            with state.pinned(version):  # the route's cached reads: this version, no store round trip each
                await self.app(scope, receive, capture)
        finally:
            if not answer.done():
                answer.set_result(None)
            if self._flights.get(flight) is answer:
                del self._flights[flight]
