"""Helpers shared by the report tests (a module, not conftest: conftest names clash across folders)."""
from __future__ import annotations

import shutil

import pytest


def need(tool: str, package: str) -> str:
    """The executable `tool`; a missing one fails the test, naming the Debian package to install
    (.ci/run installs it through scripts/install-system.sh, so a skip would only hide a broken setup)."""
    exe = shutil.which(tool)
    if not exe:
        pytest.fail(f"{tool} not installed (Debian package {package}, scripts/system-packages.txt)")
    return exe
