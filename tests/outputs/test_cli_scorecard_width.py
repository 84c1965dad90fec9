"""The scorecard reads in an 80- and a 120-column terminal: no name cut to "规 …", no line too wide."""
from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from zhizao import api
from zhizao.outputs import cli


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    db = tmp_path_factory.mktemp("width") / "s.duckdb"
    return {year: api.assess(db=db, year=year) for year in (2024, 2025)}  # mid-term and final


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("year", [2024, 2025])
def test_scorecard_fits_the_terminal(results, width, year, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=width, force_terminal=False, color_system=None))
    result = results[year]
    cli._print_scorecard(result, api.scorecard(result), "zh")
    text = out.getvalue()
    assert "…" not in text[:text.rindex("└")]  # no cell cut short (the notes below may use …)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    # the first column read down the table: every name is there whole, folded over lines
    first = "".join(line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    for ind in result["indicators"]:
        assert ind["name"] in first, ind["name"]
