"""What the app keeps between requests: the plan, the store path and cached reads of the store.

An assessment takes about half a second; a page must answer in well under 300 ms. So every read
of the store (assessments per (lang, year, as_of), observations, sources, links, batches) is
cached and thrown away as soon as the DuckDB file changes (its mtime and size, and the WAL's).
Reads do not touch the file (checked: opening and closing a store leaves the mtime alone), so
the cache survives until an import — from this app or from the CLI — writes.

One lock serialises all store access: DuckDB allows one read-write connection per file per
process configuration, and an upload must not interleave with a read.
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
        # Create the store (and load the bundled data into a new one) now, so that this
        # first write does not invalidate the first cached page.
        with self._lock:
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

    def _cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            stamp = self.stamp()
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._stamp = None

    # --- reads ------------------------------------------------------------------------------
    def assessment(self, lang: str = "zh", year: int | None = None, as_of: date | None = None) -> dict:
        """The cached `api.assess` result; callers must not mutate it."""
        return self._cached(
            ("assess", lang, year, as_of),
            lambda: api.assess(self.plan, year=year, as_of=as_of, db=self.db, lang=lang),
        )

    def scorecard(self, lang: str = "zh") -> pd.DataFrame:
        return self._cached(("scorecard", lang), lambda: api.scorecard(self.assessment(lang)))

    def _read(self, what: str) -> pd.DataFrame:
        def compute():
            with api.open_store(self.db, self.plan) as store:
                if what == "links":
                    return store.links(self.plan.plan.id)
                return getattr(store, what)()
        return self._cached(("frame", what), compute)

    def observations(self) -> pd.DataFrame:
        return self._read("observations")

    def sources(self) -> pd.DataFrame:
        return self._read("sources")

    def links(self) -> pd.DataFrame:
        return self._read("links")

    def batches(self) -> pd.DataFrame:
        return self._read("batches")

    def counts(self) -> dict[str, int]:
        return self._cached(("counts",), lambda: _counts(self))

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


def _counts(state: WebState) -> dict[str, int]:
    with api.open_store(state.db, state.plan) as store:
        return store.counts()
