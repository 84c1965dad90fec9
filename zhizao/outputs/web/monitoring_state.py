"""The monitoring page's data: the `zhizao synth` folder, loaded once and refreshed per period.

Loading a province-size folder and building its enterprise panel takes about a second, and a
refresh at one period about as long again, so both are cached in the app state: the loaded data
per state of the folder, and each refresh per (folder state, period). The folder's state is the
mtime and size of the folder and of each of its files (`monitoring_view.data_stamp`): rewriting
the data with `zhizao synth --out` drops the cache at the next request. Refreshes are kept for the
most recently used periods only (each holds its tables; the panel is shared).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from zhizao.outputs import monitoring_view as mv

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
        self._lock = threading.RLock()
        self._stamp: Any = object()  # never equal to a real stamp: the first call loads
        self._data: mv.MonitoringData | None = None
        self._error: MonitoringUnavailable | None = None
        self._results: OrderedDict = OrderedDict()
        self._extra: dict = {}

    def _sync(self) -> None:
        stamp = mv.data_stamp(self.data_dir)
        if stamp != self._stamp:
            self._stamp = stamp
            self._data, self._error = None, None
            self._results.clear()
            self._extra.clear()

    def data(self) -> mv.MonitoringData:
        """The loaded folder; MonitoringUnavailable when there is none or it is refused."""
        with self._lock:
            self._sync()
            if self._data is None and self._error is None:
                if self._stamp is None:
                    self._error = MonitoringUnavailable("missing", str(self.data_dir))
                else:
                    try:
                        self._data = mv.load_data(self.data_dir)
                    except (FileNotFoundError, ValueError, KeyError, OSError) as e:
                        self._error = MonitoringUnavailable("invalid", f"{type(e).__name__}: {e}")
            if self._error is not None:
                raise self._error
            return self._data

    def result(self, period: tuple[int, int] | None):
        """The refresh at `period` (None = the latest), computed once per folder state."""
        with self._lock:
            data = self.data()
            key = period or data.context.period(data.context.latest)
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            r = mv.refresh_at(data, key)
            self._results[key] = r
            while len(self._results) > MAX_PERIODS:
                self._results.popitem(last=False)
            return r

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Anything else derived from the data (the brief's files), until the folder changes."""
        with self._lock:
            self._sync()
            if key in self._extra:
                return self._extra[key]
            stamp = self._stamp
        value = compute()  # outside the lock: a slow build does not hold up the pages
        with self._lock:
            self._sync()
            if self._stamp == stamp:
                return self._extra.setdefault(key, value)
        return value

    def warm(self) -> None:
        """Load the folder and refresh the latest period, if there is data (start-up)."""
        try:
            self.result(None)
        except MonitoringUnavailable:
            pass
