"""Fixtures for the report tests: one real assessment, the report built once in every format."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from reporttest_support import need  # noqa: E402
from zhizao import api  # noqa: E402
from zhizao.outputs.reports import build_report, previous_assessment  # noqa: E402
from zhizao.outputs.reports.fonts import FontMissing, find_cjk_fonts  # noqa: E402


@pytest.fixture(scope="session")
def fonts():
    try:
        return find_cjk_fonts()
    except FontMissing as e:
        pytest.fail(str(e))


@pytest.fixture(scope="session")
def assessed(tmp_path_factory):
    """A real mid-term assessment (2024) from a fresh store (the bundled data load themselves); the
    final-year report has its own tests (test_final_report.py)."""
    db = tmp_path_factory.mktemp("report-store") / "x.duckdb"
    result = api.assess(db=db, year=2024)
    plan = api.load_plan()
    return SimpleNamespace(db=db, result=result, plan=plan, observations=api.observations(db),
                           previous=previous_assessment(result, plan, db))


@pytest.fixture(scope="session")
def built(assessed, fonts, tmp_path_factory):
    """The report in all four formats."""
    need("soffice", "libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("report-1")
    paths = build_report(assessed.result, assessed.observations, assessed.plan, out_dir=out,
                         previous=assessed.previous)
    # Kept apart: a later rebuild into `out` overwrites the files.
    snapshot = {k: Path(p).read_bytes() for k, p in paths.items()}
    return SimpleNamespace(paths=paths, out=out, bytes=snapshot, **vars(assessed))
