"""`zhizao report`, registered on a Typer app as the lead wires it."""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from zhizao.outputs.reports.cli import register


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main():  # a group, so `report` stays a sub-command as in the real CLI
        pass

    register(app)
    return app


def test_report_command_writes_the_files(built, tmp_path):
    out = tmp_path / "out"
    year = built.result["year"]
    res = CliRunner().invoke(_app(), ["report", "--format", "html,xlsx", "--out", str(out), "--db", str(built.db),
                                      "--year", str(year)])
    assert res.exit_code == 0, res.output
    assert (out / f"zhizao-report-{year}-zh.html").is_file()
    assert (out / f"zhizao-report-{year}-zh.xlsx").is_file()
    assert (out / f"zhizao-report-{year}-zh.json").is_file()
    # Same store, same (absent) as-of date: the CLI's HTML is the API's HTML.
    assert (out / f"zhizao-report-{year}-zh.html").read_bytes() == built.bytes["html"]


def test_report_command_refuses_an_unknown_format(built, tmp_path):
    res = CliRunner().invoke(_app(), ["report", "--format", "odt", "--out", str(tmp_path), "--db", str(built.db)])
    assert res.exit_code == 2
    assert "odt" in res.output and "docx、html、pdf、xlsx" in res.output  # the wrong value and the allowed ones
