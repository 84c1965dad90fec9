"""What the app keeps between requests: the plan, the store path and cached reads of the store.

An assessment takes about half a second; a page must answer in well under 300 ms. So every read
of the store (assessments per (lang, year, as_of), observations, sources, links, batches) is
cached and thrown away as soon as the DuckDB file changes (its mtime and size, and the WAL's).
Reads do not touch the file (checked: opening and closing a store leaves the mtime alone), so
the cache survives until an import — from this app or from the CLI — writes.

Reads open short-lived connections to the same DuckDB file from this one process, which DuckDB
allows (one database instance per process, many connections); imports take the lock so that two
uploads are never committed at once. Run one server process: the cache lives in it.
"""
from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from zhizao import api
from zhizao.plan.spec import Plan
from zhizao.store.importing import ImportSummary
from zhizao.store.store import default_db_path


class WebState:
    def __init__(self, db: str | Path | None, plan: Plan | None):
        self.db = Path(db) if db is not None else default_db_path()
        self.plan = plan or api.load_plan()
        self._lock = threading.RLock()
        self._cache: dict[Any, Any] = {}
        self._stamp: tuple | None = None
        self.region_names = _region_names(self.plan)
        # Create the store (and load the bundled data into a new one) now, so that this
        # first write does not invalidate the first cached page.
        api.open_store(self.db, self.plan).close()

    # --- cache ------------------------------------------------------------------------------
    def stamp(self) -> tuple:
        parts = []
        for p in (self.db, self.db.with_name(self.db.name + ".wal")):
            try:
                st = p.stat()
                parts.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                parts.append(None)
        return tuple(parts)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key until the store file changes.

        The computation runs outside the lock, so a slow one (a PDF report) does not hold up
        other pages; two simultaneous misses may both compute, and a result computed while an
        import changed the file is returned but not kept.
        """
        with self._lock:
            self._refresh()
            if key in self._cache:
                return self._cache[key]
            stamp = self._stamp
        value = compute()
        with self._lock:
            self._refresh()
            if self._stamp == stamp:
                return self._cache.setdefault(key, value)
        return value

    def _refresh(self) -> None:
        stamp = self.stamp()
        if stamp != self._stamp:
            self._cache.clear()
            self._stamp = stamp

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._stamp = None

    # --- reads ------------------------------------------------------------------------------
    def assessment(self, lang: str = "zh", year: int | None = None, as_of: date | None = None) -> dict:
        """The cached `api.assess` result; callers must not mutate it."""
        return self.cached(
            ("assess", lang, year, as_of),
            lambda: api.assess(self.plan, year=year, as_of=as_of, db=self.db, lang=lang),
        )

    def scorecard(self, lang: str = "zh") -> pd.DataFrame:
        return self.cached(("scorecard", lang), lambda: api.scorecard(self.assessment(lang)))

    def _read(self, what: str, as_of: date | None = None) -> pd.DataFrame:
        def compute():
            with api.open_store(self.db, self.plan) as store:
                if what == "links":
                    return store.links(self.plan.plan.id)
                if what == "observations":
                    return store.observations(as_of=as_of)
                return getattr(store, what)()
        return self.cached(("frame", what, as_of), compute)

    def observations(self, as_of: date | None = None) -> pd.DataFrame:
        """Observations with their sources; with `as_of`, only those known by that date."""
        return self._read("observations", as_of)

    def sources(self) -> pd.DataFrame:
        return self._read("sources")

    def links(self) -> pd.DataFrame:
        return self._read("links")

    def batches(self) -> pd.DataFrame:
        return self._read("batches")

    def counts(self) -> dict[str, int]:
        return self.cached(("counts",), lambda: _counts(self))

    def warm(self) -> None:
        """Compute what the first page views need (both languages), e.g. at start-up."""
        for lang in ("zh", "en"):
            self.assessment(lang)
        self.observations()
        self.links()

    # --- writes -----------------------------------------------------------------------------
    def import_file(self, path: Path) -> ImportSummary:
        """`api.import_data` under the lock; raises ImportFailed (nothing written) on any problem."""
        with self._lock:
            try:
                return api.import_data(path, plan=self.plan, db=self.db)
            finally:
                self.invalidate()


def _region_names(plan: Plan) -> dict[str, str]:
    """Region code → name: the whole city, the 38 districts and the functional zones."""
    if not plan.regions:
        return {}
    r = plan.regions
    return {r.whole_code: r.whole_name, **{d.code: d.name for d in r.districts},
            **{z.code: z.name for z in r.functional_zones}}


def _counts(state: WebState) -> dict[str, int]:
    with api.open_store(state.db, state.plan) as store:
        return store.counts()
