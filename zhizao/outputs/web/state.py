"""What the app keeps between requests: the plan, the store path and cached reads of the store.

An assessment takes about half a second; a page must answer in well under 300 ms. So every read
of the store (assessments per (year, as_of), both languages at once; observations, sources, links, batches) is
cached per *version* of the store: (the count of this app's finished imports, the DuckDB file's
and its WAL's mtime and size). Reads do not touch the file (checked: opening and closing a store
leaves the mtime alone), so the cache survives until an import — from this app or from the CLI —
writes.

Concurrency (docs/dashboard.md §Concurrency):

- **Reads never wait for writes.** An upload takes `_import_lock` (uploads serialise among
  themselves only); `_lock` guards the dicts and is never held while computing or importing.
  While this app imports, the version is frozen: pages are served from the cache of the last
  committed state (a DuckDB read in the same process sees the committed state, never a partial
  import), and the new version starts when the import ends.
- **Single flight.** Concurrent misses for the same (version, key) wait on one computation.
- **Another process holding the file** (a CLI import): opening retries with backoff
  (`zhizao.store.store.connect`); if the file stays locked, a page is served from the value it
  had in an earlier version, else 503 with Retry-After. An upload refused for that reason lists
  the problem `store_busy`. The server never keeps the file open between requests.

With a PostgreSQL store (ZHIZAO_DB=postgresql://…) the version is the store's generation, which
every committed data write bumps (docs/storage.md), read with one small query (shared by concurrent
requests: pg_store.current_generation); a server that cannot be reached gives 503 naming the
database (or a page's earlier value), never a hang. A page's request checks the version once: the
page cache pins it for the route (`pinned`), whose cached reads then ask nothing more.

Run one server process: the cache lives in it.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from fastapi import HTTPException

from zhizao import api
from zhizao.analytics.assessment import assess_plan_languages
from zhizao.errors import UserError
from zhizao.ingest.table import ImportProblem
from zhizao.plan.load import PlanError, embedded_plan_ids, load_plan
from zhizao.plan.spec import Plan
from zhizao.settings import Settings
from zhizao.store.importing import ImportFailed, ImportSummary, bundled_links_name
from zhizao.store.pg_store import current_generation
from zhizao.store.postgres import StoreUnavailable
from zhizao.store.store import Store, StoreBusy, as_db, default_lock_timeout

MAX_STALE = 64  # values kept from earlier versions, served only while another process holds the file
BUSY_WAIT = 1.0  # seconds a read waits for the file when an earlier value can be served instead
RETRY_AFTER = "5"
LANGS = ("zh", "en")  # the dashboard's languages: both assessed together (WebState.assessments)


class StoreBusyPage(HTTPException):
    """503 with the reason and Retry-After: another process holds the store and no earlier value
    of the page can be served."""

    def __init__(self, busy: StoreBusy):
        super().__init__(503, f"{busy.message_zh} / {busy.message_en}", headers={"Retry-After": RETRY_AFTER})


class StoreUnavailablePage(StoreBusyPage):
    """503 naming the PostgreSQL database that cannot be reached (and what to do), with Retry-After;
    a StoreBusyPage so that every place that serves an earlier value for a busy file does so here too."""

    def __init__(self, down: StoreUnavailable):
        HTTPException.__init__(self, 503, f"{down.reason_zh} / {down.reason_en}", headers={"Retry-After": RETRY_AFTER})


class SingleFlight:
    """Concurrent calls of `run(key, f)` for one key: the first computes, the others wait for it
    and get its result (or its exception). Nothing is kept once the computation ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Any, tuple[Future, int]] = {}

    def run(self, key: Any, compute: Callable[[], Any]) -> Any:
        me = threading.get_ident()
        with self._lock:
            call = self._calls.get(key)
            if call is None:
                call = self._calls[key] = (Future(), me)
                leader = True
            else:
                leader = False
        future, owner = call
        if not leader:
            if owner == me:  # a computation that asks for its own key: compute, do not wait on itself
                return compute()
            return future.result()
        try:
            value = compute()
        except BaseException as e:
            future.set_exception(e)
            raise
        else:
            future.set_result(value)
            return value
        finally:
            with self._lock:
                self._calls.pop(key, None)


MAX_KEPT = 5000  # values kept by `keep` per store version
# The version one request reads at (WebState.pinned): set by the page cache around the route, so that the
# route's cached reads cost no store round trip each. A ContextVar: the worker threads that run the route
# inherit it, other requests never see it.
_PINNED: ContextVar[tuple | None] = ContextVar("zhizao_pinned_version", default=None)


class WebState:
    """One plan's view of the store: its plan, its cached reads. `plan`: a Plan, a path, an id, or
    None for the store's own plan (api.resolve_plan). `import_lock` is shared by the plans of one app."""

    def __init__(self, db: str | Path | None, plan: Plan | str | Path | None, *, lock_timeout: float | None = None,
                 import_lock: threading.Lock | None = None):
        self.db = as_db(db)  # a Path, or a postgresql:// URL
        self.plan = api.resolve_plan(plan, self.db)
        self.lock_timeout = default_lock_timeout() if lock_timeout is None else lock_timeout
        self._lock = threading.Lock()  # dict operations only
        self._import_lock = import_lock or threading.Lock()  # uploads, one at a time
        self._flights = SingleFlight()
        self._fresh: dict[Any, Any] = {}  # values of the current version
        self._stale: OrderedDict = OrderedDict()  # each key's value from an earlier version
        self._gen = 0  # imports finished by this app
        self._writing = 0
        self._version: tuple | None = None
        self._pending: dict[Any, Any] = {}  # the next version's first pages, computed by the importer
        self._pending_version: tuple | None = None
        self._tls = threading.local()
        self.region_names = _region_names(self.plan)
        # Create the store (and load the bundled data into a new one) now, so that this
        # first write does not invalidate the first cached page.
        api.open_store(self.db, self.plan).close()

    # --- cache ------------------------------------------------------------------------------
    def stamp(self) -> tuple:
        """What changes when another process writes: the file's and WAL's mtime and size; the
        generation for PostgreSQL (StoreUnavailablePage when the server cannot be reached)."""
        if isinstance(self.db, str):
            try:
                return ("generation", current_generation(self.db))
            except StoreUnavailable as e:
                raise StoreUnavailablePage(e) from None
        parts = []
        for p in (self.db, self.db.with_name(self.db.name + ".wal")):
            try:
                st = p.stat()
                parts.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                parts.append(None)
        return tuple(parts)

    def _sync(self) -> tuple:
        """The current version; a new one moves the current values to the fallbacks."""
        pending = getattr(self._tls, "pending", None)
        if pending is not None:  # the importer preparing the next version
            return pending
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:  # this request's version, checked when it began
            return pinned[1]
        try:
            stamp = self.stamp()  # stat outside the lock
        except StoreUnavailablePage:
            with self._lock:  # the server is away: serve what the last version kept
                if self._version is not None:
                    return self._version
            raise
        with self._lock:
            if self._writing:  # our own import is running: keep serving the last committed state
                return self._version
            version = (self._gen, stamp)
            if version != self._version:
                self._replace(version, {})
            return version

    def _replace(self, version: tuple, values: dict) -> None:
        """Make `version` current (call under `_lock`); the old values become fallbacks."""
        for k, v in self._fresh.items():
            self._stale[k] = v
            self._stale.move_to_end(k)
        while len(self._stale) > MAX_STALE:
            self._stale.popitem(last=False)
        self._fresh, self._version = values, version

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key and store version; concurrent misses share one computation.

        A value computed while the version changed is returned but not kept. If another process
        holds the file, the key's value from an earlier version is returned, else 503.
        """
        version = self._sync()
        with self._lock:
            values = self._values(version)
            if values is not None and key in values:
                return values[key]
            has_fallback = key in self._stale

        def lead():
            before = getattr(self._tls, "wait", None)
            # With an earlier value to serve, do not keep the visitor waiting for the file.
            self._tls.wait = min(BUSY_WAIT, self.lock_timeout) if has_fallback else self.lock_timeout
            try:
                value = compute()
            finally:
                self._tls.wait = before
            with self._lock:
                values = self._values(version)
                if values is not None:
                    values[key] = value
            return value

        try:
            return self._flights.run((version, key), lead)
        except (StoreBusy, StoreBusyPage, StoreUnavailable, StoreUnavailablePage) as e:
            # (the pages from a nested read: scorecard → assessment)
            with self._lock:
                if key in self._stale:
                    return self._stale[key]
            if isinstance(e, HTTPException):
                raise
            raise (StoreBusyPage(e) if isinstance(e, StoreBusy) else StoreUnavailablePage(e)) from None

    def peek(self, key: Any) -> tuple[Any, tuple]:
        """(the value kept for `key` in the current version or None, that version); never
        computes and never waits for the file. With `keep`, for callers that compute elsewhere
        (page_cache.py: whole answers, produced by the routes)."""
        version = self._sync()
        with self._lock:
            values = self._values(version)
            return (values.get(key) if values is not None else None), version

    @contextmanager
    def pinned(self, version: tuple):
        """Within the block (and the worker threads it starts), reads of this state use `version`
        (from `peek`) instead of asking the store again: one version check per request. A value computed
        after the version moved on is returned but not kept, as in `cached`."""
        token = _PINNED.set((self, version))
        try:
            yield
        finally:
            _PINNED.reset(token)

    def keep(self, key: Any, value: Any, version: tuple) -> None:
        """Keep `value` for `key` if `version` (from `peek`) is still current and the version
        holds fewer than MAX_KEPT values (endless distinct queries must not fill the memory)."""
        with self._lock:
            values = self._values(version)
            if values is not None and (key in values or len(values) < MAX_KEPT):
                values[key] = value

    def _values(self, version: tuple) -> dict | None:
        """The dict that holds `version`'s values (call under `_lock`); None for an old version."""
        if version == self._version:
            return self._fresh
        if version == self._pending_version:
            return self._pending
        return None

    def invalidate(self) -> None:
        with self._lock:
            self._gen += 1

    def _open(self) -> Store:
        """A short-lived connection; waits for another process as long as `cached` decided."""
        return Store(self.db, lock_timeout=getattr(self._tls, "wait", None) or self.lock_timeout)

    # --- reads ------------------------------------------------------------------------------
    def assessments(self, year: int | None = None, as_of: date | None = None) -> dict[str, dict]:
        """{lang: the assessment} for every language of the dashboard, computed together from one read
        of the store (`assess_plan_languages`: one index, one set of candidates) and cached under one
        key. The results share their evidence records: callers must not mutate them."""
        def compute():
            with self._open() as store:
                # non-finite values too: the assessment lists them as ignored (summary.ignored_values)
                obs = store.observations(as_of=as_of, include_nonfinite=True)
                links = store.links(self.plan.plan.id)
            return assess_plan_languages(self.plan, obs, links, year=year, settings=Settings(), langs=LANGS,
                                         as_of=as_of.isoformat() if as_of else None)
        return self.cached(("assess", year, as_of), compute)

    def assessment(self, lang: str = "zh", year: int | None = None, as_of: date | None = None) -> dict:
        """The cached assessment in `lang` (as `api.assess`); callers must not mutate it."""
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        return self.assessments(year, as_of)[lang]

    def scorecard(self, lang: str = "zh") -> pd.DataFrame:
        return self.cached(("scorecard", lang), lambda: api.scorecard(self.assessment(lang)))

    def _read(self, what: str, as_of: date | None = None) -> pd.DataFrame:
        def compute():
            with self._open() as store:
                if what == "links":
                    return store.links(self.plan.plan.id)
                if what == "observations":  # without the series only other plans of the store use
                    obs = store.observations(as_of=as_of)
                    return obs[~obs["series"].isin(api.other_plans_series(store, self.plan))].reset_index(drop=True)
                return getattr(store, what)()
        return self.cached(("frame", what, as_of), compute)

    def observations(self, as_of: date | None = None) -> pd.DataFrame:
        """Observations with their sources (not the series only other plans use); with `as_of`,
        only those known by that date."""
        return self._read("observations", as_of)

    def rows_scope(self, user) -> tuple | None:
        """What of `user` decides which observations they see (`user.visible`): None when they see every
        row (a city user, or a store of aggregates only, as today's), else (level, region). A key part
        for data computed from `user.visible(self.observations())`, shared by the users of one scope."""
        obs = self.observations()
        return None if user.visible(obs) is obs else (user.level, user.region)

    def sources(self) -> pd.DataFrame:
        return self._read("sources")

    def links(self) -> pd.DataFrame:
        return self._read("links")

    def batches(self) -> pd.DataFrame:
        return self._read("batches")

    def counts(self) -> dict[str, int]:
        return self.cached(("counts",), lambda: _counts(self))

    def registered_ids(self) -> list[str]:
        """Plan ids registered in the store (the plan switcher of every page)."""
        def compute():
            with self._open() as store:
                return list(store.plans()["plan_id"])
        return self.cached(("registered_plans",), compute)

    def has_bundled(self) -> bool:
        """Whether the store holds the bundled data (then the embedded plans are offered)."""
        return self.cached(("has_bundled",), lambda: bool((self.batches()["kind"] == "bundled").any()))

    def warm(self) -> None:
        """Compute what the first page views need (both languages), e.g. at start-up. A store
        held by another process is not an error here: the pages compute when it is free."""
        try:
            self.assessments()  # both languages, one computation
            self.observations()
            self.links()
            # what every page's header and the data pages read: a visitor after an upload opens no store
            self.registered_ids(), self.has_bundled(), self.sources(), self.counts()
        except StoreBusyPage:
            pass

    # --- writes -----------------------------------------------------------------------------
    def import_file(self, path: Path, *, actor: str | None = None, role: str | None = None) -> ImportSummary:
        """`api.import_data`, one upload at a time; raises ImportFailed (nothing written) on any
        problem, including `store_busy` when another process holds the file too long.
        `actor`/`role`: the signed-in user, for the audit log (None: the local user, cli:<system user>)."""
        path = Path(path)
        with self._import_lock:
            self._sync()
            with self._lock:
                self._writing += 1
            done = False
            try:
                summary = api.import_data(path, plan=self.plan, db=self.db, actor=actor, role=role)
                done = True
                self._prepare_next()
                return summary
            except StoreBusy as e:
                raise ImportFailed([ImportProblem(
                    file=path.name, row=None, column=None, value=None, code="store_busy",
                    message_zh=e.message_zh, message_en=e.message_en)]) from None
            finally:
                with self._lock:
                    self._writing -= 1
                    if done:
                        self._gen += 1
                        # The prepared pages become current unless the file changed since.
                        if self._pending_version == (self._gen, self.stamp()):
                            self._replace(self._pending_version, self._pending)
                    self._pending, self._pending_version = {}, None

    def _prepare_next(self) -> None:
        """After a commit, compute the first pages of the new version while the readers are still
        served the old one, so that they do not all wait for it when the import ends."""
        with self._lock:
            self._pending, self._pending_version = {}, (self._gen + 1, self.stamp())
        self._tls.pending = self._pending_version
        try:
            self.warm()
        except Exception:  # noqa: BLE001 - the import is committed; a page that fails will say why itself
            pass
        finally:
            self._tls.pending = None


class WebPlans:
    """Every plan the dashboard serves: the default one (at / and /p/<id>/) and the others
    registered in the store (at /p/<id>/), each with its own WebState and cache; they share the
    store file and one upload lock. A plan registered while the app runs is served from its first visit."""

    def __init__(self, db: str | Path | None, default: Plan | str | Path | None, *, lock_timeout: float | None = None):
        self._import_lock = threading.Lock()
        self._lock = threading.Lock()
        self.lock_timeout = lock_timeout
        self.default = WebState(db, default, lock_timeout=lock_timeout, import_lock=self._import_lock)
        self.db = self.default.db
        self._states: dict[str, WebState] = {self.default.plan.plan.id: self.default}
        self._broken: dict[str, str] = {}  # registered plans that cannot be read: id → why
        self._last_registered: list[str] = [self.default.plan.plan.id]
        self._load_lock = threading.Lock()

    def loaded(self, plan_id: str) -> WebState | None:
        """The plan's state if it is already served; never touches the store."""
        with self._lock:
            return self._states.get(plan_id)

    def get(self, plan_id: str) -> WebState | None:
        """The plan's state, loading a plan registered in the store, or an embedded plan when the store
        holds the bundled data (registered and its bundled links loaded on this first visit, as
        api.open_store does for the CLI); None if there is no such plan here."""
        state = self.loaded(plan_id)
        if state is not None:
            return state
        if plan_id not in self.registered() and plan_id not in self.embedded():
            return None
        with self._load_lock:  # two first visits must not register the plan twice
            state = self.loaded(plan_id)
            if state is not None:
                return state
            try:
                state = WebState(self.db, plan_id, lock_timeout=self.lock_timeout, import_lock=self._import_lock)
            except (UserError, PlanError) as e:  # e.g. registered by an older zhizao: listed, not served
                with self._lock:
                    self._broken[plan_id] = str(e)
                return None
            with self._lock:
                return self._states.setdefault(plan_id, state)

    def embedded(self) -> list[str]:
        """Embedded plans served without being registered first: only in a store holding the bundled
        data (a store made for another plan is not offered the embedded plans, whose registration
        would change the CLI's default plan of that store)."""
        try:
            bundled = self.default.has_bundled()
        except StoreBusyPage:
            bundled = False
        return [i for i in embedded_plan_ids() if bundled_links_name(i)] if bundled else []

    def registered(self) -> list[str]:
        """Plan ids registered in the store (cached per store version); while another process holds
        the file, the last list read (a page must not fail for its switcher)."""
        try:
            ids = self.default.registered_ids()
        except StoreBusyPage:
            with self._lock:
                return list(self._last_registered)
        with self._lock:
            self._last_registered = ids
        return ids

    def listing(self, lang: str = "zh") -> list[dict]:
        """The plans served, the default first, then the registered ones, then the embedded ones not yet
        visited (listed from their file: a page view must not write the store): id, title and address."""
        default_id = self.default.plan.plan.id
        registered = [i for i in self.registered() if i != default_id]
        ids = [default_id, *registered, *[i for i in self.embedded() if i != default_id and i not in registered]]
        out = []
        for plan_id in ids:
            state = self.loaded(plan_id) if plan_id not in registered else self.get(plan_id)
            if state is None and plan_id in registered:
                continue
            meta = state.plan.plan if state is not None else _embedded_meta(plan_id)
            out.append({"id": plan_id, "title": (meta.title_en or meta.title) if lang == "en" else meta.title,
                        "period": f"{meta.base_year}–{meta.target_year}", "default": state is self.default,
                        "url": f"/p/{plan_id}/"})
        return out

    def states(self) -> list[WebState]:
        with self._lock:
            return list(self._states.values())

    def warm(self) -> None:
        """Load every registered plan and compute its first pages."""
        try:
            self.listing()
        except StoreBusyPage:
            return
        for state in self.states():
            state.warm()


@lru_cache(maxsize=16)
def _embedded_meta(plan_id: str):
    """An embedded plan's header (title, years) for the switcher, read from its file."""
    return load_plan(plan_id).plan


def _region_names(plan: Plan) -> dict[str, str]:
    """Region code → name: the whole city, the 38 districts and the functional zones."""
    if not plan.regions:
        return {}
    r = plan.regions
    return {r.whole_code: r.whole_name, **{d.code: d.name for d in r.districts},
            **{z.code: z.name for z in r.functional_zones}}


def _counts(state: WebState) -> dict[str, int]:
    with state._open() as store:
        return store.counts()
