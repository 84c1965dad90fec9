"""智造 zhizao — plan-implementation monitoring and early warning for manufacturing development plans."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

try:  # the installed distribution's version (pyproject.toml), one source of truth
    __version__ = _version("zhizao")
except PackageNotFoundError:  # run from a source tree without installing
    __version__ = "0+unknown"
