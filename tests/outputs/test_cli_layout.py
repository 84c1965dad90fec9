"""The terminal layout of the scorecard's reasons and of `data batches` (issue 10)."""
from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from zhizao import api
from zhizao.outputs import cli


@pytest.fixture()
def narrow(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=80, force_terminal=False, color_system=None))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_says_why_there_is_no_comparable_data(tmp_path, narrow, lang):
    result = api.assess(db=tmp_path / "s.duckdb", year=2024, lang=lang)
    cli._print_scorecard(result, api.scorecard(result), lang)
    text = narrow.getvalue()
    flat = "".join(text.split())  # the reasons fold over lines at 80 columns
    missing = [i for i in result["indicators"] if i["status"] == "no_comparable_data"]
    assert missing
    for ind in missing:
        assert "".join(ind["reason"].split()) in flat, ind["id"]
    assert ("无可比数据或不判断进度的原因" if lang == "zh" else "Why some indicators") in text
    # 5.85 → >6 reached 6.92: completion 716 % reads as 超过300% / ">300%", explained below the table
    assert ("超过300%" if lang == "zh" else ">300%") in text and "716%" not in text and "6.92339" not in text


def test_data_batches_fit_80_columns(tmp_path, narrow, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "s.duckdb"))
    api.assess(db=tmp_path / "s.duckdb")  # a store with the bundled batch
    r = CliRunner().invoke(cli.app, ["data", "batches"])
    assert r.exit_code == 0, r.output
    text = narrow.getvalue()
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert "批次" in text and "内置数据" in text and "NaT" not in text and "00:00:00" not in text


def test_install_script_shows_its_steps_and_pip_progress():
    """scripts/install.sh: steps announced, pip not silenced (no 85 silent seconds), --version at the end."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "scripts" / "install.sh").read_text(encoding="utf-8")
    assert "==> [" in text and " -q" not in text and "--progress-bar on" in text and "zhizao --version" in text
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    # a declared package-dir: the editable install uses a .pth file, not setuptools' warning meta-path finder
    assert 'package-dir = {"" = "."}' in pyproject and "__pycache__" in pyproject
