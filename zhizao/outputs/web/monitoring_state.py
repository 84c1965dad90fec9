"""The monitoring page's data: the `zhizao synth` folder, loaded once and refreshed per period.

Loading a province-size folder and building its enterprise panel takes about a second, and a
refresh at one period about as long again, so both are cached in the app state: the loaded data
per state of the folder, and each refresh per (folder state, period). The folder's state is the
mtime and size of the folder and of each of its files (`monitoring_view.data_stamp`): rewriting
the data with `zhizao synth --out` drops the cache at the next request. Refreshes are kept for the
most recently used periods only (each holds its tables; the panel is shared).

The lock guards the dicts only: loading and refreshing run outside it, once per (folder state,
key) however many requests miss together (`SingleFlight`), so a cached period never waits for
another period's refresh.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from zhizao.outputs import monitoring_view as mv
from zhizao.outputs.web.state import SingleFlight

MAX_PERIODS = 24


class MonitoringUnavailable(Exception):
    """No data in the folder (`reason` = "missing") or data that cannot be used ("invalid")."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class MonitoringState:
    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()  # dict operations only
        self._flights = SingleFlight()
        self._stamp: Any = object()  # never equal to a real stamp: the first call loads
        self._data: mv.MonitoringData | None = None
        self._error: MonitoringUnavailable | None = None
        self._results: OrderedDict = OrderedDict()
        self._extra: dict = {}

    def _sync(self) -> Any:
        """The folder's state; a new one drops everything derived from the old."""
        stamp = mv.data_stamp(self.data_dir)  # reads the folder: outside the lock
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._data, self._error = None, None
                self._results.clear()
                self._extra.clear()
        return stamp

    def stamp(self) -> Any:
        """The folder's state now (`monitoring_view.data_stamp`; None without data): the page cache's
        key for the monitoring pages."""
        return self._sync()

    def _loaded(self) -> tuple[Any, mv.MonitoringData]:
        stamp = self._sync()
        with self._lock:
            if self._stamp == stamp and (self._data is not None or self._error is not None):
                data, error = self._data, self._error
            else:
                data = error = None
        if data is None and error is None:
            data, error = self._flights.run(("data", stamp), lambda: self._load(stamp))
        if error is not None:
            raise error
        return stamp, data

    def _load(self, stamp: Any):
        data = error = None
        if stamp is None:
            error = MonitoringUnavailable("missing", str(self.data_dir))
        else:
            try:
                data = mv.load_data(self.data_dir)
            except (FileNotFoundError, ValueError, KeyError, OSError) as e:
                error = MonitoringUnavailable("invalid", f"{type(e).__name__}: {e}")
        with self._lock:
            if self._stamp == stamp:
                self._data, self._error = data, error
        return data, error

    def data(self) -> mv.MonitoringData:
        """The loaded folder; MonitoringUnavailable when there is none or it is refused."""
        return self._loaded()[1]

    def result(self, period: tuple[int, int] | None):
        """The refresh at `period` (None = the latest), computed once per folder state."""
        stamp, data = self._loaded()
        key = period or data.context.period(data.context.latest)
        with self._lock:
            if self._stamp == stamp and key in self._results:
                self._results.move_to_end(key)
                return self._results[key]

        def compute():
            r = mv.refresh_at(data, key)
            with self._lock:
                if self._stamp == stamp:
                    self._results[key] = r
                    while len(self._results) > MAX_PERIODS:
                        self._results.popitem(last=False)
            return r
        return self._flights.run(("result", stamp, key), compute)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Anything else derived from the data (the brief's files), until the folder changes."""
        stamp = self._sync()
        with self._lock:
            if self._stamp == stamp and key in self._extra:
                return self._extra[key]

        def lead():
            value = compute()
            with self._lock:
                if self._stamp == stamp:
                    self._extra[key] = value
            return value
        return self._flights.run(("extra", stamp, key), lead)

    def warm(self) -> None:
        """Load the folder and refresh the latest period, if there is data (start-up)."""
        try:
            self.result(None)
        except MonitoringUnavailable:
            pass
